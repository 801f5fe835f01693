"""The preview's long-running state: after a record is saved, only that record is read again.

`ocop serve` keeps one process running and rebuilds the preview after every save. A whole Pelican run
per save re-reads settings, plugins, the theme, every content page and (from the record cache) every
product record, then plans and fingerprints every page: seconds at 20,000 products. A PreviewSession keeps
the last successful run (its generators, Jinja environments and records in memory) and, when only files
under the products folder changed, refreshes it instead:

- the record files are listed and stat-ed; a record whose file or photos changed (or, missing a photo, its
  folder) is read and validated again with the domain core's `read_record`, every other one is reused as it is;
- the catalogue is updated with the records read again (`Catalogue.updated`: equal to a fresh one, and every
  listing and entry they do not touch is the very object it was), the showrooms are linked to it again, and
  the page plan is made again by the generator's `views.Planner`, which reuses the pages of every listing,
  place and product made of those very objects; the OCOP plugins' generators plan and write their few pages;
- catalogue pages are rendered only where their fingerprint changed (generator.py `_incremental`), and a page
  the planner reused is known to be unchanged without a look at its context.

Anything else (the theme, content pages, showroom records, translations, another build day) and anything
unusual (a record with an error, an id or address used twice, many files changed at once) runs the whole
build, which reports errors exactly as it always did. So the preview shows what a whole preview build of
the same files shows.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pelican import Pelican, signals

from ocop import showrooms as sr
from ocop.catalogue import Catalogue, build_date_from_env
from ocop.model import Product
from ocop.problems import Problem, errors
from ocop.records import RecordCache, RecordResult, later_certificates, read_record, record_files
from ocop.settings import Site, value

from . import site as site_build
from .generator import CatalogueGenerator, record_cache_file, report_warnings, showrooms_folder
from .publish import preview_site

# More changed records than this (a `git pull`, a folder copied in): the whole build is as quick, and it
# refreshes the record cache on disk too.
MANY_CHANGES = 200

# What the record cache keeps per file: (content digest, (size, mtime), result).
Entry = tuple[bytes, "tuple[int, int] | None", RecordResult]


class _WholeBuild(Exception):
    """The refresh cannot decide alone: the whole build runs (and reports any error as it always does)."""


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


@dataclass
class _Kept:
    """What the last successful preview build leaves for the next save."""

    pelican: Pelican
    generators: list[Any]
    catalogue: CatalogueGenerator
    entries: dict[str, Entry]  # record file → its cache entry, as of that build
    build_date: date


class PreviewSession:
    """One preview folder, rebuilt by one process: `rebuild()` after any save, `rebuild(records_only=True)`
    after a save under the products folder only."""

    def __init__(self, site: Site, output: str | os.PathLike, lang: str | None = None):
        self.site = site
        self.output = Path(output)
        self.lang = lang
        self.kept: _Kept | None = None
        self.last: str = ""  # "whole" or "refresh": what the last rebuild did (tests and the benchmark read it)
        self._records_only = False

    def rebuild(self, records_only: bool = False) -> int:
        """The preview_site exit code (0 built, 1 record errors, 2 failure, EXIT_BUSY)."""
        self._records_only = records_only
        return preview_site(self.site, self.output, self.lang, run=self._run)

    def _run(self, settings: dict) -> None:
        if self._records_only and self.kept is not None:
            try:
                with _collected_after():
                    self._refresh(self.kept, settings)
                self.last = "refresh"
                return
            except _WholeBuild:
                pass
            except BaseException:
                self.kept = None  # the refresh stopped halfway: the next save runs the whole build
                raise
        self.kept = None  # a failed whole build leaves nothing safe to refresh
        self._whole(settings)
        self.last = "whole"

    def _whole(self, settings: dict) -> None:
        # The last build's objects were frozen (below): now they are garbage the collector may look at again.
        gc.unfreeze()
        generators: list[Any] = []

        def keep(found: list[Any]) -> None:
            generators[:] = found

        pelican = Pelican(settings)
        # Pelican makes its generators inside run(); this signal is the one place they are all handed out.
        signals.all_generators_finalized.connect(keep, weak=False)
        try:
            pelican.run()
        finally:
            signals.all_generators_finalized.disconnect(keep)
        gen = next((g for g in generators if isinstance(g, CatalogueGenerator)), None)
        if gen is None:
            return
        # The records as that build read them: the record cache of this process (no unpickling when the
        # build saved it, which it does whenever a record changed).
        cache = RecordCache(record_cache_file(settings), value(settings, "OCOP_PROVINCE"))
        self.kept = _Kept(pelican, generators, gen, dict(cache.entries), gen.site.build_date)
        # Millions of objects live on until the next whole build (records, pages, templates): the collector's
        # full passes over them cost more than a refresh itself (1.5 s at 20,000 products), so it leaves them
        # alone; refreshes make few objects, which it still collects.
        gc.collect()
        gc.freeze()

    def _refresh(self, kept: _Kept, settings: dict) -> None:
        """The whole build's work for changed records only; raises _WholeBuild when it cannot stand in for it."""
        build_date = build_date_from_env(value(settings, "OCOP_BUILD_DATE"))
        if build_date != kept.build_date or not kept.entries:
            raise _WholeBuild  # another day may change any product's status
        scope = value(settings, "OCOP_PROVINCE")
        products_dir = Path(value(settings, "OCOP_PRODUCTS_PATH"))
        entries, fresh = _reread(kept.entries, record_files(products_dir), products_dir, scope)
        products, problems = _products(entries)
        problems += later_certificates(products, build_date)
        gen = kept.catalogue
        catalogue = gen.catalogue.updated(_changes(gen.catalogue, products, fresh))
        showroom_records, showroom_problems = sr.read_showrooms(showrooms_folder(settings), scope)
        showrooms, link_problems = sr.link(showroom_records, catalogue)
        problems += showroom_problems + link_problems
        if errors(problems):
            raise _WholeBuild
        report_warnings(problems)

        before = gen.site
        build = site_build.SiteBuild(gen.settings, catalogue, showrooms)
        build.renditions = {
            p.id: before.renditions[p.id]
            if p.id in before.renditions and p.id not in fresh
            else gen._photos(p.images, _media(p.id))
            for p in catalogue.products
        }
        build.showroom_renditions = before.showroom_renditions  # showroom records did not change
        gen.site, gen.catalogue = build, catalogue
        gen.context[site_build.CONTEXT_KEY] = build
        gen.pages = build.plan(gen.planner.plan(catalogue, showrooms))
        others = [g for g in kept.generators if g is not gen and type(g).__module__.startswith("ocop_")]
        for g in others:
            g.generate_context()  # each plans its pages on the new SiteBuild
        writer = kept.pelican._get_writer()
        # The other plugins' pages (the statistics count the whole catalogue) are written by a second process
        # while this one renders the catalogue pages: the machine has more than one core.
        others_written = _beside(lambda: [g.generate_output(writer) for g in others])
        try:
            pages, qr_codes, done = gen._incremental(fresh)
            gen._render_all(pages, qr_codes)
            done()
        finally:
            others_written()  # never leave the child behind, even when rendering failed
        signals.finalized.send(kept.pelican)
        kept.entries = entries


