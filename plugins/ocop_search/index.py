"""The search index: static files built in Python from the catalogue, searched by theme/static/js/search.js.

Why not Pagefind (used until issue 11): at 20,000 products its first query cost 231–279 KiB with gzip,
205 KiB of it a floor that no split removes (its code and WebAssembly, and a list of every page). This
index loads, for a first query, one small file per language and the few files the words and the results
shown need (docs/search.md has the figures):

- `<lang>.json` (the entry, fixed name, cached for minutes): the products' places as slots (one slot per
  former district of a current province), each product's stars and status as one character, the names of
  the other files, and the labels of the filter values;
- `<lang>/t/<key>-<hash>.json`: token shards. A token is a folded word (tone marks and đ folded, as
  `ocop.text.fold`), its key its first two characters, so the word being typed is matched as a prefix by
  loading one shard. Each token maps to its postings: the products it occurs in, each with the best field
  it occurs in (name, the other language's name, producer, places, tags), for ranking;
- `<lang>/c/<n>-<hash>.json`: result cards (name, address, thumbnail, place…) in chunks of 32 products,
  loaded only for the results shown;
- `<lang>/f-<hash>.json`: the group, product set and producer kind of every product, loaded when the
  filters are opened.

A product's number (its id in postings) is slot × 256 + its rank in the slot, slots ordered by place and
products in a slot by slug: products of one place are neighbours, so the results of a place or of a word
share card chunks, and a decision changes only the ids, chunks and shards of the places and words it
touches — other files keep their bytes and names (content hashes), and the publishing build hard-links them.
Everything is sorted and serialised canonically: the same catalogue gives the same bytes.

A publishing build reuses the last build's work (issue 11): each product's card and words, per language, are
kept in the cache (`Words`, keyed by what they are made from), so only new and changed products are worked out;
and a file whose name (its content's hash) the published version has is hard-linked from it, never written.
When nothing the index is made from changed (`Whole`), the last build's files are linked without making any.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ocop import urls
from ocop.groups import GROUPS
from ocop.i18n import LANGS, catalog
from ocop.model import Product
from ocop.text import fold, sort_key
from ocop_catalogue import kept
from ocop_catalogue.filters import PRODUCER_KINDS, STATUS_LABELS
from ocop_catalogue.incremental import Linker

from . import record

log = logging.getLogger(__name__)

BUNDLE_DIR = urls.SEARCH_DIR  # one home for addresses: ocop/urls.py
CACHE_NAME = "search-index.pickle"  # in OCOP_CACHE_PATH: each product's card and words (Made)
FORMAT = 1  # bumped when the files' layout changes; search.js checks it
SLOT_SIZE = 256  # ids per slot: a place with more products takes several slots
CHUNK_SIZE = 32  # cards per chunk; divides SLOT_SIZE, so a chunk never spans two places
# The searchable fields, best first, with their weights (search.js ranks with them: an exact word counts
# twice, a prefix of the word being typed once; all words must match).
FIELDS = ("name", "alt", "producer", "place", "tags")
WEIGHTS = (10, 6, 4, 3, 2)
STATUS_CODES = {"active": "a", "expiring": "e", "expired": "x", "revoked": "r"}
_TOKEN = re.compile(r"[a-z0-9]+")


class SearchIndexError(RuntimeError):
    pass


def tokens(text: str, lang: str) -> list[str]:
    """The words of a text as the index and search.js see them: folded, split on anything else than a-z0-9.

    English words lose a plural s ("fruits" finds "fruit"), the same on both sides; Vietnamese words do not
    inflect.
    """
    words = _TOKEN.findall(fold(text))
    return _stem(words) if lang == "en" else words


def _stem(words: list[str]) -> list[str]:
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def shard_key(token: str) -> str:
    return token[:2]


def _star_label(lang: str, n: int) -> str:
    return catalog("theme", lang).ngettext("%(count)s star", "%(count)s stars", n) % {"count": n}


def _label(lang: str, msgid: str) -> str:
    return catalog("theme", lang).gettext(msgid)


def _place_key(p: Product) -> tuple:
    return (sort_key(record.province_label(p)), sort_key(record.district_label(p)))


@dataclass
class _Slots:
    """Products numbered by place: ids, and each slot's province and district."""

    ids: dict[str, int] = field(default_factory=dict)  # product id → number
    order: list[Product] = field(default_factory=list)  # products in number order
    slots: list[tuple[str, str, int]] = field(default_factory=list)  # (province, district, products)

    # The entry's columns of stars and statuses are the same in every language: worked out once.
    @cached_property
    def stars(self) -> str:
        return "".join([str(p.stars) for p in self.order])

    @cached_property
    def status(self) -> str:
        return "".join([STATUS_CODES[p.status.value] for p in self.order])


