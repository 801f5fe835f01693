"""Lighthouse on the sample site, mobile preset (its default): a benchmark, not a test.

    .venv/bin/python tools/checks/lighthouse.py [--site DIR] [--runs N]

Builds the sample catalogue into a temporary folder (or takes --site), serves it on 127.0.0.1 and runs Lighthouse
(npm, pinned in tools/checks/package-lock.json) with Debian's Chromium on the home page, a product, a district, the
search page with a query and the showroom map. Prints each category's score per page (the median of --runs runs)
and the machine, for README's "Quality" section. Map tiles (tile.openstreetmap.org) are blocked: the machine may be
offline, and they are a third party's images, not the site's; the map page's performance is measured without them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_outputs import CHROMIUM, HERE, SEARCH_QUERY, build_sample, page_kinds, serve  # noqa: E402

LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("home", "product with photo", "district", "search with a query", "showroom map")


def run(url: str, out: Path) -> dict[str, int]:
    """One Lighthouse run; the category scores out of 100."""
    cmd = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        # Offline here: map tiles would fail to resolve and count as console errors. Lighthouse ignores the
        # errors of the requests it blocks itself, so the map page is measured without its tiles.
        "--blocked-url-patterns=https://tile.openstreetmap.org/*",
    ]
    subprocess.run(cmd, check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM))
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def machine() -> str:
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in ln),
        platform.processor(),
    )
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} × {cpu}, {platform.system()} {platform.release()}, {version}"


def bench(site: Path, runs: int, tmp: Path) -> None:
    kinds = {k.name: k for k in page_kinds(site)}
    print(f"Lighthouse (mobile preset), median of {runs} run(s); machine: {machine()}")
    print(f"{'page':<34}" + "".join(f"{c:>16}" for c in CATEGORIES))
    with serve(site) as base:
        for name in PAGES:
            k = kinds[name]
            path = k.path + (SEARCH_QUERY if name == "search with a query" else "")
            scores = [run(base + path, tmp / f"lh-{i}.json") for i in range(runs)]
            median = {c: int(statistics.median(s[c] for s in scores)) for c in CATEGORIES}
            print(f"{'/' + path:<34}" + "".join(f"{median[c]:>16}" for c in CATEGORIES), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build the sample catalogue)")
    ap.add_argument("--runs", type=int, default=3, help="runs per page; the median is shown (default 3)")
    args = ap.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: tools/install-system-deps.sh (npm ci in tools/checks)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ocop-lighthouse-") as tmp:
        site = args.site.resolve() if args.site else build_sample(Path(tmp))
        bench(site, args.runs, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
