"""sitemap.xml with reciprocal hreflang alternates, split with a sitemap index when large, and robots.txt.

Each page is listed with an `xhtml:link rel="alternate"` for itself, its language twin and
x-default (the Vietnamese page), as Google asks. Pure: the pages come from the build's plan
(plugins/ocop_sitemap). A sitemap holds at most 50,000 URLs
(sitemaps.org); past that, sitemap.xml becomes an index of sitemap-1.xml, sitemap-2.xml, ...
"""

from __future__ import annotations

import re
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from .i18n import DEFAULT_LANG, LANGS

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000
_SAFE = ":/?#=&%~+"  # kept as they are in a URL
# What quote() leaves unchanged (its always-safe characters and _SAFE): most URLs are slugs, checked in one match.
_PLAIN = re.compile(r"[A-Za-z0-9_.\-~:/?#=&%+]*")


def _urlset(chunk: list[tuple[str, dict[str, str]]]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n']
    links: dict[int, str] = {}  # twins share one alternates dict (entries): its links are made once
    for loc, alternates in chunk:
        made = links.get(id(alternates))
        if made is None:
            made = links[id(alternates)] = "".join(
                f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(href)}/>'
                for lang, href in alternates.items()
            )
        out.append(f"<url><loc>{escape(loc)}</loc>{made}</url>\n")
    out.append("</urlset>\n")
    return "".join(out).encode("utf-8")


def _quoted(url: str) -> str:
    return url if _PLAIN.fullmatch(url) else quote(url, safe=_SAFE)


def entries(pages: list[dict[str, str]], root: str) -> list[tuple[str, dict[str, str]]]:
    """(absolute url, alternates) for every page of every language, each once, sorted.

    `pages` holds each written page's language → relative URL map (itself and its twin).
    """
    found: dict[str, dict[str, str]] = {}
    for twins in pages:
        absolute = {lang: _quoted(f"{root}/{twins[lang]}") for lang in LANGS if lang in twins}
        alternates = dict(absolute)
        if DEFAULT_LANG in absolute:
            alternates["x-default"] = absolute[DEFAULT_LANG]
        for url in absolute.values():
            found.setdefault(url, alternates if len(absolute) > 1 else {})
    return sorted(found.items())


def sitemaps(pages: list[dict[str, str]], root: str, max_urls: int = MAX_URLS) -> dict[str, bytes]:
    """File name → content: sitemap.xml alone, or sitemap.xml as an index of numbered sitemaps."""
    all_entries = entries(pages, root)
    if len(all_entries) <= max_urls:
        return {"sitemap.xml": _urlset(all_entries)}
    files: dict[str, bytes] = {}
    for n, start in enumerate(range(0, len(all_entries), max_urls), 1):
        files[f"sitemap-{n}.xml"] = _urlset(all_entries[start : start + max_urls])
    index = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    index += [f"<sitemap><loc>{escape(root)}/{name}</loc></sitemap>\n" for name in files]
    index.append("</sitemapindex>\n")
    files["sitemap.xml"] = "".join(index).encode("utf-8")
    return files


def robots(root: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {root}/sitemap.xml\n"
