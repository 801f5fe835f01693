"""Open data: the whole catalogue as JSON and CSV, with a documented, versioned JSON Schema.

The CSV starts with a UTF-8 byte order mark: without it Excel in a Vietnamese locale reads the
file as Windows-1258 and shows mojibake. Its columns are described by a Frictionless Table Schema
(`ocop-products.csv.schema.json`, made from `CSV_COLUMNS`), which tools such as Frictionless,
CKAN and Open Refine read to type the columns. The data's licence is a setting
(OCOP_OPEN_DATA_LICENSE, by default CC BY 4.0). The showrooms' GeoJSON is written by the
showrooms plugin; the registry lists it here so that the marketplaces page documents it.

Unlike the marketplace feeds, open data keeps every product, including expired and revoked
ones with their status, and every certificate of each product: it is the programme's record,
for anyone who wants to reuse it (the way Open Food Facts publishes its data). Texts are
given as written in the records (descriptions are Markdown).

Each product's JSON record is declared once, key by key (`RECORD`); its published contract is
the JSON Schema in `ocop/schemas/opendata.schema.json` (a test keeps the two in step). The CSV
is one row per product, its columns read from that record (`CSV_COLUMNS`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from .. import urls
from ..catalogue import Catalogue
from ..certificates import Certificate
from ..i18n import DEFAULT_LANG, LANGS, N_
from ..model import Product, Text
from . import writers
from .clean import strip_controls
from .context import FeedContext
from .format import Column, Format, Row, Run, Section, Source, product_key

SCHEMA_VERSION = "1.3.0"  # bump the major number when a field changes meaning or disappears
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "opendata.schema.json"
JSON_NAME = "ocop-products.json"
CSV_NAME = "ocop-products.csv"
SCHEMA_NAME = "ocop-products.schema.json"
TABLE_SCHEMA_NAME = "ocop-products.csv.schema.json"
GEOJSON_NAME = "showrooms.geojson"  # written by the showrooms plugin (plugins/ocop_showrooms)
BOM = "\ufeff".encode()
# Licences whose text has a well-known address, for the JSON's license_url and the marketplaces page.
LICENSE_URLS = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL 1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}


def license_url(license: str | None) -> str | None:
    return LICENSE_URLS.get(" ".join(license.split())) if license else None


SECTION = Section(
    "opendata",
    N_("Open data"),
    N_(
        "The whole catalogue, including expired and revoked products with their status and every certificate, as "
        "JSON and CSV, for anyone who wants to reuse it. The JSON follows a documented, versioned JSON Schema; texts "
        "are as written in the records (descriptions are Markdown). The CSV is UTF-8 with a byte order mark, so that "
        "Excel opens it correctly, and its columns are described by a Frictionless Table Schema. The showrooms and "
        "sales points are a GeoJSON file."
    ),
)


def _text(t: Text | None) -> dict | None:
    return {"vi": strip_controls(t.vi), "en": strip_controls(t.en)} if t else None


def _certificate(c: Certificate, ctx: FeedContext) -> dict:
    return {
        "stars": c.stars,
        "score": c.score,
        "decision": c.decision,
        "date": c.date.isoformat(),
        "issuer": c.issuer,
        "expires": c.expires.isoformat(),
        "revoked": c.revoked.isoformat() if c.revoked else None,
        "status": c.status(ctx.build_date).value,
    }


class Entry(NamedTuple):
    """What a record's values are computed from."""

    product: Product
    ctx: FeedContext


def _product_set(p: Product) -> dict | None:
    s = p.product_set
    return {"number": s.number, "vi": s.vi, "en": s.en} if s else None


def _place(p: Product) -> dict:
    """Both maps: `province`, `district` (and their codes) are the former map's, as since 1.0; `commune` is
    the record's text; since 1.2.0 the current province and commune (GSO codes of the current map) and the
    former commune, each None when it cannot be told. The CSV has the current ones since 1.3.0."""
    place = p.place
    commune = place.commune if place else None
    former_commune = place.former_commune if place else None
    return {
        "province": p.province.name,
        "province_code": p.province.code,
        "district": p.district.name,
        "district_code": p.district.code,
        "commune": p.commune,
        "current_province": p.current_province.name,
        "current_province_code": p.current_province.code,
        "current_commune": commune.full_name if commune else None,
        "current_commune_code": commune.code if commune else None,
        "former_commune": former_commune.full_name if former_commune else None,
        "former_commune_code": former_commune.code if former_commune else None,
    }


