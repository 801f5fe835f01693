"""Showrooms and sales points: YAML records → validated `Showroom` objects, linked to the catalogue.

One file per place under `content/showrooms/`, checked like product records (and with the
same shared pieces, `ocop.recordfile`): the JSON Schema (`ocop/schemas/showroom.schema.json`)
checks the shape, then domain rules check the meaning (a known district, a position inside
Vietnam, opening hours that parse, photos on disk). Fields without domain logic are copied
into the model by name. `link()` then checks the references both ways — a product listing an
unknown showroom, a showroom listing an unknown product — and builds the lookups pages need.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from . import schemas, urls
from .catalogue import Catalogue
from .feeds.clean import plain
from .feeds.jsonld import OG_LOCALE, image_tags, script_json
from .fields import model_arguments, simple_values
from .groups import GROUPS, Group
from .i18n import LANGS, N_
from .model import Fields, Image, Product, Text
from .opening_hours import OpeningHours, OpeningHoursError
from .opening_hours import parse as parse_hours
from .places import District
from .problems import Phrase, Problem, phrase, problem
from .recordfile import (
    RECORD_SUFFIXES,
    RecordFile,
    ScopeLike,
    check_photos,
    did_you_mean,
    outside,
    read_mapping,
    report_schema_errors,
    resolve_district,
    show,
    strict_validator,
)
from .text import sort_key

KINDS: tuple[str, ...] = tuple(schemas.load("showroom")["properties"]["kind"]["enum"])
EMPTY = N_("the file is empty; a showroom record needs at least id, name, kind, district and address")


# --- the model ----------------------------------------------------------------------


@dataclass(frozen=True)
class Geo:
    lat: float
    lon: float

    def uri(self) -> str:
        """RFC 5870 geo: URI, which phones open in their map app."""
        return f"geo:{self.lat},{self.lon}"


@dataclass
class Showroom(Fields):
    """A validated showroom record; schema fields it does not declare are in `more`, read by name."""

    id: str
    name: Text
    kind: str
    district: District
    address: str
    source: Path
    source_rel: str
    geo: Geo | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    opening_hours: OpeningHours | None = None
    product_ids: tuple[str, ...] = ()  # as listed in the record (not those whose records list the showroom)
    product_lines: tuple[int, ...] = ()  # the line of each listed id, for messages
    photos: tuple[Image, ...] = ()
    more: dict[str, Any] = field(default_factory=dict)

    @property
    def province(self):
        return self.district.province

    def directions(self) -> str:
        """A directions link that phones open in their map app (Google Maps URLs, the usual one in Vietnam)."""
        from urllib.parse import quote

        dest = (
            f"{self.geo.lat},{self.geo.lon}"
            if self.geo
            else f"{self.address}, {self.district.full_name}, {self.district.province.name}"
        )
        return "https://www.google.com/maps/dir/?api=1&destination=" + quote(dest, safe=",")


# --- positions inside Vietnam ---------------------------------------------------------

# Natural Earth's 1:110m outline (shipped by the `countryinfo` package) is coarse: its coast
# can lie 20–30 km inland of the real one, and it has no islands. So a position counts as in
# Vietnam when it is inside the outline, within COAST_MARGIN degrees of it, or in a box around
# an island group far from the mainland.
COAST_MARGIN = 0.35  # degrees, about 39 km
ISLANDS = {
    "Phú Quý": (10.40, 10.60, 108.85, 109.05),
    "Côn Đảo": (8.55, 8.85, 106.45, 106.75),
    "Phú Quốc": (9.80, 10.50, 103.40, 104.15),
    "Thổ Chu": (9.20, 9.40, 103.40, 103.55),
    "Mũi Cà Mau, Hòn Khoai": (8.35, 9.30, 104.40, 105.30),
    "Bạch Long Vĩ": (20.10, 20.20, 107.65, 107.80),
    "Hoàng Sa": (15.70, 17.20, 111.00, 113.00),
    "Trường Sa": (6.50, 12.00, 111.50, 117.90),
}


@lru_cache(maxsize=1)
def _outline() -> tuple[tuple[float, float], ...]:
    data = json.loads(resources.files("countryinfo").joinpath("data/vietnam.json").read_text(encoding="utf-8"))
    geometry = data["geoJSON"]["features"][0]["geometry"]
    rings = (
        geometry["coordinates"]
        if geometry["type"] == "Polygon"
        else [r for poly in geometry["coordinates"] for r in poly]
    )
    return tuple((float(x), float(y)) for x, y in rings[0])


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def in_vietnam(lat: float, lon: float) -> bool:
    ring = _outline()
    inside = False
    near = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
        if (ay > lat) != (by > lat) and lon < ax + (lat - ay) * (bx - ax) / (by - ay):
            inside = not inside
        if not near and _segment_distance(lon, lat, ax, ay, bx, by) <= COAST_MARGIN:
            near = True
    return inside or near or any(a <= lat <= b and c <= lon <= d for a, b, c, d in ISLANDS.values())


# --- reading records --------------------------------------------------------------------


def schema() -> dict:
    return schemas.load("showroom")


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return strict_validator(schema())


@dataclass
class ShowroomResult:
    showroom: Showroom | None  # None when the record has errors
    problems: list[Problem]
    id: tuple[str, int] | None = None  # (id, line), even for a bad record, to catch ids used twice


def _rel(path: Path, folder: Path) -> str:
    """The file as staff see it from the project: content/showrooms/x.yaml."""
    base = folder.parent.parent if folder.parent.name == "content" else folder.parent
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name


@dataclass
class _Reading:
    rec: RecordFile
    data: dict
    default_province: str


def _geo(r: _Reading) -> dict[str, Any]:
    g = r.data.get("geo")
    if (
        not isinstance(g, dict)
        or not r.rec.ok(("geo",))
        or not all(isinstance(g.get(k), (int, float)) for k in ("lat", "lon"))
    ):
        return {"geo": None}
    lat, lon = float(g["lat"]), float(g["lon"])
    if in_vietnam(lat, lon):
        return {"geo": Geo(round(lat, 6), round(lon, 6))}
    if in_vietnam(lon, lat):
        r.rec.error(
            ("geo",),
            N_(
                "found lat {lat}, lon {lon}, which lies outside Vietnam; latitude and longitude are "
                "swapped: write {{lat: {lon}, lon: {lat}}}"
            ),
            lat=g["lat"],
            lon=g["lon"],
        )
    else:
        r.rec.error(
            ("geo",),
            N_(
                "found lat {lat}, lon {lon}, which lies outside Vietnam; expected a position in "
                "Vietnam (latitude about 8.5 to 23.4 north, longitude about 102.1 to 109.5 east), "
                "copied from Google Maps or OpenStreetMap"
            ),
            lat=g["lat"],
            lon=g["lon"],
        )
    return {"geo": None}


def _hours(r: _Reading) -> dict[str, Any]:
    text = r.data.get("opening_hours")
    if not isinstance(text, str) or not r.rec.ok(("opening_hours",)):
        return {"opening_hours": None}
    try:
        return {"opening_hours": parse_hours(text)}
    except OpeningHoursError as exc:
        where = phrase(N_(" (at character {column})"), column=exc.column) if exc.column else ""
        r.rec.error(
            ("opening_hours",),
            N_("found {found}: {problem}{where}"),
            found=show(text),
            problem=exc.message,
            where=where,
        )
        return {"opening_hours": None}


def _products(r: _Reading) -> dict[str, Any]:
    ids = r.data["products"] if isinstance(r.data.get("products"), list) else []
    seen: dict[str, int] = {}
    for i, pid in enumerate(ids):
        if isinstance(pid, str) and pid in seen:
            r.rec.error(
                ("products", i),
                N_("the product {id} is listed twice (first as products[{first}]); list it once"),
                id=repr(pid),
                first=seen[pid],
            )
        elif isinstance(pid, str):
            seen[pid] = i
    return {"product_ids": tuple(ids), "product_lines": tuple(r.rec.line(("products", i)) for i in range(len(ids)))}


def _photos(r: _Reading) -> dict[str, Any]:
    if not isinstance(r.data.get("photos"), list) or not r.rec.ok(("photos",)):
        return {"photos": ()}
    return {"photos": check_photos(r.rec, r.data["photos"], r.rec.path.parent, "photos", "showrooms")}


def _place(r: _Reading) -> dict[str, Any]:
    return {"district": resolve_district(r.rec, r.data, r.default_province)}


def _address(r: _Reading) -> dict[str, Any]:
    address = r.data.get("address")
    return {"address": address.strip() if isinstance(address, str) else address}


# The fields with domain logic, each with its converter, in the order their problems are reported;
# every other field of the schema is copied into the model by name.
CONVERTERS: tuple[tuple[tuple[str, ...], Callable[[_Reading], dict[str, Any]]], ...] = (
    (("province", "district"), _place),
    (("geo",), _geo),
    (("opening_hours",), _hours),
    (("products",), _products),
    (("photos",), _photos),
    (("address",), _address),
)
CONVERTED = frozenset(name for names, _ in CONVERTERS for name in names)


def read_showroom(path: Path, folder: Path, default_province: ScopeLike) -> ShowroomResult:
    rec = RecordFile(path, _rel(path, folder))
    data = None if outside(rec, folder, "showrooms") else read_mapping(rec, EMPTY)
    if data is None:
        return ShowroomResult(None, rec.problems)
    report_schema_errors(rec, _validator(), data)
    key = (data["id"], rec.line(("id",))) if isinstance(data.get("id"), str) else None
    reading = _Reading(rec, data, default_province)
    converted = {name: value for _, convert in CONVERTERS for name, value in convert(reading).items()}
    if rec.has_errors():
        return ShowroomResult(None, rec.problems, key)
    if not data["name"].get("en"):
        rec.warn(("name",), N_("no English for name; the English pages show the Vietnamese name instead"))
    declared, more = model_arguments(Showroom, {**simple_values(schema(), data, CONVERTED), **converted})
    return ShowroomResult(Showroom(**declared, source=path, source_rel=rec.rel, more=more), rec.problems, key)


def showroom_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in RECORD_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def default_folder(products_dir: str | Path) -> Path:
    """Where showroom records live unless a setting says otherwise: content/showrooms beside the products folder.

    Beside the products folder, so a build from another products folder (a test, a trial
    import) does not check these showrooms against products it does not have.
    """
    return Path(products_dir).resolve().parent / "content" / "showrooms"


def check(
    products_dir: str | Path,
    default_province: ScopeLike,
    folder: str | Path | None = None,
    products: list[Product] | None = None,
) -> tuple[list[Showroom], list[Problem]]:
    """The showroom records and every problem of them and of the references both ways, as the
    build finds them (for `ocop check`). `products`: the product records, if already read."""
    from datetime import date

    from .records import read_records

    if products is None:
        products, _ = read_records(Path(products_dir), default_province)
    showrooms, problems = read_showrooms(folder or default_folder(products_dir), default_province)
    _, link_problems = link(showrooms, Catalogue(products, date.today()))
    return showrooms, problems + link_problems


def read_showrooms(folder: str | Path, default_province: ScopeLike) -> tuple[list[Showroom], list[Problem]]:
    """Every showroom record of the folder (none if the folder does not exist), and every problem."""
    folder = Path(folder)
    showrooms: list[Showroom] = []
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for path in showroom_files(folder):
        result = read_showroom(path, folder, default_province)
        problems += result.problems
        if result.showroom:
            showrooms.append(result.showroom)
        if result.id:
            sid, line = result.id
            rel = _rel(path, folder)
            if sid in first:
                problems.append(
                    problem(
                        rel,
                        line,
                        "id",
                        N_("the id {value} is already used by {other}; every showroom needs its own id"),
                        value=repr(sid),
                        other=first[sid],
                    )
                )
            else:
                first[sid] = rel
    return showrooms, problems


# --- linking to the catalogue -------------------------------------------------------------


def _line_of(path: Path, ident: str, key: str = "showrooms") -> int:
    """The line of `ident` under the field `key` in a record file (products keep no line numbers)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    start = next((i for i, line in enumerate(lines) if re.match(rf"\s*{re.escape(key)}\s*:", line)), None)
    if start is None:
        return 1
    rx = re.compile(rf"(?<![a-z0-9-]){re.escape(ident)}(?![a-z0-9-])")
    for i in range(start, len(lines)):
        if rx.search(lines[i].split("#", 1)[0]):
            return i + 1
    return start + 1


