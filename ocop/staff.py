"""The staff commands of `ocop`: new, import, renew, revoke, report.

Thin: each command reads options (or asks), calls the pure modules (decisions, authoring,
report) and prints their result in the chosen language (messages). Exit codes: 0 done,
1 bad input (nothing written), 2 usage error.

Every command works on a site folder: `args.site` (an `ocop.settings.Site`, set by the command
line) gives the products folder and the province; `--products` and `--province` override them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import messages
from .i18n import LANGS
from .messages import t, where
from .settings import Site, value

if TYPE_CHECKING:
    from .index import Index


def _out(text: str = "") -> None:
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `ocop report | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the site folder ------------------------------------------------------------------


def _site(args: argparse.Namespace) -> Site:
    return args.site  # set by ocop.cli.run before any command runs


def _products(args: argparse.Namespace) -> Path:
    return Path(args.products).resolve() if args.products else _site(args).products_path


def scope_label(scope) -> str:
    """The scope as staff read it: "Tỉnh Lâm Đồng", or "the whole country"."""
    return t("whole_country") if scope.national else scope.label()


def _scope(args: argparse.Namespace):
    """The site's scope (`ocop.places.Scope`): records that name no province are read in its province."""
    return _site(args).scope


def _index(args: argparse.Namespace, products: Path) -> Index:
    """The light index of the products folder, cached in the site's cache (beside another products folder)."""
    from .index import build_index

    return build_index(products, cache_dir=None if args.products else _site(args).cache_path)


def _today() -> date:
    from .catalogue import build_date_from_env

    return build_date_from_env(None)


def _parse_day(text: str | None) -> date | None | str:
    if text is None:
        return None
    if text.strip().lower() in ("today", "hom-nay", "hôm nay", "homnay", "hôm-nay"):
        return _today()
    from .decisions import parse_date

    return parse_date(text)


def _print_problems(problems) -> None:
    from .problems import format_report

    _err(format_report(problems, messages.lang()))


def _bad_value(option: str, found: Any, expected_key: str, **kw: Any) -> str:
    return t("bad_value", what=option, found=found, expected=t(expected_key, **kw))


def _refuse(errors: list[str]) -> int:
    for e in errors:
        _err(e)
    return 1


def _write(changes, products: Path, scope) -> bool:
    """Write the changed records all or nothing; False (after saying why) if any record would be invalid."""
    from .authoring import write_all
    from .problems import errors as only_errors

    problems = write_all(changes, products, scope)
    if only_errors(problems):
        _err(t("records_invalid"))
        _print_problems(problems)
        return False
    return True


def _rel(path: Path, products: Path) -> str:
    try:
        return path.resolve().relative_to(products.parent).as_posix()
    except ValueError:
        return str(path)


# --- new ----------------------------------------------------------------------------


def _ask(args, key: str, default: str | None = None) -> str | None:
    if not args.interactive:
        return default
    prompt = t(key) + (f" [{default}]" if default else "") + ": "
    try:
        answer = input(prompt).strip()
    except EOFError:
        return default
    return answer or default


# What `ocop new` needs, and the option that gives each.
NEW_OPTIONS = {
    "name": "--name",
    "producer": "--producer",
    "kind": "--kind",
    "group": "--group",
    "stars": "--stars",
    "decision": "--decision",
    "date": "--date",
}


def _gather(args, values: dict[str, Any]) -> list[str]:
    """Fill in what the options left out: guessed from the names, else asked. Returns the fields guessed."""
    for key, ask in (("name", "ask_name"), ("producer", "ask_producer")):
        if not values.get(key):
            values[key] = _ask(args, ask)
    if values.get("name") and not values.get("name_en") and args.interactive:
        values["name_en"] = _ask(args, "ask_name_en")
    guessed = _guess_kind(args, values) + _guess_group(args, values)
    for key, ask in (("stars", "ask_stars"), ("score", "ask_score"), ("decision", "ask_decision")):
        if values.get(key) in (None, ""):
            values[key] = _ask(args, ask)
    if not values.get("date"):
        values["date"] = _ask(args, "ask_date", _today().strftime("%d/%m/%Y"))
    return guessed


