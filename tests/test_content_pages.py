"""A content page may not take an address the catalogue uses (plugins/ocop_catalogue/content_pages.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from ocop import site_folder
from ocop_catalogue import content_pages
from ocop_catalogue.site import Page

from conftest import BUILD_DATE


def _page(url: str, source: str = "/s/content/pages/x.md", slug: bool = True) -> SimpleNamespace:
    return SimpleNamespace(
        url=url, save_as=url + "index.html", source_path=source, metadata={"slug": "x"} if slug else {}
    )


PLANNED = [
    Page("listing.html", {"vi": "thong-ke/", "en": "en/statistics/"}, "vi"),
    Page("listing.html", {"vi": "thong-ke/", "en": "en/statistics/"}, "en"),
]
SETTINGS = {"PATH": "/s/content", "THEME_STATIC_DIR": "theme"}


@pytest.mark.parametrize(
    "url",
    ["thong-ke/", "en/statistics/", "san-pham/", "en/products/", "media/", "feeds/", "theme/", "admin/", "en/"],
)
def test_an_address_of_the_catalogue_is_refused(url):
    (found,) = content_pages.check([_page(url)], PLANNED, SETTINGS)
    assert found.file == "content/pages/x.md"
    assert found.field == "Slug"
    assert f"/{url}" in found.text("vi") and "Slug" in found.text("vi")
    assert "địa chỉ" in found.text("vi")


@pytest.mark.parametrize("url", ["gioi-thieu-ocop/", "en/about-ocop/", "san-pham-moi/", "en/statistics-2025/"])
def test_other_addresses_are_free(url):
    assert content_pages.check([_page(url)], PLANNED, SETTINGS) == []


def test_the_line_is_the_slug_or_else_the_title(tmp_path):
    source = tmp_path / "content" / "pages" / "p.md"
    source.parent.mkdir(parents=True)
    source.write_text("Title: Thống kê\nLang: vi\nSlug: thong-ke\n\nVăn bản.\n", encoding="utf-8")
    settings = dict(SETTINGS, PATH=str(tmp_path / "content"))
    (with_slug,) = content_pages.check([_page("thong-ke/", str(source))], PLANNED, settings)
    assert (with_slug.file, with_slug.line, with_slug.field) == ("content/pages/p.md", 3, "Slug")
    (from_title,) = content_pages.check([_page("thong-ke/", str(source), slug=False)], PLANNED, settings)
    assert (from_title.line, from_title.field) == (1, "Title")


def test_a_build_with_such_a_page_publishes_nothing_and_says_why_in_vietnamese(tmp_path):
    folder = tmp_path / "site"
    site_folder.create(folder)
    with (folder / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write(f'OCOP_BUILD_DATE = "{BUILD_DATE}"\nOCOP_SEARCH_INDEX = False\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCOP_")}
    command = [sys.executable, "-m", "ocop_catalogue.command", "build"]
    first = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    published = (folder / "output").resolve()
    before = sorted(p.relative_to(published) for p in published.rglob("*"))
    page = folder / "content" / "pages" / "trang-moi.md"
    page.write_text("Title: Trang mới\nSlug: san-pham\nLang: vi\n\nVăn bản.\n", encoding="utf-8")
    second = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    assert second.returncode == 1, second.stderr
    assert "content/pages/trang-moi.md:2: lỗi: trường 'Slug':" in second.stderr, second.stderr
    assert "địa chỉ /san-pham/ của trang" in second.stderr
    assert (folder / "output").resolve() == published
    assert sorted(p.relative_to(published) for p in published.rglob("*")) == before


def test_a_page_without_a_key_is_published_without_a_twin(tmp_path):
    folder = tmp_path / "site"
    site_folder.create(folder)
    with (folder / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write(f'OCOP_BUILD_DATE = "{BUILD_DATE}"\nOCOP_SEARCH_INDEX = False\n')
    (folder / "content" / "pages" / "lich-hoi-cho.md").write_text(
        "Title: Lịch hội chợ\nLang: vi\n\nHội chợ OCOP tháng 12.\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCOP_")}
    done = subprocess.run(
        [sys.executable, "-m", "ocop_catalogue.command", "build"], cwd=folder, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    page = (folder / "output" / "lich-hoi-cho" / "index.html").read_text(encoding="utf-8")
    assert "Hội chợ OCOP tháng 12." in page
