"""Google Merchant Center product feeds: RSS 2.0 with the g: namespace, and the same data as TSV.

One feed per language (Google wants one language per feed). Only goods with a valid
(active or expiring) certificate and an offer go in; a product that drops out is simply
absent, and Google removes it. The item id is the record's id, which never changes.
Specification: https://support.google.com/merchants/answer/7052112

The marketplace items (`ITEMS`) are made here, once per language, and shared with the Meta
catalogue: record text is cleaned and cut to the consumers' limits there, with a warning that
names the record's file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

from .. import urls
from ..catalogue import Catalogue
from ..i18n import DEFAULT_LANG, N_
from ..model import Product
from . import tsv, words, writers
from .clean import Cleaner, cut, plain
from .context import FeedContext
from .format import Column, Feed, Format, Limit, Row, Run, Section, Source, Writer, product_key

TITLE = Limit(150)
DESCRIPTION = Limit(5000)
BRAND = Limit(70)
PRODUCT_TYPE = Limit(750, word_boundary=False)
DETAIL_VALUE = Limit(1000, word_boundary=False)
CONSUMER = "Google Merchant and Meta product feeds"  # plural: "... feeds take at most"
DETAIL_SECTION = "OCOP"  # the same word in every language
DETAILS = {
    "stars": N_("OCOP stars"),
    "decision": N_("Certificate decision"),
    "expires": N_("Certificate valid until"),
    "district": N_("District"),
    "producer_kind": N_("Producer kind"),
}


def eligible(p: Product) -> bool:
    """What a marketplace may sell: certified now, a good (not a tourism service), with a price."""
    return p.status.listed and p.group.goods and p.offer is not None


@dataclass
class Item:
    """One product in one language, cleaned and cut to the consumers' limits."""

    product: Product  # the record, for columns that carry more of it
    id: str
    lang: str
    title: str
    description: str
    link: str
    image_link: str | None  # None: the record has no photo
    additional_image_links: list[str]
    in_stock: bool
    price: int  # whole VND
    brand: str
    gtin: str | None
    product_type: str
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (section, attribute, value)
    stars: int = 0
    fallback_image: str | None = None  # the site's default social image, for consumers that accept one

    @property
    def availability(self) -> str:
        return "in_stock" if self.in_stock else "out_of_stock"

    @property
    def price_text(self) -> str:
        return f"{self.price} VND"


@cache
def _detail_labels(lang: str) -> dict[str, str]:
    return {key: words.say(word, lang) for key, word in DETAILS.items()}


def _title(p: Product, lang: str, cleaner: Cleaner) -> str:
    name_lang = p.name.lang_of(lang)
    title = cleaner.text(p, f"name.{name_lang}", p.name.get(lang), TITLE.max)
    if not title:  # nothing left once emoji and markup are gone
        title = cut(plain(p.name.vi), TITLE.max) or p.id
        cleaner.warn(p, f"name.{name_lang}", f"the name has no words left once cleaned; the feed uses '{title}'")
    return title


def _description(p: Product, lang: str, cleaner: Cleaner, title: str) -> str:
    limit = DESCRIPTION.max
    parts = []
    if p.summary and p.summary.lang_of(lang) == lang:  # no Vietnamese text in an English feed
        parts.append(
            cleaner.text(p, f"summary.{p.summary.lang_of(lang)}", p.summary.get(lang), limit, single_line=False)
        )
    if p.description and p.description.lang_of(lang) == lang:
        parts.append(
            cleaner.text(
                p,
                f"description.{p.description.lang_of(lang)}",
                p.description.get(lang),
                limit,
                markdown_source=True,
                single_line=False,
            )
        )
    description = "\n\n".join(x for x in parts if x) or title
    if len(description) > limit:
        cleaner.warn(
            p,
            "description",
            f"summary and description together are {len(description)} characters; "
            f"at most {limit} are allowed, so they were cut at a word boundary",
        )
        description = cut(description, limit)
    return description


_COMMA = re.compile(r"\s*,\s*")
TYPE_LEVELS = " > "
TYPE_COMMA = " / "  # Google reads a comma in product_type as a separator between two types


