"""Content pages in the build: none may take an address the catalogue uses (the rule: ocop/content_pages.py),
and a page without a translation key is published without a twin."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from pelican.contents import Page as PelicanPage
from pelican.generators import PagesGenerator

from ocop import content_pages as core
from ocop.problems import Problem, RecordsInvalid

from . import site as site_build


def check(pages: Iterable[Any], planned: Iterable[site_build.Page], settings: dict) -> list[Problem]:
    """A problem for each content page whose address the catalogue already uses."""
    files, folders = core.taken((page.output_file for page in planned), settings["THEME_STATIC_DIR"])
    root = os.path.dirname(settings.get("PATH", "")) or ""
    return [
        core.address_taken(_relative(page.source_path, root), page.source_path, "slug" in page.metadata, page.url)
        for page in pages
        if page.save_as in files or core.first_folder(page.url) in folders
    ]


def _relative(source: str, root: str) -> str:
    return os.path.relpath(source, root).replace(os.sep, "/") if root else source


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