def _guess_kind(args, values: dict[str, Any]) -> list[str]:
    from .decisions import producer_kind

    if values.get("kind") or not values.get("producer"):
        return []
    values["kind"] = producer_kind(values["producer"])
    if values["kind"]:
        return ["kind"]
    values["kind"] = _ask(args, "ask_kind")
    return []


def _guess_group(args, values: dict[str, Any]) -> list[str]:
    from .decisions import guess_group

    if values.get("group") or not values.get("name"):
        return []
    guess = guess_group(values["name"])
    if guess is None:
        values["group"] = _ask(args, "ask_group")
        return []
    values["group"], values["product_set"] = guess[0], values.get("product_set") or guess[1]
    return ["group"]


@dataclass
class _NewValues:
    """The options of `ocop new`, parsed."""

    stars: int
    score: int | None
    issued: date
    kind: str
    group: Any


def _parse_new(values: dict[str, Any]) -> tuple[_NewValues | None, dict[str, str]]:
    """The values parsed, or None and every problem (all of them, not just the first), by the value's key."""
    from .decisions import parse_kind, parse_score, parse_stars
    from .groups import resolve_group

    errors: dict[str, str] = {}
    stars = parse_stars(values["stars"])
    if stars not in (3, 4, 5):
        errors["stars"] = _bad_value("--stars", values["stars"], "expected_stars")
    score = parse_score(values.get("score")) if values.get("score") not in (None, "") else None
    if score == "bad":
        errors["score"] = _bad_value("--score", values["score"], "expected_score")
    issued = _parse_day(values["date"])
    if not isinstance(issued, date):
        errors["date"] = _bad_value("--date", values["date"], "expected_date")
    kind = parse_kind(values["kind"])
    if kind is None:
        errors["kind"] = _bad_value("--kind", values["kind"], "expected_kind")
    group = resolve_group(values["group"])
    if group is None:
        errors["group"] = _bad_value("--group", values["group"], "expected_group")
    if errors:
        return None, errors
    assert isinstance(stars, int) and isinstance(issued, date) and kind is not None  # else an error above
    return _NewValues(stars, score if isinstance(score, int) else None, issued, kind, group), {}


# The question that asks again for a value `ocop new` could not read.
ASK_AGAIN = {"stars": "ask_stars", "score": "ask_score", "date": "ask_date", "kind": "ask_kind", "group": "ask_group"}


def _parse_asking(args, values: dict[str, Any]) -> tuple[_NewValues | None, dict[str, str]]:
    """`_parse_new`; when interactive, each value it cannot read is said and asked again, alone (the other
    answers are kept), up to PLACE_TRIES times."""
    parsed, errors = _parse_new(values)
    for _ in range(PLACE_TRIES if args.interactive else 0):
        if parsed is not None:
            break
        for key, error in errors.items():
            _err(error)
            values[key] = _ask(args, ASK_AGAIN[key]) or ""
        parsed, errors = _parse_new(values)
    return parsed, errors


def _new_place(
    values: dict[str, Any], where, issued: date, index: Index, products: Path
) -> tuple[str, str, Path] | str:
    """(id, slug, path) of the new record, or why it cannot have them (both must be free)."""
    from .authoring import record_folder, record_id_prefix
    from .text import ID_LIMIT, SLUG_LIMIT, slugify, unsafe_name

    new_id = values.get("id") or index.next_number(record_id_prefix(where, issued))
    slug = values.get("slug") or slugify(values["name"])
    for option, name, limit in (("--id", new_id, ID_LIMIT), ("--slug", slug, SLUG_LIMIT)):
        if why := unsafe_name(name, limit):  # a name becomes a path and a record's text: nothing else gets through
            return t(f"name_{why}", option=option, found=repr(name), length=len(name), limit=limit)
    path = products / record_folder(where) / f"{slug}.yaml"
    if new_id in index.by_id:
        return t("id_taken", id=new_id, path=_rel(index.by_id[new_id].path, products))
    if slug in index.slugs or path.exists():
        other = index.slugs[slug].path if slug in index.slugs else path
        return t("slug_taken", slug=slug, path=_rel(other, products))
    return new_id, slug, path