def number(products: Iterable[Product]) -> _Slots:
    by_place: dict[tuple, list[Product]] = defaultdict(list)
    keys: dict[tuple[str, str], tuple] = {}  # sort keys cost more than the rest: worked out once a place
    for p in products:
        labels = (record.province_label(p), record.district_label(p))
        key = keys.get(labels)
        if key is None:
            key = keys[labels] = (sort_key(labels[0]), sort_key(labels[1]))
        by_place[key].append(p)
    out = _Slots()
    for key in sorted(by_place):
        group = sorted(by_place[key], key=lambda p: p.slug)
        for start in range(0, len(group), SLOT_SIZE):
            part = group[start : start + SLOT_SIZE]
            base = len(out.slots) * SLOT_SIZE
            out.slots.append((record.province_label(part[0]), record.district_label(part[0]), len(part)))
            for rank, p in enumerate(part):
                out.ids[p.id] = base + rank
                out.order.append(p)
    return out


class _Memo:
    """What repeats across products (places, labels, words), computed once per build.

    Keys hold the objects themselves (places are values) or their ids (districts and provinces are shared
    by the products of the catalogue, which outlives the memo).
    """

    def __init__(self) -> None:
        self.folded: dict[str, list[str]] = {}
        self.words: dict[tuple[str, str], list[str]] = {}
        self.places: dict[tuple, str] = {}
        self.tags: dict[tuple, str] = {}
        self.where: dict[tuple, tuple[str, str]] = {}

    def tokens(self, text: str, lang: str) -> list[str]:
        words = self.words.get((text, lang))
        if words is None:
            folded = self.folded.get(text)
            if folded is None:
                folded = self.folded[text] = tokens(text, "vi")
            words = self.words[(text, lang)] = _stem(folded) if lang == "en" else folded
        return words

    def fields(self, p: Product, lang: str) -> tuple[str, ...]:
        """The searchable text of a product, one string per entry of FIELDS."""
        other = p.name.vi if lang == "en" else (p.name.en or "")
        key = (getattr(p, "place", None), p.commune, id(p.district), id(p.province))
        places = self.places.get(key)
        if places is None:
            places = self.places[key] = " ".join(record.place_names(p))
        tag_key = (p.stars, p.group.key, p.producer.kind, p.status.value, lang)
        tags = self.tags.get(tag_key)
        if tags is None:
            tags = self.tags[tag_key] = " ".join(
                (
                    record.star_words(p, lang),
                    p.group.label(lang),
                    _label(lang, PRODUCER_KINDS[p.producer.kind]),
                    _label(lang, STATUS_LABELS[p.status.value]),
                )
            )
        return (p.name.get(lang), other, p.producer.name, places, tags)

    def card(self, p: Product, lang: str, images: Mapping[str, Any], groups: dict[str, int]) -> list:
        """What a result shows: slug, name, thumbnails (JPEG, WebP), today's place, former district, group."""
        key = (getattr(p, "place", None), id(p.district), id(p.province), p.commune, lang)
        where = self.where.get(key)
        if where is None:
            where = self.where[key] = (record.result_place(p, lang), record.result_former(p, lang))
        return [
            p.slug,
            p.name.get(lang),
            record.thumb(p, images),
            record.thumb(p, images, "webp"),
            *where,
            groups[p.group.key],
        ]


def words(p: Product, lang: str, memo: _Memo) -> tuple[str, ...]:
    """A product's words by the best field they occur in: one space-separated string per entry of FIELDS."""
    best: dict[str, int] = {}
    for f, text in enumerate(memo.fields(p, lang)):
        for w in memo.tokens(text, lang):
            best.setdefault(w, f)  # fields come best first: the first one seen is the best
    by_field: list[list[str]] = [[] for _ in FIELDS]
    for w, f in best.items():
        by_field[f].append(w)
    return tuple(" ".join(ws) for ws in by_field)


def postings(made: Iterable[tuple[int, tuple[str, ...]]]) -> dict[str, list[int]]:
    """token → [id × len(FIELDS) + best field, ...] from (id, words) pairs in id order (each list comes out sorted)."""
    out: dict[str, list[int]] = defaultdict(list)
    n = len(FIELDS)
    for number_, by_field in made:
        pid = number_ * n
        for f, ws in enumerate(by_field):
            if ws:
                code = pid + f
                for w in ws.split(" "):
                    out[w].append(code)
    return out