def product_type(p: Product, lang: str) -> str:
    """'Thực phẩm > Tương / nước mắm / gia vị dạng lỏng': group > product set, no comma inside a level."""
    levels = [p.group.label(lang)] + ([p.product_set.label(lang)] if p.product_set else [])
    return TYPE_LEVELS.join(_COMMA.sub(TYPE_COMMA, level) for level in levels)


def _place(p: Product) -> str:
    """Today's place, then the former district in brackets: "Xã Đông Giang, Lâm Đồng (Hàm Thuận Bắc,
    Bình Thuận)"; names are not translated, so one value serves both languages."""
    commune = p.place.commune if p.place else None
    current = f"{commune.full_name}, {p.current_province.name}" if commune else p.current_province.name
    return f"{current} ({p.district.name}, {p.district.province.name})"


def _details(p: Product, lang: str) -> list[tuple[str, str, str]]:
    c, d, section = p.current, _detail_labels(lang), DETAIL_SECTION
    return [
        (section, d["stars"], words.stars(c.stars, lang)),
        (section, d["decision"], DETAIL_VALUE.fit(plain(f"{c.decision} ({c.date.isoformat()}) · {c.issuer}"))),
        (section, d["expires"], c.expires.isoformat()),
        (section, d["district"], _place(p)),
        (section, d["producer_kind"], words.producer_kinds(lang)[p.producer.kind]),
    ]


def item(p: Product, lang: str, ctx: FeedContext, cleaner: Cleaner) -> Item:
    title = _title(p, lang, cleaner)
    images = ctx.image_urls(p)
    assert p.offer is not None  # items() passes eligible products only, and they have an offer
    return Item(
        product=p,
        id=p.id,
        lang=lang,
        title=title,
        description=_description(p, lang, cleaner, title),
        link=ctx.url(urls.product(p, lang)),
        image_link=images[0] if images else None,
        additional_image_links=images[1:11],
        in_stock=p.offer.available,
        price=p.offer.price,
        brand=cleaner.text(p, "producer.name", p.producer.name, BRAND.max),
        gtin=p.offer.gtin,
        product_type=PRODUCT_TYPE.fit(product_type(p, lang)),
        details=_details(p, lang),
        stars=p.current.stars,
        fallback_image=ctx.default_image,
    )


PHOTO_WARNINGS_MAX = 20  # past this, one warning lists the first records instead of one each


def in_language(p: Product, lang: str) -> bool:
    """A product has an item in a feed of `lang` when its name is written in that language: an English feed
    with Vietnamese titles is disapproved by Google for a language mismatch, and Meta would show them as the
    English override. The Vietnamese feeds carry every eligible product."""
    return lang == DEFAULT_LANG or p.name.lang_of(lang) == lang


class ItemRow(Row):
    """A marketplace item that may not need making; whether it has a photo is known without making it."""

    __slots__ = ("has_photo",)
    has_photo: bool


def _row(p: Product, lang: str, ctx: FeedContext, cleaner: Cleaner, run: Run | None) -> ItemRow:
    """A product's item as a row. The item's warnings are kept with its key: a build that takes the item's lines
    from the last one tells them again, so that it warns exactly as a build that makes the item."""
    reuse, kept = (run.reuse, run.kept) if run is not None else ({}, {})
    made_from = run.key_of(p) if run is not None else product_key(p, ctx)
    key = ("marketplace item", lang, *made_from) if made_from else None
    told = reuse.get(key) if key else None
    if told is None:
        heard: list[tuple[str, str]] = []
        cleaner.heard = heard
        try:
            row = ItemRow.made(key, item(p, lang, ctx, cleaner))
        finally:
            cleaner.heard = None
        told = tuple(heard)
    else:
        for field_name, message in told:
            cleaner.warn(p, field_name, message)
        # said already: if a writer needs the item after all (a file the last build did not write), it is made
        # with a cleaner nobody reads
        row = ItemRow(key, partial(item, p, lang, ctx, Cleaner(cleaner.consumer)))
    if key:
        kept[key] = told
    row.has_photo = bool(ctx.image_urls(p))
    if not row.has_photo:
        cleaner.without_photo.append(p)
    return row


