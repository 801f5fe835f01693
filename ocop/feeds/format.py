"""What a feed format declares, once: its files, its columns, where its rows come from, how it is written.

A `Format` is one kind of file (the Google Merchant RSS, the Meta CSV, ...), published in one
file per language or one for both. Its `Column`s say, each in one place, the column's name,
how its value is computed from a row (a marketplace item, an open-data record, ...), the
consumer's limit and what it means (an English msgid of the `feeds` gettext domain; the
Vietnamese is in feeds.po). Generic writers (`writers.py`) turn rows and columns into bytes;
the marketplaces page and docs/feeds.md are generated from the same declarations (`docs.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from ..catalogue import Catalogue
from ..model import Product
from ..problems import Problem
from .clean import cut
from .context import FeedContext


@dataclass(frozen=True)
class Limit:
    """A consumer's limit on a text column: at most `max` characters."""

    max: int
    word_boundary: bool = True  # cut at a word boundary with an ellipsis; else simply cut short

    def fit(self, text: str) -> str:
        if len(text) <= self.max:
            return text
        return cut(text, self.max) if self.word_boundary else text[: self.max]

    def describe(self) -> str:
        return f"≤ {self.max:,}" + (", cut at a word boundary" if self.word_boundary else "")


@dataclass(frozen=True)
class Column:
    """One column (or element) of a format."""

    name: str  # the header or element name, as the consumer spells it
    # row → value; None for the elements of event feeds, which their format's writer makes itself
    value: Callable[[Any], Any] | None
    doc: str = ""  # English msgid (feeds domain); empty when the format's schema documents it
    limit: Limit | None = None

    def getter(self) -> Callable[[Any], Any]:
        """row → value, cut to the limit (record text is already cleaned and cut, with warnings, when
        the rows are made; the limit here guarantees that no column ever exceeds it)."""
        value, limit = self.value, self.limit
        if value is None:
            raise TypeError(f"column {self.name!r} documents an element; it has no value to compute")
        if limit is None:
            return value
        return lambda row: limit.fit(value(row))


@dataclass(frozen=True)
class Section:
    """A heading of the marketplaces page and of docs/feeds.md: formats for one kind of consumer."""

    key: str
    heading: str  # English msgid
    about: str  # English msgid


@dataclass
class Run:
    """One build of some feeds: what they read and the rows they share, made once."""

    catalogue: Catalogue
    ctx: FeedContext
    license: str | None = None
    problems: list[Problem] = field(default_factory=list)
    made: dict[tuple[str, str | None], Any] = field(default_factory=dict)
    finishers: list[Callable[[Run], None]] = field(default_factory=list)
    # Per-product results of the last build, by a key of what they are made from (the adapter keeps them in its
    # cache), and this run's, to keep for the next one: see `product_key` and `pieces`.
    reuse: Mapping[Any, Any] = field(default_factory=dict)
    kept: dict[Any, Any] = field(default_factory=dict)
    _keys: dict[str, tuple | None] = field(default_factory=dict)  # product id → product_key, once per run

    def key_of(self, p: Product) -> tuple | None:
        """`product_key(p, ctx)`, worked out once though each source asks (open data, each language's items)."""
        key = self._keys.get(p.id, False)
        if key is False:
            key = self._keys[p.id] = product_key(p, self.ctx)
        return key  # type: ignore[return-value]

    def once(self, key: tuple[str, str | None], make: Callable[[], Any]) -> Any:
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]

    def rows(self, source: Source, lang: str | None) -> Any:
        key = (source.name, lang if source.per_lang else None)
        if key not in self.made and source.finish and source.finish not in self.finishers:
            self.finishers.append(source.finish)
        return self.once(key, lambda: source.make(self, lang))

    def pieces(self, feed: Feed, rows: Iterable[Any], render: Callable[[list[Any]], list[Any]]) -> list[Any]:
        """Each row's piece of `feed`'s file (a line, an element), in order: taken from the last build when the row
        is a `Row` whose key is in `reuse` (made from the same things, so the same text), else rendered, all at
        once, from the rows' values; kept for the next build either way. A build where nothing changed renders
        nothing."""
        reuse, kept, path = self.reuse, self.kept, feed.path
        rows = list(rows)
        keys = [(path, row.key) if isinstance(row, Row) and row.key is not None else None for row in rows]
        out = [reuse.get(key) if key else None for key in keys]
        todo = [i for i, piece in enumerate(out) if piece is None]
        values = [rows[i].value if isinstance(rows[i], Row) else rows[i] for i in todo]
        for i, piece in zip(todo, render(values), strict=True):
            out[i] = piece
        for key, piece in zip(keys, out, strict=True):
            if key:
                kept[key] = piece
        return out

    def finish(self) -> list[Problem]:
        for step in self.finishers:
            step(self)
        return sorted(self.problems)