@contextlib.contextmanager
def _collected_after() -> Iterator[None]:
    """No garbage collection during a refresh, one at its end, over what the refresh made only (what was there
    before is frozen), then what is left is frozen too. A refresh makes ~100,000 objects at 20,000 products (the
    record list, their problems, the plan's new pages): the collector's passes over them, and over what earlier
    refreshes left, cost 0.5 s a refresh."""
    gc.disable()
    try:
        yield
        gc.collect()
        gc.freeze()
    finally:
        gc.enable()


def _beside(work: Callable[[], object]) -> Callable[[], None]:
    """Start `work` in a forked process; returns the wait for it, which raises if it failed (its traceback is
    printed). Where fork is missing, or on one core, `work` is done at once."""
    if (os.cpu_count() or 1) == 1 or not hasattr(os, "fork"):
        work()
        return lambda: None
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: do the work, report, and leave without running the parent's exit handlers
        code = 1
        try:
            work()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def wait() -> None:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("the preview's statistics, showroom or search pages could not be written (see above)")

    return wait


def _media(product_id: str) -> str:
    from ocop import urls

    return urls.product_media(product_id)


def _reread(
    before: dict[str, Entry], paths: list[Path], products_dir: Path, scope: Any
) -> tuple[dict[str, Entry], set[str]]:
    """Each record file's entry, read again only where the file or what it depends on changed; and the ids
    of the records read again. Raises _WholeBuild on an error in a record, or when too many changed."""
    entries: dict[str, Entry] = {}
    fresh: set[str] = set()
    stats: dict[str, tuple[int, int] | None] = {}  # a file or folder several records depend on is stat-ed once

    def stat(path: str) -> tuple[int, int] | None:
        if path not in stats:
            stats[path] = _stat(path)
        return stats[path]

    changed = 0
    for path in paths:
        key = str(path)
        st = _stat(key)
        old = before.get(key)
        if old and old[1] == st and all(stat(f) == s for f, s in old[2].deps):
            entries[key] = old
            continue
        changed += 1
        if changed > MANY_CHANGES:
            raise _WholeBuild
        digest = hashlib.sha1(path.read_bytes()).digest()
        if old and old[0] == digest and all(stat(f) == s for f, s in old[2].deps):
            entries[key] = (digest, st, old[2])  # touched, not changed
            continue
        result = read_record(path, products_dir, scope)
        if result.product is None or errors(result.problems):
            raise _WholeBuild  # the whole build lists every problem, as `ocop serve` always has
        entries[key] = (digest, st, result)
        fresh.add(result.product.id)
    return entries, fresh


def _changes(before: Catalogue, products: list[Product], fresh: set[str]) -> dict[str, Product | None]:
    """What Catalogue.updated needs: each product read again, and None for each id no record has any more."""
    ids = {p.id for p in products}
    changes: dict[str, Product | None] = {p.id: p for p in products if p.id in fresh}
    changes.update((i, None) for i in before.by_id if i not in ids)
    return changes


def _products(entries: dict[str, Entry]) -> tuple[list, list[Problem]]:
    """The products in file order, as read_records gives them; _WholeBuild if an id or address is used twice
    (the whole build names both files)."""
    products, problems = [], []
    seen: set[tuple[str, str]] = set()
    for digest, _, result in entries.values():
        for kind, found, _field, _line in result.keys:
            if (kind, found) in seen:
                raise _WholeBuild
            seen.add((kind, found))
        problems += result.problems
        if result.product is None:
            raise _WholeBuild
        result.product.digest = digest.hex()
        products.append(result.product)
    return products, problems


def serve_callbacks(session: PreviewSession) -> tuple[Callable[[], None], Callable[[], None]]:
    """What the file watcher calls: after a save under the products folder, and after any other save."""
    return (lambda: _quiet(session.rebuild(records_only=True)), lambda: _quiet(session.rebuild()))


def _quiet(code: int) -> None:
    """preview_site has printed what went wrong; the server keeps serving the last good preview."""
    del code
