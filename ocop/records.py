"""Product records: YAML files → validated `Product` objects, with every problem found.

Validation runs in two passes over each file: the JSON Schema (`ocop/schemas/product.schema.json`,
the one definition of every field) checks the shape, then domain rules (star bands, real dates,
known places, GTIN check digits, photos on disk) check the meaning. Problems carry the file,
line and field so staff can go straight to the mistake.

Only the fields listed in `CONVERTERS` have reading code of their own; every other field of the
schema is copied into the model by name (`ocop.fields.simple_values`), so a new plain field
needs no code here.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import pickle
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from . import certifiers, schemas
from .certificates import STAR_BANDS, VALIDITY_MONTHS, Certificate, add_months
from .fields import model_arguments, simple_values, text_fields, text_value
from .groups import PRODUCT_SETS, resolve_group
from .i18n import N_
from .model import Listing, Offer, Producer, Product
from .places import Place, data_version, gazetteer
from .problems import Problem, Severity, phrase, problem
from .recordfile import (  # noqa: F401
    FOUND_EXPECTED,
    IMAGE_SUFFIXES,
    RECORD_SUFFIXES,
    Loader,
    Path_,
    RecordFile,
    ScopeLike,
    check_name,
    check_photos,
    expected,
    field_name,
    has_float,
    outside,
    read_mapping,
    report_schema_errors,
    resolve_place,
    show,
    strict_validator,
)
from .workers import forked_map

_Loader = Loader  # the name the tests import
_Record = RecordFile
EMPTY = N_("the file is empty; a product record needs at least id, name, group, district, producer and certificates")


def schema() -> dict:
    return schemas.load("product")


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return strict_validator(schema())


@lru_cache(maxsize=1)
def _fast_validator():
    """Compiled check for the common case of a valid record (~50x faster than jsonschema).

    jsonschema then runs only on records that fail, to list every error in plain words.
    fastjsonschema knows draft-07, which covers every keyword this schema uses.
    """
    return fastjsonschema.compile({**schema(), "$schema": "http://json-schema.org/draft-07/schema#"})


def _schema_problems(rec: RecordFile, data: dict) -> None:
    try:
        if not has_float(data):  # fastjsonschema takes 4.0 for a whole number; no field of a product is fractional
            _fast_validator()(data)
            return
    except fastjsonschema.JsonSchemaException:
        pass
    report_schema_errors(rec, _validator(), data)


def gtin_is_valid(code: str) -> bool:
    digits = [int(c) for c in code]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


# --- the fields with domain logic -------------------------------------------------------------


@dataclass
class _Reading:
    """One product record being converted: its file, its data and what the site assumes."""

    rec: RecordFile
    data: dict
    products_dir: Path
    scope: ScopeLike  # the site's scope: where records that name no province are read
    place: Place | None = None  # once read (the place converter runs before the certificates')

    def valid(self, name: str, kind: type | tuple[type, ...]) -> bool:
        """Whether the field is present, of the kind, and has no problem reported yet."""
        return isinstance(self.data.get(name), kind) and self.rec.ok((name,))


# Dates a record may hold: an OCOP certificate is of 2018 or later (a few provinces certified earlier under
# their own programmes) and lasts 36 months; a year outside is a typing mistake, and near the calendar's end
# (9997+) "36 months later" does not exist.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _date(rec: RecordFile, path: Path_, value: str | None) -> date | None:
    if value is None or not rec.ok(path):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        rec.error(
            path,
            N_("found {found}, which is not a real date; expected a date written year-month-day, e.g. 2023-12-31"),
            found=show(value),
        )
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        rec.error(
            path,
            N_("found {found}, in the year {year}; dates of records are between {first} and {last}: check the year"),
            found=show(value),
            year=day.year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
        return None
    return day


def _score_in_band(rec: RecordFile, p: Path_, c: dict) -> None:
    stars, score = c.get("stars"), c.get("score")
    if score is None or not rec.ok(p + ("score",)) or not rec.ok(p + ("stars",)) or stars not in STAR_BANDS:
        return
    lo, hi = STAR_BANDS[stars]
    if not lo <= score <= hi:
        rec.error(
            p + ("score",),
            N_(
                "found a score of {score} with {stars} stars, but a {stars}-star certificate "
                "needs {low} to {high} points"
            ),
            score=score,
            stars=stars,
            low=lo,
            high=hi,
        )


def _vn(day: date) -> str:
    """A date as messages write it, the Vietnamese way: 15/03/2027."""
    return day.strftime("%d/%m/%Y")


def _revocation(rec: RecordFile, p: Path_, value: Any) -> tuple[date | None, str | None, date | None]:
    """(the day it takes effect, the decision's number, the decision's date) of a `revoked` field."""
    path = p + ("revoked",)
    if not isinstance(value, dict):
        return _date(rec, path, value), None, None
    decided = _date(rec, path + ("date",), value.get("date"))
    effective = _date(rec, path + ("effective",), value.get("effective"))
    if decided and effective and effective < decided:
        rec.error(
            path + ("effective",),
            N_("the revocation takes effect on {effective}, before its decision of {decided}"),
            effective=_vn(effective),
            decided=_vn(decided),
        )
    number = value.get("decision")
    return effective or decided, number.strip() if isinstance(number, str) else None, decided


# The rule of the programme a certifier warning cites (keys: ocop.certifiers.rule).
_RULES = {
    certifiers.RULE_BEFORE_148: N_("before 24/02/2023 the province certified 3-star and 4-star products"),
    certifiers.RULE_148: N_(
        "from 24/02/2023 (Decision 148/QĐ-TTg) to 30/06/2025 the district certified 3-star products "
        "and the province 4-star ones"
    ),
    certifiers.RULE_REFORM: N_(
        "since 01/07/2025 (Decision 1489/QĐ-TTg; the district level was abolished) the province "
        "certifies 3-star and 4-star products"
    ),
    certifiers.RULE_CENTRAL: N_("5-star products are certified centrally, by the ministry"),
}
_ISSUER_WARNINGS = {
    "level": N_(
        "issued by {found}, but {rule}: a {stars}-star certificate of {date} should be signed by {expected}; "
        "check the decision"
    ),
    "place": N_(
        "issued by {found}, but on {date} the product's place was in {place}: the certificate should be "
        "signed by {expected}; check the decision"
    ),
    "ministry": N_(
        "issued by {found}, but on {date} the ministry was {expected} (the Ministry of Agriculture and Rural "
        "Development became the Ministry of Agriculture and Environment on 01/03/2025)"
    ),
    "unknown": N_(
        "cannot tell which body {found} is; {rule}, so a {stars}-star certificate of {date} should be signed "
        "by {expected}: write its name like that"
    ),
}


def _issuer_place(r: _Reading, on: date) -> certifiers.Place | None:
    """Where the product was on `on`, as that day's map names it; None when the record's place is unknown:
    before 1/7/2025 the former province and district, from then on the current province."""
    if r.place is None:
        return None
    if on >= certifiers.REFORM:
        return certifiers.Place(certifiers.province_on(r.place.province.name, on))
    former = r.place.district
    return certifiers.Place(certifiers.province_on(former.province.name, on), former.full_name)


def _check_issuer(r: _Reading, i: int, cert: Certificate) -> None:
    place = _issuer_place(r, cert.date)
    found = certifiers.check(cert.issuer, cert.stars, cert.date, place) if place else None
    if found is None or place is None:
        return
    district_level = certifiers.level(cert.stars, cert.date) is certifiers.Level.DISTRICT
    where = place.district if district_level and place.district else None
    r.rec.warn(
        ("certificates", i, "issuer"),
        _ISSUER_WARNINGS[found.reason],
        found=show(cert.issuer),
        rule=phrase(_RULES[found.rule]),
        stars=cert.stars,
        date=_vn(cert.date),
        expected=found.expected,
        place=where or certifiers.province_full_name(place.province),
    )


def _check_dates(rec: RecordFile, p: Path_, cert: Certificate) -> None:
    """Warnings: what is possible but unlikely enough to be a typing mistake."""
    if cert.date < certifiers.PROGRAMME_START:
        rec.warn(
            p + ("date",),
            N_("dated {date}, before the OCOP programme began (Decision 490/QĐ-TTg of 07/05/2018); check the year"),
            date=_vn(cert.date),
        )
    longest = add_months(cert.date, VALIDITY_MONTHS)
    if cert.expires_on and cert.expires_on > longest:
        months = (cert.expires_on.year - cert.date.year) * 12 + cert.expires_on.month - cert.date.month
        rec.warn(
            p + ("expires",),
            N_(
                "expires {expires}, {months} months after the decision of {date}, but a certificate is valid "
                "{valid} months (until {longest}); check the date"
            ),
            expires=_vn(cert.expires_on),
            months=months,
            date=_vn(cert.date),
            valid=VALIDITY_MONTHS,
            longest=_vn(longest),
        )
    if cert.revoked and not cert.revoked_by:
        rec.warn(
            p + ("revoked",),
            N_(
                "the revocation of {date} names no decision; write it with its number, e.g. "
                'revoked: {{date: {iso}, decision: "123/QĐ-UBND"}}'
            ),
            date=_vn(cert.revoked),
            iso=cert.revoked.isoformat(),
        )


def _certificate(rec: RecordFile, i: int, c: dict) -> Certificate | None:
    p = ("certificates", i)
    _score_in_band(rec, p, c)
    issued = _date(rec, p + ("date",), c.get("date"))
    expires = _date(rec, p + ("expires",), c.get("expires"))
    revoked, revoked_by, revoked_decided = _revocation(rec, p, c.get("revoked"))
    if issued and expires and expires <= issued:
        rec.error(
            p + ("expires",),
            N_("the expiry date {expires} is not after the decision date {issued}"),
            expires=expires,
            issued=issued,
        )
    if issued and revoked and revoked < issued:
        rec.error(
            p + ("revoked",),
            N_("the revocation date {revoked} is before the decision date {issued}"),
            revoked=revoked,
            issued=issued,
        )
    if not (rec.ok(p) and issued):
        return None
    cert = Certificate(
        c["stars"],
        c["decision"].strip(),
        issued,
        c["issuer"].strip(),
        c.get("score"),
        expires,
        revoked,
        revoked_by,
        revoked_decided if revoked_decided != revoked else None,
        index=i,
        line=rec.line(p + ("date",)),
    )
    _check_dates(rec, p, cert)
    return cert


def _certificates(r: _Reading) -> dict[str, Any]:
    if not isinstance(r.data.get("certificates"), list):
        return {"certificates": ()}
    certs = [
        (i, cert)
        for i, c in enumerate(r.data["certificates"])
        if isinstance(c, dict) and (cert := _certificate(r.rec, i, c))
    ]
    by_date: dict[date, int] = {}
    for i, cert in certs:
        _check_issuer(r, i, cert)
        if cert.date in by_date:
            r.rec.error(
                ("certificates", i, "date"),
                N_(
                    "two certificates carry the same date {date} (see "
                    "certificates[{other}]); the newest one must be clear"
                ),
                date=cert.date,
                other=by_date[cert.date],
            )
        by_date[cert.date] = i
    return {"certificates": tuple(sorted((c for _, c in certs), key=lambda c: c.date))}


def later_certificates(products: list[Product], on: date) -> list[Problem]:
    """Warnings for certificates dated after the build date `on`: they count only from their day.

    Records are read without a build date (their validation is cached across days), so whoever knows
    it (`ocop check`, the build) adds these."""
    return [
        problem(
            p.source_rel,
            c.line,
            f"certificates[{c.index}].date",
            N_("dated {date}, after the build date {build}: it will count from that day"),
            Severity.WARNING,
            date=_vn(c.date),
            build=_vn(on),
        )
        for p in products
        for c in p.certificates
        if c.date > on
    ]


def _slug(r: _Reading) -> dict[str, Any]:
    slug = r.data.get("slug") or r.rec.path.stem
    former = r.data.get("former_slugs")
    formers = [("former_slugs", i) for i in range(len(former) if isinstance(former, list) else 0)]
    for path in [("id",), ("slug",), *formers]:
        check_name(r.rec, path, _at(r.data, path))
    if "slug" not in r.data and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        check_name(r.rec, ("id",) if "id" in r.data else (), slug, file_name=True)
    elif "slug" not in r.data:
        example = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "ten-san-pham"
        r.rec.error(
            ("id",) if "id" in r.data else (),
            N_(
                "the file name {name} cannot be used as the page address; rename the file to lowercase letters,"
                " digits and hyphens (e.g. {example}.yaml) or add a 'slug:' field"
            ),
            name=repr(r.rec.path.name),
            example=example,
        )
    return {"slug": slug}


def _at(data: Any, path: Path_) -> Any:
    """The value at a field path, or None."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _group(r: _Reading) -> dict[str, Any]:
    group = pset = None
    if r.valid("group", str):
        group = resolve_group(r.data["group"])
        if group is None:
            r.rec.error(
                ("group",),
                FOUND_EXPECTED,
                found=show(r.data["group"]),
                expected=expected(schema()["properties"]["group"]),
            )
    if r.valid("product_set", int):
        pset = PRODUCT_SETS.get(r.data["product_set"])
        if group and pset and pset.group != group.key:
            r.rec.error(
                ("product_set",),
                N_(
                    "product set {number} ({name}) belongs to the {group} group, but the "
                    "record's group is {own}; sets of {own} are {first}–{last}"
                ),
                number=pset.number,
                name=pset.en,
                group=pset.group,
                own=group.key,
                first=group.sets[0],
                last=group.sets[-1],
            )
    return {"group": group, "product_set": pset}


