"""The public site on both maps (issue 10): current provinces, former districts, post-reform records.

Real place data throughout (the gazetteer of `ocop.places`), on the sample catalogue built once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import html

from ocop import urls
from ocop.places import gazetteer
from ocop.text import fold
from ocop_catalogue.filters import place_parts, place_text
from ocop_search.record import folded_words, places

from conftest import PROJECT, build_site


def page(site: Path, url: str):
    path = site / url / "index.html"
    assert path.is_file(), f"{url} was not written"
    return html.fromstring(path.read_bytes())


def hrefs(doc) -> set[str]:
    return {a.get("href") for a in doc.xpath("//main//a | //nav//a")}


def text(doc) -> str:
    return " ".join(doc.text_content().split())


def test_current_and_former_lam_dong_have_their_own_urls():
    gaz = gazetteer()
    current = gaz.find_province("Lâm Đồng").place
    former = gaz.find_former_province("Lâm Đồng").place
    assert current.slug == former.slug == "lam-dong"  # the clash the namespaces avoid
    assert urls.current_province(current, "vi") == "tinh/lam-dong/"
    assert urls.current_province(current, "en") == "en/provinces/lam-dong/"
    assert urls.province(former, "vi") == "dia-phuong/lam-dong/"  # as published before the reform
    assert urls.province(former, "en") == "en/districts/lam-dong/"
    phan_thiet = gaz.find_district("Phan Thiết").place
    assert urls.district(phan_thiet, "vi") == "dia-phuong/binh-thuan/phan-thiet/"


def test_place_text_on_both_maps_in_both_languages(catalogue):
    p = catalogue.by_id["ld-dg-0001"]  # written as "Xã Đông Giang", Lâm Đồng, after the reform
    assert place_text(p, "vi") == "Xã Đông Giang, tỉnh Lâm Đồng (trước 7/2025: huyện Hàm Thuận Bắc, tỉnh Bình Thuận)"
    assert place_text(p, "en") == (
        "Đông Giang commune, Lâm Đồng province (before 7/2025: Hàm Thuận Bắc district, Bình Thuận province)"
    )
    ward = catalogue.by_id["ld-mn-0001"]
    assert place_parts(ward, "vi") == ("Phường Mũi Né, tỉnh Lâm Đồng", "thành phố Phan Thiết, tỉnh Bình Thuận")
    assert place_parts(ward, "en")[0] == "Mũi Né ward, Lâm Đồng province"
    zone = catalogue.by_id["ld-pq-0001"]
    assert place_parts(zone, "vi")[0] == "Đặc khu Phú Quý, tỉnh Lâm Đồng"
    assert place_parts(zone, "en")[0] == "Phú Quý special zone, Lâm Đồng province"
    hanoi = catalogue.by_id["hn-to-0001"]
    assert place_text(hanoi, "vi") == "Xã Thanh Oai, thành phố Hà Nội (trước 7/2025: huyện Thanh Oai, thành phố Hà Nội)"
    assert place_parts(hanoi, "en")[0] == "Thanh Oai commune, Hà Nội city"
    ward_spanning = catalogue.by_id["ld-hthg-0001"]  # a ward formed from two districts: the record says which
    assert place_parts(ward_spanning, "vi")[1] == "huyện Hàm Thuận Bắc, tỉnh Bình Thuận"
    old = catalogue.by_id["nt-np-0001"]  # a former-map record of a province that is now part of Khánh Hòa
    assert place_parts(old, "vi")[1] == "huyện Ninh Phước, tỉnh Ninh Thuận"
    assert place_parts(old, "vi")[0] == "Tỉnh Khánh Hòa"  # no commune named: the current one is not known
    tan_xuan = catalogue.by_id["bt-ht-0001"]  # a former commune: named in the former part
    assert place_parts(tan_xuan, "vi")[1] == "xã Tân Xuân, huyện Hàm Tân, tỉnh Bình Thuận"


def test_product_page_shows_both_maps_and_links_both(site):
    vi = page(site, "san-pham/mat-ong-rung-dong-giang/")
    assert "Xã Đông Giang, tỉnh Lâm Đồng (trước 7/2025: huyện Hàm Thuận Bắc, tỉnh Bình Thuận)" in text(vi)
    links = hrefs(vi)
    assert any(h.endswith("tinh/lam-dong/") for h in links)
    assert any(h.endswith("dia-phuong/binh-thuan/ham-thuan-bac/") for h in links)
    crumbs = [a.text_content() for a in vi.xpath("//nav[contains(@class, 'breadcrumbs')]//a")]
    assert crumbs[:3] == ["Trang chủ", "Lâm Đồng", "Hàm Thuận Bắc"]
    en = page(site, "en/products/mat-ong-rung-dong-giang/")
    assert "Đông Giang commune, Lâm Đồng province (before 7/2025: Hàm Thuận Bắc district, Bình Thuận province)" in text(
        en
    )
    assert any(h.endswith("en/provinces/lam-dong/") for h in hrefs(en))


def test_current_province_page_lists_former_provinces_and_districts(site, catalogue):
    entry = next(e for e in catalogue.current_provinces if e.province.name == "Lâm Đồng")
    assert [f.province.name for f in entry.former] == ["Bình Thuận", "Đắk Nông", "Lâm Đồng"]
    for lang, prefix in (("vi", "tinh/lam-dong/"), ("en", "en/provinces/lam-dong/")):
        doc = page(site, prefix)
        links = hrefs(doc)
        for f in entry.former:
            assert any(h.endswith(urls.province(f.province, lang)) for h in links)
            for d in f.districts:
                assert any(h.endswith(urls.district(d.district, lang)) for h in links), d.district
        assert doc.xpath("string(//h1)").startswith("Lâm Đồng")
    counts = page(site, "tinh/lam-dong/").xpath("//section[@aria-labelledby='former-dak-nong']//li")
    assert {" ".join(li.text_content().split()) for li in counts} == {"Cư Jút 1", "Đắk Mil 1", "Gia Nghĩa 1"}
    for other in ("dien-bien", "dong-nai", "khanh-hoa", "ha-noi"):
        page(site, f"tinh/{other}/")
        page(site, f"en/provinces/{other}/")
    # The former-map pages published before the reform are still there
    for url in ("dia-phuong/binh-thuan/", "dia-phuong/binh-thuan/phan-thiet/", "dia-phuong/binh-phuoc/dong-phu/"):
        page(site, url)


def test_home_links_current_provinces_and_only_places_with_listed_products(site, catalogue):
    doc = page(site, "")
    links = hrefs(doc)
    listed = [e for e in catalogue.current_provinces if e.products]
    assert {e.province.name for e in listed} == {"Lâm Đồng", "Điện Biên", "Đồng Nai", "Khánh Hòa", "Hà Nội"}
    for e in listed:
        assert any(h.endswith(urls.current_province(e.province, "vi")) for h in links)
    assert doc.xpath("string(//h1)") == "Sản phẩm OCOP Lâm Đồng"
    # Đồng Phú's one product has lapsed: no tile for it on the home page, and no empty heading anywhere
    assert not any(h.endswith("dia-phuong/binh-phuoc/dong-phu/") for h in links)
    for h in doc.xpath("//main//h3"):
        assert h.getnext() is not None and h.getnext().xpath(".//li"), text(h)
    # ... but the browse page lists it, and its page links to the lapsed products
    browse = hrefs(page(site, "danh-muc/"))
    assert any(h.endswith("dia-phuong/binh-phuoc/dong-phu/") for h in browse)
    assert any(h.endswith("het-hieu-luc/") for h in hrefs(page(site, "dia-phuong/binh-phuoc/dong-phu/")))


def test_search_record_knows_both_maps(catalogue):
    mui_ne = catalogue.by_id["ld-mn-0001"]
    names = places(mui_ne)
    for name in ("Phường Mũi Né", "Lâm Đồng", "Bình Thuận", "Thành phố Phan Thiết"):
        assert name in names
    words = folded_words(mui_ne, "vi").split()
    assert {"phuong", "mui", "ne", "lam", "dong", "binh", "thuan"} <= set(words)
    pepper = catalogue.by_id["ld-dm-0001"]
    assert "Đắk Nông" in places(pepper) and "dak" in folded_words(pepper, "vi").split()
    grapes = catalogue.by_id["kh-ph-0001"]
    assert "Khánh Hòa" in places(grapes) and "Ninh Thuận" in places(grapes)
    assert {"khanh", "hoa"} <= set(fold(places(grapes)).replace(",", " ").split())


def test_a_national_site_builds_the_same_records(tmp_path, catalogue):
    products, showrooms = tmp_path / "products", tmp_path / "content" / "showrooms"
    shutil.copytree(PROJECT / "products", products)
    shutil.copytree(PROJECT / "content" / "showrooms", showrooms)
    # A national site reads no default province: every sample record names its own, as staff tools write it
    out = tmp_path / "output"
    assert build_site(out, products, OCOP_SCOPE="national", OCOP_SHOWROOMS_PATH=str(showrooms)) == 0
    home = page(out, "")
    assert home.xpath("string(//h1)") == "Sản phẩm OCOP Việt Nam"
    links = hrefs(home)
    for name in ("lam-dong", "dien-bien", "dong-nai", "khanh-hoa", "ha-noi"):
        assert any(h.endswith(f"tinh/{name}/") for h in links), name
    assert not home.xpath("//section[@aria-labelledby='by-district']")  # ~700 districts: not on the home page
    for p in catalogue.products:
        page(out, f"san-pham/{p.slug}/")
        page(out, f"en/products/{p.slug}/")


@pytest.mark.parametrize("query", ["khanh hoa", "Khánh Hòa"])
def test_fold_matches_the_indexed_words(query, catalogue):
    grapes = catalogue.by_id["kh-ph-0001"]
    indexed = set((places(grapes) + " " + folded_words(grapes, "vi")).lower().replace(",", " ").split())
    assert set(query.lower().split()) <= indexed


def _jsonld(site: Path, url: str) -> dict:
    import json

    doc = page(site, url)
    (script,) = doc.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    return next(d for d in (data if isinstance(data, list) else [data]) if d.get("@type") in ("Product", "Service"))


def test_jsonld_address_uses_the_current_map(site, catalogue):
    for url in ("san-pham/mat-ong-rung-dong-giang/", "en/products/mat-ong-rung-dong-giang/"):
        address = _jsonld(site, url)["manufacturer"]["address"]
        assert address["addressRegion"] == "Lâm Đồng" and address["addressLocality"] == "Xã Đông Giang"
    # A former-map record without a commune: the current province, and its former district as the locality
    address = _jsonld(site, "san-pham/tra-shan-tuyet-diep-thanh-tra/")["manufacturer"]["address"]
    assert address["addressRegion"] == "Điện Biên" and address["addressLocality"] == "Tủa Chùa"
    bp = catalogue.by_id["bp-dp-0001"]
    address = _jsonld(site, f"san-pham/{bp.slug}/")["manufacturer"]["address"]
    assert address["addressRegion"] == "Đồng Nai"  # not Bình Phước, which no longer exists


def test_open_data_carries_both_maps(site):
    import json

    doc = json.loads((site / "feeds/ocop-products.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == "1.3.0"  # 1.3.0: the current map in the CSV too
    by_id = {r["id"]: r for r in doc["products"]}
    place = by_id["ld-dg-0001"]["place"]
    assert place["province"] == "Bình Thuận" and place["district"] == "Hàm Thuận Bắc"  # former, as since 1.0
    assert place["current_province"] == "Lâm Đồng" and place["current_commune"] == "Xã Đông Giang"
    assert isinstance(place["current_commune_code"], int) and place["former_commune"] is None
    old = by_id["bt-ht-0001"]["place"]  # a former commune named: its current one derived
    assert old["former_commune"] == "Xã Tân Xuân" and old["current_province"] == "Lâm Đồng"
    assert by_id["kh-ph-0001"]["place"]["province"] == "Ninh Thuận"
    assert by_id["kh-ph-0001"]["place"]["current_province"] == "Khánh Hòa"


def test_open_data_csv_carries_both_maps(site):
    import csv
    import io

    text = (site / "feeds/ocop-products.csv").read_text(encoding="utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    header = next(csv.reader(io.StringIO(text)))
    # the former map's columns where they were, then the current map's
    at = header.index("commune")
    assert header[at - 2 : at + 5] == [
        *("province", "district", "commune"),
        *("current_province", "current_province_code", "current_commune", "current_commune_code"),
    ]
    dong_giang = rows["ld-dg-0001"]
    assert (dong_giang["province"], dong_giang["district"]) == ("Bình Thuận", "Hàm Thuận Bắc")
    assert (dong_giang["current_province"], dong_giang["current_commune"]) == ("Lâm Đồng", "Xã Đông Giang")
    assert dong_giang["current_province_code"] == "68" and dong_giang["current_commune_code"].isdigit()
    ninh_thuan = rows["kh-ph-0001"]
    assert (ninh_thuan["province"], ninh_thuan["current_province"]) == ("Ninh Thuận", "Khánh Hòa")
    # a former district whose communes went to several current ones: the current commune is left empty
    duc_linh = next(r for r in rows.values() if r["district"] == "Đức Linh" and r["id"].startswith("bt-"))
    assert duc_linh["current_province"] == "Lâm Đồng"
    assert all(r["current_commune"] or not r["current_commune_code"] for r in rows.values())


def test_merchant_detail_names_the_current_place_and_the_former_district(catalogue):
    from ocop.feeds.merchant import _place

    assert _place(catalogue.by_id["ld-dg-0001"]) == "Xã Đông Giang, Lâm Đồng (Hàm Thuận Bắc, Bình Thuận)"
    assert _place(catalogue.by_id["bp-dp-0001"]).startswith("Xã Đồng Phú, Đồng Nai (Đồng Phú, Bình Phước)")


def test_synthetic_catalogue_covers_every_province_with_both_kinds_of_records(tmp_path):
    from ocop.problems import Severity
    from ocop.records import read_records

    from bench.synthetic import generate

    generate(tmp_path / "products", n=1400)
    products, problems = read_records(tmp_path / "products", "national")
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    # Each certificate signed by the body of its date; Huế alone (a city since 1/2025, named by its 2025 name
    # before then) draws a warning
    assert all("Huế" in str(p.args) for p in problems if "issuer" in str(p))
    post = {p.current_province for p in products if p.place.era == "current"}
    pre = {p.current_province for p in products if p.place.era == "former"}
    assert len(post) == len(pre) == 34
    # Communes formed from several districts: the record names its district too
    assert any(p.place.commune and len(p.place.commune.former_districts) > 1 for p in products)


def test_about_page_explains_the_reform_in_both_languages(site):
    vi = text(page(site, "gioi-thieu-ocop/"))
    assert "202/2025/QH15" in vi and "34 tỉnh" in vi and "trước 7/2025" in vi
    en = text(page(site, "en/about-ocop/"))
    assert "202/2025/QH15" in en and "34 provinces" in en and "before 7/2025" in en


def test_former_province_page_leads_to_the_current_province(site):
    doc = page(site, "dia-phuong/binh-thuan/")
    crumbs = [a.text_content() for a in doc.xpath("//nav[contains(@class, 'breadcrumbs')]//a")]
    assert crumbs == ["Trang chủ", "Lâm Đồng"] and "trước 7/2025" in doc.xpath("string(//h1)")
    assert any(h.endswith("tinh/lam-dong/") for h in hrefs(doc))