# Where the product is made, as `ocop new` takes it: option → the field `locate` reads, and the question.
PLACE_FIELDS = {"place_province": "ask_province", "district": "ask_district", "commune": "ask_commune"}
PLACE_OPTIONS = {"place_province": "--province", "district": "--district", "commune": "--commune"}
PLACE_TRIES = 3  # bad answers re-asked before giving up


def _place_field(exc) -> str:
    """The answer a place error is about: the one to ask again (the others are kept)."""
    from .places import CommuneSpansDistricts, NeedsProvince, NoPlace

    if isinstance(exc, NeedsProvince):
        return "place_province"
    if isinstance(exc, (CommuneSpansDistricts, NoPlace)):
        return "district"
    return {"province": "place_province", "district": "district"}.get(exc.level, "commune")


def place_error(exc, values: dict[str, Any], scope) -> str:
    """A place error of `ocop new` in plain words: the option, what was written, where it was looked for."""
    from .places import AmbiguousPlace, CommuneNotFromDistrict, CommuneSpansDistricts, NeedsProvince, UnknownPlace

    key = _place_field(exc)
    found = values.get(key) or ""
    within = ", ".join(exc.within) or scope_label(scope)
    if isinstance(exc, NeedsProvince):
        return t("missing_province", scope=scope_label(scope))
    if isinstance(exc, CommuneSpansDistricts):
        return t(
            "commune_spans", commune=exc.commune.full_name, districts=", ".join(d.full_name for d in exc.districts)
        )
    if isinstance(exc, CommuneNotFromDistrict):
        return t("commune_not_from", commune=exc.commune.full_name, district=exc.district.full_name)
    if isinstance(exc, AmbiguousPlace):
        from .places import describe

        names = " / ".join(describe(p) for p in exc.candidates)
        return PLACE_OPTIONS[key] + ": " + t("ambiguous_place", found=exc.text, candidates=names)
    if isinstance(exc, UnknownPlace):
        hint = f" ({t('suggest', suggestions=' / '.join(exc.suggestions))})" if exc.suggestions else ""
        return _bad_value(PLACE_OPTIONS[key], found, f"expected_{exc.level}", province=within, hint=hint)
    return t("missing_options", names="--commune, --district")


def _ask_place(args, values: dict[str, Any], post_reform: bool) -> None:
    """Ask for the place the options left out: a post-reform certificate names a commune, an older one a district."""
    if values.get("district") or values.get("commune"):
        return
    key = "commune" if post_reform else "district"
    values[key] = _ask(args, PLACE_FIELDS[key])


def _locate_new(args, values: dict[str, Any], issued: date, scope):
    """The new product's place (`ocop.places.Located`), or the error. A bad answer is asked again, alone:
    the answers already given are kept."""
    from .certifiers import REFORM
    from .places import PlaceError, locate

    error = ""
    for _ in range(PLACE_TRIES if args.interactive else 1):
        _ask_place(args, values, issued >= REFORM)
        _commune_for_district(values)
        try:
            located = locate(values.get("place_province"), values.get("district"), values.get("commune"), scope, issued)
        except PlaceError as exc:
            error = place_error(exc, values, scope)
            if not args.interactive:
                break
            _err(error)
            key = _place_field(exc)
            # "Enter: the site's" only where the site has one province to take
            values[key] = _ask(
                args, "ask_province_any" if key == "place_province" and not scope.default else PLACE_FIELDS[key]
            )
            continue
        for note in located.notes:
            if note.kind == "read_as":
                _err(
                    t(
                        "read_as_new",
                        option=PLACE_OPTIONS.get(_option_key(note.field)),
                        found=note.text,
                        read_as=note.read_as,
                    )
                )
        return located
    return error


def _place_errors(values: dict[str, Any], scope) -> list[str]:
    """What is wrong with the place the options give, to report with the other bad options (every one at once)."""
    from .places import PlaceError, locate

    if not (values.get("district") or values.get("commune")):
        return []
    issued = _parse_day(values.get("date"))
    try:
        locate(
            values.get("place_province"),
            values.get("district"),
            values.get("commune"),
            scope,
            issued if isinstance(issued, date) else None,
        )
    except PlaceError as exc:
        return [place_error(exc, values, scope)]
    return []


