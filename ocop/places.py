"""Vietnam's two administrative maps, and how each place of one became places of the other.

On 1/7/2025 (Resolution 202/2025/QH15) Vietnam went from 63 provinces with ~700 districts to 34
provinces with no district level: each province is made of communes, wards and special zones.
Certificates issued before name the former province and district, those issued since name the
current province and commune, and people still know products by their former district. So the
catalogue keeps both maps and converts between them:

- the current map: `Province` (34) and `Commune` (3,321 xã, phường, đặc khu);
- the former map, as it stood on 30/6/2025: `FormerProvince` (63), `District` (696, of which 5
  island districts without communes) and `FormerCommune` (10,035);
- the conversion, both ways: each former province went whole into one current province; each
  current commune was formed from former communes (or, for 5 special zones, a whole island
  district), and 471 former communes were split between several current ones.

The one source of both maps is the `vietnamadminunits` package (MIT, GSO codes), read from its
data files: importing the package would load shapely, and its address converter may call a
geocoding service over the network. Nothing here is typed by hand except `_DISPLAY`, the few
spellings that differ from what certificates and the public write.

Every place is one shared object per process (`gazetteer()` is cached): compare places with
`is` or `==`, use them as dict keys; a pickled place comes back as the gazetteer's own object.
Codes are GSO codes; a former and a current province can share a code (68 is Lâm Đồng in
both), so a place's identity is its class and code.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import importlib.util
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from .text import fold, nfc
from .text import slugify as _slugify

DATA_PACKAGE = "vietnamadminunits"

CURRENT = "current"  # the map since 1/7/2025
REFORM = date(2025, 7, 1)  # the current map's first day (Resolution 202/2025/QH15); certifiers uses it too
FORMER = "former"  # the map before

_PROVINCE_PREFIXES = ("tỉnh", "thành phố", "tp.", "tp")
_DISTRICT_PREFIXES = ("thành phố", "thị xã", "huyện", "quận", "tp.", "tp", "tx.", "tx", "h.", "q.")
_COMMUNE_PREFIXES = ("thị trấn", "đặc khu", "phường", "xã", "tt.", "p.", "x.")
# The same prefixes typed without tone marks, read only from a name typed without any ("phuong mui ne").
_BARE_PREFIXES = {
    "tinh": "tỉnh",
    "thanh pho": "thành phố",
    "thi xa": "thị xã",
    "huyen": "huyện",
    "quan": "quận",
    "thi tran": "thị trấn",
    "dac khu": "đặc khu",
    "phuong": "phường",
    "xa": "xã",
}

# What a written prefix says about the kind of place (used to tell same-name places apart).
_PREFIX_KINDS = {
    "tỉnh": "province",
    "thành phố": "city",
    "tp.": "city",
    "tp": "city",
    "thị xã": "town",
    "tx.": "town",
    "tx": "town",
    "huyện": "district",
    "h.": "district",
    "quận": "urban_district",
    "q.": "urban_district",
    "thị trấn": "township",
    "tt.": "township",
    "đặc khu": "special_zone",
    "phường": "ward",
    "p.": "ward",
    "xã": "commune",
    "x.": "commune",
}
_PROVINCE_KINDS = {"Tỉnh": "province", "Thành phố": "city"}
_DISTRICT_KINDS = {"Thành phố": "city", "Thị xã": "town", "Huyện": "district", "Quận": "urban_district"}
_COMMUNE_KINDS = {"Xã": "commune", "Phường": "ward", "Thị trấn": "township", "Đặc khu": "special_zone"}

# Spellings in the data that differ from what certificates and the public use: (province, name) → name.
_DISPLAY = {("Bình Thuận", "Phú Quí"): "Phú Quý"}

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


# --- the places -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Province:
    """A province or centrally-run city of the current map (34)."""

    era: ClassVar[str] = CURRENT
    code: int
    name: str  # short, e.g. "Lâm Đồng", "Hà Nội"
    full_name: str  # "Tỉnh Lâm Đồng", "Thành phố Hà Nội"
    kind: str  # "province" | "city"
    slug: str  # "lam-dong"; the same as a former province of the same name: URLs need their own namespace

    def __reduce__(self):
        # Places read in worker processes or from the record cache come back as the gazetteer's own objects.
        return (_by_code, (type(self).__name__, self.code))

    def __repr__(self) -> str:
        return f"<Province {self.code} {self.full_name}>"

    @property
    def former(self) -> tuple[FormerProvince, ...]:
        """The former provinces it was formed from, in code order."""
        return gazetteer().former_provinces_of(self)


@dataclass(frozen=True, eq=False)
class FormerProvince:
    """A province or centrally-run city of the map before 1/7/2025 (63)."""

    era: ClassVar[str] = FORMER
    code: int
    name: str  # "Bình Thuận"
    full_name: str  # "Tỉnh Bình Thuận"
    kind: str  # "province" | "city"
    slug: str  # "binh-thuan", as published before the reform

    def __reduce__(self):
        return (_by_code, (type(self).__name__, self.code))

    def __repr__(self) -> str:
        return f"<FormerProvince {self.code} {self.full_name}>"

    @property
    def current(self) -> Province:
        """The current province it went into (always exactly one)."""
        return gazetteer().current_province_of(self)


@dataclass(frozen=True, eq=False)
class District:
    """A district-level unit of the former map (696): huyện, quận, thị xã, thành phố thuộc tỉnh."""

    era: ClassVar[str] = FORMER
    code: int
    province: FormerProvince  # the former province
    name: str  # short, e.g. "Phan Thiết" ("Quận 1" keeps its prefix)
    full_name: str  # "Thành phố Phan Thiết"
    kind: str  # "city" | "town" | "district" | "urban_district"
    slug: str  # unique within its province; see Gazetteer._district_slugs

    def __reduce__(self):
        return (_by_code, (type(self).__name__, self.code))

    def __repr__(self) -> str:
        return f"<District {self.code} {self.full_name}, {self.province.name}>"

    @property
    def current_province(self) -> Province:
        return self.province.current

    @property
    def successors(self) -> tuple[Commune, ...]:
        """The current communes its former communes went to (wholly or in part)."""
        return gazetteer().district_successors(self)


@dataclass(frozen=True, eq=False)
class Commune:
    """A commune, ward or special zone of the current map (3,321)."""

    era: ClassVar[str] = CURRENT
    code: int
    province: Province
    name: str  # short, e.g. "Đông Giang" ("Phường 1" keeps its prefix)
    full_name: str  # "Xã Đông Giang"
    kind: str  # "commune" (xã) | "ward" (phường) | "special_zone" (đặc khu)
    slug: str  # unique within its province

    def __reduce__(self):
        return (_by_code, (type(self).__name__, self.code))

    def __repr__(self) -> str:
        return f"<Commune {self.code} {self.full_name}, {self.province.name}>"

    @property
    def sources(self) -> tuple[FormerCommune | District, ...]:
        """What it was formed from: former communes, or a whole island district (5 special zones)."""
        return gazetteer().sources_of(self)

    @property
    def former_districts(self) -> tuple[District, ...]:
        """The former districts whose communes (wholly or in part) formed it, in code order."""
        return gazetteer().former_districts_of(self)

    @property
    def former_provinces(self) -> tuple[FormerProvince, ...]:
        """The former provinces of those districts (23 communes span two)."""
        return tuple(dict.fromkeys(d.province for d in self.former_districts))


@dataclass(frozen=True, eq=False)
class FormerCommune:
    """A commune, ward or township of the former map (10,035)."""

    era: ClassVar[str] = FORMER
    code: int
    district: District
    name: str  # "Phú Thủy"
    full_name: str  # "Phường Phú Thủy"
    kind: str  # "commune" | "ward" | "township" (thị trấn)
    slug: str  # unique within its district

    def __reduce__(self):
        return (_by_code, (type(self).__name__, self.code))

    def __repr__(self) -> str:
        return f"<FormerCommune {self.code} {self.full_name}, {self.district.name}>"

    @property
    def province(self) -> FormerProvince:
        return self.district.province

    @property
    def successors(self) -> tuple[Commune, ...]:
        """The current commune(s) it went into; when it was split, the one with most of it first."""
        return gazetteer().commune_successors(self)


AnyPlace = Province | FormerProvince | District | Commune | FormerCommune
P = TypeVar("P", Province, FormerProvince, District, Commune, FormerCommune)


# --- lookups by name --------------------------------------------------------------------------


@dataclass(frozen=True)
class Match(Generic[P]):
    """A place found by name. `read_as` is set when the name was typed without its tone marks and
    only one place fits: it is what the name was read as, for a warning ("Tánh Linh, Bình Thuận")."""

    place: P
    read_as: str | None = None


class PlaceError(ValueError):
    """A name that does not give exactly one place. `level`: "province", "district" or "commune";
    `text`: the name as written; `within`: where it was looked for (names, empty: all of Vietnam)."""

    def __init__(self, level: str, text: str, within: tuple[str, ...] = ()):
        self.level, self.text, self.within = level, text, within
        super().__init__(f"{level} {text!r}" + (f" in {', '.join(within)}" if within else ""))


class UnknownPlace(PlaceError):
    """No place of this level has this name there. `suggestions`: close names (display form).

    They are worked out only when a message asks for them: an import tries each part of every address as a
    province first, and a fuzzy search over the country's names for each miss made reading tables slow.
    """

    def __init__(
        self,
        level: str,
        text: str,
        within: tuple[str, ...] = (),
        suggestions: tuple[str, ...] | Callable[[], tuple[str, ...]] = (),
    ):
        super().__init__(level, text, within)
        self._suggestions = suggestions

    @functools.cached_property
    def suggestions(self) -> tuple[str, ...]:
        found = self._suggestions
        return found() if callable(found) else found

    def __reduce__(self):  # a worker process hands it over with its names worked out
        return (UnknownPlace, (self.level, self.text, self.within, self.suggestions))


class AmbiguousPlace(PlaceError):
    """Several places have this name there; `candidates` are the places, `unaccented` says the name was typed
    without tone marks (so places that differ only in tones are candidates too)."""

    def __init__(self, level: str, text: str, within: tuple[str, ...], candidates: tuple, unaccented: bool = False):
        super().__init__(level, text, within)
        self.candidates = candidates
        self.unaccented = unaccented


@lru_cache(maxsize=65536)  # every record names its places again
def match_key(text: str) -> str:
    """Key under which spelling variants of one place name meet.

    Keeps letters and tones (so 'Duc Linh' does not silently become 'Đức Linh') but
    ignores case, spacing, old versus new tone placement ('Hoà'/'Hòa', 'Thuỷ'/'Thủy')
    and the i/y of 'Quí'/'Quý'.
    """
    return " ".join(_word_key(w) for w in _WORDS.split(nfc(text).casefold()) if w)


_WORDS = re.compile(r"[\s\-–,.']+")


@cache
def _word_key(word: str) -> str:
    # Names share few distinct words, so each is worked out once (the gazetteer indexes ~30,000 names).
    decomposed = unicodedata.normalize("NFD", word)
    tone = next((ch for ch in decomposed if ch in _TONES), "")
    letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return ("quy" if letters == "qui" else letters) + tone


@cache
def slugify(text: str) -> str:
    """`ocop.text.slugify`, remembered: place names repeat ("Tân Thành" names dozens of communes)."""
    return _slugify(text)


def _bare_key(text: str) -> str:
    """The key of a name typed without tone marks: letters only."""
    return " ".join(_bare_word(w) for w in _WORDS.split(nfc(text).casefold()) if w)


@cache
def _bare_word(word: str) -> str:
    folded = re.sub(r"[^a-z0-9]+", "", fold(word))
    return "quy" if folded == "qui" else folded


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    return _split_prefix(text, prefixes)[1]


def _split_prefix(text: str, prefixes: tuple[str, ...]) -> tuple[str | None, str]:
    """(the prefix written, lower-case, or None; the name without it)."""
    low = nfc(text).strip()
    for prefix in prefixes:
        if low.casefold().startswith(prefix) and len(low) > len(prefix):
            rest = low[len(prefix) :]
            if prefix.endswith(".") or rest[:1].isspace():
                return prefix, rest.strip()
    return None, low


def is_unaccented(text: str) -> bool:
    """Whether a name was typed without Vietnamese marks (so it may stand for several names)."""
    return text.isascii()


def _kind_of(full: str, kinds: dict[str, str], default: str) -> str:
    low = full.casefold()
    return next((v for k, v in kinds.items() if low.startswith(k.casefold() + " ")), default)


def _canonical_prefix(full: str, kinds: dict[str, str]) -> str:
    """ "Thị Xã Việt Yên" → "Thị xã Việt Yên": the data capitalises a few prefixes differently."""
    low = full.casefold()
    word = next((k for k in kinds if low.startswith(k.casefold() + " ")), None)
    return word + full[len(word) :] if word else full


def _short(full: str, prefixes: tuple[str, ...]) -> str:
    short = _strip_prefix(full, prefixes)
    return full if short.isdigit() else short  # "Quận 1", "Phường 3" are not called "1", "3"


class _Index(Generic[P]):
    """Places of one level by name: exact keys (tones kept) and bare keys (no marks at all)."""

    def __init__(self, level: str, prefixes: tuple[str, ...]):
        self.level, self.prefixes = level, prefixes
        self.exact: dict[str, list[P]] = defaultdict(list)
        self.bare: dict[str, list[P]] = defaultdict(list)

    def add(self, place: P, names: Iterable[str]) -> None:
        exact = {match_key(n) for n in names}
        for name in exact:
            self.exact[name].append(place)
        for name in {_bare_key(n) for n in exact}:
            self.bare[name].append(place)

    def find(self, text: str, allowed, within: tuple[str, ...]) -> Match[P]:
        """The one place `text` names among those `allowed` (a predicate); raises PlaceError."""
        if is_unaccented(text):
            written = nfc(text).strip()
            prefix = next((p for p in _BARE_PREFIXES if written.casefold().startswith(p + " ")), None)
            if prefix and _BARE_PREFIXES[prefix] in self.prefixes:
                try:  # "xa" may also begin a name: the whole name is tried too
                    return self._find(_BARE_PREFIXES[prefix] + written[len(prefix) :], allowed, within, text)
                except UnknownPlace:
                    pass
        return self._find(text, allowed, within, text)

    def _find(self, text: str, allowed, within: tuple[str, ...], written: str) -> Match[P]:
        prefix, name = _split_prefix(text, self.prefixes)
        if name.isdigit():
            prefix, name = None, nfc(text).strip()
        kind = _PREFIX_KINDS.get(prefix or "")
        found = self._narrow([p for p in self.exact.get(match_key(name), ()) if allowed(p)], kind)
        if not found and prefix:  # a prefix that is part of the name ("Thị xã" is not always one)
            found = [p for p in self.exact.get(match_key(text), ()) if allowed(p)]
        if len(found) == 1:
            return Match(found[0])
        if found:
            raise AmbiguousPlace(self.level, written, within, tuple(found))
        if is_unaccented(name):
            bare = self._narrow([p for p in self.bare.get(_bare_key(name), ()) if allowed(p)], kind)
            if len(bare) == 1:
                return Match(bare[0], describe(bare[0]))
            if bare:
                raise AmbiguousPlace(self.level, written, within, tuple(bare), unaccented=True)
        raise UnknownPlace(self.level, written, within, lambda: self._suggest(name, allowed))

    @staticmethod
    def _narrow(found: list[P], kind: str | None) -> list[P]:
        """Same-name places told apart by the prefix written ("Thị xã Kỳ Anh" vs "Huyện Kỳ Anh")."""
        if kind and len(found) > 1:
            same = [p for p in found if p.kind == kind or (kind == "city" and p.kind == "province")]
            return same or found
        return list(dict.fromkeys(found))

    def _suggest(self, name: str, allowed) -> tuple[str, ...]:
        names = {_bare_key(p.name): p.name for ps in self.exact.values() for p in ps if allowed(p)}
        close = difflib.get_close_matches(_bare_key(name), list(names), n=3, cutoff=0.6)
        return tuple(dict.fromkeys(names[n] for n in close))


def describe(place: AnyPlace) -> str:
    """A place with what it lies in, as a message names it: "Huyện Tánh Linh, Tỉnh Bình Thuận"."""
    if isinstance(place, District):
        return f"{place.full_name}, {place.province.full_name}"
    if isinstance(place, FormerCommune):
        return f"{place.full_name}, {place.district.full_name}, {place.province.full_name}"
    if isinstance(place, Commune):
        return f"{place.full_name}, {place.province.full_name}"
    return place.full_name


# --- the gazetteer ----------------------------------------------------------------------------


@dataclass
class _Rows:
    """The package's data, as read from its files."""

    current: list[tuple] = field(default_factory=list)
    former: list[tuple] = field(default_factory=list)
    converter: dict = field(default_factory=dict)


