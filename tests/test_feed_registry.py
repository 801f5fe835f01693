"""The feed registry: every format declares its columns once, and the files, the split between
processes, the marketplaces page and docs/feeds.md all follow from the declarations."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from babel.messages.pofile import read_po

from ocop import urls
from ocop.feeds import PARTS, build, docs, feed_list, jsonld, merchant, news, opendata, registry, words
from ocop.feeds.context import FeedContext
from ocop.feeds.format import Column, Feed, Format, Limit, Run, Section
from ocop.feeds.writers import table
from ocop.i18n import LOCALE_DIR, N_

from conftest import PROJECT

ROOT = "https://ocop.example.org"
PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "feeds.po"


def test_docs_feeds_md_is_generated_from_the_registry():
    written = (PROJECT / "docs" / "feeds.md").read_text(encoding="utf-8")
    assert written == docs.markdown(), "docs/feeds.md is out of date: run `python -m ocop.feeds.docs > docs/feeds.md`"


def test_table_headers_are_the_declared_columns(site):
    """No header list matched to rows by position: the header is the columns' names."""
    tables = [f for f in feed_list() if f.media_type in ("text/csv", "text/tab-separated-values")]
    assert len(tables) == 5
    for f in tables:
        delimiter = "\t" if f.media_type == "text/tab-separated-values" else ","
        text = (site / f.path).read_text(encoding="utf-8-sig")  # the open data CSV has a BOM (issue 12)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        assert rows[0] == [c.name for c in f.format.columns], f.path
        assert all(len(r) == len(rows[0]) for r in rows), f.path


def test_feed_paths_come_from_the_url_scheme():
    for f in feed_list():
        assert f.path == urls.feed(f.name)
    assert [f.path for f in feed_list()][:2] == ["feeds/google-merchant-vi.xml", "feeds/google-merchant-en.xml"]


def test_parts_cover_every_feed_once_and_keep_shared_rows_together():
    paths = {f.path for f in feed_list() if not f.format.written_by}  # the GeoJSON is the showrooms plugin's
    assert set().union(*PARTS) == paths and not PARTS[0] & PARTS[1]
    for f in feed_list():
        source = f.format.source
        if source is None:
            continue
        part = next(i for i, p in enumerate(PARTS) if f.path in p)
        for g in feed_list():
            same_rows = g.format.source is source and (not source.per_lang or g.lang == f.lang)
            assert not same_rows or g.path in PARTS[part], (f.path, g.path)
    # the two languages' marketplace items, the costliest rows, go to different processes
    assert "feeds/google-merchant-vi.xml" in PARTS[0] and "feeds/google-merchant-en.xml" in PARTS[1]


def test_open_data_record_keys_are_the_schemas():
    schema = json.loads(opendata.SCHEMA_PATH.read_text(encoding="utf-8"))
    product = schema["$defs"]["product"]
    assert [c.name for c in opendata.RECORD] == product["required"]
    assert set(product["properties"]) == set(product["required"])


def _msgids() -> set[tuple[str | None, str]]:
    """Every word the feeds say, with the format it is said in (for msgctxt)."""
    found: set[tuple[str | None, str]] = set()
    for f in registry.FORMATS:
        found |= {(f.key, c.doc) for c in f.documented}
        found |= {(None, text) for text in (f.title, f.subtitle, f.section.heading, f.section.about) if text}
    found |= {(None, text) for pair in news.NEWS.values() for text in pair}
    found |= {
        (None, text)
        for text in (
            *merchant.DETAILS.values(),
            *words.PRODUCER_KINDS.values(),
            news.DATE_FORMAT,
            "{n}-star",
            "{n} star",
            jsonld.DEFAULT_IMAGE_ALT,
            docs.LICENSE_NOTE,
        )
    }
    return found


def test_feeds_po_translates_every_feed_word_and_nothing_else():
    with PO.open("rb") as f:
        catalog = read_po(f, locale="vi", domain="feeds")
    assert catalog.locale.language == "vi" and catalog.plural_forms == "nplurals=1; plural=0;"
    assert "Language: vi" in PO.read_text(encoding="utf-8")
    entries = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id}
    for context, text in _msgids():
        assert (context, text) in entries or (None, text) in entries, f"no Vietnamese for {text!r}"
        assert entries.get((context, text)) or entries[(None, text)], f"empty Vietnamese for {text!r}"
    used = {text for _, text in _msgids()}
    assert {text for _, text in entries} <= used, "feeds.po holds words no feed says"


