"""The `ocop` command, its Pelican-free part: the site folder, `check`, `init` and the staff tools.

`ocop` works on the site folder it runs in (like `pelican` and `hugo`), or the one named by
`--site DIR` (`-C DIR`) or OCOP_SITE: that folder's `pelicanconf.py` holds the settings
(`ocop.settings.read_site`), and every command gets them as `args.site`.

The installed `ocop` is `ocop_catalogue.command:main`, on the adapter side: it adds `build` and
`serve`, which start Pelican, to the parser made here. `main` below is the same command without
them, so the domain core never imports the adapter. Messages speak Vietnamese unless `--lang en`
or OCOP_LANG=en; the staff tools (`new`, `import`, `renew`, `revoke`, `report`) live in `ocop.staff`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import site_folder
from .catalogue import build_date_from_env
from .i18n import LANGS, gettext_for
from .problems import chosen_lang, counts_line, errors, format_date, format_report
from .records import later_certificates, read_records
from .settings import SETTINGS_FILE, NotASite, read_site, value

SITE_ENV = "OCOP_SITE"  # the site folder, when not the current one
# Environment variables that override a setting for one run (the staff guide's examples use them).
ENV_SETTINGS = {"OCOP_PRODUCTS": "OCOP_PRODUCTS_PATH", "OCOP_PROVINCE": "OCOP_PROVINCE"}


def words(args: argparse.Namespace) -> Callable[[str], str]:
    """`_` in the language asked for: --lang, else OCOP_LANG, else Vietnamese."""
    return gettext_for("cli", chosen_lang(getattr(args, "lang", None)))


def add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=LANGS, help="vi (default) or en; also OCOP_LANG=en")


def environment_overrides() -> dict[str, Any]:
    """Settings given in the environment; paths there are relative to the current folder."""
    found = {setting: os.environ[env] for env, setting in ENV_SETTINGS.items() if os.environ.get(env)}
    if "OCOP_PRODUCTS_PATH" in found:
        found["OCOP_PRODUCTS_PATH"] = str(Path(found["OCOP_PRODUCTS_PATH"]).resolve())
    return found


def option_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Settings given as options of a command (paths relative to the current folder)."""
    found: dict[str, Any] = {}
    if getattr(args, "products", None):
        found["OCOP_PRODUCTS_PATH"] = str(Path(args.products).resolve())
    if getattr(args, "province", None):
        found["OCOP_PROVINCE"] = args.province
    return found


# --- ocop check -------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    """Product and showroom records, and the references between them: what a build would refuse."""
    from . import showrooms as sr

    site = args.site
    products, problems = read_records(site.products_path, site.scope)
    showrooms, showroom_problems = sr.check(
        site.products_path, site.scope, folder=site.showrooms_path, products=products
    )
    problems += showroom_problems
    build_date = build_date_from_env(args.date or value(site.settings, "OCOP_BUILD_DATE"))
    problems += later_certificates(products, build_date)
    lang = chosen_lang(args.lang)
    print(format_report(problems, lang) if problems else counts_line(0, 0, lang))
    if errors(problems):
        return 1
    _ = words(args)
    print(
        _("{products} product records and {showrooms} showroom records are valid (statuses as of {date}).").format(
            products=len(products), showrooms=len(showrooms), date=format_date(build_date, lang)
        )
    )
    return 0


def add_check(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="validate every product and showroom record without building")
    check.add_argument("--products", help="folder of product records (default: the site's OCOP_PRODUCTS_PATH)")
    check.add_argument("--province", help="province of records that do not name one (default: the OCOP_SCOPE setting)")
    check.add_argument("--date", help="build date YYYY-MM-DD for statuses (default: SOURCE_DATE_EPOCH or today)")
    add_lang(check)
    check.set_defaults(func=cmd_check, needs_settings=True)


# --- ocop init --------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    _ = words(args)
    folder = Path(args.folder)
    try:
        written = site_folder.create(folder)
    except site_folder.FolderNotEmpty:
        print(
            _("{folder} is not empty: ocop init only creates a new site folder. Name a new or empty folder.").format(
                folder=folder
            ),
            file=sys.stderr,
        )
        return 2
    print(_("Created a new site in {folder} ({count} files).").format(folder=folder, count=len(written)))
    print(_("Next: cd {folder}, then `ocop check` and `ocop build`; the site is in output/.").format(folder=folder))
    return 0


