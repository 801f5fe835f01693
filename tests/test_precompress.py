"""Precompressed output: a .gz and a .br beside every text file of the built site (only the .gz beside one of
1 MiB or more), each the file itself."""

from __future__ import annotations

import functools
import gzip
import os
import shutil
import types
from pathlib import Path

import brotli
import pytest
from ocop_precompress import _finalized
from ocop_precompress.compress import (
    DEFAULT_QUALITY,
    ENCODINGS,
    GZIP_ONLY_FROM,
    TEXT_SUFFIXES,
    encodings,
    precompress,
    siblings,
    text_names,
    window,
)

from ocop.settings import with_defaults

DECODE = {".gz": gzip.decompress, ".br": brotli.decompress}


def originals(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix not in ENCODINGS]


def test_every_text_file_has_gz_and_br_that_decompress_to_it(site):
    texts = [p for p in originals(site) if p.suffix in TEXT_SUFFIXES]
    kinds = {p.suffix for p in texts}
    # The sample site has every kind of text it publishes: pages, styles, scripts, feeds, open data, the index.
    assert {".html", ".css", ".js", ".xml", ".json", ".csv", ".tsv", ".svg", ".atom", ".geojson", ".txt"} <= kinds
    assert (site / "search-index" / "vi.json") in texts
    for path in texts:
        data = path.read_bytes()
        for ext in encodings(len(data)):
            sibling = Path(f"{path}{ext}")
            assert sibling.is_file(), f"{sibling.relative_to(site)} is missing"
            assert DECODE[ext](sibling.read_bytes()) == data, f"{sibling.relative_to(site)} is not {path.name}"


def test_a_large_file_gets_only_its_gz_made_or_linked(tmp_path):
    """The open data and the feeds of a national catalogue (tens of MB, read by machines that ask for gzip) get
    no .br; the next build links the .gz and does not take the missing .br for a reason to compress again."""
    published, staging = tmp_path / "1", tmp_path / "2"
    published.mkdir()
    staging.mkdir()
    big = "".join(f'{{"id": "bt-{i}", "name": "Nước mắm {i}"}}\n' for i in range(40000)).encode()
    assert len(big) >= GZIP_ONLY_FROM
    (published / "open.json").write_bytes(big)
    (published / "small.json").write_bytes(big[:1000])

    report = precompress(published, None)

    assert report.compressed == 2 and report.br_size > 0
    assert gzip.decompress((published / "open.json.gz").read_bytes()) == big
    assert not (published / "open.json.br").exists()
    assert (published / "small.json.br").is_file()
    assert [ext for ext, _ in siblings("open.json", big)] == [".gz"]

    (staging / "open.json").hardlink_to(published / "open.json")
    report = precompress(staging, None, previous=published, linked={"open.json"})

    assert (report.linked, report.compressed) == (1, 0)
    assert (staging / "open.json.gz").samefile(published / "open.json.gz")
    assert not (staging / "open.json.br").exists()


def test_binary_and_already_compressed_files_get_no_siblings(site):
    """Photos are compressed images (the search index is JSON since issue 11: a text, precompressed)."""
    others = [p for p in originals(site) if p.suffix not in TEXT_SUFFIXES]
    assert any(p.suffix == ".webp" for p in others) and any(p.suffix == ".jpg" for p in others)
    for path in others:
        assert not Path(f"{path}.gz").exists() and not Path(f"{path}.br").exists(), path


def test_gzip_header_has_no_name_and_no_time(site):
    head = (site / "index.html.gz").read_bytes()[:10]
    assert head[:3] == b"\x1f\x8b\x08"
    assert head[3] & 0x08 == 0, "FNAME flag set: the file name would make output depend on the build folder"
    assert head[4:8] == b"\0\0\0\0", "a time in the header would make every build differ"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


SAMPLE = ("index.html", "en/index.html", "feeds/", "theme/css/", "theme/js/", "sitemap.xml", "robots.txt")


def _copy_texts(site: Path, to: Path) -> Path:
    """Some of the sample site's text files, without their siblings (a build's output before precompression).

    Some, not all: brotli at quality 11 is slow, and every kind of text file is already checked above."""
    for name in text_names(site):
        if not name.startswith(SAMPLE):
            continue
        dest = to / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / name, dest)
    return to


