"""Writes sitemap.xml and robots.txt from the page plan, once every generator has planned its pages.

Pelican runs every generator's generate_context before any generate_output, so by the time this
one writes, the plan is complete whatever the order of PLUGINS.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Iterable
from typing import Any

from pelican.generators import Generator

from ocop import sitemap, urls
from ocop.settings import value
from ocop_catalogue import site


def content_twins(pages: Iterable[Any]) -> list[dict[str, str]]:
    """Pelican content pages (with their translations) that are written: each one's language → url map."""
    found = []
    for original in pages:
        for page in (original, *original.translations):
            if page.save_as:
                found.append({page.lang: page.url, **{twin.lang: twin.url for twin in page.translations}})
    return found


def _unplanned_marketplaces(build: site.SiteBuild, settings: dict) -> list[dict[str, str]]:
    """Transitional: the marketplaces page while the feeds generator does not plan it yet.

    Delete once plugins/ocop_feeds/generator.py adds it to the plan (site.of(context).plan).
    """
    twins = urls.twins(urls.marketplaces)
    feeds = any(str(getattr(p, "__name__", p)).endswith("ocop_feeds") for p in settings.get("PLUGINS") or ())
    planned = any(page.urls == twins for page in build.pages)
    return [twins] if feeds and not planned else []


class SitemapGenerator(Generator):
    def generate_context(self):
        self.site = site.of(self.context)

    def pages(self) -> list[dict[str, str]]:
        """Every indexed page's language → url map: the plan's, then Pelican's content pages."""
        pages = self.site.indexed_twins() + _unplanned_marketplaces(self.site, self.settings)
        return pages + content_twins([*self.context.get("pages", ()), *self.context.get("hidden_pages", ())])

    def generate_output(self, writer):
        if value(self.settings, "OCOP_PREVIEW"):  # no crawler reads the staff's preview
            return
        root = value(self.settings, "SITE_CANONICAL_URL").rstrip("/")
        output = Path(self.output_path)
        files = sitemap.sitemaps(self.pages(), root, int(value(self.settings, "OCOP_SITEMAP_MAX_URLS")))
        for name, data in files.items():
            (output / name).write_bytes(data)
        (output / "robots.txt").write_text(sitemap.robots(root), encoding="utf-8")
