"""The installed `ocop` command: the core's commands (ocop.cli) plus `build` and `serve`, which start Pelican.

It lives on the adapter side so that the domain core never imports Pelican, not even through
its command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ocop import cli


def output_folder(args: argparse.Namespace) -> Path | None:
    """--output, relative to the current folder (None: the command's default).

    Its last part is not resolved: a published `output` is a link to the current version, and the
    build replaces the link itself.
    """
    if not args.output:
        return None
    path = Path(args.output).absolute()
    return path.parent.resolve() / path.name


def cmd_build(args: argparse.Namespace) -> int:
    from .publish import build_site

    override: dict[str, Any] = {}
    if args.date:
        override["OCOP_BUILD_DATE"] = args.date
    if args.allow_removed_urls:
        override["OCOP_ALLOW_REMOVED_URLS"] = True
    if args.wait is not None:
        override["OCOP_BUILD_LOCK_WAIT"] = args.wait
    return build_site(args.site.with_overrides(override), output_folder(args), args.lang)  # None: OUTPUT_PATH


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.site, output_folder(args) or args.site.folder / ".preview", args.port)


def add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the site into output/ (swapped in only on success)")
    p.add_argument("--settings", help="settings file in the site folder, e.g. publishconf.py (default: pelicanconf.py)")
    p.add_argument("--output", help="where the site goes (default: the settings' OUTPUT_PATH, output/)")
    p.add_argument("--products", help="folder of product records (default: the settings' OCOP_PRODUCTS_PATH)")
    p.add_argument("--date", help="build date YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)")
    p.add_argument(
        "--allow-removed-urls",
        action="store_true",
        help="publish even if pages published before would disappear or an address would go to another product",
    )
    p.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help="how long to wait for another build of the site to finish (default: OCOP_BUILD_LOCK_WAIT, 600)",
    )
    cli.add_lang(p)
    p.set_defaults(func=cmd_build, needs_settings=True)


def add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="preview on http://localhost:8000/, rebuilding on every save")
    p.add_argument("--settings", help="settings file in the site folder (default: pelicanconf.py)")
    p.add_argument("--output", help="the preview folder (default: .preview/ in the site folder)")
    p.add_argument("--port", type=int, default=8000)
    cli.add_lang(p)
    p.set_defaults(func=cmd_serve, needs_settings=True)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.run(cli.parser(add_build, add_serve), argv)


if __name__ == "__main__":
    sys.exit(main())