def test_reproducible_and_cached_by_content(site, tmp_path):
    first = _copy_texts(site, tmp_path / "a")
    cache = tmp_path / "cache"
    report = precompress(first, cache)
    assert report.files == report.compressed > 15 and report.reused == 0
    assert report.br_size < report.gz_size < report.size

    # Another folder, no cache: the same bytes.
    second = _copy_texts(site, tmp_path / "b")
    precompress(second)
    assert _tree(first) == _tree(second)

    # A rebuild where one page changed compresses that page only, and gives the same siblings as without the cache.
    third = _copy_texts(site, tmp_path / "c")
    page = third / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>changed</p></main>"))
    again = precompress(third, cache)
    assert (again.compressed, again.reused) == (1, report.files - 1)
    assert gzip.decompress((third / "index.html.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress((third / "index.html.br").read_bytes()) == page.read_bytes()
    fresh = _copy_texts(third, tmp_path / "d")
    precompress(fresh)
    assert _tree(third) == _tree(fresh)
    # The cache keeps what the last build used, no more: the old home page's entries are gone.
    assert len(list(cache.glob("*/*"))) == 2 * report.files


@pytest.mark.parametrize(
    ("override", "expected"),
    [({}, True), ({"OCOP_PREVIEW": True}, False), ({"OCOP_PRECOMPRESS": False}, False)],
)
def test_plugin_runs_on_the_finished_build_but_not_in_preview(tmp_path, override, expected):
    out = tmp_path / "out"
    (out / "feeds").mkdir(parents=True)
    (out / "feeds" / "x.csv").write_text("id,name\nbt-1,Nước mắm\n", encoding="utf-8")
    settings = with_defaults({"OCOP_CACHE_PATH": str(tmp_path / "cache"), **override})
    _finalized(types.SimpleNamespace(settings=settings, output_path=str(out)))
    assert (out / "feeds" / "x.csv.br").exists() is expected
    assert (out / "feeds" / "x.csv.gz").exists() is expected


def test_a_page_linked_from_the_published_version_gets_its_siblings_linked(tmp_path):
    """An incremental build hard-links unchanged pages; their .gz/.br are linked too, never rewritten in place."""
    published, staging, scratch = tmp_path / "1", tmp_path / "2", tmp_path / "scratch"
    for folder in (published, staging, scratch):
        (folder / "a").mkdir(parents=True)
    (published / "a" / "index.html").write_text("<p>unchanged</p>" * 50, encoding="utf-8")
    (published / "old.html").write_text("<p>before</p>", encoding="utf-8")
    precompress(published, tmp_path / "cache-1")
    published_br = (published / "a" / "index.html.br").read_bytes()
    (staging / "a" / "index.html").hardlink_to(published / "a" / "index.html")
    (staging / "old.html").write_text("<p>after</p>", encoding="utf-8")  # same name, new bytes: not linked
    for name in ("a/index.html", "old.html"):
        shutil.copyfile(staging / name, scratch / name)

    report = precompress(staging, tmp_path / "cache-2", previous=published, linked={"a/index.html"})

    assert (staging / "a" / "index.html.br").samefile(published / "a" / "index.html.br")
    assert (staging / "a" / "index.html.gz").samefile(published / "a" / "index.html.gz")
    assert not (staging / "old.html.br").samefile(published / "old.html.br")
    assert (published / "a" / "index.html.br").read_bytes() == published_br
    assert gzip.decompress((published / "old.html.gz").read_bytes()) == b"<p>before</p>"
    assert report.files == 2 and report.compressed == 1
    precompress(scratch, tmp_path / "cache-3")
    for name in ("a/index.html", "old.html"):
        for ext in ENCODINGS:
            assert Path(f"{staging / name}{ext}").read_bytes() == Path(f"{scratch / name}{ext}").read_bytes()


def test_the_default_quality_is_the_settings_and_the_window_holds_each_file():
    """Quality 8 (why: compress.py, figures: README); the window is the smallest that holds the whole file."""
    assert with_defaults({})["OCOP_BROTLI_QUALITY"] == DEFAULT_QUALITY == 8
    for size in (0, 1, 1008, 1009, 10_000, 2**20 - 16, 2**20 - 15, 5_000_000, 10**9):
        lgwin = window(size)
        assert 10 <= lgwin <= 24
        assert (1 << lgwin) - 16 >= size or lgwin == 24  # brotli's window holds 2**lgwin - 16 bytes
        assert lgwin == 10 or (1 << (lgwin - 1)) - 16 < size  # and no larger than needed


def test_siblings_decompress_to_the_file_at_every_quality(tmp_path):
    page = ("<li>Nước mắm Phan Thiết — đặc sản</li>" * 400).encode()
    for quality in (0, 5, 8, 10, 11):
        folder = tmp_path / str(quality)
        folder.mkdir()
        (folder / "index.html").write_bytes(page)
        (folder / "tiny.txt").write_bytes(b"x")
        precompress(folder, None, 1, quality)
        for name, data in (("index.html", page), ("tiny.txt", b"x")):
            for ext in ENCODINGS:
                assert DECODE[ext](Path(f"{folder / name}{ext}").read_bytes()) == data


def test_files_of_the_same_bytes_compressed_at_once_share_one_cache_entry(tmp_path):
    """Many files with one content (one cache key), on many threads: each gets its siblings, the cache one entry."""
    site = tmp_path / "site"
    for i in range(300):
        (site / f"p{i}").mkdir(parents=True)
        (site / f"p{i}" / "qr.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h4"/></svg>')
    report = precompress(site, tmp_path / "cache", workers=8)
    assert report.files == 300 and len(list((tmp_path / "cache").glob("*/*"))) == 2
    for i in range(300):
        assert gzip.decompress((site / f"p{i}" / "qr.svg.gz").read_bytes()).startswith(b"<svg")


def test_compressing_again_never_writes_into_the_cache_or_a_published_file(tmp_path):
    """An incremental build's siblings may be links to the published version's: a page that changes gets
    new siblings, and the published ones (and the cache) keep their bytes."""
    published, staging, cache = tmp_path / "1", tmp_path / "2", tmp_path / "cache"
    published.mkdir()
    staging.mkdir()
    (published / "index.html").write_text("<p>một</p>" * 100, encoding="utf-8")
    precompress(published, cache)
    entries = {p: p.read_bytes() for p in cache.glob("*/*")}
    (staging / "index.html").hardlink_to(published / "index.html")
    precompress(staging, cache, previous=published, linked={"index.html"})
    assert (staging / "index.html.br").samefile(published / "index.html.br")

    (staging / "index.html").unlink()  # the build writes a changed page as a new file
    (staging / "index.html").write_text("<p>hai</p>" * 100, encoding="utf-8")
    again = precompress(staging, cache)

    assert again.compressed == 1
    assert brotli.decompress((staging / "index.html.br").read_bytes()) == ("<p>hai</p>" * 100).encode()
    assert brotli.decompress((published / "index.html.br").read_bytes()) == ("<p>một</p>" * 100).encode()
    assert gzip.decompress((published / "index.html.gz").read_bytes()) == ("<p>một</p>" * 100).encode()
    for entry, data in entries.items():
        assert not entry.exists() or entry.read_bytes() == data
    # and a cached copy is a copy: a published file's link count says only "kept from the version before"
    fresh = tmp_path / "3"
    fresh.mkdir()
    (fresh / "index.html").write_text("<p>hai</p>" * 100, encoding="utf-8")
    assert precompress(fresh, cache).reused == 1
    assert all(Path(f"{fresh / 'index.html'}{ext}").stat().st_nlink == 1 for ext in ENCODINGS)


def test_text_names_lists_every_text_file_but_those_skipped_and_not_linked_folders(tmp_path):
    """The listing is os.walk's (files of a linked folder are not listed twice), as relative sorted names."""
    site = tmp_path / "site"
    # and a folder named like a text file is walked into, a name of dots and a suffix is no text (os.path.splitext)
    for name in (
        "index.html",
        "a/b/page.HTML",
        "a/data.json",
        "a/photo.webp",
        "z/feed.csv",
        "a/b/x.html.gz",
        "..html",
        "d.json/in.txt",
    ):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(b"x")
    (site / "linked").symlink_to(site / "a", target_is_directory=True)
    walked = sorted(
        os.path.relpath(os.path.join(root, f), site)
        for root, _, files in os.walk(site)
        for f in files
        if os.path.splitext(f)[1].lower() in TEXT_SUFFIXES
    )
    assert text_names(site) == walked == ["a/b/page.HTML", "a/data.json", "d.json/in.txt", "index.html", "z/feed.csv"]
    assert text_names(site, skip={"a/data.json", "index.html"}) == ["a/b/page.HTML", "d.json/in.txt", "z/feed.csv"]


def test_a_linked_page_whose_published_siblings_are_gone_is_compressed(tmp_path):
    """A sibling missing from the published version (deleted by hand): the page is compressed, not left bare."""
    published, staging = tmp_path / "1", tmp_path / "2"
    (published / "a").mkdir(parents=True)
    (staging / "a").mkdir(parents=True)
    (published / "a" / "index.html").write_text("<p>một</p>" * 100, encoding="utf-8")
    precompress(published, tmp_path / "cache")
    (published / "a" / "index.html.br").unlink()
    (staging / "a" / "index.html").hardlink_to(published / "a" / "index.html")

    report = precompress(staging, tmp_path / "cache", previous=published, linked={"a/index.html"})

    assert (report.files, report.linked, report.reused) == (1, 0, 1)
    for ext in ENCODINGS:
        assert DECODE[ext](Path(f"{staging / 'a' / 'index.html'}{ext}").read_bytes()) == ("<p>một</p>" * 100).encode()
    assert not (published / "a" / "index.html.br").exists()  # the published version is only ever linked from


def test_only_named_files_get_their_siblings_linked(tmp_path):
    """A page linked from the published version but not named (the build rendered it anew) is compressed; a named
    one's siblings are linked without being read: the cache is not even consulted."""
    published, staging = tmp_path / "1", tmp_path / "2"
    published.mkdir()
    staging.mkdir()
    for name in ("a.html", "b.html"):
        (published / name).write_text(f"<p>{name}</p>" * 100, encoding="utf-8")
    precompress(published, None)
    for name in ("a.html", "b.html"):
        (staging / name).hardlink_to(published / name)

    report = precompress(staging, None, previous=published, linked={"a.html", "photo.webp"})

    assert (report.files, report.linked, report.compressed) == (2, 1, 1)
    assert (staging / "a.html.br").samefile(published / "a.html.br")
    assert not (staging / "b.html.br").samefile(published / "b.html.br")
    assert (staging / "b.html.br").read_bytes() == (published / "b.html.br").read_bytes()
    assert not (staging / "photo.webp.gz").exists()  # not a text file


@pytest.mark.parametrize(
    ("override", "expected"),
    [({}, True), ({"OCOP_PREVIEW": True}, False), ({"OCOP_PRECOMPRESS": False}, False)],
)
def test_the_build_is_given_the_encoders_only_when_it_precompresses(tmp_path, override, expected):
    """The catalogue's render workers compress each page as they write it, with what the plugin hands them."""
    from ocop_precompress import _generators_ready

    build = types.SimpleNamespace(compress=None)
    settings = with_defaults({"OCOP_CACHE_PATH": str(tmp_path / "cache"), "OCOP_BROTLI_QUALITY": 5, **override})
    generator = types.SimpleNamespace(context={"ocop": build}, settings=settings, output_path=str(tmp_path))
    _generators_ready([generator])
    assert (build.compress is not None) is expected
    if expected:
        page = ("<p>Nước mắm</p>" * 200).encode()
        assert dict(build.compress("a/index.html", page)) == dict(siblings("a/index.html", page, 5))
        assert build.compress("a/photo.webp", b"RIFF") == ()


def test_siblings_written_with_a_page_are_those_precompress_makes_and_are_left_be(tmp_path):
    """A rendered page's siblings come from its bytes in memory (rendering.FileWriter): byte for byte what the
    precompress step makes of the file, which neither reads them again nor keeps them in its cache."""
    from ocop_catalogue.rendering import FileWriter

    page, svg = ("<li>Nước mắm Phan Thiết</li>" * 300).encode(), b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    rendered, walked = tmp_path / "rendered", tmp_path / "walked"
    out = FileWriter(str(rendered), functools.partial(siblings, quality=DEFAULT_QUALITY))
    out.write_bytes("a/index.html", page)
    out.write_bytes("a/qr.svg", svg)
    out.write_bytes("a/photo.webp", b"RIFF")
    assert out.compressed == ["a/index.html", "a/qr.svg"]
    (rendered / "feed.csv").write_text("id\nbt-1\n", encoding="utf-8")  # another generator's file
    cache = tmp_path / "cache"
    report = precompress(rendered, cache, rendered=out.compressed)
    assert (report.files, report.rendered, report.compressed) == (3, 2, 1)
    assert len(list(cache.glob("*/*"))) == 2, "only the other file's siblings are kept"

    for name, data in (("a/index.html", page), ("a/qr.svg", svg), ("a/photo.webp", b"RIFF"), ("feed.csv", None)):
        (walked / name).parent.mkdir(parents=True, exist_ok=True)
        (walked / name).write_bytes(data if data is not None else (rendered / name).read_bytes())
    precompress(walked)
    assert _tree(rendered) == _tree(walked)


def test_the_cache_keeps_what_each_run_used_and_only_that(tmp_path):
    """Pruned after every run, linked files or not: what a run compressed or looked up stays, the rest goes."""
    published, staging, cache = tmp_path / "1", tmp_path / "2", tmp_path / "cache"
    published.mkdir()
    staging.mkdir()
    for name in ("page.html", "feed.xml", "old.json"):
        (published / name).write_text(f"<x>{name}</x>" * 50, encoding="utf-8")
    precompress(published, cache)
    assert len(list(cache.glob("*/*"))) == 6
    (staging / "page.html").hardlink_to(published / "page.html")
    (staging / "feed.xml").write_text("<x>feed.xml</x>" * 50, encoding="utf-8")  # written whole again, same bytes

    report = precompress(staging, cache, previous=published, linked={"page.html"})

    assert (report.linked, report.reused, report.compressed) == (1, 1, 0)
    kept = {p.name for p in cache.glob("*/*")}
    assert len(kept) == 2 and all(Path(f"{staging / 'feed.xml'}{ext}").is_file() for ext in ENCODINGS)
    assert precompress(staging, cache, previous=published, linked={"page.html"}).reused == 1
    assert {p.name for p in cache.glob("*/*")} == kept
