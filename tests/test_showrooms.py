"""Showrooms and sales points: records, references both ways, pages, GeoJSON and JSON-LD."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from pathlib import Path

import pytest
from lxml import html

from ocop.catalogue import Catalogue
from ocop.problems import Severity
from ocop.records import read_records
from ocop.showrooms import in_vietnam, link, read_showrooms

from conftest import BUILD_DATE, GOOD_RECORD, PROJECT, build_site, copy_sample_image, write

SAMPLE = PROJECT / "content" / "showrooms"
PRODUCT_SHOWROOM_IDS = {
    "ocop-phan-thiet",
    "ocop-binh-thuan",
    "diem-ban-mui-ne",
    "diem-ban-la-gi",
    "diem-ban-duc-linh",
    "coopmart-phan-thiet",
    "san-bay-phan-thiet",
    "ga-muong-man",
}

SHOWROOM = textwrap.dedent("""\
    id: diem-ban-thu
    name: {vi: "Điểm bán thử", en: "Test sales point"}
    kind: sales_point
    district: Phan Thiết
    address: "1 Đường Thử, phường Phú Thủy"
    geo: {lat: 10.93, lon: 108.10}
    opening_hours: "Mo-Fr 07:30-17:00; Sa 08:00-12:00"
    """)


def page(site: Path, url: str):
    path = site / url / "index.html"
    assert path.is_file(), f"{url} was not written"
    return html.fromstring(path.read_bytes())


def showrooms_in(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "content" / "showrooms"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write(folder, name.replace("__", "."), text)
    return folder


def only_errors(problems):
    return [p for p in problems if p.severity is Severity.ERROR]


# --- records -------------------------------------------------------------------------------


def test_sample_showrooms_are_valid_and_varied(catalogue):
    showrooms, problems = read_showrooms(SAMPLE, "Bình Thuận")
    assert only_errors(problems) == []
    assert {s.id for s in showrooms} == PRODUCT_SHOWROOM_IDS
    assert len({s.district for s in showrooms}) >= 3 and len({s.kind for s in showrooms}) >= 5
    assert all(s.geo and s.opening_hours for s in showrooms)
    index, problems = link(showrooms, catalogue)
    assert problems == []
    assert {sid for p in catalogue.products for sid in p.showrooms} <= PRODUCT_SHOWROOM_IDS
    assert all(index.listed_stock(s) for s in showrooms)


def test_good_record_reads_every_field(tmp_path):
    folder = showrooms_in(
        tmp_path,
        a__yaml=SHOWROOM
        + 'phone: "0252 3822 123"\nemail: a@example.vn\nwebsite: https://example.vn/\nproducts: [bt-pt-9001]\n',
    )
    (s,), problems = read_showrooms(folder, "Bình Thuận")
    assert problems == []
    assert s.name.en == "Test sales point" and s.district.name == "Phan Thiết" and s.province.name == "Bình Thuận"
    assert (s.geo.lat, s.geo.lon) == (10.93, 108.1) and s.geo.uri() == "geo:10.93,108.1"
    assert s.product_ids == ("bt-pt-9001",) and s.product_lines == (11,)
    assert s.source_rel == "content/showrooms/a.yaml"
    assert "destination=10.93,108.1" in s.directions()


def test_every_schema_field_is_converted_or_copied_by_name(tmp_path, monkeypatch):
    import copy

    from ocop import schemas, showrooms

    props = schemas.load("showroom")["properties"]
    assert set(props) >= showrooms.CONVERTED
    folder = showrooms_in(tmp_path, a__yaml=SHOWROOM + "fax: '0252 000'\n")
    extended = copy.deepcopy(showrooms.schema())
    extended["properties"]["fax"] = {"type": "string", "description": "Fax number.", "x-description-vi": "Số fax."}
    monkeypatch.setattr(showrooms, "schema", lambda: extended)
    showrooms._validator.cache_clear()
    try:
        (s,), problems = read_showrooms(folder, "Bình Thuận")
    finally:
        showrooms._validator.cache_clear()
    assert problems == [] and s.fax == "0252 000" and s.phone is None
    for name in set(props) - showrooms.CONVERTED:
        getattr(s, name)


def test_urls_of_showrooms_come_from_ocop_urls():
    from ocop import urls

    assert urls.showroom("diem-ban-thu", "vi") == "diem-ban/diem-ban-thu/"
    assert urls.showroom("diem-ban-thu", "en") == "en/showrooms/diem-ban-thu/"
    assert urls.showrooms("vi") == "diem-ban/" and urls.feed("showrooms.geojson") == "feeds/showrooms.geojson"


@pytest.mark.parametrize(
    "change, line, field, words",
    [
        (
            ("kind: sales_point", "kind: shop"),
            3,
            "kind",
            "found 'shop', but expected one of centre, sales_point, retail",
        ),
        (
            # issue 10: a unique name without tone marks is read with a warning, so a wrong tone stands in
            ("district: Phan Thiết", "district: Phan Thiêt"),
            4,
            "district",
            "not a district of Tỉnh Lâm Đồng before the 2025 reform. Did you mean Phan Thiết?",
        ),
        (('address: "1 Đường Thử, phường Phú Thủy"\n', ""), 1, "address", "the field 'address' is missing"),
        (
            ("geo: {lat: 10.93, lon: 108.10}", "geo: {lat: 108.10, lon: 10.93}"),
            6,
            "geo",
            "latitude and longitude are swapped",
        ),
        (("geo: {lat: 10.93, lon: 108.10}", "geo: {lat: 13.75, lon: 100.50}"), 6, "geo", "lies outside Vietnam"),
        (
            ("geo: {lat: 10.93, lon: 108.10}", "geo: {lat: '10,93', lon: 108.10}"),
            6,
            "geo.lat",
            "write the decimal point as a dot, e.g. 10.93",
        ),
        (("geo: {lat: 10.93, lon: 108.10}", "geo: {lat: 10.93}"), 6, "geo.lon", "the field 'lon' is missing"),
        (
            ('opening_hours: "Mo-Fr 07:30-17:00; Sa 08:00-12:00"', 'opening_hours: "Mo-Fx 07:30-17:00"'),
            7,
            "opening_hours",
            "found 'Mo-Fx 07:30-17:00': 'Fx' is not a day. Days are Mo Tu We Th Fr Sa Su, "
            "and PH for public holidays (at character 4)",
        ),
        (
            ("kind: sales_point", "kind: sales_point\nopening: Mo-Su 07:00-21:00"),
            4,
            "opening",
            "Did you mean 'opening_hours'?",
        ),
        (("id: diem-ban-thu", "id: Điểm bán thử"), 1, "id", "lowercase letters a-z, digits and hyphens"),
    ],
)
def test_record_errors_name_line_field_found_and_expected(tmp_path, change, line, field, words):
    folder = showrooms_in(tmp_path, a__yaml=SHOWROOM.replace(*change))
    showrooms, problems = read_showrooms(folder, "Bình Thuận")
    assert showrooms == []
    assert any(
        p.file == "content/showrooms/a.yaml" and p.line == line and p.field == field and words in p.message
        for p in problems
    ), [str(p) for p in problems]


def test_photos_checked_and_ids_unique(tmp_path):
    folder = showrooms_in(
        tmp_path, a__yaml=SHOWROOM + "photos: [mat-tien.jpg]\n", b__yaml=SHOWROOM + "photos: [cua-hang.jpg]\n"
    )
    copy_sample_image(folder, "mat-tien.jpg")
    showrooms, problems = read_showrooms(folder, "Bình Thuận")
    assert [s.photos[0].name for s in showrooms] == ["mat-tien.jpg"]
    messages = [str(p) for p in problems]
    assert (
        "content/showrooms/b.yaml:8: error: field 'photos[0]': the photo 'cua-hang.jpg' was not found next to "
        "the record (looked for content/showrooms/cua-hang.jpg). Did you mean 'mat-tien.jpg'?" in messages
    )
    assert any(
        m.startswith(
            "content/showrooms/b.yaml:1: error: field 'id': the id 'diem-ban-thu' is already used by "
            "content/showrooms/a.yaml"
        )
        for m in messages
    )


def test_empty_file_and_decomposed_text(tmp_path):
    import unicodedata

    folder = showrooms_in(
        tmp_path, a__yaml="# nothing yet\n", b__yaml=unicodedata.normalize("NFD", SHOWROOM).replace("diem-ban-thu", "b")
    )
    showrooms, problems = read_showrooms(folder, "Bình Thuận")
    assert [s.name.vi for s in showrooms] == ["Điểm bán thử"]  # normalised to NFC
    assert showrooms[0].name.vi == unicodedata.normalize("NFC", showrooms[0].name.vi)
    assert any(
        p.file.endswith("a.yaml")
        and "a showroom record needs at least id, name, kind, district and address" in p.message
        for p in problems
    )
    assert any(
        p.file.endswith("b.yaml") and p.severity is Severity.WARNING and "decomposed Unicode" in p.message
        for p in problems
    )


def test_positions_inside_vietnam():
    for lat, lon in (
        (10.9289, 108.1021),
        (10.52, 108.93),
        (21.03, 105.85),
        (10.22, 103.96),
        (8.6, 104.72),
        (8.64, 111.92),
        (23.36, 105.32),
    ):
        assert in_vietnam(lat, lon), (lat, lon)
    for lat, lon in (
        (13.75, 100.5),
        (11.55, 104.92),
        (17.97, 102.6),
        (22.82, 108.32),
        (19.2, 109.7),
        (108.1, 10.9),
        (0, 0),
    ):
        assert not in_vietnam(lat, lon), (lat, lon)


# --- references both ways ----------------------------------------------------------------------


def _catalogue(products: Path) -> Catalogue:
    found, problems = read_records(products, "Bình Thuận")
    assert only_errors(problems) == []
    return Catalogue(found, date.fromisoformat(BUILD_DATE))


def test_product_listing_unknown_showroom_names_its_file_and_line(tmp_path):
    products = tmp_path / "products"
    write(products, "a.yaml", GOOD_RECORD + "# where it is sold\nshowrooms:\n  - diem-ban-thu\n  - diem-ban-th\n")
    folder = showrooms_in(tmp_path, a__yaml=SHOWROOM)
    showrooms, _ = read_showrooms(folder, "Bình Thuận")
    index, problems = link(showrooms, _catalogue(products))
    (problem,) = problems
    assert (problem.file, problem.line, problem.field) == ("products/a.yaml", 16, "showrooms[1]")
    assert (
        "found 'diem-ban-th', which is not the id of any showroom" in problem.message
        and "Did you mean 'diem-ban-thu'?" in problem.message
    )
    assert [p.id for p in index.stock["diem-ban-thu"]] == ["bt-pt-9001"]


def test_showroom_listing_unknown_product_names_its_file_and_line(tmp_path):
    products = tmp_path / "products"
    write(products, "a.yaml", GOOD_RECORD)
    folder = showrooms_in(tmp_path, a__yaml=SHOWROOM + "products:\n  - bt-pt-9001\n  - bt-pt-9002\n")
    showrooms, _ = read_showrooms(folder, "Bình Thuận")
    index, problems = link(showrooms, _catalogue(products))
    assert [str(p) for p in problems] == [
        "content/showrooms/a.yaml:10: error: field 'products[1]': found 'bt-pt-9002', "
        "which is not the id of any product record. Did you mean 'bt-pt-9001'?"
    ]
    assert index.by_product["bt-pt-9001"][0].id == "diem-ban-thu"


def test_bad_references_fail_the_build_and_publish_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCOP_LANG", "en")
    products = tmp_path / "products"
    write(products, "a.yaml", GOOD_RECORD + "showrooms: [diem-ban-thu, cho-dem]\n")
    showrooms_in(tmp_path, a__yaml=SHOWROOM + "products: [bt-pt-9001, bt-xx-0001]\n")
    out = tmp_path / "output"
    assert build_site(out, products) == 1
    err = capsys.readouterr().err
    assert "products/a.yaml:13: error: field 'showrooms[1]': found 'cho-dem'" in err
    assert "content/showrooms/a.yaml:8: error: field 'products[1]': found 'bt-xx-0001'" in err
    assert "2 error(s)" in err and "Nothing was published" in err
    assert not out.exists()


def test_build_with_own_showrooms_folder(tmp_path):
    products = tmp_path / "products"
    write(products, "a.yaml", GOOD_RECORD)
    showrooms_in(tmp_path, a__yaml=SHOWROOM + "products: [bt-pt-9001]\n")
    out = tmp_path / "output"
    assert build_site(out, products) == 0
    doc = page(out, "en/showrooms/diem-ban-thu/")
    assert doc.xpath("string(//h1)") == "Test sales point"
    assert doc.xpath("//section[@class='stock-group']//a/@href") == ["../../../en/products/a/"]
    prod = page(out, "en/products/a/")
    assert prod.xpath("//section[@class='product-showrooms']//li/a/@href") == ["../../../en/showrooms/diem-ban-thu/"]
    assert json.loads((out / "feeds/showrooms.geojson").read_text())["features"][0]["properties"]["products"] == [
        "bt-pt-9001"
    ]


# --- the built sample site ---------------------------------------------------------------------


def test_showroom_pages_in_both_languages_link_their_twins(site):
    for sid in PRODUCT_SHOWROOM_IDS:
        vi, en = page(site, f"diem-ban/{sid}/"), page(site, f"en/showrooms/{sid}/")
        assert vi.get("lang") == "vi" and en.get("lang") == "en"
        assert vi.xpath("//a[@class='lang-switch']/@href")[0].endswith(f"en/showrooms/{sid}/")
        assert en.xpath("//a[@class='lang-switch']/@href")[0].endswith(f"diem-ban/{sid}/")
        alts = {a.get("hreflang"): a.get("href") for a in vi.xpath("//link[@rel='alternate'][@hreflang]")}
        assert alts["en"] == f"https://ocop.example.org/en/showrooms/{sid}/"


def test_showroom_page_shows_address_hours_contact_map_and_directions(site):
    en = page(site, "en/showrooms/ocop-binh-thuan/")
    body = " ".join(en.text_content().split())
    assert "40 Trần Hưng Đạo, phường Đức Nghĩa, Thành phố Phan Thiết, Tỉnh Bình Thuận" in body
    assert en.xpath("//ul[@class='hours']/li/text()")[:2] == ["Mon–Fri ", "Sat "]
    assert "Sun closed" in body and "Public holidays closed" in body
    assert en.xpath("//a[starts-with(@href,'tel:')]/@href") == ["tel:02523822202"]
    assert en.xpath("//a[contains(@class,'directions-link')]/@href") == [
        "https://www.google.com/maps/dir/?api=1&destination=10.9336,108.1063"
    ]
    assert en.xpath("//a[@class='geo-link']/@href") == ["geo:10.9336,108.1063"]
    (m,) = en.xpath("//div[@id='showroom-map']")
    # The box is laid out from the start (no layout shift when the script draws the map); issue 12
    assert m.get("hidden") is None and "openstreetmap.org" in m.get("data-attribution")
    vi = page(site, "diem-ban/ocop-binh-thuan/")
    vbody = " ".join(vi.text_content().split())
    assert "Thứ Hai–Thứ Sáu 07:30–11:30, 13:30–17:00" in vbody and "Chủ nhật nghỉ" in vbody and "Giờ mở cửa" in vbody
    assert "Trung tâm OCOP" in vbody


def test_showroom_products_grouped_by_group_then_stars(site, catalogue):
    from ocop.groups import GROUPS

    showrooms, _ = read_showrooms(SAMPLE, "Bình Thuận")
    index, _ = link(showrooms, catalogue)
    s = index.by_id["ocop-binh-thuan"]
    doc = page(site, "en/showrooms/ocop-binh-thuan/")
    groups = doc.xpath("//section[@class='stock-group']")
    expected = [g for g in GROUPS if any(p.group is g for p in index.listed_stock(s))]
    assert [g.xpath("string(h3)") for g in groups] == [g.en for g in expected]
    for section, g in zip(groups, expected):
        stars = [int(re.search(r"(\d) stars?$", h.text_content().strip()).group(1)) for h in section.xpath("h4")]
        assert stars == sorted({p.stars for p in index.listed_stock(s) if p.group is g}, reverse=True)
    linked = {a.rstrip("/").rsplit("/", 1)[-1] for a in doc.xpath("//section[@class='stock-group']//a/@href")}
    assert linked == {p.slug for p in index.listed_stock(s)}
    assert "bt-pt-0004" in {p.id for p in index.stock[s.id]}  # listed by the showroom's own record
    assert not any(p.status.listed is False and p.slug in linked for p in catalogue.products)


def test_cross_links_both_ways(site, catalogue):
    showrooms, _ = read_showrooms(SAMPLE, "Bình Thuận")
    index, _ = link(showrooms, catalogue)
    for s in index.showrooms:
        doc = page(site, f"diem-ban/{s.id}/")
        on_page = {a.rstrip("/").rsplit("/", 1)[-1] for a in doc.xpath("//section[@class='stock-group']//a/@href")}
        for p in index.listed_stock(s):
            assert p.slug in on_page
            prod = page(site, f"san-pham/{p.slug}/")
            links = prod.xpath("//section[@class='product-showrooms']//li/a/@href")
            assert any(h.endswith(f"diem-ban/{s.id}/") for h in links), (p.slug, s.id)
    for p in catalogue.products:
        prod = page(site, f"en/products/{p.slug}/")
        links = prod.xpath("//section[@class='product-showrooms']//li/a/@href")
        if p.status.listed:
            assert sorted(h.rstrip("/").rsplit("/", 1)[-1] for h in links) == sorted(
                s.id for s in index.by_product.get(p.id, [])
            )
        else:
            assert links == []  # a lapsed product is not offered as OCOP anywhere


def test_index_groups_by_district_and_works_without_javascript(site, catalogue):
    showrooms, _ = read_showrooms(SAMPLE, "Bình Thuận")
    index, _ = link(showrooms, catalogue)
    doc = page(site, "en/showrooms/")
    headings = [" ".join(h.xpath("text()")).strip() for h in doc.xpath("//main//section/h2")]
    assert headings == [d.name for d, _ in index.districts]
    assert len(headings) >= 3
    items = doc.xpath("//li[contains(@class,'showroom-item')]")
    assert len(items) == 8
    for li in items:
        assert li.xpath(".//a[@class='showroom-name']/@href")[0].endswith(f"en/showrooms/{li.get('data-id')}/")
        assert li.xpath(".//a[@class='geo-link']/@href")[0] == f"geo:{li.get('data-lat')},{li.get('data-lon')}"
        assert li.xpath(".//span[@class='showroom-address']/text()")
    # in the layout from the start, dropped by CSS (scripting: none) when there is no script to draw it (issue 12)
    assert doc.xpath("//div[@id='showroom-map']")[0].get("hidden") is None
    scripts = doc.xpath("//script/@src")
    assert "../../theme/vendor/leaflet/leaflet.js" in scripts and "../../theme/js/showroom-map.js" in scripts
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))]  # no CDN at run time
    assert page(site, "diem-ban/").xpath("//a[@class='lang-switch']/@href")[0].endswith("en/showrooms/")
    nav = page(site, "san-pham/nuoc-mam-ba-hai-40-dam/").xpath("//nav[@class='wrap site-nav']/a/@href")
    assert any(h.endswith("diem-ban/") for h in nav)


def test_leaflet_shipped_with_the_theme_at_the_pinned_version(site):
    pinned = json.loads((PROJECT / "package.json").read_text())["dependencies"]["leaflet"]
    locked = json.loads((PROJECT / "package-lock.json").read_text())["packages"]["node_modules/leaflet"]["version"]
    assert pinned == locked and re.fullmatch(r"\d+\.\d+\.\d+", pinned)
    shipped = (PROJECT / "theme/static/vendor/leaflet/leaflet.js").read_text()
    assert f"Leaflet {pinned}" in shipped[:300]
    for name in ("leaflet.js", "leaflet.css", "images/marker-icon.png", "images/marker-shadow.png", "LICENSE"):
        assert (site / "theme/vendor/leaflet" / name).is_file(), name


def test_geojson_feed_is_valid_rfc7946(site, catalogue):
    import geojson

    text = (site / "feeds/showrooms.geojson").read_text(encoding="utf-8")
    fc = geojson.loads(text)
    assert isinstance(fc, geojson.FeatureCollection) and fc.is_valid, fc.errors()
    assert len(fc.features) == 8
    by_id = {f.id: f for f in fc.features}
    f = by_id["ocop-phan-thiet"]
    assert isinstance(f.geometry, geojson.Point) and f.geometry.coordinates == [108.1021, 10.9289]  # lon, lat
    assert f.properties["url"] == "https://ocop.example.org/diem-ban/ocop-phan-thiet/"
    assert f.properties["url_en"] == "https://ocop.example.org/en/showrooms/ocop-phan-thiet/"
    assert f.properties["name"] == "Trung tâm OCOP Phan Thiết" and f.properties["opening_hours"] == "Mo-Su 07:30-21:00"
    listed = {p.id for p in catalogue.listed}
    assert set(f.properties["products"]) <= listed and "bt-pt-0001" in f.properties["products"]
    assert "bt-pt-0004" not in f.properties["products"]  # it lists the showroom, but its certificate has expired
    for feature in fc.features:  # RFC 7946: WGS 84, longitude first; no crs member
        lon, lat = feature.geometry.coordinates
        assert 102 < lon < 118 and 6 < lat < 24
    assert "crs" not in json.loads(text)


def test_json_ld_store(site):
    doc = page(site, "en/showrooms/ocop-binh-thuan/")
    (script,) = doc.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(script)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Store"
    assert data["url"] == "https://ocop.example.org/en/showrooms/ocop-binh-thuan/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "40 Trần Hưng Đạo, phường Đức Nghĩa",
        "addressLocality": "Thành phố Phan Thiết",
        "addressRegion": "Tỉnh Bình Thuận",
        "addressCountry": "VN",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 10.9336, "longitude": 108.1063}
    specs = data["openingHoursSpecification"]
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["https://schema.org/Saturday"],
        "opens": "07:30",
        "closes": "11:30",
    } in specs
    assert all(s["@type"] == "OpeningHoursSpecification" and re.fullmatch(r"\d\d:\d\d", s["opens"]) for s in specs)
    assert not any("Sunday" in d for s in specs for d in s["dayOfWeek"])
    photo = json.loads(page(site, "diem-ban/ocop-phan-thiet/").xpath("//script[@type='application/ld+json']/text()")[0])
    assert photo["image"][0].startswith("https://ocop.example.org/media/showrooms/ocop-phan-thiet/mat-tien-")
    assert (site / photo["image"][0].removeprefix("https://ocop.example.org/")).is_file()


def test_check_reports_showroom_and_reference_problems(tmp_path):
    from ocop.showrooms import check, default_folder

    products = tmp_path / "products"
    write(products, "a.yaml", GOOD_RECORD + "showrooms: [cho-dem]\n")
    showrooms_in(tmp_path, a__yaml=SHOWROOM.replace("kind: sales_point", "kind: shop"))
    assert default_folder(products) == (tmp_path / "content" / "showrooms").resolve()
    found = {(p.file, p.field) for p in check(products, "Bình Thuận")[1]}
    assert found == {("content/showrooms/a.yaml", "kind"), ("products/a.yaml", "showrooms[0]")}
    assert only_errors(check(PROJECT / "products", "Bình Thuận")[1]) == []  # the samples agree both ways


def test_pelican_does_not_publish_the_records_themselves(site):
    assert not list(site.rglob("*.yaml"))
    assert not list(site.rglob("README*")) and not list(site.rglob("mat-tien.jpg"))
