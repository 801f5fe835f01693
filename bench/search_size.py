"""Search at national scale: index size, build time and bytes on the wire for a first query.

    .venv/bin/python bench/search_size.py --products 2000                 # 2,000 synthetic products
    .venv/bin/python bench/search_size.py --products 2000 --replicate 10  # 20,000: ten copies of each
    make bench-search N=2000 REPLICATE=10                                   # the same

Generates N synthetic records (bench/synthetic.py) and reads them as the build does; with --replicate K,
makes K copies of each product (each copy's slug, id and producer given a number of its own: a word no
other copy has), so ids, cards and postings are those of a catalogue K times larger while the vocabulary
grows less (a real national catalogue's shards would be somewhat larger). Then times the index
(plugins/ocop_search/index.py) from scratch and after a "decision" (20 new products, 30 renamed,
2 removed), counting the files that decision rewrites; measures the index on disk; and loads the
search page in Debian's chromium (Playwright) from a local server, types a query and counts the bytes
the server sent for the search (its script and /search-index/ files) until the results are shown.
Each query starts in a fresh browser context (empty cache), as a first visit would, on a phone-sized
screen (filters closed) or a wide one (filters open, so the filters file loads too).

The search pages and theme come from a built site (--pages, default: the checkout's output/, made by
`ocop build`); the script is this checkout's theme/static/js/search.js.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import shutil
import sys
import threading
import time
from collections import defaultdict
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from bench.synthetic import make_site  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
# On a phone the filters stay closed (their chunks load when opened); on a wide screen they open at once.
QUERIES = (
    ("phone", "tim-kiem/", "nuoc mam"),
    ("phone", "tim-kiem/", "duc linh"),
    ("phone", "tim-kiem/", "nước mắm"),
    ("phone", "en/search/", "dragon fruit"),
    ("phone", "tim-kiem/", "4 sao"),
    ("desktop", "tim-kiem/", "nuoc mam"),
    ("desktop", "en/search/", "dragon fruit"),
)
COMPRESSIBLE = (".js", ".json", ".html", ".css")  # a web server gzips these


class _Counting(SimpleHTTPRequestHandler):
    sent: dict[str, int] = defaultdict(int)
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        with self.lock:
            self.sent[self.path.split("?")[0]] += len(data)


def _kib(n: float) -> str:
    return f"{n / 1024:,.1f} KiB"


def _wire(path: str, size: int, root: Path) -> int:
    """Bytes on the wire with ordinary gzip compression by the web server."""
    if path.endswith(COMPRESSIBLE):
        return len(gzip.compress((root / path.lstrip("/")).read_bytes(), 6))
    return size


_NAMES = {"t": "token shards", "c": "card chunks"}


def disk_report(bundle: Path) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for f in bundle.rglob("*"):
        if f.is_file():
            rel = f.relative_to(bundle).parts
            kind = "entries" if len(rel) == 1 else "filters" if len(rel) == 2 else f"{rel[1]} ({_NAMES[rel[1]]})"
            groups[kind].append(f.stat().st_size)
    total = sum(sum(v) for v in groups.values())
    print(f"Index on disk: {_kib(total)} in {sum(len(v) for v in groups.values()):,} files")
    for kind, sizes in sorted(groups.items()):
        print(f"  {kind:<11} {len(sizes):>6,} files  {_kib(sum(sizes)):>14}  (largest {_kib(max(sizes))})")


def browser_report(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Counting, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for screen, url, query in QUERIES:
                context = browser.new_context(viewport=PHONE if screen == "phone" else DESKTOP)
                page = context.new_page()
                _Counting.sent.clear()
                page.goto(base + url)
                page.wait_for_selector('#search[data-busy="false"]', timeout=60000)
                at_load = dict(_Counting.sent)
                started = time.perf_counter()
                page.fill("#search-q", query)
                page.press("#search-q", "Enter")
                page.wait_for_function(
                    "q => document.getElementById('search').dataset.busy === 'false' && "
                    "document.getElementById('search').dataset.query === q",
                    arg=query,
                    timeout=60000,
                )
                took = time.perf_counter() - started
                shown = page.locator(".search-results .card").count()
                status = page.locator("#search-status").inner_text()
                sent = {p: n for p, n in _Counting.sent.items() if _searching(p)}
                raw = sum(sent.values())
                wire = sum(_wire(p, n, site) for p, n in sent.items())
                before = sum(n for p, n in at_load.items() if _searching(p))
                kinds: dict[str, int] = defaultdict(int)
                for p, n in sent.items():
                    kinds[_kind(p)] += _wire(p, n, site)
                detail = ", ".join(f"{k} {_kib(v)}" for k, v in sorted(kinds.items())) + " (with gzip)"
                print(
                    f"[{screen}, /{url}] {query!r}: {status} ({shown} shown) in {took:.2f} s; "
                    f"search files: {len(sent)} requests, "
                    f"{_kib(raw)} as served ({_kib(before)} before typing), ~{_kib(wire)} with gzip for js/json"
                )
                print(f"      {detail}")
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


def _searching(path: str) -> bool:
    return path.startswith("/search-index/") or path == "/theme/js/search.js"


def _kind(path: str) -> str:
    parts = path.split("/")
    if path.endswith(".js"):
        return "script"
    if len(parts) == 3:
        return "entry"
    return {"t": "shards", "c": "cards"}.get(parts[3], "filters") if len(parts) > 4 else "filters"


def replicate(products: list, times: int) -> list:
    """K copies of each product, each copy's slug, id and producer numbered (see --replicate)."""
    import dataclasses

    if times <= 1:
        return products
    return [
        dataclasses.replace(
            p,
            id=f"{p.id}-{k}",
            slug=f"{p.slug}-{k}",
            producer=dataclasses.replace(p.producer, name=f"{p.producer.name} {k}"),
        )
        for p in products
        for k in range(times)
    ]


