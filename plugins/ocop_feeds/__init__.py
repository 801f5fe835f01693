"""Pelican plugin: feeds for marketplaces and machines, structured data, sitemap and robots.txt.

The feed formats live in the domain core (`ocop.feeds`); this adapter wires them into the
build: a generator writes /feeds/ and the bilingual "For marketplaces" page, a Jinja global
gives product pages their JSON-LD and social tags, and at the end of the build every written
page goes into sitemap.xml with its language twin.
"""
from __future__ import annotations

from pelican import signals

from . import head, sitemap
from .generator import FeedsGenerator


def _get_generators(pelican):
    return FeedsGenerator


def _prepare_env(generator):
    generator.env.globals.update(head.GLOBALS)


def register():
    signals.initialized.connect(sitemap.start)
    signals.get_generators.connect(_get_generators)
    signals.generator_init.connect(_prepare_env)
    signals.all_generators_finalized.connect(sitemap.generators_ready)
    signals.content_written.connect(sitemap.page_written)
    signals.finalized.connect(sitemap.finish)
