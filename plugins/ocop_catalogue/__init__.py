"""Pelican plugin: the OCOP catalogue (products, listings, both languages in one pass)."""
from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from . import filters, i18n
from .generator import CatalogueGenerator


def _get_generators(pelican):
    return CatalogueGenerator


def _prepare_env(generator):
    """Every Jinja environment Pelican makes (one per generator) gets our gettext and filters."""
    theme_translations = os.path.join(generator.theme, "translations")
    i18n.install(generator.env, generator.settings.get("OCOP_TRANSLATIONS_PATH") or theme_translations)
    generator.env.filters.update(filters.FILTERS)
    # Compiled templates are kept between builds: the preview rebuilds on every save.
    cache = os.path.join(generator.settings.get("OCOP_CACHE_PATH") or ".cache", "jinja")
    os.makedirs(cache, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(cache)
    generator.env.globals.update(filters.GLOBALS)


def register():
    signals.get_generators.connect(_get_generators)
    signals.generator_init.connect(_prepare_env)
