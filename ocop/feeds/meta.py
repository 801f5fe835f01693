"""Meta (Facebook and Instagram) catalogue: a CSV data feed, with Meta's own column names and values.

The main feed is in Vietnamese; English comes as a Meta "language feed" (same ids, an
`override` column, the translated fields), which Meta merges into the catalogue.
Specification: https://www.facebook.com/business/help/120325381656392
"""
from __future__ import annotations

import csv
import io

from .context import Field
from .merchant import Item

LANGUAGE_OVERRIDE = {"en": "en_XX"}

FIELDS: tuple[Field, ...] = (
    Field("id", "Mã sản phẩm trong danh mục (không bao giờ đổi).", "The product's catalogue id (never changes)."),
    Field("title", "Tên sản phẩm, tối đa 150 ký tự.", "Product name, at most 150 characters."),
    Field("description", "Mô tả dạng văn bản thuần, tối đa 5.000 ký tự.", "Plain-text description, at most 5,000 characters."),
    Field("availability", "in stock (còn hàng) hoặc out of stock (hết hàng).", "in stock or out of stock."),
    Field("condition", "Luôn là new.", "Always new."),
    Field("price", "Giá tham khảo, đồng chẵn, ví dụ 85000 VND.", "Reference price in whole dong, e.g. 85000 VND."),
    Field("link", "Địa chỉ trang sản phẩm.", "Address of the product page."),
    Field("image_link", "Ảnh chính (JPEG).", "Main photo (JPEG)."),
    Field("brand", "Chủ thể sản xuất.", "The producer."),
    Field("additional_image_link", "Các ảnh khác, cách nhau bằng dấu phẩy.", "Other photos, separated by commas."),
    Field("product_type", "Nhóm sản phẩm > bộ sản phẩm OCOP.", "OCOP product group > product set."),
    Field("gtin", "Mã vạch GTIN nếu có.", "GTIN barcode number, if any."),
    Field("custom_label_0", "Hạng sao OCOP, ví dụ OCOP 4 sao.", "OCOP star level, e.g. OCOP 4 stars."),
    Field("custom_label_1", "Huyện (tỉnh) của chủ thể.", "The producer's district (province)."),
)
LANGUAGE_FIELDS: tuple[Field, ...] = (
    Field("id", "Mã sản phẩm, trùng với nguồn cấp chính.", "The product's id, as in the main feed."),
    Field("override", "Mã ngôn ngữ của Meta: en_XX (tiếng Anh).", "Meta's language code: en_XX (English)."),
    Field("title", "Tên sản phẩm bằng tiếng Anh.", "Product name in English."),
    Field("description", "Mô tả bằng tiếng Anh.", "Description in English."),
    Field("link", "Trang sản phẩm tiếng Anh.", "The English product page."),
    Field("product_type", "Nhóm > bộ sản phẩm bằng tiếng Anh.", "Group > product set in English."),
    Field("custom_label_0", "Hạng sao OCOP bằng tiếng Anh.", "OCOP star level in English."),
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _stars(it: Item) -> str:
    return f"OCOP {it.stars} sao" if it.lang == "vi" else f"OCOP {it.stars} stars"


def _district(it: Item) -> str:
    return next(v for _, a, v in it.details[3:4])


def _write(rows: list[list[str]], header: tuple[Field, ...]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([f.name for f in header])
    w.writerows(rows)
    return buf.getvalue()


def main_feed(items: list[Item]) -> str:
    rows = [[
        it.id, it.title, _one_line(it.description), "in stock" if it.in_stock else "out of stock", "new",
        it.price_text, it.link, it.image_link or "", it.brand, ",".join(it.additional_image_links),
        it.product_type, it.gtin or "", _stars(it), _district(it),
    ] for it in items]
    return _write(rows, FIELDS)


def language_feed(items: list[Item], lang: str) -> str:
    rows = [[it.id, LANGUAGE_OVERRIDE[lang], it.title, _one_line(it.description), it.link, it.product_type, _stars(it)]
            for it in items]
    return _write(rows, LANGUAGE_FIELDS)
