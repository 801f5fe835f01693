"""What every feed needs besides the catalogue: the site's absolute address and photo URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import urlsplit

from ..catalogue import VIETNAM_TZ
from ..model import Product
from ..settings import DEFAULTS


@dataclass(frozen=True)
class Field:
    """One column or element of a feed, documented in both languages on the marketplaces page."""

    name: str
    vi: str
    en: str

    def doc(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass
class FeedContext:
    root: str  # absolute site address, e.g. "https://ocop.example.org" (no trailing slash)
    build_date: date
    site_name: str = DEFAULTS["SITENAME"]
    # Absolute URLs of a product's photos, best first (the adapter knows where renditions live).
    image_urls: Callable[[Product], list[str]] = field(default=lambda p: [])
    news_limit: int = DEFAULTS["OCOP_NEWS_LIMIT"]
    # Absolute URL of the site's default social image (1200 × 630 PNG), for consumers that accept a
    # generic image for a product without a photo (Meta, social cards); None: no such image.
    default_image: str | None = None

    def __post_init__(self):
        parts = urlsplit(self.root)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"SITE_CANONICAL_URL must be an absolute http(s) address, found {self.root!r}")
        self.root = self.root.rstrip("/")

    def url(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    @property
    def host(self) -> str:
        return urlsplit(self.root).hostname or "localhost"

    @property
    def build_datetime(self) -> datetime:
        """The build date at midnight in Vietnam: every feed's timestamp, so rebuilds are byte-identical."""
        return datetime.combine(self.build_date, time(0, 0), VIETNAM_TZ)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), VIETNAM_TZ)
