"""Feeds for marketplaces and machines, made from the same catalogue as the pages.

Pure Python on the domain model (no Pelican here). Each format declares its files and columns
once (`format.py`; the list of formats is `registry.py`): Google Merchant RSS and TSV
(`merchant`), the Meta catalogue CSV (`meta`), open data JSON/CSV with its schema
(`opendata`), Atom certification news (`news`). Generic writers (`writers.py`) make the
bytes; `docs.py` makes the marketplaces page's contents and docs/feeds.md from the same
declarations. Also here: schema.org JSON-LD and social tags for product pages (`jsonld`) and
the sitemap (`sitemap`). `build` returns every feed file with the warnings about record text
that had to be cleaned or cut.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any

from ..catalogue import Catalogue
from ..problems import Problem
from .context import FeedContext
from .format import Feed, Run
from .registry import FORMATS, feed_list, parts

__all__ = ["FORMATS", "PARTS", "Feed", "build", "feed_list"]


def build(
    cat: Catalogue,
    ctx: FeedContext,
    license: str | None = None,
    only: set[str] | None = None,
    reuse: Mapping[Any, Any] | None = None,
    kept: dict[Any, Any] | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """Every feed file (path relative to the site root → bytes) and the warnings about record text.

    `only` limits the work to some of the files (paths as in `feed_list`), so that a caller can
    share the feeds between processes (`PARTS`). `reuse`: per-product results of the last build (what
    `kept` received then), valid only for the same code and settings: the caller keeps them.
    """
    gc_was_on = gc.isenabled()
    gc.disable()  # tens of thousands of short-lived objects, no cycles: the collector only costs time
    try:
        run = Run(cat, ctx, license, reuse=reuse or {})
        files = {
            f.path: f.write(run) for f in feed_list() if not f.format.written_by and (only is None or f.path in only)
        }
        if kept is not None:
            kept.update(run.kept)
        return files, run.finish()
    finally:
        if gc_was_on:
            gc.enable()


PARTS = parts(2)  # two halves of about the same work, for two processes
