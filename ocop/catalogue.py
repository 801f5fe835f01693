"""The catalogue: validated products at a build date, with their groupings, statuses and counts.

Every output (pages, feeds, search, statistics) reads this one object, so every output
agrees on what is listed and how it is counted.

Places, on both maps (see `ocop.places`): `current_provinces` lists current provinces, each with
the former provinces and former districts it holds (how people and older certificates know a
product); `districts` and `former_provinces` (also named `provinces`, as before the reform was
known here) are the same former districts as flat lists. The site's scope comes first.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

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
