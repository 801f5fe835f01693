"""Build the sample catalogue with Pelican and read it the way visitors and crawlers do."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from lxml import etree, html
from PIL import Image

from ocop.certificates import Status

from conftest import GOOD_RECORD, PROJECT, build_site, write


def page(site: Path, url: str):
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    assert path.is_file(), f"{url} was not written"
    return html.fromstring(path.read_bytes())


def texts(doc, xpath):
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def test_product_pages_at_permanent_urls_in_both_languages(site, catalogue):
    for p in catalogue.products:
        vi = page(site, f"san-pham/{p.slug}/")
        en = page(site, f"en/products/{p.slug}/")
        assert vi.get("lang") == "vi" and en.get("lang") == "en"
        assert vi.xpath("string(//h1)").strip() == p.name.vi
        assert (site / f"san-pham/{p.slug}/qr.svg").is_file()


def test_language_twins_link_each_other(site):
    doc = page(site, "san-pham/nuoc-mam-ba-hai-40-dam/")
    alts = {a.get("hreflang"): a.get("href") for a in doc.xpath("//link[@rel='alternate']")}
    assert alts["vi"] == "https://ocop.example.org/san-pham/nuoc-mam-ba-hai-40-dam/"
    assert alts["en"] == "https://ocop.example.org/en/products/nuoc-mam-ba-hai-40-dam/"
    assert alts["x-default"] == alts["vi"]
    (switch,) = doc.xpath("//a[@class='lang-switch']")
    assert switch.get("hreflang") == "en" and switch.get("href").endswith("en/products/nuoc-mam-ba-hai-40-dam/")
    en = page(site, "en/products/nuoc-mam-ba-hai-40-dam/")
    (back,) = en.xpath("//a[@class='lang-switch']")
    assert back.get("href").endswith("san-pham/nuoc-mam-ba-hai-40-dam/") and back.get("lang") == "vi"


def test_every_page_has_a_twin_and_relative_links_resolve(site):
    for index in site.rglob("index.html"):
        doc = html.fromstring(index.read_bytes())
        (switch,) = doc.xpath("//a[@class='lang-switch']")
        target = (index.parent / switch.get("href")).resolve() / "index.html"
        assert target.is_file(), f"{index.relative_to(site)}: language switch leads nowhere"
        for a in doc.xpath("//a[@href]"):
            href = a.get("href")
            if href.startswith(("http", "mailto:", "tel:", "geo:", "#")):
                continue
            dest = (index.parent / href.split("#")[0]).resolve()
            assert dest.is_file() or (dest / "index.html").is_file(), f"{index.relative_to(site)}: broken link {href}"


def test_product_page_shows_certificate_and_status(site):
    doc = page(site, "en/products/nuoc-mam-ba-hai-40-dam/")
    body = " ".join(doc.text_content().split())
    # Issue 10: English pages name the issuing body in English; the Vietnamese page as the certificate does.
    assert "2345/QĐ-UBND" in body and "Bình Thuận Provincial People's Committee" in body
    assert "4-star OCOP product" in body and "76/100 points" in body
    assert doc.xpath("//p[contains(@class,'status-banner-expired')]")
    assert "Household business" in body and "85,000 VND" in body
    vi = page(site, "san-pham/nuoc-mam-ba-hai-40-dam/")
    vbody = " ".join(vi.text_content().split())
    assert "85.000 ₫" in vbody and "Hộ sản xuất, kinh doanh" in vbody and "Hết hạn" in vbody
    assert "UBND tỉnh Bình Thuận" in vbody
    assert "Giấy chứng nhận đã hết hạn ngày 24 tháng 12 năm 2024" in vbody


def test_statuses_flagged(site, catalogue):
    for status in (Status.EXPIRING, Status.EXPIRED, Status.REVOKED):
        products = [p for p in catalogue.products if p.status is status]
        assert products, status
        for p in products:
            doc = page(site, f"en/products/{p.slug}/")
            assert doc.xpath(f"//p[contains(@class,'status-banner-{status.value}')]"), p.slug


def test_listings_hold_only_listed_products_with_counts(site, catalogue):
    listed_slugs = {p.slug for p in catalogue.listed}
    for n in (3, 4, 5):
        expected = {p.slug for p in catalogue.listed if p.stars == n}
        found = set()
        url = f"sao/{n}/"
        doc = page(site, url)
        count_line = texts(doc, "//p[@class='count-line']")[0]
        assert count_line.startswith(f"{len(expected)} sản phẩm")
        pages = [doc] + [
            page(site, f"sao/{n}/trang/{k}/") for k in range(2, 10) if (site / f"sao/{n}/trang/{k}").exists()
        ]
        for d in pages:
            found |= {a.get("href").rstrip("/").rsplit("/", 1)[-1] for a in d.xpath("//li[contains(@class,'card')]/a")}
        assert found == expected
    assert found <= listed_slugs


def test_lapsed_products_leave_listings_but_keep_pages(site, catalogue):
    lapsed = {p.slug for p in catalogue.lapsed}
    assert lapsed
    doc = page(site, "het-hieu-luc/")
    shown = {a.get("href").rstrip("/").rsplit("/", 1)[-1] for a in doc.xpath("//li[contains(@class,'card')]/a")}
    assert shown == lapsed
    for g, _ in catalogue.groups:
        gdoc = page(site, f"en/groups/{g.key}/")
        gshown = {a.get("href").rstrip("/").rsplit("/", 1)[-1] for a in gdoc.xpath("//li[contains(@class,'card')]/a")}
        assert not gshown & lapsed


def test_district_page_groups_products_by_group(site, catalogue):
    entry = next(e for e in catalogue.districts if e.district.slug == "phan-thiet")
    doc = page(site, "en/districts/binh-thuan/phan-thiet/")
    headings = texts(doc, "//main//section/h2")
    assert headings == [g.en for g, _ in entry.by_group]
    cards = doc.xpath("//main//section//li[contains(@class,'card')]")
    assert len(cards) == len(entry.products)


def test_browse_page_lists_every_district_star_and_group(site, catalogue):
    doc = page(site, "danh-muc/")
    links = {a.get("href") for a in doc.xpath("//main//a")}
    for e in catalogue.districts:
        assert any(h.endswith(f"dia-phuong/{e.district.province.slug}/{e.district.slug}/") for h in links)
    for n in (3, 4, 5):
        assert any(h.endswith(f"sao/{n}/") for h in links)
    for g, _ in catalogue.groups:
        assert any(h.endswith(f"nhom/{g.slug_vi}/") for h in links)
    assert len(catalogue.districts) >= 12  # ten Bình Thuận districts plus Tủa Chùa and Bình Phước's


def test_home_page_counts_and_newest(site, catalogue):
    doc = page(site, "en/")
    tiles = {t.split()[0] if False else t for t in texts(doc, "//section[@aria-labelledby='by-star']//a")}
    for n, ps in catalogue.stars.items():
        assert any(t.endswith(f"{n} stars {len(ps)}") for t in tiles), tiles
    newest = doc.xpath("//section[@aria-labelledby='newest']//li[contains(@class,'card')]")
    assert len(newest) == min(8, len(catalogue.listed))


def test_missing_english_falls_back_to_vietnamese_marked_lang_vi(site, catalogue):
    (p,) = [p for p in catalogue.products if p.missing_english and "name" in p.missing_english]
    doc = page(site, f"en/products/{p.slug}/")
    assert doc.xpath("//h1/@lang") == ["vi"]
    assert doc.xpath("string(//h1)").strip() == p.name.vi


def test_content_pages_in_both_languages(site):
    vi = page(site, "gioi-thieu-ocop/")
    en = page(site, "en/about-ocop/")
    assert "OCOP" in vi.xpath("string(//h1)") and en.get("lang") == "en"
    assert vi.xpath("//a[@class='lang-switch']/@href")[0].endswith("en/about-ocop/")
    assert page(site, "en/how-stars-are-awarded/").xpath("//table")


def test_images_resized_webp_and_jpeg_without_exif(site, catalogue):
    p = catalogue.by_id["bt-pt-0004"]
    doc = page(site, f"san-pham/{p.slug}/")
    (picture,) = doc.xpath("//figure[@class='main-photo']/picture")
    assert picture.xpath("source/@type") == ["image/webp"] and "400w" in picture.xpath("source/@srcset")[0]
    for f in (site / "media").rglob("*.*"):
        with Image.open(f) as im:
            assert not im.getexif(), f"{f} keeps EXIF"
            assert im.width <= 1200


def test_rotated_phone_photo_is_upright(site, catalogue):
    p = next(p for p in catalogue.products for i in p.images if i.name == "khan-tho-cam.jpg")
    big = max((site / "media" / p.id).glob("khan-tho-cam-*.jpg"), key=lambda f: Image.open(f).width)
    with Image.open(big) as im:
        assert im.height > im.width  # stored sideways with Orientation=6; published upright


def _decode_qr_svg(path: Path) -> str:
    """Rasterise segno's SVG (runs of horizontal strokes) and read it with a real QR decoder."""
    import re

    import zxingcpp

    svg = etree.parse(str(path)).getroot()
    size = int(float(svg.get("viewBox").split()[2]) / 4)
    d = svg.xpath("//*[local-name()='path']/@d")[0]
    img = Image.new("L", (size * 8, size * 8), 255)
    x = y = 0.0
    for cmd, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", d):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "m":
            x, y = x + float(a), y + float(b)
        else:
            n = float(a)
            img.paste(0, (int(x * 8), int((y - 0.5) * 8), int((x + n) * 8), int((y + 0.5) * 8)))
            x += n
    (result,) = zxingcpp.read_barcodes(img)
    return result.text


