"""Problems found in records, worded for the trade-promotion staff who fix them.

Every problem names the file, the line, the field, what was found and what was expected.
Its words come from the gettext domain "records" (English msgids in the code, translations in
`ocop/locale/<lang>/LC_MESSAGES/records.po`): a problem keeps the English template (`code`) and
its values (`args`), so it can be said again in any language with `text(lang)`. A value may
itself be words: a `Phrase` (a msgid with values) or `Words` (wording the schema gives per
language, e.g. its `x-expected` / `x-expected-vi`).

Values are written the reader's way: a date as 15/10/2026 in Vietnamese (2026-10-15 in English), a
`Percent` with a decimal comma in Vietnamese ("12,5%"). A date the reader must type stays a string.
The report (`format_report`) speaks the language asked for; `chosen_lang` is how every command
chooses it (--lang, else OCOP_LANG, else Vietnamese).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from .i18n import DEFAULT_LANG, LANGS, SOURCE_LANG, gettext_for

LANG_ENV = "OCOP_LANG"


def chosen_lang(lang: str | None = None) -> str:
    """The language of messages: `lang`, else OCOP_LANG, else Vietnamese; an unknown one is Vietnamese."""
    chosen = (lang or os.environ.get(LANG_ENV) or DEFAULT_LANG).strip().lower()[:2]
    return chosen if chosen in LANGS else DEFAULT_LANG


class Percent(float):
    """A share (0.125) to be written as a percentage ("12.5%", "12,5%" in Vietnamese)."""


def format_date(day: date, lang: str) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if lang == "vi" else day.isoformat()


def format_percent(share: float, lang: str, digits: int = 1) -> str:
    text = f"{share * 100:.{digits}f}%"
    return text.replace(".", ",") if lang == "vi" else text


def format_value(value: Any, lang: str) -> Any:
    """A message's value as the reader writes it: dates and percentages in the language's way."""
    if isinstance(value, (Phrase, Words)):
        return value.text(lang)
    if isinstance(value, Percent):
        return format_percent(value, lang)
    if isinstance(value, date):
        return format_date(value, lang)
    return value


@dataclass(frozen=True)
class Phrase:
    """Words inside a message that are themselves a msgid of the "records" domain, with their values."""

    code: str
    args: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str) -> str:
        return _render(self.code, self.args, lang)


def phrase(code: str, **args: Any) -> Phrase:
    return Phrase(code, tuple(args.items()))


@dataclass(frozen=True)
class Words:
    """Words inside a message whose translation the data gives (the schemas), not a catalog."""

    en: str
    vi: str = ""

    def text(self, lang: str) -> str:
        return self.vi if lang == "vi" and self.vi else self.en


def _render(code: str, args: tuple[tuple[str, Any], ...], lang: str) -> str:
    template = code if lang == SOURCE_LANG else gettext_for("records", lang)(code)
    return template.format(**{k: format_value(v, lang) for k, v in args})


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # relative to the project, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    field: str  # dotted path, e.g. "certificates[1].score"; "" for the whole file
    message: str  # plain words in English: what was found, what is expected
    severity: Severity = Severity.ERROR
    code: str = dataclasses.field(default="", compare=False)  # the message's msgid in the "records" domain, "" if none
    args: tuple[tuple[str, Any], ...] = dataclasses.field(default=(), compare=False)  # the values the msgid names

    def text(self, lang: str = SOURCE_LANG) -> str:
        """The message in a language (untranslated words stay English)."""
        if not self.code or lang == SOURCE_LANG:
            return self.message
        return _render(self.code, self.args, lang)

    def __str__(self) -> str:
        return self.line_text(SOURCE_LANG)

    def line_text(self, lang: str = SOURCE_LANG) -> str:
        """The problem on one line: file:line: error: field 'x': message, in a language."""
        _ = gettext_for("cli", lang)
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = _("error") if self.severity is Severity.ERROR else _("warning")
        field = " " + _("field '{field}':").format(field=self.field) if self.field else ""
        return f"{where}: {label}:{field} {self.text(lang)}"


def problem(
    file: str, line: int, fieldname: str, code: str, severity: Severity = Severity.ERROR, **args: Any
) -> Problem:
    """A problem whose message is the msgid `code` with `args` filled in (in English)."""
    values = tuple(args.items())
    return Problem(file, line, fieldname, _render(code, values, SOURCE_LANG), severity, code, values)


class RecordsInvalid(Exception):
    """Raised when records have errors; carries every problem, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        super().__init__(f"{len(errors)} error(s) in the product records")


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def counts_line(n_errors: int, n_warnings: int, lang: str = SOURCE_LANG) -> str:
    return gettext_for("cli", lang)("{errors} error(s), {warnings} warning(s).").format(
        errors=n_errors, warnings=n_warnings
    )


def nothing_published(folder: Any, lang: str = SOURCE_LANG) -> str:
    """What a refused build says last: the published folder did not change."""
    return gettext_for("cli", lang)("Nothing was published: {folder} is unchanged.").format(folder=folder)


def format_report(problems: list[Problem], lang: str = SOURCE_LANG) -> str:
    """All problems, one per line, then a count; what `ocop check` and a failed build print.

    English unless `lang` says otherwise: callers pass `chosen_lang(...)`."""
    problems = sorted(problems)
    n_err = len(errors(problems))
    lines = [p.line_text(lang) for p in problems]
    lines.append(counts_line(n_err, len(problems) - n_err, lang))
    return "\n".join(lines)