def _commune_for_district(values: dict[str, Any]) -> None:
    """A commune given where a district was asked ("xã Hàm Thuận Bắc"): taken as the commune it says it is."""
    from .decisions import COMMUNE_PREFIX

    district = values.get("district") or ""
    if COMMUNE_PREFIX.match(district) and not values.get("commune"):
        values["commune"], values["district"] = district, None


def _option_key(level: str) -> str:
    return "place_province" if level == "province" else level


def cmd_new(args) -> int:
    from .authoring import Change, NewProduct, certificate_draft, record_text
    from .text import nfc

    products, scope = _products(args), _scope(args)
    values = {k: (nfc(v).strip() if isinstance(v, str) else v) for k, v in vars(args).items()}
    guessed = _gather(args, values)
    missing = [opt for key, opt in NEW_OPTIONS.items() if not values.get(key)]
    if not (args.interactive or values.get("district") or values.get("commune")):
        missing.insert(1, "--commune/--district")  # asked after the date when interactive: it says which
    if missing:
        return _refuse([t("missing_options", names=", ".join(missing))])
    parsed, errors = _parse_asking(args, values)
    if parsed is None:
        return _refuse(list(errors.values()) + _place_errors(values, scope))
    located = _locate_new(args, values, parsed.issued, scope)
    if isinstance(located, str):
        return _refuse([located])
    where = located.place
    found = _new_place(values, where, parsed.issued, _index(args, products), products)
    if isinstance(found, str):
        return _refuse([found])
    new_id, slug, path = found
    cert = certificate_draft(parsed.stars, values["decision"], parsed.issued, where, parsed.score, values.get("issuer"))
    product = NewProduct(
        new_id,
        slug,
        values["name"],
        where,
        values["producer"],
        parsed.kind,
        parsed.group.key,
        cert,
        name_en=values.get("name_en") or None,
        product_set=cast("int | None", values.get("product_set")),  # argparse type=int, or a guess from the name
        default=scope.default,
        guessed=tuple(guessed),
        address=values.get("address") or None,
    )
    if not _write([Change(path, record_text(product), True)], products, scope):
        return 1
    _out(t("created_ok", path=_rel(path, products), id=new_id, slug=slug))
    if guessed:
        _out(t("plan_guessed", fields=", ".join(guessed)))
    return 0


def _change_words(change: str, previous_stars: int | None, stars: int) -> str:
    """'nâng hạng 4 → 5 sao': a change kind of `ocop.certificates.change_kind`, in words."""
    return t(f"change_{change}", old=previous_stars, stars=stars)


def _columns_in_order(columns: dict[str, str]) -> str:
    return ", ".join(columns[f] for f in sorted(columns, key=lambda f: columns[f]))


def _print_new(plan) -> None:
    _out(t("plan_new", n=len(plan.new)))
    for r in plan.new:
        _out(
            t(
                "plan_new_item",
                row=r.row,
                id=r.id,
                name=r.name,
                producer=r.producer,
                district=r.district.name,
                stars=r.certificate["stars"],
                issuer=r.certificate["issuer"],
                path=f"products/{r.rel}",
            )
        )
        if r.guessed:
            _out(t("plan_guessed", fields=", ".join(r.guessed)))
        _print_place(r.place)
        if r.located is not None:
            _out(t("plan_both_maps", now=_now_name(r.located), before=_before_name(r.located)))


def _now_name(place) -> str:
    """'Xã Hàm Thuận Bắc, Tỉnh Lâm Đồng': the place on today's map (the province alone when the commune is unknown)."""
    return f"{place.commune.full_name}, {place.province.full_name}" if place.commune else place.province.full_name


def _before_name(place) -> str:
    """'Huyện Hàm Thuận Bắc, Tỉnh Bình Thuận': the place on the map before 1/7/2025."""
    return f"{place.district.full_name}, {place.former_province.full_name}"


def _print_place(place) -> None:
    """The row's commune, address and province as the record keeps them (when the table gives any)."""
    if place is None or not (place.commune or place.address or place.province):
        return
    none = t("none")
    line = t("plan_place", commune=place.commune or none, address=place.address or none)
    _out(line + (t("plan_place_province", province=place.province) if place.province else ""))