def test_qr_code_is_svg_of_the_permanent_url(site):
    path = site / "san-pham/nuoc-mam-ba-hai-40-dam/qr.svg"
    assert etree.parse(str(path)).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert _decode_qr_svg(path) == "https://ocop.example.org/san-pham/nuoc-mam-ba-hai-40-dam/"


def test_failed_build_keeps_published_output(tmp_path, site):
    out = tmp_path / "output"
    products = tmp_path / "products"
    write(products, "a.yaml", GOOD_RECORD)
    assert build_site(out, products) == 0
    before = {f: f.read_bytes() for f in out.rglob("*") if f.is_file()}
    write(products, "b.yaml", GOOD_RECORD.replace("score: 76", "score: 45"))
    write(products, "c.yaml", "id: c\nname:\n\tvi: x\n")
    assert build_site(out, products) == 1
    after = {f: f.read_bytes() for f in out.rglob("*") if f.is_file()}
    assert after == before
    # nothing left behind: beside output/ only its versions folder, holding the published version and the lock
    assert [p.name for p in tmp_path.glob(".output*")] == [".output.versions"]
    assert sorted(p.name for p in (tmp_path / ".output.versions").iterdir()) == ["1", "lock"]
    assert out.resolve() == tmp_path / ".output.versions" / "1"


