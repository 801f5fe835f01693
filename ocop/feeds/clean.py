"""Make record text safe for machine-read feeds: plain, valid, within the consumer's limits.

Staff paste text from Word, websites and chat apps. What would break a feed or get an item
rejected is removed here: characters XML 1.0 forbids (control characters, lone surrogates),
HTML and Markdown markup, emoji (Google and Meta reject "gimmicky" characters in titles),
runs of whitespace. Text too long for a consumer is cut at a word boundary. Every change a
reader would notice is reported as a warning naming the record's file, line and field.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import nh3

from ..problems import Problem, Severity
from ..text import nfc

ELLIPSIS = "…"

# XML 1.0 allows tab, newline, carriage return and U+0020 up; not C0 controls, not
# U+FFFE/U+FFFF and not surrogates. C1 controls (U+0080–U+009F) are legal but are
# always debris from a wrongly decoded paste, so they go too.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Between two words a removed character was often their separator (a vertical tab from Word, a
# form feed): it becomes a space there, so that words are not glued together.
_CONTROL_BETWEEN = re.compile("(?<=\\S)[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]+(?=\\S)")
# Direction controls (LRM, RLM, embeddings, overrides, isolates) come with text pasted from
# chat apps and right-to-left pages; in a title they can reorder what a shopper sees.
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u2060\ufeff]")
# Emoji and pictographs, with the joiners and selectors that glue them together.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U0001fc00-\U0001ffff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff"
    "\ufe00-\ufe0f\u200d\u20e3\U000e0000-\U000e007f]"
)
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|br|div|li|ul|ol|h[1-6]|tr|table|blockquote|hr)\b[^>]*>", re.I)
_TAG_START = re.compile(r"<[/?]?[a-zA-Z]|<!")  # what an HTML parser reads as markup ("a < b" is text)
_DECODE_ROUNDS = 4
_LOOKS_MARKED_UP = re.compile(r"[<&*_#`\[\]]|^\s*[-+] ", re.M)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*(\n\s*)+")

# Markdown syntax, removed by pattern rather than by rendering (rendering 20,000 descriptions
# through the Markdown library costs seconds; feeds only need the words).
_MD_RULES = [
    (re.compile(p, re.M), r)
    for p, r in (
        (r"!\[([^\]]*)\]\([^)]*\)", r"\1"),  # image → its alt text
        (r"\[([^\]]+)\]\([^)]*\)", r"\1"),  # link → its text
        (r"^ {0,3}#{1,6}[ \t]+", ""),  # heading marks
        (r"^ {0,3}>[ \t]?", ""),  # block quotes
        (r"^ {0,3}([-*_])( *\1){2,} *$", ""),  # horizontal rules
        (r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", ""),  # list markers
        (r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2"),  # strong
        (r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2"),  # emphasis
        (r"`+([^`]*)`+", r"\1"),  # code
        (r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1"),  # backslash escapes
    )
]


def _strip_markdown(text: str) -> str:
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text


def strip_controls(text: str | None) -> str | None:
    """Only the characters no format can carry (a space where one stood between words); else as written."""
    return _CONTROL.sub("", _CONTROL_BETWEEN.sub(" ", text)) if text else text


def _unclosed_markup(text: str) -> str:
    """A '<!--' with no '-->' after it, or a '<' that starts a tag never closed: an HTML parser would swallow
    everything after it, and the writer meant none of it as markup. The stray '<!--' goes (it says nothing);
    a stray '<' is kept as text."""
    start = text.find("<!--")
    if start >= 0 and "-->" not in text[start + 4 :]:
        text = text[:start] + " " + text[start + 4 :]
    last_open = text.rfind("<")
    if last_open >= 0 and ">" not in text[last_open:] and _TAG_START.match(text, last_open):
        text = text[:last_open] + "&lt;" + text[last_open + 1 :]
    return text


def _strip_html_once(text: str) -> str:
    text = _BLOCK_TAG.sub("\n", _unclosed_markup(text))
    text = nh3.clean(
        text, tags=set(), clean_content_tags={"style", "script", "xml", "head", "title"}, strip_comments=True
    )
    return html.unescape(text)


def _strip_html(text: str) -> str:
    """Without markup, also markup written as entities (&lt;b&gt;, &#x3C;/script&#x3E;): a consumer that
    renders the feed's text as HTML would otherwise meet real tags once it decodes them."""
    for _ in range(_DECODE_ROUNDS):
        text = _strip_html_once(text)
        if not _TAG_START.search(text):
            return text
    return _TAG_START.sub(lambda m: "‹" + m.group(0)[1:], text)  # still tags after that many rounds: defuse


@lru_cache(maxsize=65536)
def plain(text: str | None, markdown_source: bool = False, single_line: bool = True) -> str:
    """Plain text: no markup, no control characters, no emoji, tidy whitespace, NFC."""
    if not text:
        return ""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _BIDI.sub(" ", _CONTROL.sub(" ", text))  # a space, not nothing: never glue two words together
    if _LOOKS_MARKED_UP.search(text):
        if markdown_source:
            text = _strip_markdown(text)
        if "<" in text or "&" in text:
            text = _strip_html(text)
        text = _BIDI.sub(" ", _CONTROL.sub(" ", text))  # entities such as &#1; can bring some back
    text = _EMOJI.sub("", text)
    if single_line:
        return _SPACES.sub(" ", text.replace("\n", " ")).strip()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS)]
    space = max(room.rfind(" "), room.rfind("\n"))
    if space >= limit // 2:  # a boundary not too far back; else cut inside the long word
        room = room[:space]
    return room.rstrip(" \n,;:.-–—(") + ELLIPSIS


