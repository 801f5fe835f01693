"""The catalogue: validated products at a build date, with their groupings, statuses and counts.

Every output (pages, feeds, search, statistics) reads this one object, so every output
agrees on what is listed and how it is counted.

Places, on both maps (see `ocop.places`): `current_provinces` lists current provinces, each with
the former provinces and former districts it holds (how people and older certificates know a
product); `districts` and `former_provinces` (also named `provinces`, as before the reform was
known here) are the same former districts as flat lists. The site's scope comes first.
"""

from __future__ import annotations

import copy
import os
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .certificates import Status, as_of
from .groups import GROUPS, Group
from .model import Product
from .places import Commune, District, FormerProvince, Province, Scope, read_scope
from .problems import Problem, RecordsInvalid, errors
from .records import later_certificates, read_records
from .text import sort_key

VIETNAM_TZ = timezone(timedelta(hours=7))


def build_date_from_env(explicit: str | date | None = None) -> date:
    """The date statuses are computed at: a setting, else SOURCE_DATE_EPOCH, else today in Vietnam."""
    if isinstance(explicit, date):
        return explicit
    if explicit:
        return date.fromisoformat(explicit)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), VIETNAM_TZ).date()
    return datetime.now(VIETNAM_TZ).date()


def product_order(p: Product) -> tuple:
    """Listings show the best-rated first, then in Vietnamese alphabetical order."""
    return (-p.stars, sort_key(p.name.vi), p.id)


@dataclass
class DistrictEntry:
    """A former district with a product (listed or not)."""

    district: District
    products: list[Product]  # listed ones, in product order
    by_group: list[tuple[Group, list[Product]]]
    total: int  # including expired and revoked


@dataclass
class FormerProvinceEntry:
    """A former province with a product, and its districts with one."""

    province: FormerProvince
    districts: list[DistrictEntry]  # in Vietnamese alphabetical order

    @property
    def listed(self) -> int:
        return sum(len(e.products) for e in self.districts)

    @property
    def total(self) -> int:
        return sum(e.total for e in self.districts)


@dataclass
class ProvinceEntry:
    """A current province with a product (listed or not): its former provinces and districts, its products."""

    province: Province
    former: list[FormerProvinceEntry]  # in Vietnamese alphabetical order
    products: list[Product]  # listed ones, in product order
    by_group: list[tuple[Group, list[Product]]]
    total: int  # including expired and revoked
    in_scope: bool  # one of the site's own provinces (every province for a national site)

    @property
    def districts(self) -> list[DistrictEntry]:
        return [d for f in self.former for d in f.districts]