def test_failed_build_reports_every_problem(tmp_path, capsys):
    products = tmp_path / "products"
    write(products, "b.yaml", GOOD_RECORD.replace("score: 76", "score: 45"))
    write(products, "c.yaml", "id: c\nname:\n\tvi: x\n")
    assert build_site(tmp_path / "output", products) == 1
    err = capsys.readouterr().err
    # Vietnamese unless OCOP_LANG or --lang says otherwise (the staff's language)
    assert "products/b.yaml:9: lỗi: trường 'certificates[0].score'" in err
    assert "products/c.yaml:3: lỗi: " in err
    assert "2 lỗi" in err and "Không có gì được xuất bản" in err


def test_build_is_reproducible(tmp_path, site):
    again = tmp_path / "again"
    assert build_site(again) == 0

    def digest(root):
        return {
            f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(root.rglob("*"))
            if f.is_file()
        }

    assert digest(again) == digest(site)


def test_build_date_from_source_date_epoch(monkeypatch):
    from ocop.catalogue import build_date_from_env

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")  # 2026-11-22 00:00 UTC
    assert build_date_from_env(None).isoformat() == "2026-11-22"


def test_pagination_when_long(tmp_path):
    products = tmp_path / "products"
    for i in range(30):
        write(
            products,
            f"p{i:02d}.yaml",
            GOOD_RECORD.replace("bt-pt-9001", f"bt-pt-{i:04d}").replace("Nước mắm thử nghiệm", f"Nước mắm số {i:02d}"),
        )
    out = tmp_path / "output"
    assert build_site(out, products) == 0
    first, second = page(out, "sao/4/"), page(out, "sao/4/trang/2/")
    assert len(first.xpath("//li[contains(@class,'card')]")) == 24
    assert len(second.xpath("//li[contains(@class,'card')]")) == 6
    assert first.xpath("//a[@rel='next']/@href")[0].endswith("sao/4/trang/2/")
    en2 = page(out, "en/stars/4/page/2/")
    assert en2.xpath("//a[@class='lang-switch']/@href")[0].endswith("sao/4/trang/2/")