def _producer(p: Product) -> dict:
    r = p.producer
    return {
        "name": strip_controls(r.name),
        "kind": r.kind,
        "address": r.address,
        "phone": r.phone,
        "email": r.email,
        "website": r.website,
        "women_led": r.women_led,
        "ethnic_minority_led": r.ethnic_minority_led,
    }


def _offer(p: Product) -> dict | None:
    o = p.offer
    return (
        {"price": o.price, "currency": "VND", "unit": _text(o.unit), "gtin": o.gtin, "available": o.available}
        if o
        else None
    )


# The keys of a product's record, in order; the JSON Schema documents each.
RECORD: tuple[Column, ...] = (
    Column("id", lambda e: e.product.id),
    Column("slug", lambda e: e.product.slug),
    Column("status", lambda e: e.product.status.value),
    Column("listed", lambda e: e.product.status.listed),
    Column("stars", lambda e: e.product.stars),
    Column("name", lambda e: _text(e.product.name)),
    Column("summary", lambda e: _text(e.product.summary)),
    Column("description", lambda e: _text(e.product.description)),
    Column("story", lambda e: _text(e.product.story)),
    Column(
        "group",
        lambda e: {
            "key": e.product.group.key,
            "vi": e.product.group.vi,
            "en": e.product.group.en,
            "goods": e.product.group.goods,
        },
    ),
    Column("product_set", lambda e: _product_set(e.product)),
    Column("place", lambda e: _place(e.product)),
    Column("producer", lambda e: _producer(e.product)),
    Column("certificate", lambda e: _certificate(e.product.current, e.ctx)),
    Column("certificates", lambda e: [_certificate(c, e.ctx) for c in e.product.certificates]),
    Column("offer", lambda e: _offer(e.product)),
    Column("buy", lambda e: [{"channel": b.channel, "url": b.url} for b in e.product.buy]),
    Column("standards", lambda e: list(e.product.standards)),
    Column("traceability", lambda e: e.product.traceability),
    Column("showrooms", lambda e: list(e.product.showrooms)),
    Column("urls", lambda e: {lang: e.ctx.url(urls.product(e.product, lang)) for lang in LANGS}),
    Column("images", lambda e: e.ctx.image_urls(e.product)),
)
_RECORD = [(c.name, c.getter()) for c in RECORD]


def record(p: Product, ctx: FeedContext) -> dict:
    entry = Entry(p, ctx)
    return {name: get(entry) for name, get in _RECORD}


def document(cat: Catalogue, ctx: FeedContext, license: str | None = None, run: Run | None = None) -> Document:
    """The open data: its head and each product's record as a line of JSON, in id order.

    With a `run`, a product's line is taken from `run.reuse` when its key (`record_key`) is there, and kept in
    `run.kept` for the next build: a decision changes a few dozen records of 20,000.
    """
    reuse, kept = (run.reuse, run.kept) if run is not None else ({}, {})
    lines, keys = [], []
    for p in sorted(cat.products, key=lambda p: p.id):
        key = record_key(p, ctx, run)
        line = reuse.get(key) if key else None
        if line is None:
            line = _dump(record(p, ctx)).encode("utf-8")
        if key:
            kept[key] = line
        lines.append(line)
        keys.append(key)
    head = {
        "$schema": ctx.url(urls.feed(SCHEMA_NAME)),
        "schema_version": SCHEMA_VERSION,
        "generated": ctx.build_date.isoformat(),
        "source": ctx.url(urls.home(DEFAULT_LANG)),
        "license": license,
        "license_url": license_url(license),
        "count": len(lines),
    }
    return Document(head, lines, keys)


