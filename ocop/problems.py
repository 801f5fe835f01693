"""Problems found in records, worded for the trade-promotion staff who fix them.

Every problem names the file, the line, the field, what was found and what was expected.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # relative to the project, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    field: str  # dotted path, e.g. "certificates[1].score"; "" for the whole file
    message: str  # plain words: what was found, what is expected
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = "error" if self.severity is Severity.ERROR else "warning"
        field = f" field '{self.field}':" if self.field else ""
        return f"{where}: {label}:{field} {self.message}"


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
