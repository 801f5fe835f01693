"""The search index and pages, without a browser (tests/test_search_browser.py drives Chromium)."""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace as NS

import pytest
from lxml import html

from ocop.text import fold
from ocop_search import index as search_index  # noqa: E402
from ocop_search import record  # noqa: E402


def _record(site, path):
    doc = html.fromstring((site / path).read_bytes())
    found = doc.xpath(".//*[@data-pagefind-body]")
    assert len(found) == 1, path
    return found[0]


def test_index_covers_every_product_in_both_languages(site, catalogue):
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"vi", "en"}
    for info in entry["languages"].values():
        assert info["page_count"] == len(catalogue.products)
        assert (site / f"pagefind/pagefind.{info['hash']}.pf_meta").is_file()
    assert (site / "pagefind/pagefind.js").is_file()
    assert not (site / "pagefind/pagefind-ui.js").exists()  # the ready-made UIs are not published


def test_only_product_pages_carry_a_search_record(site):
    marked = {p.relative_to(site).parts[0] for p in site.rglob("*.html") if b"data-pagefind-body" in p.read_bytes()}
    assert marked == {"san-pham", "en"}
    assert not any(
        b"data-pagefind-body" in p.read_bytes()
        for p in (site / "en").rglob("*.html")
        if "products" not in p.relative_to(site).parts
    )


def test_search_record_has_folded_words_filters_and_meta(site, catalogue):
    p = catalogue.by_slug["keo-dieu-thap-cam-nam-trang"]
    vi = _record(site, "san-pham/keo-dieu-thap-cam-nam-trang/index.html")
    assert vi.get("hidden") is not None  # readers see the page itself; only Pagefind reads this
    text = " ".join(vi.text_content().split())
    assert "Kẹo điều thập cẩm Năm Trang" in text and "Đức Linh" in text
    assert "duc" in text.split() and "dieu" in text.split()  # "duc linh" finds Đức Linh
    assert "4 sao" in text
    filters = {
        e.get("data-pagefind-filter").split("[")[0]: e.get("data-v") for e in vi.xpath(".//*[@data-pagefind-filter]")
    }
    assert filters == {
        "province": "Lâm Đồng",  # the current province (issue 10)
        "district": "Đức Linh (Bình Thuận)",
        "stars": "4 sao",
        "group": "Thực phẩm",
        "set": "Chế biến từ rau, củ, quả, hạt",  # issue 12: the product set is a filter, not text
        "kind": "Hộ sản xuất, kinh doanh",
    }  # no `certificate`: only lapsed products have one
    assert "Chế biến từ rau" not in text
    meta = {e.get("data-pagefind-meta").split("[")[0]: e.get("data-v") for e in vi.xpath(".//*[@data-pagefind-meta]")}
    assert meta["title"] == p.name.vi and meta["stars"] == "4" and meta["status"] == "active"
    assert meta["thumb"].startswith(f"media/{p.id}/") and (site / meta["thumb"]).is_file()
    assert (
        meta["webp"].startswith(f"media/{p.id}/") and meta["webp"].endswith(".webp") and (site / meta["webp"]).is_file()
    )
    # issue 10: the current place first, the former district after
    assert meta["place"].lower().endswith("tỉnh lâm đồng") and meta["former"] == "trước 7/2025: huyện Đức Linh"
    assert meta["group"] == "food" and meta["group_label"] == "Thực phẩm"
    en = _record(site, "en/products/keo-dieu-thap-cam-nam-trang/index.html")
    en_filters = {
        e.get("data-pagefind-filter").split("[")[0]: e.get("data-v") for e in en.xpath(".//*[@data-pagefind-filter]")
    }
    assert (
        en_filters["stars"] == "4 stars"
        and en_filters["group"] == "Food"
        and en_filters["kind"] == "Household business"
    )
    assert "4 stars" in en.text_content()


def test_lapsed_products_are_indexed_as_lapsed(site, catalogue):
    assert catalogue.lapsed and catalogue.listed
    for p in catalogue.products:
        rec = _record(site, f"san-pham/{p.slug}/index.html")
        cert = [e.get("data-v") for e in rec.xpath('.//*[starts-with(@data-pagefind-filter, "certificate")]')]
        assert cert == ([] if p.status.listed else ["lapsed"]), p.slug


