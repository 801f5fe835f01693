"""Writing product records for staff: new records, and certificates added to existing ones.

New records are written as plain text in the style of the sample records (schema line for
editors first, quoted texts, dates year-month-day). Existing records are changed through a
round-trip YAML parser (ruamel.yaml) that keeps every comment, quote style and field order
staff wrote by hand: a renewal appends one certificate, a revocation adds one `revoked:`
line; nothing else in the file moves.

Every file is validated by `ocop.records.read_record` before it replaces anything: the new
text goes to a hidden file beside the record, is read back, and only if every file of the
change is valid are they all moved into place. Otherwise nothing is written.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import certifiers
from .index import Entry, Index, name_key
from .places import District, Place, Province
from .problems import Problem, Severity
from .records import read_record
from .text import SLUG_LIMIT, slugify, unsafe_name

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/product.schema.json"


# --- where a new record goes --------------------------------------------------------


def _initials(text: str) -> str:
    return "".join(w[0] for w in name_key(text).split())


def record_id_prefix(where: District | Place, issued: date | None = None) -> str:
    """The prefix of a new record's id, named after the place its certificate names (as the sample ids).

    Before 1/7/2025 (or without a date): the former province's and district's initials, 'bt-dl' for Đức
    Linh, Bình Thuận. Since: the current province's and the commune's, 'ld-dg' for Xã Đông Giang, Lâm Đồng
    (the former district's when the commune is not known). Ids are only ever given to new records: an
    existing record keeps its id whatever map it is read on, since ids are what links and feeds cite."""
    district = where.district if isinstance(where, Place) else where
    if issued is None or issued < certifiers.REFORM:
        return f"{_initials(district.province.name)}-{_initials(district.name)}"
    commune = where.commune if isinstance(where, Place) else None
    current = where.province if isinstance(where, Place) else district.current_province
    return f"{_initials(current.name)}-{_initials(commune.name if commune else district.name)}"


def record_folder(where: District | Place) -> str:
    """The folder of products/ a new record is filed in: its current province's ("lam-dong" for a product of
    former Bình Thuận, "dong-nai" for one of former Bình Phước). A product's page address comes from its
    file's name, never its folder, so records filed before (one folder per former district) stay where they are."""
    current = where.province if isinstance(where, Place) else where.current_province
    return current.slug