def test_words_in_both_languages():
    assert (words.stars(4, "vi"), words.stars(4, "en"), words.stars(1, "en")) == ("4 sao", "4 stars", "1 star")
    assert (words.star_level(4, "vi"), words.star_level(4, "en")) == ("4 sao", "4-star")
    assert words.producer_kinds("vi")["household"] == "Hộ sản xuất, kinh doanh"
    assert words.say_in("merchant-tsv", "Always new.", "vi") == "Luôn là new (hàng mới)."
    assert words.say_in("merchant-rss", "Always new.", "vi") == "Luôn là new."
    assert words.say_in("merchant-tsv", "Always new.", "en") == "Always new."


def test_limits_cut_what_a_column_would_carry_too_long():
    assert Limit(12).fit("một hai ba bốn năm") == "một hai ba…"
    assert Limit(5, word_boundary=False).fit("abcdefgh") == "abcde"
    column = Column("title", lambda row: row, "Name.", Limit(10))
    assert column.getter()("x" * 30) == "x" * 9 + "…" and column.getter()("short") == "short"


def test_marketplaces_page_is_computed_from_the_registry():
    vi, en = docs.page("vi"), docs.page("en")
    assert [s.key for s in vi.sections] == ["merchant", "meta", "opendata", "news"]
    assert [s.heading for s in vi.sections][1:] == [
        "Danh mục Meta (Facebook và Instagram)",
        "Dữ liệu mở",
        "Tin chứng nhận OCOP",
    ]
    assert [(f.path, title) for f, title in en.alternates] == [("feeds/news-en.atom", "Certification news")]
    merchant_tables = vi.sections[0].tables
    assert merchant_tables[0].names == ["google-merchant-vi.xml", "google-merchant-en.xml"]
    assert ("g:id", "Mã sản phẩm trong danh mục (không bao giờ đổi).") in merchant_tables[0].fields
    opendata_tables = en.sections[2].tables
    # the JSON is documented by its schema; issue 12: the showrooms' GeoJSON is listed and documented
    assert [t.names for t in opendata_tables] == [["ocop-products.csv"], ["showrooms.geojson"]]
    assert not en.sections[2].note, "no licence given, none shown"
    licensed = docs.page("vi", license="CC BY 4.0").sections[2]
    assert (licensed.note, licensed.note_url) == (
        "Giấy phép dữ liệu: CC BY 4.0.",
        "https://creativecommons.org/licenses/by/4.0/",
    )


# --- a new format is one declaration ----------------------------------------------------------

TIKTOK = Section("tiktok", N_("TikTok Shop"), N_("A product CSV for TikTok Shop."))
TIKTOK_FORMAT = Format(
    "tiktok",
    TIKTOK,
    {"vi": "tiktok-shop.csv"},
    "text/csv",
    table(),
    merchant.ITEMS,
    (
        Column("product_id", lambda it: it.id, N_("The product's catalogue id (never changes).")),
        Column("product_name", lambda it: it.title, N_("Product name, at most 150 characters."), Limit(20)),
        Column("stars", lambda it: it.product.current.stars, N_("OCOP stars")),
    ),
)


def test_a_new_format_is_one_declaration(catalogue):
    formats = (*registry.FORMATS, TIKTOK_FORMAT)
    feeds = feed_list(formats)
    (feed,) = [f for f in feeds if f.format is TIKTOK_FORMAT]
    assert feed.path == "feeds/tiktok-shop.csv" and feed.lang == "vi"
    assert any(feed.path in part for part in registry.parts(2, feeds))
    run = Run(catalogue, FeedContext(ROOT, date(2026, 11, 22)))
    rows = list(csv.reader(io.StringIO(feed.write(run).decode("utf-8"))))
    eligible = sorted(p.id for p in catalogue.products if merchant.eligible(p))
    assert rows[0] == ["product_id", "product_name", "stars"] and [r[0] for r in rows[1:]] == eligible
    assert all(len(r[1]) <= 20 for r in rows[1:])
    assert rows[1][2] == str(catalogue.by_id[rows[1][0]].stars)
    page = docs.page("vi", formats)
    assert page.sections[-1].tables[0].fields[0] == ("product_id", "Mã sản phẩm trong danh mục (không bao giờ đổi).")
    assert "#### `tiktok-shop.csv`" in docs.markdown(formats)


def test_shared_rows_are_made_once_per_language(catalogue, monkeypatch):
    made = []
    items = merchant.items
    monkeypatch.setattr(merchant, "items", lambda *a: made.append(a[1]) or items(*a))
    files, _ = build(catalogue, FeedContext(ROOT, date(2026, 11, 22)))
    assert sorted(made) == ["en", "vi"] and len(files) == len([f for f in feed_list() if not f.format.written_by])


def test_a_feed_names_its_file_and_format():
    f = Feed(urls.feed("x.csv"), TIKTOK_FORMAT, "vi")
    assert (f.name, f.kind, f.media_type, f.fields) == ("x.csv", "tiktok", "text/csv", TIKTOK_FORMAT.columns)