class Made:
    """Each product's card (JSON) and words in each language, kept from one build to the next in the cache.

    An entry is keyed by what it is made from: the record's digest (its file's bytes), what the build day
    makes of it (status, stars), its thumbnails, and the fields read (so that a product changed in memory, as
    tests do, is not taken for its record). The whole cache is for one `inputs` digest (ocop_feeds.kept).
    A product with no digest (made by hand) is never cached.
    """

    def __init__(
        self, path: Path | None = None, inputs: str = "", read: bool = True, keys: Mapping[str, tuple | None] = {}
    ):
        self.path, self.inputs = path, inputs
        self.keys = keys  # product id → `_key`, worked out once for both languages and the fingerprint
        self.before: dict[tuple, tuple[bytes, tuple[str, ...]]] = {}
        self.now: dict[tuple, tuple[bytes, tuple[str, ...]]] = {}
        self.misses = 0
        if path is not None and inputs and read:
            self.before = kept.load(path, inputs)

    def get(self, p: Product, lang: str, memo: _Memo, images: Mapping[str, Any], groups: dict[str, int]):
        base = self.keys[p.id] if p.id in self.keys else _key(p, images)
        key = (lang, base) if base else None
        hit = self.before.get(key) if key else None
        if hit is None:
            self.misses += 1
            hit = (_dump(memo.card(p, lang, images, groups)), words(p, lang, memo))
        if key:
            self.now[key] = hit
        return hit

    def save(self) -> None:
        """Keep this build's entries (only those: the cache stays the size of the catalogue)."""
        if self.path is None or not self.inputs or (not self.misses and len(self.now) == len(self.before)):
            return
        kept.save(self.path, self.inputs, self.now)


def _key(p: Product, images: Mapping[str, Any]) -> tuple | None:
    if not p.digest:
        return None
    pics = images.get(p.id) or ()
    thumbs = tuple([v.name for v in pics[0].variants]) if pics else ()
    return (p.digest, p.id, p.slug, p.name.vi, p.name.en, p.producer.name, p.status.value, p.stars, thumbs)


def _delta(codes: list[int]) -> list[int]:
    """Postings as gaps: small numbers, which gzip well. Decoded by search.js."""
    return [c - prev for prev, c in zip([0, *codes], codes)]


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _hashed(files: dict[str, bytes], folder: str, stem: str, data: Any) -> str:
    """Add a file named after its content; returns the hash, which the entry names it by."""
    return _named(files, folder, stem, _dump(data))


def _named(files: dict[str, bytes], folder: str, stem: str, blob: bytes) -> str:
    digest = hashlib.sha256(blob).hexdigest()[:10]
    files[f"{folder}{stem}-{digest}.json"] = blob
    return digest


def _column(values: Sequence[str], of: Iterable[str]) -> str:
    """One character per product: the value's index in `values`, base 36 (so at most 36 values)."""
    if len(values) > 36:
        raise SearchIndexError(f"search index: {len(values)} values of one filter, at most 36 fit its column")
    index = {v: i for i, v in enumerate(values)}
    return "".join("0123456789abcdefghijklmnopqrstuvwxyz"[index[v]] for v in of)


def _values(lang: str, products: Sequence[Product]) -> dict[str, list[str]]:
    """Each filter's values in the language: the labels shown beside the checkboxes, sorted."""
    sets = sorted({s.label(lang) for s in _product_sets(products)}, key=sort_key)
    kinds = sorted({p.producer.kind for p in products})
    return {
        "stars": [_star_label(lang, n) for n in range(1, 6)],
        "group": [g.label(lang) for g in GROUPS],
        "set": ["", *sets],
        "kind": [_label(lang, PRODUCER_KINDS[k]) for k in kinds],
    }


def _product_sets(products: Iterable[Product]) -> list:
    """The product sets the products belong to, each once (by number: a set's hash reads all its fields)."""
    return list({s.number: s for p in products if (s := p.product_set) is not None}.values())


