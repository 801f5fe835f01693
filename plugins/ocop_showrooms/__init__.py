"""Pelican plugin: showrooms and sales points (pages, map, GeoJSON); needs the ocop_catalogue plugin."""

from __future__ import annotations

from pelican import signals

from . import labels
from .generator import ShowroomsGenerator


def _get_generators(pelican):
    return ShowroomsGenerator


def _prepare_env(generator):
    """Every Jinja environment gets the showroom words: the catalogue's renders the product pages that list them."""
    generator.env.globals.update(labels.GLOBALS)


def register():
    signals.get_generators.connect(_get_generators)
    signals.generator_init.connect(_prepare_env)
