"""Writes sitemap.xml and robots.txt from the page plan, once every generator has planned its pages.

Pelican runs every generator's generate_context before any generate_output, so by the time this
one writes, the plan is complete whatever the order of PLUGINS.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from ocop import sitemap
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


class SitemapGenerator(Generator):
    def generate_context(self):
        self.site = site.of(self.context)

    def pages(self) -> list[dict[str, str]]:
        """Every indexed page's language → url map: the plan's, then Pelican's content pages."""
        pages = self.site.indexed_twins()
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
