"""Vietnamese text helpers: NFC normalisation, ASCII folding, slugs and collation."""
from __future__ import annotations

import re
import unicodedata

# Combining marks that make a distinct letter of the Vietnamese alphabet (ă â ê ô ơ ư),
# as opposed to the five tone marks, which only matter after the letters when sorting.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # ` ? ~ ' .

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ASCII form: 'Đức Linh' → 'duc linh'. For matching and slugs."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def slugify(text: str, max_length: int = 80) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-")


def _letter(base: str, marks: str) -> str:
    for mark in _LETTER_MARKS:
        if mark in marks:
            return unicodedata.normalize("NFC", base + mark)
    return base


def sort_key(text: str) -> tuple:
    """Collation key in Vietnamese alphabetical order (a ă â b c d đ e ê …).

    Python's default order puts 'Đ' after 'Z' and 'Ă' after every plain letter, which
    scatters Vietnamese names; tones only break ties, as in a Vietnamese dictionary.
    """
    primary: list[int] = []
    tones: list[int] = []
    for ch in nfc(text).lower():
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        letter = "đ" if ch == "đ" else _letter(base, marks)
        if letter in _ORDER:
            primary.append(_ORDER[letter] + 1)
        elif base.isdigit():
            primary.append(-10 + int(base))
        elif base.isalpha():
            primary.append(100 + ord(base))
        else:
            primary.append(0)
        tones.append(next((v for m, v in _TONE_MARKS.items() if m in marks), 0))
    return (tuple(primary), tuple(tones), text)