def add_init(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser("init", help="create a new site folder that builds at once / tạo thư mục trang mới")
    init.add_argument("folder", help="the new folder (it must not exist, or be empty)")
    add_lang(init)
    init.set_defaults(func=cmd_init, needs_site=False)


# --- the parser and the run -------------------------------------------------------------------


def add_staff(sub: argparse._SubParsersAction) -> None:
    from . import staff

    staff.add_commands(sub)


def parser(*more: Callable[[argparse._SubParsersAction], None]) -> argparse.ArgumentParser:
    """The command line of the core: the global options, `check`, `init` and the staff tools.

    `more` adds commands after `check` (the adapter's `build` and `serve`)."""
    p = argparse.ArgumentParser(prog="ocop", description="OCOP catalogue: check records, build and preview the site.")
    p.add_argument(
        "-C",
        "--site",
        dest="site_folder",
        metavar="DIR",
        default=os.environ.get(SITE_ENV) or ".",
        help=f"the site folder, the one with {SETTINGS_FILE} (default: the current folder, or {SITE_ENV})",
    )
    sub = p.add_subparsers(dest="command", required=True)
    for add in (add_check, *more, add_init, add_staff):
        add(sub)
    return p


# Commands whose --date is the build date, written year-month-day (the staff tools' --date is a decision's,
# which they read more freely themselves).
BUILD_DATE_COMMANDS = ("check", "build", "report")


def bad_dates(args: argparse.Namespace) -> str | None:
    """What is wrong with the build date given (--date, SOURCE_DATE_EPOCH), in plain words; None if nothing.

    Checked before any work, so that a typing mistake is one clear line, not a traceback after reading
    every record."""
    _ = words(args)
    given = getattr(args, "date", None) if getattr(args, "command", None) in BUILD_DATE_COMMANDS else None
    if given:
        try:
            date.fromisoformat(given)
        except ValueError:
            return _("--date {found}: not a real date; write it year-month-day, e.g. 2026-11-22").format(
                found=repr(given)
            )
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            datetime.fromtimestamp(int(epoch))
        except (ValueError, OverflowError, OSError):
            return _(
                "SOURCE_DATE_EPOCH={found}: not a time; it must be a whole number of seconds since 1970-01-01,"
                " e.g. 1795392000 (or unset it)"
            ).format(found=repr(epoch))
    return None


def run(p: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse, read the site folder's settings into `args.site`, run the command.

    `check`, `build` and `serve` refuse a folder without a settings file; the staff tools read the
    defaults there (a folder with a `products/` folder is enough for them).

    `args.site` has every setting the command reads: the site's own, then the environment's, then the
    command's options (--products, --province), so a command never looks at those options itself.
    """
    args = p.parse_args(argv)
    args.site = None
    wrong = bad_dates(args)
    if wrong:
        print(wrong, file=sys.stderr)
        return 2
    if getattr(args, "needs_site", True):
        overrides = {**environment_overrides(), **option_overrides(args)}
        args.site = read_site(args.site_folder, getattr(args, "settings", None), overrides)
    if getattr(args, "needs_settings", False):  # check, build, serve: not in a folder without settings
        try:
            args.site.require_file()
        except NotASite as exc:
            _ = words(args)
            print(
                _(
                    "{folder} is not a site folder: {file} is missing. Run ocop in a site folder, name one with "
                    "--site DIR, or create one with: ocop init DIR"
                ).format(folder=args.site.folder, file=exc),
                file=sys.stderr,
            )
            return 2
        wrong = bad_setting_date(args)
        if wrong:
            print(wrong, file=sys.stderr)
            return 2
    return args.func(args)


def bad_setting_date(args: argparse.Namespace) -> str | None:
    """OCOP_BUILD_DATE as the site's settings give it (a --date given replaces it), in plain words if wrong."""
    given = args.site.settings.get("OCOP_BUILD_DATE")
    if given is None or isinstance(given, date) or getattr(args, "date", None):
        return None
    try:
        date.fromisoformat(str(given))
        return None
    except ValueError:
        _ = words(args)
        return _(
            'OCOP_BUILD_DATE = {found} in {file}: not a real date; write it year-month-day, e.g. "2026-11-22", '
            "or None for today"
        ).format(found=repr(given), file=args.site.file.name if args.site.file else "pelicanconf.py")


def main(argv: Sequence[str] | None = None) -> int:
    return run(parser(), argv)


if __name__ == "__main__":
    sys.exit(main())