@lru_cache(maxsize=4096)
def _field_lines(source: str) -> dict[str, int]:
    """Line of each top-level field of a record file, for warnings."""
    found: dict[str, int] = {}
    try:
        lines = Path(source).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return found
    for number, line in enumerate(lines, 1):
        m = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if m and m.group(1) not in found:
            found[m.group(1)] = number
    return found


def field_line(source: Path | str, field: str) -> int:
    return _field_lines(str(source)).get(field.split(".")[0].split("[")[0], 1)


class Cleaner:
    """Cleans the text of one consumer's feed and collects warnings, once per record and field."""

    def __init__(self, consumer: str):
        self.consumer = consumer
        self.problems: list[Problem] = []
        self.without_photo: list = []  # products whose feed items have no image
        self.untranslated: list = []  # products left out of a feed in a language their name is not written in
        self._seen: set[tuple[str, str, str]] = set()
        # When a list, every warning is also noted here as (field, message), even one said before: what one
        # row raised, kept with the row so that a build that reuses it says the same
        self.heard: list[tuple[str, str]] | None = None

    def text(
        self,
        product,
        field: str,
        raw: str | None,
        limit: int,
        *,
        markdown_source: bool = False,
        single_line: bool = True,
    ) -> str:
        cleaned = plain(raw, markdown_source, single_line)
        notes = []
        if raw and (_CONTROL.search(raw) or _BIDI.search(raw)):
            notes.append("control characters were removed")
        if raw and _EMOJI.search(raw):
            notes.append("emoji were removed")
        if raw and "<" in raw and re.search(r"<\s*/?[a-zA-Z!]", raw):
            notes.append("HTML markup was removed")
        if len(cleaned) > limit:
            notes.append(
                f"it is {len(cleaned)} characters long but the {self.consumer} take at most {limit}, "
                f"so it was cut at a word boundary"
            )
            cleaned = cut(cleaned, limit)
        if notes:
            shown = " ".join(cleaned.split())
            self.warn(
                product,
                field,
                "; ".join(notes) + f" (the feed carries: '{shown[:80]}" + ("...'" if len(shown) > 80 else "'") + ")",
            )
        return cleaned

    def warn(self, product, field: str, message: str) -> None:
        if self.heard is not None:
            self.heard.append((field, message))
        key = (product.source_rel, field, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.problems.append(
            Problem(
                product.source_rel,
                field_line(product.source, field),
                field,
                f"in the {self.consumer}: {message}",
                Severity.WARNING,
            )
        )
