"""Build the site safely: into a fresh folder beside `output/`, swapped in only on success.

A failed build (bad records, a template error) leaves the published folder exactly as
it was, and prints every problem at once.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from pathlib import Path

from pelican import Pelican

from ocop import urls
from ocop.problems import RecordsInvalid, format_report
from ocop.settings import Site, read_site

from .pelican_defaults import pelican_settings


class _PlainFormatter(logging.Formatter):
    def format(self, record):
        return record.getMessage()


def _quiet_logging() -> None:
    """Pelican logs every file it writes; staff need only our warnings and real failures."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_PlainFormatter())
        root.addHandler(handler)
    root.setLevel(logging.WARNING)


def removed_product_pages(published: Path, staging: Path) -> list[str]:
    """Product pages in the published folder that the new build would not have."""
    removed = []
    for lang in ("vi", "en"):
        prefix = urls.product_prefix(lang)
        folder = published / prefix
        if folder.is_dir():
            for page in sorted(folder.glob("*/index.html")):
                if not (staging / prefix / page.parent.name / "index.html").is_file():
                    removed.append(prefix + page.parent.name + "/")
    return removed


def site_of(settings_file: str | os.PathLike, override: dict | None = None) -> Site:
    """The site whose settings file this is (its folder is the site folder)."""
    file = Path(settings_file).resolve()
    return read_site(file.parent, file, override)


def preview(settings_file: str | os.PathLike, output: str | os.PathLike, override: dict | None = None) -> int:
    return preview_site(site_of(settings_file, override), output)


def preview_site(site: Site, output: str | os.PathLike) -> int:
    """Build the preview in place, re-rendering only what changed (see incremental.py).

    Never used for publishing: a preview folder may keep pages of records deleted since.
    """
    _quiet_logging()
    started = time.perf_counter()
    final = Path(output).resolve()
    settings = pelican_settings(
        site,
        {
            "OUTPUT_PATH": str(final),
            "OCOP_INCREMENTAL": True,
            "OCOP_PREVIEW": True,
            "OCOP_SEARCH_INDEX": False,  # the preview has no search
            "DELETE_OUTPUT_DIRECTORY": False,
        },
    )
    try:
        Pelican(settings).run()
    except RecordsInvalid as exc:
        print(format_report(exc.problems), file=sys.stderr)
        print("The preview was not updated: fix the errors above and save again.", file=sys.stderr)
        return 1
    except Exception as exc:
        logging.getLogger(__name__).exception("The preview build failed: %s", exc)
        return 2
    print(f"Preview updated in {time.perf_counter() - started:.1f} s.")
    return 0


def build(
    settings_file: str | os.PathLike, output: str | os.PathLike | None = None, override: dict | None = None
) -> int:
    """Build the site of a settings file; see build_site."""
    return build_site(site_of(settings_file, override), output)


def build_site(site: Site, output: str | os.PathLike | None = None) -> int:
    """Build into a temporary sibling folder, then swap it into place. Returns an exit code."""
    _quiet_logging()
    started = time.perf_counter()
    final = Path(output or pelican_settings(site)["OUTPUT_PATH"]).resolve()
    staging = final.with_name(f".{final.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    settings = pelican_settings(site, {"OUTPUT_PATH": str(staging)})
    try:
        Pelican(settings).run()
    except RecordsInvalid as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(format_report(exc.problems), file=sys.stderr)
        print(f"Nothing was published: {final} is unchanged.", file=sys.stderr)
        return 1
    except Exception as exc:  # a template or plugin error: report it plainly, publish nothing
        shutil.rmtree(staging, ignore_errors=True)
        logging.getLogger(__name__).exception("The build failed: %s", exc)
        print(f"Nothing was published: {final} is unchanged.", file=sys.stderr)
        return 2
    removed = [] if settings.get("OCOP_ALLOW_REMOVED_URLS") else removed_product_pages(final, staging)
    if removed:
        shutil.rmtree(staging, ignore_errors=True)
        for url in removed:
            print(
                f"{url}: error: this product page was published and would disappear. Product pages are printed on "
                "packaging as QR codes and must keep working: if the product's address (slug) changed, list the old "
                "one under 'former_slugs:' in its record; if it lost its certificate, keep the record and mark the "
                "certificate revoked or let it expire. To remove it all the same, build with --allow-removed-urls.",
                file=sys.stderr,
            )
        print(
            f"{len(removed)} published product page(s) would disappear. Nothing was published: {final} is unchanged.",
            file=sys.stderr,
        )
        return 1
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Built {final} in {time.perf_counter() - started:.1f} s.")
    return 0
