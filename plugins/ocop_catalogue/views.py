"""What each page of the catalogue shows: a plan of pages computed from the catalogue.

Pure Python on the domain model: the generator only renders these. Keeping the plan here
means templates stay thin and tests can check groupings without rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil
from typing import Any

from ocop import urls
from ocop.catalogue import Catalogue
from ocop.i18n import LANGS
from ocop.model import Product
from ocop.showrooms import Showrooms

from .site import Page

PAGE_SIZE = 24

# How a plan makes a piece of itself: memo(key, make, *inputs) returns make(*inputs), or the pages it made for the
# same key from the very same inputs last time (Planner).
Memo = Callable[..., list[Page]]


def _make(key: tuple, make: Callable[..., list[Page]], *inputs: Any) -> list[Page]:
    return make(*inputs)


@dataclass
class Pagination:
    number: int
    count: int  # pages in all
    total: int  # items in all
    urls: list[str]  # url of each page, for this language

    @property
    def previous_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    @property
    def window(self) -> list[tuple[int, str] | None]:
        """Page links to show: first, last and two either side of this one; None marks a gap.

        A national listing has hundreds of pages: linking them all would make every page of
        it heavy on a phone (and the whole listing quadratic to build).
        """
        shown = sorted({1, self.count} | set(range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)))
        out: list[tuple[int, str] | None] = []
        for n in shown:
            if out and out[-1] and n - out[-1][0] > 1:
                out.append(None)
            out.append((n, self.urls[n - 1]))
        return out


def paginate(
    base: dict[str, str], items: list, template: str, context: dict[str, Any], size: int = PAGE_SIZE
) -> list[Page]:
    """Split a listing into numbered pages in both languages; an empty listing still has its page 1."""
    count = max(1, ceil(len(items) / size))
    pages = []
    for lang in LANGS:
        page_urls = [urls.paged(base[lang], n, lang) for n in range(1, count + 1)]
        for n in range(1, count + 1):
            twins = {lg: urls.paged(base[lg], n, lg) for lg in LANGS}
            chunk = items[(n - 1) * size : n * size]
            pages.append(
                Page(
                    template,
                    twins,
                    lang,
                    dict(context, items=chunk, pagination=Pagination(n, count, len(items), page_urls)),
                )
            )
    return pages


def grouped(products: list[Product]) -> list[tuple[Any, list[Product]]]:
    """Consecutive runs of one group, for a district page that lists products by group."""
    runs: list[tuple[Any, list[Product]]] = []
    for p in products:
        if not runs or runs[-1][0] is not p.group:
            runs.append((p.group, []))
        runs[-1][1].append(p)
    return runs


def newest_with_photos(cat: Catalogue, n: int) -> list[Product]:
    """The home page's opening: the newest certifications that have a photo (people browse on a phone, and a
    catalogue that opens on pictures shows what it is), then the newest without one if too few have."""
    ordered = cat.newest(len(cat.listed))
    return ([p for p in ordered if p.images] + [p for p in ordered if not p.images])[:n]


def plan(cat: Catalogue, showrooms: Showrooms, memo: Memo = _make) -> list[Page]:
    """Every page of the catalogue, in both languages (showroom pages are the showrooms plugin's)."""
    pages = _listings(cat, memo) + _places(cat, memo)
    pages += memo(("lapsed",), _lapsed, cat.lapsed)
    pages += _products(cat, showrooms, memo)
    pages += memo(("404",), _not_found)
    return pages


class Planner:
    """Plans as `plan` does, and keeps the plan: planned again after some records changed (the preview's refresh),
    each listing, place and product whose inputs are the very objects of last time (Catalogue.updated keeps what
    no change touched) gets last time's Page objects, so the plan costs what changed and the preview can tell an
    unchanged page by identity."""

    def __init__(self) -> None:
        self._last: dict[tuple, tuple[tuple, list[Page]]] = {}
        self._now: dict[tuple, tuple[tuple, list[Page]]] = {}

    def plan(self, cat: Catalogue, showrooms: Showrooms) -> list[Page]:
        self._now = {}
        pages = plan(cat, showrooms, self._memo)
        self._last, self._now = self._now, {}
        return pages

    def _memo(self, key: tuple, make: Callable[..., list[Page]], *inputs: Any) -> list[Page]:
        old = self._last.get(key)
        pages = old[1] if old is not None and _same_inputs(old[0], inputs) else make(*inputs)
        self._now[key] = (inputs, pages)
        return pages


def _same_inputs(before: tuple, now: tuple) -> bool:
    """The same objects (a text or a number: the same value)."""
    return len(before) == len(now) and all(
        a is b or (type(a) in (str, int) and type(b) is type(a) and a == b) for a, b in zip(before, now, strict=True)
    )


def _not_found() -> list[Page]:
    # Its language links are the home pages', but it is no home page (no build date: base.html).
    return [
        Page(
            "404.html", urls.twins(urls.home), "vi", {"not_found": True}, "404.html", root_relative=True, indexed=False
        )
    ]


def _lapsed(products: list[Product]) -> list[Page]:
    return paginate(urls.twins(urls.lapsed), products, "listing.html", {"kind": "lapsed"})


def _stars(n: int, products: list[Product]) -> list[Page]:
    return paginate(urls.twins(urls.stars, n), products, "listing.html", {"kind": "stars", "stars": n})


def _group(g: Any, products: list[Product]) -> list[Page]:
    return paginate(urls.twins(urls.group, g), products, "listing.html", {"kind": "group", "group": g})


def _listings(cat: Catalogue, memo: Memo) -> list[Page]:
    """The home and browse pages, then the listings by star level and by group."""
    pages: list[Page] = []
    newest = newest_with_photos(cat, 8)
    for lang in LANGS:
        pages.append(Page("home.html", urls.twins(urls.home), lang, {"catalogue": cat, "newest": newest}))
        pages.append(Page("browse.html", urls.twins(urls.browse), lang, {"catalogue": cat}))
    for n, products in cat.stars.items():
        pages += memo(("stars", n), _stars, n, products)
    for g, products in cat.groups:
        pages += memo(("group", g.key), _group, g, products)
    return pages


def _current_provinces(cat: Catalogue, memo: Memo) -> list[Page]:
    """Each current province's page: its products' places, by former province and former district."""
    pages: list[Page] = []
    for entry in cat.current_provinces:
        pages += memo(("current", entry.province), _current_province, entry)
    return pages


def _current_province(entry: Any) -> list[Page]:
    twins = urls.twins(urls.current_province, entry.province)
    return [Page("current_province.html", twins, lang, {"entry": entry}) for lang in LANGS]


def _places(cat: Catalogue, memo: Memo) -> list[Page]:
    """Each current province's page, each former province's page, then the former districts' listings."""
    pages: list[Page] = _current_provinces(cat, memo)
    for province, entries in cat.provinces:
        pages += memo(("province", province), _province, province, entries)
        for entry in entries:
            pages += memo(("district", entry.district), _district, entry)
    return pages


def _province(province, entries) -> list[Page]:
    twins = urls.twins(urls.province, province)
    return [Page("province.html", twins, lang, {"province": province, "entries": entries}) for lang in LANGS]


def _district(entry) -> list[Page]:
    """A former district's listing, its products by group."""
    ordered = [p for _, ps in entry.by_group for p in ps]
    pages = paginate(
        urls.twins(urls.district, entry.district), ordered, "district.html", {"kind": "district", "entry": entry}
    )
    for page in pages:
        page.context["runs"] = grouped(page.context["items"])
    return pages


def _products(cat: Catalogue, showrooms: Showrooms, memo: Memo) -> list[Page]:
    """Each product's page, and a redirect at each of its former addresses (kept out of search engines)."""
    pages: list[Page] = []
    # The build day as text: revocations dated later are shown as scheduled.
    today = cat.build_date.isoformat()
    for p in cat.products:
        pages += memo(("product", p.id), _product, p, today, *showrooms.by_product.get(p.id, ()))
    return pages


def _product(p: Product, today: str, *sold_at: Any) -> list[Page]:
    context = {"product": p, "sold_at": list(sold_at), "today": today}
    pages = [Page("product.html", urls.twins(urls.product, p), lang, context) for lang in LANGS]
    for old in p.former_slugs:
        moved = {lang: urls.product_slug(old, lang) for lang in LANGS}
        for lang in LANGS:
            target = urls.product(p, lang)
            pages.append(
                Page("redirect.html", moved, lang, {"product": p, "target": target, "canonical": target}, indexed=False)
            )
    return pages