def _place(r: _Reading) -> dict[str, Any]:
    place = r.place = resolve_place(r.rec, r.data, r.scope)
    return {"place": place, "district": place.district if place else None}


def _offer(r: _Reading) -> dict[str, Any]:
    offer = r.data.get("offer")
    if not isinstance(offer, dict):
        return {"offer": None}
    if isinstance(offer.get("gtin"), str) and r.rec.ok(("offer", "gtin")) and not gtin_is_valid(offer["gtin"]):
        r.rec.error(
            ("offer", "gtin"),
            N_("found {found}, whose last digit (the check digit) does not match; the barcode number is mistyped"),
            found=show(offer["gtin"]),
        )
    if not r.rec.ok(("offer",)):
        return {"offer": None}
    return {
        "offer": Offer(offer["price"], text_value(offer.get("unit")), offer.get("gtin"), offer.get("available", True))
    }


def _images(r: _Reading) -> dict[str, Any]:
    if not r.valid("images", list):
        return {"images": ()}
    return {"images": check_photos(r.rec, r.data["images"], r.products_dir)}


def _producer(r: _Reading) -> dict[str, Any]:
    if not r.valid("producer", dict):
        return {"producer": None}
    prod = r.data["producer"]
    return {
        "producer": Producer(
            prod["name"].strip(),
            prod["kind"],
            prod.get("address"),
            prod.get("phone"),
            prod.get("email"),
            prod.get("website"),
            prod.get("women_led"),
            prod.get("ethnic_minority_led"),
        )
    }


