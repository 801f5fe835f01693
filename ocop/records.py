"""Product records: YAML files → validated `Product` objects, with every problem found.

Validation runs in two passes over each file: the JSON Schema shipped for editors
(`schema/product.schema.json`) checks the shape, then domain rules (star bands, real
dates, known districts, GTIN check digits, photos on disk) check the meaning. Problems
carry the file, line and field so staff can go straight to the mistake.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import multiprocessing
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml
from jsonschema import Draft202012Validator

from .certificates import STAR_BANDS, Certificate
from .groups import PRODUCT_SETS, resolve_group
from .model import Image, Listing, Offer, Producer, Product, Text
from .places import gazetteer
from .problems import Problem, Severity

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "product.schema.json"
RECORD_SUFFIXES = (".yaml", ".yml")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

Path_ = tuple  # a field path inside a record, e.g. ("certificates", 1, "score")


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """Safe YAML loader that leaves dates as text.

    Editors read YAML 1.2, where 2021-12-24 is text; PyYAML's YAML 1.1 would turn it into
    a date and 2021-02-30 into a crash. Keeping text lets us say exactly what is wrong.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


@lru_cache(maxsize=1)
def _fast_validator():
    """Compiled check for the common case of a valid record (~50x faster than jsonschema).

    jsonschema then runs only on records that fail, to list every error in plain words.
    fastjsonschema knows draft-07, which covers every keyword this schema uses.
    """
    return fastjsonschema.compile({**schema(), "$schema": "http://json-schema.org/draft-07/schema#"})


def field_name(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class _Record:
    """One file being read: its text, data and where each field stands."""

    path: Path
    rel: str
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad: set[Path_] = field(default_factory=set)  # fields already reported

    def line(self, path: Path_) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, path: Path_, message: str) -> None:
        self.bad.add(path)
        self.problems.append(Problem(self.rel, self.line(path), field_name(path), message))

    def warn(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.rel, self.line(path), field_name(path), message, Severity.WARNING))

    def ok(self, path: Path_) -> bool:
        """Whether nothing has been reported at or under this field."""
        return not any(b[: len(path)] == path for b in self.bad)


# --- YAML ---------------------------------------------------------------------------

_YAML_HINTS = (
    ("found character '\\t'", "a tab character is used here; YAML must be indented with spaces, not tabs"),
    ("mapping values are not allowed", "a colon (:) stands where it cannot; if a text contains ': ', put the whole text in quotes"),
    ("could not find expected ':'", "a line has no colon (:) between the field name and its value, or its indentation is off"),
    ("did not find expected key", "the indentation is off: fields of one group must start in the same column"),
    ("found undefined alias", "'*' starts a YAML alias; put the text in quotes"),
    ("found unexpected end of stream", "a quote or bracket was opened and never closed"),
)


def _parse(rec: _Record, text: str) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            rec.problems.append(Problem(rec.rel, 1, "", "the file is empty; a product record needs at least id, name, group, district, producer and certificates"))
            return None
        _index(rec, node, ())
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = f"{exc.problem or ''} {exc.context or ''}".strip()
        hint = next((h for key, h in _YAML_HINTS if key in detail), f"the file is not valid YAML ({detail})")
        if mark and ("tab character" in detail or "cannot start any token" in detail and text[mark.index:mark.index + 1] == "\t"):
            hint = _YAML_HINTS[0][1]
        rec.problems.append(Problem(rec.rel, mark.line + 1 if mark else 1, "", hint))
        return None
    except yaml.YAMLError as exc:
        rec.problems.append(Problem(rec.rel, 1, "", f"the file is not valid YAML ({exc})"))
        return None
    finally:
        loader.dispose()


def _index(rec: _Record, node: yaml.Node, path: Path_) -> None:
    """Note the line of every field, and catch a field written twice (YAML keeps the last silently)."""
    rec.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                rec.problems.append(Problem(rec.rel, line, field_name(path + (key,)),
                                            f"this field is written twice (first on line {seen[key]}); keep only one"))
            seen[key] = line
            _index(rec, value_node, path + (key,))
            rec.lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(rec, item, path + (i,))


# --- JSON Schema --------------------------------------------------------------------

