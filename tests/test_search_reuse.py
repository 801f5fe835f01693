"""Issue 11: the search step reuses Pagefind's answer for a language whose records are unchanged,
and a reused index is byte-identical to one indexed afresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ocop_search import index as search_index


def _bundle(site: Path) -> dict[str, bytes]:
    return {
        f.relative_to(site).as_posix(): f.read_bytes()
        for f in (site / "pagefind").rglob("*")
        if f.is_file() and f.suffix not in (".gz", ".br")  # the build precompresses after indexing
    }


@pytest.fixture
def counted(monkeypatch):
    """How many languages Pagefind really indexed (the real Pagefind runs; calls are only counted)."""
    calls: list[int] = []
    real = search_index._index

    def index(site, records):
        calls.append(len(records))
        return real(site, records)

    monkeypatch.setattr(search_index, "_index", index)
    return calls


def test_unchanged_records_reuse_the_cached_index(site, tmp_path, counted):
    copy, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(site, copy)
    search_index.build_index(copy, cache=cache)
    assert len(counted) == 2 and len(list(cache.glob("*.cbor"))) == 2  # one answer per language
    search_index.build_index(copy, cache=cache)
    assert len(counted) == 2  # nothing indexed again
    assert _bundle(copy) == _bundle(site)


def test_a_changed_record_gives_what_a_clean_index_gives(site, tmp_path, catalogue, counted):
    copy, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(site, copy)
    search_index.build_index(copy, cache=cache)
    # A staff edit in one province: the Vietnamese page's record changes, the English one does not.
    p = next(p for p in catalogue.products if p.status.listed)
    page = copy / "san-pham" / p.slug / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count(p.name.vi) >= 2
    page.write_text(html.replace(p.name.vi, p.name.vi + " Đặc Biệt"), encoding="utf-8")
    search_index.build_index(copy, cache=cache)
    assert len(counted) == 3  # only Vietnamese indexed again
    clean = tmp_path / "clean"
    shutil.copytree(copy, clean)
    search_index.build_index(clean)  # no cache: everything from Pagefind
    assert _bundle(copy) == _bundle(clean)
    assert _bundle(copy) != _bundle(site)
    assert len(list(cache.glob("*.cbor"))) == 2  # the older Vietnamese answer was replaced, not kept


def test_a_damaged_cache_is_indexed_again(site, tmp_path, counted):
    copy, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(site, copy)
    search_index.build_index(copy, cache=cache)
    for f in cache.glob("*.cbor"):
        f.write_bytes(f.read_bytes()[:100])  # a build killed while writing, a full disk
    search_index.build_index(copy, cache=cache)
    assert len(counted) == 4
    assert _bundle(copy) == _bundle(site)


def test_the_build_keeps_the_search_cache_in_the_cache_folder(site):
    # conftest.build_site puts OCOP_CACHE_PATH beside the output
    assert sorted(f.name.split("-")[0] for f in (site.parent / ".cache" / "search").glob("*.cbor")) == ["en", "san"]


def test_records_handed_over_by_the_renderer_give_the_same_index(site, tmp_path, catalogue):
    """A renderer may collect each page's record as it writes it, sparing the index a second read."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    handed: dict[str, list[tuple[str, str]]] = {}
    for folder in search_index.PRODUCT_DIRS:
        for page in (copy / folder).glob("*/index.html"):  # any order: the index sorts them
            doc = search_index.record_doc(page.read_bytes(), page)
            if doc is not None:
                handed.setdefault(folder, []).append((f"/{page.parent.relative_to(copy).as_posix()}/", doc))
    search_index.build_index(copy, expected=len(catalogue.products), records=handed)
    assert _bundle(copy) == _bundle(site)
    handed["san-pham"].pop()
    with pytest.raises(search_index.SearchIndexError, match=f"expected {len(catalogue.products)}"):
        search_index.build_index(copy, expected=len(catalogue.products), records=handed)
