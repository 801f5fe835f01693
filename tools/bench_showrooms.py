#!/usr/bin/env python3
"""Measure what showrooms add to a national-scale build (per product, per language).

    .venv/bin/python tools/bench_showrooms.py [PRODUCTS_DIR] [--showrooms N]

Reads a products folder (default: bench/out/site/products, the 20,000 synthetic products of
`make bench`), makes N synthetic showrooms that each stock a share of them (every product
ends up in two showrooms), then times the reading and cross-checking (`link`), the product
page partial in both languages, the showroom pages and the GeoJSON feed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader  # noqa: E402

from ocop.catalogue import Catalogue  # noqa: E402
from ocop.records import read_records  # noqa: E402
from ocop.showrooms import geojson, link, read_showrooms  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("products", nargs="?", default=str(ROOT / "bench/out/site/products"))
    ap.add_argument("--showrooms", type=int, default=200)
    args = ap.parse_args()

    t = time.perf_counter()
    products, _ = read_records(Path(args.products), "Bình Thuận")
    cat = Catalogue(products, date(2026, 11, 22))
    print(f"read {len(products)} products in {time.perf_counter() - t:.1f} s (catalogue, not showrooms)")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "content" / "showrooms"
        folder.mkdir(parents=True)
        districts = [e.district for e in cat.districts]
        ids = [p.id for p in cat.products]
        for k in range(args.showrooms):
            d = districts[k % len(districts)]
            share = [ids[i] for i in range(len(ids)) if i % args.showrooms in (k, (k + 1) % args.showrooms)]
            (folder / f"s{k:04d}.yaml").write_text(
                f'id: s{k:04d}\nname: {{vi: "Điểm bán {k}", en: "Sales point {k}"}}\nkind: sales_point\n'
                f'province: "{d.province.name}"\ndistrict: "{d.name}"\naddress: "{k} Đường Chính"\n'
                f"geo: {{lat: {10.5 + (k % 50) * 0.01:.4f}, lon: {107.5 + (k // 50) * 0.01:.4f}}}\n"
                f'opening_hours: "Mo-Fr 07:30-17:00; Sa 08:00-12:00"\nproducts: [{", ".join(share)}]\n',
                encoding="utf-8",
            )
        t = time.perf_counter()
        showrooms, problems = read_showrooms(folder, "Bình Thuận")
        t_read = time.perf_counter() - t
        t = time.perf_counter()
        index, problems = link(showrooms, cat)
        t_link = time.perf_counter() - t
        assert not problems, problems[:3]
    links = sum(len(v) for v in index.by_product.values())
    print(
        f"{len(showrooms)} showrooms read in {t_read:.2f} s; link() {t_link:.3f} s for {links} product-showroom links "
        f"= {t_link / len(products) * 1000:.4f} ms per product"
    )

    from ocop_catalogue import filters, i18n
    from ocop_showrooms import labels

    env = Environment(
        loader=ChoiceLoader(
            [
                DictLoader({"bench.html": '{% import "macros.html" as m %}{% include "product_showrooms.html" %}'}),
                FileSystemLoader(str(ROOT / "theme/templates")),
            ]
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    i18n.install(env, str(ROOT / "theme/translations"))
    env.filters.update(filters.FILTERS)
    env.globals.update(filters.GLOBALS)
    env.globals.update(labels.GLOBALS)
    tpl = env.get_template("bench.html")
    t = time.perf_counter()
    size = 0
    for p in cat.products:
        for lang in ("vi", "en"):
            size += len(tpl.render(p=p, lang=lang, SITEURL="../..", ocop_showrooms_by_product=index.by_product))
    t_partial = time.perf_counter() - t
    print(
        f"product page partial: {t_partial:.2f} s for {len(products)} products × 2 languages "
        f"= {t_partial / len(products) / 2 * 1000:.3f} ms per product per language "
        f"({size / len(products) / 2:.0f} bytes)"
    )

    t = time.perf_counter()
    feed = geojson(index, "https://ocop.example.org")
    print(
        f"GeoJSON: {time.perf_counter() - t:.2f} s, {len(feed) / 1e6:.1f} MB "
        f"({sum(1 for s in showrooms if s.geo)} features with a position)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
