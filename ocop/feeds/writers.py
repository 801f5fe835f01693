"""Generic writers: rows and a format's columns in, file bytes out.

`table` writes CSV and TSV (header = the column names, one row per item); `merchant_rss` writes
RSS 2.0 with Google's g: namespace, one element per column. Neither knows any column: adding a
column to a format is one declaration in the format's module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .. import urls
from ..i18n import DEFAULT_LANG
from ..text import neutralised
from .format import Feed, Run, Writer
from .words import say

G_NS = "http://base.google.com/ns/1.0"


def table(delimiter: str = ",", cell: Callable[[Any], Any] | None = None) -> Writer:
    """CSV (or TSV with delimiter "\\t"); `cell` tidies every value (e.g. no tabs in a TSV).

    Every text cell is neutralised against formula injection (see `neutralised`), whatever the format.
    """

    def write(feed: Feed, rows: Iterable[Any], run: Run) -> bytes:
        columns = feed.format.columns
        getters = [c.getter() for c in columns]
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)

        def line(values: list[Any]) -> str:
            buf.seek(0)
            buf.truncate()
            w.writerow(values)
            return buf.getvalue()

        def render(rows: list[Any]) -> list[str]:
            if cell is None:  # a 20,000-product feed has 700,000 cells: no call that does nothing for each
                return [line([neutralised(get(r)) for get in getters]) for r in rows]
            return [line([neutralised(cell(get(r))) for get in getters]) for r in rows]

        head = line([c.name for c in columns])
        return (head + "".join(run.pieces(feed, rows, render))).encode("utf-8")

    return write


def channel_words(feed: Feed, run: Run) -> tuple[str, str]:
    """The feed's title (with the site's name) and subtitle, in its language."""
    lang = feed.lang or DEFAULT_LANG
    return say(feed.format.title, lang).format(site=run.ctx.site_name), say(feed.format.subtitle, lang)


# --- RSS 2.0 through feedgen, with a small extension for the g: namespace -----------------

_TAGS: dict[str, str] = {}


def _tag(name: str) -> str:
    """'g:id' → '{http://base.google.com/ns/1.0}id'."""
    return _TAGS.get(name) or _TAGS.setdefault(name, f"{{{G_NS}}}{name.removeprefix('g:')}")


class GoogleExtension(BaseExtension):
    def extend_ns(self):
        return {"g": G_NS}


class GoogleEntryExtension(BaseEntryExtension):
    """g: elements of one item, in the order they were added; a value may be a list of sub-elements."""

    def __init__(self):
        self._elements: list[tuple[str, Any]] = []

    def add(self, name: str, value) -> None:
        self._elements.append((name, value))

    def extend_rss(self, entry):
        sub_element = etree.SubElement
        for name, value in self._elements:
            el = sub_element(entry, _tag(name))
            if isinstance(value, list):
                for sub, text in value:
                    sub_element(el, _tag(sub)).text = text
            else:
                el.text = value
        return entry

    def extend_atom(self, entry):
        return entry


# RSS's own item elements; every other column is a g: element
_CORE: dict[str, Callable[[Any, str], Any]] = {
    "title": lambda fe, v: fe.title(v),
    "link": lambda fe, v: fe.link(href=v),
    "description": lambda fe, v: fe.description(v),
}


def _elements(name: str, value: Any) -> list[tuple[str, Any]]:
    """A column's value as elements: a text is one element named after the column, None is none,
    a list of (element, text or sub-elements) pairs is several (repeated or alternative elements)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [(name, value)]


def _channel(feed: Feed, run: Run) -> FeedGenerator:
    ctx, lang = run.ctx, feed.lang or DEFAULT_LANG
    title, subtitle = channel_words(feed, run)
    fg = FeedGenerator()
    fg.register_extension("g", GoogleExtension, GoogleEntryExtension, atom=False, rss=True)
    fg.title(title)
    fg.link(href=ctx.url(feed.path), rel="self", type=feed.media_type)
    fg.link(href=ctx.url(urls.marketplaces(lang)))  # RSS keeps the last link as the channel's <link>
    fg.description(subtitle)
    fg.language(lang)
    fg.lastBuildDate(ctx.build_datetime)
    return fg


_ITEM = b"    <item>\n"  # how each item starts in the pretty-printed feed ('<' is always escaped in text: never text)
_CHANNEL_END = b"  </channel>\n"


def merchant_rss(feed: Feed, rows: Iterable[Any], run: Run) -> bytes:
    """The channel, then each row's <item>, as feedgen and lxml print them. lxml indents an item by its depth
    alone (the channel holds elements only), so the file is the channel's head, each item's bytes and the end:
    an item made in another build, kept with its row's key, is the same bytes."""
    columns = [(c.name, c.getter(), _CORE.get(c.name)) for c in feed.format.columns]

    def render(rows: list[Any]) -> list[bytes]:
        if not rows:
            return []
        fg = _channel(feed, run)
        for row in rows:
            fe = fg.add_entry(order="append")
            g = fe.g
            for name, get, core in columns:
                if core is not None:
                    core(fe, get(row))
                else:
                    for tag, value in _elements(name, get(row)):
                        g.add(tag, value)
        text = fg.rss_str(pretty=True)
        start, end = text.index(_ITEM), text.rindex(_CHANNEL_END)
        made = [_ITEM + chunk for chunk in text[start:end].split(_ITEM)[1:]]
        assert len(made) == len(rows)
        return made

    items = run.pieces(feed, rows, render)
    head, end = _channel(feed, run).rss_str(pretty=True).split(_CHANNEL_END)
    return b"".join([head, *items, _CHANNEL_END, end])