def _print_certificates(plan, products: Path) -> None:
    _out(t("plan_certs", n=len(plan.certificates)))
    for c in plan.certificates:
        cert = c.certificate
        _out(
            t(
                "plan_cert_item",
                row=c.row,
                id=c.entry.id,
                name=c.entry.name,
                change=_change_words(c.change, c.previous_stars, cert["stars"]),
                decision=cert["decision"],
                date=cert["date"].strftime("%d/%m/%Y"),
                issuer=cert["issuer"],
                path=_rel(c.entry.path, products),
            )
        )
        if c.row in plan.matched:
            _out(t("plan_matched", name=plan.matched[c.row]))


def print_plan(plan, products: Path) -> None:
    _out(t("plan_title", file=plan.source, header=plan.header_row or "—"))
    if plan.sheets > 1:
        _out(t("plan_sheet", sheet=plan.sheet))
    if plan.columns:
        _out(t("plan_columns", columns=_columns_in_order(plan.columns)))
    if plan.from_title:
        _out(t("plan_from_title", decision=plan.from_title[0], date=plan.from_title[1] or "—"))
    if plan.new:
        _print_new(plan)
    if plan.certificates:
        _print_certificates(plan, products)
    if plan.skipped:
        _out(t("plan_skipped", n=len(plan.skipped)))
        for s in plan.skipped:
            _out(t(f"skip_{s.code}", row=s.row, **s.kw))
    if plan.warnings:
        _out(t("plan_warnings", n=len(plan.warnings)))
        for w in plan.warnings:
            _out("  " + format_problem(w))
    if plan.problems:
        _out(t("plan_problems", n=len(plan.problems)))
        for p in plan.problems:
            _out("  " + format_problem(p))
    _out(
        t(
            "plan_summary",
            new=len(plan.new),
            certs=len(plan.certificates),
            skipped=len(plan.skipped),
            problems=len(plan.problems),
        )
    )


def format_problem(p) -> str:
    from .places import NATIONAL

    # a national scope is named in the reader's language ("cả nước"), not by the setting's value
    kw = {k: (t("whole_country") if k in ("scope", "province") and v == NATIONAL else v) for k, v in p.kw.items()}
    text = t(p.code, **kw)
    if p.code == "bad_district":
        if kw.get("suggestions"):
            text += t("bad_district_hint", suggestions=kw["suggestions"])
        if kw.get("tones"):
            text += t("tones_hint")
    return where(p.row, p.column) + text


def cmd_import(args) -> int:
    from .authoring import apply_plan
    from .decisions import Options, plan_import
    from .problems import errors as only_errors

    products, scope = _products(args), _scope(args)
    options = Options(
        scope=scope,
        province=args.place_province,
        district=args.district,
        issuer=args.issuer,
        group=args.group,
        decision=args.decision,
        date=args.date,
    )
    plan = plan_import(Path(args.file), _index(args, products), options)
    print_plan(plan, products)
    if not plan.valid:
        _err(t("plan_refused", n=len(plan.problems)))
        return 1
    if not args.apply:
        _out(t("plan_dry_run", file=args.file))
        return 0
    if not plan.changes:
        _out(t("plan_nothing"))
        return 0
    changes, problems = apply_plan(plan, products, scope)
    if only_errors(problems):
        _err(t("records_invalid"))
        _print_problems(problems)
        return 1
    for ch in changes:
        _out(t("written", path=_rel(ch.path, products)))
    _out(t("applied", new=len(plan.new), certs=len(plan.certificates)))
    return 0


# --- renew and revoke ---------------------------------------------------------------


@dataclass
class _Loaded:
    """A record named on the command line: its file, text, data and current certificate."""

    products: Path
    scope: Any  # the site's (ocop.places.Scope)
    entry: Any
    text: str
    data: Any
    current: Any


def _load_record(args) -> _Loaded | None:
    """The record named by args.id; None after saying why not."""
    from .authoring import current_index, find_record, record_data

    products = _products(args)
    entry = find_record(_index(args, products), args.id)
    if entry is None:
        _err(t("not_found", key=args.id))
        return None
    if not entry.certificates:
        _err(t("unreadable", path=_rel(entry.path, products)))
        return None
    text = entry.path.read_text(encoding="utf-8-sig")
    data = record_data(text)
    return _Loaded(products, _scope(args), entry, text, data, data["certificates"][current_index(data)])


