"""Reading one record file, whatever it records: what product and showroom records share.

YAML with the line of every field, Unicode normalisation, the JSON Schema's findings in plain
words, the place (province, district, commune: `ocop.places`) and the photos next to the record. Every problem
names the file, line and field, and its words are msgids of the gettext domain "records".
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from .i18n import N_
from .model import Image
from .places import (
    AmbiguousPlace,
    CommuneNotFromDistrict,
    CommuneSpansDistricts,
    District,
    NeedsProvince,
    NoPlace,
    Note,
    Place,
    PlaceError,
    Scope,
    UnknownPlace,
    describe,
    gazetteer,
    latest_issued,
    locate,
    read_scope,
)
from .problems import Phrase, Problem, Severity, Words, phrase, problem
from .text import SLUG_LIMIT, WINDOWS_RESERVED, clean_text, printable

RECORD_SUFFIXES = (".yaml", ".yml")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

Path_ = tuple  # a field path inside a record, e.g. ("certificates", 1, "score")


class Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML loader that leaves dates as text.

    Editors read YAML 1.2, where 2021-12-24 is text; PyYAML's YAML 1.1 would turn it into
    a date and 2021-02-30 into a crash. Keeping text lets us say exactly what is wrong.
    """


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def field_name(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class RecordFile:
    """One file being read: where each field stands, and the problems found so far."""

    path: Path
    rel: str
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad: set[Path_] = field(default_factory=set)  # fields already reported

    def line(self, path: Path_) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def _add(self, found: Problem) -> None:
        # The schema check can reach one rule by several paths (a field required by more than one branch):
        # staff should read each problem once.
        if found not in self.problems:
            self.problems.append(found)

    def error(self, path: Path_, code: str, **args: Any) -> None:
        self.bad.add(path)
        self._add(problem(self.rel, self.line(path), field_name(path), code, **args))

    def warn(self, path: Path_, code: str, **args: Any) -> None:
        self._add(problem(self.rel, self.line(path), field_name(path), code, Severity.WARNING, **args))

    def whole(self, line: int, code: str, **args: Any) -> None:
        """A problem of the file as a whole (it cannot be read as a record)."""
        self._add(problem(self.rel, line, "", code, **args))

    def ok(self, path: Path_) -> bool:
        """Whether nothing has been reported at or under this field."""
        return not any(b[: len(path)] == path for b in self.bad)

    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def show(value: Any) -> str | Phrase:
    """A found value as a message quotes it."""
    if value is None:
        return phrase(N_("nothing"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        value = printable(value)
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, list):
        return phrase(N_("a list"))
    if isinstance(value, dict):
        return phrase(N_("a group of fields"))
    return str(value)


def did_you_mean(close: list[str]) -> str | Phrase:
    return phrase(N_(" Did you mean '{name}'?"), name=close[0]) if close else ""


def either(names: list[str]) -> str | Phrase:
    """ "a or b or c", in the reader's language."""
    return names[0] if len(names) == 1 else phrase(N_("{first} or {rest}"), first=names[0], rest=either(names[1:]))


# --- YAML ---------------------------------------------------------------------------

TAB_HINT = N_("a tab character is used here; YAML must be indented with spaces, not tabs")
_YAML_HINTS = (
    ("found character '\\t'", TAB_HINT),
    (
        "mapping values are not allowed",
        N_("a colon (:) stands where it cannot; if a text contains ': ', put the whole text in quotes"),
    ),
    (
        "could not find expected ':'",
        N_("a line has no colon (:) between the field name and its value, or its indentation is off"),
    ),
    ("did not find expected key", N_("the indentation is off: fields of one group must start in the same column")),
    ("found undefined alias", N_("'*' starts a YAML alias; put the text in quotes")),
    ("found unexpected end of stream", N_("a quote or bracket was opened and never closed")),
)
NOT_YAML = N_("the file is not valid YAML ({detail})")


def _yaml_hint(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str, dict[str, str]]:
    """The line of a YAML error and what to say about it."""
    mark = exc.problem_mark or exc.context_mark
    detail = f"{exc.problem or ''} {exc.context or ''}".strip()
    hint = next((h for key, h in _YAML_HINTS if key in detail), None)
    tab_at_mark = mark is not None and text[mark.index : mark.index + 1] == "\t"
    if mark and ("tab character" in detail or "cannot start any token" in detail and tab_at_mark):
        hint = TAB_HINT
    return (mark.line + 1 if mark else 1), hint or NOT_YAML, ({} if hint else {"detail": detail})


# --- limits: what a record may be, checked on the parser's events before anything is built --------
# A record is a few kilobytes, four levels deep, a hundred values. These limits are far above any real
# record and far below what exhausts the machine: YAML aliases let 300 bytes expand to billions of
# values ("billion laughs"), and nesting 100,000 deep crashes the YAML library itself.
MAX_RECORD_BYTES = 1_000_000
MAX_DEPTH = 20  # groups inside groups
MAX_VALUES = 10_000  # values of the whole record, each alias counted as what it repeats
MAX_TEXT = 20_000  # characters of one value
MAX_DIGITS = 15  # of a whole number (prices in đồng have at most 10)
_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {None, "!"} | {_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_NUMBER = re.compile(r"[-+]?(0[xob])?[0-9a-fA-F_]+")


class _Refused(Exception):
    """The file is beyond a limit: a problem of the whole file at `line`."""

    def __init__(self, line: int, code: str, **args: Any):
        super().__init__(code)
        self.line, self.code, self.args_ = line, code, args


@dataclass
class _Open:
    """A group (mapping) or list being read: how many entries it has so far, and its anchor."""

    mapping: bool
    anchor: str | None
    entries: int = 0
    size: int = 1


class _Screen:
    """Counts a record's values, depth and aliases on the parser's events, refusing what is beyond a limit."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.sizes: dict[str, int] = {}  # anchor → how many values an alias to it repeats
        self.groups: set[str] = set()  # anchors of lists and groups (not usable as a field name)
        self.total = 0

    def at_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].mapping and self.stack[-1].entries % 2 == 0

    def add(self, size: int, line: int) -> None:
        self.total += size
        if self.total > MAX_VALUES:
            raise _Refused(line, TOO_MANY_VALUES, limit=MAX_VALUES)
        if self.stack:
            self.stack[-1].entries += 1
            self.stack[-1].size += size

    def scalar(self, event: yaml.ScalarEvent, line: int) -> None:
        value = event.value
        if len(value) > MAX_TEXT:
            raise _Refused(line, TOO_LONG_TEXT, length=len(value), limit=MAX_TEXT)
        plain = not event.style and event.tag is None  # "" (libyaml) or None (PyYAML): not quoted
        if plain and len(value) > MAX_DIGITS and _NUMBER.fullmatch(value) and any(c.isdigit() for c in value):
            raise _Refused(line, TOO_MANY_DIGITS, digits=len(value), limit=MAX_DIGITS)
        if event.anchor:
            self.sizes[event.anchor] = 1
        self.add(1, line)

    def alias(self, event: yaml.AliasEvent, line: int) -> None:
        if any(o.anchor == event.anchor for o in self.stack):
            raise _Refused(line, SELF_ALIAS, anchor=event.anchor)
        if self.at_key() and event.anchor in self.groups:
            raise _Refused(line, COMPLEX_KEY)
        self.add(self.sizes.get(event.anchor or "", 1), line)

    def start(self, event: yaml.CollectionStartEvent, line: int) -> None:
        if self.at_key():
            raise _Refused(line, COMPLEX_KEY)
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(line, TOO_DEEP, limit=MAX_DEPTH)
        self.stack.append(_Open(isinstance(event, yaml.MappingStartEvent), event.anchor))

    def end(self, line: int) -> None:
        done = self.stack.pop()
        if done.anchor:
            self.sizes[done.anchor] = done.size
            self.groups.add(done.anchor)
        self.total -= done.size - 1  # its values were counted as they came; now the parent gets them all at once
        self.add(done.size, line)


TOO_MANY_VALUES = N_(
    "the record holds more than {limit} values (counting what YAML aliases (*name) repeat); a record is far smaller:"
    " remove the repetitions"
)
TOO_LONG_TEXT = N_("a value of {length} characters; at most {limit} characters are allowed in one value")
TOO_MANY_DIGITS = N_(
    "a number of {digits} digits; at most {limit} are allowed. If it is not a number, put it in quotes"
)
SELF_ALIAS = N_("the alias *{anchor} refers to the group that contains it, so it never ends; write the values out")
COMPLEX_KEY = N_("a field name must be a plain word (e.g. name:), not a list or a group ('? [a, b]')")
TOO_DEEP = N_("groups are nested more than {limit} deep; a record's fields are at most a few levels deep")
TOO_BIG = N_("the file is {size} bytes; a record is at most {limit} bytes")
YAML_TAG = N_("found the YAML tag {tag}; record values are plain texts, numbers, lists and groups, without tags")
NOTHING = N_("the file holds no fields (only '{found}'); a record is a group of fields (id:, name:, ...)")


def _screen(text: str) -> None:
    """Refuse, before composing anything, a text beyond the limits (`_Refused`); YAML errors are raised as is."""
    screen = _Screen()
    for event in yaml.parse(text, Loader=Loader):
        line = event.start_mark.line + 1
        tag = getattr(event, "tag", None)
        if tag not in _PLAIN_TAGS and not isinstance(event, (yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
            raise _Refused(line, YAML_TAG, tag=printable(str(tag)))
        if isinstance(event, yaml.ScalarEvent):
            screen.scalar(event, line)
        elif isinstance(event, yaml.AliasEvent):
            screen.alias(event, line)
        elif isinstance(event, yaml.CollectionStartEvent):
            screen.start(event, line)
        elif isinstance(event, yaml.CollectionEndEvent):
            screen.end(line)


def load(text: str) -> Any:
    """The data of a YAML text within the limits, for the tools that only glance at records (`ocop.index`);
    None when it is beyond them or not YAML. What is wrong is for `read_mapping` to say."""
    try:
        _screen(text)
        return yaml.load(text, Loader=Loader)
    except (_Refused, yaml.YAMLError, ValueError, TypeError, OverflowError, LookupError):
        return None


def _parse(rec: RecordFile, text: str, empty: str) -> tuple[bool, Any]:
    """(True, the file's data) with the line of every field noted, or (False, None) after reporting why not."""
    try:
        _screen(text)
    except _Refused as exc:
        rec.whole(exc.line, exc.code, **exc.args_)
        return False, None
    except yaml.MarkedYAMLError as exc:
        line, code, args = _yaml_hint(exc, text)
        rec.whole(line, code, **args)
        return False, None
    except yaml.YAMLError as exc:
        rec.whole(1, NOT_YAML, detail=str(exc))
        return False, None
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            rec.whole(1, empty)
            return False, None
        _index(rec, node, ())
        return True, loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        line, code, args = _yaml_hint(exc, text)
        rec.whole(line, code, **args)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, LookupError) as exc:  # !!int "x", !!bool x
        rec.whole(1, NOT_YAML, detail=printable(str(exc)))
    finally:
        loader.dispose()
    return False, None


def _index(rec: RecordFile, node: yaml.Node, path: Path_) -> None:
    """Note the line of every field, and catch a field written twice (YAML keeps the last silently)."""
    rec.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                rec.problems.append(
                    problem(
                        rec.rel,
                        line,
                        field_name(path + (key,)),
                        N_("this field is written twice (first on line {first}); keep only one"),
                        first=seen[key],
                    )
                )
            seen[key] = line
            _index(rec, value_node, path + (key,))
            rec.lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(rec, item, path + (i,))


# --- the quick reading: one parse, one walk, for the records that are plainly within the limits ---------
# Screening the parser's events, then parsing again to build the nodes, then constructing and normalising
# the data took three passes over every record. Most records are plain (no tags, no aliases, no field written
# twice, far within the limits): for them one parse by the C library gives the nodes, and one walk over them
# checks the limits, notes the lines, builds the data and cleans its texts. Whatever the walk is not sure of
# sends the file to the careful reading (`_parse`), which says what is wrong; so the results and messages
# are the careful reading's, only sooner.
QUICK_TEXT = 10_000  # characters; the C composer recurses per level of nesting, safe to 20,000 (measured)
_QUICK_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null"))


class _Unsure(Exception):
    """The quick reading cannot decide this file: the careful reading does."""


class _Quick:
    """One walk over a record's nodes: limits checked, lines noted, data built and its texts cleaned."""

    def __init__(self, loader: Loader, shared: bool) -> None:
        self.loader = loader
        self.seen: set[int] | None = set() if shared else None  # node ids, when an alias (*) may share one
        self.values = 0
        self.lines: dict[Path_, int] = {}
        self.found: dict[str, list[Path_]] = {"decomposed": [], "controls": []}
        self.data: dict = {}

    @classmethod
    def read(cls, text: str) -> _Quick | None:
        """The reading of a plain record, or None when the careful reading must decide."""
        if len(text) > QUICK_TEXT:
            return None
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            if not isinstance(node, yaml.MappingNode):
                return None
            quick = cls(loader, "*" in text)
            quick.data = quick.value(node, (), 0)
            return quick
        except (_Unsure, yaml.YAMLError, ValueError, TypeError, OverflowError, LookupError, RecursionError):
            return None
        finally:
            loader.dispose()

    def count(self, node: yaml.Node) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            raise _Unsure
        if self.seen is not None:  # a node met twice is an alias: what it repeats is for the careful reading
            if id(node) in self.seen:
                raise _Unsure
            self.seen.add(id(node))

    def scalar(self, node: yaml.Node) -> Any:
        """The value of a scalar with a plain tag, within the limits; `_Unsure` for anything else."""
        self.count(node)
        if node.tag not in _QUICK_TAGS or not isinstance(node, yaml.ScalarNode) or len(node.value) > MAX_TEXT:
            raise _Unsure
        value = node.value
        if not node.style and len(value) > MAX_DIGITS and _NUMBER.fullmatch(value) and any(c.isdigit() for c in value):
            raise _Unsure
        if node.tag == _TAG + "str":
            return value
        return self.loader.yaml_constructors[node.tag](self.loader, node)

    def value(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        """The data of a node inside `depth` groups and lists, as the careful reading would build and clean it."""
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            self.count(node)
            if node.tag != _TAG + "seq" or depth >= MAX_DEPTH:
                raise _Unsure
            return [self.value(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        value = self.scalar(node)
        return _clean(value, path, self.found) if isinstance(value, str) else value

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        self.count(node)
        if node.tag != _TAG + "map" or depth >= MAX_DEPTH:
            raise _Unsure
        data: dict = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, str) or key in data:  # a field written twice: the careful reading says so
                raise _Unsure
            data[key] = self.value(value_node, path + (key,), depth + 1)
            self.lines[path + (key,)] = key_node.start_mark.line + 1
        return data


_UPPER_SCHEME = re.compile(r"(?i)https?://")


def _scheme_lowercase(text: str) -> str:
    """HTTPS://example.vn as https://example.vn: the same address (a scheme is case-blind), in the form checked."""
    found = _UPPER_SCHEME.match(text)
    return found.group().lower() + text[found.end() :] if found and not found.group().islower() else text


def _clean(value: str, path: Path_, found: dict[str, list[Path_]]) -> str:
    """One text in NFC and without control characters, noting where either was not so."""
    cleaned = clean_text(value)
    if cleaned != value:
        found["controls"].append(path)
    fixed = unicodedata.normalize("NFC", cleaned)
    if fixed != cleaned:
        found["decomposed"].append(path)
    return _scheme_lowercase(fixed)


def _nfc_all(value: Any, path: Path_, found: dict[str, list[Path_]]) -> Any:
    """Every text in NFC and without control characters, noting where either was not so."""
    if isinstance(value, str):
        return _clean(value, path, found)
    if isinstance(value, dict):
        return {k: _nfc_all(v, path + (k,), found) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc_all(v, path + (i,), found) for i, v in enumerate(value)]
    return value


def _fields(paths: list[Path_]) -> str:
    return ", ".join(field_name(p) for p in paths[:5]) + (" ..." if len(paths) > 5 else "")


def _normalise(rec: RecordFile, data: dict) -> dict:
    """Texts in NFC, the form search and sorting expect, and free of control characters, each with a warning.

    This is the one place text is cleaned: every page, feed and report gets the cleaned text (the quick
    reading, `_Quick`, cleans each text the same way as it builds it).
    """
    found: dict[str, list[Path_]] = {"decomposed": [], "controls": []}
    data = _nfc_all(data, (), found)
    _cleaned(rec, found)
    return data


def _cleaned(rec: RecordFile, found: dict[str, list[Path_]]) -> None:
    """The warnings for texts that were cleaned: where control characters were removed, where NFC was applied."""
    if found["controls"]:
        rec.warn(
            found["controls"][0],
            N_(
                "control characters, terminal escape codes or text-direction overrides (invisible characters that"
                " change how text shows) were found in {fields} and removed; check the text"
            ),
            fields=_fields(found["controls"]),
        )
    if found["decomposed"]:
        rec.warn(
            found["decomposed"][0],
            N_(
                "Vietnamese text is typed in decomposed Unicode (tone marks as separate characters)"
                " in {fields}; it was normalised to the standard (NFC) form. Re-save the file as"
                " NFC to be safe"
            ),
            fields=_fields(found["decomposed"]),
        )


LINK_OUTSIDE = N_(
    "the file is a link to {target}, outside the {where} folder; links out of the folder are not read: put the"
    " record itself here"
)


def _plainly_inside(path: Path, root: Path) -> bool:
    """Whether `path` is written inside `root` and no folder or file on the way is a link: then it is inside
    wherever `root` itself leads. Resolving both paths looks at every folder up from `/`, twice a record."""
    top, full = str(root), str(path)
    prefix = top if top.endswith(os.sep) else top + os.sep
    if not full.startswith(prefix) or not os.path.isabs(top):
        return False
    parts = full[len(prefix) :].split(os.sep)
    at = top
    for part in parts:
        if part in ("", ".", ".."):
            return False
        at = os.path.join(at, part)
        if os.path.islink(at):
            return False
    return True


def outside(rec: RecordFile, root: Path, where: str) -> bool:
    """Whether the record is a link to a file outside `root`, after reporting it: such a file is not read.

    A link can make a build publish (or a tool rewrite) any file the builder can read."""
    if _plainly_inside(rec.path, root):
        return False
    target = rec.path.resolve()
    if root.resolve() in target.parents:
        return False
    rec.whole(1, LINK_OUTSIDE, target=printable(str(target)), where=where)
    return True


def read_mapping(rec: RecordFile, empty: str) -> dict | None:
    """The record's fields, normalised; None after reporting why the file is not a record.

    `empty` is the msgid said of an empty file, which names the fields this kind of record needs.
    """
    try:
        size = rec.path.stat().st_size
        if size > MAX_RECORD_BYTES:
            rec.whole(1, TOO_BIG, size=size, limit=MAX_RECORD_BYTES)
            return None
        text = rec.path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        rec.whole(1, N_("the file is not saved as UTF-8 text; save it again choosing the UTF-8 encoding"))
        return None
    quick = _Quick.read(text)
    if quick is not None:
        rec.lines.update(quick.lines)
        _cleaned(rec, quick.found)
        return quick.data
    return read_carefully(rec, text, empty)


def read_carefully(rec: RecordFile, text: str, empty: str) -> dict | None:
    """`read_mapping` on the file's text, event by event: what the quick reading leaves to it, and its reference."""
    parsed, data = _parse(rec, text, empty)
    if not parsed:
        return None
    if data is None:  # a file holding only `~`, `null` or `---`: no fields at all
        rec.whole(1, NOTHING, found=printable(text.strip()[:20]))
        return None
    if not isinstance(data, dict):
        rec.whole(
            1,
            N_("found {found} at the top of the file, but a record is a group of fields (id:, name:, ...)"),
            found=show(data),
        )
        return None
    return _normalise(rec, data)


# --- JSON Schema --------------------------------------------------------------------

_TYPE_WORDS = {
    "string": N_("a text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "array": N_("a list"),
    "object": N_("a group of fields"),
}
_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
FOUND_EXPECTED = N_("found {found}, but expected {expected}")

Message = tuple[str, dict[str, Any]]  # a msgid and its values


def _is_integer(_checker: Any, instance: Any) -> bool:
    """A whole number as YAML writes it: 4, not 4.0 (which JSON Schema would accept), nor true."""
    return isinstance(instance, int) and not isinstance(instance, bool)


@functools.lru_cache(maxsize=64)
def _regex(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262's, whose `$` is the end of the text; Python's `$` also matches before a
    # final line break, which let `slug: "x\n"` through.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Any:
    if isinstance(instance, str) and not _regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


StrictValidator = validators.extend(
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def strict_validator(schema: dict) -> Any:
    """The JSON Schema check every record goes through: whole numbers are whole, patterns match the whole text."""
    return StrictValidator(schema)


def has_float(value: Any) -> bool:
    """Whether a number with a decimal point is anywhere in the data (the fast check would take 4.0 for 4)."""
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(has_float(v) for v in value)
    return False


def expected(subschema: dict) -> Words | Phrase | str:
    """What a field expects, in the schema's words (`x-expected`, `x-expected-vi`) or by its type."""
    if "x-expected" in subschema:
        return Words(subschema["x-expected"], subschema.get("x-expected-vi", ""))
    kind = subschema.get("type")
    if not kind:
        return phrase(N_("another value"))
    return phrase(_TYPE_WORDS[kind]) if kind in _TYPE_WORDS else str(kind)


def _day_month_year(err: ValidationError) -> Message | None:
    value = err.instance
    if err.schema.get("x-kind") != "date" or not isinstance(value, str) or not (m := _DMY.match(value)):
        return None
    d, mth, y = (int(x) for x in m.groups())
    return (
        N_("found {found}; dates must be written year-month-day, so write {fixed}"),
        {"found": show(value), "fixed": f"{y:04d}-{mth:02d}-{d:02d}"},
    )


def _decimal_comma(err: ValidationError) -> Message | None:
    value = err.instance
    if (
        err.validator != "type"
        or err.schema.get("type") != "number"
        or not isinstance(value, str)
        or not re.fullmatch(r"\s*-?\d+,\d+\s*", value)
    ):
        return None
    return (
        N_("found {found}; write the decimal point as a dot, e.g. {fixed}"),
        {"found": show(value), "fixed": value.strip().replace(",", ".")},
    )


def _whole_number(err: ValidationError) -> Message | None:
    value = err.instance
    if err.validator != "type" or err.schema.get("type") != "integer" or not isinstance(value, float):
        return None
    if not value.is_integer() or abs(value) >= 10**MAX_DIGITS:
        return None
    return (
        N_("found {found}, a number with a decimal point, but this field takes a whole number: write {fixed}"),
        {"found": show(value), "fixed": int(value)},
    )


def _empty(err: ValidationError) -> Message | None:
    if err.validator == "minLength" and err.instance == "":
        return N_("this field is empty; write a value or remove the field"), {}
    if err.validator == "minItems" and err.instance == []:
        return N_("the list is empty; expected {expected}"), {"expected": expected(err.schema)}
    return None


def _too_long(err: ValidationError) -> Message | None:
    if err.validator != "maxLength":
        return None
    return (
        N_("found {found} ({length} characters), but at most {limit} are allowed"),
        {"found": show(err.instance), "length": len(err.instance), "limit": err.validator_value},
    )


# In this order, the first that applies says what is wrong with a value; else "found ..., but expected ...".
_VALUE_RULES: tuple[Callable[[ValidationError], Message | None], ...] = (
    _day_month_year,
    _decimal_comma,
    _whole_number,
    _empty,
    _too_long,
)


def _missing(rec: RecordFile, path: Path_, err: ValidationError) -> None:
    for name in err.validator_value:
        if isinstance(err.instance, dict) and name not in err.instance:
            field_schema = err.schema.get("properties", {}).get(name, {})
            if field_schema.get("description"):
                about = Words(field_schema["description"], field_schema.get("x-description-vi", ""))
                rec.error(
                    path + (name,),
                    N_("the field '{name}' is missing; it is required. ({about})"),
                    name=name,
                    about=about,
                )
            else:
                rec.error(path + (name,), N_("the field '{name}' is missing; it is required."), name=name)


def _unknown(rec: RecordFile, path: Path_, err: ValidationError) -> None:
    allowed = list(err.schema.get("properties", {}))
    for name in err.instance:
        if name not in allowed:
            rec.error(
                path + (name,),
                N_("'{name}' is not a field of this record.{hint} Fields allowed here: {allowed}."),
                name=printable(str(name)),
                hint=did_you_mean(difflib.get_close_matches(str(name), allowed, n=1)),
                allowed=", ".join(allowed),
            )


def _wrong_value(rec: RecordFile, path: Path_, err: ValidationError) -> None:
    said = next((m for rule in _VALUE_RULES if (m := rule(err))), None)
    code, args = said or (FOUND_EXPECTED, {"found": show(err.instance), "expected": expected(err.schema)})
    rec.error(path, code, **args)


def report_schema_errors(rec: RecordFile, validator: Any, data: dict) -> None:
    """A JSON Schema's findings in plain words, one problem per field."""
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(err.absolute_path)
        if err.validator == "required":
            _missing(rec, path, err)
        elif err.validator == "additionalProperties":
            _unknown(rec, path, err)
        else:
            _wrong_value(rec, path, err)


# --- names that become folders and addresses ----------------------------------------------

MAX_SLUG = SLUG_LIMIT
RESERVED_NAME = N_(
    "found {found}, a name Windows reserves for a device (con, prn, aux, nul, com1, lpt1...): no folder can have it;"
    " choose another"
)
FILE_NAME_SLUG = N_(
    "the file name gives the page address {found}, which cannot be used ({why}); rename the file or add a 'slug:' field"
)


def check_name(rec: RecordFile, path: Path_, value: Any, file_name: bool = False) -> None:
    """An id or page address, which becomes a folder and a web address: safe on every system.

    The schema has checked its characters and length when written in the record; a page address taken
    from the file name (`file_name`) is checked for its length here too.
    """
    if not isinstance(value, str) or not file_name and not rec.ok(path):
        return
    if file_name and (value in WINDOWS_RESERVED or len(value) > MAX_SLUG):
        why = (
            phrase(N_("a name Windows reserves for a device"))
            if value in WINDOWS_RESERVED
            else phrase(N_("{length} characters, at most {limit} are allowed"), length=len(value), limit=MAX_SLUG)
        )
        rec.error(path, FILE_NAME_SLUG, found=show(value), why=why)
    elif value in WINDOWS_RESERVED:
        rec.error(path, RESERVED_NAME, found=show(value))


# --- place and photos -----------------------------------------------------------------


ScopeLike = Any  # a Scope, or what the OCOP_SCOPE setting holds: a name, a list of names, "national", None

_SCOPES: dict[Any, Any] = {}


def _scope(value: ScopeLike) -> Scope:
    """The scope a setting names, read once per process (records are read by the thousand)."""
    if isinstance(value, Scope):
        return value
    key = tuple(value) if isinstance(value, list) else value
    if key not in _SCOPES:
        _SCOPES[key] = read_scope(value)
    return _SCOPES[key]


def _names(places: tuple) -> str:
    return ", ".join(describe(p) for p in places)


def _where(exc: PlaceError) -> str | Phrase:
    return ", ".join(exc.within) if exc.within else phrase(N_("Vietnam"))


_UNKNOWN = {
    "province": N_(
        "found {found}, which is not a province of Vietnam, neither one of the 34 since the 2025 reform nor one"
        " of the 63 before it.{hint}"
    ),
    "district": N_("found {found}, which is not a district of {where} before the 2025 reform.{hint}"),
    "commune": N_("found {found}, which is not a commune, ward or special zone of {where}.{hint}"),
}
UNKNOWN_DISTRICT_LISTED = N_(
    "found {found}, which is not a district of {where} before the 2025 reform; its districts were {districts}"
)
AMBIGUOUS = N_("found {found}, which names several places: {candidates}. Write the one meant, with its prefix")
AMBIGUOUS_UNACCENTED = N_(
    "found {found}, typed without tone marks, which can be several places: {candidates}. Write the name with"
    " its tone marks"
)
READ_AS = N_("found {found}, typed without tone marks, and read it as {read_as}; write the tone marks to be sure")
COMMUNE_KEPT = N_(
    "found {found}, which is not a commune of {district} before the 2025 reform, nor a commune formed from it"
    " since; it is shown as written"
)
SPANS_DISTRICTS = N_(
    "{commune} was formed from parts of {districts}; write `district:` to say which (the district before the"
    " 2025 reform)"
)
NOT_FROM_DISTRICT = N_(
    "{commune} was not formed from any commune of {district}; it was formed from parts of {districts}."
    " Check `district:` and `commune:`"
)
NEEDS_PROVINCE = N_("the record names no province, and the site covers {scope} (setting {setting}); write `province:`")
NO_PLACE = N_(
    "the record names no place: write `district:` (certificates before 1/7/2025) or `commune:` (certificates since)"
)
BAD_SCOPE = N_("the site's setting {setting} names {found}, which is not a province of Vietnam.{hint}")


def _close(names: tuple[str, ...]) -> str | Phrase:
    return phrase(N_(" Did you mean {close}?"), close=either(list(names))) if names else ""


def _report(rec: RecordFile, exc: PlaceError) -> None:
    """A place the record names that gives no one place, in plain words on its field."""
    path = (exc.level,)
    if isinstance(exc, NeedsProvince):
        scope = exc.scope.label() if not exc.scope.national else phrase(N_("the whole country"))
        rec.error(path, NEEDS_PROVINCE, scope=scope, setting=exc.scope.setting)
    elif isinstance(exc, NoPlace):
        rec.error(path, NO_PLACE)
    elif isinstance(exc, CommuneSpansDistricts):
        districts = either([d.full_name for d in exc.districts])
        rec.error(path, SPANS_DISTRICTS, commune=describe(exc.commune), districts=districts)
    elif isinstance(exc, CommuneNotFromDistrict):
        districts = either([d.full_name for d in exc.commune.former_districts])
        rec.error(
            path, NOT_FROM_DISTRICT, commune=describe(exc.commune), district=exc.district.full_name, districts=districts
        )
    elif isinstance(exc, AmbiguousPlace):
        code = AMBIGUOUS_UNACCENTED if exc.unaccented else AMBIGUOUS
        rec.error(path, code, found=show(exc.text), candidates=_names(exc.candidates))
    elif isinstance(exc, UnknownPlace):
        _unknown_place(rec, exc)


def _unknown_place(rec: RecordFile, exc: UnknownPlace) -> None:
    path = (exc.level,)
    if exc.level == "district" and not exc.suggestions and exc.within:
        region = [gazetteer().province(name) for name in exc.within]
        listed = ", ".join(d.name for p in region if p for d in gazetteer().districts_of(p))
        rec.error(path, UNKNOWN_DISTRICT_LISTED, found=show(exc.text), where=_where(exc), districts=listed)
        return
    rec.error(path, _UNKNOWN[exc.level], found=show(exc.text), where=_where(exc), hint=_close(exc.suggestions))


def _notes(rec: RecordFile, notes: tuple[Note, ...]) -> None:
    for note in notes:
        if note.kind == "read_as":
            rec.warn((note.field,), READ_AS, found=show(note.text), read_as=note.read_as)
        else:
            rec.warn((note.field,), COMMUNE_KEPT, found=show(note.text), district=note.read_as)


def _text(rec: RecordFile, data: dict, name: str) -> str | None:
    value = data.get(name)
    return value.strip() if isinstance(value, str) and value.strip() and rec.ok((name,)) else None


def resolve_place(rec: RecordFile, data: dict, scope: ScopeLike) -> Place | None:
    """Where the record is, on both maps (`ocop.places.locate`), or None after reporting why not.

    `scope` is the site's (`ocop.places.Scope`, or the OCOP_SCOPE setting's value).
    """
    if any(name in data and not rec.ok((name,)) for name in ("province", "district", "commune")):
        return None  # the schema already said what is wrong with them
    try:
        site_scope = _scope(scope)
    except UnknownPlace as exc:
        rec.error(("province",), BAD_SCOPE, setting="OCOP_SCOPE", found=show(exc.text), hint=_close(exc.suggestions))
        return None
    try:
        located = locate(
            _text(rec, data, "province"),
            _text(rec, data, "district"),
            _text(rec, data, "commune"),
            site_scope,
            latest_issued(data.get("certificates")),
        )
    except PlaceError as exc:
        _report(rec, exc)
        return None
    _notes(rec, located.notes)
    return located.place


def resolve_district(rec: RecordFile, data: dict, scope: ScopeLike) -> District | None:
    """The record's district in the former map, or None after reporting why (showrooms, which name one)."""
    place = resolve_place(rec, data, scope)
    return place.district if place else None


# Photos: what a phone takes is 12 to 50 megapixels and a few megabytes. Decoding needs 3 to 4 bytes a pixel,
# so a 144-megapixel photo takes 1.7 GB, and a crafted PNG of a few kilobytes can declare billions of pixels:
# the size is read from the header and checked before anything is decoded.
MAX_PHOTO_PIXELS = 64_000_000
MAX_PHOTO_BYTES = 40_000_000
MAX_PHOTO_NAME = 100  # characters; the name goes into every rendition's file name and address


def _photo_name_problem(rec: RecordFile, p: Path_, name: str) -> bool:
    if len(name) > MAX_PHOTO_NAME:
        rec.error(
            p,
            N_("the photo's name has {length} characters; at most {limit} are allowed: rename the file"),
            length=len(name),
            limit=MAX_PHOTO_NAME,
        )
        return True
    return False


def _decodes(src: Path) -> tuple[int, int]:
    """(width, height) of a photo that decodes to its end; None if damaged. Checked at a reduced scale
    where the format allows (JPEG), which reads every byte of the file at an eighth of the work."""
    from PIL import Image as PILImage

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)  # the pixels are checked here, below
        with PILImage.open(src) as im:
            im.verify()
        return _decoded_size(src)


def _decoded_size(src: Path) -> tuple[int, int]:
    from PIL import Image as PILImage

    with PILImage.open(src) as im:
        size = im.size
        if size[0] * size[1] > MAX_PHOTO_PIXELS:
            return size
        im.draft("RGB", (max(1, size[0] // 8), max(1, size[1] // 8)))
        im.load()
    return size


def _readable(rec: RecordFile, p: Path_, src: Path, name: str) -> bool:
    """Whether the photo is within the limits and decodes completely, after reporting why not."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    size = src.stat().st_size
    if size > MAX_PHOTO_BYTES:
        rec.error(
            p,
            N_("the photo {found} is {size} bytes; at most {limit} are allowed: save it smaller"),
            found=show(name),
            size=size,
            limit=MAX_PHOTO_BYTES,
        )
        return False
    try:
        dimensions = _decodes(src)
    except PILImage.DecompressionBombError:
        dimensions = (MAX_PHOTO_PIXELS, 2)  # more pixels than Pillow itself will open
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        dimensions = None
    if dimensions is None:
        rec.error(
            p, N_("the file {found} is not a readable photo (JPEG, PNG or WebP); it may be damaged"), found=show(name)
        )
        return False
    if dimensions[0] * dimensions[1] > MAX_PHOTO_PIXELS:
        rec.error(
            p,
            N_("the photo {found} has {pixels} million pixels; at most {limit} million are allowed: save it smaller"),
            found=show(name),
            pixels=dimensions[0] * dimensions[1] // 1_000_000,
            limit=MAX_PHOTO_PIXELS // 1_000_000,
        )
        return False
    return True


def _photo(rec: RecordFile, p: Path_, name: str, root: Path, where: str) -> Image | None:
    """One photo the record names, or None after reporting why it cannot be used."""
    if _photo_name_problem(rec, p, name):
        return None
    src = (rec.path.parent / name).resolve()
    if root != src.parent and root not in src.parents:
        rec.error(
            p,
            N_("the photo {found} lies outside the {where} folder; put it next to the record"),
            found=show(name),
            where=where,
        )
        return None
    if not src.is_file():
        nearby = [f.name for f in rec.path.parent.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES]
        rec.error(
            p,
            N_("the photo {found} was not found next to the record (looked for {looked}).{hint}"),
            found=show(name),
            looked=rec.rel.rsplit("/", 1)[0] + "/" + name,
            hint=did_you_mean(difflib.get_close_matches(name, nearby, n=1, cutoff=0.5)),
        )
        return None
    if not _readable(rec, p, src, name):
        return None
    return Image(src, name)


def check_photos(
    rec: RecordFile, names: list, root: Path, fieldname: str = "images", where: str = "products"
) -> tuple[Image, ...]:
    """The photos a record names: next to it, inside `root`, and readable."""
    root = root.resolve()
    found = (_photo(rec, (fieldname, i), name, root, where) for i, name in enumerate(names) if rec.ok((fieldname, i)))
    return tuple(image for image in found if image is not None)