def _read_rows() -> _Rows:
    # The package's own import loads shapely and a geocoder: find its files without importing it.
    spec = importlib.util.find_spec(DATA_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the place data package {DATA_PACKAGE} is not installed (see requirements.txt)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    con = sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True)
    try:
        current = con.execute(
            "select provinceCode, province, provinceShort, provinceKey, wardCode, ward, wardType, wardKey"
            " from admin_units"
        ).fetchall()
        former = con.execute(
            "select provinceCode, province, provinceKey, districtCode, district, districtKey,"
            " wardCode, ward, wardType, wardKey from admin_units_legacy"
        ).fetchall()
    finally:
        con.close()
    converter = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    return _Rows(current, former, converter)


def data_version() -> str:
    """The place data's version: part of the record cache's key."""
    return f"{DATA_PACKAGE} {metadata.version(DATA_PACKAGE)}"


class Gazetteer:
    """Both maps, the conversion between them, and lookups by name. Get it with `gazetteer()`."""

    def __init__(self, rows: _Rows):
        self.current_provinces: tuple[Province, ...] = ()
        self.former_provinces: tuple[FormerProvince, ...] = ()
        self.communes: tuple[Commune, ...] = ()
        self.former_communes: tuple[FormerCommune, ...] = ()
        self.all_districts: tuple[District, ...] = ()
        self.by_code: dict[tuple[str, int], AnyPlace] = {}
        self._read_current(rows.current)
        self._read_former(rows.former)
        self._read_conversion(rows)
        self._index()

    # building

    def _read_current(self, rows: list[tuple]) -> None:
        provinces: dict[int, Province] = {}
        self._province_keys: dict[str, Province] = {}
        for pcode, pfull, pshort, pkey, *_ in rows:
            if int(pcode) not in provinces:
                kind = _kind_of(pfull, _PROVINCE_KINDS, "province")
                provinces[int(pcode)] = Province(int(pcode), pshort, pfull, kind, slugify(pshort))
                self._province_keys[pkey] = provinces[int(pcode)]
        names = [_commune_name(r[5], r[6]) for r in rows]
        slugs = _unique_slugs([(int(r[0]), short, r[5]) for r, (short, _) in zip(rows, names)])
        communes = [
            Commune(int(r[4]), provinces[int(r[0])], short, r[5], kind, slug)
            for r, (short, kind), slug in zip(rows, names, slugs)
        ]
        self.current_provinces = tuple(sorted(provinces.values(), key=lambda p: p.code))
        self.communes = tuple(communes)
        self._commune_keys = {(r[3], r[7]): c for r, c in zip(rows, communes)}
        self._register(self.current_provinces, self.communes)

    def _read_former(self, rows: list[tuple]) -> None:
        provinces: dict[int, FormerProvince] = {}
        districts: dict[int, tuple] = {}
        self._former_province_keys: dict[str, FormerProvince] = {}
        for pcode, pfull, pkey, dcode, dfull, dkey, *_ in rows:
            if int(pcode) not in provinces:
                short = _strip_prefix(pfull, _PROVINCE_PREFIXES)
                kind = _kind_of(pfull, _PROVINCE_KINDS, "province")
                provinces[int(pcode)] = FormerProvince(int(pcode), short, pfull, kind, slugify(short))
                self._former_province_keys[pkey] = provinces[int(pcode)]
            districts.setdefault(int(dcode), (provinces[int(pcode)], dfull, f"{pkey}_{dkey}_"))
        self.former_provinces = tuple(sorted(provinces.values(), key=lambda p: p.code))
        self.all_districts = tuple(self._districts(districts))
        by_code = {d.code: d for d in self.all_districts}
        rows = [r for r in rows if r[6]]  # the 5 island districts have no communes
        names = [_commune_name(r[7], r[8]) for r in rows]
        slugs = _unique_slugs([(int(r[3]), short, r[7]) for r, (short, _) in zip(rows, names)])
        self.former_communes = tuple(
            FormerCommune(int(r[6]), by_code[int(r[3])], short, r[7], kind, slug)
            for r, (short, kind), slug in zip(rows, names, slugs)
        )
        self._register(self.former_provinces, self.all_districts, self.former_communes)
        self._former_keys: dict[str, FormerCommune | District] = {
            f"{r[2]}_{r[5]}_{r[9]}": c for r, c in zip(rows, self.former_communes)
        }
        self._former_keys.update({key: by_code[code] for code, (_, _, key) in districts.items()})

    def _districts(self, rows: dict[int, tuple]) -> list[District]:
        made = []
        for code, (province, full, _key) in sorted(rows.items()):
            full = _canonical_prefix(full, _DISTRICT_KINDS)
            short = _short(full, _DISTRICT_PREFIXES)
            display = _DISPLAY.get((province.name, short), short)
            kind = _kind_of(full, _DISTRICT_KINDS, "district")
            made.append(District(code, province, display, full.replace(short, display), kind, slugify(display)))
        return _district_slugs(made)

    def _register(self, *groups: Iterable[AnyPlace]) -> None:
        for group in groups:
            for place in group:
                self.by_code[(type(place).__name__, place.code)] = place

    def _read_conversion(self, rows: _Rows) -> None:
        conv = rows.converter
        self._current_of: dict[FormerProvince, Province] = {}
        for new_key, olds in conv["DICT_PROVINCE"].items():
            for old_key in olds:
                self._current_of[self._former_province_keys[old_key]] = self._province_keys[new_key]
        sources: dict[Commune, list] = defaultdict(list)
        successors: dict[FormerCommune | District, list[Commune]] = defaultdict(list)
        for pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for wkey, olds in wards.items():
                new = self._commune_keys[(pkey, wkey)]
                for old_key in olds:
                    old = self._former_keys[old_key]
                    sources[new].append(old)
                    successors[old].append(new)
        for pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old_key, news in olds.items():
                old = self._former_keys[old_key]
                # the part with most of the old commune first, as the package's data says
                for n in sorted(news, key=lambda n: not n["isDefaultNewWard"]):
                    new = self._commune_keys[(pkey, n["newWardKey"])]
                    sources[new].append(old)
                    successors[old].append(new)
        self._sources = {new: tuple(dict.fromkeys(olds)) for new, olds in sources.items()}
        self._successors = {old: tuple(dict.fromkeys(news)) for old, news in successors.items()}
        by_district: dict[District, dict[Commune, None]] = defaultdict(dict)
        self._former_districts: dict[Commune, tuple[District, ...]] = {}
        for new, olds in self._sources.items():
            districts = sorted({o if isinstance(o, District) else o.district for o in olds}, key=lambda d: d.code)
            self._former_districts[new] = tuple(districts)
            for d in districts:
                by_district[d][new] = None
        self._district_successors = {d: tuple(sorted(ns, key=lambda c: c.code)) for d, ns in by_district.items()}
        formers: dict[Province, list[FormerProvince]] = defaultdict(list)
        for former, current in self._current_of.items():
            formers[current].append(former)
        self._formers = {current: tuple(sorted(fps, key=lambda p: p.code)) for current, fps in formers.items()}

    def _index(self) -> None:
        self._provinces: _Index[Province] = _Index("province", _PROVINCE_PREFIXES)
        self._former_province_index: _Index[FormerProvince] = _Index("province", _PROVINCE_PREFIXES)
        self._district_index: _Index[District] = _Index("district", _DISTRICT_PREFIXES)
        self._communes: _Index[Commune] = _Index("commune", _COMMUNE_PREFIXES)
        self._former_commune_index: _Index[FormerCommune] = _Index("commune", _COMMUNE_PREFIXES)
        for p in self.current_provinces:
            self._provinces.add(p, (p.name, p.full_name))
        for fp in self.former_provinces:
            # "Thừa Thiên Huế" became the city of Huế in January 2025; certificates of before say the old name
            self._former_province_index.add(
                fp, (fp.name, fp.full_name) + (("Thừa Thiên Huế",) if fp.code == 46 else ())
            )
        for d in self.all_districts:
            raw = _short(d.full_name, _DISTRICT_PREFIXES)
            self._district_index.add(d, {d.name, raw, d.full_name})
        # communes by their short name only: the prefix is stripped before looking up
        self._communes_by_province: dict[Province, list[Commune]] = defaultdict(list)
        self._former_communes_by_district: dict[District, list[FormerCommune]] = defaultdict(list)
        for c in sorted(self.communes, key=lambda c: c.code):
            self._communes.add(c, (c.name,))
            self._communes_by_province[c.province].append(c)
        for fc in sorted(self.former_communes, key=lambda c: c.code):
            self._former_commune_index.add(fc, (fc.name,))
            self._former_communes_by_district[fc.district].append(fc)
        # compatibility: the former map by name, as before the reform was known here
        self.provinces: dict[str, FormerProvince] = {match_key(p.name): p for p in self.former_provinces}
        self.districts: dict[tuple[int, str], District] = {
            (d.province.code, match_key(d.name)): d for d in self.all_districts
        }
        self._by_province = defaultdict(list)
        for d in self.all_districts:
            self._by_province[d.province].append(d)

    # conversion

    def current_province_of(self, former: FormerProvince) -> Province:
        return self._current_of[former]

    def former_provinces_of(self, province: Province) -> tuple[FormerProvince, ...]:
        return self._formers[province]

    def sources_of(self, commune: Commune) -> tuple[FormerCommune | District, ...]:
        return self._sources.get(commune, ())

    def former_districts_of(self, commune: Commune) -> tuple[District, ...]:
        return self._former_districts.get(commune, ())

    def commune_successors(self, former: FormerCommune | District) -> tuple[Commune, ...]:
        """A former commune's current commune(s), the main one first; an island district's special zone."""
        return self._successors.get(former, ())

    def district_successors(self, district: District) -> tuple[Commune, ...]:
        return self._district_successors.get(district, ())

    def communes_of(self, province: Province) -> list[Commune]:
        """The current communes, wards and special zones of a current province, in code order."""
        return list(self._communes_by_province.get(province, ()))

    def former_communes_of(self, district: District) -> list[FormerCommune]:
        """The former communes of a former district, in code order (none for the 5 island districts)."""
        return list(self._former_communes_by_district.get(district, ()))

    # lookups (each returns a Match or raises UnknownPlace / AmbiguousPlace)

    def find_province(self, text: str) -> Match[Province]:
        """A current province by name."""
        return self._provinces.find(text, _anything, ())

    def find_former_province(self, text: str) -> Match[FormerProvince]:
        """A former province by name."""
        return self._former_province_index.find(text, _anything, ())

    def find_any_province(self, text: str) -> Match[Province] | Match[FormerProvince]:
        """A current province by name, else a former one ("Lâm Đồng" is current; "Bình Thuận" former)."""
        try:
            return self.find_province(text)
        except UnknownPlace:
            return self.find_former_province(text)

    def find_district(self, text: str, within: Region = None) -> Match[District]:
        """A former district by name, in a region: a current or former province, several, or None (anywhere)."""
        allowed, names = _former_region(within)
        return self._district_index.find(text, lambda d: allowed is None or d.province in allowed, names)

    def find_commune(self, text: str, within: Region = None) -> Match[Commune]:
        """A current commune, ward or special zone by name, in a current province, several, or None (anywhere)."""
        allowed, names = _current_region(within)
        return self._communes.find(text, lambda c: allowed is None or c.province in allowed, names)

    def find_commune_among(self, text: str, communes: set[Commune], province: Province, within: str) -> Match[Commune]:
        """A current commune by name among `communes` (those formed from a former district, named `within`
        in messages); a name of another commune of `province` is UnknownPlace too, for the caller to read."""
        return self._communes.find(text, lambda c: c in communes and c.province is province, (within,))

    def find_former_commune(self, text: str, district: District) -> Match[FormerCommune]:
        """A former commune by name, in its former district."""
        return self._former_commune_index.find(text, lambda c: c.district is district, (district.full_name,))

    # the names this module answered to before the reform was known here: the former map

    def province(self, text: str) -> Province | FormerProvince | None:
        """A province by its exact name: the current one of that name, else the former one, else None.

        For code written before the reform: a current province holds its former districts, so
        `district(province(name), ...)` finds a former district by either name. Prefer find_any_province.
        """
        try:
            found = self.find_any_province(text)
        except PlaceError:
            return None
        return None if found.read_as else found.place

    def district(self, province: FormerProvince | Province, text: str) -> District | None:
        """A former district by its exact name in a (former or current) province, or None (prefer find_district)."""
        try:
            found = self.find_district(text, province)
        except AmbiguousPlace as exc:
            # two same-name districts: the one that has always answered to the bare name (it keeps the bare slug)
            bare = [d for d in exc.candidates if d.slug == slugify(d.name)]
            return bare[0] if len(bare) == 1 and not exc.unaccented else None
        except PlaceError:
            return None
        return None if found.read_as else found.place

    def districts_of(self, province: FormerProvince | Province) -> list[District]:
        """The former districts of a former province, or of all the former provinces of a current one."""
        if isinstance(province, Province):
            return [d for fp in self.former_provinces_of(province) for d in self._by_province[fp]]
        return list(self._by_province[province])

    def suggest_district(self, province: FormerProvince | Province, text: str) -> list[str]:
        names = {fold(d.name): d.name for d in self.districts_of(province)}
        wanted = fold(_strip_prefix(text, _DISTRICT_PREFIXES))
        return [names[n] for n in difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)]

    def suggest_province(self, text: str) -> list[str]:
        provinces: list[Province | FormerProvince] = [*self.current_provinces, *self.former_provinces]
        names = {fold(p.name): p.name for p in provinces}
        wanted = fold(_strip_prefix(text, _PROVINCE_PREFIXES))
        return [names[n] for n in difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)]


