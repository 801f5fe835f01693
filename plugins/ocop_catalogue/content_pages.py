"""Content pages (About, how stars are awarded…) may not take an address the catalogue uses.

A page is written by Pelican's writer, catalogue pages by ours, into the same folder: a page whose slug is
`san-pham` or `thong-ke` would replace a listing or take a folder whose addresses are printed on
packaging, and nothing else would notice. Staff choose slugs in the browser editor, so the build refuses
such a page, naming the file, the line of its `Slug:` (or `Title:`, which the slug comes from) and what to do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from pelican.contents import Page as PelicanPage
from pelican.generators import PagesGenerator

from ocop import urls
from ocop.i18n import LANGS, N_
from ocop.problems import Problem, RecordsInvalid, problem

from . import site as site_build


def _first_folder(url: str) -> str:
    """`en/about-ocop/` → `about-ocop`; `gioi-thieu-ocop/` → `gioi-thieu-ocop`; `en/` → `en`."""
    parts = [p for p in url.split("/") if p]
    if len(parts) > 1 and parts[0] in LANGS and urls.home(parts[0]):
        parts = parts[1:]  # a language's own folder; `en/` alone (a page slugged "en") is that folder itself
    return parts[0] if parts else ""


def taken(planned: Iterable[site_build.Page], settings: dict) -> tuple[set[str], set[str]]:
    """What the catalogue uses: every planned output file, and every first folder of an address."""
    files = {page.output_file for page in planned}
    folders = set(urls.reserved_folders(settings.get("THEME_STATIC_DIR", "theme")))
    folders |= {_first_folder(name) for name in files if "/" in name}
    return files, folders


def _line_of(path: str, header: str) -> int:
    """The line of a `Header:` in a page's source (1 when the file cannot be read or has none)."""
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if re.match(rf"{header}\s*:", line, re.I):
                    return number
    except OSError:
        pass
    return 1


def _problem(page: Any, root: str) -> Problem:
    header = "Slug" if "slug" in getattr(page, "metadata", {}) else "Title"
    source = page.source_path
    rel = os.path.relpath(source, root).replace(os.sep, "/") if root else source
    return problem(
        rel,
        _line_of(source, header),
        header,
        N_("the page's address /{url} is one the catalogue uses; give the page another Slug (its address)"),
        url=page.url,
    )


def check(pages: Iterable[Any], planned: Iterable[site_build.Page], settings: dict) -> list[Problem]:
    """A problem for each content page whose address the catalogue already uses."""
    files, folders = taken(planned, settings)
    root = os.path.dirname(settings.get("PATH", "")) or ""
    return [_problem(page, root) for page in pages if page.save_as in files or _first_folder(page.url) in folders]


def own_key(content: Any) -> None:
    """Pelican's content_object_init: a page without `Key:` (PAGE_TRANSLATION_ID) has no twin, rather than
    stopping the whole build with Pelican's "Cannot use {'key'} as 'translation_id'" (the editor always writes
    a Key; a page written by hand may lack one). Its own file is its key: unique, so it pairs with nothing."""
    key = content.settings.get("PAGE_TRANSLATION_ID")
    if isinstance(content, PelicanPage) and isinstance(key, str) and not hasattr(content, key):
        setattr(content, key, "file:" + str(content.source_path))


def guard(generators: list[Any]) -> None:
    """Pelican's all_generators_finalized: every page is planned, nothing is written yet."""
    context = generators[0].context if generators else {}
    if site_build.CONTEXT_KEY not in context:
        return
    planned = site_build.of(context).pages
    pages = [
        page
        for gen in generators
        if isinstance(gen, PagesGenerator)
        for name in ("pages", "translations", "hidden_pages", "hidden_translations")
        for page in getattr(gen, name, [])
    ]
    problems = check(pages, planned, generators[0].settings)
    if problems:
        raise RecordsInvalid(problems)
