"""What needs attention in the catalogue, and the numbers the statistics page shows.

Pure functions of the `Catalogue` (no Pelican, no printing): `ocop report` prints them as a
table or CSV, the statistics page draws them, so both always agree.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .catalogue import Catalogue
from .certificates import Status
from .groups import Group
from .index import name_key
from .model import PRODUCER_KINDS, Product
from .places import District
from .text import neutralised

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Target:
    """A producer-kind target of the provincial plans (domain notes, 'Producers')."""

    key: str
    share: float  # at least this share of producers
    source: str


TARGET_KEYS = ("cooperative", "coop_or_enterprise", "women_led", "ethnic_minority_led")


def targets_from(setting: Any) -> tuple[Target, ...]:
    """The OCOP_PLAN_TARGETS setting as targets: each province's plan has its own (ocop/settings.py)."""
    found = []
    for item in setting or ():
        if item.get("key") not in TARGET_KEYS or not 0 <= float(item.get("share", -1)) <= 1:
            raise ValueError(f"OCOP_PLAN_TARGETS: {item!r} needs a key among {', '.join(TARGET_KEYS)} and a share 0–1")
        found.append(Target(item["key"], float(item["share"]), str(item.get("source", ""))))
    return tuple(found)


@dataclass(frozen=True)
class TargetResult:
    target: Target
    count: int
    total: int
    unknown: int  # producers whose record does not say (women_led / ethnic_minority_led not written)

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def met(self) -> bool:
        return self.total > 0 and self.share >= self.target.share


@dataclass
class ProducerSummary:
    name: str
    kind: str
    women_led: bool | None
    ethnic_minority_led: bool | None


@dataclass
class Report:
    on: date
    days: int
    total: int
    listed: int
    expiring: list[tuple[Product, date]] = field(default_factory=list)
    expired: list[tuple[Product, date]] = field(default_factory=list)
    revoked: list[tuple[Product, date]] = field(default_factory=list)
    missing_english: list[Product] = field(default_factory=list)
    missing_photo: list[Product] = field(default_factory=list)
    missing_price: list[Product] = field(default_factory=list)
    missing_trace: list[Product] = field(default_factory=list)
    by_district: list[tuple[District, int, int]] = field(default_factory=list)  # (district, listed, all)
    by_group: list[tuple[Group, int]] = field(default_factory=list)
    by_star: list[tuple[int, int]] = field(default_factory=list)
    by_group_star: list[tuple[Group, dict[int, int]]] = field(default_factory=list)
    by_year: list[tuple[int, int]] = field(default_factory=list)  # certificates issued per year, renewals included
    kinds: list[tuple[str, int]] = field(default_factory=list)  # producers of listed products by kind
    targets: list[TargetResult] = field(default_factory=list)


def producers(products: list[Product]) -> list[ProducerSummary]:
    """Each producer once (one producer often has several products), in first-seen order."""
    seen: dict[str, ProducerSummary] = {}
    for p in products:
        key = name_key(p.producer.name)
        if key not in seen:
            seen[key] = ProducerSummary(
                p.producer.name, p.producer.kind, p.producer.women_led, p.producer.ethnic_minority_led
            )
        else:  # a later record may say what an earlier one left out
            s = seen[key]
            if s.women_led is None:
                s.women_led = p.producer.women_led
            if s.ethnic_minority_led is None:
                s.ethnic_minority_led = p.producer.ethnic_minority_led
    return list(seen.values())


def targets(people: list[ProducerSummary], plan: tuple[Target, ...] = ()) -> list[TargetResult]:
    total = len(people)
    out = []
    for t in plan:
        if t.key == "cooperative":
            count, unknown = sum(p.kind == "cooperative" for p in people), 0
        elif t.key == "coop_or_enterprise":
            count, unknown = sum(p.kind in ("cooperative", "enterprise") for p in people), 0
        else:
            values = [getattr(p, t.key) for p in people]
            count, unknown = sum(v is True for v in values), sum(v is None for v in values)
        out.append(TargetResult(t, count, total, unknown))
    return out


