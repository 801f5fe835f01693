"""Pelican plugin: `.gz` and `.br` siblings of every text file of the build.

The catalogue's pages and QR codes get theirs as they are rendered: before any page is written, the plugin
hands the encoders to the build (SiteBuild.compress), and the render workers write the siblings beside each
page from its bytes in memory. Every other text file gets its siblings on Pelican's `finalized` signal, on the
staging folder; either way the siblings are swapped in with the pages they compress. Skipped in the preview
(`ocop serve` serves files as they are) and when the setting OCOP_PRECOMPRESS is False. Compression and its
cache: compress.py.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

from pelican import signals

from ocop.settings import value
from ocop_catalogue import site

from .compress import precompress, siblings

# The build being made, by output folder, from the moment every generator has its context to `finalized`, which
# is given only the Pelican object: the files it linked from the published version are known by then.
_BUILDS: dict[str, site.SiteBuild] = {}


def _wanted(settings: dict) -> bool:
    return not value(settings, "OCOP_PREVIEW") and bool(value(settings, "OCOP_PRECOMPRESS"))


def _generators_ready(generators) -> None:
    _BUILDS.clear()  # one build at a time in a process; a failed one's entry goes with the next
    context = generators[0].context if generators else {}
    if site.CONTEXT_KEY in context:
        build = _BUILDS[str(generators[0].output_path)] = site.of(context)
        settings = generators[0].settings
        if _wanted(settings):
            build.compress = functools.partial(siblings, quality=int(value(settings, "OCOP_BROTLI_QUALITY")))


def _finalized(pelican) -> None:
    settings = pelican.settings
    build = _BUILDS.pop(str(pelican.output_path), None)
    if not _wanted(settings):
        return
    started = time.perf_counter()
    cache = Path(value(settings, "OCOP_CACHE_PATH")) / "precompressed"
    workers = value(settings, "OCOP_WORKERS")
    quality = int(value(settings, "OCOP_BROTLI_QUALITY"))
    previous = value(settings, "OCOP_PREVIOUS_BUILD")  # the published version, whose siblings are reused
    before = Path(previous) if previous else None
    linked, rendered = (build.linked, build.precompressed) if build else ((), ())
    output = Path(pelican.output_path)
    report = precompress(output, cache, int(workers) if workers else None, quality, before, linked, rendered)
    print(f"{report.summary()} {time.perf_counter() - started:.1f} s.")


def register():
    signals.all_generators_finalized.connect(_generators_ready)
    signals.finalized.connect(_finalized)
