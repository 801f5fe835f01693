"""Google Merchant Center product feeds: RSS 2.0 with the g: namespace, and the same data as TSV.

One feed per language (Google wants one language per feed). Only goods with a valid
(active or expiring) certificate and an offer go in; a product that drops out is simply
absent, and Google removes it. The item id is the record's id, which never changes.
Specification: https://support.google.com/merchants/answer/7052112
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .. import urls
from ..catalogue import Catalogue
from ..model import Product
from . import labels
from .clean import Cleaner, cut, plain
from .context import FeedContext, Field

G_NS = "http://base.google.com/ns/1.0"

TITLE_MAX = 150
DESCRIPTION_MAX = 5000
BRAND_MAX = 70
PRODUCT_TYPE_MAX = 750
DETAIL_VALUE_MAX = 1000
CONSUMER = "Google Merchant and Meta product feeds"  # plural: "... feeds take at most"


def eligible(p: Product) -> bool:
    """What a marketplace may sell: certified now, a good (not a tourism service), with a price."""
    return p.status.listed and p.group.goods and p.offer is not None


@dataclass
class Item:
    """One product in one language, cleaned and cut to the consumers' limits."""

    id: str
    lang: str
    title: str
    description: str
    link: str
    image_link: str | None
    additional_image_links: list[str]
    in_stock: bool
    price: int  # whole VND
    brand: str
    gtin: str | None
    product_type: str
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (section, attribute, value)
    stars: int = 0

    @property
    def availability(self) -> str:
        return "in_stock" if self.in_stock else "out_of_stock"

    @property
    def price_text(self) -> str:
        return f"{self.price} VND"


def item(p: Product, lang: str, ctx: FeedContext, cleaner: Cleaner) -> Item:
    name_lang = p.name.lang_of(lang)
    title = cleaner.text(p, f"name.{name_lang}", p.name.get(lang), TITLE_MAX)
    if not title:  # nothing left once emoji and markup are gone
        title = cut(plain(p.name.vi), TITLE_MAX) or p.id
        cleaner.warn(p, f"name.{name_lang}", f"the name has no words left once cleaned; the feed uses '{title}'")
    parts = []
    if p.summary:
        parts.append(cleaner.text(p, f"summary.{p.summary.lang_of(lang)}", p.summary.get(lang), DESCRIPTION_MAX,
                                  single_line=False))
    if p.description:
        parts.append(cleaner.text(p, f"description.{p.description.lang_of(lang)}", p.description.get(lang),
                                  DESCRIPTION_MAX, markdown_source=True, single_line=False))
    description = "\n\n".join(x for x in parts if x) or title
    if len(description) > DESCRIPTION_MAX:
        cleaner.warn(p, "description", f"summary and description together are {len(description)} characters; "
                                       f"at most {DESCRIPTION_MAX} are allowed, so they were cut at a word boundary")
        description = cut(description, DESCRIPTION_MAX)
    images = ctx.image_urls(p)
    if not images:
        cleaner.without_photo.append(p)
    brand = cleaner.text(p, "producer.name", p.producer.name, BRAND_MAX)
    product_type = p.group.label(lang) + (f" > {p.product_set.label(lang)}" if p.product_set else "")
    c = p.current
    d = labels.DETAILS[lang]
    section = labels.DETAIL_SECTION[lang]
    details = [
        (section, d["stars"], labels.stars(c.stars, lang)),
        (section, d["decision"], plain(f"{c.decision} ({c.date.isoformat()}) · {c.issuer}")[:DETAIL_VALUE_MAX]),
        (section, d["expires"], c.expires.isoformat()),
        (section, d["district"], f"{p.district.name} ({p.district.province.name})"),
        (section, d["producer_kind"], labels.PRODUCER_KINDS[lang][p.producer.kind]),
    ]
    return Item(
        id=p.id, lang=lang, title=title, description=description, link=ctx.url(urls.product(p, lang)),
        image_link=images[0] if images else None, additional_image_links=images[1:11],
        in_stock=p.offer.available, price=p.offer.price, brand=brand, gtin=p.offer.gtin,
        product_type=product_type[:PRODUCT_TYPE_MAX], details=details, stars=c.stars,
    )


