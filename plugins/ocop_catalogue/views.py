"""What each page of the catalogue shows: a plan of pages computed from the catalogue.

Pure Python on the domain model: the generator only renders these. Keeping the plan here
means templates stay thin and tests can check groupings without rendering.
"""

from __future__ import annotations

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


def plan(cat: Catalogue, showrooms: Showrooms) -> list[Page]:
    """Every page of the catalogue, in both languages (showroom pages are the showrooms plugin's)."""
    pages = _listings(cat) + _places(cat)
    pages += paginate(urls.twins(urls.lapsed), cat.lapsed, "listing.html", {"kind": "lapsed"})
    pages += _products(cat, showrooms)
    # Its language links are the home pages', but it is no home page (no build date: base.html).
    not_found = {"not_found": True}
    pages.append(
        Page("404.html", urls.twins(urls.home), "vi", not_found, "404.html", root_relative=True, indexed=False)
    )
    return pages


def _listings(cat: Catalogue) -> list[Page]:
    """The home and browse pages, then the listings by star level and by group."""
    pages: list[Page] = []
    newest = newest_with_photos(cat, 8)
    for lang in LANGS:
        pages.append(Page("home.html", urls.twins(urls.home), lang, {"catalogue": cat, "newest": newest}))
        pages.append(Page("browse.html", urls.twins(urls.browse), lang, {"catalogue": cat}))
    for n, products in cat.stars.items():
        pages += paginate(urls.twins(urls.stars, n), products, "listing.html", {"kind": "stars", "stars": n})
    for g, products in cat.groups:
        pages += paginate(urls.twins(urls.group, g), products, "listing.html", {"kind": "group", "group": g})
    return pages


def _current_provinces(cat: Catalogue) -> list[Page]:
    """Each current province's page: its products' places, by former province and former district."""
    pages: list[Page] = []
    for entry in cat.current_provinces:
        for lang in LANGS:
            pages.append(
                Page("current_province.html", urls.twins(urls.current_province, entry.province), lang, {"entry": entry})
            )
    return pages


def _places(cat: Catalogue) -> list[Page]:
    """Each current province's page, each former province's page, then the former districts' listings."""
    pages: list[Page] = _current_provinces(cat)
    for province, entries in cat.provinces:
        for lang in LANGS:
            pages.append(
                Page(
                    "province.html",
                    urls.twins(urls.province, province),
                    lang,
                    {"province": province, "entries": entries},
                )
            )
        for entry in entries:
            ordered = [p for _, ps in entry.by_group for p in ps]
            for page in paginate(
                urls.twins(urls.district, entry.district),
                ordered,
                "district.html",
                {"kind": "district", "entry": entry},
            ):
                page.context["runs"] = grouped(page.context["items"])
                pages.append(page)
    return pages


def _products(cat: Catalogue, showrooms: Showrooms) -> list[Page]:
    """Each product's page, and a redirect at each of its former addresses (kept out of search engines)."""
    pages: list[Page] = []
    today = cat.build_date.isoformat()
    for p in cat.products:
        for lang in LANGS:
            pages.append(
                Page(
                    "product.html",
                    urls.twins(urls.product, p),
                    lang,
                    # The build day as text: revocations dated later are shown as scheduled.
                    {"product": p, "sold_at": showrooms.by_product.get(p.id, []), "today": today},
                )
            )
        for old in p.former_slugs:
            moved = {lang: urls.product_slug(old, lang) for lang in LANGS}
            for lang in LANGS:
                target = urls.product(p, lang)
                pages.append(
                    Page(
                        "redirect.html",
                        moved,
                        lang,
                        {"product": p, "target": target, "canonical": target},
                        indexed=False,
                    )
                )
    return pages