def _suggest(ident: str, known) -> str | Phrase:
    return did_you_mean(difflib.get_close_matches(ident, sorted(known), n=1, cutoff=0.6))


@dataclass
class Showrooms:
    """The showrooms of a catalogue, with what each stocks and where each product is on sale."""

    showrooms: list[Showroom]  # in district order, then by name
    by_id: dict[str, Showroom]
    stock: dict[str, list[Product]]  # showroom id → products it stocks (all statuses), in product order
    by_product: dict[str, list[Showroom]]  # product id → showrooms selling it, in showroom order
    districts: list[tuple[District, list[Showroom]]] = field(default_factory=list)

    def listed_stock(self, showroom: Showroom) -> list[Product]:
        return [p for p in self.stock[showroom.id] if p.status.listed]

    def grouped(self, showroom: Showroom) -> list[tuple[Group, list[tuple[int, list[Product]]]]]:
        """Listed products it stocks by group (programme order) and then by stars (best first)."""
        out = []
        listed = self.listed_stock(showroom)
        for g in GROUPS:
            in_group = [p for p in listed if p.group is g]
            if in_group:
                out.append(
                    (
                        g,
                        [
                            (n, [p for p in in_group if p.stars == n])
                            for n in (5, 4, 3)
                            if any(p.stars == n for p in in_group)
                        ],
                    )
                )
        return out