class Catalogue:
    """Products at a build date, and their groupings.

    Attributes: `products` (every one, in product order), `listed` and `lapsed`, `by_id`, `by_slug`,
    `stars` {5, 4, 3: listed}, `groups` [(group, listed)], `status_counts`; places: `current_provinces`
    [ProvinceEntry] (current provinces, the scope's first), `by_province` {current province: entry},
    `districts` [DistrictEntry] (former districts in the same order), `former_provinces` = `provinces`
    [(former province, [DistrictEntry])], `by_commune` {current commune: listed products}, `scope`.
    """

    def __init__(self, products: list[Product], build_date: date, scope: Scope | str | list | None = None):
        """`scope`: the site's (`ocop.places.Scope`, or the OCOP_SCOPE setting's value); None: national."""
        self.scope: Scope = read_scope(scope)
        self.build_date = build_date
        self.products: list[Product] = sorted(_as_of(products, build_date), key=product_order)
        self.by_id = {p.id: p for p in self.products}
        self.by_slug = {p.slug: p for p in self.products}
        self.listed = [p for p in self.products if p.status.listed]
        self.lapsed = [p for p in self.products if not p.status.listed]

        self.stars: dict[int, list[Product]] = {s: [p for p in self.listed if p.stars == s] for s in (5, 4, 3)}
        self.groups: list[tuple[Group, list[Product]]] = [(g, [p for p in self.listed if p.group is g]) for g in GROUPS]
        self.districts: list[DistrictEntry] = _district_entries(self.products, self.listed, self.scope)
        self.former_provinces: list[tuple[FormerProvince, list[DistrictEntry]]] = _by_former_province(self.districts)
        self.provinces = self.former_provinces  # the name pages used before the reform was known here
        self.current_provinces: list[ProvinceEntry] = _province_entries(self.former_provinces, self.listed, self.scope)
        self.by_province: dict[Province, ProvinceEntry] = {e.province: e for e in self.current_provinces}
        self.by_commune: dict[Commune, list[Product]] = _by_commune(self.listed)
        self.status_counts = Counter(p.status for p in self.products)

    def updated(self, changes: dict[str, Product | None]) -> Catalogue:
        """This catalogue after some records changed: `changes` maps a product id to its record as read now (None:
        the record is gone). Equal to a Catalogue made afresh from every record, at a small part of its cost.

        Nothing here is modified. Every listing, entry and place that no change touches is the very object it
        was here, so a caller (the preview's plan) can tell by identity what it must plan again.
        """
        new = copy.copy(self)
        change = _Change(self, changes)
        new.products = change.spliced(self.products, change.came)
        new.by_id = _reindexed(self.by_id, change, lambda p: p.id)
        new.by_slug = _reindexed(self.by_slug, change, lambda p: p.slug)
        listed = [p for p in change.came if p.status.listed]
        new.listed = change.spliced(self.listed, listed)
        new.lapsed = change.spliced(self.lapsed, [p for p in change.came if not p.status.listed])
        new.stars = {s: change.spliced(ps, [p for p in listed if p.stars == s]) for s, ps in self.stars.items()}
        new.groups = [(g, change.spliced(ps, [p for p in listed if p.group is g])) for g, ps in self.groups]
        new.districts = change.districts(self.districts, self.scope)
        new.former_provinces = new.provinces = _kept_formers(self.former_provinces, new.districts)
        new.current_provinces = change.provinces(self.by_province, new.former_provinces, self.scope)
        new.by_province = {e.province: e for e in new.current_provinces}
        new.by_commune = change.by_commune(self.by_commune)
        new.status_counts = change.counts(self.status_counts)
        return new

    def newest(self, n: int = 12) -> list[Product]:
        """Most recent certifications first (listed products only)."""
        return sorted(self.listed, key=lambda p: (p.certified_on, p.id), reverse=True)[:n]

    def count(self, status: Status) -> int:
        return self.status_counts.get(status, 0)


def _as_of(products: list[Product], build_date: date) -> list[Product]:
    """The products as they stand on the build date, with their status. A certificate dated after the build
    date counts from its day: until then the product is seen without it (and not at all if it has no other)."""
    found = [q for p in products if (q := as_of(p, build_date)) is not None]
    for p in found:
        p.status = p.current.status(build_date)
    return found


def _by_commune(listed: list[Product]) -> dict[Commune, list[Product]]:
    by_commune: dict[Commune, list[Product]] = {}
    for p in listed:
        if p.place and p.place.commune:
            by_commune.setdefault(p.place.commune, []).append(p)
    return by_commune


def _by_group(products: list[Product]) -> list[tuple[Group, list[Product]]]:
    """The groups that have products, in programme order, each with its products (order kept)."""
    return [(g, [p for p in products if p.group is g]) for g in GROUPS if any(p.group is g for p in products)]


def _district_entries(products: list[Product], listed: list[Product], scope: Scope) -> list[DistrictEntry]:
    """Every former district with a product (listed or not): the scope's provinces first, then by
    current province, former province and district, in Vietnamese alphabetical order."""
    districts: dict[District, list[Product]] = {}
    for p in products:
        districts.setdefault(p.district, [])
    for p in listed:
        districts[p.district].append(p)
    totals = Counter(p.district for p in products)
    ordered = sorted(districts.items(), key=lambda kv: _district_order(kv[0], scope))
    return [DistrictEntry(d, ps, _by_group(ps), totals[d]) for d, ps in ordered]


