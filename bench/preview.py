"""How long `make serve` takes to show an edit, on the 20,000-product benchmark catalogue.

    make bench-preview              # 20,000 products, in a temporary folder
    make bench-preview N=2000
    python bench/preview.py --keep /tmp/p20k    # prepare once (records, a first preview) and keep the folder
    python bench/preview.py --keep /tmp/p20k    # again: reuses them, so the first preview only checks its pages

`make serve` keeps one process running and rebuilds the preview in place after each save
(plugins/ocop_catalogue/preview.py: PreviewSession; incremental.py). This script does the same in
one process: a first preview (everything rendered), a whole rebuild with nothing changed (what a
theme or content save costs), then the rebuild after editing one record's certificate, and after
renaming one product (which moves it in the alphabetical listings, so more listing pages change),
as the server does them after a save under products/. Wall time and this process's CPU time
(user+sys, the render workers' included).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from bench.synthetic import make_site  # noqa: E402


def _cpu() -> float:
    """User+system time of this process and its finished children (the forked render workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument(
        "--keep",
        type=Path,
        help="work in this folder and keep it (default: a temporary folder); a folder kept before is reused: its "
        "records are not made again and its first preview renders only what changed",
    )
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795305600")  # 22/11/2026

    work = args.keep or Path(tempfile.mkdtemp(prefix="ocop-preview-"))
    site, output = work / "site", work / "preview"
    if not (args.keep and (site / "products").is_dir()):
        shutil.rmtree(work, ignore_errors=True)
        make_site(site, args.products)
    products = site / "products"

    from ocop.settings import read_site
    from ocop_catalogue.preview import PreviewSession

    session = PreviewSession(read_site(site), output)

    def timed(label: str, records_only: bool = True) -> None:
        t, cpu = time.perf_counter(), _cpu()
        assert session.rebuild(records_only=records_only) == 0
        print(f"{label}: {time.perf_counter() - t:.2f} s ({_cpu() - cpu:.2f} s CPU, {session.last} build)", flush=True)

    timed("First preview (every page rendered, unless kept from before)", records_only=False)
    timed("Rebuild, nothing changed (a whole build)", records_only=False)
    records = sorted(products.rglob("*.yaml"))
    one = records[len(records) // 2]
    one.write_text(one.read_text(encoding="utf-8").replace("decision: ", "decision: 9", 1), encoding="utf-8")
    timed(f"Rebuild after editing the decision number in {one.relative_to(products)}")
    two = records[len(records) // 3]
    two.write_text(two.read_text(encoding="utf-8").replace('name: {vi: "', 'name: {vi: "Mới ', 1), encoding="utf-8")
    timed(f"Rebuild after renaming {two.relative_to(products)} (it moves in the listings)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
