"""`ocop publish`: send the built site to where the public reads it, through rclone.

rclone (Debian's `rclone`) speaks to every place a static site lives: S3-compatible buckets, SFTP, WebDAV,
a local folder that nginx serves, … The target is an rclone path ("remote:bucket/site"), from
OCOP_PUBLISH_TARGET or `--to`; remotes are configured in rclone's config file or, in CI, in environment
variables (RCLONE_CONFIG_<NAME>_TYPE=s3, …; docs/deploy.md lists them).

The plan has three passes, so that the public never sees a page that links to a file not yet there:

1. every file except the pages (photos, styles, feeds, the search index);
2. the pages (`*.html` and their `.gz`/`.br`), which link to what pass 1 sent;
3. a sync that deletes what the site no longer has, except the protected folders: product pages and
   showroom pages (printed on packaging as QR codes: a product page once published keeps working,
   the promise the build's publish guard makes) and photos (an old page, cached somewhere, still shows
   them). A page that must really go is removed by hand with `rclone delete`.

Only changed files travel: `--checksum` compares content hashes, not times (a fresh CI checkout gives
every file a new time). Nothing here imports Pelican; the command is in ocop_catalogue/command.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import urls
from .i18n import LANGS, N_

PAGES = ("*.html", "*.html.gz", "*.html.br")  # a page and its precompressed siblings travel together
PRECOMPRESSED = ("*.gz", "*.br")  # what OCOP_PUBLISH_PRECOMPRESSED = False leaves behind


def protected_folders() -> list[str]:
    """Folders of the published site whose files a publish never deletes (rclone filter patterns)."""
    folders = {urls.product_prefix(lang) for lang in LANGS} | {urls.showrooms(lang) for lang in LANGS}
    folders.add(urls.MEDIA_DIR + "/")
    return [f"/{folder}**" for folder in sorted(folders)]


@dataclass(frozen=True)
class Step:
    """One rclone run: what it does, in plain words, and its command line."""

    what: str
    argv: tuple[str, ...]

    def shown(self) -> str:
        return " ".join(_quoted(a) for a in self.argv)


def _quoted(arg: str) -> str:
    return arg if re.fullmatch(r"[\w@%+=:,./-]+", arg) else "'" + arg.replace("'", "'\\''") + "'"


def _rules(sign: str, patterns: Sequence[str]) -> list[str]:
    return [a for p in patterns for a in ("--filter", f"{sign} {p}")]


def plan(
    source: Path, target: str, *, dry_run: bool = False, rclone: str = "rclone", precompressed: bool = True
) -> list[Step]:
    """The rclone commands that publish `source` (the built output/) to `target`, in order.

    Without `precompressed`, the `.gz`/`.br` siblings stay behind: a plain bucket or a host that compresses by
    itself (GitHub Pages, most CDNs in front of a bucket) would only serve them as downloads. rclone applies the
    first filter that matches, so that exclusion comes before every other filter, and the last pass deletes
    none that an earlier publish sent (they are outside its view). Every rule is a --filter: rclone orders
    --include and --exclude rules before --filter ones, whatever the command line says.
    """
    common = ["--checksum", "--verbose", "--stats", "0"]  # -v lists every transfer; no progress reports
    if dry_run:
        common.append("--dry-run")
    src = str(source)
    plain = _rules("-", () if precompressed else PRECOMPRESSED)
    not_pages = _rules("-", PAGES)
    pages = _rules("+", PAGES) + _rules("-", ("*",))
    keep = _rules("-", protected_folders())
    return [
        Step(
            N_("copy every file that is not a page (photos, styles, feeds, search index)"),
            (rclone, "copy", src, target, *plain, *not_pages, *common),
        ),
        Step(
            N_("copy the pages, now that everything they link to is there"),
            (rclone, "copy", src, target, *plain, *pages, *common),
        ),
        Step(
            N_("delete files the site no longer has, except product and showroom pages and photos"),
            (rclone, "sync", src, target, *plain, *keep, *common),
        ),
    ]


# rclone -v reports each transfer and deletion on its own line: "INFO  : path: Copied (new)"; a dry run
# reports "NOTICE: path: Skipped copy as --dry-run is set (size 2.360Ki)".
_DONE = re.compile(
    r"(?:INFO|NOTICE)\s*:\s*(?P<path>.+?): (?P<what>Copied \(new\)|Copied \(replaced existing\)|Deleted|"
    r"Skipped copy as --dry-run is set.*|Skipped delete as --dry-run is set.*)$"
)


@dataclass
class Outcome:
    """What a publish did (or, with --dry-run, would do)."""

    copied: list[str]
    deleted: list[str]
    returncode: int


def parse(log: str) -> tuple[list[str], list[str]]:
    """Files copied and deleted, from rclone's -v log."""
    copied: list[str] = []
    deleted: list[str] = []
    for line in log.splitlines():
        m = _DONE.search(line)
        if m:
            (deleted if "elete" in m["what"] else copied).append(m["path"])
    return copied, deleted


def run(steps: Sequence[Step], out: TextIO | None = None, tr: Callable[[str], str] = str) -> Outcome:
    """Run the steps in order; stop at the first failure, so pages never go out before their files."""
    out = out or sys.stdout
    copied: list[str] = []
    deleted: list[str] = []
    for step in steps:
        print(f"→ {tr(step.what)}:\n  {step.shown()}", file=out, flush=True)
        res = subprocess.run(step.argv, capture_output=True, text=True)
        c, d = parse(res.stderr)
        copied += c
        deleted += d
        for line in res.stderr.splitlines():
            if "ERROR" in line or res.returncode:
                print("  " + line, file=out)
        print(
            "  " + tr("{sent} file(s) sent, {deleted} deleted.").format(sent=len(c), deleted=len(d)),
            file=out,
            flush=True,
        )
        if res.returncode:
            return Outcome(copied, deleted, res.returncode)
    # A dry run copies nothing, so the last pass lists again what the first two would send: count each file once.
    return Outcome(list(dict.fromkeys(copied)), list(dict.fromkeys(deleted)), 0)


class PublishError(Exception):
    """Publishing cannot start: no target, no rclone, nothing built. args: (English message, its fields); the
    command translates the message."""

    def __str__(self) -> str:
        return self.args[0].format(**self.args[1])


def check_ready(source: Path, target: str | None, rclone: str = "rclone") -> str:
    """The rclone executable, once the source and target are sound; PublishError otherwise."""
    if not target:
        raise PublishError(
            N_(
                "no target: set OCOP_PUBLISH_TARGET in pelicanconf.py (an rclone path such as 's3:bucket/site') "
                "or give one with --to"
            ),
            {},
        )
    if not (source / "index.html").is_file():
        raise PublishError(N_("{folder} has no index.html: build the site first (ocop build)"), {"folder": source})
    found = shutil.which(rclone)
    if not found:
        raise PublishError(
            N_("rclone is not installed: apt-get install rclone (Debian), or see https://rclone.org"), {}
        )
    return found
