"""Showrooms and sales points: YAML records → validated `Showroom` objects, linked to the catalogue.

One file per place under `content/showrooms/`, checked like product records: the JSON
Schema (`schema/showroom.schema.json`) checks the shape, then domain rules check the
meaning (a known district, a position inside Vietnam, opening hours that parse, photos on
disk). `link()` then checks the references both ways — a product listing an unknown
showroom, a showroom listing an unknown product — and builds the lookups pages need.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .catalogue import Catalogue
from .groups import GROUPS, Group
from .model import LANGS, Image, Product, Text
from .opening_hours import OpeningHours, OpeningHoursError, parse as parse_hours
from .places import District
from .problems import Problem, Severity
from .records import (RECORD_SUFFIXES, check_photos, report_schema_errors, resolve_district, Path_, _nfc_all, _parse, _Record, _show,
                      field_name)
from .text import sort_key

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "showroom.schema.json"
KINDS = ("centre", "sales_point", "retail", "tourist_site", "hotel", "airport", "station", "other")

# --- the URL scheme of showroom pages (same conventions as ocop.urls: relative, ending in '/') --
_PREFIX = {"vi": "diem-ban/", "en": "en/showrooms/"}
FEED = "feeds/showrooms.geojson"


def index_url(lang: str) -> str:
    return _PREFIX[lang]


def url(showroom: "Showroom", lang: str) -> str:
    return f"{_PREFIX[lang]}{showroom.id}/"


def media_base(showroom: "Showroom") -> str:
    return f"media/showrooms/{showroom.id}/"


# --- the model ----------------------------------------------------------------------

@dataclass(frozen=True)
class Geo:
    lat: float
    lon: float

    def uri(self) -> str:
        """RFC 5870 geo: URI, which phones open in their map app."""
        return f"geo:{self.lat},{self.lon}"


@dataclass
class Showroom:
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

    @property
    def province(self):
        return self.district.province

    def directions(self) -> str:
        """A directions link that phones open in their map app (Google Maps URLs, the usual one in Vietnam)."""
        from urllib.parse import quote
        dest = f"{self.geo.lat},{self.geo.lon}" if self.geo else f"{self.address}, {self.district.full_name}, {self.district.province.name}"
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
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [r for poly in geometry["coordinates"] for r in poly]
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

@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def _text(value: dict | None) -> Text | None:
    return Text(value["vi"].strip(), (value.get("en") or "").strip() or None) if value else None


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


def read_showroom(path: Path, folder: Path, default_province: str) -> ShowroomResult:
    rel = _rel(path, folder)
    rec = _Record(path, rel)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return ShowroomResult(None, [Problem(rel, 1, "", "the file is not saved as UTF-8 text; save it again choosing the UTF-8 encoding")])
    data = _parse(rec, text)
    if data is None:
        problems = [Problem(p.file, p.line, p.field, "the file is empty; a showroom record needs at least id, name, kind, district and address")
                    if p.message.startswith("the file is empty") else p for p in rec.problems]
        return ShowroomResult(None, problems)
    if not isinstance(data, dict):
        rec.problems.append(Problem(rel, 1, "", f"found {_show(data)} at the top of the file, but a record is a group of fields (id:, name:, ...)"))
        return ShowroomResult(None, rec.problems)
    decomposed: list[Path_] = []
    data = _nfc_all(rec, data, (), decomposed)
    if decomposed:
        rec.warn(decomposed[0], "Vietnamese text is typed in decomposed Unicode (tone marks as separate characters) in "
                 + ", ".join(field_name(p) for p in decomposed[:5]) + (" ..." if len(decomposed) > 5 else "")
                 + "; it was normalised to the standard (NFC) form. Re-save the file as NFC to be safe")
    report_schema_errors(rec, _validator(), data)
    key = (data["id"], rec.line(("id",))) if isinstance(data.get("id"), str) else None

    district = resolve_district(rec, data, default_province)

    geo = None
    g = data.get("geo")
    if isinstance(g, dict) and rec.ok(("geo",)) and isinstance(g.get("lat"), (int, float)) and isinstance(g.get("lon"), (int, float)):
        lat, lon = float(g["lat"]), float(g["lon"])
        if in_vietnam(lat, lon):
            geo = Geo(round(lat, 6), round(lon, 6))
        elif in_vietnam(lon, lat):
            rec.error(("geo",), f"found lat {g['lat']}, lon {g['lon']}, which lies outside Vietnam; latitude and longitude are swapped: write {{lat: {g['lon']}, lon: {g['lat']}}}")
        else:
            rec.error(("geo",), f"found lat {g['lat']}, lon {g['lon']}, which lies outside Vietnam; expected a position in Vietnam "
                      "(latitude about 8.5 to 23.4 north, longitude about 102.1 to 109.5 east), copied from Google Maps or OpenStreetMap")

    hours = None
    if isinstance(data.get("opening_hours"), str) and rec.ok(("opening_hours",)):
        try:
            hours = parse_hours(data["opening_hours"])
        except OpeningHoursError as exc:
            where = f" (at character {exc.column})" if exc.column else ""
            rec.error(("opening_hours",), f"found {_show(data['opening_hours'])}: {exc.message}{where}")

    ids = data.get("products") if isinstance(data.get("products"), list) else []
    seen: dict[str, int] = {}
    for i, pid in enumerate(ids):
        if isinstance(pid, str) and pid in seen:
            rec.error(("products", i), f"the product {pid!r} is listed twice (first as products[{seen[pid]}]); list it once")
        elif isinstance(pid, str):
            seen[pid] = i

    photos = check_photos(rec, data["photos"], rec.path.parent, "photos", "showrooms") if isinstance(data.get("photos"), list) and rec.ok(("photos",)) else ()

    if any(p.severity is Severity.ERROR for p in rec.problems):
        return ShowroomResult(None, rec.problems, key)
    if not data["name"].get("en"):
        rec.warn(("name",), "no English for name; the English pages show the Vietnamese name instead")
    showroom = Showroom(
        id=data["id"], name=_text(data["name"]), kind=data["kind"], district=district, address=data["address"].strip(),
        source=path, source_rel=rel, geo=geo, phone=data.get("phone"), email=data.get("email"), website=data.get("website"),
        opening_hours=hours, product_ids=tuple(ids), product_lines=tuple(rec.line(("products", i)) for i in range(len(ids))),
        photos=photos,
    )
    return ShowroomResult(showroom, rec.problems, key)


def showroom_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in RECORD_SUFFIXES and p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def default_folder(products_dir: str | Path) -> Path:
    """Where showroom records live unless a setting says otherwise: content/showrooms beside the products folder.

    Beside the products folder, so a build from another products folder (a test, a trial
    import) does not check these showrooms against products it does not have.
    """
    return Path(products_dir).resolve().parent / "content" / "showrooms"


def check(products_dir: str | Path, default_province: str, folder: str | Path | None = None,
          products: list[Product] | None = None) -> tuple[list[Showroom], list[Problem]]:
    """The showroom records and every problem of them and of the references both ways, as the
    build finds them (for `ocop check`). `products`: the product records, if already read."""
    from datetime import date

    from .records import read_records

    if products is None:
        products, _ = read_records(Path(products_dir), default_province)
    showrooms, problems = read_showrooms(folder or default_folder(products_dir), default_province)
    _, link_problems = link(showrooms, Catalogue(products, date.today()))
    return showrooms, problems + link_problems


def read_showrooms(folder: str | Path, default_province: str) -> tuple[list[Showroom], list[Problem]]:
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
                problems.append(Problem(rel, line, "id", f"the id {sid!r} is already used by {first[sid]}; every showroom needs its own id"))
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


def _suggest(ident: str, known) -> str:
    close = difflib.get_close_matches(ident, sorted(known), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


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
                out.append((g, [(n, [p for p in in_group if p.stars == n]) for n in (5, 4, 3) if any(p.stars == n for p in in_group)]))
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
                where = "no showroom records exist yet" if not by_id else f"known showrooms are {', '.join(sorted(by_id))}"
                problems.append(Problem(p.source_rel, _line_of(p.source, sid), f"showrooms[{i}]",
                                        f"found {sid!r}, which is not the id of any showroom in content/showrooms/ ({where}).{_suggest(sid, by_id)}"))
    for s in ordered:
        for i, (pid, line) in enumerate(zip(s.product_ids, s.product_lines)):
            if pid in catalogue.by_id:
                stock[s.id].add(pid)
            else:
                problems.append(Problem(s.source_rel, line, f"products[{i}]",
                                        f"found {pid!r}, which is not the id of any product record.{_suggest(pid, catalogue.by_id)}"))
    rank = {p.id: i for i, p in enumerate(catalogue.products)}  # the catalogue is in product order already
    stocked = {sid: sorted((catalogue.by_id[pid] for pid in ids), key=lambda p: rank[p.id]) for sid, ids in stock.items()}
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
            "id": s.id, "name": s.name.vi, "name_en": s.name.en or s.name.vi, "kind": s.kind,
            "address": s.address, "district": s.district.name, "province": s.province.name,
            "url": root + url(s, "vi"), "url_en": root + url(s, "en"),
        }
        for attr in ("phone", "email", "website"):
            if getattr(s, attr):
                props[attr] = getattr(s, attr)
        if s.opening_hours:
            props["opening_hours"] = s.opening_hours.source
        props["products"] = [p.id for p in index.listed_stock(s)]
        features.append({"type": "Feature", "id": s.id,
                          "geometry": {"type": "Point", "coordinates": [s.geo.lon, s.geo.lat]},
                          "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


def json_ld(s: Showroom, site_url: str, lang: str, image_urls: list[str] = ()) -> str:
    """schema.org Store for a showroom page, as text safe inside <script>."""
    root = site_url.rstrip("/") + "/"
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Store", "@id": root + url(s, "vi") + "#store",
        "name": s.name.get(lang), "url": root + url(s, lang),
        "address": {"@type": "PostalAddress", "streetAddress": s.address, "addressLocality": s.district.full_name,
                    "addressRegion": s.province.full_name, "addressCountry": "VN"},
    }
    if s.name.en and lang == "vi":
        data["alternateName"] = s.name.en
    if s.geo:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": s.geo.lat, "longitude": s.geo.lon}
        data["hasMap"] = f"https://www.openstreetmap.org/?mlat={s.geo.lat}&mlon={s.geo.lon}#map=17/{s.geo.lat}/{s.geo.lon}"
    if s.phone:
        data["telephone"] = s.phone
    if s.email:
        data["email"] = s.email
    if s.website:
        data["sameAs"] = s.website
    if s.opening_hours:
        data["openingHoursSpecification"] = s.opening_hours.specification()
    if image_urls:
        data["image"] = list(image_urls)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("</", "<\\/")


__all__ = ["KINDS", "LANGS", "Geo", "Showroom", "Showrooms", "read_showrooms", "read_showroom", "link", "geojson",
           "json_ld", "url", "index_url", "media_base", "in_vietnam", "FEED"]