def _parse_renewal(args, current) -> tuple[tuple[date, int, int | None] | None, list[str]]:
    """(date, stars, score) of the new certificate, or None and every problem of the options."""
    from .decisions import parse_score, parse_stars

    errors = []
    issued = _parse_day(args.date)
    if not isinstance(issued, date):
        errors.append(_bad_value("--date", args.date, "expected_date"))
    stars = parse_stars(args.stars) if args.stars else current.get("stars")
    if stars not in (3, 4, 5):
        errors.append(_bad_value("--stars", args.stars, "expected_stars"))
    score = parse_score(args.score) if args.score else None
    if score == "bad":
        errors.append(_bad_value("--score", args.score, "expected_score"))
    if errors:
        return None, errors
    assert isinstance(issued, date) and isinstance(stars, int)  # else an error above
    return (issued, stars, score if isinstance(score, int) else None), []


def _record_place(data, scope):
    """Where a record says its product is made, on both maps (as the build reads it); None if it cannot be placed."""
    from .places import PlaceError, latest_issued, locate

    def field(key: str) -> str | None:
        return str(data[key]) if data.get(key) else None

    try:
        issued = latest_issued(data.get("certificates"))
        return locate(field("province"), field("district"), field("commune"), scope, issued).place
    except PlaceError:
        return None


