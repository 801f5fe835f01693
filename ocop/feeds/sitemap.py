"""Moved to ocop.sitemap; kept until tests/test_feeds.py imports it from there (then delete this file)."""
from ..sitemap import MAX_URLS, entries, robots, sitemaps

__all__ = ["MAX_URLS", "entries", "robots", "sitemaps"]
