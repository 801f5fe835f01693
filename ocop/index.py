"""A light index of the records already in the products folder, for the staff tools.

`ocop new` and `ocop import` must know which ids and slugs are taken and which product a
decision-table row names, without validating 20,000 records first: this reads only the
few fields needed (id, slug, names, district, certificates) with the fast YAML parser.
Records too broken to parse are still listed by file name so their slug stays taken.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .recordfile import load
from .records import record_files
from .text import fold


def name_key(text: str) -> str:
    """Key under which two spellings of one product or producer name meet: no case, tones or punctuation."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


_LEGAL_WORDS = re.compile(
    r"\b(hop tac xa|htx|to hop tac|tht|cong ty|cty|co phan|cp|tnhh|mtv|mot thanh vien|doanh nghiep tu nhan|dntn|"
    r"doanh nghiep|co so|ho kinh doanh|hkd|ho san xuat|nong nghiep|dich vu|san xuat|kinh doanh|thuong mai|va)\b"
)


def producer_key(text: str) -> str:
    """A producer's name without its legal form and trade words: 'HTX Nông nghiệp Thuận Tiến' → 'thuan tien'.

    Decision tables shorten names ('HTX Thuận Tiến'); matching needs the product name too.
    """
    core = re.sub(r"\s+", " ", _LEGAL_WORDS.sub(" ", name_key(text))).strip()
    return core or name_key(text)


# Words a table adds to a product's name for its packaging ("chai 500ml", "hộp 12 gói"): not a new product.
_CONTAINERS = r"chai|hop|goi|tui|lo|hu|binh|thung|can|loc|vi|khay|bich|loai|dong"
_UNITS = r"ml|l|lit|g|gr|gam|kg"
_PACKAGING = re.compile(rf"^(?:{_CONTAINERS}|{_UNITS}|\d+(?:[.,]\d+)?(?:{_UNITS}))$")
_UNIT = re.compile(rf"^(?:{_UNITS})$")
_NOTES = re.compile(r"\(.*?\)|\[.*?\]")
SIMILAR = 0.5  # share of words two names of one producer's products have in common to be worth a question


def _words(name: str) -> set[str]:
    return set(name_key(_NOTES.sub(" ", name)).split())


def name_likeness(name: str, other: str, producer: str) -> str | None:
    """How a table's product name compares with a record's name of the same producer: "same" (equal but
    for bracketed notes, packaging and tone marks), "similar" (worth asking: many words in common, or one
    name inside the other), or None (another product).

    Words of the producer's name ('Bà Hai' in 'Nước mắm Bà Hai 40 độ đạm') are left out, as they are in
    all its products' names; unless a name has no other words."""
    a, b = _words(name), _words(other)
    brand = set(producer_key(producer).split())
    if a - brand and b - brand:
        a, b = a - brand, b - brand
    if a == b:
        return "same"
    extra = a ^ b
    sized = any(_UNIT.match(w) for w in extra)  # "500 ml": the number is a size, not "40 độ đạm"
    if (a <= b or b <= a) and all(_PACKAGING.match(w) or (sized and w.isdigit()) for w in extra):
        return "same"
    if a <= b or b <= a or len(a & b) / len(a | b) >= SIMILAR:
        return "similar"
    return None


@dataclass
class Entry:
    path: Path
    id: str | None
    slug: str
    name: str | None
    producer: str | None
    district: str | None
    certificates: list[tuple[str, str, int | None]] = field(default_factory=list)  # (decision, date, stars)