def items(cat: Catalogue, lang: str, ctx: FeedContext, cleaner: Cleaner, run: Run | None = None) -> list[ItemRow]:
    """Eligible products in id order (stable from build to build). With a `run`, an item whose key is in
    `run.reuse` is not made unless a writer asks for it (see `Run.pieces`)."""
    chosen = [p for p in sorted(cat.products, key=lambda p: p.id) if eligible(p)]
    untranslated = [p for p in chosen if not in_language(p, lang)]
    if untranslated:
        cleaner.untranslated.extend(untranslated)
    return [_row(p, lang, ctx, cleaner, run) for p in chosen if in_language(p, lang)]


def _warn_records(cleaner: Cleaner, records: list, field: str, one: str, many: str) -> None:
    """One warning per record, or past PHOTO_WARNINGS_MAX records one that names the first ten."""
    missing = sorted({p.source_rel: p for p in records}.values(), key=lambda p: p.source_rel)
    if len(missing) <= PHOTO_WARNINGS_MAX:
        for p in missing:
            cleaner.warn(p, field, one)
    elif missing:
        names = ", ".join(p.source_rel for p in missing[:10])
        cleaner.warn(missing[0], field, many.format(n=len(missing), names=names))


def warn_missing_photos(cleaner: Cleaner) -> None:
    """Google rejects items without a real product photo: say which records need one."""
    why = (
        "Google requires a real product photo, so the item is left out of the Google feeds "
        "(Meta shows the site's default image)"
    )
    _warn_records(
        cleaner,
        cleaner.without_photo,
        "images",
        f"the product has no photo; {why}: add a photo to the record",
        "{n} products in the feeds have no photo ({names}, ...); " + why + ": add photos to these records",
    )
    _warn_records(
        cleaner,
        cleaner.untranslated,
        "name.en",
        "the product has no English name, so it is left out of the English feeds: add name.en to the record",
        "{n} products have no English name ({names}, ...), so they are left out of the English feeds: "
        "add name.en to these records",
    )


def _has_photo(row: Any) -> bool:
    return row.has_photo if isinstance(row, ItemRow) else bool(row.image_link)


def with_photo(write: Writer) -> Writer:
    """A Google writer that leaves out items without a photo: Google disapproves an item without an image
    and does not accept a placeholder or generic image as a product's image."""

    def write_with_photo(feed: Feed, rows: Iterable[Any], run: Run) -> bytes:
        return write(feed, [row for row in rows if _has_photo(row)], run)

    return write_with_photo


def _cleaner(run: Run) -> Cleaner:
    return run.once(("marketplace cleaner", None), lambda: Cleaner(CONSUMER))


def _finish(run: Run) -> None:
    cleaner = _cleaner(run)
    warn_missing_photos(cleaner)
    run.problems.extend(cleaner.problems)


ITEMS = Source(
    "marketplace items",
    # per_lang=True: the source is made for each language, so lang is never None here
    lambda run, lang: items(run.catalogue, lang, run.ctx, _cleaner(run), run),  # type: ignore[arg-type]
    per_lang=True,
    cost=3,
    finish=_finish,
)


SECTION = Section(
    "merchant",
    N_("Google Merchant Center"),
    N_(
        "One feed per language, as Google asks: RSS 2.0 with the g: namespace, and the same data as tab-separated "
        "text. Prices are whole dong, e.g. 85000 VND; titles are cut at 150 characters and descriptions at 5,000, "
        "at a word boundary. Google accepts only a real product photo, so a product without a photo is left out of "
        "these feeds until its record has one; the English feeds hold the products that have an English name."
    ),
)

_ID = N_("The product's catalogue id (never changes).")
_TITLE = N_("Product name, at most 150 characters.")
_DESCRIPTION = N_("Plain-text description, at most 5,000 characters.")
_PRICE = N_("Reference price in whole dong, e.g. 85000 VND.")
_PRODUCT_TYPE = N_("OCOP product group > product set; a comma inside a name is written as /.")


def _images(it: Item) -> list[tuple[str, str]]:
    main = [("g:image_link", it.image_link)] if it.image_link else []
    return main + [("g:additional_image_link", extra) for extra in it.additional_image_links]


