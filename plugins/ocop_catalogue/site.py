"""The one object the OCOP plugins share during a build.

The catalogue generator makes it in generate_context (first: ocop_catalogue is listed first in
PLUGINS): it reads the product records and the showroom records, links them, and plans the
catalogue's pages. Every other OCOP generator adds the public pages it will write to the plan in
its own generate_context, so once Pelican has run every generate_context the plan holds every
public page (the sitemap reads it). Before any page is written, the catalogue generator fills in
the photo renditions. Plugins reach the object with `of(context)` instead of reading loose context
keys whose presence depends on the order of PLUGINS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ocop import urls
from ocop.catalogue import Catalogue
from ocop.i18n import LANGS
from ocop.images import Rendition
from ocop.showrooms import Showrooms

CONTEXT_KEY = "ocop"


@dataclass
class Page:
    """One page to write, in one language: what the sitemap, the renderers and the preview know of it."""

    template: str
    urls: dict[str, str]  # lang → url of this page and its twin
    lang: str
    context: dict[str, Any] = field(default_factory=dict)
    save_as: str | None = None  # default: <url>index.html
    root_relative: bool = False  # links from "/" rather than relative: the 404 page is served at any path
    indexed: bool = True  # False: search engines are asked to stay away (redirects, the 404 page)

    @property
    def url(self) -> str:
        return self.urls[self.lang]

    @cached_property
    def output_file(self) -> str:
        # Cached: the preview looks up every page of the plan by it after each save (45,000 at national scale).
        return self.save_as or urls.save_as(self.url)


def twin_pages(template: str, twins: dict[str, str], **context: Any) -> list[Page]:
    """A page that exists once per language (statistics, search, ...), each linked to its twins."""
    return [Page(template, twins, lang, dict(context)) for lang in LANGS]


@dataclass
class SiteBuild:
    settings: dict[str, Any]
    catalogue: Catalogue
    showrooms: Showrooms  # read and linked to the catalogue with it: product pages list them
    # product id → its photos' renditions, in the record's order; filled before any page is written
    renditions: dict[str, list[Rendition]] = field(default_factory=dict)
    # showroom id → its photos' renditions, likewise
    showroom_renditions: dict[str, list[Rendition]] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)  # every public page of the build, planned before any is written
    # output files hard-linked unchanged from the published version (OCOP_PREVIOUS_BUILD) by a publishing build:
    # ocop_precompress links their .gz/.br from there too
    linked: set[str] = field(default_factory=set)
    # (name, bytes) → the `.gz`/`.br` siblings to write beside a file (suffix, bytes), set by ocop_precompress
    # when a build precompresses: the catalogue's render workers write them with each page, from its bytes
    compress: Callable[[str, bytes], Iterable[tuple[str, bytes]]] | None = None
    # output files whose siblings were written with them (by `compress`): ocop_precompress leaves them be
    precompressed: set[str] = field(default_factory=set)

    @property
    def build_date(self) -> date:
        return self.catalogue.build_date

    def plan(self, pages: list[Page]) -> list[Page]:
        """Add a generator's pages to the plan (in generate_context); returns them."""
        self.pages.extend(pages)
        return pages

    def indexed_twins(self) -> list[dict[str, str]]:
        """Each indexed page's language → url map (itself and its twin), in plan order: the sitemap's input."""
        return [page.urls for page in self.pages if page.indexed]


def of(context: dict) -> SiteBuild:
    """The build's shared object; a clear error when the catalogue plugin is not enabled."""
    site = context.get(CONTEXT_KEY)
    if site is None:
        raise RuntimeError("the OCOP plugins need the ocop_catalogue plugin, listed first in PLUGINS")
    return site


def write_page(writer: Any, template: Any, context: dict, settings: dict, page: Page, **extra: Any) -> None:
    """One planned page through Pelican's writer, with what every catalogue page's template reads."""
    writer.write_file(
        page.output_file,
        template,
        context,
        relative_urls=settings["RELATIVE_URLS"],
        url=page.url,
        lang=page.lang,
        page_urls=page.urls,
        **extra,
    )