@dataclass
class Index:
    entries: list[Entry]

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entries if e.id}
        self._highest: dict[str, int] = {}  # prefix → the records' highest number
        self._given: dict[str, int] = {}  # prefix → the number last given out
        self.slugs = {e.slug: e for e in self.entries}
        self.by_names: dict[tuple[str, str], list[Entry]] = {}
        self.by_name: dict[str, list[Entry]] = {}
        self.by_producer: dict[str, list[Entry]] = {}  # producer_key → that producer's records
        for e in self.entries:
            if e.name and e.producer:
                self.by_names.setdefault((name_key(e.name), producer_key(e.producer)), []).append(e)
                self.by_producer.setdefault(producer_key(e.producer), []).append(e)
            if e.name:
                self.by_name.setdefault(name_key(e.name), []).append(e)

    def next_number(self, prefix: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
        """The next free id of the form <prefix>-NNNN (bt-dl-0009 after bt-dl-0008), after the records' and `taken`'s.

        Planning a table of 50,000 new products calls this for each, with the growing set of ids it took: the
        records' highest number is found once per prefix, and `taken` is read again only when it does not hold
        the last number given out (another plan's set)."""
        pattern = re.compile(re.escape(prefix) + r"-(\d+)$")
        if prefix not in self._highest:
            self._highest[prefix] = max((int(m.group(1)) for i in self.by_id if (m := pattern.match(i))), default=0)
        n = self._highest[prefix]
        last = self._given.get(prefix)
        if last is not None and f"{prefix}-{last:04d}" in taken:
            n = max(n, last)
        elif taken:
            n = max([n] + [int(m.group(1)) for i in taken if (m := pattern.match(i))])
        n += 1
        while f"{prefix}-{n:04d}" in self.by_id or f"{prefix}-{n:04d}" in taken:
            n += 1
        self._given[prefix] = n
        return f"{prefix}-{n:04d}"


def _text(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("vi")
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_entry(path: Path) -> Entry:
    try:
        data = load(path.read_text(encoding="utf-8-sig"))  # within the record limits: a hostile file is None
    except UnicodeDecodeError:
        data = None
    if not isinstance(data, dict):
        return Entry(path, None, path.stem, None, None, None)
    producer = data.get("producer")
    certs = []
    for c in data.get("certificates") or ():
        if isinstance(c, dict):
            certs.append((str(c.get("decision") or "").strip(), str(c.get("date") or ""), c.get("stars")))
    slug = data["slug"] if isinstance(data.get("slug"), str) else path.stem
    return Entry(
        path,
        data.get("id") if isinstance(data.get("id"), str) else None,
        slug,
        _text(data.get("name")),
        _text(producer.get("name")) if isinstance(producer, dict) else None,
        data.get("district") if isinstance(data.get("district"), str) else None,
        certs,
    )


CACHE_VERSION = 1


def _cache_file(products_dir: Path, cache_dir: Path | None) -> Path:
    folder = Path(cache_dir) if cache_dir else products_dir.resolve().parent / ".cache"
    return folder / f"staff-index-{products_dir.resolve().name}.json"


def build_index(products_dir: Path, use_cache: bool = True, cache_dir: Path | None = None) -> Index:
    """Index every record. Entries of files unchanged since the last run (same size and modification
    time) come from a small cache in `cache_dir` (the site's OCOP_CACHE_PATH; None: .cache beside the
    products folder), so `ocop new` on 20,000 records does not re-parse them all."""
    products_dir = Path(products_dir)
    cache_path = _cache_file(products_dir, cache_dir)
    cached: dict = {}
    if use_cache:
        try:
            data = json.loads(cache_path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION:
                cached = data["entries"]
        except (OSError, ValueError, KeyError):
            cached = {}
    entries, fresh = [], {}
    for path in record_files(products_dir):
        st = path.stat()
        rel = path.relative_to(products_dir).as_posix()
        stamp = [st.st_mtime_ns, st.st_size]
        hit = cached.get(rel)
        if hit and hit[0] == stamp:
            e = hit[1]
            entry = Entry(
                path, e["id"], e["slug"], e["name"], e["producer"], e["district"], [tuple(c) for c in e["certificates"]]
            )
        else:
            entry = read_entry(path)
        entries.append(entry)
        fresh[rel] = [
            stamp,
            {
                "id": entry.id,
                "slug": entry.slug,
                "name": entry.name,
                "producer": entry.producer,
                "district": entry.district,
                "certificates": [list(c) for c in entry.certificates],
            },
        ]
    if use_cache and fresh != cached:
        try:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_path.with_suffix(".tmp")
            tmp.write_text(
                json.dumps({"version": CACHE_VERSION, "entries": fresh}, ensure_ascii=False), encoding="utf-8"
            )
            os.replace(tmp, cache_path)
        except OSError:
            pass  # a read-only checkout still works, only slower
    return Index(entries)
