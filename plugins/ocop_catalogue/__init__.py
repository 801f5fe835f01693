"""Pelican plugin: the OCOP catalogue (products, listings, both languages in one pass).

It makes the build's shared object (site.SiteBuild) that the other OCOP plugins read: list it
first in PLUGINS.
"""

from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from ocop.settings import value

from . import content_pages, filters, i18n
from .generator import CatalogueGenerator


def _get_generators(pelican):
    return CatalogueGenerator


def _prepare_env(generator):
    """Every Jinja environment Pelican makes (one per generator) gets our gettext and filters."""
    i18n.install(generator.env, i18n.locale_dir(generator.settings))
    generator.env.filters.update(filters.FILTERS)
    # Compiled templates are kept between builds: the preview rebuilds on every save.
    cache = os.path.join(value(generator.settings, "OCOP_CACHE_PATH"), "jinja")
    os.makedirs(cache, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(cache)
    generator.env.globals.update(filters.GLOBALS)


def register():
    signals.get_generators.connect(_get_generators)
    signals.generator_init.connect(_prepare_env)
    signals.all_generators_finalized.connect(content_pages.guard)
    signals.content_object_init.connect(content_pages.own_key)