PHOTO_WARNINGS_MAX = 20  # past this, one warning lists the first records instead of one each


def items(cat: Catalogue, lang: str, ctx: FeedContext, cleaner: Cleaner) -> list[Item]:
    """Eligible products in id order (stable from build to build)."""
    return [item(p, lang, ctx, cleaner) for p in sorted(cat.products, key=lambda p: p.id) if eligible(p)]


def warn_missing_photos(cleaner: Cleaner) -> None:
    """Google and Meta reject items without an image: say which records need a photo."""
    missing = sorted({p.source_rel: p for p in cleaner.without_photo}.values(), key=lambda p: p.source_rel)
    why = "Google and Meta reject items without an image"
    if len(missing) <= PHOTO_WARNINGS_MAX:
        for p in missing:
            cleaner.warn(p, "images", f"the product has no photo; {why}, so add a photo to the record")
    elif missing:
        first = missing[0]
        names = ", ".join(p.source_rel for p in missing[:10])
        cleaner.warn(first, "images", f"{len(missing)} products in the feeds have no photo ({names}, ...); "
                                      f"{why}, so add photos to these records")


# --- RSS 2.0 through feedgen, with a small extension for the g: namespace -----------------

_TAGS: dict[str, str] = {}


def _tag(name: str) -> str:
    return _TAGS.get(name) or _TAGS.setdefault(name, f"{{{G_NS}}}{name}")


class GoogleExtension(BaseExtension):
    def extend_ns(self):
        return {"g": G_NS}


class GoogleEntryExtension(BaseEntryExtension):
    """g: elements of one item, in the order they were added; a value may be a list of sub-elements."""

    def __init__(self):
        self._elements: list[tuple[str, str | list[tuple[str, str]]]] = []

    def add(self, name: str, value) -> None:
        self._elements.append((name, value))

    def extend_rss(self, entry):
        sub_element = etree.SubElement
        for name, value in self._elements:
            el = sub_element(entry, _tag(name))
            if isinstance(value, list):
                for sub, text in value:
                    sub_element(el, _tag(sub)).text = text
            else:
                el.text = value
        return entry

    def extend_atom(self, entry):
        return entry


def rss(products: list[Item], lang: str, ctx: FeedContext, self_url: str, page_url: str) -> bytes:
    fg = FeedGenerator()
    fg.register_extension("g", GoogleExtension, GoogleEntryExtension, atom=False, rss=True)
    fg.title(labels.FEED_TITLES["merchant"][lang].format(site=ctx.site_name))
    fg.link(href=self_url, rel="self", type="application/rss+xml")
    fg.link(href=page_url)  # RSS keeps the last link as the channel's <link>
    fg.description(labels.FEED_SUBTITLES["merchant"][lang])
    fg.language(lang)
    fg.lastBuildDate(ctx.build_datetime)
    for it in products:
        fe = fg.add_entry(order="append")
        fe.title(it.title)
        fe.link(href=it.link)
        fe.description(it.description)
        g = fe.g
        g.add("id", it.id)
        if it.image_link:
            g.add("image_link", it.image_link)
        for extra in it.additional_image_links:
            g.add("additional_image_link", extra)
        g.add("availability", it.availability)
        g.add("price", it.price_text)
        g.add("condition", "new")
        g.add("brand", it.brand)
        if it.gtin:
            g.add("gtin", it.gtin)
        else:
            g.add("identifier_exists", "no")
        g.add("product_type", it.product_type)
        for section, attribute, value in it.details:
            g.add("product_detail", [("section_name", section), ("attribute_name", attribute),
                                     ("attribute_value", value)])
    return fg.rss_str(pretty=True)


# --- the same data as tab-separated text ----------------------------------------------------