def test_theme_strings_all_translated():
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    with open(PROJECT / "ocop/locale/vi/LC_MESSAGES/theme.po", "rb") as f:
        po = read_po(f, locale="vi")
    found = {
        m[2] if isinstance(m[2], str) else m[2][0]
        for m in extract_from_dir(
            str(PROJECT),
            method_map=[("plugins/**.py", "python"), ("theme/templates/**.html", "jinja2")],
            options_map={
                "theme/templates/**.html": {
                    "extensions": "jinja2.ext.i18n",
                    "trim_blocks": "True",
                    "lstrip_blocks": "True",
                }
            },
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        )
    }
    untranslated = sorted(
        m
        for m in found
        if not (po.get(m) and (po.get(m).string if isinstance(po.get(m).string, str) else po.get(m).string[0]))
    )
    assert untranslated == []


def test_removed_product_page_blocks_publishing(tmp_path):
    out, products = tmp_path / "output", tmp_path / "products"
    write(products, "nuoc-mam-thu.yaml", GOOD_RECORD)
    assert build_site(out, products) == 0
    (products / "nuoc-mam-thu.yaml").rename(products / "nuoc-mam-moi.yaml")
    assert build_site(out, products) == 1  # the old address would die
    assert (out / "san-pham/nuoc-mam-thu/index.html").is_file()
    write(products, "nuoc-mam-moi.yaml", "former_slugs: [nuoc-mam-thu]\n" + GOOD_RECORD)
    assert build_site(out, products) == 0
    for old, new in (
        ("san-pham/nuoc-mam-thu/", "san-pham/nuoc-mam-moi/"),
        ("en/products/nuoc-mam-thu/", "en/products/nuoc-mam-moi/"),
    ):
        doc = page(out, old)
        refresh = doc.xpath("//meta[@http-equiv='refresh']/@content")[0]
        assert refresh.endswith(new) and doc.xpath("//link[@rel='canonical']/@href")[0].endswith(new)
    (products / "nuoc-mam-moi.yaml").unlink()
    assert build_site(out, products) == 1
    assert build_site(out, products, OCOP_ALLOW_REMOVED_URLS=True) == 0


