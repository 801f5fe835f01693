"""Pelican plugin: sitemap.xml (every page with its language twin, for hreflang) and robots.txt.

The pages come from the build's plan (ocop_catalogue.site.SiteBuild.pages: every OCOP generator
plans its public pages there before any is written) and, for the Markdown content pages, from
Pelican's own page objects and their translations. Needs the ocop_catalogue plugin.
"""

from __future__ import annotations

from pelican import signals

from .generator import SitemapGenerator


def _get_generators(pelican):
    return SitemapGenerator


def register():
    signals.get_generators.connect(_get_generators)
