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


# --- reuse from one build to the next (issue 11): the cache of cards and words, links to the published version


def _tree(root: Path) -> dict[str, bytes]:
    return {f.relative_to(root).as_posix(): f.read_bytes() for f in root.rglob("*") if f.is_file()}


def test_cached_cards_and_words_give_the_bytes_a_fresh_build_gives(catalogue, tmp_path):
    products = list(catalogue.products)
    assert all(p.digest for p in products)  # read from records: each one is cached
    cache = tmp_path / "cache" / search_index.CACHE_NAME
    search_index.build_index(tmp_path / "fresh", products, {})
    search_index.build_index(tmp_path / "first", products, {}, cache, "inputs-1")
    assert cache.is_file()
    made = search_index.Made(cache, "inputs-1")
    assert len(made.before) == 2 * len(products)  # one entry a product and language
    search_index.build_index(tmp_path / "second", products, {}, cache, "inputs-1", previous=tmp_path / "first")
    assert _tree(tmp_path / "fresh") == _tree(tmp_path / "first") == _tree(tmp_path / "second")
    # Every card and word list came from the cache: none was made again.
    slots, memo = search_index.number(products), search_index._Memo()
    for lang in ("vi", "en"):
        search_index.language_files(products, lang, {}, slots, memo, made)
    assert made.misses == 0
    # With no published version (`ocop build --full`) the cache is not read: everything is made again.
    assert search_index.Made(cache, "inputs-1", read=False).before == {}


def test_a_changed_product_is_made_again_and_other_inputs_start_afresh(catalogue, tmp_path):
    products = list(catalogue.products)
    cache = tmp_path / search_index.CACHE_NAME
    search_index.build_index(tmp_path / "first", products, {}, cache, "inputs-1")
    p = catalogue.by_slug["keo-dieu-thap-cam-nam-trang"]
    # Same record digest, another name (as a test or a tool may make): the fields read are in the key.
    renamed = dataclasses.replace(p, name=dataclasses.replace(p.name, vi="Kẹo điều thập cẩm Quýt Xanh"))
    changed = [renamed if q is p else q for q in products]
    made = search_index.Made(cache, "inputs-1")
    slots, memo = search_index.number(changed), search_index._Memo()
    files = search_index.language_files(changed, "vi", {}, slots, memo, made)
    assert made.misses == 1
    assert files == search_index.language_files(changed, "vi", {})  # as if nothing was cached
    other = search_index.Made(cache, "inputs-2")  # other code, settings or translations
    assert other.before == {}
    search_index.language_files(products, "vi", {}, slots, memo, other)
    assert other.misses == len(products)


def test_a_damaged_cache_is_ignored_and_made_again(catalogue, tmp_path):
    products = list(catalogue.products)
    cache = tmp_path / search_index.CACHE_NAME
    cache.write_bytes(b"\x80\x04not a pickle")
    search_index.build_index(tmp_path / "out", products, {}, cache, "inputs-1")
    search_index.build_index(tmp_path / "fresh", products, {})
    assert _tree(tmp_path / "out") == _tree(tmp_path / "fresh")
    assert len(search_index.Made(cache, "inputs-1").before) == 2 * len(products)


def test_files_the_published_version_has_are_linked_and_never_written(catalogue, tmp_path):
    products = list(catalogue.products)
    published = tmp_path / "published"
    search_index.build_index(published, products, {})
    before = _tree(published)
    gone = catalogue.by_slug["keo-dieu-thap-cam-nam-trang"]
    after = [p for p in products if p is not gone]
    search_index.build_index(tmp_path / "new", after, {}, previous=published)
    search_index.build_index(tmp_path / "fresh", after, {})
    assert _tree(tmp_path / "new") == _tree(tmp_path / "fresh")  # the same bytes as a build from scratch
    assert _tree(published) == before  # the published files are untouched
    bundle, old = tmp_path / "new" / search_index.BUNDLE_DIR, published / search_index.BUNDLE_DIR
    linked = {f.relative_to(bundle).as_posix() for f in bundle.rglob("*.json") if f.stat().st_nlink > 1}
    kept = {name for name in _files(tmp_path / "new") if (old / name).is_file()}
    assert linked == kept - {"vi.json", "en.json"}  # the entries keep their name, not their bytes: written
    assert len(linked) > len(_files(tmp_path / "new")) // 2
    for name in linked:
        assert (bundle / name).samefile(old / name)


def test_an_unchanged_catalogue_links_the_whole_index_and_tells_which_files(catalogue, tmp_path):
    products = list(catalogue.products)
    cache = tmp_path / "cache" / search_index.CACHE_NAME
    search_index.build_index(tmp_path / "first", products, {}, cache, "inputs-1")
    linked: set[str] = set()
    search_index.build_index(tmp_path / "second", products, {}, cache, "inputs-1", tmp_path / "first", linked)
    assert _tree(tmp_path / "second") == _tree(tmp_path / "first")
    bundle = tmp_path / "second" / search_index.BUNDLE_DIR
    files = _files(tmp_path / "second")
    assert linked == {f"{search_index.BUNDLE_DIR}/{name}" for name in files} - {
        f"{search_index.BUNDLE_DIR}/{lang}.json" for lang in ("vi", "en")
    }
    for name in files:
        assert (bundle / name).stat().st_nlink == (1 if name in ("vi.json", "en.json") else 2), name


def _fingerprint(products, inputs: str) -> str:
    return search_index.fingerprint(products, {p.id: search_index._key(p, {}) for p in products}, inputs)


def test_whole_index_reuse_falls_back_when_anything_it_is_made_from_changed(catalogue, tmp_path):
    products = list(catalogue.products)
    cache = tmp_path / "cache" / search_index.CACHE_NAME
    search_index.build_index(tmp_path / "first", products, {}, cache, "inputs-1")
    p = catalogue.by_slug["keo-dieu-thap-cam-nam-trang"]
    # A field the cards and words do not read, but the filters do (its product set): the fingerprint has it.
    other = next(q.product_set for q in products if q.product_set and q.product_set != p.product_set)
    moved = dataclasses.replace(p, product_set=other)
    changed = [moved if q is p else q for q in products]
    assert _fingerprint(changed, "inputs-1") != _fingerprint(products, "inputs-1")
    search_index.build_index(tmp_path / "second", changed, {}, cache, "inputs-1", tmp_path / "first")
    search_index.build_index(tmp_path / "fresh", changed, {})
    assert _tree(tmp_path / "second") == _tree(tmp_path / "fresh")
    # Other inputs (code, translations) or a product made by hand: no fingerprint, nothing reused whole.
    assert _fingerprint(products, "inputs-2") != _fingerprint(products, "inputs-1")
    assert _fingerprint([*products, dataclasses.replace(p, id="x", digest="")], "inputs-1") == ""


def test_whole_index_reuse_falls_back_when_the_published_version_lacks_a_file(catalogue, tmp_path):
    products = list(catalogue.products)
    cache = tmp_path / "cache" / search_index.CACHE_NAME
    search_index.build_index(tmp_path / "first", products, {}, cache, "inputs-1")
    shard = next((tmp_path / "first" / search_index.BUNDLE_DIR / "vi" / "t").iterdir())
    shard.unlink()
    search_index.build_index(tmp_path / "second", products, {}, cache, "inputs-1", tmp_path / "first")
    search_index.build_index(tmp_path / "fresh", products, {})
    assert _tree(tmp_path / "second") == _tree(tmp_path / "fresh")
