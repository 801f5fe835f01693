"""Who may certify an OCOP product, and when: the body a certificate should name.

The rules, by decision date (domain notes, `shared/domain/ocop.md`):

- before 24/02/2023 (Decisions 1048/QĐ-TTg of 2019 and 781/QĐ-TTg of 2020): the province's People's
  Committee certified 3★ and 4★;
- from 24/02/2023 (Decision 148/QĐ-TTg): the district's People's Committee 3★, the province 4★;
- from 1/7/2025 (the district level abolished; Decision 1489/QĐ-TTg): the province 3★ and 4★;
- 5★ always centrally, by the ministry: the Ministry of Agriculture and Rural Development, from 1/3/2025
  the Ministry of Agriculture and Environment.

Real records have exceptions, so a mismatch is a warning, never a refusal. Everything here is pure: the
caller says where the product was on the decision date (`Place`), this module says who should have signed
(`certifier`), whether the written issuer is that body (`check`), and how English pages name it (`english`).
Issuers are free text ("UBND tỉnh Bình Thuận", "Ủy ban nhân dân huyện Đức Linh", "UBND TP. Phan Thiết",
"Chủ tịch UBND tỉnh Lâm Đồng", "Bộ NN&PTNT"): `parse` reads the level and the place from any of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache, lru_cache

from . import places
from .places import FormerProvince, Province, gazetteer
from .text import fold, nfc

PROGRAMME_START = date(2018, 1, 1)  # the national programme: Decision 490/QĐ-TTg of 07/05/2018
DECISION_148 = date(2023, 2, 24)  # districts certify 3★
MINISTRY_RENAMED = date(2025, 3, 1)  # MARD and the Ministry of Natural Resources merged
HUE_CITY = date(2025, 1, 1)  # Thừa Thiên Huế became the centrally run city of Huế
REFORM = places.REFORM  # Resolution 202/2025/QH15: 34 provinces, no districts (one date, in ocop.places)

MARD = "Bộ Nông nghiệp và Phát triển nông thôn"
MAE = "Bộ Nông nghiệp và Môi trường"
_MINISTRY_EN = {
    MARD: "Ministry of Agriculture and Rural Development",
    MAE: "Ministry of Agriculture and Environment",
}


class Level(str, Enum):
    MINISTRY = "ministry"
    PROVINCE = "province"
    DISTRICT = "district"


# Why a level signs on a date: the keys `ocop.records` words its warnings by.
RULE_BEFORE_148 = "before_148"
RULE_148 = "decision_148"
RULE_REFORM = "reform"
RULE_CENTRAL = "central"


def rule(stars: int, on: date) -> str:
    """Which rule of the programme applies to a certificate of `stars` decided `on`."""
    if stars >= 5:
        return RULE_CENTRAL
    if on < DECISION_148:
        return RULE_BEFORE_148
    return RULE_148 if on < REFORM else RULE_REFORM


def level(stars: int, on: date) -> Level:
    """The level of government that certifies `stars` on `on`."""
    if stars >= 5:
        return Level.MINISTRY
    return Level.DISTRICT if stars == 3 and rule(stars, on) == RULE_148 else Level.PROVINCE


def ministry(on: date) -> str:
    return MAE if on >= MINISTRY_RENAMED else MARD


# --- provinces on a date ---------------------------------------------------------------------------


@cache
def _city_keys() -> dict[str, str]:
    """Cities run by the central government (from the gazetteer): their committee is "UBND thành phố …", and
    a "thành phố" with another name is a city inside a province (district level). Huế since 1/1/2025."""
    cities = [p.name for p in gazetteer().current_provinces if p.kind == "city"]
    return {fold(c): c for c in cities} | {"hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh"}


def province_on(province: str, on: date) -> str:
    """The name of the province that held a place of pre-reform `province` on the day `on` (the gazetteer's
    map of Resolution 202/2025/QH15: whole former provinces went into one current province)."""
    key = fold(nfc(province)).replace(" - ", " ").replace("-", " ")
    if key in ("thua thien hue", "hue"):
        return "Huế" if on >= HUE_CITY else "Thừa Thiên Huế"
    found = _province_named(province)
    if on < REFORM or found is None:
        return province
    return found.current.name if isinstance(found, FormerProvince) else found.name


@lru_cache(maxsize=1024)  # every certificate asks for its record's province again
def _province_named(name: str) -> Province | FormerProvince | None:
    return gazetteer().province(name)


def province_full_name(province: str) -> str:
    """'Thành phố Hà Nội', 'Tỉnh Lâm Đồng'."""
    return ("Thành phố " if fold(province) in _city_keys() else "Tỉnh ") + province


def committee(full_name: str) -> str:
    """The People's Committee of a unit named in full: 'Huyện Đức Linh' → 'UBND huyện Đức Linh'."""
    return "UBND " + full_name[:1].lower() + full_name[1:]