def _buy(r: _Reading) -> dict[str, Any]:
    items = r.data["buy"] if r.valid("buy", list) else ()
    return {"buy": tuple(Listing(b["channel"], b["url"]) for b in items)}


# The fields with domain logic, each with its converter, in the order their problems are reported.
# A converter tolerates a field with problems (a record with errors makes no product); every other
# field of the schema is copied into the model by name.
CONVERTERS: tuple[tuple[tuple[str, ...], Callable[[_Reading], dict[str, Any]]], ...] = (
    (("slug",), _slug),
    (("group", "product_set"), _group),
    (("province", "district"), _place),  # gives `place` too; `commune` is read here and copied as written
    (("certificates",), _certificates),
    (("offer",), _offer),
    (("images",), _images),
    (("producer",), _producer),
    (("buy",), _buy),
)
CONVERTED = frozenset(name for names, _ in CONVERTERS for name in names)


# --- one record ------------------------------------------------------------------------------


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
    names = data["images"] if isinstance(data, dict) and isinstance(data.get("images"), list) else []
    deps = [(str(f), _stat(f)) for f in (path.parent / n for n in names if isinstance(n, str))]
    # The folder matters only to a record missing a photo (its message suggests a photo lying there); as a
    # dependency of every record, one photo or record added to a folder re-read all its neighbours.
    if any(st is None for _, st in deps):
        deps.insert(0, (str(path.parent), _stat(path.parent)))
    return tuple(deps)