def showroom_order(s: Showroom) -> tuple:
    return (sort_key(s.province.name), sort_key(s.district.name), KINDS.index(s.kind), sort_key(s.name.vi), s.id)


def link(showrooms: list[Showroom], catalogue: Catalogue) -> tuple[Showrooms, list[Problem]]:
    """Check references both ways and build the lookups; problems name the file and line of the bad id."""
    problems: list[Problem] = []
    ordered = sorted(showrooms, key=showroom_order)
    by_id = {s.id: s for s in ordered}
    stock: dict[str, set[str]] = {s.id: set() for s in ordered}
    for p in catalogue.products:
        for i, sid in enumerate(p.showrooms):
            if sid in by_id:
                stock[sid].add(p.id)
            else:
                where = (
                    phrase(N_("known showrooms are {ids}"), ids=", ".join(sorted(by_id)))
                    if by_id
                    else phrase(N_("no showroom records exist yet"))
                )
                problems.append(
                    problem(
                        p.source_rel,
                        _line_of(p.source, sid),
                        f"showrooms[{i}]",
                        N_("found {found}, which is not the id of any showroom in content/showrooms/ ({where}).{hint}"),
                        found=repr(sid),
                        where=where,
                        hint=_suggest(sid, by_id),
                    )
                )
    for s in ordered:
        for i, (pid, line) in enumerate(zip(s.product_ids, s.product_lines)):
            if pid in catalogue.by_id:
                stock[s.id].add(pid)
            else:
                problems.append(
                    problem(
                        s.source_rel,
                        line,
                        f"products[{i}]",
                        N_("found {found}, which is not the id of any product record.{hint}"),
                        found=repr(pid),
                        hint=_suggest(pid, catalogue.by_id),
                    )
                )
    rank = {p.id: i for i, p in enumerate(catalogue.products)}  # the catalogue is in product order already
    stocked = {
        sid: sorted((catalogue.by_id[pid] for pid in ids), key=lambda p: rank[p.id]) for sid, ids in stock.items()
    }
    by_product: dict[str, list[Showroom]] = {}
    for s in ordered:
        for p in stocked[s.id]:
            by_product.setdefault(p.id, []).append(s)
    districts: list[tuple[District, list[Showroom]]] = []
    for s in ordered:
        if not districts or districts[-1][0] != s.district:
            districts.append((s.district, []))
        districts[-1][1].append(s)
    return Showrooms(ordered, by_id, stocked, by_product, districts), problems


