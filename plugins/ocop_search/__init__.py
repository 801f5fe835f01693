"""Pelican plugin: product search (Pagefind), a search page in both languages and a search box on every page.

- every product page carries a hidden search record (theme/templates/search_record.html):
  the words to index (with the ASCII-folded forms, so "duc linh" finds "Đức Linh"), the
  filters (district, stars, group, producer kind; lapsed products also `certificate`) and the result meta;
- the search pages /tim-kiem/ and /en/search/ are written by SearchPageGenerator, which then has
  Pagefind index the product pages of the staging folder, so the index is swapped in with the
  pages it describes.
"""

from __future__ import annotations

from pelican import signals

from . import record
from .pages import SearchPageGenerator


def _get_generators(pelican):
    return SearchPageGenerator


def _prepare_env(generator):
    generator.env.globals.update(record.GLOBALS)


def register():
    signals.get_generators.connect(_get_generators)
    signals.generator_init.connect(_prepare_env)
