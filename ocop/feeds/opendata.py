"""Open data: the whole catalogue as JSON and CSV, with a documented, versioned JSON Schema.

Unlike the marketplace feeds, open data keeps every product, including expired and revoked
ones with their status, and every certificate of each product: it is the programme's record,
for anyone who wants to reuse it (the way Open Food Facts publishes its data). Texts are
given as written in the records (descriptions are Markdown).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .. import urls
from ..catalogue import Catalogue
from ..certificates import Certificate
from ..model import Product, Text
from .clean import strip_controls
from .context import FeedContext, Field

SCHEMA_VERSION = "1.0.0"  # bump the major number when a field changes meaning or disappears
SCHEMA_PATH = Path(__file__).resolve().parent.parent.parent / "schema" / "opendata.schema.json"
JSON_NAME = "ocop-products.json"
CSV_NAME = "ocop-products.csv"
SCHEMA_NAME = "ocop-products.schema.json"


def _text(t: Text | None) -> dict | None:
    return {"vi": strip_controls(t.vi), "en": strip_controls(t.en)} if t else None


def _certificate(c: Certificate, ctx: FeedContext) -> dict:
    return {
        "stars": c.stars, "score": c.score, "decision": c.decision, "date": c.date.isoformat(), "issuer": c.issuer,
        "expires": c.expires.isoformat(), "revoked": c.revoked.isoformat() if c.revoked else None,
        "status": c.status(ctx.build_date).value,
    }


def record(p: Product, ctx: FeedContext) -> dict:
    o = p.offer
    return {
        "id": p.id,
        "slug": p.slug,
        "status": p.status.value,
        "listed": p.status.listed,
        "stars": p.stars,
        "name": _text(p.name),
        "summary": _text(p.summary),
        "description": _text(p.description),
        "story": _text(p.story),
        "group": {"key": p.group.key, "vi": p.group.vi, "en": p.group.en, "goods": p.group.goods},
        "product_set": {"number": p.product_set.number, "vi": p.product_set.vi, "en": p.product_set.en}
        if p.product_set else None,
        "place": {"province": p.province.name, "province_code": p.province.code, "district": p.district.name,
                  "district_code": p.district.code, "commune": p.commune},
        "producer": {"name": strip_controls(p.producer.name), "kind": p.producer.kind, "address": p.producer.address,
                     "phone": p.producer.phone, "email": p.producer.email, "website": p.producer.website,
                     "women_led": p.producer.women_led, "ethnic_minority_led": p.producer.ethnic_minority_led},
        "certificate": _certificate(p.current, ctx),
        "certificates": [_certificate(c, ctx) for c in p.certificates],
        "offer": {"price": o.price, "currency": "VND", "unit": _text(o.unit), "gtin": o.gtin, "available": o.available}
        if o else None,
        "buy": [{"channel": b.channel, "url": b.url} for b in p.buy],
        "standards": list(p.standards),
        "traceability": p.traceability,
        "showrooms": list(p.showrooms),
        "urls": {"vi": ctx.url(urls.product(p, "vi")), "en": ctx.url(urls.product(p, "en"))},
        "images": ctx.image_urls(p),
    }


def document(cat: Catalogue, ctx: FeedContext, license: str | None = None) -> dict:
    products = [record(p, ctx) for p in sorted(cat.products, key=lambda p: p.id)]
    return {
        "$schema": ctx.url(f"feeds/{SCHEMA_NAME}"),
        "schema_version": SCHEMA_VERSION,
        "generated": ctx.build_date.isoformat(),
        "source": ctx.url(""),
        "license": license,
        "count": len(products),
        "products": products,
    }


def to_json(doc: dict) -> bytes:
    """Compact JSON with one product per line: fast to write (C encoder), readable in a diff."""
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = {k: v for k, v in doc.items() if k != "products"}
    lines = ",\n".join(dump(p) for p in doc["products"])
    return (dump(head)[:-1] + ',"products":[\n' + lines + ("\n" if lines else "") + "]}\n").encode("utf-8")


CSV_FIELDS: tuple[Field, ...] = (
    Field("id", "Mã sản phẩm (không bao giờ đổi).", "Product id (never changes)."),
    Field("slug", "Phần cuối địa chỉ trang sản phẩm.", "Last part of the product page address."),
    Field("status", "active, expiring (sắp hết hạn), expired (hết hạn) hoặc revoked (bị thu hồi) vào ngày dựng trang.",
          "active, expiring, expired or revoked on the build date."),
    Field("stars", "Hạng sao của giấy chứng nhận hiện hành (3–5).", "Stars of the current certificate (3–5)."),
    Field("name_vi", "Tên tiếng Việt.", "Vietnamese name."),
    Field("name_en", "Tên tiếng Anh (có thể trống).", "English name (may be empty)."),
    Field("group", "Nhóm sản phẩm: food, drinks, herbal, handicrafts, ornamental, tourism.",
          "Product group: food, drinks, herbal, handicrafts, ornamental, tourism."),
    Field("product_set", "Số bộ sản phẩm (1–26) theo Quyết định 148/QĐ-TTg.", "Product set number (1–26), Decision 148/QĐ-TTg."),
    Field("province", "Tỉnh (theo địa giới trước năm 2025).", "Province (as before the 2025 reform)."),
    Field("district", "Huyện, thị xã, thành phố.", "District."),
    Field("commune", "Xã, phường.", "Commune."),
    Field("producer", "Tên chủ thể.", "Producer's name."),
    Field("producer_kind", "enterprise, cooperative, cooperative_group hoặc household.",
          "enterprise, cooperative, cooperative_group or household."),
    Field("score", "Điểm đánh giá trên 100.", "Score out of 100."),
    Field("decision", "Số quyết định công nhận hiện hành.", "Number of the current certificate decision."),
    Field("decision_date", "Ngày quyết định (năm-tháng-ngày).", "Decision date (year-month-day)."),
    Field("issuer", "Cơ quan công nhận.", "Certifying body."),
    Field("expires", "Ngày hết hạn.", "Expiry date."),
    Field("revoked", "Ngày thu hồi, nếu có.", "Revocation date, if any."),
    Field("certificates", "Số giấy chứng nhận đã có (kể cả cũ).", "Number of certificates held (including old ones)."),
    Field("price_vnd", "Giá tham khảo, đồng.", "Reference price, dong."),
    Field("available", "true khi còn hàng.", "true when in stock."),
    Field("gtin", "Mã vạch GTIN.", "GTIN barcode."),
    Field("url_vi", "Trang tiếng Việt.", "Vietnamese page."),
    Field("url_en", "Trang tiếng Anh.", "English page."),
)


def to_csv(doc: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f.name for f in CSV_FIELDS])
    for r in doc["products"]:
        c, o = r["certificate"], r["offer"] or {}
        w.writerow([
            r["id"], r["slug"], r["status"], r["stars"], r["name"]["vi"], r["name"]["en"] or "", r["group"]["key"],
            r["product_set"]["number"] if r["product_set"] else "", r["place"]["province"], r["place"]["district"],
            r["place"]["commune"] or "", r["producer"]["name"], r["producer"]["kind"], c["score"] or "", c["decision"],
            c["date"], c["issuer"], c["expires"], c["revoked"] or "", len(r["certificates"]), o.get("price", ""),
            "" if not o else ("true" if o["available"] else "false"), o.get("gtin") or "", r["urls"]["vi"], r["urls"]["en"],
        ])
    return buf.getvalue()


def schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()
