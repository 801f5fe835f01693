"""ocop.published.scan: the guarded pages and media files of a built folder, found with os.scandir/os.walk,
are exactly what Path.glob/rglob find (the simple spelling it replaced for speed)."""

from __future__ import annotations

import os
from pathlib import Path

from ocop import published, urls


def by_glob(folder: Path) -> tuple[frozenset[str], frozenset[str]]:
    pages: set[str] = set()
    for prefix in published.guarded_prefixes():
        base = folder / prefix
        if base.is_dir():
            pages.update(prefix + page.parent.name + "/" for page in base.glob("*/index.html"))
    root = folder / urls.MEDIA_DIR
    media = {f.relative_to(folder).as_posix() for f in root.rglob("*") if f.is_file()} if root.is_dir() else set()
    return frozenset(pages), frozenset(media)


def touch(path: Path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_scan_finds_what_glob_finds(tmp_path):
    site = tmp_path / "site"
    prefixes = published.guarded_prefixes()
    for prefix in prefixes:
        touch(site / prefix / "mot" / "index.html")
        touch(site / prefix / ".an" / "index.html")  # hidden folders count, as with glob
        touch(site / prefix / "khong-trang" / "other.html")  # no index.html: not a page
        touch(site / prefix / "tep.html")  # a file, not a folder
    (site / prefixes[0] / "trang-thu-muc" / "index.html").mkdir(parents=True)  # glob matches a folder named so
    elsewhere = tmp_path / "elsewhere"
    touch(elsewhere / "index.html")
    touch(elsewhere / "linked.webp")
    (site / prefixes[0] / "lien-ket").symlink_to(elsewhere, target_is_directory=True)
    media = site / urls.MEDIA_DIR
    touch(media / "ld-ph-0001" / "chai-400.webp")
    touch(media / "ld-ph-0001" / "qr.svg")
    touch(media / "a" / "b" / "c.jpg")
    (media / "theo-lien-ket").symlink_to(elsewhere, target_is_directory=True)  # not followed, as by rglob
    (media / "ld-ph-0001" / "tep-lien-ket.jpg").symlink_to(elsewhere / "linked.webp")  # a file: counted
    (media / "gay.jpg").symlink_to(tmp_path / "nowhere")  # a broken link: not a file
    (media / "rong").mkdir()
    found = published.scan(site)
    assert found == by_glob(site)
    pages, files = found
    assert f"{prefixes[0]}mot/" in pages and f"{prefixes[0]}lien-ket/" in pages
    assert f"{prefixes[0]}khong-trang/" not in pages
    assert "media/ld-ph-0001/tep-lien-ket.jpg" in files and "media/a/b/c.jpg" in files
    assert not any("theo-lien-ket" in f or "gay" in f for f in files)


def test_scan_of_no_folder_is_empty(tmp_path):
    assert published.scan(tmp_path / "missing") == (frozenset(), frozenset())
    assert published.scan(tmp_path) == by_glob(tmp_path) == (frozenset(), frozenset())
    os.makedirs(tmp_path / urls.MEDIA_DIR)
    assert published.scan(tmp_path) == (frozenset(), frozenset())