Region = Province | FormerProvince | Iterable[Province | FormerProvince] | None


def _anything(_place) -> bool:
    return True


def _region(within: Region) -> list[Province | FormerProvince] | None:
    if within is None:
        return None
    if isinstance(within, (Province, FormerProvince)):
        return [within]
    return list(within) or None


def _former_region(within: Region) -> tuple[set[FormerProvince] | None, tuple[str, ...]]:
    region = _region(within)
    if region is None:
        return None, ()
    formers = {fp for p in region for fp in (p.former if isinstance(p, Province) else (p,))}
    return formers, tuple(p.full_name for p in region)


def _current_region(within: Region) -> tuple[set[Province] | None, tuple[str, ...]]:
    region = _region(within)
    if region is None:
        return None, ()
    return {p if isinstance(p, Province) else p.current for p in region}, tuple(p.full_name for p in region)


def _commune_name(full: str, kind_word: str | None) -> tuple[str, str]:
    """(short name, kind) of a commune, from its full name and the data's kind word ("Xã", "Phường", ...)."""
    kind = _COMMUNE_KINDS.get(kind_word or "", "")
    if kind_word and full.startswith(kind_word + " "):
        short = full[len(kind_word) + 1 :]
        return (full if short.isdigit() else short), kind
    return _short(full, _COMMUNE_PREFIXES), kind or _kind_of(full, _COMMUNE_KINDS, "")