def build_report(cat: Catalogue, days: int = DEFAULT_DAYS, plan: tuple[Target, ...] = ()) -> Report:
    """`plan`: the province's producer targets (`targets_from(OCOP_PLAN_TARGETS)`)."""
    r = Report(cat.build_date, days, len(cat.products), len(cat.listed))
    _certificates_to_act_on(cat, r)
    _gaps(cat, r)
    _counts(cat, r)
    r.targets = targets(producers(cat.listed), plan)
    return r


def _certificates_to_act_on(cat: Catalogue, r: Report) -> None:
    """Revoked, expired, and expiring within `r.days`: each list by date, then id."""
    horizon = r.on + timedelta(days=r.days)
    for p in cat.products:
        cur = p.current
        if p.status is Status.REVOKED:
            assert cur.revoked is not None  # the status is REVOKED only with a revocation date
            r.revoked.append((p, cur.revoked))
        elif p.status is Status.EXPIRED:
            r.expired.append((p, cur.expires))
        elif cur.expires <= horizon:
            r.expiring.append((p, cur.expires))
    for rows in (r.expiring, r.expired, r.revoked):
        rows.sort(key=lambda x: (x[1], x[0].id))


def _gaps(cat: Catalogue, r: Report) -> None:
    """Listed products missing English; goods (`group.goods`) also missing a photo, a price or a traceability link."""
    for p in cat.listed:
        if p.missing_english:
            r.missing_english.append(p)
        if not p.group.goods:
            continue
        if not p.images:
            r.missing_photo.append(p)
        if p.offer is None:
            r.missing_price.append(p)
        if not p.traceability:
            r.missing_trace.append(p)


def _counts(cat: Catalogue, r: Report) -> None:
    r.by_district = [(e.district, len(e.products), e.total) for e in cat.districts]
    r.by_group = [(g, len(ps)) for g, ps in cat.groups]
    r.by_star = [(s, len(cat.stars[s])) for s in (5, 4, 3)]
    r.by_group_star = [(g, {s: sum(p.stars == s for p in ps) for s in (3, 4, 5)}) for g, ps in cat.groups]
    years = Counter(c.date.year for p in cat.products for c in p.certificates)
    r.by_year = sorted(years.items())
    people = producers(cat.listed)
    kinds = Counter(p.kind for p in people)
    r.kinds = [(k, kinds.get(k, 0)) for k in PRODUCER_KINDS]


def to_csv(r: Report) -> str:
    """One table for spreadsheets: section, id, name, district, value, detail.

    Staff open it in Excel: every text cell is neutralised against formula injection (names come from
    imported tables)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")

    def row(cells: list) -> None:
        w.writerow([neutralised(c) for c in cells])

    row(["section", "id", "name", "district", "value", "detail"])
    for section, rows in (("expiring", r.expiring), ("expired", r.expired), ("revoked", r.revoked)):
        for p, day in rows:
            row([section, p.id, p.name.vi, p.district.name, day.isoformat(), p.source_rel])
    for section, products in (
        ("missing_english", r.missing_english),
        ("missing_photo", r.missing_photo),
        ("missing_price", r.missing_price),
        ("missing_traceability", r.missing_trace),
    ):
        for p in products:
            detail = ", ".join(p.missing_english) if section == "missing_english" else ""
            row([section, p.id, p.name.vi, p.district.name, "", detail or p.source_rel])
    for d, listed, total in r.by_district:
        row(["district", "", d.name, d.province.name, listed, total])
    for g, n in r.by_group:
        row(["group", g.key, g.vi, "", n, ""])
    for s, n in r.by_star:
        row(["stars", s, f"{s} sao", "", n, ""])
    for y, n in r.by_year:
        row(["certificates_per_year", y, "", "", n, ""])
    for k, n in r.kinds:
        row(["producer_kind", k, "", "", n, ""])
    for t in r.targets:
        row(
            [
                "target",
                t.target.key,
                t.target.source,
                "",
                f"{t.share:.3f}",
                f"{t.count}/{t.total} >= {t.target.share:.2f}: {'met' if t.met else 'not met'}; unknown {t.unknown}",
            ]
        )
    return buf.getvalue()