def unique_slug(name: str, district: District, index: Index, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A free page address from the name: the name's, else with the district's, else numbered (never running
    out: 100 products of one name in a district ended in a traceback), at most SLUG_LIMIT characters and
    never a name Windows reserves (`ocop.text.unsafe_name`), so the record written passes `ocop check`."""
    base = slugify(name) or "san-pham"
    numbered = (f"-{district.slug}-{i}" for i in itertools.count(2))
    for suffix in itertools.chain(["", f"-{district.slug}"], numbered):
        slug = base[: SLUG_LIMIT - len(suffix)].rstrip("-") + suffix
        if slug not in index.slugs and slug not in taken and not unsafe_name(slug, SLUG_LIMIT):
            return slug
    raise AssertionError("unreachable: the numbered addresses never end")


def default_issuer(stars: int, issued: date, where: District | Place) -> str:
    """The body that certifies `stars` on `issued` for a product made at `where` (a former district, or a
    place on both maps), by its real name on that day (`ocop.certifiers`): the former province and district
    before the reform, the current province since. Staff can always say otherwise (--issuer)."""
    district = where.district if isinstance(where, Place) else where
    if issued < certifiers.REFORM:
        province = certifiers.province_on(district.province.name, issued)
        return certifiers.certifier(stars, issued, certifiers.Place(province, district.full_name))
    current = where.province if isinstance(where, Place) else district.current_province
    return certifiers.certifier(stars, issued, certifiers.Place(current.name))


# --- the certificate a change adds ----------------------------------------------------


def certificate_draft(
    stars: int,
    decision: str,
    issued: date,
    district: District | Place | None,
    score: int | None = None,
    issuer: str | None = None,
) -> dict[str, Any]:
    """The certificate `ocop new`, `ocop renew` and `ocop import` write: the one place that builds it.

    Keys in the order the records write them (`score` only when known); without an `issuer`, the body
    that certifies `stars` on `issued` in `district` (`default_issuer`)."""
    cert: dict[str, Any] = {"stars": stars}
    if score is not None:
        cert["score"] = score
    if not issuer:
        if district is None:
            raise ValueError("a certificate without an issuer needs the product's district")
        issuer = default_issuer(stars, issued, district)
    cert.update(decision=decision, date=issued, issuer=issuer)
    return cert


# --- new records --------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def certificate_lines(cert: dict[str, Any], indent: str = "  ") -> list[str]:
    lines = []
    for i, (k, v) in enumerate(cert.items()):
        lead = f"{indent}- " if i == 0 else f"{indent}  "
        if isinstance(v, date):
            v = v.isoformat()
        elif isinstance(v, str):
            v = _q(v)
        lines.append(f"{lead}{k}: {v}")
    return lines


@dataclass
class NewProduct:
    id: str
    slug: str
    name: str
    place: Place | District  # where it is made; a bare District is a pre-reform place without a commune
    producer: str
    kind: str
    group: str
    certificate: dict[str, Any]  # stars, score?, decision, date, issuer
    name_en: str | None = None
    product_set: int | None = None
    default: Province | None = None  # the site's province: `province:` is written when the product is elsewhere
    guessed: tuple[str, ...] = ()  # fields guessed from the names; a comment asks staff to check them
    commune: str | None = None  # the commune as the certificate or the table writes it
    address: str | None = None  # the producer's address

    @property
    def district(self) -> District:
        return self.place.district if isinstance(self.place, Place) else self.place


GUESS_NOTE = "  # ocop đoán từ tên: kiểm tra lại"


def record_text(p: NewProduct) -> str:
    name = f"{{vi: {_q(p.name)}" + (f", en: {_q(p.name_en)}}}" if p.name_en else "}")
    lines = [
        SCHEMA_LINE,
        f"id: {p.id}",
        f"name: {name}",
        f"group: {p.group}" + (GUESS_NOTE if "group" in p.guessed else ""),
    ]
    if p.product_set:
        lines.append(f"product_set: {p.product_set}" + (GUESS_NOTE if "group" in p.guessed else ""))
    lines += [f"{k}: {_q(v)}" for k, v in place_fields(p)]
    lines += ["producer:", f"  name: {_q(p.producer)}"]
    if p.address:
        lines.append(f"  address: {_q(p.address)}")
    lines += [f"  kind: {p.kind}" + (GUESS_NOTE if "kind" in p.guessed else ""), "certificates:"]
    lines += certificate_lines(p.certificate)
    return "\n".join(lines) + "\n"


def place_fields(p: NewProduct) -> list[tuple[str, str]]:
    """The place a new record names, as its certificate does (`ocop.places.locate` reads it back).

    Before the reform: the former province (when not the site's), the district, and the commune as written.
    Since: the current province (when not the site's) and the current commune, ward or special zone; the
    former district too only when the commune was formed from several (else the record would be ambiguous),
    or when the commune is not known on the current map."""
    district = p.district
    place = p.place if isinstance(p.place, Place) else None
    current = place.province if place else district.current_province
    post = str(p.certificate.get("date")) >= certifiers.REFORM.isoformat()
    commune = place.commune if place else None
    fields: list[tuple[str, str]] = []
    if current is not p.default:
        fields.append(("province", current.name if post else district.province.name))
    if post and commune is not None:
        if len(commune.former_districts) > 1:
            fields.append(("district", district.name))
        fields.append(("commune", commune.full_name))
        return fields
    fields.append(("district", district.name))
    written = p.commune or (place.commune_text if place else None)
    if written:
        fields.append(("commune", written))
    return fields


# --- changing existing records (round trip) -----------------------------------------


def _yaml(text: str):
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap long lines
    m = re.search(r"^( *)certificates:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*( *)-( +)", text, re.MULTILINE)
    offset, sequence = 2, 4
    if m:
        offset = max(0, len(m.group(2)) - len(m.group(1)))
        sequence = offset + 1 + len(m.group(3))
    mp = re.search(r"^( *)producer:[ \t]*\n( +)\S", text, re.MULTILINE)
    mapping = len(mp.group(2)) - len(mp.group(1)) if mp and len(mp.group(2)) > len(mp.group(1)) else 2
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


def _like(example: Any, value: Any) -> Any:
    """A new value written in the same quote style as its neighbour."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(value, date):
        if isinstance(example, (DoubleQuotedScalarString, SingleQuotedScalarString)):
            return type(example)(value.isoformat())
        return value
    if isinstance(value, str) and isinstance(example, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        return type(example)(value)
    return value


def _split_trailing(mapping, key) -> str | None:
    """Detach the comment lines and blank lines that follow `key` (they belong to what comes next)."""
    items = getattr(mapping, "ca", None) and mapping.ca.items.get(key)
    if not items or len(items) < 3 or items[2] is None:
        return None
    token = items[2]
    value = token.value
    cut = value.find("\n")
    if cut < 0 or cut == len(value) - 1:
        return None
    token.value = value[: cut + 1]
    return value[cut + 1 :]


def _attach_trailing(mapping, key, rest: str | None) -> None:
    if not rest:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    items = mapping.ca.items.setdefault(key, [None, None, None, None])
    if items[2] is None:
        items[2] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        value = items[2].value
        items[2].value = value + ("" if value.endswith("\n") else "\n") + rest


def _last_key(mapping):
    return list(mapping)[-1] if len(mapping) else None


def append_certificate(text: str, cert: dict[str, Any]) -> str:
    """The record's text with one more certificate at the end of its history."""
    from ruamel.yaml.comments import CommentedMap

    y = _yaml(text)
    data = y.load(text)
    certs = data["certificates"]
    last = certs[-1] if len(certs) else None
    new = CommentedMap()
    for k, v in cert.items():
        new[k] = _like(last.get(k if k in last else "decision") if isinstance(last, dict) else None, v)
    if isinstance(last, CommentedMap) and last.fa.flow_style():
        new.fa.set_flow_style()
    rest = (
        _split_trailing(last, _last_key(last)) if isinstance(last, CommentedMap) and not last.fa.flow_style() else None
    )
    certs.append(new)
    _attach_trailing(new, _last_key(new), rest)
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def current_index(data) -> int:
    """Index of the current certificate: the newest by date (the record keeps them in any order)."""
    certs = data["certificates"]
    return max(range(len(certs)), key=lambda i: str(certs[i].get("date")))


def set_revoked(text: str, on: date, note: str | None = None, decision: str | None = None) -> str:
    """The record's text with its current certificate revoked by the decision `decision` of `on`.

    With `decision`, the revocation is written in full (`revoked: {date: …, decision: "…"}`); without it,
    as a date alone, which `ocop check` warns about. `note` becomes a comment either way."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    y = _yaml(text)
    data = y.load(text)
    cert = data["certificates"][current_index(data)]
    if "revoked" in cert:
        raise ValueError("already revoked")
    flow = cert.fa.flow_style()
    rest = None if flow else _split_trailing(cert, _last_key(cert))
    day = _like(cert.get("date"), on)
    if decision:
        # Quoted whatever the record's style: a decision number may hold characters YAML reads otherwise.
        revocation = CommentedMap(date=day, decision=DoubleQuotedScalarString(decision))
        revocation.fa.set_flow_style()  # one line, as a certificate's other fields
        cert["revoked"] = revocation
    else:
        cert["revoked"] = day
    if note and not flow:
        cert.yaml_add_eol_comment("# " + note, "revoked")
    _attach_trailing(cert, "revoked", rest)
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def record_data(text: str):
    return _yaml(text).load(text)


# --- writing, all or nothing --------------------------------------------------------


@dataclass
class Change:
    path: Path  # final place of the record
    text: str
    created: bool


def _tmp_for(path: Path) -> Path:
    # Same folder (photos resolve) and same stem (the slug), but a suffix no build reads.
    return path.with_suffix(".ocop-new")


def write_all(changes: list[Change], products_dir: Path, scope: Any) -> list[Problem]:
    """Validate every changed record; move them all into place only if none has an error.

    Returns the problems found (warnings included). On any error nothing is written.
    """
    problems: list[Problem] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for ch in changes:
            if ch.created and ch.path.exists():
                rel = ch.path.relative_to(products_dir.parent).as_posix()
                problems.append(Problem(rel, 0, "", f"the file {rel} already exists; it was not overwritten"))
                continue
            ch.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = _tmp_for(ch.path)
            tmp.write_text(ch.text, encoding="utf-8")
            staged.append((tmp, ch.path))
            result = read_record(tmp, products_dir, scope)
            real = (
                ch.path.relative_to(products_dir.parent).as_posix()
                if products_dir.parent in ch.path.parents
                else ch.path.name
            )
            for pr in result.problems:
                problems.append(replace(pr, file=real))  # keeps code and args: it can still be said in Vietnamese
        if any(p.severity is Severity.ERROR for p in problems):
            return problems
        for tmp, final in staged:
            os.replace(tmp, final)
        staged = []
        return problems
    finally:
        for tmp, final in staged:
            tmp.unlink(missing_ok=True)
            if not any(final.parent.iterdir()):
                final.parent.rmdir()


def apply_plan(plan, products_dir: Path, scope: Any) -> tuple[list[Change], list[Problem]]:
    """Write what an import plan says, in the site's `scope` (`ocop.places.Scope` or the OCOP_SCOPE setting):
    each new record with its place on the certificate's map, its commune and the producer's address.
    Refuses (writes nothing) if the plan or any record is invalid."""
    from .places import read_scope

    default = read_scope(scope).default
    if not plan.valid:
        raise ValueError("the plan has problems; nothing can be written")
    changes: list[Change] = []
    for rec in plan.new:
        written = rec.place
        p = NewProduct(
            rec.id,
            rec.slug,
            rec.name,
            rec.located or rec.district,
            rec.producer,
            rec.kind,
            rec.group,
            rec.certificate,
            product_set=rec.product_set,
            default=default,
            guessed=rec.guessed,
            commune=written.commune if written else None,
            address=written.address if written else None,
        )
        changes.append(Change(products_dir / rec.folder / f"{rec.slug}.yaml", record_text(p), True))
    texts: dict[Path, str] = {}
    for c in plan.certificates:
        path = c.entry.path
        texts[path] = append_certificate(texts.get(path) or path.read_text(encoding="utf-8-sig"), c.certificate)
    changes += [Change(path, text, False) for path, text in texts.items()]
    problems = write_all(changes, products_dir, scope)
    return changes, problems


def find_record(index: Index, key: str) -> Entry | None:
    """A record by id, slug or file name."""
    return (
        index.by_id.get(key)
        or index.slugs.get(key)
        or next((e for e in index.entries if e.path.name == key or e.path.stem == key), None)
    )