def record_key(p: Product, ctx: FeedContext, run: Run | None = None) -> tuple | None:
    """A product's record's key in the cache (see `product_key`); None: never kept."""
    key = run.key_of(p) if run is not None else product_key(p, ctx)
    return ("opendata", *key) if key else None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Document:
    head: dict[str, Any]
    lines: list[bytes]  # each product's record, compact JSON in UTF-8 (the file is them joined: no encoding)
    keys: list[tuple | None] | None = None  # each record's key (`record_key`), for the CSV's lines

    @property
    def rows(self) -> list[Row]:
        """The records as values, for the CSV, read back from their JSON only when a line must be written (JSON
        gives back exactly the values it was made from: strings, numbers, booleans, None, lists and dicts)."""
        keys = self.keys or [None] * len(self.lines)
        return [Row(key, partial(json.loads, line)) for key, line in zip(keys, self.lines, strict=True)]


def to_json(doc: Document) -> bytes:
    """Compact JSON with one product per line: fast to write (C encoder), readable in a diff."""
    head = (_dump(doc.head)[:-1] + ',"products":[\n').encode("utf-8")
    return b"".join((head, b",\n".join(doc.lines), b"\n" if doc.lines else b"", b"]}\n"))


def _available(r: dict) -> str:
    o = r["offer"]
    return "" if not o else ("true" if o["available"] else "false")


CSV_COLUMNS: tuple[Column, ...] = (
    Column("id", lambda r: r["id"], N_("Product id (never changes).")),
    Column("slug", lambda r: r["slug"], N_("Last part of the product page address.")),
    Column("status", lambda r: r["status"], N_("active, expiring, expired or revoked on the build date.")),
    Column("stars", lambda r: r["stars"], N_("Stars of the current certificate (3–5).")),
    Column("name_vi", lambda r: r["name"]["vi"], N_("Vietnamese name.")),
    Column("name_en", lambda r: r["name"]["en"] or "", N_("English name (may be empty).")),
    Column(
        "group",
        lambda r: r["group"]["key"],
        N_("Product group: food, drinks, herbal, handicrafts, ornamental, tourism."),
    ),
    Column(
        "product_set",
        lambda r: r["product_set"]["number"] if r["product_set"] else "",
        N_("Product set number (1–26), Decision 148/QĐ-TTg."),
    ),
    Column("province", lambda r: r["place"]["province"], N_("Province (as before the 2025 reform).")),
    Column("district", lambda r: r["place"]["district"], N_("District.")),
    Column("commune", lambda r: r["place"]["commune"] or "", N_("Commune.")),
    # since 1.3.0, after the former map's columns (read the columns by name): the map since 1/7/2025
    Column("current_province", lambda r: r["place"]["current_province"], N_("Province since the 2025 reform (34).")),
    Column(
        "current_province_code",
        lambda r: r["place"]["current_province_code"],
        N_("Its code (General Statistics Office)."),
    ),
    Column(
        "current_commune",
        lambda r: r["place"]["current_commune"] or "",
        N_("Commune, ward or special zone since the 2025 reform; empty when it cannot be told."),
    ),
    Column(
        "current_commune_code",
        lambda r: r["place"]["current_commune_code"] or "",
        N_("Its code (General Statistics Office)."),
    ),
    Column("producer", lambda r: r["producer"]["name"], N_("Producer's name.")),
    Column(
        "producer_kind", lambda r: r["producer"]["kind"], N_("enterprise, cooperative, cooperative_group or household.")
    ),
    Column("score", lambda r: r["certificate"]["score"] or "", N_("Score out of 100.")),
    Column("decision", lambda r: r["certificate"]["decision"], N_("Number of the current certificate decision.")),
    Column("decision_date", lambda r: r["certificate"]["date"], N_("Decision date (year-month-day).")),
    Column("issuer", lambda r: r["certificate"]["issuer"], N_("Certifying body.")),
    Column("expires", lambda r: r["certificate"]["expires"], N_("Expiry date.")),
    Column("revoked", lambda r: r["certificate"]["revoked"] or "", N_("Revocation date, if any.")),
    Column("certificates", lambda r: len(r["certificates"]), N_("Number of certificates held (including old ones).")),
    Column("price_vnd", lambda r: (r["offer"] or {}).get("price", ""), N_("Reference price, dong.")),
    Column("available", _available, N_("true when in stock.")),
    Column("gtin", lambda r: (r["offer"] or {}).get("gtin") or "", N_("GTIN barcode.")),
    Column("url_vi", lambda r: r["urls"]["vi"], N_("Vietnamese page.")),
    Column("url_en", lambda r: r["urls"]["en"], N_("English page.")),
)