def language_files(
    products: Sequence[Product],
    lang: str,
    images: Mapping[str, Any],
    slots: _Slots | None = None,
    memo: _Memo | None = None,
    made: Made | None = None,
) -> dict[str, bytes]:
    """Every file of one language's index, path (under BUNDLE_DIR) → bytes."""
    slots = slots or number(products)
    memo = memo or _Memo()
    made = made or Made()
    files: dict[str, bytes] = {}
    folder = f"{lang}/"
    groups = {g.key: i for i, g in enumerate(GROUPS)}
    ids = [slots.ids[p.id] for p in slots.order]
    cards_words = [made.get(p, lang, memo, images, groups) for p in slots.order]

    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for w, codes in postings(zip(ids, (words for _, words in cards_words))).items():
        shards[shard_key(w)][w] = _delta(codes)
    # Each file names its language: no two files have the same bytes (the shards of digits would,
    # and precompressing two equal files at once raced for one cache entry).
    shard_names = {
        key: _hashed(files, f"{folder}t/", key, {"lang": lang, "words": shards[key]}) for key in sorted(shards)
    }

    chunks: dict[int, list[bytes]] = defaultdict(list)
    for n, (card, _) in zip(ids, cards_words):
        chunks[n // CHUNK_SIZE].append(card)
    # The cards are JSON already: a chunk is their list, the bytes _dump gives for it.
    chunk_names = {
        str(n): _named(files, f"{folder}c/", str(n), b"[" + b",".join(chunks[n]) + b"]") for n in sorted(chunks)
    }

    values = _values(lang, products)
    entry = _entry(lang, slots, values)
    entry.update(
        shards=shard_names, chunks=chunk_names, filters=_hashed(files, folder, "f", _filters(lang, slots.order, values))
    )
    files[f"{lang}.json"] = _dump(entry)
    return files


def _filters(lang: str, order: list[Product], values: dict[str, list[str]]) -> dict[str, str]:
    """The filters file: one column of characters per filter, a product's value at its position."""
    # Labels are looked up once per value, not once per product: keyed by what each label is made from.
    groups = {g.key: g.label(lang) for g in GROUPS}
    sets = {s.number: s.label(lang) for s in _product_sets(order)}
    kinds = {k: _label(lang, PRODUCER_KINDS[k]) for k in {p.producer.kind for p in order}}
    return {
        "lang": lang,
        "group": _column(values["group"], (groups[p.group.key] for p in order)),
        "set": _column(values["set"], (sets[p.product_set.number] if p.product_set else "" for p in order)),
        "kind": _column(values["kind"], (kinds[p.producer.kind] for p in order)),
    }


def _entry(lang: str, slots: _Slots, values: dict[str, list[str]]) -> dict[str, Any]:
    """The entry file but the names of the other files."""
    order = slots.order
    provinces = sorted({s[0] for s in slots.slots}, key=sort_key)
    districts = sorted({s[1] for s in slots.slots}, key=sort_key)
    province_at = {name: i for i, name in enumerate(provinces)}
    district_at = {name: i for i, name in enumerate(districts)}
    return {
        "format": FORMAT,
        "lang": lang,
        "count": len(order),
        "prefix": urls.product_prefix(lang),
        "slot_size": SLOT_SIZE,
        "chunk_size": CHUNK_SIZE,
        "slots": [[province_at[pr], district_at[d], n] for pr, d, n in slots.slots],
        "stars": slots.stars,
        "status": slots.status,
        "values": {"province": provinces, "district": districts, **values},
        "groups": [g.key for g in GROUPS],
        "statuses": {code: [s, _label(lang, STATUS_LABELS[s])] for s, code in STATUS_CODES.items()},
        "weights": WEIGHTS,
    }


def build_index(
    output_path: str | Path,
    products: Sequence[Product],
    images: Mapping[str, Any],
    cache: Path | None = None,
    inputs: str = "",
    previous: str | Path | None = None,
    linked: set[str] | None = None,
) -> int:
    """Write both languages' index into <output>/search-index/; returns the number of products indexed.

    `images`: product id → its photos' renditions (SiteBuild.renditions), for the thumbnails. `cache`: the file
    keeping each product's card and words for the next build, valid for the `inputs` digest (see `Made`), and
    beside it what the whole index was made from (see `Whole`). `previous`: the published version, whose files of
    the same name (content hash) are hard-linked, not written; without one the cache is only written. `linked`:
    gets the names (relative to the output folder) of the files linked, whose `.gz`/`.br` are linked too
    (SiteBuild.linked).
    """
    started = time.perf_counter()
    bundle = Path(output_path) / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)
    keys = {p.id: _key(p, images) for p in products}
    if len(keys) != len(products):
        duplicates = len(products) - len(keys)
        raise SearchIndexError(f"search index: {duplicates} products share an id with another; ids must be unique")
    old = Path(previous) / BUNDLE_DIR if previous else None
    whole = Whole(cache, inputs, products, keys)
    reused = whole.reuse(bundle, old) if old is not None else None
    if reused is not None:
        done, count, misses = reused, len(whole.before), 0
    else:
        shutil.rmtree(bundle, ignore_errors=True)  # what a failed reuse linked
        slots = number(products)
        memo = _Memo()  # shared by the languages: words and places are folded once
        # With no published version (a first build, `ocop build --full`) nothing is taken from the cache: it is
        # made again from scratch, and kept for the next build.
        made = Made(cache, inputs, read=previous is not None, keys=keys)
        files = {
            name: data
            for lang in LANGS
            for name, data in language_files(products, lang, images, slots, memo, made).items()
        }
        done, count, misses = _write(bundle, files, old), len(files), made.misses
        made.save()
        whole.save(files)
    if linked is not None:
        linked.update(f"{BUNDLE_DIR}/{name}" for name in done)
    log.info(
        "Search index: %d products in %d languages, %d of %d files linked, %d cards and words made, in %.1f s",
        len(products),
        len(LANGS),
        len(done),
        count,
        misses,
        time.perf_counter() - started,
    )
    return len(products)