def _unique_slugs(places: list[tuple[int, str, str]]) -> list[str]:
    """Slugs of (parent code, short name, full name): the short name's; a name used twice under one
    parent takes its full name ("xa-tan-thanh", "phuong-tan-thanh")."""
    keys = [(parent, slugify(short)) for parent, short, _ in places]
    seen: dict[tuple[int, str], int] = defaultdict(int)
    for key in keys:
        seen[key] += 1
    slugs = [key[1] if seen[key] == 1 else slugify(full) for key, (_, _, full) in zip(keys, places)]
    # names that differ only in their tones ("Xã Tân Long", "Xã Tân Lòng") still meet: then the order decides
    again: dict[tuple[int, str], int] = defaultdict(int)
    out = []
    for (parent, _, _), slug in zip(places, slugs):
        again[(parent, slug)] += 1
        out.append(slug if again[(parent, slug)] == 1 else f"{slug}-{again[(parent, slug)]}")
    return out


def _district_slugs(districts: list[District]) -> list[District]:
    """Slugs as published before the reform: the short name, e.g. "phan-thiet".

    Six former provinces each had a huyện and a thị xã or thành phố of the same name (Kỳ Anh, Cai Lậy,
    Duyên Hải, Cao Lãnh, Hồng Ngự, Long Mỹ). The one with the higher code always answered to the bare name
    and keeps its slug; the other takes its full name ("huyen-ky-anh"), so no two districts share a URL.
    """
    by_slug: dict[tuple[int, str], list[District]] = defaultdict(list)
    for d in districts:
        by_slug[(d.province.code, d.slug)].append(d)
    out = []
    for d in districts:
        same = by_slug[(d.province.code, d.slug)]
        out.append(d if d is max(same, key=lambda x: x.code) else _replace(d, slug=slugify(d.full_name)))
    return out


