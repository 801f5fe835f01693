"""Tab-separated text as Google Merchant Center reads it: one line per row, no CSV quoting.

Google's text feeds are read by splitting each line at tabs; a value in CSV quotes keeps its
quotes. So a value can hold neither a tab nor a line break: both become a space here (and runs
of spaces one), and nothing is ever quoted. A quote in a title stays a plain quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..text import neutralised
from .format import Feed, Run

_BREAKS = re.compile(r"[\t\n\r\v\f\u0085\u2028\u2029]+")
_SPACES = re.compile(r" {2,}")


def cell(value: Any) -> str:
    """One value as a TSV cell: text on one line without tabs."""
    text = "" if value is None else str(value)
    return neutralised(_SPACES.sub(" ", _BREAKS.sub(" ", text)).strip())


def write(feed: Feed, rows: Iterable[Any], run: Run) -> bytes:
    """Header and rows of the format's columns, tab-separated, UTF-8 without BOM, LF line ends."""
    columns = feed.format.columns
    getters = [c.getter() for c in columns]
    head = "\t".join(cell(c.name) for c in columns) + "\n"
    lines = run.pieces(feed, rows, lambda rows: ["\t".join(cell(get(row)) for get in getters) + "\n" for row in rows])
    return (head + "".join(lines)).encode("utf-8")