TSV_FIELDS: tuple[Field, ...] = (
    Field("id", "Mã sản phẩm trong danh mục (không bao giờ đổi).", "The product's catalogue id (never changes)."),
    Field("title", "Tên sản phẩm, tối đa 150 ký tự.", "Product name, at most 150 characters."),
    Field("description", "Mô tả dạng văn bản thuần, tối đa 5.000 ký tự.", "Plain-text description, at most 5,000 characters."),
    Field("link", "Địa chỉ trang sản phẩm.", "Address of the product page."),
    Field("image_link", "Ảnh chính (JPEG).", "Main photo (JPEG)."),
    Field("additional_image_link", "Các ảnh khác, cách nhau bằng dấu phẩy.", "Other photos, separated by commas."),
    Field("availability", "in_stock (còn hàng) hoặc out_of_stock (hết hàng).", "in_stock or out_of_stock."),
    Field("price", "Giá tham khảo, đồng chẵn, ví dụ 85000 VND.", "Reference price in whole dong, e.g. 85000 VND."),
    Field("condition", "Luôn là new (hàng mới).", "Always new."),
    Field("brand", "Chủ thể sản xuất.", "The producer."),
    Field("gtin", "Mã vạch GTIN nếu có.", "GTIN barcode number, if any."),
    Field("identifier_exists", "no khi sản phẩm không có mã vạch.", "no when the product has no barcode."),
    Field("product_type", "Nhóm sản phẩm > bộ sản phẩm OCOP.", "OCOP product group > product set."),
    Field("product_detail", "Hạng sao, quyết định công nhận, hiệu lực, địa phương, loại chủ thể (dạng mục:thuộc tính:giá trị).",
          "Stars, certificate decision, validity, district and producer kind (as section:attribute:value)."),
)


def _tsv_safe(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def tsv(products: list[Item]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([f.name for f in TSV_FIELDS])
    for it in products:
        details = ",".join(f"{s}:{a}:{v.replace(',', ';')}" for s, a, v in it.details)
        w.writerow([_tsv_safe(x) for x in (
            it.id, it.title, it.description, it.link, it.image_link or "", ",".join(it.additional_image_links),
            it.availability, it.price_text, "new", it.brand, it.gtin or "", "" if it.gtin else "no",
            it.product_type, details)])
    return buf.getvalue()


RSS_FIELDS: tuple[Field, ...] = (
    Field("g:id", "Mã sản phẩm trong danh mục (không bao giờ đổi).", "The product's catalogue id (never changes)."),
    Field("title", "Tên sản phẩm, tối đa 150 ký tự.", "Product name, at most 150 characters."),
    Field("description", "Mô tả dạng văn bản thuần, tối đa 5.000 ký tự.", "Plain-text description, at most 5,000 characters."),
    Field("link", "Địa chỉ trang sản phẩm bằng ngôn ngữ của nguồn cấp.", "Address of the product page in the feed's language."),
    Field("g:image_link, g:additional_image_link", "Ảnh chính và tối đa 10 ảnh khác (JPEG).", "Main photo and up to 10 more (JPEG)."),
    Field("g:availability", "in_stock hoặc out_of_stock.", "in_stock or out_of_stock."),
    Field("g:price", "Giá tham khảo, đồng chẵn, ví dụ 85000 VND.", "Reference price in whole dong, e.g. 85000 VND."),
    Field("g:condition", "Luôn là new.", "Always new."),
    Field("g:brand", "Chủ thể sản xuất.", "The producer."),
    Field("g:gtin / g:identifier_exists", "Mã vạch GTIN; nếu không có thì identifier_exists = no.", "GTIN barcode; without one, identifier_exists = no."),
    Field("g:product_type", "Nhóm sản phẩm > bộ sản phẩm OCOP.", "OCOP product group > product set."),
    Field("g:product_detail", "Hạng sao OCOP, quyết định công nhận, hiệu lực đến, địa phương, loại chủ thể.",
          "OCOP stars, certificate decision, valid until, district, producer kind."),
)