def _replace(place, **changes):
    return dataclasses.replace(place, **changes)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The one gazetteer of this process (about 0.3 s to load)."""
    return Gazetteer(_read_rows())


def _by_code(kind: str, code: int) -> AnyPlace:
    return gazetteer().by_code[(kind, code)]


# --- the site's scope -------------------------------------------------------------------------

NATIONAL = "national"


@dataclass(frozen=True)
class Scope:
    """The provinces a site covers (the OCOP_SCOPE setting): one current province, several, or all
    of Vietnam (`provinces` empty). A record that names no province is read in the scope's one
    province; a site of several provinces or of the whole country needs `province:` in every record."""

    provinces: tuple[Province, ...] = ()
    setting: str = "OCOP_SCOPE"  # the setting it was read from, for messages
    former: FormerProvince | None = (
        None  # when the setting names one former province: districts are looked up there first
    )

    @property
    def national(self) -> bool:
        return not self.provinces

    @property
    def default(self) -> Province | None:
        """The province of records that name none, if the scope has exactly one."""
        return self.provinces[0] if len(self.provinces) == 1 else None

    def __contains__(self, province: object) -> bool:
        if isinstance(province, FormerProvince):
            province = province.current
        return self.national or province in self.provinces

    def label(self) -> str:
        """The scope as a message names it: "Tỉnh Lâm Đồng", or "national"."""
        return ", ".join(p.full_name for p in self.provinces) if self.provinces else NATIONAL


def read_scope(value: str | Iterable[str] | Scope | None, setting: str = "OCOP_SCOPE") -> Scope:
    """The scope a setting names: "national" (or None), a current province's name, or a list of them.

    A former province's name ("Bình Thuận", as the deprecated OCOP_PROVINCE used to say) is read as
    the current province that holds it. Raises PlaceError for a name that is not a province.
    """
    if isinstance(value, Scope):
        return value
    if value is None or (isinstance(value, str) and value.strip().casefold() == NATIONAL):
        return Scope((), setting)
    names = [value] if isinstance(value, str) else list(value)
    found: dict[Province | FormerProvince, None] = {}
    for name in names:
        match = gazetteer().find_any_province(name)
        if match.read_as:
            raise UnknownPlace("province", name, (), (match.place.name,))
        found[match.place] = None
    named = list(found)
    former = named[0] if len(named) == 1 and isinstance(named[0], FormerProvince) else None
    provinces = {p if isinstance(p, Province) else p.current: None for p in named}
    return Scope(tuple(provinces), setting, former)


# --- a record's place -------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a product (or a showroom) is, on both maps.

    `district` and `former_province` are always known: a record written in the former map names its
    district; one written in the current map names a commune formed from one former district, or
    says which with `district:` (else it is refused). `commune` is unknown when the record names no
    commune and its district's communes went to several current ones, or when it names a former
    commune that was split. `former_commune` is known only when a record of the former map names one.
    """

    province: Province  # current
    commune: Commune | None  # current
    former_province: FormerProvince
    district: District  # former
    former_commune: FormerCommune | None = None
    commune_text: str | None = None  # as the record writes it
    era: str = FORMER  # the map the record names its place in: FORMER (it gives `district:`) or CURRENT