def _district_order(d: District, scope: Scope) -> tuple:
    current = d.province.current
    return (current not in scope, sort_key(current.name), sort_key(d.province.name), sort_key(d.name))


def _by_former_province(entries: list[DistrictEntry]) -> list[tuple[FormerProvince, list[DistrictEntry]]]:
    """Consecutive districts of one former province, together (the entries are in province order)."""
    provinces: list[tuple[FormerProvince, list[DistrictEntry]]] = []
    for entry in entries:
        if not provinces or provinces[-1][0] is not entry.district.province:
            provinces.append((entry.district.province, []))
        provinces[-1][1].append(entry)
    return provinces


def _province_entries(
    formers: list[tuple[FormerProvince, list[DistrictEntry]]], listed: list[Product], scope: Scope
) -> list[ProvinceEntry]:
    """Consecutive former provinces of one current province, together, with its listed products."""
    entries: list[ProvinceEntry] = []
    for former, districts in formers:
        if not entries or entries[-1].province is not former.current:
            entries.append(ProvinceEntry(former.current, [], [], [], 0, former.current in scope))
        entries[-1].former.append(FormerProvinceEntry(former, districts))
        entries[-1].total += sum(d.total for d in districts)
    own = {e.province: e for e in entries}
    for p in listed:  # in product order
        own[p.district.province.current].products.append(p)
    for e in entries:
        e.by_group = _by_group(e.products)
    return entries


class _Change:
    """Some records of a catalogue changed: the products they leave and the ones they bring, at its build date."""

    def __init__(self, before: Catalogue, changes: dict[str, Product | None]):
        self.gone = [before.by_id[i] for i in changes if i in before.by_id]
        self.came = sorted(_as_of([p for p in changes.values() if p is not None], before.build_date), key=product_order)

    def spliced(self, old: list[Product], came: list[Product]) -> list[Product]:
        """A listing (in product order) without the products the change removes and with `came` in their places;
        the very list `old` when neither changes it. Each product is found or placed in log(n) comparisons."""
        out = old
        for gone in self.gone:
            i = bisect_left(out, product_order(gone), key=product_order)
            if i < len(out) and out[i] is gone:
                out = out if out is not old else list(old)
                del out[i]
        if came:
            out = out if out is not old else list(old)
            for p in came:
                insort(out, p, key=product_order)
        return out

    def touched(self, key: Callable[[Product], Hashable]) -> set:
        """The keys (districts, communes …) of the products the change removes or adds."""
        return {key(p) for p in self.gone} | {key(p) for p in self.came}

    def districts(self, old: list[DistrictEntry], scope: Scope) -> list[DistrictEntry]:
        """The former districts' entries: made again for the districts the change touches only."""
        entries = {e.district: e for e in old}
        for d in self.touched(lambda p: p.district):
            entry = entries.pop(d, None)
            total = (entry.total if entry else 0) + sum(p.district is d for p in self.came)
            total -= sum(p.district is d for p in self.gone)
            before = entry.products if entry else []
            products = self.spliced(before, [p for p in self.came if p.status.listed and p.district is d])
            if entry is not None and products is before and total == entry.total:
                entries[d] = entry
            elif total:
                entries[d] = DistrictEntry(d, products, _by_group(products), total)
        if len(entries) == len(old) and all(e.district in entries for e in old):
            return [entries[e.district] for e in old]  # no district came or went: the same order
        return sorted(entries.values(), key=lambda e: _district_order(e.district, scope))

    def provinces(
        self,
        old: dict[Province, ProvinceEntry],
        formers: list[tuple[FormerProvince, list[DistrictEntry]]],
        scope: Scope,
    ) -> list[ProvinceEntry]:
        """The current provinces' entries: an entry whose former provinces and listed products did not change is
        the old one."""
        entries: list[ProvinceEntry] = []
        for current, group in _runs(formers, lambda f: f[0].current):
            entry = old.get(current)
            before = entry.products if entry else []
            products = self.spliced(
                before, [p for p in self.came if p.status.listed and p.district.province.current is current]
            )
            if entry is not None and products is before and _same_formers(entry, group):
                entries.append(entry)
                continue
            former = [_former_entry(entry, f, ds) for f, ds in group]
            total = sum(d.total for _, ds in group for d in ds)
            entries.append(ProvinceEntry(current, former, products, _by_group(products), total, current in scope))
        return entries

    def by_commune(self, old: dict[Commune, list[Product]]) -> dict[Commune, list[Product]]:
        """Listed products by commune, in the order a fresh catalogue has them (by each commune's first product)."""
        touched = self.touched(_commune) - {None}
        if not touched:
            return old
        lists = {c: ps for c, ps in old.items() if c not in touched}
        moved = []
        for c in touched:
            ps = self.spliced(old.get(c, []), [p for p in self.came if p.status.listed and _commune(p) == c])
            if ps:
                moved.append((c, ps))
        order = list(lists)
        for c, ps in moved:  # each placed among the others by its first product, as _by_commune would
            lists[c] = ps
            insort(order, c, key=lambda k: product_order(lists[k][0]))
        return {c: lists[c] for c in order}

    def counts(self, old: Counter) -> Counter:
        counts = Counter(old)
        counts.subtract(p.status for p in self.gone)
        counts.update(p.status for p in self.came)
        return Counter({s: n for s, n in counts.items() if n})


