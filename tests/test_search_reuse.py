"""Issue 11: a decision rewrites only the search files it touches, so a publishing build keeps (hard-links)
the others and visitors keep them cached: files are named after their content.

A product's number is its place's slot and its rank there by slug (plugins/ocop_search/index.py):
removing or adding a product moves only the products of its own place.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from ocop_search import index as search_index


def _files(root: Path) -> dict[str, bytes]:
    bundle = root / search_index.BUNDLE_DIR
    return {f.relative_to(bundle).as_posix(): f.read_bytes() for f in bundle.rglob("*.json")}


def _place(p) -> tuple[str, str]:
    return search_index.record.province_label(p), search_index.record.district_label(p)


def _touched(products, place: tuple[str, str], lang: str) -> set[str]:
    """The shard keys of every word of the products of one place: the most a change there can rewrite."""
    keys = set()
    for p in products:
        if _place(p) == place:
            for text in search_index._Memo().fields(p, lang):
                keys |= {search_index.shard_key(w) for w in search_index.tokens(text, lang)}
    return keys


def _changed(before: dict[str, bytes], after: dict[str, bytes], lang: str, kind: str) -> set[str]:
    """The stems (shard key or chunk number) of the files of one kind that are new in `after`."""
    prefix = f"{lang}/{kind}/"
    return {name[len(prefix) :].rsplit("-", 1)[0] for name in set(after) - set(before) if name.startswith(prefix)}


def _chunks_of(root: Path, lang: str, place: tuple[str, str]) -> set[str]:
    entry = json.loads((root / search_index.BUNDLE_DIR / f"{lang}.json").read_bytes())
    values = entry["values"]
    slots = {
        n
        for n, (province, district, _) in enumerate(entry["slots"])
        if (values["province"][province], values["district"][district]) == place
    }
    per_slot = entry["slot_size"] // entry["chunk_size"]
    return {c for c in entry["chunks"] if int(c) // per_slot in slots}


def test_a_removed_product_rewrites_only_its_places_chunks_and_its_places_words(catalogue, tmp_path):
    products = list(catalogue.products)
    gone = catalogue.by_slug["keo-dieu-thap-cam-nam-trang"]
    place = _place(gone)
    search_index.build_index(tmp_path / "before", products, {})
    search_index.build_index(tmp_path / "after", [p for p in products if p is not gone], {})
    before, after = _files(tmp_path / "before"), _files(tmp_path / "after")
    for lang in ("vi", "en"):
        chunks = _changed(before, after, lang, "c")
        assert chunks and chunks <= _chunks_of(tmp_path / "before", lang, place), lang
        shards = _changed(before, after, lang, "t")
        assert shards and shards <= _touched(products, place, lang), lang
        unchanged = sum(1 for name in after if name.startswith(f"{lang}/t/") and name in before)
        assert unchanged > len(shards)  # most shards keep their bytes and names
    assert after["vi.json"] != before["vi.json"] and after["en.json"] != before["en.json"]


def test_a_renamed_product_rewrites_its_chunk_and_the_shards_of_the_words_that_changed(catalogue, tmp_path):
    products = list(catalogue.products)
    p = catalogue.by_slug["keo-dieu-thap-cam-nam-trang"]
    renamed = dataclasses.replace(p, name=dataclasses.replace(p.name, vi="Kẹo điều thập cẩm Quýt Xanh"))
    search_index.build_index(tmp_path / "before", products, {})
    search_index.build_index(tmp_path / "after", [renamed if q is p else q for q in products], {})
    before, after = _files(tmp_path / "before"), _files(tmp_path / "after")
    assert _changed(before, after, "vi", "t") == {"na", "tr", "qu", "xa"}  # Năm Trang → Quýt Xanh
    assert len(_changed(before, after, "vi", "c")) == 1  # its card's chunk
    # The Vietnamese name is searchable in English too; "Năm Trang" stays in the English name.
    assert _changed(before, after, "en", "t") == {"qu", "xa"}
    assert not {name for name in set(after) - set(before) if "/f-" in name}  # the filters files did not change