@dataclass(frozen=True)
class Note:
    """Something to warn about in an accepted place. kind "read_as": `text` was typed without tone marks
    and read as `read_as`; kind "commune_kept": `text` is not a commune of the district, kept as written."""

    field: str  # "province" | "district" | "commune"
    kind: str
    text: str
    read_as: str = ""


@dataclass(frozen=True)
class Located:
    place: Place
    notes: tuple[Note, ...] = ()


class NeedsProvince(PlaceError):
    """A record without `province:` on a site whose scope has several provinces or the whole country."""

    def __init__(self, scope: Scope):
        super().__init__("province", "", ())
        self.scope = scope


class NoPlace(PlaceError):
    """A record with neither `district:` nor `commune:`."""

    def __init__(self):
        super().__init__("district", "", ())


class CommuneSpansDistricts(PlaceError):
    """A current commune formed from communes of several former districts, and no `district:` to say which."""

    def __init__(self, text: str, commune: Commune, districts: tuple[District, ...]):
        super().__init__("commune", text, ())
        self.commune, self.districts = commune, districts


class CommuneNotFromDistrict(PlaceError):
    """A current commune that was not formed from any commune of the record's former district."""

    def __init__(self, text: str, commune: Commune, district: District):
        super().__init__("commune", text, ())
        self.commune, self.district = commune, district