def _keys(rec: RecordFile, data: dict) -> list[tuple[str, str, str, int]]:
    slug = data.get("slug") or rec.path.stem
    keys = [
        (k, v, k, rec.line((k,) if k in data else ()))
        for k, v in (("id", data.get("id")), ("slug", slug))
        if isinstance(v, str)
    ]
    former = data["former_slugs"] if isinstance(data.get("former_slugs"), list) else []
    return keys + [
        ("slug", v, f"former_slugs[{i}]", rec.line(("former_slugs", i)))
        for i, v in enumerate(former)
        if isinstance(v, str)
    ]


def _missing_english(rec: RecordFile, data: dict) -> tuple[str, ...]:
    missing = tuple(k for k in text_fields(schema()) if data.get(k) and not data[k].get("en"))
    offer = data.get("offer")
    if offer and offer.get("unit") and not offer["unit"].get("en"):
        missing += ("offer.unit",)
    if missing:
        rec.warn(
            (missing[0].split(".")[0],),
            N_("no English for {fields}; the English page shows the Vietnamese text instead"),
            fields=", ".join(missing),
        )
    return missing


def _product(rec: RecordFile, data: dict, converted: dict[str, Any]) -> Product:
    declared, more = model_arguments(Product, {**simple_values(schema(), data, CONVERTED), **converted})
    return Product(
        **declared, source=rec.path, source_rel=rec.rel, missing_english=_missing_english(rec, data), more=more
    )