class Row:
    """A row that a build may not need to make: its `key` says what it is made from (None: made every time), and
    its value is made the first time a writer asks for it (a piece that the last build kept needs none)."""

    __slots__ = ("key", "_make", "_value")

    def __init__(self, key: Hashable | None, make: Callable[[], Any]):
        self.key = key
        self._make: Callable[[], Any] | None = make
        self._value: Any = None

    @classmethod
    def made(cls, key: Hashable | None, value: Any) -> Self:
        row = cls(key, lambda: value)
        row._make, row._value = None, value
        return row

    @property
    def value(self) -> Any:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value


def product_key(p: Product, ctx: FeedContext) -> tuple | None:
    """What a product's rows are made from: the record file (its digest), what the build day makes of it (its
    status and stars, each certificate's status, which one is current), the showrooms selling it and its photos.
    The rest (code, settings, the site's address) is the same for a whole cache (the adapter's digest).
    None for a product made by hand (no digest): its rows are never reused."""
    if not p.digest:
        return None
    certificates = p.certificates
    day = ctx.build_date
    return (
        p.digest,
        p.id,
        p.slug,
        p.status.value,
        p.stars,
        tuple(c.status(day).value for c in certificates),
        next((i for i, c in enumerate(certificates) if c is p.current), None),
        p.showrooms,
        tuple(ctx.image_urls(p)),
    )


@dataclass(frozen=True)
class Source:
    """Rows that several formats share (e.g. the marketplace items of one language), made once per run."""

    name: str
    make: Callable[[Run, str | None], Any]
    per_lang: bool = True
    cost: int = 1  # rough relative work, to share the feeds between two processes
    finish: Callable[[Run], None] | None = None  # once every row of the run is made (warnings that sum up)


Writer = Callable[["Feed", Any, Run], bytes]


@dataclass(frozen=True, eq=False)  # a format is itself: compared and hashed by identity
class Format:
    key: str  # e.g. "merchant-rss"
    section: Section
    files: dict[str | None, str]  # language (None: both) → file name under /feeds/
    media_type: str
    write: Writer  # (feed, rows, run) → bytes
    source: Source | None = None  # None: the file is written from nothing but the run (a schema)
    columns: tuple[Column, ...] = ()
    title: str = ""  # English msgid of the channel title ("{site}" is the site's name), for RSS and Atom
    subtitle: str = ""
    cost: int = 1  # rough relative work of writing one file
    alternate: bool = False  # announced with <link rel="alternate"> in the marketplaces page of its language
    # The plugin that writes the file when the feeds build does not (e.g. the showrooms' GeoJSON): the registry
    # only documents it, so that the marketplaces page and docs/feeds.md list every machine-readable file.
    written_by: str = ""

    @property
    def documented(self) -> tuple[Column, ...]:
        """The columns the marketplaces page and docs/feeds.md explain."""
        return tuple(c for c in self.columns if c.doc)


@dataclass(frozen=True)
class Feed:
    """One published file: a format in one language (None: both languages in one file)."""

    path: str  # relative to the site root
    format: Format
    lang: str | None

    @property
    def kind(self) -> str:
        return self.format.key

    @property
    def media_type(self) -> str:
        return self.format.media_type

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def fields(self) -> tuple[Column, ...]:
        return self.format.documented

    def write(self, run: Run) -> bytes:
        rows = run.rows(self.format.source, self.lang) if self.format.source else None
        return self.format.write(self, rows, run)
