"""Pelican plugin: feeds for marketplaces and machines, structured data, sitemap and robots.txt.

The feed formats live in the domain core (`ocop.feeds`); this adapter wires them into the
build: a generator writes /feeds/ and the bilingual "For marketplaces" page, a Jinja global
gives product pages their JSON-LD and social tags, and at the end of the build every written
page goes into sitemap.xml with its language twin.
"""
from __future__ import annotations

import os

from pelican import signals
from pelican.plugins._utils import load_legacy_plugin

from . import head
from .generator import FeedsGenerator


def _get_generators(pelican):
    return FeedsGenerator


def _prepare_env(generator):
    generator.env.globals.update(head.GLOBALS)


def register():
    # Until pelicanconf.py lists ocop_sitemap in PLUGINS (then delete this line and the two imports):
    load_legacy_plugin("ocop_sitemap", [os.path.dirname(os.path.dirname(__file__))]).register()
    signals.get_generators.connect(_get_generators)
    signals.generator_init.connect(_prepare_env)
