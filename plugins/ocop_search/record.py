"""What the search index knows about a product, beyond what the page shows.

theme/templates/search_record.html renders a hidden block on every product page that
Pagefind reads: the words to index, the filters and the result meta. This module gives
it the parts that need computing. Pure Python on the domain model, cheap per product.
"""

from __future__ import annotations

from ocop import urls
from ocop.model import Product
from ocop.text import fold

# Filter keys the search page offers, in order. A fifth, `certificate`, is set ("lapsed") only on
# expired and revoked products: the search page uses it to rank them last.
FILTER_KEYS = ("district", "stars", "group", "kind")

_STAR_WORDS = {"vi": "{n} sao", "en": "{n} stars {n}-star"}


def district_label(p: Product) -> str:
    """District names repeat across provinces (Châu Thành…): the filter value names both."""
    return f"{p.district.name} ({p.province.name})"


def places(p: Product) -> str:
    return ", ".join(s for s in (p.commune, p.district.name, p.province.name) if s)


def folded_words(p: Product, lang: str) -> str:
    """ASCII forms of the name, producer and places that differ from the written words.

    Pagefind (1.5) matches words with or without tone marks but keeps đ apart from d, so
    "duc linh" would not find "Đức Linh": indexing "duc linh" as well makes it match.
    """
    texts = [p.name.get(lang), p.name.vi, p.producer.name, p.commune or "", p.district.name, p.province.name]
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


def thumb(p: Product, images: dict) -> str:
    """The small photo shown beside a result, relative to the site root ('' when none)."""
    pics = images.get(p.id) or ()
    return urls.product_media(p.id) + pics[0].pick("jpg", 400).name if pics else ""


# search_box: the header's search box is shown only when this plugin is enabled.
GLOBALS = {
    "search_box": True,
    "search_district_label": district_label,
    "search_places": places,
    "search_folded": folded_words,
    "search_star_words": star_words,
    "search_thumb": thumb,
}