class Whole:
    """The last build's whole index, kept beside the cache of cards and words: the names of its files and the
    bytes of its entries, under a digest of everything the index is made from (`fingerprint`).

    A build where nothing the index shows changed (a record saved again with the same bytes, a page's text
    edited) finds the same digest: the whole index is the one the published version has, so every file is
    hard-linked from there, and the entries (whose names do not change with their bytes) written from the
    cache, without numbering, looking up or serialising anything.
    """

    def __init__(self, cache: Path | None, inputs: str, products: Sequence[Product], keys: Mapping[str, tuple | None]):
        self.path = cache.with_name(f"{cache.stem}-files{cache.suffix}") if cache is not None and inputs else None
        self.digest = fingerprint(products, keys, inputs) if self.path is not None else ""
        self.before: dict[str, bytes | None] = {}
        if self.path is not None and self.digest:
            self.before = kept.load(self.path, self.digest)

    def reuse(self, bundle: Path, old: Path) -> list[str] | None:
        """Link the last build's files from the published version and write its entries; the names linked, or
        None if there is nothing to reuse or the published version lacks a file (then another build was
        published since, or it was edited: the index is made again)."""
        if not self.before:
            return None
        linker = Linker(old, bundle)
        names = sorted(name for name, data in self.before.items() if data is None)
        if not all(linker.link_all(names)):
            return None
        bundle.mkdir(parents=True, exist_ok=True)
        for name, data in self.before.items():
            if data is not None:
                (bundle / name).write_bytes(data)
        return names

    def save(self, files: dict[str, bytes]) -> None:
        if self.path is not None and self.digest:
            kept.save(self.path, self.digest, {n: data if n in ENTRIES else None for n, data in files.items()})


ENTRIES = frozenset(f"{lang}.json" for lang in LANGS)  # the files whose names do not change with their bytes


def fingerprint(products: Sequence[Product], keys: Mapping[str, tuple | None], inputs: str) -> str:
    """A digest of everything the index is made from: the `inputs` digest, and each product's `Made` key (its
    record's digest and the fields read, `keys`: product id → `_key`) with what numbers and filters it (place,
    group, set, producer kind). "" when a product has no record digest (made by hand: nothing says what it holds)."""
    parts = []
    for p in products:
        key = keys[p.id]
        if key is None:
            return ""
        set_ = p.product_set.number if p.product_set else None
        parts.append((key, record.province_label(p), record.district_label(p), p.group.key, set_, p.producer.kind))
    return hashlib.sha256(repr((inputs, parts)).encode()).hexdigest()  # one repr: 20,000 cost more


def _write(bundle: Path, files: dict[str, bytes], previous: Path | None) -> list[str]:
    """Write the files, but link those the published version has: a content-hashed name means the same bytes.
    The entry files keep their names whatever they hold: they are always written. Returns the names linked."""
    linker = Linker(previous, bundle) if previous else None
    folders: set[Path] = set()
    linked = []
    for name in sorted(files):
        if linker is not None and name not in ENTRIES and linker.link(name):
            linked.append(name)
            continue
        path = bundle / name
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_bytes(files[name])
    return linked