def _commune(p: Product) -> Commune | None:
    return p.place.commune if p.place and p.place.commune else None


def _reindexed(old: dict[str, Product], change: _Change, key: Callable[[Product], str]) -> dict[str, Product]:
    out = dict(old)
    for p in change.gone:
        if out.get(key(p)) is p:
            del out[key(p)]
    out.update((key(p), p) for p in change.came)
    return out


def _runs(items: Iterable, key: Callable) -> list[tuple[Any, list]]:
    """Consecutive items of one key, together."""
    runs: list[tuple[Any, list]] = []
    for item in items:
        k = key(item)
        if not runs or runs[-1][0] is not k:
            runs.append((k, []))
        runs[-1][1].append(item)
    return runs


def _kept_formers(
    old: list[tuple[FormerProvince, list[DistrictEntry]]], districts: list[DistrictEntry]
) -> list[tuple[FormerProvince, list[DistrictEntry]]]:
    """The former provinces with their districts; a province whose district entries are all the old ones keeps
    its old pair."""
    kept = {pair[0]: pair for pair in old}
    out = []
    for f, entries in _by_former_province(districts):
        pair = kept.get(f)
        out.append(pair if pair is not None and _same_items(pair[1], entries) else (f, entries))
    return out


def _same_items(a: list, b: list) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _same_formers(entry: ProvinceEntry, group: list[tuple[FormerProvince, list[DistrictEntry]]]) -> bool:
    return len(entry.former) == len(group) and all(
        e.province is f and e.districts is ds for e, (f, ds) in zip(entry.former, group, strict=True)
    )


def _former_entry(entry: ProvinceEntry | None, former: FormerProvince, districts: list) -> FormerProvinceEntry:
    """The old FormerProvinceEntry when its districts are the very same list, else a new one."""
    for e in entry.former if entry else []:
        if e.province is former and e.districts is districts:
            return e
    return FormerProvinceEntry(former, districts)


def load_catalogue(
    products_dir: str | Path, scope: Scope | str | list | None, build_date: date, cache_file: Path | None = None
) -> tuple[Catalogue, list[Problem]]:
    """Read and validate every record; raise RecordsInvalid listing every problem if any is an error.

    `scope` is the site's (`ocop.places.Scope`, or the OCOP_SCOPE setting's value).
    """
    products, problems = read_records(Path(products_dir), scope, cache_file)
    problems += later_certificates(products, build_date)
    if errors(problems):
        raise RecordsInvalid(problems)
    return Catalogue(products, build_date, scope), problems