def latest_issued(certificates: object) -> date | None:
    """The latest date of a record's certificates as written (a YAML list of mappings), or None: the
    certificate that names the record's place today, so it says on which map its commune is read."""
    days = []
    for cert in certificates if isinstance(certificates, list) else ():
        day = cert.get("date") if isinstance(cert, dict) else None
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day)
            except ValueError:
                continue
        if isinstance(day, date):
            days.append(day)
    return max(days, default=None)


def _note(level: str, text: str, match: Match) -> tuple[Note, ...]:
    return (Note(level, "read_as", text, match.read_as),) if match.read_as else ()


def locate(
    province: str | None,
    district: str | None,
    commune: str | None,
    scope: Scope,
    issued: date | None = None,
) -> Located:
    """The place a record names (its `province`, `district` and `commune` fields), on both maps.

    With `district:` the record is read in the former map (its commune, if any, a former commune, or a
    current commune formed partly from that district); without it, in the current map, and `commune:`
    is then required. A record without `province:` is read in the scope's province. `issued` is the date
    of the certificate that names the place: from 1/7/2025 a commune written with a former district is
    first read as a current commune formed (wholly or in part) from that district ("Xã Hòa Thắng" of
    Bắc Bình is then the new commune, not the former one that was split in two). Raises PlaceError
    (UnknownPlace, AmbiguousPlace, NeedsProvince, NoPlace, CommuneSpansDistricts, CommuneNotFromDistrict).
    """
    gaz = gazetteer()
    regions, notes = _regions(gaz, province, scope)
    if district:
        since_reform = issued is not None and issued >= REFORM
        for region in regions[:-1]:
            try:
                return _in_former_map(gaz, region, district, commune, notes, since_reform)
            except UnknownPlace as exc:
                if exc.level != "district":
                    raise
        return _in_former_map(gaz, regions[-1], district, commune, notes, since_reform)
    if commune:
        return _in_current_map(gaz, regions[-1], commune, notes)
    raise NoPlace()