# --- who should sign -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a product was on a certificate's date, as that day's map named it (given by the caller).

    Before 1/7/2025: the province of the time and the district's full name ("Huyện Đức Linh").
    From then on: the current province; no district."""

    province: str
    district: str | None = None


def certifier(stars: int, on: date, place: Place) -> str:
    """The body that certifies `stars` on `on` at `place`, by its real name: what staff tools write."""
    lv = level(stars, on)
    if lv is Level.MINISTRY:
        return ministry(on)
    if lv is Level.DISTRICT:
        # A record whose district is unknown still learns which level signs.
        return (
            committee(place.district)
            if place.district
            else "UBND cấp huyện, " + committee(province_full_name(place.province)).removeprefix("UBND ")
        )
    return committee(province_full_name(place.province))


# --- reading issuers -------------------------------------------------------------------------------

_CHAIR = r"(?:(?:pho\s+)?chu\s+tich\s+)?"
_COMMITTEE = r"(?:ubnd|uy\s+ban\s+nhan\s+dan)\b[\s.]*"
_UNIT = r"(?:(?P<kind>tinh|thanh\s+pho|tp|thi\s+xa|tx|huyen|quan|h|q)\b[\s.]*)?"
_RE_COMMITTEE = re.compile(r"^" + _CHAIR + _COMMITTEE + _UNIT + r"(?P<name>.*)$")
_RE_MINISTRY = re.compile(r"\bbo\s+(?:nong\s+nghiep|nn\b)|\btrung\s+uong\b")
_DISTRICT_KINDS = {"huyen", "quan", "thi xa", "tx", "h", "q"}


@dataclass(frozen=True)
class Issuer:
    """An issuer as written, read: its level (None when it cannot be told) and place or ministry."""

    text: str
    level: Level | None
    name: str = ""  # the place as written ("Đức Linh"), or the ministry's name; "" when unknown
    kind: str = ""  # the unit word, folded: "tinh", "thanh pho", "huyen", "thi xa", "quan"…


def _folded(text: str) -> str:
    """`text` folded to ASCII lower case, one character for one, so positions match the original."""
    return "".join(f if len(f := fold(ch)) == 1 else " " for ch in text)


def _ministry(low: str) -> str:
    if re.search(r"phat\s+trien\s+nong\s+thon|ptnt", low):
        return MARD
    if re.search(r"moi\s+truong|&\s*mt\b|\bnnmt\b", low):
        return MAE
    return ""


@lru_cache(maxsize=4096)  # a province's few committees sign thousands of certificates
def parse(text: str) -> Issuer:
    """Read the level and the place of a free-text issuer."""
    text = re.sub(r"\s+", " ", nfc(text)).strip()
    low = _folded(text)
    if _RE_MINISTRY.search(low):
        return Issuer(text, Level.MINISTRY, _ministry(low))
    m = _RE_COMMITTEE.match(low)
    if not m:
        return Issuer(text, None)
    name = text[m.start("name") :].strip(" .,;-")
    kind = re.sub(r"\s+", " ", m.group("kind") or "")
    kind = {"tp": "thanh pho", "tx": "thi xa", "h": "huyen", "q": "quan"}.get(kind, kind)
    if kind == "tinh" or (kind == "thanh pho" and _city(name)):
        return Issuer(text, Level.PROVINCE, _city(name) or name, kind)
    if kind in _DISTRICT_KINDS or kind == "thanh pho":
        return Issuer(text, Level.DISTRICT, name, kind)
    return Issuer(text, None, name)


def _city(name: str) -> str:
    """The centrally run city a name means ('HCM', 'Hồ Chí Minh', 'Ha Noi'), else ''."""
    return _city_keys().get(fold(name).replace(".", "").strip(), "")


def same_place(a: str, b: str) -> bool:
    """Whether two place names are one, whatever their tone marks, case, spacing or hyphens."""

    return _place_key(a) == _place_key(b)


@lru_cache(maxsize=4096)  # a province's few names are compared for thousands of certificates
def _place_key(name: str) -> str:
    folded = fold(_strip_unit(nfc(name)))
    return re.sub(r"qui\b", "quy", re.sub(r"[\s\-–.]+", " ", folded)).strip()


def _strip_unit(name: str) -> str:
    m = re.match(r"^(?:tỉnh|thành phố|tp\.?|thị xã|tx\.?|huyện|quận)\s*", name, re.IGNORECASE)
    return name[m.end() :] if m else name


# --- checking an issuer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """Why an issuer is not the body the rules expect, and which body that is.

    `reason`: "level" (another level of government signed), "place" (the right level, another place:
    e.g. a province that did not exist on that day), "ministry" (the ministry under another name than
    on that day), "unknown" (the issuer cannot be read). `rule`: one of the RULE_* keys."""

    reason: str
    expected: str
    rule: str


def check(issuer: str, stars: int, on: date, place: Place) -> Mismatch | None:
    """None when `issuer` is the body that certifies `stars` on `on` at `place`; else what is wrong."""
    found, expected = parse(issuer), certifier(stars, on, place)
    wanted, why = level(stars, on), rule(stars, on)
    if found.level is None and found.name:
        # "UBND Bình Thuận": no unit word, but the place says which committee.
        if same_place(found.name, place.province):
            found = Issuer(found.text, Level.PROVINCE, found.name, "tinh")
        elif place.district and same_place(found.name, place.district):
            found = Issuer(found.text, Level.DISTRICT, found.name, "huyen")
    if found.level is None:
        return Mismatch("unknown", expected, why)
    if found.level is not wanted:
        return Mismatch("level", expected, why)
    if wanted is Level.MINISTRY:
        return Mismatch("ministry", expected, why) if found.name and found.name != expected else None
    right = place.district if wanted is Level.DISTRICT else place.province
    if right and not same_place(found.name, right):
        return Mismatch("place", expected, why)
    return None


# --- English ---------------------------------------------------------------------------------------

_KIND_EN = {
    "tinh": "Provincial",
    "thanh pho": "City",
    "huyen": "District",
    "thi xa": "Town",
    "quan": "Urban District",
}


def english(issuer: str) -> str | None:
    """How English pages name an issuing body, e.g. "Lâm Đồng Provincial People's Committee";
    None when it cannot be read (the page then shows the Vietnamese words)."""
    found = parse(issuer)
    if found.level is Level.MINISTRY:
        return _MINISTRY_EN.get(found.name)
    if found.level is None or not found.name or found.kind not in _KIND_EN:
        return None
    body = f"{found.name} {_KIND_EN[found.kind]} People's Committee"
    chair = re.match(r"^(?:pho\s+)?chu\s+tich\b", _folded(found.text))
    if chair:
        return ("Vice-Chairman" if _folded(found.text).startswith("pho") else "Chairman") + " of the " + body
    return body
