"""How long `make serve` takes to show an edit, on the 20,000-product benchmark catalogue.

    .venv/bin/python bench/preview.py              # 20,000 products, in a temporary folder
    .venv/bin/python bench/preview.py --products 2000

`make serve` rebuilds the whole site on every save (plugins/ocop_catalogue/serve.py calls the
same `build()` as `make build`). This script measures exactly that: a first build, then one
record edited (its summary) and the rebuild that follows, as the preview server would run it.
It also times the parts a rebuild cannot skip today (reading and validating every record)
and the statistics page's own share, to show where the time goes.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "plugins"))

from bench.synthetic import generate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795280400")  # 22/11/2026

    work = args.keep or Path(tempfile.mkdtemp(prefix="ocop-preview-"))
    products, output, cache = work / "products", work / "output", work / "cache"
    shutil.rmtree(work, ignore_errors=True)
    t = time.perf_counter()
    generate(products, args.products)
    print(f"Generated {args.products:,} records in {time.perf_counter() - t:.1f} s ({work})", flush=True)

    from ocop_catalogue.publish import build

    override = {"OCOP_PRODUCTS_PATH": str(products), "OCOP_CACHE_PATH": str(cache)}
    settings = str(PROJECT / "pelicanconf.py")
    t = time.perf_counter()
    assert build(settings, output, override) == 0
    first = time.perf_counter() - t
    print(f"First build: {first:.1f} s", flush=True)

    record = sorted(products.rglob("*.yaml"))[len(list(products.rglob("*.yaml"))) // 2]
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("summary: {vi: \"", "summary: {vi: \"Đã sửa: ", 1), encoding="utf-8")
    t = time.perf_counter()
    assert build(settings, output, override) == 0  # what serve.py runs after a save
    rebuild = time.perf_counter() - t
    print(f"Rebuild after editing {record.relative_to(products)}: {rebuild:.1f} s (target: ≤ 5 s)", flush=True)

    from ocop.catalogue import Catalogue
    from ocop.records import read_records

    t = time.perf_counter()
    found, _ = read_records(products, "Bình Thuận")
    read = time.perf_counter() - t
    print(f"  of which reading and validating {len(found):,} records: {read:.1f} s", flush=True)

    from ocop.report import build_report
    from ocop_stats.generator import page_context

    cat = Catalogue(found, date(2026, 11, 22))
    t = time.perf_counter()
    report = build_report(cat)
    for lang in ("vi", "en"):
        page_context(report, lang, lambda s: s)
    stats = time.perf_counter() - t
    print(f"  of which the statistics page's numbers and charts: {stats * 1000:.0f} ms "
          f"({stats / len(found) / 2 * 1000:.4f} ms per product per language)", flush=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
