"""Provinces and districts as they were before the 2025 reform.

Certificates issued before 1/7/2025 name the old district and province, and people still
know products by them, so records are placed in the pre-reform map (63 provinces, ~700
districts) published by the `vietnam-provinces` 0.6 package.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from .text import fold, nfc, slugify

_PROVINCE_PREFIXES = ("tỉnh", "thành phố", "tp.", "tp")
_DISTRICT_PREFIXES = ("thành phố", "thị xã", "huyện", "quận", "tp.", "tp", "tx.", "tx", "h.", "q.")

# Spellings in the gazetteer that differ from what certificates and the public use.
_DISPLAY = {("Bình Thuận", "Phú Quí"): "Phú Quý"}

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # short, e.g. "Bình Thuận"
    full_name: str  # "Tỉnh Bình Thuận"
    slug: str

    def __reduce__(self):
        # Places read in worker processes come back as the gazetteer's own objects.
        return (_province, (self.code,))


@dataclass(frozen=True)
class District:
    code: int
    province: Province
    name: str  # short, e.g. "Phan Thiết"
    full_name: str  # "Thành phố Phan Thiết"
    kind: str  # "city" | "town" | "district" | "urban_district"
    slug: str

    def __reduce__(self):
        return (_district, (self.code,))


def match_key(text: str) -> str:
    """Key under which spelling variants of one place name meet.

    Keeps letters and tones (so 'Duc Linh' does not silently become 'Đức Linh') but
    ignores case, spacing, old versus new tone placement ('Hoà'/'Hòa', 'Thuỷ'/'Thủy')
    and the i/y of 'Quí'/'Quý'.
    """
    words = []
    for word in re.split(r"[\s\-–,.]+", nfc(text).casefold()):
        if not word:
            continue
        decomposed = unicodedata.normalize("NFD", word)
        tone = next((ch for ch in decomposed if ch in _TONES), "")
        letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
        letters = re.sub(r"^qui$", "quy", letters)
        words.append(letters + tone)
    return " ".join(words)


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    low = nfc(text).strip()
    for prefix in prefixes:
        if low.casefold().startswith(prefix) and len(low) > len(prefix):
            rest = low[len(prefix) :]
            if prefix.endswith(".") or rest[:1].isspace():
                return rest.strip()
    return low


_KINDS = {"thành phố": "city", "thị xã": "town", "huyện": "district", "quận": "urban_district"}


class Gazetteer:
    def __init__(self, data: list[dict]):
        self.provinces: dict[str, Province] = {}
        self.by_code: dict[tuple[str, int], Province | District] = {}
        self.districts: dict[tuple[int, str], District] = {}
        self._by_province: dict[int, list[District]] = {}
        for p in data:
            short = _strip_prefix(p["name"], _PROVINCE_PREFIXES)
            province = Province(p["code"], short, p["name"], slugify(short))
            self.provinces[match_key(short)] = province
            self.by_code[("p", province.code)] = province
            members: list[District] = []
            for d in p["districts"]:
                full = d["name"]
                kind = next((v for k, v in _KINDS.items() if full.startswith(k.capitalize())), "district")
                short_d = _strip_prefix(full, _DISTRICT_PREFIXES)
                if short_d.isdigit():  # "Quận 1" is not called "1"
                    short_d = full
                display = _DISPLAY.get((short, short_d), short_d)
                district = District(
                    d["code"], province, display, full.replace(short_d, display), kind, slugify(display)
                )
                members.append(district)
                self.by_code[("d", district.code)] = district
                for name in {short_d, display}:
                    self.districts[(province.code, match_key(name))] = district
            self._by_province[province.code] = members

    def province(self, text: str) -> Province | None:
        return self.provinces.get(match_key(_strip_prefix(text, _PROVINCE_PREFIXES)))

    def district(self, province: Province, text: str) -> District | None:
        for form in (_strip_prefix(text, _DISTRICT_PREFIXES), text):  # "Quận 1" keeps its prefix
            found = self.districts.get((province.code, match_key(form)))
            if found:
                return found
        return None

    def districts_of(self, province: Province) -> list[District]:
        return list(self._by_province[province.code])

    def suggest_district(self, province: Province, text: str) -> list[str]:
        names = {fold(d.name): d.name for d in self._by_province[province.code]}
        wanted = fold(_strip_prefix(text, _DISTRICT_PREFIXES))
        return [names[n] for n in difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)]

    def suggest_province(self, text: str) -> list[str]:
        names = {fold(p.name): p.name for p in self.provinces.values()}
        wanted = fold(_strip_prefix(text, _PROVINCE_PREFIXES))
        return [names[n] for n in difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    with open(NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        return Gazetteer(json.load(f))


def _province(code: int) -> Province:
    return gazetteer().by_code[("p", code)]


def _district(code: int) -> District:
    return gazetteer().by_code[("d", code)]
