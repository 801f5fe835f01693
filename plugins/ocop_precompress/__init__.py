"""Pelican plugin: `.gz` and `.br` siblings of every text file, written when the build has finished.

Runs on Pelican's `finalized` signal, on the staging folder, so the siblings are swapped in with the
pages they compress. Skipped in the preview (`ocop serve` serves files as they are) and when the
setting OCOP_PRECOMPRESS is False. Compression and its cache: compress.py.
"""

from __future__ import annotations

import time
from pathlib import Path

from pelican import signals

from ocop.settings import value

from .compress import precompress


def _finalized(pelican) -> None:
    settings = pelican.settings
    if value(settings, "OCOP_PREVIEW") or not value(settings, "OCOP_PRECOMPRESS"):
        return
    started = time.perf_counter()
    cache = Path(value(settings, "OCOP_CACHE_PATH")) / "precompressed"
    workers = value(settings, "OCOP_WORKERS")
    quality = int(value(settings, "OCOP_BROTLI_QUALITY"))
    previous = value(settings, "OCOP_PREVIOUS_BUILD")  # the published version, whose siblings are reused
    before = Path(previous) if previous else None
    report = precompress(Path(pelican.output_path), cache, int(workers) if workers else None, quality, before)
    print(f"{report.summary()} {time.perf_counter() - started:.1f} s.")


def register():
    signals.finalized.connect(_finalized)
