"""The validated product model that every output (pages, feeds, search) reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .certificates import Certificate, Status
from .groups import Group, ProductSet
from .places import District

LANGS = ("vi", "en")

PRODUCER_KINDS = ("enterprise", "cooperative", "cooperative_group", "household")
CHANNELS = ("shopee", "lazada", "tiki", "sendo", "postmart", "voso", "sanviet", "btnl", "website", "other")


@dataclass(frozen=True)
class Text:
    """Vietnamese text with its optional English twin."""

    vi: str
    en: str | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.vi

    def lang_of(self, lang: str) -> str:
        """The language `get(lang)` really returns: English pages fall back to Vietnamese."""
        return "en" if lang == "en" and self.en else "vi"


@dataclass(frozen=True)
class Producer:
    name: str
    kind: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    women_led: bool | None = None
    ethnic_minority_led: bool | None = None


@dataclass(frozen=True)
class Offer:
    price: int  # whole VND
    unit: Text | None = None
    gtin: str | None = None
    available: bool = True


@dataclass(frozen=True)
class Listing:
    channel: str
    url: str


@dataclass(frozen=True)
class Image:
    source: Path  # absolute path of the staff's original photo
    name: str  # as written in the record


@dataclass
class Product:
    id: str
    slug: str
    name: Text
    group: Group
    district: District
    producer: Producer
    certificates: tuple[Certificate, ...]  # oldest first; the last is current
    source: Path  # the record file
    source_rel: str  # the record file relative to the products folder, for messages and "edit" links
    product_set: ProductSet | None = None
    commune: str | None = None
    summary: Text | None = None
    description: Text | None = None
    story: Text | None = None
    images: tuple[Image, ...] = ()
    offer: Offer | None = None
    buy: tuple[Listing, ...] = ()
    standards: tuple[str, ...] = ()
    traceability: str | None = None
    showrooms: tuple[str, ...] = ()
    former_slugs: tuple[str, ...] = ()  # addresses it had before; they redirect here forever
    status: Status = Status.ACTIVE  # at the catalogue's build date
    digest: str = ""  # of the record file's bytes: what an incremental preview compares
    missing_english: tuple[str, ...] = field(default=())

    @property
    def current(self) -> Certificate:
        return self.certificates[-1]

    @property
    def stars(self) -> int:
        return self.current.stars

    @property
    def province(self):
        return self.district.province

    @property
    def certified_on(self) -> date:
        """Date of the current certificate: what "newest certifications" sorts by."""
        return self.current.date

    def has_english(self) -> bool:
        return not self.missing_english
