"""Meta (Facebook and Instagram) catalogue: a CSV data feed, with Meta's own column names and values.

The main feed is in Vietnamese; English comes as a Meta "language feed" (same ids, an
`override` column, the translated fields), which Meta merges into the catalogue. Both read the
marketplace items `merchant` makes (the same eligibility, cleaning and limits as Google's).
Specification: https://www.facebook.com/business/help/120325381656392
"""

from __future__ import annotations

from ..i18n import N_
from . import words, writers
from .format import Column, Format, Section
from .merchant import BRAND, DESCRIPTION, ITEMS, PRODUCT_TYPE, TITLE, Item

LANGUAGE_OVERRIDE = {"en": "en_XX"}

SECTION = Section(
    "meta",
    N_("Meta catalogue (Facebook and Instagram)"),
    N_(
        "A CSV data feed with Meta's own column names and values (in stock, 85000 VND). The main feed is in "
        "Vietnamese; the English file is a Meta language feed with the same ids, to be added to the catalogue as a "
        "language feed."
    ),
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _stars(it: Item) -> str:
    return f"OCOP {words.stars(it.stars, it.lang)}"


def _district(it: Item) -> str:
    return it.details[3][2]


COLUMNS: tuple[Column, ...] = (
    Column("id", lambda it: it.id, N_("The product's catalogue id (never changes).")),
    Column("title", lambda it: it.title, N_("Product name, at most 150 characters."), TITLE),
    Column(
        "description",
        lambda it: _one_line(it.description),
        N_("Plain-text description, at most 5,000 characters."),
        DESCRIPTION,
    ),
    Column("availability", lambda it: "in stock" if it.in_stock else "out of stock", N_("in stock or out of stock.")),
    Column("condition", lambda it: "new", N_("Always new.")),
    Column("price", lambda it: it.price_text, N_("Reference price in whole dong, e.g. 85000 VND.")),
    Column("link", lambda it: it.link, N_("Address of the product page.")),
    Column(
        "image_link",
        lambda it: it.image_link or it.fallback_image or "",
        N_("Main photo (JPEG); the site's default image for a product without a photo."),
    ),
    Column("brand", lambda it: it.brand, N_("The producer."), BRAND),
    Column(
        "additional_image_link",
        lambda it: ",".join(it.additional_image_links),
        N_("Other photos, separated by commas."),
    ),
    Column(
        "product_type",
        lambda it: it.product_type,
        N_("OCOP product group > product set; a comma inside a name is written as /."),
        PRODUCT_TYPE,
    ),
    Column("gtin", lambda it: it.gtin or "", N_("GTIN barcode number, if any.")),
    Column("custom_label_0", _stars, N_("OCOP star level, e.g. OCOP 4 stars.")),
    Column("custom_label_1", _district, N_("The producer's district (province).")),
)
LANGUAGE_COLUMNS: tuple[Column, ...] = (
    Column("id", lambda it: it.id, N_("The product's id, as in the main feed.")),
    Column("override", lambda it: LANGUAGE_OVERRIDE[it.lang], N_("Meta's language code: en_XX (English).")),
    Column("title", lambda it: it.title, N_("Product name in English."), TITLE),
    Column("description", lambda it: _one_line(it.description), N_("Description in English."), DESCRIPTION),
    Column("link", lambda it: it.link, N_("The English product page.")),
    Column("product_type", lambda it: it.product_type, N_("Group > product set in English."), PRODUCT_TYPE),
    Column("custom_label_0", _stars, N_("OCOP star level in English.")),
)

FORMATS: tuple[Format, ...] = (
    Format("meta", SECTION, {"vi": "meta-catalogue.csv"}, "text/csv", writers.table(), ITEMS, COLUMNS),
    Format(
        "meta-language", SECTION, {"en": "meta-catalogue-en.csv"}, "text/csv", writers.table(), ITEMS, LANGUAGE_COLUMNS
    ),
)
