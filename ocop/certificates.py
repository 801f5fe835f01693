"""Certificates, star bands and a product's status at the build date."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum
from typing import Any, TypeVar

VALIDITY_MONTHS = 36  # Decision 148/QĐ-TTg: a certificate is valid 36 months
EXPIRING_WITHIN = timedelta(days=90)

# 148/QĐ-TTg star bands, in points out of 100; only 3★ and up are certified.
STAR_BANDS: dict[int, tuple[int, int]] = {3: (50, 69), 4: (70, 89), 5: (90, 100)}


class Status(str, Enum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def listed(self) -> bool:
        """Whether the product appears in the default listings (it always keeps its page)."""
        return self in (Status.ACTIVE, Status.EXPIRING)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stars_for_score(score: int) -> int | None:
    return next((s for s, (lo, hi) in STAR_BANDS.items() if lo <= score <= hi), None)


Day = date  # the field `Certificate.date` hides the type inside the class


@dataclass(frozen=True)
class Certificate:
    stars: int
    decision: str
    date: Day
    issuer: str
    score: int | None = None
    expires_on: Day | None = None  # as written in the record; None → 36 months
    revoked: Day | None = None  # the day the revocation takes effect
    revoked_by: str | None = None  # number of the revocation decision, e.g. "123/QĐ-UBND"
    revoked_decided: Day | None = None  # date of that decision, when it differs from `revoked`
    index: int = field(default=0, compare=False)  # its place in the record's list, for messages
    line: int = field(default=0, compare=False)  # of its date in the record

    @property
    def expires(self) -> Day:
        return self.expires_on or add_months(self.date, VALIDITY_MONTHS)

    def revoked_on(self, on: Day) -> bool:
        """Whether the revocation has taken effect by `on` (a later one is only scheduled)."""
        return self.revoked is not None and self.revoked <= on

    def revocation_scheduled(self, on: Day) -> bool:
        return self.revoked is not None and self.revoked > on

    def status(self, on: Day) -> Status:
        if self.revoked_on(on):
            return Status.REVOKED
        if self.expires < on:
            return Status.EXPIRED
        if self.expires - on <= EXPIRING_WITHIN:
            return Status.EXPIRING
        return Status.ACTIVE


CHANGE_KINDS = ("certified", "upgraded", "downgraded", "renewed")


def change_kind(previous_stars: int | None, stars: int) -> str:
    """What a new certificate does to a product: the one place that tells a first certification,
    an upgrade, a downgrade and a renewal at the same level apart (news feeds, staff tools, import)."""
    if previous_stars is None:
        return "certified"
    if stars > previous_stars:
        return "upgraded"
    if stars < previous_stars:
        return "downgraded"
    return "renewed"


# --- certificates at a date ---------------------------------------------------------------------


def in_force(certificates: Sequence[Certificate], on: date) -> tuple[Certificate, ...]:
    """The certificates decided on or before `on` (oldest first): a later one does not count until its day."""
    return tuple(c for c in certificates if c.date <= on)


def current(certificates: Sequence[Certificate], on: date) -> Certificate | None:
    """The current certificate on `on`: the newest decided by then; None when none is yet."""
    decided = in_force(certificates, on)
    return decided[-1] if decided else None


P = TypeVar("P")


def as_of(product: P, on: date) -> P | None:
    """The product as the public may see it on `on`: without the certificates dated after that day,
    and None when it has none yet (it is not published until its first decision's date).

    The product itself when nothing is later; else a copy, so a cached product keeps all its certificates."""
    certificates: Any = product.certificates  # type: ignore[attr-defined]
    decided = in_force(certificates, on)
    if len(decided) == len(certificates):
        return product
    return replace(product, certificates=decided) if decided else None  # type: ignore[type-var]