def _rel(path: Path, products_dir: Path) -> str:
    base, full = str(products_dir.parent), str(path)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if os.path.isabs(base) and full.startswith(prefix) and os.sep + ".." + os.sep not in full:
        return full[len(prefix) :].replace(os.sep, "/")  # what the line below says, without building paths
    return path.relative_to(products_dir.parent).as_posix() if products_dir.parent in path.parents else path.name


def read_record(path: Path, products_dir: Path, scope: ScopeLike) -> RecordResult:
    """Read and validate one record; `scope` is the site's (`ocop.places.Scope` or the OCOP_SCOPE setting)."""
    rec = RecordFile(path, _rel(path, products_dir))
    data = None if outside(rec, products_dir, "products") else read_mapping(rec, EMPTY)
    if data is None:
        return RecordResult(None, rec.problems, deps=_deps(path, None))
    _schema_problems(rec, data)
    keys = _keys(rec, data)
    reading = _Reading(rec, data, products_dir, scope)
    converted = {name: value for _, convert in CONVERTERS for name, value in convert(reading).items()}
    deps = _deps(path, data)
    if rec.has_errors():
        return RecordResult(None, rec.problems, keys, deps)
    return RecordResult(_product(rec, data, converted), rec.problems, keys, deps)


def record_files(products_dir: Path) -> list[Path]:
    """Every record under the folder; sub-folders are only for people, hidden ones are skipped."""
    found = []
    for folder, dirs, files in os.walk(products_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [
            os.path.join(folder, f)
            for f in files
            if not f.startswith(".") and os.path.splitext(f)[1].lower() in RECORD_SUFFIXES
        ]
    return [Path(f) for f in sorted(found)]


PARALLEL_FROM = 2000  # records; below this, starting workers costs more than it saves


def _read_share(args) -> list[RecordResult]:
    paths, products_dir, scope = args
    return [read_record(p, products_dir, scope) for p in paths]


def _read_all(paths: list[Path], products_dir: Path, scope: ScopeLike) -> list[RecordResult]:
    workers = os.cpu_count() or 1
    if workers == 1 or len(paths) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return _read_share((paths, products_dir, scope))
    gazetteer()  # load once before forking, so workers share it
    chunks = [paths[i::workers] for i in range(workers)]
    shares = forked_map(_read_share, [(c, products_dir, scope) for c in chunks], workers)
    # Put results back in file order, so messages and duplicates are reported the same way every time.
    results: list[RecordResult] = [None] * len(paths)  # type: ignore[list-item]
    for i, share in enumerate(shares):
        results[i::workers] = share
    return results


@lru_cache(maxsize=1)
def _code_version() -> str:
    """Changes whenever the code or data that validation depends on changes: a stale cache is never used."""
    h = hashlib.sha256(data_version().encode())
    for f in sorted(Path(__file__).parent.glob("*.py")) + [schemas.path(n) for n in schemas.NAMES]:
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the cache is loaded or saved.

    Unpickling 20,000 records makes about 450,000 objects; the collector, started every 700 new ones, walks
    the young ones again and again: 1.76 s of CPU to load the cache instead of 0.63 s, and 1.32 s instead of
    0.66 s to save it (measured at 20,000 records). Nothing collectable is made meanwhile.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


FREEZE_FROM = 2000  # records


def freeze_for_build(count: int) -> None:
    """The records just loaded live as long as the build: out of the collector's sight (`gc.freeze`).

    Else its full passes walk half a million record objects again and again for nothing: 2–3 s of CPU in the
    rest of a build at 20,000 records, charged to whatever code allocated at the time (the plan, the pages'
    fingerprints). A frozen object still goes when nothing refers to it; only a reference cycle that is
    already garbage at that moment stays (the preview unfreezes before each whole build). Below FREEZE_FROM
    records the passes cost little, and a process building many small sites (the tests) keeps collecting.
    """
    if count >= FREEZE_FROM:
        gc.freeze()


Entry = tuple[bytes, tuple | None, RecordResult]  # a record file's digest, its (size, mtime), its result
_MEMO: dict[str, tuple] = {}  # cache file → (key, stats of both files, token, base, entries) of this process


def _write(path: Path, value: Any) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as f, _collector_paused():
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def _same(a: Entry | None, b: Entry) -> bool:
    return a is not None and a[2] is b[2] and a[:2] == b[:2]


class RecordCache:
    """Validated records from the last build, reused when a file and what it depends on are unchanged.

    Reading and validating is ~0.5 ms a record; unpickling one is ~0.03 ms. The cache is only a
    speed-up: deleting it changes nothing but the time a build takes.

    Two files: the main one, every record of some build (key, token, entries), and beside it a delta, the
    entries that changed since (key, the main file's token, {file: entry, or None when gone}). A build that
    re-read a few records writes the delta only (a few KB), not the main file (33 MB and 0.8 s of CPU at
    20,000 records); once the delta holds a tenth of the records the main file is written again and the
    delta deleted. A delta applies only to the main file of its token (a main file written since, by a
    build that died before deleting the delta, gets a new token): each entry is checked against its file
    before use anyway, so at worst an older entry is found stale and its record read again.
    """

    DELTA_MIN = 200  # entries a delta may always hold

    def __init__(self, path: Path | None, scope: ScopeLike):
        self.path = path
        self.key = (_code_version(), repr(scope), str(path))
        self.entries: dict[str, Entry] = {}
        self._token: str | None = None  # the main file's
        self._base: dict[str, Entry] = {}  # the main file's entries: what the delta is relative to
        memo = _MEMO.get(str(path))
        if memo and memo[0] == self.key and path and self._stats() == memo[1]:
            # A long-running preview keeps the last build's records in memory: no unpickling.
            self._token, self._base, self.entries = memo[2:]
        elif path and path.is_file():
            try:
                self._load(path)
            except Exception:  # a damaged or foreign cache is simply not used
                self._token, self._base, self.entries = None, {}, {}

    def _delta(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".delta")

    def _stats(self) -> tuple:
        return (_stat(self.path), _stat(self._delta())) if self.path else ()

    def _load(self, path: Path) -> None:
        with path.open("rb") as f, _collector_paused():
            key, token, base = pickle.load(f)
            if key != self.key:
                return
            entries = dict(base)
            try:
                with self._delta().open("rb") as d:
                    delta_key, delta_token, changes = pickle.load(d)
                if (delta_key, delta_token) == (key, token):
                    entries.update(changes)
                    for name in [name for name, entry in changes.items() if entry is None]:
                        del entries[name]
            except Exception:  # no delta, or a damaged one: the main file's entries, checked as always
                entries = dict(base)
            freeze_for_build(len(entries))
        self._token, self._base, self.entries = token, base, entries

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

    def save(self, results: dict[str, Entry]) -> None:
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        base = self._base
        changes: dict[str, Entry | None] = {name: e for name, e in results.items() if not _same(base.get(name), e)}
        changes.update(dict.fromkeys(base.keys() - results.keys()))
        if self._token is not None and len(changes) <= max(self.DELTA_MIN, len(results) // 10):
            _write(self._delta(), (self.key, self._token, changes))
        else:
            self._token, self._base = os.urandom(8).hex(), results
            _write(self.path, (self.key, self._token, results))
            self._delta().unlink(missing_ok=True)
        self.entries = results
        _MEMO.clear()
        _MEMO[str(self.path)] = (self.key, self._stats(), self._token, self._base, results)


_USED_TWICE = {
    "id": N_("the id {value} is already used by {other}; every product needs its own id"),
    "slug": N_(
        "the page address (slug) {value} is already used by {other}; every product needs its own page address (slug)"
    ),
}


def _results(
    paths: list[Path], products_dir: Path, scope: ScopeLike, cache_file: Path | None
) -> tuple[list[bytes], list[RecordResult]]:
    """Each file's digest and result: from the cache when unchanged, else read (in parallel when many)."""
    cache = RecordCache(cache_file, scope)
    stats = [_stat(p) for p in paths]
    digests = [cache.digest(p, st) for p, st in zip(paths, stats)]
    found = [cache.get(p, d) for p, d in zip(paths, digests)]
    todo = [p for p, r in zip(paths, found) if r is None]
    read = _read_all(todo, products_dir, scope)
    freeze_for_build(len(read))  # a cold build's records, back from the workers
    fresh = iter(read)
    results = [r if r is not None else next(fresh) for r in found]
    fresh_entries = {str(p): (d, st, r) for p, d, st, r in zip(paths, digests, stats, results)}
    if cache_file and (
        todo
        or fresh_entries.keys() != cache.entries.keys()
        or any(cache.entries[k][:2] != v[:2] for k, v in fresh_entries.items())
    ):
        cache.save(fresh_entries)
    return digests, results


def read_records(
    products_dir: Path, scope: ScopeLike, cache_file: Path | None = None
) -> tuple[list[Product], list[Problem]]:
    """Read every record; also catch ids and slugs used twice, which no single file can see.

    `scope` is the site's: an `ocop.places.Scope`, or the OCOP_SCOPE setting's value (a province's
    name, a list of names, "national"); records that name no province are read in its province.
    """
    products: list[Product] = []
    problems: list[Problem] = []
    first: dict[tuple[str, str], str] = {}
    paths = record_files(products_dir)
    digests, results = _results(paths, products_dir, scope, cache_file)
    for path, digest, result in zip(paths, digests, results):
        problems += result.problems
        if result.product:
            result.product.digest = digest.hex()
            products.append(result.product)
        rel = _rel(path, products_dir)
        for kind, value, fieldname, line in result.keys:
            if (kind, value) in first:
                problems.append(
                    problem(rel, line, fieldname, _USED_TWICE[kind], value=repr(value), other=first[kind, value])
                )
            else:
                first[kind, value] = rel
    return products, problems