def decision(products: list) -> list:
    """A decision: 20 new products (copies of others), 30 renamed, 2 removed, spread over the catalogue."""
    import dataclasses

    step = max(1, len(products) // 60)
    chosen = products[::step]
    new = [dataclasses.replace(p, id=f"{p.id}-new", slug=f"{p.slug}-moi") for p in chosen[:20]]
    renamed = {
        p.id: dataclasses.replace(p, name=dataclasses.replace(p.name, vi=f"{p.name.vi} đặc biệt"))
        for p in chosen[20:50]
    }
    removed = {p.id for p in chosen[50:52]}
    return [renamed.get(p.id, p) for p in products if p.id not in removed] + new


def _index_files(root: Path) -> dict[str, bytes]:
    return {f.relative_to(root).as_posix(): f.read_bytes() for f in root.rglob("*.json")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=Path("/tmp") / "ocop-search-bench")
    parser.add_argument("--reuse", action="store_true", help="keep the records already generated in --out")
    parser.add_argument("--replicate", type=int, default=1, help="K copies of each product")
    parser.add_argument("--pages", type=Path, default=PROJECT / "output", help="a built site: its search pages")
    args = parser.parse_args()

    from ocop.catalogue import load_catalogue
    from ocop.settings import read_site, value
    from ocop_search.index import BUNDLE_DIR, build_index

    folder = args.out / "site"
    if not (args.reuse and (folder / "products").is_dir()):
        shutil.rmtree(args.out, ignore_errors=True)
        t = time.perf_counter()
        make_site(folder, args.products)
        print(f"Generated {args.products:,} synthetic records in {time.perf_counter() - t:.1f} s")
    settings = read_site(folder, overrides={"OCOP_BUILD_DATE": "2026-11-22"}).settings
    t = time.perf_counter()
    catalogue, _ = load_catalogue(
        value(settings, "OCOP_PRODUCTS_PATH"), value(settings, "OCOP_PROVINCE"), date(2026, 11, 22), None
    )
    products = replicate(list(catalogue.products), args.replicate)
    print(f"Read {len(catalogue.products):,} records in {time.perf_counter() - t:.1f} s; {len(products):,} products")

    site = args.out / f"output-x{args.replicate}"
    shutil.rmtree(site, ignore_errors=True)
    for part in ("theme", "tim-kiem", "en/search"):
        shutil.copytree(args.pages / part, site / part, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    shutil.copyfile(PROJECT / "theme/static/js/search.js", site / "theme/js/search.js")
    cpu = time.process_time()
    build_index(site, products, {})
    print(f"Indexed {len(products):,} products (both languages) in {time.process_time() - cpu:.2f} s CPU")
    after = args.out / "after-decision"
    changed = decision(products)
    cpu = time.process_time()
    build_index(after, changed, {})
    print(f"After a decision (20 new, 30 renamed, 2 removed): indexed again in {time.process_time() - cpu:.2f} s CPU")
    old, new = _index_files(site / BUNDLE_DIR), _index_files(after / BUNDLE_DIR)
    rewritten = [n for n in new if old.get(n) != new[n]]
    print(
        f"  the decision rewrote {len(rewritten):,} of {len(new):,} index files "
        f"({_kib(sum(len(new[n]) for n in rewritten))} of {_kib(sum(len(b) for b in new.values()))})"
    )
    disk_report(site / BUNDLE_DIR)
    browser_report(site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
