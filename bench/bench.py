"""`make bench`: build a synthetic national-scale catalogue and report time, pages/s and peak memory.

    make bench            # 20,000 products
    make bench N=2000     # fewer

The build runs in a child process, `ocop build` in a site folder of synthetic records (the real
path: validation, both languages, QR codes, every plugin), from an empty cache and an empty output
folder, so the figures are those of a first build on a new machine. A second, warm build is measured too.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from bench.synthetic import make_site  # noqa: E402


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def _build(site: Path, output: Path) -> tuple[float, float, int]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1795305600")  # 2026-11-22
    cmd = [sys.executable, "-m", "ocop_catalogue.command", "build", "--output", str(output)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=site, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        raise SystemExit(f"build failed with exit code {proc.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    pages = sum(1 for _ in output.rglob("*.html"))
    # ru_maxrss of children: the largest single process (KiB on Linux); forked workers share pages
    return wall, after.ru_maxrss / 1024, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--catalogue-only",
        action="store_true",
        help="only the catalogue plugin: no feeds, search, showrooms or statistics",
    )
    args = parser.parse_args()

    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    site, output = out / "site", out / "output"
    plugins = ["ocop_catalogue"] if args.catalogue_only else None
    t = time.perf_counter()
    make_site(site, args.products, plugins)
    print(f"Generated {args.products:,} synthetic records in {time.perf_counter() - t:.1f} s")

    print("Plugins:", ", ".join(plugins) if plugins else "all (the default)")
    wall, rss, pages = _build(site, output)
    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    print(f"Machine: {_machine()}")
    print(
        f"Cold build: {wall:.1f} s wall, {pages:,} HTML pages, {pages / wall:,.0f} pages/s, "
        f"peak memory {rss:,.0f} MiB, output {size / 2**20:,.0f} MiB"
    )
    wall2, rss2, _ = _build(site, output)
    print(
        f"Warm build (QR cache filled, output replaced): {wall2:.1f} s wall, {pages / wall2:,.0f} pages/s, "
        f"peak memory {rss2:,.0f} MiB"
    )

    from PIL import Image

    from ocop.images import render

    photo = out / "photo.jpg"
    Image.new("RGB", (4000, 3000), (200, 120, 40)).save(photo, quality=90)
    t = time.perf_counter()
    render(photo, "photo", out / "imgcache")
    print(f"One 12-megapixel phone photo → 3 widths × WebP+JPEG: {time.perf_counter() - t:.2f} s (cached afterwards)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
