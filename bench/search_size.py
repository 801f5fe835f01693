"""Search at national scale: Pagefind index size and bytes on the wire for a first query.

    .venv/bin/python bench/search_size.py              # 20,000 synthetic products
    .venv/bin/python bench/search_size.py --products 2000 --reuse
    .venv/bin/python bench/search_size.py --replicate 10 --from bench/out-search/output   # 20,000 from 2,000
    make bench-search REPLICATE=10 FROM=bench/out-search/output                          # the same

Generates N synthetic records (bench/synthetic.py), builds the site (the build runs
Pagefind), times a re-index of the built site, fresh and with nothing changed (the answers
reused from the search cache), measures the index on disk, then loads
the search page in Debian's chromium (Playwright) from a local server, types a query and
counts the bytes the server sent for /pagefind/ files until the results are shown. Each
query starts in a fresh browser context (empty cache), as a first visit would, on a phone-sized
screen (filters closed) or a wide one (filters open, so their chunks load too).

--replicate K --from SITE: when a national-scale build is out of reach (a shared machine), makes a
search-only site from a built one: its search pages and theme, and K copies of each product page's
search record, each copy's producer given a number of its own (a word no other copy has), then
indexes and measures that. The page list, fragments and postings grow as in a catalogue K times
larger; the vocabulary grows less (only those numbers), so index chunks are, if anything, smaller.
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
COMPRESSIBLE = (".js", ".json", ".pagefind", ".html", ".css")  # a web server gzips these; pf_* files are gzip already


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


def disk_report(bundle: Path) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for f in bundle.rglob("*"):
        if f.is_file():
            kind = (
                f.parent.name if f.parent != bundle else ("code" if f.suffix in (".js", ".pagefind") else "entry/meta")
            )
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
                sent = {p: n for p, n in _Counting.sent.items() if p.startswith("/pagefind/")}
                raw = sum(sent.values())
                wire = sum(_wire(p, n, site) for p, n in sent.items())
                before = sum(n for p, n in at_load.items() if p.startswith("/pagefind/"))
                kinds = defaultdict(int)
                for p, n in sent.items():
                    kinds[p.split("/")[2] if p.count("/") > 2 else "code+meta"] += n
                detail = ", ".join(f"{k} {_kib(v)}" for k, v in sorted(kinds.items()))
                print(
                    f"[{screen}, /{url}] {query!r}: {status} ({shown} shown) in {took:.2f} s; "
                    f"/pagefind/ files: {len(sent)} requests, "
                    f"{_kib(raw)} as served ({_kib(before)} before typing), ~{_kib(wire)} with gzip for js/wasm/json"
                )
                print(f"      {detail}")
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


def replicate(source: Path, site: Path, times: int) -> int:
    """A search-only copy of `source` with every product page's record `times` times (see --replicate)."""
    from ocop_search.index import PRODUCT_DIRS, record_html

    shutil.rmtree(site, ignore_errors=True)
    for folder in ("theme", "tim-kiem", "en/search"):
        shutil.copytree(source / folder, site / folder)
    pages = 0
    for folder in PRODUCT_DIRS:
        for page in sorted((source / folder).glob("*/index.html")):
            doc = record_html(page)
            if doc is None:
                continue
            for k in range(times):
                copy = site / folder / f"{page.parent.name}-{k}" / "index.html"
                copy.parent.mkdir(parents=True)
                copy.write_text(doc.replace('<p data-pagefind-weight="4">', f'<p data-pagefind-weight="4">{k} ', 1))
                pages += 1
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=HERE / "out-search")
    parser.add_argument("--reuse", action="store_true", help="keep a site already built in --out")
    parser.add_argument("--replicate", type=int, default=0, help="K copies of each product of --from's site")
    parser.add_argument("--from", dest="source", type=Path, help="a built site (with --replicate)")
    args = parser.parse_args()

    from ocop.settings import read_site
    from ocop_catalogue.publish import build_site
    from ocop_search.index import BUNDLE_DIR, build_index

    folder, site = args.out / "site", args.out / "output"
    if args.replicate:
        if args.source is None:
            parser.error("--replicate needs --from SITE")
        site = args.out / f"replica-x{args.replicate}"
        t = time.perf_counter()
        n = replicate(args.source.resolve(), site, args.replicate)
        print(
            f"Made {n:,} product pages ({args.replicate} copies of each of {args.source}) "
            f"in {time.perf_counter() - t:.1f} s"
        )
    elif not (args.reuse and (site / BUNDLE_DIR / "pagefind-entry.json").is_file()):
        shutil.rmtree(args.out, ignore_errors=True)
        t = time.perf_counter()
        make_site(folder, args.products)
        print(f"Generated {args.products:,} synthetic records in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        code = build_site(read_site(folder, overrides={"OCOP_BUILD_DATE": "2026-11-22"}), site)
        if code:
            raise SystemExit(f"build failed with exit code {code}")
        print(f"Built the site (with its search index) in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    pages = build_index(site)
    print(f"Re-indexed {pages:,} product pages (both languages) in {time.perf_counter() - t:.1f} s")
    cache = args.out / "search-cache"
    shutil.rmtree(cache, ignore_errors=True)
    build_index(site, cache=cache)
    t = time.perf_counter()
    build_index(site, cache=cache)
    print(f"Re-indexed with nothing changed (Pagefind's answers reused) in {time.perf_counter() - t:.1f} s")
    disk_report(site / BUNDLE_DIR)
    browser_report(site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
