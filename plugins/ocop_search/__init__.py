"""Pelican plugin: product search, a search page in both languages and a search box on every page.

- the search pages /tim-kiem/ and /en/search/ are written by SearchPageGenerator, which then writes
  the search index (index.py) from the catalogue into the staging folder, so the index is swapped in
  with the pages it describes; theme/static/js/search.js searches it in the browser;
- record.py computes what the index holds beyond the pages' own words (places on both maps, star
  words, thumbnails); its GLOBALS tell the templates to show the search box.
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
