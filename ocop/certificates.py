"""Certificates, star bands and a product's status at the build date."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

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


@dataclass(frozen=True)
class Certificate:
    stars: int
    decision: str
    date: date
    issuer: str
    score: int | None = None
    expires_on: date | None = None  # as written in the record; None → 36 months
    revoked: date | None = None

    @property
    def expires(self) -> date:
        return self.expires_on or add_months(self.date, VALIDITY_MONTHS)

    def status(self, on: date) -> Status:
        if self.revoked and self.revoked <= on:
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
