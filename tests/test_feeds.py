"""Read every feed the way its consumer does: XML namespace-aware, CSV with the csv module,
JSON against its schema, JSON-LD out of the HTML; check ids, prices, availability, language,
inclusion rules, limits and hostile text."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import textwrap
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree, html
from test_sitemap import sitemap_urls

from ocop.certificates import Status
from ocop.feeds.opendata import SCHEMA_PATH

from conftest import GOOD_RECORD, build_site, copy_sample_image, write

ROOT = "https://ocop.example.org"
G = "http://base.google.com/ns/1.0"
ATOM = "http://www.w3.org/2005/Atom"
SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
NS = {"g": G, "a": ATOM, "sm": SM, "x": XHTML}
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def xml(path: Path):
    assert path.is_file(), f"{path} was not written"
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()


def rows(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def tsv_rows(path: Path) -> list[dict[str, str]]:
    """As Google reads a text feed: lines split at tabs, nothing unquoted (a quote is a character)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "", "the file ends with a line break"
    table = list(csv.reader(lines[:-1], delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(len(r) == len(table[0]) for r in table), "a value holds a tab or a line break"
    return [dict(zip(table[0], r)) for r in table[1:]]


def eligible_ids(catalogue) -> set[str]:
    return {p.id for p in catalogue.products if p.status.listed and p.group.goods and p.offer}


def google_ids(catalogue, lang: str) -> set[str]:
    """Issue 12: Google's feeds leave out items without a photo (Google rejects them and any placeholder), and the
    English feeds items whose name has no English (Google disapproves a language mismatch)."""
    return {
        i for i in eligible_ids(catalogue) if catalogue.by_id[i].images and (lang == "vi" or catalogue.by_id[i].name.en)
    }


def local(site: Path, url: str) -> Path:
    assert url.startswith(ROOT + "/"), url
    rel = url[len(ROOT) + 1 :]
    return site / rel / "index.html" if rel.endswith("/") or rel == "" else site / rel


def merchant_items(site: Path, lang: str) -> dict[str, etree._Element]:
    rss = xml(site / f"feeds/google-merchant-{lang}.xml")
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    assert rss.nsmap.get("g") == G
    assert rss.findtext("channel/language") == lang
    items = rss.findall("channel/item")
    ids = [i.findtext("g:id", namespaces=NS) for i in items]
    assert len(ids) == len(set(ids)), "an id appears twice"
    return dict(zip(ids, items))


# --- Google Merchant ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_merchant_rss_holds_exactly_the_sellable_products(site, catalogue, lang):
    items = merchant_items(site, lang)
    assert set(items) == google_ids(catalogue, lang)
    assert eligible_ids(catalogue) - set(items), "the sample has a product without a photo (or without English)"
    excluded = {p.id for p in catalogue.products} - set(items)
    kinds = {(p.status, p.group.key, p.offer is None) for p in catalogue.products if p.id in excluded}
    assert any(s in (Status.EXPIRED,) for s, _, _ in kinds) and any(s is Status.REVOKED for s, _, _ in kinds)
    assert any(g == "tourism" for _, g, _ in kinds) and any(no_offer for _, _, no_offer in kinds)
    assert any(catalogue.by_id[i].status is Status.EXPIRING for i in items)  # expiring still sells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_merchant_rss_item_fields(site, catalogue, lang):
    for pid, item in merchant_items(site, lang).items():
        p = catalogue.by_id[pid]
        g = lambda name, item=item: item.findtext(f"g:{name}", namespaces=NS)  # noqa: E731
        assert item.findtext("title") == p.name.get(lang)
        assert 0 < len(item.findtext("title")) <= 150 and 0 < len(item.findtext("description")) <= 5000
        prefix = "en/products/" if lang == "en" else "san-pham/"
        assert item.findtext("link") == f"{ROOT}/{prefix}{p.slug}/"
        assert local(site, item.findtext("link")).is_file()
        assert g("price") == f"{p.offer.price} VND" and re.fullmatch(r"\d+ VND", g("price"))
        assert g("availability") == ("in_stock" if p.offer.available else "out_of_stock")
        assert g("condition") == "new" and g("brand") == p.producer.name
        if p.offer.gtin:
            assert g("gtin") == p.offer.gtin and g("identifier_exists") is None
        else:
            assert g("gtin") is None and g("identifier_exists") == "no"
        assert g("product_type").startswith(p.group.label(lang).replace(", ", " / ") + " > ")
        assert "," not in g("product_type"), "Google reads a comma in product_type as a separator"
        images = [g("image_link")] + [e.text for e in item.findall("g:additional_image_link", NS)]
        assert p.images, "Google's feeds carry only products with a photo"
        assert len(images) == len(p.images)
        for url in images:
            assert url.startswith(f"{ROOT}/media/{p.id}/") and url.endswith(".jpg")
            assert local(site, url).is_file()
        details = {
            d.findtext("g:attribute_name", namespaces=NS): d.findtext("g:attribute_value", namespaces=NS)
            for d in item.findall("g:product_detail", NS)
        }
        for d in item.findall("g:product_detail", NS):
            assert d.findtext("g:section_name", namespaces=NS) == "OCOP"
        stars_key, decision_key, expires_key = (
            ("Hạng sao OCOP", "Quyết định công nhận", "Hiệu lực đến")
            if lang == "vi"
            else ("OCOP stars", "Certificate decision", "Certificate valid until")
        )
        assert details[stars_key] == (f"{p.stars} sao" if lang == "vi" else f"{p.stars} stars")
        assert p.current.decision in details[decision_key] and p.current.issuer in details[decision_key]
        assert details[expires_key] == p.current.expires.isoformat()
        assert len(details) == 5


def test_merchant_feed_texts_differ_by_language(site, catalogue):
    vi, en = merchant_items(site, "vi"), merchant_items(site, "en")
    p = next(
        catalogue.by_id[i] for i in sorted(vi) if catalogue.by_id[i].name.en and catalogue.by_id[i].group.key == "food"
    )
    assert vi[p.id].findtext("title") == p.name.vi and en[p.id].findtext("title") == p.name.en != p.name.vi
    assert vi[p.id].findtext("g:product_type", namespaces=NS).startswith("Thực phẩm > ")
    assert en[p.id].findtext("g:product_type", namespaces=NS).startswith("Food > ")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_merchant_tsv_is_the_same_data(site, lang):
    items = merchant_items(site, lang)
    table = tsv_rows(site / f"feeds/google-merchant-{lang}.tsv")
    assert [r["id"] for r in table] == list(items)
    for r in table:
        item = items[r["id"]]
        assert r["title"] == item.findtext("title") and r["link"] == item.findtext("link")
        assert r["price"] == item.findtext("g:price", namespaces=NS)
        assert r["availability"] == item.findtext("g:availability", namespaces=NS)
        assert r["condition"] == "new" and r["brand"] == item.findtext("g:brand", namespaces=NS)
        assert r["image_link"] == (item.findtext("g:image_link", namespaces=NS) or "")
        gtin = item.findtext("g:gtin", namespaces=NS)
        assert (r["gtin"], r["identifier_exists"]) == ((gtin, "") if gtin else ("", "no"))
        details = product_details(r["product_detail"])
        assert len(details) == 5 and all(len(d) == 3 and d[0] == "OCOP" for d in details)
        rss = [
            [e.findtext(f"g:{k}", namespaces=NS) for k in ("section_name", "attribute_name", "attribute_value")]
            for e in item.findall("g:product_detail", NS)
        ]
        assert details == rss, "the TSV says what the RSS says, commas and colons included"
        assert r["product_type"] == item.findtext("g:product_type", namespaces=NS) and "," not in r["product_type"]
        assert "\n" not in r["description"] and "\t" not in r["description"]


def product_details(value: str) -> list[list[str]]:
    """Google's text-feed product_detail: section:attribute:value, comma-separated; a part that holds a colon,
    comma or quote is in double quotes, with quotes doubled (Google's own example: Display:Diagonal Size:"2.5\"\"\")."""
    details: list[list[str]] = [[""]]
    quoted, i = False, 0
    while i < len(value):
        ch = value[i]
        if quoted and ch == '"' and value[i + 1 : i + 2] == '"':
            details[-1][-1] += '"'
            i += 1
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch == ":":
            details[-1].append("")
        elif not quoted and ch == ",":
            details.append([""])
        else:
            details[-1][-1] += ch
        i += 1
    assert not quoted, f"unclosed quote in {value!r}"
    return details


# --- Meta -----------------------------------------------------------------------------------


def test_meta_catalogue_csv(site, catalogue):
    table = rows(site / "feeds/meta-catalogue.csv")
    assert {r["id"] for r in table} == eligible_ids(catalogue)
    for r in table:
        p = catalogue.by_id[r["id"]]
        assert r["title"] == p.name.vi
        assert r["availability"] == ("in stock" if p.offer.available else "out of stock")
        assert r["condition"] == "new" and r["price"] == f"{p.offer.price} VND"
        assert r["link"] == f"{ROOT}/san-pham/{p.slug}/" and r["brand"] == p.producer.name
        assert r["custom_label_0"] == f"OCOP {p.stars} sao"
        # issue 12: a product without a photo shows the site's default image (Meta accepts it)
        assert r["image_link"] != ""
        assert r["image_link"].startswith(f"{ROOT}/media/{p.id}/") if p.images else r["image_link"].endswith(".png")
        assert "," not in r["product_type"]
    english = rows(site / "feeds/meta-catalogue-en.csv")
    # issue 12: the English language feed overrides only products that have an English name
    assert [r["id"] for r in english] == [r["id"] for r in table if catalogue.by_id[r["id"]].name.en]
    assert len(english) < len(table)
    for r in english:
        p = catalogue.by_id[r["id"]]
        assert r["override"] == "en_XX" and r["title"] == p.name.get("en")
        assert r["link"] == f"{ROOT}/en/products/{p.slug}/"


# --- open data ------------------------------------------------------------------------------


def test_open_data_json_follows_its_schema_and_keeps_every_product(site, catalogue):
    doc = json.loads((site / "feeds/ocop-products.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert json.loads((site / "feeds/ocop-products.schema.json").read_text(encoding="utf-8")) == schema
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(doc), key=str)
    assert not errors, errors[0]
    assert doc["schema_version"] == schema["x-version"] and doc["$schema"] == f"{ROOT}/feeds/ocop-products.schema.json"
    assert doc["generated"] == "2026-11-22" and doc["count"] == len(catalogue.products)
    by_id = {r["id"]: r for r in doc["products"]}
    assert set(by_id) == {p.id for p in catalogue.products}
    for p in catalogue.products:
        r = by_id[p.id]
        assert r["status"] == p.status.value and r["listed"] == p.status.listed and r["stars"] == p.stars
        assert r["certificate"]["decision"] == p.current.decision and len(r["certificates"]) == len(p.certificates)
        assert r["urls"] == {"vi": f"{ROOT}/san-pham/{p.slug}/", "en": f"{ROOT}/en/products/{p.slug}/"}
        assert (r["offer"] or {}).get("price") == (p.offer.price if p.offer else None)
    statuses = {r["status"] for r in doc["products"]}
    assert {"active", "expiring", "expired", "revoked"} <= statuses


def test_open_data_csv(site, catalogue):
    # issue 12: a UTF-8 byte order mark, so that Excel (Vietnamese locale) reads UTF-8, not Windows-1258
    assert (site / "feeds/ocop-products.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    table = rows(site / "feeds/ocop-products.csv", encoding="utf-8-sig")
    assert len(table) == len(catalogue.products)
    for r in table:
        p = catalogue.by_id[r["id"]]
        assert r["status"] == p.status.value and int(r["stars"]) == p.stars and r["name_vi"] == p.name.vi
        assert r["decision"] == p.current.decision and r["expires"] == p.current.expires.isoformat()
        assert r["price_vnd"] == (str(p.offer.price) if p.offer else "")


def test_open_data_licence_table_schema_and_geojson(site, catalogue):
    """Issue 12: the licence is in the JSON and on the marketplaces page; the CSV's Frictionless Table Schema
    names its columns in order and types every value; the showrooms' GeoJSON is listed with the feeds."""
    from datetime import date

    doc = json.loads((site / "feeds/ocop-products.json").read_text(encoding="utf-8"))
    assert (doc["license"], doc["license_url"]) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    schema = json.loads((site / "feeds/ocop-products.csv.schema.json").read_text(encoding="utf-8"))
    table = list(csv.reader(io.StringIO((site / "feeds/ocop-products.csv").read_text(encoding="utf-8-sig"))))
    fields = schema["fields"]
    assert [f["name"] for f in fields] == table[0] and schema["primaryKey"] == "id"
    read = {
        "string": str,
        "integer": int,
        "date": date.fromisoformat,
        "boolean": {"true": True, "false": False}.__getitem__,
    }
    for row in table[1:]:
        for f, cell in zip(fields, row, strict=True):
            if cell in schema["missingValues"]:
                assert not f.get("constraints", {}).get("required"), (f["name"], row[0])
                continue
            value = read[f["type"]](cell)
            constraints = f.get("constraints", {})
            assert value in constraints.get("enum", [value]) and constraints.get("minimum", value) <= value
    for url in ("thi-truong/", "en/marketplaces/"):
        page = html.fromstring((site / url / "index.html").read_bytes())
        assert page.xpath("//a[@rel='license']/@href") == ["https://creativecommons.org/licenses/by/4.0/"]
        assert "CC BY 4.0" in page.xpath("string(//a[@rel='license'])")
        (row,) = page.xpath("//tr[.//code[contains(., '/feeds/showrooms.geojson')]]")
        assert row.xpath("string(td[4])").endswith("KB"), "its size, as for the other files"
        assert (site / "feeds/showrooms.geojson").is_file()


def test_open_data_schema_rejects_a_bad_record(site):
    doc = json.loads((site / "feeds/ocop-products.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    doc["products"][0]["status"] = "valid"
    doc["products"][1]["offer"] = {"price": "85.000", "currency": "VND", "unit": None, "gtin": None, "available": True}
    assert len(list(Draft202012Validator(schema).iter_errors(doc))) == 2


# --- certification news ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_news_atom_entries(site, catalogue, lang):
    feed = xml(site / f"feeds/news-{lang}.atom")
    assert feed.tag == f"{{{ATOM}}}feed" and feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    entries = feed.findall("a:entry", NS)
    assert entries
    days = [e.findtext("a:updated", namespaces=NS) for e in entries]
    assert days == sorted(days, reverse=True), "newest first"
    assert feed.findtext("a:updated", namespaces=NS) == days[0]
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:ocop.example.org,") for i in ids)
    kinds = {e.find("a:category", NS).get("term") for e in entries}
    assert {"certified", "upgraded", "expired", "revoked"} <= kinds
    for e in entries:
        link = e.find("a:link", NS).get("href")
        assert local(site, link).is_file()
        assert link.startswith(f"{ROOT}/en/products/" if lang == "en" else f"{ROOT}/san-pham/")
    up = next(e for e in entries if e.find("a:category", NS).get("term") == "upgraded")
    pid = up.findtext("a:id", namespaces=NS).split(":ocop/")[1].split("/")[0]
    p = catalogue.by_id[pid]
    assert p.certificates[-1].stars > p.certificates[-2].stars
    assert p.current.decision in up.findtext("a:summary", namespaces=NS)
    revoked = next(e for e in entries if e.find("a:category", NS).get("term") == "revoked")
    assert "/bt-lg-0002/revoked/" in revoked.findtext("a:id", namespaces=NS)


def test_news_entry_ids_are_stable_across_builds(catalogue):
    from datetime import date
    from types import SimpleNamespace

    from ocop.feeds import news
    from ocop.feeds.context import FeedContext

    later = SimpleNamespace(products=catalogue.products, build_date=date(2027, 6, 1))
    now = {e.tag(FeedContext(ROOT, date(2026, 11, 22)), "vi"): (e.kind, e.day) for e in news.events(catalogue)}
    after = {e.tag(FeedContext(ROOT, date(2027, 6, 1)), "vi"): (e.kind, e.day) for e in news.events(later)}
    assert set(now) < set(after), "every earlier event keeps its id; new expiries are added"
    assert all(after[i] == now[i] for i in now)


# --- JSON-LD and social tags in the product pages -------------------------------------------


def jsonld(site: Path, url: str) -> tuple[dict, dict[str, str], etree._Element]:
    doc = html.fromstring((site / url / "index.html").read_bytes())
    scripts = doc.xpath("//head/script[@type='application/ld+json']")
    assert len(scripts) == 1
    tags = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//head/meta[@content]")}
    return json.loads(scripts[0].text), tags, doc


def test_product_jsonld_in_both_languages(site, catalogue):
    for p in catalogue.products:
        for lang, url in (("vi", f"san-pham/{p.slug}/"), ("en", f"en/products/{p.slug}/")):
            data, tags, _ = jsonld(site, url)
            # issue 12: tourism is a Service (no sku, no maker: its producer is the provider); no inLanguage
            assert data["@context"] == "https://schema.org" and "inLanguage" not in data
            assert data["@type"] == ("Product" if p.group.goods else "Service")
            maker = "manufacturer" if p.group.goods else "provider"
            assert data.get("sku", data.get("identifier")) == p.id
            assert data["name"] == p.name.get(lang) and data["url"] == f"{ROOT}/{url}"
            assert data["brand"]["name"] == p.producer.name and data[maker]["name"] == p.producer.name
            cert = data["hasCertification"]
            assert cert["@type"] == "Certification" and cert["certificationIdentification"] == p.current.decision
            assert (
                cert["certificationRating"]["ratingValue"] == p.stars and cert["certificationRating"]["bestRating"] == 5
            )
            assert cert["issuedBy"]["name"] == p.current.issuer
            assert cert["validFrom"] == p.current.date.isoformat() and cert["expires"] == p.current.expires.isoformat()
            assert cert["certificationStatus"] == (
                "https://schema.org/CertificationActive"
                if p.status.listed
                else "https://schema.org/CertificationInactive"
            )
            if p.offer and p.status.listed:  # issue 12: an expired or revoked product is not offered
                offer = data["offers"]
                assert offer["price"] == p.offer.price and offer["priceCurrency"] == "VND"
                assert offer["availability"] == (
                    "https://schema.org/InStock" if p.offer.available else "https://schema.org/OutOfStock"
                )
            else:
                assert "offers" not in data
            assert data["image"], "issue 12: a product without a photo has the site's default image"
            for image in data["image"]:
                assert local(site, image).is_file()
            assert tags["og:url"] == f"{ROOT}/{url}" and tags["og:type"] == "product"
            assert p.name.get(lang) in tags["og:title"] and "★" * p.stars in tags["og:title"]
            assert tags["og:locale"] == ("vi_VN" if lang == "vi" else "en_GB")
            assert tags["og:image"] == data["image"][0] and tags["twitter:card"] == "summary_large_image"
            assert tags["twitter:image:alt"] and tags["og:image:alt"] == tags["twitter:image:alt"]
            if not p.images:
                assert tags["og:image"].endswith(".png") and tags["og:image:width"] == "1200"


def test_script_json_cannot_close_the_script():
    from ocop.feeds.jsonld import script_json

    hostile = {"name": "</script><script>alert(1)</script> <!-- & \u2028"}
    text = script_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == hostile


# --- the marketplaces page ------------------------------------------------------------------


def test_marketplaces_page_documents_every_feed_in_both_languages(site):
    from ocop.feeds import feed_list

    for lang, url, twin in (("vi", "thi-truong/", "en/marketplaces/"), ("en", "en/marketplaces/", "thi-truong/")):
        doc = html.fromstring((site / url / "index.html").read_bytes())
        assert doc.get("lang") == lang
        assert doc.xpath("//a[@class='lang-switch']/@href")[0].endswith(twin)
        links = set(doc.xpath("//main//a/@href"))
        codes = {" ".join(c.text_content().split()) for c in doc.xpath("//main//code")}
        for f in feed_list():
            assert f"{ROOT}/{f.path}" in codes, f.path  # the address to give a marketplace
            (href,) = [h for h in links if h.endswith("/" + f.path)]
            assert (site / url / href).resolve() == (site / f.path).resolve() and (site / f.path).is_file()
        for name, delimiter in (
            ("google-merchant-vi.tsv", "\t"),
            ("meta-catalogue.csv", ","),
            ("meta-catalogue-en.csv", ","),
            ("ocop-products.csv", ","),
        ):
            header = next(
                csv.reader(io.StringIO((site / "feeds" / name).read_text(encoding="utf-8-sig")), delimiter=delimiter)
            )
            assert set(header) <= codes, f"{name}: undocumented columns {set(header) - codes}"
        home = html.fromstring((site / ("" if lang == "vi" else "en/") / "index.html").read_bytes())
        assert any(h.endswith(url) for h in home.xpath("//footer//a/@href"))


# --- hostile text, limits, reproducibility --------------------------------------------------

LONG_TITLE = (
    "Nước mắm cá cơm truyền thống Phan Thiết ủ chượp trong thùng gỗ bời lời mười hai tháng "
    "đạt độ đạm bốn mươi theo công thức gia truyền ba đời của gia đình làng chài Mũi Né tỉnh Bình Thuận"
)
HOSTILE = (
    textwrap.dedent("""\
    id: bt-pt-9001
    name: {vi: "Nước mắm\\x01 thử\\x0b nghiệm ]]> đặc biệt 🐟🔥", en: "%s"}
    group: food
    product_set: 9
    district: Phan Thiết
    producer: {name: "Cơ sở thử nghiệm\\x1f </script>", kind: household}
    certificates:
      - stars: 4
        score: 76
        decision: 2345/QĐ-UBND
        date: 2025-01-10
        issuer: UBND tỉnh Bình Thuận
    summary: {vi: "Tóm tắt ]]> có </script><script>alert(1)</script> và & ký tự <!-- lạ", en: "Summary ]]> with </script> & emoji 😀"}
    description:
      vi: |
        <!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->
        <p class=MsoNormal style='mso-bidi-font-family:"Times New Roman"'><span lang=VI>Nước mắm <b>truyền thống</b>&nbsp;ủ chượp</span><o:p></o:p></p>
        <style>p.MsoNormal {margin:0}</style>
        <p class=MsoNormal>Đoạn thứ hai ]]&gt; hết.</p>
    images: [photo.jpg]
    offer: {price: 85000, available: false}
    """)  # noqa: E501
    % (LONG_TITLE + " " + LONG_TITLE)[:200]
)

# Issue 12: markup written as entities, direction controls, a control character between two words, an unclosed
# comment, a colon and a comma in the certificate, quotes and a tab in the text.
HOSTILE_MARKUP = textwrap.dedent("""\
    id: bt-pt-9005
    slug: hostile-markup
    name: {vi: "Mắm &lt;b&gt;đậm&lt;/b&gt; \\u200fđặc\\u202e sản&#x3C;/script&#x3E;", en: "Rich\\u2066 fish\\u2069sauce &lt;i&gt;x&lt;/i&gt;"}
    group: food
    product_set: 9
    district: Phan Thiết
    producer: {name: "Cơ\\x1fsở \\"Biển Xanh\\"", kind: household}
    certificates:
      - stars: 4
        score: 76
        decision: "12:2024/QĐ-UBND"
        date: 2025-01-10
        issuer: UBND tỉnh Bình Thuận, Sở Công Thương
    summary: {vi: "Mắm \\"ngon\\" nhất\\tvùng"}
    description:
      vi: "Phần đầu <!-- chưa đóng, và phần sau vẫn còn."
    images: [photo.jpg]
    offer: {price: 120000}
    """)  # noqa: E501


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    products = folder / "products"
    (products / "pt").mkdir(parents=True)
    write(products / "pt", "hostile.yaml", HOSTILE)
    write(products / "pt", "hostile-markup.yaml", HOSTILE_MARKUP)
    copy_sample_image(products / "pt")
    write(
        products,
        "tour.yaml",
        GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002")
        .replace("group: food", "group: tourism")
        .replace("product_set: 9", "product_set: 26")
        + "offer: {price: 150000}\n",
    )
    write(
        products,
        "old.yaml",
        GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9003").replace("2025-01-10", "2020-01-10") + "offer: {price: 90000}\n",
    )
    write(
        products,
        "plain.yaml",
        GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9004").replace("Nước mắm thử nghiệm", "Nước mắm khác")
        + "offer: {price: 70000, gtin: '8936012345674'}\n",
    )
    for i in range(8):
        write(
            products,
            f"n{i}.yaml",
            GOOD_RECORD.replace("bt-pt-9001", f"bt-pt-80{i:02d}")
            .replace("Nước mắm thử nghiệm", f"Nước mắm số {i}")
            .replace("2025-01-10", f"2025-02-{i + 1:02d}"),
        )
    out = folder / "output"
    logger = logging.getLogger()
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        assert build_site(out, products, OCOP_NEWS_LIMIT=5, OCOP_SITEMAP_MAX_URLS=20) == 0
    finally:
        logger.removeHandler(handler)
    return out, [r.getMessage() for r in records]


def test_hostile_text_is_cleaned_and_feeds_stay_well_formed(hostile_site):
    out, _ = hostile_site
    for lang in ("vi", "en"):
        items = merchant_items(out, lang)
        # no tourism, no expired, none without an offer; issue 12: none without a photo (bt-pt-9004)
        assert set(items) == {"bt-pt-9001", "bt-pt-9005"}
        item = items["bt-pt-9001"]
        title, description = item.findtext("title"), item.findtext("description")
        assert not CONTROL.search(title + description + item.findtext("g:brand", namespaces=NS))
        assert "🐟" not in title and "😀" not in description and "<" not in description.replace("</script>", "")
        assert item.findtext("g:availability", namespaces=NS) == "out_of_stock"
        if lang == "vi":
            assert title == "Nước mắm thử nghiệm ]]> đặc biệt"
            assert "Nước mắm truyền thống ủ chượp" in description and "Đoạn thứ hai ]]> hết." in description
            assert "và & ký tự lạ" in description, "issue 12: an unclosed <!-- deletes nothing after it"
            assert "mso" not in description and "OfficeDocumentSettings" not in description
        else:
            assert len(title) <= 150 and title.endswith("…")
            words = title[:-1].split()
            assert LONG_TITLE.startswith(" ".join(words)), "cut at a word boundary"
            assert (
                "Summary ]]> with & emoji" in description
                and item.findtext("g:brand", namespaces=NS) == "Cơ sở thử nghiệm"
            )
    meta = rows(out / "feeds/meta-catalogue.csv")
    row = next(r for r in meta if r["id"] == "bt-pt-9001")
    assert row["availability"] == "out of stock" and not CONTROL.search("".join(row.values()))
    tsv = rows(out / "feeds/google-merchant-en.tsv", "\t")
    assert len(next(r for r in tsv if r["id"] == "bt-pt-9001")["title"]) <= 150
    doc = json.loads((out / "feeds/ocop-products.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(doc))
    record = next(r for r in doc["products"] if r["id"] == "bt-pt-9001")
    assert (
        record["name"]["vi"] == "Nước mắm thử nghiệm ]]> đặc biệt 🐟🔥"
    )  # open data keeps the text, minus control characters
    for name in ("news-vi.atom", "news-en.atom"):
        titles = "".join(t.text or "" for t in xml(out / "feeds" / name).iter(f"{{{ATOM}}}title"))
        assert "<" not in titles and not BIDI.search(titles)  # issue 12: Atom titles are cleaned by clean.plain


def test_markup_as_entities_direction_marks_and_separators_reach_no_consumer(hostile_site):
    """Issue 12: each consumer reads the item as it reads any: lxml for the RSS, a plain tab reader for the TSV
    (product_detail parsed as Google does), the csv module for Meta, the page's head for og:title and JSON-LD."""
    out, _ = hostile_site
    expected = {"vi": "Mắm đậm đặc sản", "en": "Rich fish sauce x"}
    for lang in ("vi", "en"):
        item = merchant_items(out, lang)["bt-pt-9005"]
        title = item.findtext("title")
        assert title == expected[lang] and "<" not in title and not BIDI.search(title)
        assert item.findtext("g:brand", namespaces=NS) == 'Cơ sở "Biển Xanh"', "a removed character glues no words"
        assert "," not in item.findtext("g:product_type", namespaces=NS)
        tsv = {r["id"]: r for r in tsv_rows(out / f"feeds/google-merchant-{lang}.tsv")}["bt-pt-9005"]
        assert tsv["title"] == title and tsv["brand"] == 'Cơ sở "Biển Xanh"', "no CSV quoting in the TSV"
        decision = dict((a, v) for _, a, v in product_details(tsv["product_detail"]))[
            "Quyết định công nhận" if lang == "vi" else "Certificate decision"
        ]
        assert "12:2024/QĐ-UBND" in decision and "UBND tỉnh Bình Thuận, Sở Công Thương" in decision
    vi = merchant_items(out, "vi")["bt-pt-9005"].findtext("description")
    assert 'Mắm "ngon" nhất vùng' in vi and "Phần đầu" in vi and "chưa đóng, và phần sau vẫn còn." in vi
    meta = {r["id"]: r for r in rows(out / "feeds/meta-catalogue.csv")}
    assert meta["bt-pt-9005"]["title"] == expected["vi"]
    assert meta["bt-pt-9004"]["image_link"] == f"{ROOT}/theme/img/ocop-social.png", "Meta: the default image"
    for lang, url in (("vi", "san-pham/hostile-markup/"), ("en", "en/products/hostile-markup/")):
        data, tags, _ = jsonld(out, url)
        assert data["name"] == expected[lang] and tags["og:title"].startswith(expected[lang] + " · OCOP")
        assert not BIDI.search(tags["og:title"] + tags["twitter:title"]) and "<" not in tags["og:title"]


def test_hostile_text_cannot_escape_the_jsonld_script(hostile_site):
    out, _ = hostile_site
    for url in ("san-pham/hostile/", "en/products/hostile/"):
        raw = (out / url / "index.html").read_text(encoding="utf-8")
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S).group(1)
        assert "<" not in script and ">" not in script
        data = json.loads(script)
        assert data["brand"]["name"] == "Cơ sở thử nghiệm"  # issue 12: cleaned like the feeds (was raw)
        assert "script" not in data["description"] and "]]>" in data["description"]
        assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
        doc = html.fromstring(raw.encode())
        assert len(doc.xpath("//script[@type='application/ld+json']")) == 1
        (og,) = doc.xpath("//meta[@property='og:description']/@content")
        assert "]]>" in og and "<" not in og and not CONTROL.search(og)


def test_hostile_text_warnings_name_the_record(hostile_site):
    out, messages = hostile_site
    ours = [m for m in messages if "Google Merchant" in m]
    assert any(
        m.startswith("products/pt/hostile.yaml:2: warning: field 'name.en':")
        and "cut at a word boundary" in m
        and "at most 150" in m
        for m in ours
    ), ours
    assert any(m.startswith("products/pt/hostile.yaml:2: warning: field 'name.vi':") and "emoji" in m for m in ours), (
        ours
    )
    # issue 13: control characters are removed once, when the record is read, with the reader's warning on the
    # field; no feed sees them any more
    assert not any("control characters" in m for m in ours), ours
    from ocop.records import read_record

    products = out.parent / "products"
    read = read_record(products / "pt" / "hostile.yaml", products, "Bình Thuận")
    assert [(p.line, p.field) for p in read.problems if "control characters" in p.text("en")] == [(2, "name.vi")]
    assert any(m.startswith("products/pt/hostile.yaml:6: warning: field 'producer.name':") for m in ours), ours
    assert any("plain.yaml" in m and "no photo" in m for m in ours)


def test_limits_news_and_sitemap_split(hostile_site):
    out, _ = hostile_site
    for lang in ("vi", "en"):
        assert len(xml(out / f"feeds/news-{lang}.atom").findall("a:entry", NS)) == 5
    index = xml(out / "sitemap.xml")
    assert index.tag == f"{{{SM}}}sitemapindex"
    parts = [s.findtext("sm:loc", namespaces=NS) for s in index]
    assert len(parts) >= 2
    listed = {}
    for loc in parts:
        urls = sitemap_urls(out, loc[len(ROOT) + 1 :])
        assert len(urls) <= 20
        listed.update(urls)
    assert f"{ROOT}/en/products/hostile/" in listed


def test_feeds_are_reproducible(catalogue):
    from datetime import date

    from ocop.feeds import build
    from ocop.feeds.context import FeedContext

    def once():
        ctx = FeedContext(ROOT, date(2026, 11, 22), "OCOP", image_urls=lambda p: [f"{ROOT}/media/{p.id}/a.jpg"])
        return build(catalogue, ctx)[0]

    assert once() == once()


def test_clean_helpers():
    from ocop.feeds.clean import cut, plain

    assert cut("một hai ba bốn năm", 12) == "một hai ba…"
    assert len(cut("x" * 300, 150)) == 150
    assert plain("**Đậm** và [liên kết](https://example.com)\n\n- một", markdown_source=True) == "Đậm và liên kết một"
    assert plain("a\x00b\x1bc\u0085d") == "a b c d"  # issue 12: a removed character never glues words
    assert plain("<p>Một</p><p>Hai</p>") == "Một Hai"
    assert plain("Cà phê ☕️ ngon 👍🏽 quá") == "Cà phê ngon quá"


def test_feeds_split_between_processes_are_the_same_files(site, tmp_path, monkeypatch):
    """Large catalogues build the feeds in two forked processes; the files must not change."""
    import sys

    from ocop.feeds import PARTS, feed_list

    # a file another plugin writes (the showrooms' GeoJSON) is listed, not built by the feeds
    built = {f.path for f in feed_list() if not f.format.written_by}
    assert set().union(*PARTS) == built and not PARTS[0] & PARTS[1]
    generator = sys.modules["ocop_feeds.generator"]  # loaded by Pelican for the session build
    monkeypatch.setattr(generator, "PARALLEL_FROM", 1)
    out = tmp_path / "output"
    assert build_site(out, OCOP_WORKERS=2) == 0
    for f in feed_list():
        assert (out / f.path).read_bytes() == (site / f.path).read_bytes(), f.path


def test_news_names_issuing_bodies_in_each_language(site):
    en = [e.findtext("a:summary", namespaces=NS) for e in xml(site / "feeds/news-en.atom").findall("a:entry", NS)]
    vi = [e.findtext("a:summary", namespaces=NS) for e in xml(site / "feeds/news-vi.atom").findall("a:entry", NS)]
    assert any("by Bình Thuận Provincial People's Committee" in s for s in en)
    assert any("District People's Committee" in s for s in en)
    assert not any(f"UBND {unit}" in s for s in en for unit in ("tỉnh", "huyện", "thị xã", "TP", "thành phố"))
    assert any("UBND tỉnh Bình Thuận" in s for s in vi)