def _product_details(it: Item) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        ("g:product_detail", [("g:section_name", s), ("g:attribute_name", a), ("g:attribute_value", v)])
        for s, a, v in it.details
    ]


RSS_COLUMNS: tuple[Column, ...] = (
    Column("g:id", lambda it: it.id, _ID),
    Column("title", lambda it: it.title, _TITLE, TITLE),
    Column("description", lambda it: it.description, _DESCRIPTION, DESCRIPTION),
    Column("link", lambda it: it.link, N_("Address of the product page in the feed's language.")),
    Column("g:image_link, g:additional_image_link", _images, N_("Main photo and up to 10 more (JPEG).")),
    Column("g:availability", lambda it: it.availability, N_("in_stock or out_of_stock.")),
    Column("g:price", lambda it: it.price_text, _PRICE),
    Column("g:condition", lambda it: "new", N_("Always new.")),
    Column("g:brand", lambda it: it.brand, N_("The producer."), BRAND),
    Column(
        "g:gtin / g:identifier_exists",
        lambda it: [("g:gtin", it.gtin)] if it.gtin else [("g:identifier_exists", "no")],
        N_("GTIN barcode; without one, identifier_exists = no."),
    ),
    Column("g:product_type", lambda it: it.product_type, _PRODUCT_TYPE, PRODUCT_TYPE),
    Column(
        "g:product_detail",
        _product_details,
        N_("OCOP stars, certificate decision, valid until, district, producer kind."),
    ),
)


_DETAIL_SPECIAL = re.compile(r'[:,"]')


def detail_part(text: str) -> str:
    """One part of section:attribute:value in Google's text feeds: quoted, with quotes doubled, when it holds
    a colon, a comma or a quote, as in Google's own example, where 2.5 inches is written "2.5\"\"\"."""
    return '"' + text.replace('"', '""') + '"' if _DETAIL_SPECIAL.search(text) else text


def _tsv_details(it: Item) -> str:
    return ",".join(":".join(detail_part(part) for part in detail) for detail in it.details)


TSV_COLUMNS: tuple[Column, ...] = (
    Column("id", lambda it: it.id, _ID),
    Column("title", lambda it: it.title, _TITLE, TITLE),
    Column("description", lambda it: it.description, _DESCRIPTION, DESCRIPTION),
    Column("link", lambda it: it.link, N_("Address of the product page.")),
    Column("image_link", lambda it: it.image_link or "", N_("Main photo (JPEG).")),
    Column(
        "additional_image_link",
        lambda it: ",".join(it.additional_image_links),
        N_("Other photos, separated by commas."),
    ),
    Column("availability", lambda it: it.availability, N_("in_stock or out_of_stock.")),
    Column("price", lambda it: it.price_text, _PRICE),
    Column("condition", lambda it: "new", N_("Always new.")),
    Column("brand", lambda it: it.brand, N_("The producer."), BRAND),
    Column("gtin", lambda it: it.gtin or "", N_("GTIN barcode number, if any.")),
    Column("identifier_exists", lambda it: "" if it.gtin else "no", N_("no when the product has no barcode.")),
    Column("product_type", lambda it: it.product_type, _PRODUCT_TYPE, PRODUCT_TYPE),
    Column(
        "product_detail",
        _tsv_details,
        N_("Stars, certificate decision, validity, district and producer kind (as section:attribute:value)."),
    ),
)

FORMATS: tuple[Format, ...] = (
    Format(
        "merchant-rss",
        SECTION,
        {"vi": "google-merchant-vi.xml", "en": "google-merchant-en.xml"},
        "application/rss+xml",
        with_photo(writers.merchant_rss),
        ITEMS,
        RSS_COLUMNS,
        cost=3,
        title=N_("{site}: products (Google Merchant Center)"),
        subtitle=N_("OCOP products with a valid certificate and a reference price."),
    ),
    Format(
        "merchant-tsv",
        SECTION,
        {"vi": "google-merchant-vi.tsv", "en": "google-merchant-en.tsv"},
        "text/tab-separated-values",
        with_photo(tsv.write),
        ITEMS,
        TSV_COLUMNS,
    ),
)
