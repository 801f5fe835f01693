"""Feeds for marketplaces and machines, made from the same catalogue as the pages.

Pure Python on the domain model (no Pelican here): Google Merchant RSS and TSV
(`merchant`), the Meta catalogue CSV (`meta`), open data JSON/CSV with its schema
(`opendata`), Atom certification news (`news`), schema.org JSON-LD and social tags for
product pages (`jsonld`), and the sitemap and robots.txt (`sitemap`). `build` returns every
feed file with the warnings about record text that had to be cleaned or cut.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass

from ..catalogue import Catalogue
from ..problems import Problem
from . import merchant, meta, news, opendata
from .clean import Cleaner
from .context import FeedContext, Field

FEEDS_DIR = "feeds"


@dataclass(frozen=True)
class Feed:
    """One published feed file, as the marketplaces page documents it."""

    path: str  # relative to the site root
    kind: str  # "merchant-rss" | "merchant-tsv" | "meta" | "meta-language" | "opendata-json" | ...
    lang: str | None
    media_type: str
    fields: tuple[Field, ...]


def feed_list() -> list[Feed]:
    d = FEEDS_DIR
    return [
        Feed(f"{d}/google-merchant-vi.xml", "merchant-rss", "vi", "application/rss+xml", merchant.RSS_FIELDS),
        Feed(f"{d}/google-merchant-en.xml", "merchant-rss", "en", "application/rss+xml", merchant.RSS_FIELDS),
        Feed(f"{d}/google-merchant-vi.tsv", "merchant-tsv", "vi", "text/tab-separated-values", merchant.TSV_FIELDS),
        Feed(f"{d}/google-merchant-en.tsv", "merchant-tsv", "en", "text/tab-separated-values", merchant.TSV_FIELDS),
        Feed(f"{d}/meta-catalogue.csv", "meta", "vi", "text/csv", meta.FIELDS),
        Feed(f"{d}/meta-catalogue-en.csv", "meta-language", "en", "text/csv", meta.LANGUAGE_FIELDS),
        Feed(f"{d}/{opendata.JSON_NAME}", "opendata-json", None, "application/json", ()),
        Feed(f"{d}/{opendata.CSV_NAME}", "opendata-csv", None, "text/csv", opendata.CSV_FIELDS),
        Feed(f"{d}/{opendata.SCHEMA_NAME}", "opendata-schema", None, "application/schema+json", ()),
        Feed(f"{d}/news-vi.atom", "news", "vi", "application/atom+xml", news.FIELDS),
        Feed(f"{d}/news-en.atom", "news", "en", "application/atom+xml", news.FIELDS),
    ]


def build(cat: Catalogue, ctx: FeedContext, marketplaces_page: dict[str, str], license: str | None = None,
          only: set[str] | None = None) -> tuple[dict[str, bytes], list[Problem]]:
    """Every feed file (path relative to the site root → bytes) and the warnings about record text.

    `only` limits the work to some of the files (paths as in `feed_list`), so that a caller can
    share the feeds between processes.
    """
    gc_was_on = gc.isenabled()
    gc.disable()  # tens of thousands of short-lived objects, no cycles: the collector only costs time
    try:
        return _build(cat, ctx, marketplaces_page, license, only)
    finally:
        if gc_was_on:
            gc.enable()


PARTS = (  # two halves of about the same work, for two processes
    {"feeds/google-merchant-vi.xml", "feeds/google-merchant-vi.tsv", "feeds/meta-catalogue.csv",
     f"feeds/{opendata.JSON_NAME}", f"feeds/{opendata.CSV_NAME}", f"feeds/{opendata.SCHEMA_NAME}"},
    {"feeds/google-merchant-en.xml", "feeds/google-merchant-en.tsv", "feeds/meta-catalogue-en.csv",
     "feeds/news-vi.atom", "feeds/news-en.atom"},
)


def _build(cat: Catalogue, ctx: FeedContext, marketplaces_page: dict[str, str], license: str | None,
           only: set[str] | None) -> tuple[dict[str, bytes], list[Problem]]:
    cleaner = Cleaner(merchant.CONSUMER)
    files: dict[str, bytes] = {}
    wanted = [f for f in feed_list() if only is None or f.path in only]
    by_lang: dict[str, list[merchant.Item]] = {}
    for f in wanted:
        if f.kind.startswith(("merchant", "meta")) and f.lang not in by_lang:
            by_lang[f.lang] = merchant.items(cat, f.lang, ctx, cleaner)
    merchant.warn_missing_photos(cleaner)
    all_events = news.events(cat) if any(f.kind == "news" for f in wanted) else []
    doc = opendata.document(cat, ctx, license) if any(f.kind.startswith("opendata-") for f in wanted) else {}
    for f in wanted:
        if f.kind == "merchant-rss":
            files[f.path] = merchant.rss(by_lang[f.lang], f.lang, ctx, ctx.url(f.path), ctx.url(marketplaces_page[f.lang]))
        elif f.kind == "merchant-tsv":
            files[f.path] = merchant.tsv(by_lang[f.lang]).encode("utf-8")
        elif f.kind == "meta":
            files[f.path] = meta.main_feed(by_lang[f.lang]).encode("utf-8")
        elif f.kind == "meta-language":
            files[f.path] = meta.language_feed(by_lang[f.lang], f.lang).encode("utf-8")
        elif f.kind == "opendata-json":
            files[f.path] = opendata.to_json(doc)
        elif f.kind == "opendata-csv":
            files[f.path] = opendata.to_csv(doc).encode("utf-8")
        elif f.kind == "opendata-schema":
            files[f.path] = opendata.schema_bytes()
        elif f.kind == "news":
            home = ctx.url("" if f.lang == "vi" else "en/")
            files[f.path] = news.atom(all_events, f.lang, ctx, ctx.url(f.path), home)
    return files, sorted(cleaner.problems)
