"""Collect every written page with its language twin, then write sitemap.xml and robots.txt.

Catalogue pages come straight from the catalogue generator's plan (each page knows its twin);
pages written through Pelican's writer are gathered from `content_written` (its context has
`page_urls`, or a content page with its `translations`). Any other HTML file is found by
walking the output at the end and reading its own `<link rel="alternate" hreflang>` tags, so
no page is left out.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ocop import urls
from ocop.catalogue import Catalogue
from ocop.feeds import sitemap as sm


_state: dict = {"output": None, "pages": {}, "generators": []}
_SKIP = {"404.html"}
NOINDEX_TEMPLATES = {"redirect.html", "404.html"}  # catalogue pages that ask search engines to stay away
_ALTERNATE = re.compile(r'<link rel="alternate" hreflang="(vi|en)" href="([^"]+)"')
_NOINDEX = re.compile(r'<meta name="robots" content="[^"]*noindex', re.I)


def _head(file: Path) -> str:
    with open(file, "rb") as f:
        return f.read(16384).decode("utf-8", "replace").split("</head>")[0]


def start(pelican) -> None:
    _state.update(output=os.path.abspath(pelican.output_path), pages={}, generators=[])


def generators_ready(generators) -> None:
    _state["generators"] = list(generators)


def _catalogue_pages() -> dict[str, dict[str, str]]:
    """Written file → twins, for every page the catalogue generator plans."""
    found: dict[str, dict[str, str]] = {}
    for gen in _state["generators"]:
        if isinstance(getattr(gen, "catalogue", None), Catalogue):
            for page in getattr(gen, "pages", ()):
                twins = getattr(page, "urls", None)
                if isinstance(twins, dict) and getattr(page, "template", None) not in NOINDEX_TEMPLATES:
                    found[getattr(page, "save_as", None) or urls.save_as(page.url)] = dict(twins)
    return found


def _twins(context) -> dict[str, str] | None:
    if context.get("page_urls"):
        return dict(context["page_urls"])
    page = context.get("page")
    if page is not None and getattr(page, "url", None) is not None:
        found = {getattr(page, "lang", "vi"): page.url}
        for twin in getattr(page, "translations", ()):
            found[twin.lang] = twin.url
        return found
    return None


def page_written(path, context=None) -> None:
    output = _state["output"]
    if not output or not str(path).endswith(".html"):
        return
    path = os.path.abspath(path)
    if not path.startswith(output + os.sep):
        return
    context = context or {}
    rel = os.path.relpath(path, output).replace(os.sep, "/")
    if rel in _SKIP:
        return
    twins = _twins(context)
    lang = context.get("lang")
    canonical = context.get("canonical")
    if canonical and twins and lang in twins and canonical != twins[lang]:
        return  # a page that names another as canonical stays out of the sitemap
    if twins is None:
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        twins = {context.get("lang") or "vi": url}
    _state["pages"][rel] = twins


def _read_twins(head: str, rel: str, root: str) -> dict[str, str]:
    found = {lang: href[len(root) + 1:] for lang, href in _ALTERNATE.findall(head) if href.startswith(root + "/")}
    return found or {"vi": rel[: -len("index.html")] if rel.endswith("index.html") else rel}


def finish(pelican) -> None:
    if pelican.settings.get("OCOP_PREVIEW"):  # no crawler reads the staff's preview
        return
    output = _state["output"] or os.path.abspath(pelican.output_path)
    settings = pelican.settings
    root = settings["SITE_CANONICAL_URL"].rstrip("/")
    planned = _catalogue_pages()
    written = dict(_state["pages"])
    pages = dict(planned)
    seen = set(planned) | set(written) | _SKIP
    for rel, twins in written.items():  # a few hundred pages: cheap to check for noindex
        file = Path(output) / rel
        if rel not in _SKIP and file.is_file() and not _NOINDEX.search(_head(file)):
            pages[rel] = twins
    cut = len(output) + 1
    for folder, _dirs, names in os.walk(output):
        base = folder[cut:].replace(os.sep, "/")
        for name in names:
            if name.endswith(".html"):
                rel = f"{base}/{name}" if base else name
                if rel not in seen:
                    head = _head(Path(folder) / name)
                    if not _NOINDEX.search(head):
                        pages[rel] = _read_twins(head, rel, root)
    for skip in _SKIP:
        pages.pop(skip, None)
    files = sm.sitemaps(list(pages.values()), root, int(settings.get("OCOP_SITEMAP_MAX_URLS", sm.MAX_URLS)))
    for name, data in files.items():
        (Path(output) / name).write_bytes(data)
    (Path(output) / "robots.txt").write_text(sm.robots(root), encoding="utf-8")
    _state.update(output=None, pages={}, generators=[])
