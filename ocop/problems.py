"""Problems found in records, worded for the trade-promotion staff who fix them.

Every problem names the file, the line, the field, what was found and what was expected.
Its words come from the gettext domain "records" (English msgids in the code, translations in
`ocop/locale/<lang>/LC_MESSAGES/records.po`): a problem keeps the English template (`code`) and
its values (`args`), so it can be said again in any language with `text(lang)`. A value may
itself be words: a `Phrase` (a msgid with values) or `Words` (wording the schema gives per
language, e.g. its `x-expected` / `x-expected-vi`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .i18n import SOURCE_LANG, gettext_for


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
    return template.format(**{k: v.text(lang) if isinstance(v, (Phrase, Words)) else v for k, v in args})


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
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = "error" if self.severity is Severity.ERROR else "warning"
        field = f" field '{self.field}':" if self.field else ""
        return f"{where}: {label}:{field} {self.message}"


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


def format_report(problems: list[Problem]) -> str:
    """All problems, one per line, then a count; what `make check` and a failed build print."""
    problems = sorted(problems)
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err
    lines = [str(p) for p in problems]
    lines.append(f"{n_err} error(s), {n_warn} warning(s).")
    return "\n".join(lines)