# --- outputs that need no templates -----------------------------------------------------------


def geojson(index: Showrooms, site_url: str) -> str:
    """RFC 7946 FeatureCollection of the showrooms that have a position; deterministic text."""
    root = site_url.rstrip("/") + "/"
    features = []
    for s in index.showrooms:
        if s.geo is None:
            continue
        props: dict[str, Any] = {
            "id": s.id,
            "name": s.name.vi,
            "name_en": s.name.en or s.name.vi,
            "kind": s.kind,
            "address": s.address,
            "district": s.district.name,
            "province": s.province.name,
            "url": root + urls.showroom(s.id, "vi"),
            "url_en": root + urls.showroom(s.id, "en"),
        }
        for attr in ("phone", "email", "website"):
            if getattr(s, attr):
                props[attr] = getattr(s, attr)
        if s.opening_hours:
            props["opening_hours"] = s.opening_hours.source
        props["products"] = [p.id for p in index.listed_stock(s)]
        features.append(
            {
                "type": "Feature",
                "id": s.id,
                "geometry": {"type": "Point", "coordinates": [s.geo.lon, s.geo.lat]},
                "properties": props,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


_PHONE_SEPARATORS = re.compile(r"[\s.()-]+")


def international_phone(phone: str) -> str:
    """'0252 3821 904' → '+84 252 3821 904': the form schema.org and Google ask for (country code first);
    a number already international is kept, with its grouping."""
    text = " ".join(phone.split())
    if text.startswith("+"):
        return text
    digits = _PHONE_SEPARATORS.sub("", text)
    if digits.startswith("84") and len(digits) >= 11:  # written without its +
        return "+" + text
    if text.startswith("0"):
        return "+84 " + text[1:].lstrip(" .-")
    return "+84 " + text


def social_tags(
    s: Showroom, lang: str, site_url: str, site_name: str, image: tuple[str, int, int] | None, image_alt: str = ""
) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags of a showroom page as (attribute, name, content): its name, address and
    first photo (or the site's default image, with `image_alt` saying what that shows)."""
    root = site_url.rstrip("/") + "/"
    name = plain(s.name.get(lang))
    description = plain(f"{s.address}, {s.district.full_name}, {s.province.name}")
    other = next(twin for twin in LANGS if twin != lang)
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", plain(site_name)),
        ("property", "og:title", name),
        ("property", "og:description", description),
        ("property", "og:url", root + urls.showroom(s.id, lang)),
        ("property", "og:locale", OG_LOCALE[lang]),
        ("property", "og:locale:alternate", OG_LOCALE[other]),
    ]
    tags += image_tags(image, image_alt or name)
    return tags + [("name", "twitter:title", name), ("name", "twitter:description", description)]


def json_ld(s: Showroom, site_url: str, lang: str, image_urls: list[str] | tuple[str, ...] = ()) -> str:
    """schema.org Store for a showroom page, as text safe inside <script>."""
    root = site_url.rstrip("/") + "/"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Store",
        "@id": root + urls.showroom(s.id, "vi") + "#store",
        "name": plain(s.name.get(lang)),
        "url": root + urls.showroom(s.id, lang),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": s.address,
            "addressLocality": s.district.full_name,
            "addressRegion": s.province.full_name,
            "addressCountry": "VN",
        },
    }
    if s.name.en and lang == "vi":
        data["alternateName"] = plain(s.name.en)
    if s.geo:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": s.geo.lat, "longitude": s.geo.lon}
        data["hasMap"] = (
            f"https://www.openstreetmap.org/?mlat={s.geo.lat}&mlon={s.geo.lon}#map=17/{s.geo.lat}/{s.geo.lon}"
        )
    if s.phone:
        data["telephone"] = international_phone(s.phone)
    if s.email:
        data["email"] = s.email
    if s.website:
        data["sameAs"] = s.website
    if s.opening_hours:
        data["openingHoursSpecification"] = s.opening_hours.specification()
    if image_urls:
        data["image"] = list(image_urls)
    return script_json(data)  # the one serialiser of JSON-LD: <, > and & escaped, as on product pages


__all__ = [
    "KINDS",
    "LANGS",
    "Geo",
    "Showroom",
    "Showrooms",
    "read_showrooms",
    "read_showroom",
    "link",
    "geojson",
    "json_ld",
    "social_tags",
    "international_phone",
    "in_vietnam",
]
