"""The catalogue: validated products at a build date, with their groupings, statuses and counts.

Every output (pages, feeds, search, statistics) reads this one object, so every output
agrees on what is listed and how it is counted.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from .certificates import Status
from .groups import GROUPS, Group
from .model import Product
from .places import District, Province, gazetteer
from .problems import Problem, RecordsInvalid, errors
from .records import read_records
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
    district: District
    products: list[Product]  # listed ones, in product order
    by_group: list[tuple[Group, list[Product]]]
    total: int  # including expired and revoked


class Catalogue:
    def __init__(self, products: list[Product], build_date: date, home_province: str | None = None):
        self.build_date = build_date
        for p in products:
            p.status = p.current.status(build_date)
        self.products: list[Product] = sorted(products, key=product_order)
        self.by_id = {p.id: p for p in self.products}
        self.by_slug = {p.slug: p for p in self.products}
        self.listed = [p for p in self.products if p.status.listed]
        self.lapsed = [p for p in self.products if not p.status.listed]

        self.stars: dict[int, list[Product]] = {s: [p for p in self.listed if p.stars == s] for s in (5, 4, 3)}
        self.groups: list[tuple[Group, list[Product]]] = [(g, [p for p in self.listed if p.group is g]) for g in GROUPS]
        self.districts: list[DistrictEntry] = _district_entries(self.products, self.listed, home_province)
        self.provinces: list[tuple[Province, list[DistrictEntry]]] = _by_province(self.districts)
        self.status_counts = Counter(p.status for p in self.products)

    def newest(self, n: int = 12) -> list[Product]:
        """Most recent certifications first (listed products only)."""
        return sorted(self.listed, key=lambda p: (p.certified_on, p.id), reverse=True)[:n]

    def count(self, status: Status) -> int:
        return self.status_counts.get(status, 0)


def _by_group(products: list[Product]) -> list[tuple[Group, list[Product]]]:
    """The groups that have products, in programme order, each with its products (order kept)."""
    return [(g, [p for p in products if p.group is g]) for g in GROUPS if any(p.group is g for p in products)]


def _district_entries(products: list[Product], listed: list[Product], home_province: str | None) -> list[DistrictEntry]:
    """Every district with a product (listed or not), the site's own province first, then the others."""
    districts: dict[District, list[Product]] = {}
    for p in products:
        districts.setdefault(p.district, [])
    for p in listed:
        districts[p.district].append(p)
    totals = Counter(p.district for p in products)
    ordered = sorted(
        districts.items(),
        key=lambda kv: (kv[0].province.name != home_province, sort_key(kv[0].province.name), sort_key(kv[0].name)),
    )
    return [DistrictEntry(d, ps, _by_group(ps), totals[d]) for d, ps in ordered]


def _by_province(entries: list[DistrictEntry]) -> list[tuple[Province, list[DistrictEntry]]]:
    """Consecutive districts of one province, together (the entries are in province order)."""
    provinces: list[tuple[Province, list[DistrictEntry]]] = []
    for entry in entries:
        if not provinces or provinces[-1][0] != entry.district.province:
            provinces.append((entry.district.province, []))
        provinces[-1][1].append(entry)
    return provinces


def load_catalogue(
    products_dir: str | Path, default_province: str, build_date: date, cache_file: Path | None = None
) -> tuple[Catalogue, list[Problem]]:
    """Read and validate every record; raise RecordsInvalid listing every problem if any is an error."""
    products, problems = read_records(Path(products_dir), default_province, cache_file)
    if errors(problems):
        raise RecordsInvalid(problems)
    home = gazetteer().province(default_province)
    return Catalogue(products, build_date, home.name if home else None), problems