def _regions(gaz: Gazetteer, province: str | None, scope: Scope) -> tuple[list, tuple[Note, ...]]:
    """Where to look for the record's district, in order: a former province of the name written first
    (a certificate of before names the former "An Giang", whose "Châu Thành" is not Kiên Giang's), then
    the current province, which holds every former district merged into it. The last is the current one."""
    if not province:
        if scope.default is None:
            raise NeedsProvince(scope)
        return [r for r in (scope.former, scope.default) if r is not None], ()
    found = gaz.find_any_province(province)
    regions: list[Province | FormerProvince] = [found.place]
    if isinstance(found.place, Province):
        try:
            same = gaz.find_former_province(province)
        except PlaceError:
            same = None
        if same is not None and not same.read_as:
            regions.insert(0, same.place)
    return regions, _note("province", province, found)


def _in_former_map(
    gaz: Gazetteer, region, district: str, commune: str | None, notes, since_reform: bool = False
) -> Located:
    found = gaz.find_district(district, region)
    d = found.place
    notes += _note("district", district, found)
    former_commune = current = None
    if commune:
        read = _new_commune_of_district if since_reform else _commune_of_district
        former_commune, current, more = read(gaz, d, commune)
        notes += more
    elif len(d.successors) == 1:  # an island district became one special zone
        current = d.successors[0]
    place = Place(d.province.current, current, d.province, d, former_commune, commune, FORMER)
    return Located(place, notes)


def _commune_of_district(gaz: Gazetteer, d: District, text: str):
    """(former commune, current commune, notes) of a commune written with its former district."""
    try:
        found = gaz.find_former_commune(text, d)
    except UnknownPlace:
        pass
    else:
        if not _kind_agrees(text, found.place):  # "Phường Hàm Thắng" is not the former "Xã Hàm Thắng"
            return _current_commune_of_district(gaz, d, text)
        successors = found.place.successors
        return found.place, (successors[0] if len(successors) == 1 else None), _note("commune", text, found)
    return _current_commune_of_district(gaz, d, text)


def _new_commune_of_district(gaz: Gazetteer, d: District, text: str):
    """(None, current commune, notes) of a commune named on a certificate since the reform with its former
    district: one of the current communes formed from that district's communes. A name that is none of
    them is read as before the reform (a former commune, or a current one elsewhere: CommuneNotFromDistrict)."""
    formed = set(d.successors)
    try:
        found = gaz.find_commune_among(text, formed, d.current_province, d.full_name)
    except UnknownPlace:
        return _commune_of_district(gaz, d, text)
    return None, found.place, _note("commune", text, found)


def _kind_agrees(text: str, place: Commune | FormerCommune) -> bool:
    written = _PREFIX_KINDS.get(_split_prefix(text, _COMMUNE_PREFIXES)[0] or "")
    return written is None or written == place.kind


def _current_commune_of_district(gaz: Gazetteer, d: District, text: str):
    try:
        current = gaz.find_commune(text, d.province.current)
    except UnknownPlace:
        # Before the reform the commune was free text: a record that names a hamlet still builds.
        return None, None, (Note("commune", "commune_kept", text, d.full_name),)
    if d not in current.place.former_districts:
        raise CommuneNotFromDistrict(text, current.place, d)
    return None, current.place, _note("commune", text, current)


def _in_current_map(gaz: Gazetteer, region, commune: str, notes) -> Located:
    found = gaz.find_commune(commune, region)
    c = found.place
    notes += _note("commune", commune, found)
    districts = c.former_districts
    if isinstance(region, FormerProvince) and len(districts) > 1:
        # "province: Bình Thuận" says which former province's part is meant
        districts = tuple(d for d in districts if d.province is region) or districts
    if len(districts) != 1:
        raise CommuneSpansDistricts(commune, c, districts)
    d = districts[0]
    return Located(Place(c.province, c, d.province, d, None, commune, CURRENT), notes)
