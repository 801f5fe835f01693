"""The `ocop` command: check records, build the site, preview it, and the staff tools.

`check` uses only the domain core; `build` and `serve` load the Pelican adapter lazily,
so the core never imports Pelican. The staff tools (`new`, `import`, `renew`, `revoke`,
`report`) live in `ocop.staff`; they speak Vietnamese unless `--lang en` or OCOP_LANG=en.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .catalogue import build_date_from_env
from .problems import errors, format_report
from .records import read_records

PROJECT = Path(__file__).resolve().parent.parent


def _settings(args) -> str:
    return str(Path(args.settings).resolve())


def cmd_check(args) -> int:
    """Product and showroom records, and the references between them: what a build would refuse."""
    from . import showrooms as sr

    products, problems = read_records(Path(args.products), args.province)
    showrooms, showroom_problems = sr.check(args.products, args.province, products=products)
    problems += showroom_problems
    build_date = build_date_from_env(args.date)
    print(format_report(problems) if problems else "0 errors, 0 warnings.")
    if errors(problems):
        return 1
    print(f"{len(products)} product records and {len(showrooms)} showroom records are valid "
          f"(statuses as of {build_date}).")
    return 0


def cmd_build(args) -> int:
    from ocop_catalogue.publish import build

    override = {"OCOP_BUILD_DATE": args.date} if args.date else {}
    if args.allow_removed_urls:
        override["OCOP_ALLOW_REMOVED_URLS"] = True
    if args.products:
        override["OCOP_PRODUCTS_PATH"] = str(Path(args.products).resolve())
    return build(_settings(args), args.output, override)


def cmd_serve(args) -> int:
    from ocop_catalogue.serve import serve

    return serve(_settings(args), args.output, args.port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocop", description="OCOP catalogue: check records, build and preview the site.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate every product record without building")
    check.add_argument("--products", default=os.environ.get("OCOP_PRODUCTS") or str(PROJECT / "products"))
    check.add_argument("--province", default="Bình Thuận", help="province of records that do not name one")
    check.add_argument("--date", help="build date YYYY-MM-DD for statuses (default: SOURCE_DATE_EPOCH or today)")
    check.set_defaults(func=cmd_check)

    for name, func, helptext in (("build", cmd_build, "build the site into output/ (swapped in only on success)"),
                                 ("serve", cmd_serve, "preview on http://localhost:8000/, rebuilding on every save")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--settings", default=str(PROJECT / "pelicanconf.py"))
        p.add_argument("--output", default=str(PROJECT / ("output" if name == "build" else ".preview")))
        if name == "build":
            p.add_argument("--products", help="folder of product records (default: the settings' OCOP_PRODUCTS_PATH)")
            p.add_argument("--date", help="build date YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)")
            p.add_argument("--allow-removed-urls", action="store_true",
                           help="publish even if product pages that were published before would disappear")
        else:
            p.add_argument("--port", type=int, default=8000)
        p.set_defaults(func=func)

    from . import staff

    staff.add_commands(sub, PROJECT)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
