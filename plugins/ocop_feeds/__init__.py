"""Pelican plugin: feeds for marketplaces and machines, and structured data on product pages.

The feed formats live in the domain core (`ocop.feeds`); this adapter wires them into the
build: a generator writes /feeds/ and the bilingual "For marketplaces" page, a Jinja global
gives product pages their JSON-LD and social tags. The sitemap is the ocop_sitemap plugin.
"""

from __future__ import annotations

from pelican import signals

from . import head
from .generator import FeedsGenerator


def _get_generators(pelican):
    return FeedsGenerator


def _prepare_env(generator):
    generator.env.globals.update(head.GLOBALS)


def register():
    signals.get_generators.connect(_get_generators)
    signals.generator_init.connect(_prepare_env)
