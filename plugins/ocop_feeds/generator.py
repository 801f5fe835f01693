"""The generator that writes /feeds/ and the bilingual "For marketplaces" page."""
from __future__ import annotations

import logging
import multiprocessing
import os
import time
from pathlib import Path

from babel.numbers import format_decimal
from pelican.generators import Generator

from ocop import feeds
from ocop.feeds.context import FeedContext

from . import head

log = logging.getLogger(__name__)

MARKETPLACES = {"vi": "thi-truong/", "en": "en/marketplaces/"}


class FeedsGenerator(Generator):
    def generate_context(self):
        self.context["ocop_marketplaces_urls"] = MARKETPLACES

    def _photo_urls(self, product, root: str) -> list[str]:
        """Absolute URLs of the largest JPEG of each photo, in the record's order, from the
        renditions the catalogue generator made (it writes its output before this generator)."""
        renditions = self.context.get("ocop_images", {}).get(product.id, [])
        return [u for u, _, _ in head.image_urls(product.id, renditions, root)]

    def _build(self, cat, ctx):
        """All feeds; for a large catalogue, in two forked processes (each writes its half)."""
        license = self.settings.get("OCOP_OPEN_DATA_LICENSE")
        workers = self.settings.get("OCOP_WORKERS") or os.cpu_count() or 1
        if workers < 2 or len(cat.products) < PARALLEL_FROM:
            return feeds.build(cat, ctx, MARKETPLACES, license)
        global _JOB
        _JOB = (cat, ctx, license)
        try:
            with multiprocessing.get_context("fork").Pool(2) as pool:
                halves = pool.map(_build_part, range(len(feeds.PARTS)))
        finally:
            _JOB = None
        files = {path: data for part, _ in halves for path, data in part.items()}
        return files, sorted({p for _, problems in halves for p in problems})

    def generate_output(self, writer):
        cat = self.context.get("ocop_catalogue")
        if cat is None:  # the catalogue plugin is not enabled: nothing to publish
            return
        if self.settings.get("OCOP_PREVIEW"):  # feeds are for machines; the staff's preview skips them
            return
        started = time.perf_counter()
        root = self.settings["SITE_CANONICAL_URL"].rstrip("/")
        photos: dict[str, list[str]] = {}  # each feed asks for a product's photos; look once
        ctx = FeedContext(
            root=root, build_date=cat.build_date, site_name=self.settings.get("SITENAME", "OCOP"),
            image_urls=lambda p: photos[p.id] if p.id in photos else photos.setdefault(p.id, self._photo_urls(p, root)),
            news_limit=int(self.settings.get("OCOP_NEWS_LIMIT", 200)),
        )
        files, problems = self._build(cat, ctx)
        for problem in problems:
            log.warning("%s", problem)
        out = Path(self.output_path)
        for rel, data in files.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        template = self.get_template("marketplaces")
        feed_list = feeds.feed_list()
        locales = {"vi": "vi_VN", "en": "en_GB"}
        sizes = {lang: {f.path: format_decimal(round(len(files[f.path]) / 1024, 1), locale=locales[lang]) + " KB"
                        for f in feed_list} for lang in ("vi", "en")}
        field_docs = []  # (kind, file names, fields), once per kind of feed
        for f in feed_list:
            if f.fields and all(k != f.kind for k, _, _ in field_docs):
                names = [g.path.rsplit("/", 1)[1] for g in feed_list if g.kind == f.kind]
                field_docs.append((f.kind, names, f.fields))
        for lang in ("vi", "en"):
            writer.write_file(
                MARKETPLACES[lang] + "index.html", template, self.context, relative_urls=self.settings["RELATIVE_URLS"],
                url=MARKETPLACES[lang], lang=lang, page_urls=MARKETPLACES, feeds=feed_list, feed_sizes=sizes[lang], field_docs=field_docs,
                merchant_count=sum(1 for p in cat.products if feeds.merchant.eligible(p)),
            )
        log.info("Feeds written in %.2f s", time.perf_counter() - started)


_JOB = None
PARALLEL_FROM = 2000  # products; below this a pool costs more than it saves


def _build_part(part: int):
    cat, ctx, license = _JOB
    return feeds.build(cat, ctx, MARKETPLACES, license, only=feeds.PARTS[part])
