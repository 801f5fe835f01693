"""Pelican plugin: product search (Pagefind), a search page in both languages and a search box on every page.

- every product page carries a hidden search record (theme/templates/search_record.html):
  the words to index (with the ASCII-folded forms, so "duc linh" finds "Đức Linh"), the
  filters (district, stars, group, producer kind; lapsed products also `certificate`) and the result meta;
- the search pages /tim-kiem/ and /en/search/ are written by SearchPageGenerator;
- at the end of the build (signal `finalized`) Pagefind indexes the product pages of the
  staging folder, so the index is swapped in with the pages it describes.
"""
from __future__ import annotations

import logging

from pelican import signals

from . import record
from .index import build_index
from .pages import SearchPageGenerator

log = logging.getLogger(__name__)


def _get_generators(pelican):
    return SearchPageGenerator


def _prepare_env(generator):
    generator.env.globals.update(record.GLOBALS)


_products: dict[str, int] = {}  # output path → number of products, from the catalogue generator


def _count_products(generators):
    for generator in generators:
        catalogue = generator.context.get("ocop_catalogue")
        if catalogue is not None:
            _products[str(generator.output_path)] = len(catalogue.products)
            return


def _index(pelican):
    expected = _products.pop(str(pelican.output_path), None)
    if not pelican.settings.get("OCOP_SEARCH_INDEX", True):
        return
    build_index(pelican.output_path, expected)


def register():
    signals.get_generators.connect(_get_generators)
    signals.generator_init.connect(_prepare_env)
    signals.all_generators_finalized.connect(_count_products)
    signals.finalized.connect(_index)
