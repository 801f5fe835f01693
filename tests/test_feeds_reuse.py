"""Issue 11: a publishing build reuses each product's open-data line from the last build when nothing it is made
from changed (ocop.feeds.opendata.record_key), and the feeds come out byte for byte as a build from scratch."""

from __future__ import annotations

import dataclasses
from datetime import date

from ocop import feeds
from ocop.catalogue import load_catalogue
from ocop.feeds import opendata
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
    assert len(made) == len(catalogue.products)  # every product read from a record is kept
    again: dict = {}
    reused, problems_again = feeds.build(catalogue, ctx, "CC BY 4.0", reuse=made, kept=again)
    assert reused == fresh and problems_again == problems and again == made


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
