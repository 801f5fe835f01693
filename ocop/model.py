"""The validated product model that every output (pages, feeds, search) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .certificates import Certificate, Status
from .groups import Group, ProductSet
from .i18n import LANGS  # noqa: F401  re-exported: plugins still import ocop.model.LANGS
from .places import District, FormerProvince, Place, Province
from .schemas import load as _schema

# The allowed values, as the schema defines them.
PRODUCER_KINDS: tuple[str, ...] = tuple(_schema("product")["properties"]["producer"]["properties"]["kind"]["enum"])
CHANNELS: tuple[str, ...] = tuple(_schema("product")["properties"]["buy"]["items"]["properties"]["channel"]["enum"])


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


class Fields:
    """Record fields reachable by name: those the model does not declare live in `more`.

    A field added to the schema without domain logic reaches the model this way with no code:
    the reader copies it by name (`ocop.fields.simple_values`), and `p.video` reads it.
    """

    more: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        # Looked up in __dict__ directly: while unpickling, `more` may not be set yet.
        more = self.__dict__.get("more")
        if more is not None and name in more:
            return more[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


@dataclass
class Product(Fields):
    """A validated product record. Fields with domain logic are converted by `ocop.records`; the
    others are copied by name from the schema: declared here when code needs their type, else in `more`."""

    id: str
    slug: str
    name: Text
    group: Group
    district: District  # the former district: always known (see ocop.places.Place)
    producer: Producer
    certificates: tuple[Certificate, ...]  # oldest first; the last is current
    source: Path  # the record file
    source_rel: str  # the record file relative to the products folder, for messages and "edit" links
    product_set: ProductSet | None = None
    place: Place | None = None  # both maps; set on every product read from a record
    commune: str | None = None  # as the record writes it (a former or a current commune's name)
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
    more: dict[str, Any] = field(default_factory=dict)  # schema fields the model does not declare

    @property
    def current(self) -> Certificate:
        return self.certificates[-1]

    @property
    def stars(self) -> int:
        return self.current.stars

    @property
    def province(self) -> FormerProvince:
        """The former province (as before the reform, what existing pages and feeds show).

        `current_province` is the province today; both maps are in `place`.
        """
        return self.district.province

    @property
    def current_province(self) -> Province:
        return self.place.province if self.place else self.district.province.current

    @property
    def certified_on(self) -> date:
        """Date of the current certificate: what "newest certifications" sorts by."""
        return self.current.date

    def has_english(self) -> bool:
        return not self.missing_english