def test_folded_words_only_add_what_differs():
    p = NS(
        name=NS(get=lambda lang: "Cải dún Đức Hạnh", vi="Cải dún Đức Hạnh"),
        producer=NS(name="HTX Đức Hạnh"),
        commune=None,
        district=NS(name="Đức Linh"),
        province=NS(name="Bình Thuận"),
    )
    words = record.folded_words(p, "vi").split()
    assert words == ["cai", "dun", "duc", "hanh", "binh", "thuan"]
    assert all(w == fold(w) for w in words)


def test_search_box_on_every_page_and_twin_search_pages(site):
    for path in (
        "index.html",
        "en/index.html",
        "san-pham/nuoc-mam-toan-huong/index.html",
        "danh-muc/index.html",
        "gioi-thieu-ocop/index.html",
        "en/about-ocop/index.html",
    ):
        doc = html.fromstring((site / path).read_bytes())
        form = doc.xpath(".//header//form[@class='search-box']")
        assert len(form) == 1, path
        assert form[0].get("method") == "get" and form[0].xpath(".//input[@name='q']")
        assert form[0].get("action").endswith("tim-kiem/" if "en/" not in path else "en/search/"), path
    vi = html.fromstring((site / "tim-kiem/index.html").read_bytes())
    en = html.fromstring((site / "en/search/index.html").read_bytes())
    assert vi.get("lang") == "vi" and en.get("lang") == "en"
    assert vi.xpath('.//link[@hreflang="en"]')[0].get("href") == "https://ocop.example.org/en/search/"
    assert en.xpath('.//link[@hreflang="vi"]')[0].get("href") == "https://ocop.example.org/tim-kiem/"
    assert vi.xpath(".//a[@class='lang-switch']")[0].get("href") == "../en/search/"
    strings = json.loads(vi.xpath(".//*[@id='search-strings']")[0].text)
    assert strings["found_many"] == "Tìm thấy {n} sản phẩm" and strings["order_group"][0] == "Thực phẩm"
    assert vi.xpath(".//noscript//a")  # without JavaScript, the page points to the listings
    assert (site / "theme/js/search.js").is_file()


def test_index_refuses_product_pages_without_a_search_record(tmp_path):
    page = tmp_path / "san-pham" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html lang="vi"><body><h1>X</h1></body></html>', encoding="utf-8")
    with pytest.raises(search_index.SearchIndexError) as err:
        search_index.build_index(tmp_path, expected=1)
    message = str(err.value)
    assert str(tmp_path / "san-pham") in message and "0 product pages have a search record" in message
    assert "expected 1" in message and str(page) in message and "search_record.html" in message


def test_redirects_at_former_addresses_are_not_indexed(tmp_path, site, catalogue):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    redirect = copy / "san-pham" / "ten-cu" / "index.html"  # what a product's former slug leaves behind
    redirect.parent.mkdir()
    redirect.write_text(
        '<html lang="vi"><head><meta http-equiv="refresh" content="0; url=../moi/"></head></html>', encoding="utf-8"
    )
    products = len(catalogue.products)
    assert search_index.build_index(copy, expected=products) == 2 * products


def test_reindexing_gives_the_same_bytes(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    search_index.build_index(copy)
    again = {f.relative_to(copy): f.read_bytes() for f in (copy / "pagefind").rglob("*") if f.is_file()}
    # The build also writes .gz/.br siblings of Pagefind's scripts (ocop_precompress) after indexing: not compared.
    before = {
        f.relative_to(site): f.read_bytes()
        for f in (site / "pagefind").rglob("*")
        if f.is_file() and f.suffix not in (".gz", ".br")
    }
    assert again == before


def test_index_can_be_switched_off(tmp_path):
    from conftest import build_site

    out = tmp_path / "output"
    assert build_site(out, OCOP_SEARCH_INDEX=False) == 0
    assert not (out / "pagefind").exists()
    assert (out / "tim-kiem/index.html").is_file() and (out / "en/search/index.html").is_file()