def test_former_slug_cannot_take_another_products_address(products_dir):
    from ocop.records import read_records

    write(products_dir, "a.yaml", GOOD_RECORD)
    write(products_dir, "b.yaml", "former_slugs: [a]\n" + GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002"))
    problems = read_records(products_dir, "Bình Thuận")[1]
    assert [(p.file, p.line, p.field) for p in problems] == [("products/b.yaml", 1, "former_slugs[0]")]


def test_relative_root_matches_pelican():
    from pelican.utils import get_relative_path, path_to_url

    from ocop_catalogue.generator import relative_root

    for name in (
        "index.html",
        "404.html",
        "en/index.html",
        "san-pham/x/index.html",
        "en/products/x/index.html",
        "en/stars/4/page/2/index.html",
    ):
        assert relative_root(name) == path_to_url(get_relative_path(name))


def test_record_text_never_becomes_markup(tmp_path):
    """Staff paste text from anywhere: it is shown as text, never run as HTML."""
    products = tmp_path / "products"
    hostile = GOOD_RECORD.replace('"Nước mắm thử nghiệm"', '"Nước mắm <b>đậm</b>"') + (
        'summary: {vi: "<script>alert(1)</script>", en: "<img src=x onerror=alert(2)>"}\n'
        'description: {vi: "Đoạn <script>alert(3)</script> văn [link](javascript:alert(4))"}\n'
    )
    write(products, "doc-hai.yaml", hostile)
    out = tmp_path / "output"
    assert build_site(out, products) == 0
    for url in ("san-pham/doc-hai/", "en/products/doc-hai/", "sao/4/", ""):
        raw = (out / url / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<img src=x" not in raw and "<b>đậm</b>" not in raw, url
        assert "javascript:" not in raw, url
    doc = page(out, "san-pham/doc-hai/")
    assert doc.xpath("string(//h1)").strip() == "Nước mắm <b>đậm</b>"  # shown literally, as typed


def test_pagination_window_keeps_long_listings_light():
    from ocop_catalogue.views import Pagination

    urls_ = [f"sao/3/trang/{n}/" for n in range(1, 641)]
    p = Pagination(320, 640, 15360, urls_)
    assert [x[0] if x else None for x in p.window] == [1, None, 318, 319, 320, 321, 322, None, 640]
    assert [x[0] if x else None for x in Pagination(1, 3, 60, urls_[:3]).window] == [1, 2, 3]
    assert [x[0] if x else None for x in Pagination(2, 640, 15360, urls_).window] == [1, 2, 3, 4, None, 640]


def test_preview_rebuilds_only_what_changed(tmp_path):
    from ocop_catalogue.publish import preview

    products, out = tmp_path / "products", tmp_path / "preview"
    write(products, "a.yaml", GOOD_RECORD)
    write(products, "b.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002").replace("thử nghiệm", "thứ hai"))
    settings = {
        "OCOP_PRODUCTS_PATH": str(products),
        "OCOP_CACHE_PATH": str(tmp_path / "cache"),
        "OCOP_BUILD_DATE": "2026-11-22",
    }
    from conftest import SETTINGS

    assert preview(SETTINGS, out, settings) == 0
    a, b = out / "san-pham/a/index.html", out / "san-pham/b/index.html"
    before_b = b.stat().st_mtime_ns
    write(products, "a.yaml", GOOD_RECORD.replace("2345/QĐ-UBND", "9999/QĐ-UBND"))
    assert preview(SETTINGS, out, settings) == 0
    assert "9999/QĐ-UBND" in a.read_text(encoding="utf-8")
    assert b.stat().st_mtime_ns == before_b  # untouched: nothing it shows changed
    write(products, "a.yaml", GOOD_RECORD.replace("score: 76", "score: 45"))
    assert preview(SETTINGS, out, settings) == 1  # errors are reported; the preview keeps its last good state
    assert "9999/QĐ-UBND" in a.read_text(encoding="utf-8")


def test_photo_renditions_follow_the_photo_not_the_cache(tmp_path):
    """A replaced photo (same name) gets new renditions; an unchanged one is not read again."""
    from ocop.images import render

    src, cache = tmp_path / "a.jpg", tmp_path / "cache"
    Image.new("RGB", (900, 600), (200, 10, 10)).save(src)
    first, _ = render(src, "a", cache)
    again, _ = render(src, "a", cache)
    assert again == first
    import os
    import time

    Image.new("RGB", (900, 600), (10, 10, 200)).save(src)
    os.utime(src, ns=(time.time_ns(), time.time_ns() + 10**9))
    changed, files = render(src, "a", cache)
    assert changed.variants[0].name != first.variants[0].name
    with Image.open(files[changed.pick("jpg", 400).name]) as im:
        assert im.getpixel((10, 10))[2] > 150  # the new, blue photo


# --- the certificate section: revocations, issuers (issue 10) -------------------------------------

CERT_RECORD = """\
id: {id}
name: {{vi: "{name}", en: "{name} (en)"}}
group: food
district: Đức Linh
producer: {{name: HTX Thử, kind: cooperative}}
certificates:
{certificates}
"""


@pytest.fixture(scope="module")
def cert_site(tmp_path_factory):
    products = tmp_path_factory.mktemp("certs") / "products"
    recertified = (
        "  - {stars: 3, decision: 12/QĐ-UBND, date: 2022-03-10, issuer: UBND tỉnh Bình Thuận,"
        ' revoked: {date: 2023-06-01, decision: "77/QĐ-UBND"}}\n'
        "  - {stars: 3, decision: 1450/QĐ-UBND, date: 2024-05-06, issuer: UBND huyện Đức Linh}"
    )
    scheduled = (
        "  - {stars: 4, decision: 20/QĐ-UBND, date: 2025-01-10, issuer: UBND tỉnh Bình Thuận,"
        ' revoked: {date: 2026-12-20, decision: "90/QĐ-UBND"}}'
    )
    revoked = (
        "  - {stars: 3, decision: 30/QĐ-UBND, date: 2024-05-06, issuer: UBND huyện Đức Linh,"
        ' revoked: {date: 2026-01-15, decision: "5/QĐ-UBND"}}'
    )
    for slug, id_, certs in (
        ("tai-chung-nhan", "bt-dl-9101", recertified),
        ("sap-thu-hoi", "bt-dl-9102", scheduled),
        ("da-thu-hoi", "bt-dl-9103", revoked),
    ):
        write(products, f"{slug}.yaml", CERT_RECORD.format(id=id_, name=slug, certificates=certs))
    out = products.parent / "output"
    assert build_site(out, products) == 0
    return out


def certificate_section(site: Path, url: str) -> str:
    doc = page(site, url)
    parts = doc.xpath("//section[@aria-labelledby='cert-h']")[0].xpath(".//h2|.//h3|.//dt|.//dd|.//li")
    return " ".join(" ".join(e.text_content().split()) for e in parts)


def test_revocation_stays_in_the_history_after_recertification(cert_site):
    en = certificate_section(cert_site, "en/products/tai-chung-nhan/")
    assert "Certificate history" in en
    assert "revoked on 1 June 2023 (decision 77/QĐ-UBND)" in en
    vi = certificate_section(cert_site, "san-pham/tai-chung-nhan/")
    assert "thu hồi ngày 1 tháng 6 năm 2023 (quyết định 77/QĐ-UBND)" in vi


def test_a_later_revocation_is_shown_as_scheduled(cert_site):
    vi = certificate_section(cert_site, "san-pham/sap-thu-hoi/")
    assert "sẽ thu hồi từ 20 tháng 12 năm 2026 (quyết định 90/QĐ-UBND)" in vi
    assert "Thu hồi ngày" not in vi and "Hiệu lực đến" in vi
    en = certificate_section(cert_site, "en/products/sap-thu-hoi/")
    assert "to be revoked from 20 December 2026" in en and "Revoked on" not in en
    assert not page(cert_site, "en/products/sap-thu-hoi/").xpath("//p[contains(@class,'status-banner-revoked')]")


def test_a_revoked_product_does_not_say_valid_until(cert_site):
    en = certificate_section(cert_site, "en/products/da-thu-hoi/")
    assert "Revoked on 15 January 2026 (decision 5/QĐ-UBND)" in en and "Valid until" not in en
    vi = certificate_section(cert_site, "san-pham/da-thu-hoi/")
    assert "Thu hồi ngày 15 tháng 1 năm 2026 (quyết định 5/QĐ-UBND)" in vi and "Hiệu lực đến" not in vi


def test_english_pages_name_issuing_bodies_in_english(cert_site):
    doc = page(cert_site, "en/products/tai-chung-nhan/")
    en = certificate_section(cert_site, "en/products/tai-chung-nhan/")
    assert "Issued by Đức Linh District People's Committee" in en
    assert "Bình Thuận Provincial People's Committee" in en  # the history too
    assert "UBND tỉnh" not in en and "UBND huyện" not in en
    assert doc.xpath("//h2[@id='prod-h']/text()") == ["OCOP entity"]
    vi = certificate_section(cert_site, "san-pham/tai-chung-nhan/")
    assert "UBND huyện Đức Linh" in vi and "UBND tỉnh Bình Thuận" in vi
    (issuer,) = page(cert_site, "san-pham/tai-chung-nhan/").xpath(
        "//dt[.='Cơ quan công nhận']/following-sibling::dd[1]/span"
    )
    assert issuer.get("lang") == "vi"