_TYPE_WORDS = {"string": "a text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "array": "a list", "object": "a group of fields"}


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return str(value)


_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def _expected(subschema: dict) -> str:
    if "x-expected" in subschema:
        return subschema["x-expected"]
    kind = subschema.get("type")
    return _TYPE_WORDS.get(kind, str(kind)) if kind else "another value"


def _schema_problems(rec: _Record, data: dict) -> None:
    try:
        _fast_validator()(data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    report_schema_errors(rec, _validator(), data)


def report_schema_errors(rec: _Record, validator: Draft202012Validator, data: dict) -> None:
    """A JSON Schema's findings in plain words, one problem per field; shared by showroom records."""
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(err.absolute_path)
        kind, sub, value = err.validator, err.schema, err.instance
        if kind == "required":
            for name in err.validator_value:
                if isinstance(value, dict) and name not in value:
                    about = sub.get("properties", {}).get(name, {}).get("description", "")
                    rec.error(path + (name,), f"the field '{name}' is missing; it is required." + (f" ({about})" if about else ""))
        elif kind == "additionalProperties":
            allowed = list(sub.get("properties", {}))
            for name in value:
                if name not in allowed:
                    close = difflib.get_close_matches(str(name), allowed, n=1)
                    hint = f" Did you mean '{close[0]}'?" if close else ""
                    rec.error(path + (name,), f"'{name}' is not a field of this record.{hint} Fields allowed here: {', '.join(allowed)}.")
        elif sub.get("x-kind") == "date" and isinstance(value, str) and (m := _DMY.match(value)):
            d, mth, y = (int(x) for x in m.groups())
            rec.error(path, f"found {_show(value)}; dates must be written year-month-day, so write {y:04d}-{mth:02d}-{d:02d}")
        elif kind == "type" and sub.get("type") == "number" and isinstance(value, str) and re.fullmatch(r"\s*-?\d+,\d+\s*", value):
            rec.error(path, f"found {_show(value)}; write the decimal point as a dot, e.g. {value.strip().replace(',', '.')}")
        elif kind == "type":
            rec.error(path, f"found {_show(value)}, but expected {_expected(sub)}")
        elif kind == "minLength" and value == "":
            rec.error(path, "this field is empty; write a value or remove the field")
        elif kind in ("minItems",) and value == []:
            rec.error(path, f"the list is empty; expected {_expected(sub)}")
        elif kind in ("maxLength",):
            rec.error(path, f"found {_show(value)} ({len(value)} characters), but at most {err.validator_value} are allowed")
        else:
            rec.error(path, f"found {_show(value)}, but expected {_expected(sub)}")


# --- meaning ------------------------------------------------------------------------

def _nfc_all(rec: _Record, value: Any, path: Path_, decomposed: list[Path_]) -> Any:
    if isinstance(value, str):
        fixed = unicodedata.normalize("NFC", value)
        if fixed != value:
            decomposed.append(path)
        return fixed
    if isinstance(value, dict):
        return {k: _nfc_all(rec, v, path + (k,), decomposed) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc_all(rec, v, path + (i,), decomposed) for i, v in enumerate(value)]
    return value


def _date(rec: _Record, path: Path_, value: str | None) -> date | None:
    if value is None or not rec.ok(path):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        rec.error(path, f"found {_show(value)}, which is not a real date; expected a date written year-month-day, e.g. 2023-12-31")
        return None


def gtin_is_valid(code: str) -> bool:
    digits = [int(c) for c in code]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def _text(value: dict | None) -> Text | None:
    return Text(value["vi"].strip(), (value.get("en") or "").strip() or None) if value else None


def _certificates(rec: _Record, items: list) -> tuple[Certificate, ...]:
    certs: list[tuple[int, Certificate]] = []
    for i, c in enumerate(items):
        p = ("certificates", i)
        stars, score = c.get("stars"), c.get("score")
        if score is not None and rec.ok(p + ("score",)) and rec.ok(p + ("stars",)) and stars in STAR_BANDS:
            lo, hi = STAR_BANDS[stars]
            if not lo <= score <= hi:
                rec.error(p + ("score",), f"found a score of {score} with {stars} stars, but a {stars}-star certificate needs {lo} to {hi} points")
        issued = _date(rec, p + ("date",), c.get("date"))
        expires = _date(rec, p + ("expires",), c.get("expires"))
        revoked = _date(rec, p + ("revoked",), c.get("revoked"))
        if issued and expires and expires <= issued:
            rec.error(p + ("expires",), f"the expiry date {expires} is not after the decision date {issued}")
        if issued and revoked and revoked < issued:
            rec.error(p + ("revoked",), f"the revocation date {revoked} is before the decision date {issued}")
        if rec.ok(p) and issued:
            certs.append((i, Certificate(stars, c["decision"].strip(), issued, c["issuer"].strip(), score, expires, revoked)))
    by_date: dict[date, int] = {}
    for i, cert in certs:
        if cert.date in by_date:
            rec.error(("certificates", i, "date"), f"two certificates carry the same date {cert.date} (see certificates[{by_date[cert.date]}]); the newest one must be clear")
        by_date[cert.date] = i
    return tuple(sorted((c for _, c in certs), key=lambda c: c.date))


def check_photos(rec: _Record, names: list, root: Path, field: str = "images",
                 where: str = "products") -> tuple[Image, ...]:
    """The photos a record names: next to it, inside `root`, and readable. Shared by showroom records."""
    from PIL import Image as PILImage, UnidentifiedImageError

    images = []
    root = root.resolve()
    for i, name in enumerate(names):
        p = (field, i)
        if not rec.ok(p):
            continue
        src = (rec.path.parent / name).resolve()
        if root != src.parent and root not in src.parents:
            rec.error(p, f"the photo {_show(name)} lies outside the {where} folder; put it next to the record")
            continue
        if not src.is_file():
            nearby = [f.name for f in rec.path.parent.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES]
            close = difflib.get_close_matches(name, nearby, n=1, cutoff=0.5)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            looked = rec.rel.rsplit("/", 1)[0] + "/" + name
            rec.error(p, f"the photo {_show(name)} was not found next to the record (looked for {looked}).{hint}")
            continue
        try:
            with PILImage.open(src) as im:
                im.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            rec.error(p, f"the file {_show(name)} is not a readable photo (JPEG, PNG or WebP); it may be damaged")
            continue
        images.append(Image(src, name))
    return tuple(images)


def resolve_district(rec: _Record, data: dict, default_province: str):
    """The record's district in the pre-2025 map, or None after reporting why (shared by showroom records)."""
    gaz = gazetteer()
    district = None
    province_name = data.get("province") or default_province
    province = gaz.province(province_name) if isinstance(province_name, str) else None
    if province is None and rec.ok(("province",)):
        close = gaz.suggest_province(str(province_name))
        rec.error(("province",), f"found {_show(province_name)}, which is not a province of Vietnam (as before the 2025 reform)"
                  + (f". Did you mean {' or '.join(close)}?" if close else ""))
    elif province and isinstance(data.get("district"), str) and rec.ok(("district",)):
        district = gaz.district(province, data["district"])
        if district is None:
            close = gaz.suggest_district(province, data["district"])
            rec.error(("district",), f"found {_show(data['district'])}, which is not a district of {province.name}"
                      + (f". Did you mean {' or '.join(close)}?" if close else f"; its districts are {', '.join(d.name for d in gaz.districts_of(province))}")
                      + (" (district names need their tone marks)" if close and data["district"].isascii() else ""))
    return district


@dataclass
class RecordResult:
    product: Product | None  # None when the record has errors
    problems: list[Problem]
    # (kind, value, field, line) of what must be unique across records: "id", and "slug" for the
    # page address and every former address. Filled even for records with errors.
    keys: list[tuple[str, str, str, int]] = field(default_factory=list)
    # What the result depends on besides the file itself: its folder (photos added or removed)
    # and every photo it names; the record cache re-reads the record when any of them changes.
    deps: tuple[tuple[str, tuple | None], ...] = ()


def _stat(path: Path | str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _deps(path: Path, data: Any) -> tuple[tuple[str, tuple | None], ...]:
    names = data.get("images") if isinstance(data, dict) and isinstance(data.get("images"), list) else []
    files = [path.parent] + [path.parent / n for n in names if isinstance(n, str)]
    return tuple((str(f), _stat(f)) for f in files)


def read_record(path: Path, products_dir: Path, default_province: str) -> RecordResult:
    """Read and validate one record."""
    result = _read(path, products_dir, default_province)
    return result


def _read(path: Path, products_dir: Path, default_province: str) -> RecordResult:
    rel = path.relative_to(products_dir.parent).as_posix() if products_dir.parent in path.parents else path.name
    rec = _Record(path, rel)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return RecordResult(None, [Problem(rel, 1, "", "the file is not saved as UTF-8 text; save it again choosing the UTF-8 encoding")])
    data = _parse(rec, text)
    if data is None:
        return RecordResult(None, rec.problems, deps=_deps(path, None))
    if not isinstance(data, dict):
        rec.problems.append(Problem(rel, 1, "", f"found {_show(data)} at the top of the file, but a record is a group of fields (id:, name:, ...)"))
        return RecordResult(None, rec.problems)
    decomposed: list[Path_] = []
    data = _nfc_all(rec, data, (), decomposed)
    if decomposed:
        rec.warn(decomposed[0], "Vietnamese text is typed in decomposed Unicode (tone marks as separate characters) in "
                 + ", ".join(field_name(p) for p in decomposed[:5]) + (" ..." if len(decomposed) > 5 else "")
                 + "; it was normalised to the standard (NFC) form. Re-save the file as NFC to be safe")
    _schema_problems(rec, data)

    slug = data.get("slug") or path.stem
    keys = [(k, v, k, rec.line((k,) if k in data else ())) for k, v in (("id", data.get("id")), ("slug", slug)) if isinstance(v, str)]
    former = data.get("former_slugs") if isinstance(data.get("former_slugs"), list) else []
    keys += [("slug", v, f"former_slugs[{i}]", rec.line(("former_slugs", i))) for i, v in enumerate(former) if isinstance(v, str)]
    if "slug" not in data and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        rec.error(("id",) if "id" in data else (), f"the file name {path.name!r} cannot be used as the page address; rename the file to lowercase letters, digits and hyphens (e.g. {re.sub(r'[^a-z0-9]+', '-', slug.lower()).strip('-') or 'ten-san-pham'}.yaml) or add a 'slug:' field")

    group = None
    if isinstance(data.get("group"), str) and rec.ok(("group",)):
        group = resolve_group(data["group"])
        if group is None:
            rec.error(("group",), f"found {_show(data['group'])}, but expected one of food, drinks, herbal, handicrafts, ornamental, tourism (or the Vietnamese group name)")
    pset = None
    if isinstance(data.get("product_set"), int) and rec.ok(("product_set",)):
        pset = PRODUCT_SETS.get(data["product_set"])
        if group and pset and pset.group != group.key:
            rec.error(("product_set",), f"product set {pset.number} ({pset.en}) belongs to the {pset.group} group, but the record's group is {group.key}; sets of {group.key} are {group.sets[0]}–{group.sets[-1]}")

    district = resolve_district(rec, data, default_province)

    certs = _certificates(rec, data["certificates"]) if isinstance(data.get("certificates"), list) else ()

    offer = data.get("offer")
    if isinstance(offer, dict) and isinstance(offer.get("gtin"), str) and rec.ok(("offer", "gtin")) and not gtin_is_valid(offer["gtin"]):
        rec.error(("offer", "gtin"), f"found {_show(offer['gtin'])}, whose last digit (the check digit) does not match; the barcode number is mistyped")

    images = check_photos(rec, data["images"], products_dir) if isinstance(data.get("images"), list) and rec.ok(("images",)) else ()

    deps = _deps(path, data)
    if any(p.severity is Severity.ERROR for p in rec.problems):
        return RecordResult(None, rec.problems, keys, deps)

    missing_en = tuple(k for k in ("name", "summary", "description", "story") if data.get(k) and not data[k].get("en"))
    if offer and offer.get("unit") and not offer["unit"].get("en"):
        missing_en += ("offer.unit",)
    if missing_en:
        rec.warn((missing_en[0].split(".")[0],), "no English for " + ", ".join(missing_en) + "; the English page shows the Vietnamese text instead")

    prod = data["producer"]
    product = Product(
        id=data["id"],
        slug=slug,
        name=_text(data["name"]),
        group=group,
        district=district,
        producer=Producer(prod["name"].strip(), prod["kind"], prod.get("address"), prod.get("phone"), prod.get("email"),
                          prod.get("website"), prod.get("women_led"), prod.get("ethnic_minority_led")),
        certificates=certs,
        source=path,
        source_rel=rel,
        product_set=pset,
        commune=data.get("commune"),
        summary=_text(data.get("summary")),
        description=_text(data.get("description")),
        story=_text(data.get("story")),
        images=images,
        offer=Offer(offer["price"], _text(offer.get("unit")), offer.get("gtin"), offer.get("available", True)) if offer else None,
        buy=tuple(Listing(b["channel"], b["url"]) for b in data.get("buy") or ()),
        standards=tuple(s.strip() for s in data.get("standards") or ()),
        traceability=data.get("traceability"),
        showrooms=tuple(data.get("showrooms") or ()),
        former_slugs=tuple(data.get("former_slugs") or ()),
        missing_english=missing_en,
    )
    return RecordResult(product, rec.problems, keys, deps)


def record_files(products_dir: Path) -> list[Path]:
    """Every record under the folder; sub-folders are only for people, hidden ones are skipped."""
    found = []
    for folder, dirs, files in os.walk(products_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(folder, f) for f in files
                  if not f.startswith(".") and os.path.splitext(f)[1].lower() in RECORD_SUFFIXES]
    return [Path(f) for f in sorted(found)]


PARALLEL_FROM = 2000  # records; below this, starting workers costs more than it saves


def _read_share(args) -> list[RecordResult]:
    paths, products_dir, default_province = args
    return [read_record(p, products_dir, default_province) for p in paths]


def _read_all(paths: list[Path], products_dir: Path, default_province: str) -> list[RecordResult]:
    workers = os.cpu_count() or 1
    if workers == 1 or len(paths) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return _read_share((paths, products_dir, default_province))
    gazetteer()  # load once before forking, so workers share it
    chunks = [paths[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        shares = pool.map(_read_share, [(c, products_dir, default_province) for c in chunks])
    # Put results back in file order, so messages and duplicates are reported the same way every time.
    results: list[RecordResult] = [None] * len(paths)  # type: ignore[list-item]
    for i, share in enumerate(shares):
        results[i::workers] = share
    return results


@lru_cache(maxsize=1)
def _code_version() -> str:
    """Changes whenever the code or data that validation depends on changes: a stale cache is never used."""
    import vietnam_provinces

    h = hashlib.sha256(vietnam_provinces.__version__.encode())
    for f in sorted(Path(__file__).parent.glob("*.py")) + [SCHEMA_PATH]:
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


_MEMO: dict[str, tuple] = {}  # cache file → (key, its stat, entries) of this process's last build


class RecordCache:
    """Validated records from the last build, reused when a file and what it depends on are unchanged.

    Reading and validating is ~0.5 ms a record; unpickling one is ~0.1 ms. The cache is only a
    speed-up: deleting it changes nothing but the time a build takes.
    """

    def __init__(self, path: Path | None, default_province: str):
        self.path = path
        self.key = (_code_version(), default_province, str(path))
        self.entries: dict[str, tuple[bytes, tuple | None, RecordResult]] = {}
        memo = _MEMO.get(str(path))
        if memo and memo[0] == self.key and path and _stat(path) == memo[1]:
            # A long-running preview keeps the last build's records in memory: no unpickling.
            self.entries = memo[2]
        elif path and path.is_file():
            try:
                with path.open("rb") as f:
                    key, entries = pickle.load(f)
                if key == self.key:
                    self.entries = entries
            except Exception:  # a damaged or foreign cache is simply not used
                self.entries = {}

    def digest(self, path: Path, st: tuple | None) -> bytes:
        """The file's content digest; not read again when its size and time are as last time."""
        entry = self.entries.get(str(path))
        if entry and st is not None and entry[1] == st:
            return entry[0]
        return hashlib.sha1(path.read_bytes()).digest()

    def get(self, path: Path, digest: bytes) -> RecordResult | None:
        entry = self.entries.get(str(path))
        if entry and entry[0] == digest and all(_stat(f) == st for f, st in entry[2].deps):
            return entry[2]
        return None

    def save(self, results: dict[str, tuple[bytes, tuple | None, RecordResult]]) -> None:
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump((self.key, results), f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)
        _MEMO.clear()
        _MEMO[str(self.path)] = (self.key, _stat(self.path), results)


def read_records(products_dir: Path, default_province: str, cache_file: Path | None = None) -> tuple[list[Product], list[Problem]]:
    """Read every record; also catch ids and slugs used twice, which no single file can see."""
    products: list[Product] = []
    problems: list[Problem] = []
    first: dict[tuple[str, str], str] = {}
    paths = record_files(products_dir)
    cache = RecordCache(cache_file, default_province)
    stats = [_stat(p) for p in paths]
    digests = [cache.digest(p, st) for p, st in zip(paths, stats)]
    found = [cache.get(p, d) for p, d in zip(paths, digests)]
    todo = [p for p, r in zip(paths, found) if r is None]
    fresh = iter(_read_all(todo, products_dir, default_province))
    results = [r if r is not None else next(fresh) for r in found]
    fresh_entries = {str(p): (d, st, r) for p, d, st, r in zip(paths, digests, stats, results)}
    if cache_file and (todo or fresh_entries.keys() != cache.entries.keys()
                       or any(cache.entries[k][:2] != v[:2] for k, v in fresh_entries.items())):
        cache.save(fresh_entries)
    for path, digest, result in zip(paths, digests, results):
        problems += result.problems
        if result.product:
            result.product.digest = digest.hex()
            products.append(result.product)
        rel = path.relative_to(products_dir.parent).as_posix()
        for kind, value, fieldname, line in result.keys:
            what = "id" if kind == "id" else "page address (slug)"
            if (kind, value) in first:
                problems.append(Problem(rel, line, fieldname, f"the {what} {value!r} is already used by {first[kind, value]}; every product needs its own {what}"))
            else:
                first[kind, value] = rel
    return products, problems
