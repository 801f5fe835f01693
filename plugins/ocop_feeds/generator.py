"""The generator that writes /feeds/ and the bilingual "For marketplaces" page."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from babel.numbers import format_decimal
from pelican.generators import Generator

from ocop import feeds, showrooms, urls
from ocop.catalogue import Catalogue
from ocop.feeds import docs, opendata
from ocop.feeds.context import FeedContext
from ocop.feeds.merchant import eligible
from ocop.i18n import LANGS
from ocop.settings import value
from ocop.workers import forked_map
from ocop_catalogue import kept, site

from . import head

log = logging.getLogger(__name__)

SIZE_LOCALES = {"vi": "vi_VN", "en": "en_GB"}  # how each language writes "64.4 KB"


def _size(size: int, lang: str) -> str:
    return format_decimal(round(size / 1024, 1), locale=SIZE_LOCALES[lang]) + " KB"


def _write(out: Path, files: dict[str, bytes]) -> dict[str, int]:
    """Write the files under `out`; their sizes, for the marketplaces page."""
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return {rel: len(data) for rel, data in files.items()}


class FeedsGenerator(Generator):
    def generate_context(self):
        # The marketplaces page is planned like every page, so the sitemap lists it.
        self.pages = site.of(self.context).plan(site.twin_pages("marketplaces.html", urls.twins(urls.marketplaces)))

    def _context(self, build: site.SiteBuild) -> FeedContext:
        s = build.settings
        root = value(s, "SITE_CANONICAL_URL").rstrip("/")
        renditions = build.renditions  # the catalogue generator made them before any output is written
        photos: dict[str, list[str]] = {}  # each feed asks for a product's photos; look once

        def photo_urls(p) -> list[str]:
            """Absolute URLs of the largest JPEG of each photo, in the record's order."""
            if p.id not in photos:
                photos[p.id] = [u for u, _, _ in head.image_urls(p.id, renditions.get(p.id, []), root)]
            return photos[p.id]

        return FeedContext(
            root=root,
            build_date=build.build_date,
            site_name=value(s, "SITENAME"),
            image_urls=photo_urls,
            news_limit=int(value(s, "OCOP_NEWS_LIMIT")),
            default_image=head.default_image(s, root),
        )

    def _build(self, build: site.SiteBuild, ctx: FeedContext, reuse: dict, made: dict):
        """Write all feeds; for a large catalogue, in two forked processes, each writing its own files and sending
        back only their sizes, its warnings and what it kept (told against `reuse`, which both sides hold: see
        `kept.changes`). `reuse`: per-product results of the last build; `made` receives this build's. Returns
        each file's size and the warnings."""
        cat, license = build.catalogue, value(build.settings, "OCOP_OPEN_DATA_LICENSE")
        out = Path(self.output_path)
        workers = value(build.settings, "OCOP_WORKERS") or os.cpu_count() or 1
        if workers < 2 or len(cat.products) < PARALLEL_FROM:
            files, problems = feeds.build(cat, ctx, license, reuse=reuse, kept=made)
            return _write(out, files), problems
        global _JOB
        _JOB = (cat, ctx, license, reuse, out)
        try:
            parts = forked_map(_build_part, range(len(feeds.PARTS)), len(feeds.PARTS))
        finally:
            _JOB = None
        made.update(kept.merged(reuse, [changes for _, _, changes in parts]))
        sizes = {path: size for part, _, _ in parts for path, size in part.items()}
        return sizes, sorted({p for _, problems, _ in parts for p in problems})

    def generate_output(self, writer):
        build = site.of(self.context)
        if value(build.settings, "OCOP_PREVIEW"):  # feeds are for machines; the staff's preview skips them
            return
        started = time.perf_counter()
        path, inputs = kept.cache_file(build.settings, CACHE_NAME), kept.inputs_digest(build.settings)
        # With no published version (a first build, `ocop build --full`) everything is made from scratch.
        reuse = kept.load(path, inputs) if value(build.settings, "OCOP_PREVIOUS_BUILD") else {}
        made: dict = {}  # this build's per-product results, kept for the next one
        sizes, problems = self._build(build, self._context(build), reuse, made)
        if made.keys() != reuse.keys():
            kept.save(path, inputs, made)
        for problem in problems:
            log.warning("%s", problem)
        self._write_page(writer, build, sizes)
        log.info("Feeds written in %.2f s", time.perf_counter() - started)

    def _write_page(self, writer, build: site.SiteBuild, sizes: dict[str, int]) -> None:
        """The marketplaces page in each language: the registry's documentation, with today's sizes."""
        template = self.get_template("marketplaces")
        page_urls = self.pages[0].urls
        merchant_count = sum(1 for p in build.catalogue.products if eligible(p))
        # Files another plugin writes (the showrooms' GeoJSON) are listed with their size too: made once more here,
        # it costs little (a few hundred showrooms at most) and the page never waits for the other generator.
        root = value(build.settings, "SITE_CANONICAL_URL")
        elsewhere = {urls.feed(opendata.GEOJSON_NAME): lambda: showrooms.geojson(build.showrooms, root).encode()}
        sized = {**{path: len(make()) for path, make in elsewhere.items()}, **sizes}
        for lang in LANGS:
            writer.write_file(
                urls.save_as(page_urls[lang]),
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=page_urls[lang],
                lang=lang,
                page_urls=page_urls,
                marketplaces=docs.page(lang, license=value(build.settings, "OCOP_OPEN_DATA_LICENSE")),
                feed_sizes={path: _size(size, lang) for path, size in sized.items()},
                merchant_count=merchant_count,
            )


_JOB: tuple[Catalogue, FeedContext, str | None, dict, Path] | None = None
PARALLEL_FROM = 2000  # products; below this a pool costs more than it saves
CACHE_NAME = "feeds-rows.pickle"  # in OCOP_CACHE_PATH: per-product results (ocop.feeds.build's reuse)


def _build_part(part: int):
    """One process's share of the feeds, written here: the parent receives sizes, not megabytes of feeds."""
    assert _JOB is not None  # set before the pool forks the workers
    cat, ctx, license, reuse, out = _JOB
    made: dict = {}
    files, problems = feeds.build(cat, ctx, license, only=feeds.PARTS[part], reuse=reuse, kept=made)
    return _write(out, files), problems, kept.changes(reuse, made)