# Table Schema types of the CSV columns that are not plain strings; an empty cell is a missing value.
CSV_TYPES: dict[str, dict] = {
    "status": {"type": "string", "constraints": {"enum": ["active", "expiring", "expired", "revoked"]}},
    "stars": {"type": "integer", "constraints": {"minimum": 3, "maximum": 5}},
    "current_province_code": {"type": "integer", "constraints": {"minimum": 1}},
    "current_commune_code": {"type": "integer", "constraints": {"minimum": 1}},
    "product_set": {"type": "integer", "constraints": {"minimum": 1, "maximum": 26}},
    "score": {"type": "integer", "constraints": {"minimum": 0, "maximum": 100}},
    "decision_date": {"type": "date"},
    "expires": {"type": "date"},
    "revoked": {"type": "date"},
    "certificates": {"type": "integer", "constraints": {"minimum": 1}},
    "price_vnd": {"type": "integer", "constraints": {"minimum": 0}},
    "available": {"type": "boolean"},
    "url_vi": {"type": "string", "format": "uri"},
    "url_en": {"type": "string", "format": "uri"},
}
_REQUIRED = {
    *("id", "slug", "status", "stars", "name_vi", "group", "province", "district", "producer", "decision"),
    *("current_province", "current_province_code"),
}


def table_schema() -> dict:
    """The CSV's Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/), from CSV_COLUMNS."""
    fields = []
    for c in CSV_COLUMNS:
        spec = {"name": c.name, "description": c.doc, **CSV_TYPES.get(c.name, {"type": "string"})}
        spec.setdefault("type", "string")
        if c.name in _REQUIRED:
            spec["constraints"] = {**spec.get("constraints", {}), "required": True}
        fields.append(spec)
    return {
        "fields": fields,
        "primaryKey": "id",
        "missingValues": [""],
    }


def table_schema_bytes() -> bytes:
    return (json.dumps(table_schema(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


# The showrooms' GeoJSON (RFC 7946), documented here, written by ocop.showrooms.geojson.
GEOJSON_PROPERTIES: tuple[Column, ...] = (
    Column("geometry", None, N_("The showroom's position: a Point, longitude then latitude.")),
    Column("id", None, N_("The showroom's id (never changes).")),
    Column("name, name_en", None, N_("Name in Vietnamese and in English.")),
    Column(
        "kind", None, N_("Kind of place: centre, sales_point, retail, tourist_site, hotel, airport, station or other.")
    ),
    Column("address, district, province", None, N_("Street address, district and province.")),
    Column("url, url_en", None, N_("The showroom's page in Vietnamese and in English.")),
    Column("phone, email, website, opening_hours", None, N_("Contact and opening hours, when known.")),
    Column("products", None, N_("Ids of the certified products sold there.")),
)

DOCUMENT = Source(
    "open data", lambda run, lang: document(run.catalogue, run.ctx, run.license, run), per_lang=False, cost=2
)
_to_csv = writers.table()

FORMATS: tuple[Format, ...] = (
    Format(
        "opendata-json",
        SECTION,
        {None: JSON_NAME},
        "application/json",
        lambda feed, doc, run: to_json(doc),
        DOCUMENT,
        RECORD,
    ),
    Format(
        "opendata-csv",
        SECTION,
        {None: CSV_NAME},
        "text/csv",
        lambda feed, doc, run: BOM + _to_csv(feed, doc.rows, run),
        DOCUMENT,
        CSV_COLUMNS,
    ),
    Format(
        "opendata-schema",
        SECTION,
        {None: SCHEMA_NAME},
        "application/schema+json",
        lambda feed, rows, run: schema_bytes(),
        cost=0,
    ),
    Format(
        "opendata-csv-schema",
        SECTION,
        {None: TABLE_SCHEMA_NAME},
        "application/json",
        lambda feed, rows, run: table_schema_bytes(),
        cost=0,
    ),
    Format(
        "showrooms-geojson",
        SECTION,
        {None: GEOJSON_NAME},
        "application/geo+json",
        lambda feed, rows, run: b"",  # never called: the showrooms plugin writes the file
        columns=GEOJSON_PROPERTIES,
        written_by="ocop_showrooms",
    ),
)
