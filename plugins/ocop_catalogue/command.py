"""The installed `ocop` command: the core's commands (ocop.cli) plus `build` and `serve`, which start Pelican.

It lives on the adapter side so that the domain core never imports Pelican, not even through
its command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
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
    site = args.site.with_overrides(override)
    return build_site(site, output_folder(args), args.lang, full=args.full)  # output None: OUTPUT_PATH


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
        "--full",
        action="store_true",
        help="render every page again rather than reuse the published version's unchanged files",
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


def _published_source(args: argparse.Namespace) -> Path:
    """The folder to send: --output as given, else the site's output/ (a link to the published version)."""
    if args.output:
        return Path(args.output)
    return args.site.folder / args.site.settings.get("OUTPUT_PATH", "output")


def _send(args: argparse.Namespace, final: Path, tr: Callable[[str], str]) -> int:
    from ocop import deploy
    from ocop.settings import value

    from .publish import Layout

    # A CI job that received `.output.versions/` as an artifact (GitLab keeps folders, not the link) gets its
    # link back here; after an interrupted build, too. The lock is held, so no build is halfway.
    Layout(final).recover()
    # Send the version folder the link points to: no build can change it while it is sent (the lock holds them).
    source = final.resolve()
    target = args.to or value(args.site.settings, "OCOP_PUBLISH_TARGET")
    try:
        rclone = deploy.check_ready(source, target)
    except deploy.PublishError as exc:
        print(f"ocop publish: {tr(exc.args[0]).format(**exc.args[1])}", file=sys.stderr)
        return 2
    keep_gz = args.precompressed
    if keep_gz is None:
        keep_gz = value(args.site.settings, "OCOP_PUBLISH_PRECOMPRESSED")
    steps = deploy.plan(source, target, dry_run=args.dry_run, rclone=rclone, precompressed=keep_gz)
    outcome = deploy.run(steps, tr=tr)
    summary = (
        "{sent} file(s) would be sent, {deleted} would be deleted."
        if args.dry_run
        else "{sent} file(s) were sent, {deleted} were deleted."
    )
    print(tr(summary).format(sent=len(outcome.copied), deleted=len(outcome.deleted)))
    return outcome.returncode


def cmd_publish(args: argparse.Namespace) -> int:
    """Send the published version while holding the lock builds take: a build waits until the upload is done,
    so it cannot retire the folder being sent, and a publish never starts in the middle of a switch."""
    from ocop.settings import value

    from .publish import EXIT_BUSY, Busy, Layout, locked, words

    tr = words(args.lang)
    final = _published_source(args)
    final = final.absolute().parent.resolve() / final.name  # the link itself, not what it points to
    wait = args.wait if args.wait is not None else value(args.site.settings, "OCOP_BUILD_LOCK_WAIT")

    def tell(holder: str) -> None:
        print(
            tr("A build or publish of this site is running ({holder}); waiting for it to finish…").format(
                holder=holder
            ),
            file=sys.stderr,
            flush=True,
        )

    try:
        with locked([Layout(final).lock], wait, tell):
            return _send(args, final, tr)
    except Busy as exc:
        print(
            tr(
                "A build or publish of this site is still running ({holder}: process id, start time); "
                "waited {seconds} s. Nothing was sent. Publish again when it has finished."
            ).format(holder=exc.holder, seconds=wait),
            file=sys.stderr,
        )
        return EXIT_BUSY


def add_publish(sub: argparse._SubParsersAction) -> None:
    """`ocop publish`: the built site to its public place through rclone (plan and passes: ocop/deploy.py)."""
    p = sub.add_parser("publish", help="send output/ to its public place through rclone (changed files only)")
    p.add_argument("--to", help="rclone target, e.g. s3:bucket/site (default: the setting OCOP_PUBLISH_TARGET)")
    p.add_argument("--output", help="the built site to send (default: output/ in the site folder)")
    p.add_argument("--dry-run", action="store_true", help="show what would be sent and deleted; change nothing")
    p.add_argument(
        "--precompressed",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="send the .gz/.br files too (default: the setting OCOP_PUBLISH_PRECOMPRESSED, yes)",
    )
    p.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help="how long to wait for a build of the site to finish (default: OCOP_BUILD_LOCK_WAIT, 600)",
    )
    p.add_argument("--settings", help="settings file in the site folder (default: pelicanconf.py)")
    cli.add_lang(p)
    p.set_defaults(func=cmd_publish)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.run(cli.parser(add_build, add_serve, add_publish), argv)


if __name__ == "__main__":
    sys.exit(main())
