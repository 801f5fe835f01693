"""Opening hours in OpenStreetMap `opening_hours` syntax: a practical subset, parsed and explained.

Staff write hours the way OpenStreetMap does, so what they type can also go to OSM:

    Mo-Fr 07:30-17:00; Sa 08:00-12:00
    Mo-Su 07:30-11:30,13:30-21:00
    Mo-Sa 08:00-20:00; Su,PH off
    24/7
    off

Supported: rules separated by ';'; a day selector of days (Mo Tu We Th Fr Sa Su), ranges
(Mo-Fr, also wrapping Fr-Mo) and lists (Mo,We,Fr), and PH for public holidays; then one or
more time spans HH:MM-HH:MM separated by ',' (a span may run past midnight, 18:00-02:00),
or 'off'/'closed'. A rule without days applies every day; a later rule replaces what earlier
rules said about its days, as in OSM. Everything else of the full syntax (months, weeks,
sunrise, comments, '+', school holidays) is refused with a message saying so.

The result gives schema.org OpeningHoursSpecification objects and a short text in Vietnamese
and English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
PH = "PH"
_SCHEMA_DAYS = {
    "Mo": "Monday",
    "Tu": "Tuesday",
    "We": "Wednesday",
    "Th": "Thursday",
    "Fr": "Friday",
    "Sa": "Saturday",
    "Su": "Sunday",
    PH: "PublicHolidays",
}
_LABELS = {
    "en": {
        "Mo": "Mon",
        "Tu": "Tue",
        "We": "Wed",
        "Th": "Thu",
        "Fr": "Fri",
        "Sa": "Sat",
        "Su": "Sun",
        PH: "public holidays",
    },
    "vi": {
        "Mo": "Thứ Hai",
        "Tu": "Thứ Ba",
        "We": "Thứ Tư",
        "Th": "Thứ Năm",
        "Fr": "Thứ Sáu",
        "Sa": "Thứ Bảy",
        "Su": "Chủ nhật",
        PH: "ngày lễ",
    },
}
_WORDS = {
    "en": {
        "closed": "closed",
        "every_day": "Every day",
        "always": "Open 24 hours, every day",
        "never": "Closed",
        "and": ", ",
    },
    "vi": {
        "closed": "nghỉ",
        "every_day": "Hằng ngày",
        "always": "Mở cửa 24 giờ, tất cả các ngày",
        "never": "Đóng cửa",
        "and": ", ",
    },
}
EXAMPLE = "Mo-Fr 07:30-17:00; Sa 08:00-12:00"

_UNSUPPORTED = (
    (re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"), "months"),
    (re.compile(r"\bweek\b"), "week numbers"),
    (re.compile(r"\b(sunrise|sunset|dawn|dusk)\b"), "sunrise and sunset times"),
    (re.compile(r"\bSH\b"), "school holidays"),
    (re.compile(r'"'), "comments in quotes"),
    (re.compile(r"\+"), "open-ended times ('+')"),
    (re.compile(r"\|\|"), "fallback rules ('||')"),
    (re.compile(r"\b(unknown|open)\b"), "the words 'open' and 'unknown'"),
    (re.compile(r"\[\d"), "n-th weekdays of the month ('Su[1]')"),
    (re.compile(r"\b\d{4}\b(?!\s*[-:])"), "years"),
)


class OpeningHoursError(ValueError):
    """The text is not opening hours this parser understands; `column` is 1-based within the text."""

    def __init__(self, message: str, column: int = 0):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Span:
    opens: int  # minutes after midnight
    closes: int  # minutes after midnight, may be up to 48*60 for spans past midnight; 24*60 = midnight

    def text(self) -> str:
        return f"{_hhmm(self.opens)}–{_hhmm(self.closes % (24 * 60) if self.closes > 24 * 60 else self.closes)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class OpeningHours:
    source: str  # as written, normalised spacing
    week: dict  # day ("Mo".."Su", "PH") → tuple[Span, ...]; () is closed; a day not present is unknown (PH only)

    @property
    def always_open(self) -> bool:
        return all(self.week.get(d) == (Span(0, 24 * 60),) for d in DAYS)

    @property
    def never_open(self) -> bool:
        return all(not self.week.get(d) for d in (*DAYS, PH))

    def specification(self) -> list[dict]:
        """schema.org OpeningHoursSpecification objects, days with the same hours together.

        Closed days are left out (schema.org: a place is closed when no specification covers it);
        24 hours is written opens 00:00, closes 23:59, as schema.org recommends.
        """
        groups: dict[tuple[Span, ...], list[str]] = {}
        for day in (*DAYS, PH):
            spans = self.week.get(day)
            if spans:
                groups.setdefault(spans, []).append(day)
        out = []
        for spans, days in groups.items():
            for span in spans:
                closes = span.closes
                close_text = "23:59" if closes == 24 * 60 else _hhmm(closes % (24 * 60))
                out.append(
                    {
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": [f"https://schema.org/{_SCHEMA_DAYS[d]}" for d in days],
                        "opens": _hhmm(span.opens),
                        "closes": close_text,
                    }
                )
        return out

    def lines(self, lang: str) -> list[tuple[str, str]]:
        """(days, hours) pairs for people: consecutive days with the same hours share a line."""
        words = _WORDS[lang]
        if self.never_open:
            return [(words["never"], "")]
        if self.always_open and self.week.get(PH) in (None, (Span(0, 24 * 60),)):
            return [(words["always"], "")]
        return self._lines(lang)

    def _lines(self, lang: str) -> list[tuple[str, str]]:
        words, labels = _WORDS[lang], _LABELS[lang]
        runs: list[tuple[list[str], tuple[Span, ...]]] = []
        for day in DAYS:
            spans = self.week.get(day, ())
            if runs and runs[-1][1] == spans:
                runs[-1][0].append(day)
            else:
                runs.append(([day], spans))
        out = []
        for days, spans in runs:
            if len(days) == 7:
                label = words["every_day"]
            elif len(days) == 1:
                label = labels[days[0]]
            else:
                label = f"{labels[days[0]]}–{labels[days[-1]]}"
            out.append((label, ", ".join(s.text() for s in spans) if spans else words["closed"]))
        if PH in self.week:
            spans = self.week[PH]
            label = labels[PH]
            out.append((label[0].upper() + label[1:], ", ".join(s.text() for s in spans) if spans else words["closed"]))
        return out

    def text(self, lang: str) -> str:
        """One line: 'Mon–Fri 07:30–17:00; Sat 08:00–12:00; Sun closed'."""
        return "; ".join(f"{a} {b}".strip() for a, b in self.lines(lang))


_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_SPAN = re.compile(r"(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")
_DAY_TOKEN = re.compile(r"[A-Za-z]{2,}")


def _minutes(text: str, column: int, allow_past_midnight: bool) -> int:
    time = _TIME.fullmatch(text)
    assert time is not None  # the callers pass a group of _SPAN, which is always H:MM or HH:MM
    h, m = (int(x) for x in time.groups())
    if m > 59 or h > (48 if allow_past_midnight else 24) or (h == 24 and m and not allow_past_midnight):
        raise OpeningHoursError(f"'{text}' is not a time of day; times are written HH:MM from 00:00 to 24:00", column)
    return h * 60 + m


def _day(token: str, column: int) -> str:
    if token in DAYS or token == PH:
        return token
    fixed = token[:1].upper() + token[1:].lower()
    if fixed in DAYS or token.upper() == PH:
        raise OpeningHoursError(
            f"'{token}' must be written '{fixed if fixed in DAYS else PH}' (days are two letters, capital first)",
            column,
        )
    english = {"mon": "Mo", "tue": "Tu", "wed": "We", "thu": "Th", "fri": "Fr", "sat": "Sa", "sun": "Su"}
    hint = f"; write '{english[token[:3].lower()]}'" if token[:3].lower() in english else ""
    raise OpeningHoursError(
        f"'{token}' is not a day{hint}. Days are Mo Tu We Th Fr Sa Su, and PH for public holidays", column
    )


def _days(selector: str, offset: int) -> list[str]:
    days: list[str] = []
    pos = 0
    for part in selector.split(","):
        col = offset + pos + (len(part) - len(part.lstrip())) + 1
        part_s = part.strip()
        pos += len(part) + 1
        if not part_s:
            raise OpeningHoursError("a day is missing between two commas", col)
        if "-" in part_s:
            a, _, b = part_s.partition("-")
            a, b = a.strip(), b.strip()
            first, last = _day(a, col), _day(b, col + part_s.index("-") + 1)
            if PH in (first, last):
                raise OpeningHoursError("PH (public holidays) cannot be part of a range of days", col)
            i, j = DAYS.index(first), DAYS.index(last)
            span = range(i, j + 1) if i <= j else list(range(i, 7)) + list(range(0, j + 1))
            days += [DAYS[k] for k in span]
        else:
            days.append(_day(part_s, col))
    return days


def _spans(text: str, offset: int) -> tuple[Span, ...]:
    spans = []
    pos = 0
    for part in text.split(","):
        col = offset + pos + (len(part) - len(part.lstrip())) + 1
        part_s = part.strip()
        pos += len(part) + 1
        m = _SPAN.fullmatch(part_s)
        if not m:
            if _TIME.fullmatch(part_s):
                raise OpeningHoursError(
                    f"'{part_s}' is a time, but a closing time is missing; write opening-closing, e.g. {part_s}-17:00",
                    col,
                )
            raise OpeningHoursError(
                f"'{part_s}' is not a time span; write opening-closing times as HH:MM-HH:MM, e.g. 07:30-17:00", col
            )
        opens = _minutes(m.group(1), col, False)
        if opens == 24 * 60:
            raise OpeningHoursError(f"'{m.group(1)}' cannot open a span; the day starts at 00:00", col)
        closes = _minutes(m.group(2), col + m.start(2), True)
        if closes == opens:
            raise OpeningHoursError(f"'{part_s}' opens and closes at the same time", col)
        if closes < opens:
            closes += 24 * 60  # past midnight, e.g. 18:00-02:00
        spans.append(Span(opens, closes))
    spans.sort(key=lambda s: s.opens)
    for a, b in zip(spans, spans[1:]):
        if b.opens < a.closes:
            raise OpeningHoursError(f"the times {a.text()} and {b.text()} overlap", offset + 1)
    return tuple(spans)


_DAY_LIST = re.compile(
    r"((?:[A-Za-z]{2,}\s*(?:-\s*[A-Za-z]{2,})?\s*,\s*)*"
    r"[A-Za-z]{2,}\s*(?:-\s*[A-Za-z]{2,})?)(?=\s|$)"
)


def _check_supported(source: str) -> None:
    for rx, what in _UNSUPPORTED:
        m = rx.search(source)
        if m:
            raise OpeningHoursError(
                f"{what} are not supported here (found '{m.group(0)}'); write weekly hours like '{EXAMPLE}', "
                "with 'off' for closed days",
                m.start() + 1,
            )


def _rules(source: str) -> Iterator[tuple[str, int]]:
    """The rules between ';', each with the offset where it starts; a trailing ';' is harmless.

    A generator, so problems are raised in the order they stand in the text."""
    offset = 0
    for raw_rule in source.split(";"):
        rule = raw_rule.strip()
        start = offset + (len(raw_rule) - len(raw_rule.lstrip()))
        offset += len(raw_rule) + 1
        if not rule:
            if source.strip().endswith(";") and offset >= len(source):
                continue
            raise OpeningHoursError("a rule is empty between two ';'", start + 1)
        yield rule, start


def _rule(rule: str, start: int) -> tuple[list[str], tuple[Span, ...]]:
    """The days one rule names (every day when it names none) and their hours."""
    if rule == "24/7":
        return list(DAYS), (Span(0, 24 * 60),)
    m = _DAY_LIST.match(rule)
    if m and m.group(1).strip().lower() in ("off", "closed"):
        m = None
    days = _days(m.group(1), start) if m else list(DAYS)
    rest = rule[m.end() :] if m else rule
    rest_start = start + (m.end() if m else 0) + (len(rest) - len(rest.lstrip()))
    rest = rest.strip()
    if not rest:
        raise OpeningHoursError(f"the days '{rule}' have no hours; add times like 07:30-17:00, or 'off'", start + 1)
    if rest in ("off", "closed"):
        return days, ()
    bad = re.search(r"[A-Za-z]{2,}", rest)
    if bad and not m:
        _day(bad.group(0), rest_start + bad.start() + 1)
    return days, _spans(rest, rest_start)


def parse(text: str) -> OpeningHours:
    """Parse opening hours; raise OpeningHoursError saying what is wrong and where."""
    if not isinstance(text, str) or not text.strip():
        raise OpeningHoursError(f"no opening hours are written; write them like '{EXAMPLE}'", 1)
    source = " ".join(text.split())
    _check_supported(source)
    week: dict[str, tuple[Span, ...]] = {}
    for rule, start in _rules(source):
        days, spans = _rule(rule, start)
        for d in days:
            week[d] = spans
    for d in DAYS:
        week.setdefault(d, ())
    return OpeningHours(source, week)
