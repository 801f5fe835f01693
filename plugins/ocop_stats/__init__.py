"""Pelican plugin: the public statistics page (/thong-ke/, /en/statistics/), charts drawn at build time."""

from __future__ import annotations

from pelican import signals

from .generator import StatsGenerator


def _get_generators(pelican):
    return StatsGenerator


def register():
    signals.get_generators.connect(_get_generators)
