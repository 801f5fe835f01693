"""The staff commands of `ocop`: new, import, renew, revoke, report.

Thin: each command reads options (or asks), calls the pure modules (decisions, authoring,
report) and prints their result in the chosen language (messages). Exit codes: 0 done,
1 bad input (nothing written), 2 usage error.
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from . import messages
from .messages import t, where


def _out(text: str = "") -> None:
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `ocop report | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _products(args) -> Path:
    return Path(args.products).resolve()


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

    _err(format_report(problems))


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


def cmd_new(args) -> int:
    from .authoring import Change, NewProduct, default_issuer, record_folder, record_id_prefix, record_text, write_all
    from .decisions import guess_group, parse_kind, parse_score, parse_stars, producer_kind
    from .groups import resolve_group
    from .index import build_index
    from .places import gazetteer
    from .text import nfc, slugify

    products = _products(args)
    gaz = gazetteer()
    province = gaz.province(args.province)
    if province is None:
        _err(t("bad_province", province=args.province))
        return 1
    values = {k: (nfc(v).strip() if isinstance(v, str) else v) for k, v in vars(args).items()}
    for key, ask in (("name", "ask_name"), ("district", "ask_district"), ("producer", "ask_producer")):
        if not values.get(key):
            values[key] = _ask(args, ask)
    if values.get("name") and not values.get("name_en") and args.interactive:
        values["name_en"] = _ask(args, "ask_name_en")
    guessed: list[str] = []
    if not values.get("kind") and values.get("producer"):
        values["kind"] = producer_kind(values["producer"])
        if values["kind"]:
            guessed.append("kind")
        else:
            values["kind"] = _ask(args, "ask_kind")
    if not values.get("group") and values.get("name"):
        guess = guess_group(values["name"])
        if guess:
            values["group"], values["product_set"] = guess[0], values.get("product_set") or guess[1]
            guessed.append("group")
        else:
            values["group"] = _ask(args, "ask_group")
    for key, ask in (("stars", "ask_stars"), ("score", "ask_score"), ("decision", "ask_decision")):
        if values.get(key) in (None, ""):
            values[key] = _ask(args, ask)
    if not values.get("date"):
        values["date"] = _ask(args, "ask_date", _today().strftime("%d/%m/%Y"))

    names = {"name": "--name", "district": "--district", "producer": "--producer", "kind": "--kind", "group": "--group",
             "stars": "--stars", "decision": "--decision", "date": "--date"}
    missing = [opt for key, opt in names.items() if not values.get(key)]
    if missing:
        _err(t("missing_options", names=", ".join(missing)))
        return 1

    errors: list[str] = []
    district = gaz.district(province, values["district"])
    if district is None:
        close = gaz.suggest_district(province, values["district"])
        hint = f" ({t('suggest', suggestions=' / '.join(close))}{t('tones_hint') if values['district'].isascii() else ''})" if close else ""
        errors.append(t("bad_value", what="--district", found=values["district"], expected=t("expected_district", province=province.name, hint=hint)))
    stars = parse_stars(values["stars"])
    if stars not in (3, 4, 5):
        errors.append(t("bad_value", what="--stars", found=values["stars"], expected=t("expected_stars")))
    score = parse_score(values.get("score")) if values.get("score") not in (None, "") else None
    if score == "bad":
        errors.append(t("bad_value", what="--score", found=values["score"], expected=t("expected_score")))
    issued = _parse_day(values["date"])
    if not isinstance(issued, date):
        errors.append(t("bad_value", what="--date", found=values["date"], expected=t("expected_date")))
    kind = parse_kind(values["kind"])
    if kind is None:
        errors.append(t("bad_value", what="--kind", found=values["kind"], expected=t("expected_kind")))
    group = resolve_group(values["group"])
    if group is None:
        errors.append(t("bad_value", what="--group", found=values["group"], expected=t("expected_group")))
    if errors:
        for e in errors:
            _err(e)
        return 1

    index = build_index(products)
    new_id = values.get("id") or index.next_number(record_id_prefix(district))
    slug = values.get("slug") or slugify(values["name"])
    folder = products / record_folder(district, args.province)
    path = folder / f"{slug}.yaml"
    if new_id in index.by_id:
        _err(t("id_taken", id=new_id, path=_rel(index.by_id[new_id].path, products)))
        return 1
    if slug in index.slugs or path.exists():
        other = index.slugs[slug].path if slug in index.slugs else path
        _err(t("slug_taken", slug=slug, path=_rel(other, products)))
        return 1
    cert = {"stars": stars}
    if isinstance(score, int):
        cert["score"] = score
    cert.update(decision=values["decision"], date=issued, issuer=values.get("issuer") or default_issuer(stars, issued, district))
    product = NewProduct(new_id, slug, values["name"], district, values["producer"], kind, group.key, cert,
                         name_en=values.get("name_en") or None, product_set=values.get("product_set"),
                         site_province=args.province, guessed=tuple(guessed))
    problems = write_all([Change(path, record_text(product), True)], products, args.province)
    from .problems import errors as only_errors

    if only_errors(problems):
        _err(t("records_invalid"))
        _print_problems(problems)
        return 1
    _out(t("created_ok", path=_rel(path, products), id=new_id, slug=slug))
    if guessed:
        _out(t("plan_guessed", fields=", ".join(guessed)))
    return 0


def _rel(path: Path, products: Path) -> str:
    try:
        return path.resolve().relative_to(products.parent).as_posix()
    except ValueError:
        return str(path)


# --- import -------------------------------------------------------------------------

def _change_words(c) -> str:
    return t(f"change_{c.change}", old=c.previous_stars, stars=c.certificate["stars"])


def print_plan(plan, products: Path) -> None:
    _out(t("plan_title", file=plan.source, header=plan.header_row or "—"))
    if plan.columns:
        _out(t("plan_columns", columns=", ".join(plan.columns[f] for f in sorted(plan.columns, key=lambda f: plan.columns[f]))))
    if plan.from_title:
        _out(t("plan_from_title", decision=plan.from_title[0], date=plan.from_title[1] or "—"))
    if plan.new:
        _out(t("plan_new", n=len(plan.new)))
        for r in plan.new:
            _out(t("plan_new_item", row=r.row, id=r.id, name=r.name, producer=r.producer, district=r.district.name,
                   stars=r.certificate["stars"], issuer=r.certificate["issuer"], path=f"products/{r.rel}"))
            if r.guessed:
                _out(t("plan_guessed", fields=", ".join(r.guessed)))
    if plan.certificates:
        _out(t("plan_certs", n=len(plan.certificates)))
        for c in plan.certificates:
            _out(t("plan_cert_item", row=c.row, id=c.entry.id, name=c.entry.name, change=_change_words(c),
                   decision=c.certificate["decision"], date=c.certificate["date"].strftime("%d/%m/%Y"), issuer=c.certificate["issuer"],
                   path=_rel(c.entry.path, products)))
    if plan.skipped:
        _out(t("plan_skipped", n=len(plan.skipped)))
        for s in plan.skipped:
            _out(t(f"skip_{s.code}", row=s.row, **s.kw))
    if plan.problems:
        _out(t("plan_problems", n=len(plan.problems)))
        for p in plan.problems:
            _out("  " + format_problem(p))
    _out(t("plan_summary", new=len(plan.new), certs=len(plan.certificates), skipped=len(plan.skipped), problems=len(plan.problems)))


def format_problem(p) -> str:
    kw = p.kw
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
    from .index import build_index
    from .problems import errors as only_errors

    products = _products(args)
    options = Options(province=args.province, district=args.district, issuer=args.issuer, group=args.group,
                      decision=args.decision, date=args.date)
    plan = plan_import(Path(args.file), build_index(products), options)
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
    changes, problems = apply_plan(plan, products, args.province)
    if only_errors(problems):
        _err(t("records_invalid"))
        _print_problems(problems)
        return 1
    for ch in changes:
        _out(t("written", path=_rel(ch.path, products)))
    _out(t("applied", new=len(plan.new), certs=len(plan.certificates)))
    return 0


# --- renew and revoke ---------------------------------------------------------------

def _load_record(args):
    """The record named by args.id, its text, its data and its current certificate; None after an error."""
    from .authoring import current_index, find_record, record_data
    from .index import build_index

    products = _products(args)
    entry = find_record(build_index(products), args.id)
    if entry is None:
        _err(t("not_found", key=args.id))
        return None
    if not entry.certificates:
        _err(t("unreadable", path=_rel(entry.path, products)))
        return None
    text = entry.path.read_text(encoding="utf-8-sig")
    data = record_data(text)
    return products, entry, text, data, data["certificates"][current_index(data)]


def cmd_renew(args) -> int:
    from .authoring import Change, append_certificate, default_issuer, write_all
    from .decisions import parse_score, parse_stars
    from .places import gazetteer
    from .problems import errors as only_errors

    loaded = _load_record(args)
    if loaded is None:
        return 1
    products, entry, text, data, current = loaded
    issued = _parse_day(args.date)
    errors = []
    if not isinstance(issued, date):
        errors.append(t("bad_value", what="--date", found=args.date, expected=t("expected_date")))
    stars = parse_stars(args.stars) if args.stars else current.get("stars")
    if stars not in (3, 4, 5):
        errors.append(t("bad_value", what="--stars", found=args.stars, expected=t("expected_stars")))
    score = parse_score(args.score) if args.score else None
    if score == "bad":
        errors.append(t("bad_value", what="--score", found=args.score, expected=t("expected_score")))
    if errors:
        for e in errors:
            _err(e)
        return 1
    cur_date = str(current.get("date"))
    if issued.isoformat() <= cur_date:
        _err(t("date_not_after", date=issued.isoformat(), current=cur_date, id=entry.id))
        return 1
    issuer = args.issuer
    if not issuer:
        gaz = gazetteer()
        prov = gaz.province(str(data.get("province") or args.province))
        district = gaz.district(prov, str(data.get("district"))) if prov else None
        issuer = default_issuer(stars, issued, district) if district else str(current.get("issuer"))
    cert = {"stars": stars}
    if isinstance(score, int):
        cert["score"] = score
    cert.update(decision=args.decision, date=issued, issuer=issuer)
    problems = write_all([Change(entry.path, append_certificate(text, cert), False)], products, args.province)
    if only_errors(problems):
        _err(t("records_invalid"))
        _print_problems(problems)
        return 1
    old = current.get("stars")
    change = t("change_renewal", stars=stars) if old == stars else t(
        "change_uprating" if isinstance(old, int) and stars > old else "change_downrating", old=old, stars=stars)
    _out(t("renewed_ok", stars=stars, decision=args.decision, date=issued.strftime("%d/%m/%Y"), path=_rel(entry.path, products), change=change))
    return 0


def cmd_revoke(args) -> int:
    from .authoring import Change, set_revoked, write_all
    from .problems import errors as only_errors

    loaded = _load_record(args)
    if loaded is None:
        return 1
    products, entry, text, data, current = loaded
    on = _parse_day(args.date)
    if not isinstance(on, date):
        _err(t("bad_value", what="--date", found=args.date, expected=t("expected_date")))
        return 1
    if current.get("revoked"):
        _err(t("already_revoked", id=entry.id, decision=current.get("decision"), date=current.get("revoked")))
        return 1
    if on.isoformat() < str(current.get("date")):
        _err(t("revoke_before", date=on.isoformat(), issued=current.get("date")))
        return 1
    note = t("revoke_note", decision=args.decision) if args.decision else None
    problems = write_all([Change(entry.path, set_revoked(text, on, note), False)], products, args.province)
    if only_errors(problems):
        _err(t("records_invalid"))
        _print_problems(problems)
        return 1
    _out(t("revoked_ok", decision=current.get("decision"), id=entry.id, date=on.strftime("%d/%m/%Y"), path=_rel(entry.path, products)))
    return 0


# --- report -------------------------------------------------------------------------

def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def cmd_report(args) -> int:
    from .catalogue import build_date_from_env, load_catalogue
    from .problems import RecordsInvalid
    from .report import build_report, to_csv

    products = _products(args)
    try:
        cat, _ = load_catalogue(products, args.province, build_date_from_env(args.date))
    except RecordsInvalid as exc:
        _err(t("records_have_errors"))
        _print_problems(exc.problems)
        return 1
    r = build_report(cat, args.days)
    if args.csv:
        sys.stdout.write(to_csv(r))
        return 0
    lang = messages.lang()
    day = r.on.strftime("%d/%m/%Y") if lang == "vi" else r.on.isoformat()
    _out(t("report_title", date=day, n=r.total, listed=r.listed))

    def fmt(d: date) -> str:
        return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()

    def section(title: str, rows: list[str]) -> None:
        _out("")
        _out(title)
        _out("\n".join(rows) if rows else t("report_none"))

    def line(p, extra: str = "") -> str:
        return f"  {p.id:<14} {p.name.get(lang)[:48]:<48} {p.district.name:<16} {extra}".rstrip()

    section(t("report_expiring", days=r.days, n=len(r.expiring)), [line(p, t("report_expires_on", date=fmt(d))) for p, d in r.expiring])
    section(t("report_expired", n=len(r.expired)), [line(p, t("report_expired_on", date=fmt(d))) for p, d in r.expired])
    section(t("report_revoked", n=len(r.revoked)), [line(p, t("report_revoked_on", date=fmt(d))) for p, d in r.revoked])
    section(t("report_missing_en", n=len(r.missing_english)), [line(p, ", ".join(p.missing_english)) for p in r.missing_english])
    section(t("report_missing_photo", n=len(r.missing_photo)), [line(p) for p in r.missing_photo])
    section(t("report_missing_price", n=len(r.missing_price)), [line(p) for p in r.missing_price])
    section(t("report_missing_trace", n=len(r.missing_trace)), [line(p) for p in r.missing_trace])
    section(t("report_by_district"), [f"  {d.name:<24} {d.province.name:<16} {n:>6} / {total}" for d, n, total in r.by_district])
    section(t("report_by_group"), [f"  {g.label(lang):<60} {n:>6}" for g, n in r.by_group])
    section(t("report_by_star"), [f"  {s}★ {n:>6}" for s, n in r.by_star])
    kinds = [f"  {t('kind_' + k):<30} {n:>6}" for k, n in r.kinds]
    rows = []
    for tr in r.targets:
        verdict = t("report_met") if tr.met else t("report_not_met")
        rows.append(t("report_kind_row", label=t("target_" + tr.target.key), count=tr.count, total=tr.total, share=_pct(tr.share),
                      target=_pct(tr.target.share), verdict=verdict)
                    + (t("report_unknown", n=tr.unknown) if tr.unknown else "") + f" [{tr.target.source}]")
    section(t("report_kinds", n=sum(n for _, n in r.kinds)), kinds + rows)
    return 0


# --- wiring -------------------------------------------------------------------------

class _Lang(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        messages.set_lang(values)
        setattr(namespace, self.dest, values)


def add_commands(sub, project: Path) -> None:
    messages.set_lang(None)  # OCOP_LANG, else Vietnamese; --lang overrides
    products_default = os.environ.get("OCOP_PRODUCTS") or str(project / "products")
    province_default = os.environ.get("OCOP_PROVINCE") or "Bình Thuận"

    def common(p):
        p.add_argument("--products", default=products_default, help="products folder / thư mục sản phẩm")
        p.add_argument("--province", default=province_default, help="the site's province / tỉnh của trang (mặc định Bình Thuận)")
        p.add_argument("--lang", choices=messages.LANGS, action=_Lang, help="vi (default) or en; also OCOP_LANG=en")

    new = sub.add_parser("new", help="write a new product record / tạo bản ghi sản phẩm mới")
    common(new)
    for opt, hlp in (("--name", "tên sản phẩm"), ("--name-en", "English name"), ("--district", "huyện"), ("--producer", "tên chủ thể"),
                     ("--kind", "enterprise | cooperative | cooperative_group | household (đoán từ tên chủ thể nếu bỏ trống)"),
                     ("--group", "food | drinks | herbal | handicrafts | ornamental | tourism (đoán từ tên nếu bỏ trống)"),
                     ("--stars", "3, 4, 5"), ("--score", "điểm"), ("--decision", "số quyết định"),
                     ("--date", "ngày quyết định, 31/12/2023 hoặc 2023-12-31 hoặc 'today'"), ("--issuer", "cơ quan cấp"),
                     ("--id", "mã (mặc định: mã kế tiếp của huyện, ví dụ bt-dl-0009)"), ("--slug", "địa chỉ trang (mặc định: từ tên)")):
        new.add_argument(opt, help=hlp)
    new.add_argument("--product-set", type=int, help="bộ sản phẩm 1–26")
    new.add_argument("--ask", dest="ask", action="store_true", help="ask for what is missing even when input is not a terminal")
    new.add_argument("--no-input", dest="no_input", action="store_true", help="never ask; fail if something is missing")
    new.set_defaults(func=_with_interactive(cmd_new))

    imp = sub.add_parser("import", help="plan (and with --apply write) the rows of a decision table / nhập bảng quyết định")
    common(imp)
    imp.add_argument("file", help=".xlsx or .csv")
    mode = imp.add_mutually_exclusive_group()
    mode.add_argument("--apply", action="store_true", help="write the plan (default: only show it)")
    mode.add_argument("--dry-run", dest="apply", action="store_false", help="only show the plan (the default)")
    imp.add_argument("--district", help="district of every row, for a district's decision whose table names none")
    imp.add_argument("--issuer", help="issuing body (default: by star level and date, e.g. UBND tỉnh Bình Thuận)")
    imp.add_argument("--group", help="product group when the table has no Nhóm column and the name does not tell")
    imp.add_argument("--decision", help="decision number when the table has no such column")
    imp.add_argument("--date", help="decision date when the table has no such column")
    imp.set_defaults(func=cmd_import)

    renew = sub.add_parser("renew", help="add a new certificate (re-evaluation or re-rating) / ghi đánh giá lại, nâng hạng")
    common(renew)
    renew.add_argument("id", help="product id, page address or file name")
    renew.add_argument("--decision", required=True)
    renew.add_argument("--date", required=True)
    renew.add_argument("--stars", help="default: the current star level")
    renew.add_argument("--score")
    renew.add_argument("--issuer")
    renew.set_defaults(func=cmd_renew)

    revoke = sub.add_parser("revoke", help="record that the current certificate was revoked / ghi thu hồi chứng nhận")
    common(revoke)
    revoke.add_argument("id", help="product id, page address or file name")
    revoke.add_argument("--decision", help="number of the revocation decision (kept as a comment)")
    revoke.add_argument("--date", required=True)
    revoke.set_defaults(func=cmd_revoke)

    report = sub.add_parser("report", help="what needs attention, counts, producer targets / báo cáo")
    common(report)
    report.add_argument("--days", type=int, default=90, help="expiring within this many days (default 90)")
    report.add_argument("--date", help="report date YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)")
    report.add_argument("--csv", action="store_true", help="CSV instead of a table")
    report.set_defaults(func=cmd_report)


def _with_interactive(func):
    def run(args):
        args.interactive = not args.no_input and (args.ask or sys.stdin.isatty())
        return func(args)
    return run
