"""What the search index knows about a product, beyond what the page shows.

index.py builds the index from these (places on both maps, star words, thumbnails, today's place and
the former district). Pure Python on the domain model, cheap per product. GLOBALS tell the templates
that the search box is there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ocop import urls
from ocop.model import Product
from ocop.text import fold
from ocop_catalogue.filters import before_reform, place_name, place_parts

# Filter keys the search page offers, in order. `set` (the product set, 148/QĐ-TTg) is a filter and
# not searchable text: a set's label names several goods ("Thủy sản và mật ong"), so as text it made
# "mật ong" find every fish of that set. Another key, `certificate`, is set ("lapsed") only on
# expired and revoked products: the search page uses it to rank them last.
FILTER_KEYS = ("province", "district", "stars", "group", "set", "kind")

_STAR_WORDS = {"vi": "{n} sao", "en": "{n} stars {n}-star"}


def district_label(p: Product) -> str:
    """District names repeat across provinces (Châu Thành…): the filter value names both."""
    return f"{p.district.name} ({p.province.name})"


def province_label(p: Product) -> str:
    """The current province: the filter people choose first on a site of several provinces."""
    return p.current_province.name


def place_names(p: Product) -> list[str]:
    """Every name a visitor may search a product's place by, on both maps: the current commune (with its
    kind: "Phường Mũi Né") and province, the former commune, district and province, the record's words."""
    place = getattr(p, "place", None)  # None for a product built by hand (tests, tools)
    names = [p.commune or ""]
    if place is not None:
        names += [c.full_name for c in (place.commune, place.former_commune) if c is not None]
        names += [place.province.name, place.former_province.name, place.district.full_name]
    names += [p.district.name, p.province.name]
    return list(dict.fromkeys(n for n in names if n))


def places(p: Product) -> str:
    return ", ".join(place_names(p))


def folded_words(p: Product, lang: str) -> str:
    """ASCII forms of the name, producer and places that differ from the written words.

    Pagefind (1.5) matches words with or without tone marks but keeps đ apart from d, so
    "duc linh" would not find "Đức Linh": indexing "duc linh" as well makes it match.
    """
    texts = [p.name.get(lang), p.name.vi, p.producer.name, *place_names(p)]
    written = set(" ".join(texts).lower().split())
    out: list[str] = []
    seen: set[str] = set()
    for word in fold(" ".join(texts)).split():
        if word not in written and word not in seen:
            seen.add(word)
            out.append(word)
    return " ".join(out)


def star_words(p: Product, lang: str) -> str:
    """ "4 sao" / "4 stars": what people type to find a star level."""
    return _STAR_WORDS[lang].format(n=p.stars)


def thumb(p: Product, images: Mapping[str, Any], fmt: str = "jpg") -> str:
    """The small photo shown beside a result, relative to the site root ('' when none): the JPEG, or
    with fmt="webp" the WebP the browser prefers (the product pages serve both the same way)."""
    pics = images.get(p.id) or ()
    return urls.product_media(p.id) + pics[0].pick(fmt, 400).name if pics else ""


def result_place(p: Product, lang: str) -> str:
    """Where a result is today, as its page says it: "Phường Mũi Né, tỉnh Lâm Đồng" (issue 10)."""
    return place_parts(p, lang)[0]


def result_former(p: Product, lang: str) -> str:
    """The former district, as the listings of the old map name it: "trước 7/2025: thành phố Phan Thiết"."""
    if getattr(p, "place", None) is None or not place_parts(p, lang)[1]:
        return ""
    return f"{before_reform(lang)}: {place_name(p.district, lang)}"


# search_box: the header's search box is shown only when this plugin is enabled.
GLOBALS = {"search_box": True}