def _as_date(value: Any) -> Any:
    """A record's date as a date, so messages write it the reader's way; anything else as it is."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value


def cmd_renew(args) -> int:
    from .authoring import Change, append_certificate, certificate_draft
    from .certificates import change_kind

    rec = _load_record(args)
    if rec is None:
        return 1
    parsed, errors = _parse_renewal(args, rec.current)
    if parsed is None:
        return _refuse(errors)
    issued, stars, score = parsed
    cur_date = str(rec.current.get("date"))
    if issued.isoformat() <= cur_date:
        return _refuse([t("date_not_after", date=issued, current=_as_date(cur_date), id=rec.entry.id)])
    place = None if args.issuer else _record_place(rec.data, rec.scope)
    # a record the gazetteer cannot place keeps its current issuer
    issuer = args.issuer or (None if place else str(rec.current.get("issuer")))
    cert = certificate_draft(stars, args.decision, issued, place, score, issuer)
    if not _write([Change(rec.entry.path, append_certificate(rec.text, cert), False)], rec.products, rec.scope):
        return 1
    old = rec.current.get("stars")
    change = _change_words(change_kind(old if isinstance(old, int) else None, stars), old, stars)
    _out(
        t(
            "renewed_ok",
            stars=stars,
            decision=args.decision,
            date=issued.strftime("%d/%m/%Y"),
            path=_rel(rec.entry.path, rec.products),
            change=change,
        )
    )
    return 0


def cmd_revoke(args) -> int:
    from .authoring import Change, set_revoked

    rec = _load_record(args)
    if rec is None:
        return 1
    on, current = _parse_day(args.date), rec.current
    if not isinstance(on, date):
        return _refuse([_bad_value("--date", args.date, "expected_date")])
    if current.get("revoked"):
        revoked = current["revoked"]
        day = revoked.get("date") if isinstance(revoked, dict) else revoked
        return _refuse([t("already_revoked", id=rec.entry.id, decision=current.get("decision"), date=_as_date(day))])
    if on.isoformat() < str(current.get("date")):
        return _refuse([t("revoke_before", date=on, issued=_as_date(current.get("date")))])
    note = t("revoke_note", decision=args.decision) if args.decision else None
    # the decision in the record's `revoked: {date, decision}`, and as a comment for whoever reads the file
    revoked = set_revoked(rec.text, on, note, args.decision)
    if not _write([Change(rec.entry.path, revoked, False)], rec.products, rec.scope):
        return 1
    _out(
        t(
            "revoked_ok",
            decision=current.get("decision"),
            id=rec.entry.id,
            date=on.strftime("%d/%m/%Y"),
            path=_rel(rec.entry.path, rec.products),
        )
    )
    return 0


# --- report -------------------------------------------------------------------------


def _pct(x: float) -> str:
    from .problems import format_percent

    return format_percent(x, messages.lang())


def _day(d: date) -> str:
    from .problems import format_date

    return format_date(d, messages.lang())


def _section(title: str, rows: list[str]) -> None:
    _out("")
    _out(title)
    _out("\n".join(rows) if rows else t("report_none"))


def _product_line(p, extra: str = "") -> str:
    return f"  {p.id:<14} {p.name.get(messages.lang())[:48]:<48} {p.district.name:<16} {extra}".rstrip()


def _dated(rows, key: str) -> list[str]:
    return [_product_line(p, t(key, date=_day(d))) for p, d in rows]


def _target_rows(r) -> list[str]:
    rows = []
    for tr in r.targets:
        verdict = t("report_met") if tr.met else t("report_not_met")
        rows.append(
            t(
                "report_kind_row",
                label=t("target_" + tr.target.key),
                count=tr.count,
                total=tr.total,
                share=_pct(tr.share),
                target=_pct(tr.target.share),
                verdict=verdict,
            )
            + (t("report_unknown", n=tr.unknown) if tr.unknown else "")
            + f" [{tr.target.source}]"
        )
    return rows


def print_report(r) -> None:
    """The report as a table, in the chosen language."""
    lang = messages.lang()
    _out(t("report_title", date=_day(r.on), n=r.total, listed=r.listed))
    _section(t("report_expiring", days=r.days, n=len(r.expiring)), _dated(r.expiring, "report_expires_on"))
    _section(t("report_expired", n=len(r.expired)), _dated(r.expired, "report_expired_on"))
    _section(t("report_revoked", n=len(r.revoked)), _dated(r.revoked, "report_revoked_on"))
    _section(
        t("report_missing_en", n=len(r.missing_english)),
        [_product_line(p, ", ".join(p.missing_english)) for p in r.missing_english],
    )
    for key, products in (
        ("report_missing_photo", r.missing_photo),
        ("report_missing_price", r.missing_price),
        ("report_missing_trace", r.missing_trace),
    ):
        _section(t(key, n=len(products)), [_product_line(p) for p in products])
    _section(
        t("report_by_district"),
        [f"  {d.name:<24} {d.province.name:<16} {n:>6} / {total}" for d, n, total in r.by_district],
    )
    _section(t("report_by_group"), [f"  {g.label(lang):<60} {n:>6}" for g, n in r.by_group])
    _section(t("report_by_star"), [f"  {s}★ {n:>6}" for s, n in r.by_star])
    kinds = [f"  {t('kind_' + k):<30} {n:>6}" for k, n in r.kinds]
    _section(t("report_kinds", n=sum(n for _, n in r.kinds)), kinds + _target_rows(r))


def cmd_report(args) -> int:
    from .catalogue import build_date_from_env, load_catalogue
    from .problems import RecordsInvalid
    from .report import build_report, targets_from, to_csv

    try:
        cat, _ = load_catalogue(_products(args), _scope(args), build_date_from_env(args.date))
    except RecordsInvalid as exc:
        _err(t("records_have_errors"))
        _print_problems(exc.problems)
        return 1
    r = build_report(cat, args.days, targets_from(value(args.site.settings, "OCOP_PLAN_TARGETS")))
    if args.csv:
        sys.stdout.write(to_csv(r))
    else:
        print_report(r)
    return 0


# --- wiring -------------------------------------------------------------------------


class _Lang(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        messages.set_lang(values)
        setattr(namespace, self.dest, values)


def _common(p: argparse.ArgumentParser, place: bool = False) -> None:
    p.add_argument("--products", help="products folder, instead of the site's / thư mục sản phẩm, thay cho của trang")
    if place:
        # the product's province, not the site's: the site's scope stays, so `province:` is written when they differ
        p.add_argument(
            "--province",
            dest="place_province",
            help="the product's province (default: the site's, OCOP_SCOPE) / tỉnh của sản phẩm",
        )
    else:
        p.add_argument("--province", help="the site's province, instead of OCOP_SCOPE / tỉnh, thay cho của trang")
    p.add_argument("--lang", choices=LANGS, action=_Lang, help="vi (default) or en; also OCOP_LANG=en")


NEW_HELP = (
    ("--name", "tên sản phẩm"),
    ("--name-en", "English name"),
    ("--district", "huyện (trước 7/2025)"),
    ("--commune", "xã, phường, đặc khu (từ 7/2025)"),
    ("--address", "địa chỉ của chủ thể"),
    ("--producer", "tên chủ thể"),
    ("--kind", "enterprise | cooperative | cooperative_group | household (đoán từ tên chủ thể nếu bỏ trống)"),
    ("--group", "food | drinks | herbal | handicrafts | ornamental | tourism (đoán từ tên nếu bỏ trống)"),
    ("--stars", "3, 4, 5"),
    ("--score", "điểm"),
    ("--decision", "số quyết định"),
    ("--date", "ngày quyết định, 31/12/2023 hoặc 2023-12-31 hoặc 'today'"),
    ("--issuer", "cơ quan cấp"),
    ("--id", "mã (mặc định: mã kế tiếp của huyện, ví dụ bt-dl-0009)"),
    ("--slug", "địa chỉ trang (mặc định: từ tên)"),
)


def _add_new(sub) -> None:
    new = sub.add_parser("new", help="write a new product record / tạo bản ghi sản phẩm mới")
    _common(new, place=True)
    for opt, hlp in NEW_HELP:
        new.add_argument(opt, help=hlp)
    new.add_argument("--product-set", type=int, help="bộ sản phẩm 1–26")
    new.add_argument(
        "--ask", dest="ask", action="store_true", help="ask for what is missing even when input is not a terminal"
    )
    new.add_argument("--no-input", dest="no_input", action="store_true", help="never ask; fail if something is missing")
    new.set_defaults(func=_with_interactive(cmd_new))


def _add_import(sub) -> None:
    imp = sub.add_parser(
        "import", help="plan (and with --apply write) the rows of a decision table / nhập bảng quyết định"
    )
    _common(imp, place=True)
    imp.add_argument("file", help=".xlsx or .csv")
    mode = imp.add_mutually_exclusive_group()
    mode.add_argument("--apply", action="store_true", help="write the plan (default: only show it)")
    mode.add_argument("--dry-run", dest="apply", action="store_false", help="only show the plan (the default)")
    imp.add_argument("--district", help="district of every row, for a district's decision whose table names none")
    imp.add_argument("--issuer", help="issuing body (default: by star level, date and place, e.g. UBND tỉnh Lâm Đồng)")
    imp.add_argument("--group", help="product group when the table has no Nhóm column and the name does not tell")
    imp.add_argument("--decision", help="decision number when the table has no such column")
    imp.add_argument("--date", help="decision date when the table has no such column")
    imp.set_defaults(func=cmd_import)


def _add_renew_revoke(sub) -> None:
    renew = sub.add_parser(
        "renew", help="add a new certificate (re-evaluation or re-rating) / ghi đánh giá lại, nâng hạng"
    )
    _common(renew)
    renew.add_argument("id", help="product id, page address or file name")
    renew.add_argument("--decision", required=True)
    renew.add_argument("--date", required=True)
    renew.add_argument("--stars", help="default: the current star level")
    renew.add_argument("--score")
    renew.add_argument("--issuer")
    renew.set_defaults(func=cmd_renew)

    revoke = sub.add_parser("revoke", help="record that the current certificate was revoked / ghi thu hồi chứng nhận")
    _common(revoke)
    revoke.add_argument("id", help="product id, page address or file name")
    revoke.add_argument("--decision", help="number of the revocation decision (written in `revoked:`)")
    revoke.add_argument("--date", required=True)
    revoke.set_defaults(func=cmd_revoke)


def _add_report(sub) -> None:
    report = sub.add_parser("report", help="what needs attention, counts, producer targets / báo cáo")
    _common(report)
    report.add_argument("--days", type=int, default=90, help="expiring within this many days (default 90)")
    report.add_argument("--date", help="report date YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)")
    report.add_argument("--csv", action="store_true", help="CSV instead of a table")
    report.set_defaults(func=cmd_report)


def add_commands(sub) -> None:
    """The staff commands, as sub-commands of `ocop`. Each reads its site folder from `args.site`."""
    messages.set_lang(None)  # OCOP_LANG, else Vietnamese; --lang overrides
    _add_new(sub)
    _add_import(sub)
    _add_renew_revoke(sub)
    _add_report(sub)


def _with_interactive(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args):
        args.interactive = not args.no_input and (args.ask or sys.stdin.isatty())
        return func(args)

    return run
