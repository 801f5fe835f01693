"""Every published feed format, in the order the marketplaces page lists them.

Adding a format is one module that declares it (its columns, its files, its section) and one
entry here. Everything else (the build, the split between processes, the marketplaces page,
docs/feeds.md) reads this list.
"""

from __future__ import annotations

from .. import urls
from . import merchant, meta, news, opendata
from .format import Feed, Format, Section

FORMATS: tuple[Format, ...] = (*merchant.FORMATS, *meta.FORMATS, *opendata.FORMATS, *news.FORMATS)


def feed_list(formats: tuple[Format, ...] = FORMATS) -> list[Feed]:
    """Every published file: each format in each of its languages."""
    return [Feed(urls.feed(name), f, lang) for f in formats for lang, name in f.files.items()]


def sections(formats: tuple[Format, ...] = FORMATS) -> list[tuple[Section, list[Format]]]:
    """The formats grouped under their sections, in the order they first appear."""
    found: dict[str, tuple[Section, list[Format]]] = {}
    for f in formats:
        found.setdefault(f.section.key, (f.section, []))[1].append(f)
    return list(found.values())


def _groups(feeds: list[Feed]) -> list[tuple[int, list[str]]]:
    """Feeds that share rows made once (a source in one language), with their rough cost."""
    groups: dict[tuple[str, str | None], tuple[int, list[str]]] = {}
    for feed in feeds:
        source = feed.format.source
        key = (source.name, feed.lang if source.per_lang else None) if source else ("", feed.path)
        cost, paths = groups.get(key, (source.cost if source else 0, []))
        groups[key] = (cost + feed.format.cost, [*paths, feed.path])
    return list(groups.values())


def parts(n: int = 2, feeds: list[Feed] | None = None) -> tuple[set[str], ...]:
    """The feed paths shared between `n` processes, of about the same work each: rows that several feeds
    share stay in one process (largest first, each to the least loaded)."""
    loads = [0] * n
    out: tuple[set[str], ...] = tuple(set() for _ in range(n))
    written_here = [feed for feed in (feeds or feed_list()) if not feed.format.written_by]
    for cost, paths in sorted(_groups(written_here), key=lambda g: -g[0]):
        lightest = loads.index(min(loads))
        loads[lightest] += cost
        out[lightest].update(paths)
    return out
