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

from dataclasses import dataclass, field
from functools import cache

from .. import urls
from ..catalogue import Catalogue
from ..i18n import N_
from ..model import Product
from . import words, writers
from .clean import Cleaner, cut, plain
from .context import FeedContext
from .format import Column, Format, Limit, Run, Section, Source

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
    if p.summary:
        parts.append(
            cleaner.text(p, f"summary.{p.summary.lang_of(lang)}", p.summary.get(lang), limit, single_line=False)
        )
    if p.description:
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


def _details(p: Product, lang: str) -> list[tuple[str, str, str]]:
    c, d, section = p.current, _detail_labels(lang), DETAIL_SECTION
    return [
        (section, d["stars"], words.stars(c.stars, lang)),
        (section, d["decision"], DETAIL_VALUE.fit(plain(f"{c.decision} ({c.date.isoformat()}) · {c.issuer}"))),
        (section, d["expires"], c.expires.isoformat()),
        (section, d["district"], f"{p.district.name} ({p.district.province.name})"),
        (section, d["producer_kind"], words.producer_kinds(lang)[p.producer.kind]),
    ]


def item(p: Product, lang: str, ctx: FeedContext, cleaner: Cleaner) -> Item:
    title = _title(p, lang, cleaner)
    images = ctx.image_urls(p)
    if not images:
        cleaner.without_photo.append(p)
    product_type = p.group.label(lang) + (f" > {p.product_set.label(lang)}" if p.product_set else "")
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
        product_type=PRODUCT_TYPE.fit(product_type),
        details=_details(p, lang),
        stars=p.current.stars,
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
        cleaner.warn(
            first,
            "images",
            f"{len(missing)} products in the feeds have no photo ({names}, ...); {why}, so add photos to these records",
        )


def _cleaner(run: Run) -> Cleaner:
    return run.once(("marketplace cleaner", None), lambda: Cleaner(CONSUMER))


def _finish(run: Run) -> None:
    cleaner = _cleaner(run)
    warn_missing_photos(cleaner)
    run.problems.extend(cleaner.problems)


ITEMS = Source(
    "marketplace items",
    # per_lang=True: the source is made for each language, so lang is never None here
    lambda run, lang: items(run.catalogue, lang, run.ctx, _cleaner(run)),  # type: ignore[arg-type]
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
        "at a word boundary."
    ),
)

_ID = N_("The product's catalogue id (never changes).")
_TITLE = N_("Product name, at most 150 characters.")
_DESCRIPTION = N_("Plain-text description, at most 5,000 characters.")
_PRICE = N_("Reference price in whole dong, e.g. 85000 VND.")
_PRODUCT_TYPE = N_("OCOP product group > product set.")


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


def _tsv_safe(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


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
        lambda it: ",".join(f"{s}:{a}:{v.replace(',', ';')}" for s, a, v in it.details),
        N_("Stars, certificate decision, validity, district and producer kind (as section:attribute:value)."),
    ),
)

FORMATS: tuple[Format, ...] = (
    Format(
        "merchant-rss",
        SECTION,
        {"vi": "google-merchant-vi.xml", "en": "google-merchant-en.xml"},
        "application/rss+xml",
        writers.merchant_rss,
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
        writers.table("\t", _tsv_safe),
        ITEMS,
        TSV_COLUMNS,
    ),
)
