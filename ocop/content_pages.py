"""Content pages (About, how stars are awarded…) and the catalogue's addresses: which a page may not take.

A page is written by Pelican's writer, catalogue pages by ours, into the same folder: a page whose slug is
`san-pham` or `thong-ke` would replace a listing or take a folder whose addresses are printed on packaging,
and nothing else would notice. Staff choose slugs in the browser editor, so the build refuses such a page
(plugins/ocop_catalogue/content_pages.py), naming the file, the line of its `Slug:` (or `Title:`, which the
slug comes from) and what to do. Pure core: no Pelican.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import urls
from .i18n import LANGS, N_
from .problems import Problem, problem

ADDRESS_TAKEN = N_("the page's address /{url} is one the catalogue uses; give the page another Slug (its address)")


def first_folder(url: str) -> str:
    """`en/about-ocop/` → `about-ocop`; `gioi-thieu-ocop/` → `gioi-thieu-ocop`; `en/` → `en`."""
    parts = [p for p in url.split("/") if p]
    if len(parts) > 1 and parts[0] in LANGS and urls.home(parts[0]):
        parts = parts[1:]  # a language's own folder; `en/` alone (a page slugged "en") is that folder itself
    return parts[0] if parts else ""


def taken(planned_files: Iterable[str], theme_dir: str) -> tuple[set[str], set[str]]:
    """What the catalogue uses: every planned output file, and every first folder of an address."""
    files = set(planned_files)
    folders = set(urls.reserved_folders(theme_dir)) | {first_folder(name) for name in files if "/" in name}
    return files, folders


def line_of(path: str, header: str) -> int:
    """The line of a `Header:` in a page's source (1 when the file cannot be read or has none)."""
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if re.match(rf"{header}\s*:", line, re.I):
                    return number
    except OSError:
        pass
    return 1


def address_taken(file: str, source: str, has_slug: bool, url: str) -> Problem:
    """The problem of a page at `url` (its file relative to the site folder, and its source path to read)."""
    header = "Slug" if has_slug else "Title"
    return problem(file, line_of(source, header), header, ADDRESS_TAKEN, url=url)
