"""Issue 11: a publishing build reuses each product's open-data line from the last build when nothing it is made
from changed (ocop.feeds.opendata.record_key), and the feeds come out byte for byte as a build from scratch."""

from __future__ import annotations

import dataclasses
from datetime import date

from ocop import feeds
from ocop.catalogue import Catalogue, load_catalogue
from ocop.feeds import merchant, opendata
from ocop.feeds.context import FeedContext
from ocop_catalogue import kept

from conftest import PROJECT

ROOT = "https://ocop.example.org"


def _catalogue(day: date):
    cat, _ = load_catalogue(PROJECT / "products", "Bình Thuận", day)
    return cat


def _ctx(day: date) -> FeedContext:
    return FeedContext(ROOT, day, "OCOP", image_urls=lambda p: [f"{ROOT}/media/{p.id}/a.jpg"])


def test_reused_lines_give_the_bytes_of_a_fresh_build(catalogue):
    ctx = _ctx(catalogue.build_date)
    made: dict = {}
    fresh, problems = feeds.build(catalogue, ctx, "CC BY 4.0", kept=made)
    records = [k for k in made if k[0] == "opendata"]
    assert len(records) == len(catalogue.products)  # every product read from a record is kept
    again: dict = {}
    reused, problems_again = feeds.build(catalogue, ctx, "CC BY 4.0", reuse=made, kept=again)
    assert reused == fresh and problems_again == problems and again == made


def _with_warnings(catalogue) -> Catalogue:
    """The catalogue with record text that the marketplace feeds must clean, so that their items warn."""
    products = list(catalogue.products)
    for i in range(0, len(products), 3):
        p = products[i]
        name = dataclasses.replace(p.name, vi=p.name.vi + " 🍯 <b>x</b>", en=p.name.en and p.name.en + " \u200e🍯")
        products[i] = dataclasses.replace(p, name=name)
    return Catalogue(products, catalogue.build_date, "Bình Thuận")


def test_a_build_that_reuses_some_rows_writes_and_warns_as_one_that_makes_them(catalogue):
    """Items, lines and their warnings taken from the last build for some products, made for others (a decision):
    the same files and the same warnings in the same order as a build from scratch, photos or none."""
    catalogue = _with_warnings(catalogue)
    for photos in (True, False):
        ctx = _ctx(catalogue.build_date)
        if not photos:
            ctx.image_urls = lambda p: []
        made: dict = {}
        fresh, problems = feeds.build(catalogue, ctx, "CC BY 4.0", kept=made)
        some = {k: v for i, (k, v) in enumerate(made.items()) if i % 3}
        again: dict = {}
        reused, problems_again = feeds.build(catalogue, ctx, "CC BY 4.0", reuse=some, kept=again)
        assert reused == fresh and problems_again == problems and again == made
        for part in feeds.PARTS:  # each process of a publishing build writes some of the files
            assert feeds.build(catalogue, ctx, "CC BY 4.0", only=part, reuse=some)[0] == {
                path: data for path, data in fresh.items() if path in part
            }


def test_a_reused_item_tells_its_warnings_again(catalogue, monkeypatch):
    catalogue = _with_warnings(catalogue)
    made: dict = {}
    ctx = _ctx(catalogue.build_date)
    fresh, problems = feeds.build(catalogue, ctx, "CC BY 4.0", kept=made)
    told = [v for k, v in made.items() if k[0] == "marketplace item" and v]
    assert told, "the catalogue has record text that the feeds clean"
    # a build that reuses every row makes no item at all, yet warns the same
    monkeypatch.setattr(merchant, "item", lambda *a: (_ for _ in ()).throw(AssertionError("made")))
    assert feeds.build(catalogue, ctx, "CC BY 4.0", reuse=made) == (fresh, problems)


def test_another_day_photo_or_record_is_not_taken_from_the_last_build():
    before, after = date(2026, 11, 22), date(2027, 9, 1)  # statuses change: certificates expire in between
    made: dict = {}
    feeds.build(_catalogue(before), _ctx(before), "CC BY 4.0", kept=made)
    later = _catalogue(after)
    fresh, _ = feeds.build(later, _ctx(after), "CC BY 4.0")
    assert feeds.build(later, _ctx(after), "CC BY 4.0", reuse=made)[0] == fresh
    no_photos = _ctx(after)
    no_photos.image_urls = lambda p: []
    assert feeds.build(later, no_photos, "CC BY 4.0", reuse=made)[0] == feeds.build(later, no_photos, "CC BY 4.0")[0]
    p = later.products[0]
    edited = dataclasses.replace(p, digest="another")  # the record file changed
    assert opendata.record_key(edited, _ctx(after)) != opendata.record_key(p, _ctx(after))
    assert opendata.record_key(dataclasses.replace(p, digest=""), _ctx(after)) is None  # made by hand: never kept


def test_the_cache_file_is_for_one_inputs_digest_and_a_damaged_one_is_no_help(tmp_path):
    path = tmp_path / "c" / "rows.pickle"
    assert kept.load(path, "a") == {}  # none yet
    kept.save(path, "a", {("k",): "line"})
    assert kept.load(path, "a") == {("k",): "line"}
    assert kept.load(path, "b") == {}  # other code, settings or translations
    path.write_bytes(b"\x80\x05garbage")
    assert kept.load(path, "a") == {}
    assert not list(path.parent.glob("*.tmp"))


def test_a_process_tells_what_it_kept_without_sending_back_what_the_parent_has():
    before = {("a",): "1", ("b",): "2", ("gone",): "3"}
    one = {("a",): before[("a",)], ("new",): "4"}  # reused a, made new; gone is no more
    two = {("b",): before[("b",)], ("a",): "1 again"}  # the same key made again: the new value is told
    told = [kept.changes(before, one), kept.changes(before, two)]
    assert told[0] == ([0], {("new",): "4"})
    assert kept.merged(before, told) == {("a",): "1 again", ("b",): "2", ("new",): "4"}


def test_the_news_feeds_take_the_newest_events_as_a_full_sort_would(catalogue):
    from ocop.feeds import news

    everything = news.events(catalogue)
    for limit in (0, 1, 7, len(everything), len(everything) + 5):
        assert news.events(catalogue, limit) == everything[:limit]
