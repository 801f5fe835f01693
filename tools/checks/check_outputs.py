"""Read the built site the way its checkers do: the W3C Nu HTML checker over every page, axe-core in Chromium
over each page kind, in both languages.

    .venv/bin/python tools/checks/check_outputs.py [--site DIR] [--kinds-only]

Without --site the sample catalogue is built into a temporary folder first. The checkers come from npm, pinned in
tools/checks/package-lock.json (`npm ci` there; tools/install-system-deps.sh does it), Java and Chromium from
Debian. Exit status 0 when the Nu checker reports no error and axe no violation, 1 otherwise, 2 when a checker is
missing.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# The sample build date: the sample records' statuses are chosen for it (products/README.md).
SAMPLE_DATE = "2026-11-22"
# What the search page is checked with once its script has drawn the results.
SEARCH_QUERY = "?q=mat+ong"


@dataclass(frozen=True)
class Kind:
    """A kind of page and the one page of the site that stands for it."""

    name: str
    path: str  # relative to the site root, as served ("" is the home page)
    query: str = ""
    wait_for: str = ""  # a selector the page's script draws once it is ready


def missing_tools() -> list[str]:
    """The checkers that are not installed, in words that say how to get them."""
    missing = []
    if not shutil.which("java"):
        missing.append("java (Debian: default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR.relative_to(PROJECT)} (npm ci in tools/checks)")
    if not AXE_JS.exists():
        missing.append(f"{AXE_JS.relative_to(PROJECT)} (npm ci in tools/checks)")
    if not os.path.exists(CHROMIUM):
        missing.append("chromium (Debian: chromium)")
    return missing


def _first(site: Path, pattern: str, keep=lambda text: True) -> str:
    """The first page (in name order, so the choice is stable) matching a glob and a test on its text."""
    for f in sorted(site.glob(pattern)):
        if keep(f.read_text(encoding="utf-8")):
            return f.relative_to(site).as_posix().removesuffix("index.html")
    raise SystemExit(f"no page matches {pattern} in {site}: is it the sample site?")


def _english(site: Path, path: str) -> str:
    """The English twin of a page, read from its hreflang link (URLs are ocop/urls.py's, not guessed here)."""
    html = (site / (path or "index.html") if path.endswith(".html") else site / path / "index.html").read_text(
        encoding="utf-8"
    )
    m = re.search(r'<link rel="alternate" hreflang="en" href="[^"]*?//[^/"]+/([^"]*)"', html)
    if not m:
        raise SystemExit(f"{path or '/'}: no hreflang=en link")
    return m.group(1)


def page_kinds(site: Path) -> list[Kind]:
    """Each page kind of the site (issue 12's list), Vietnamese then English."""
    with_photo = _first(site, "san-pham/*/index.html", lambda t: 'class="gallery"' in t)
    vi = [
        Kind("home", ""),
        Kind("product with photo", with_photo),
        Kind("product without photo", _first(site, "san-pham/*/index.html", lambda t: 'class="gallery"' not in t)),
        Kind("district", _first(site, "dia-phuong/*/*/index.html")),
        Kind("current province", _first(site, "tinh/*/index.html")),
        Kind("star listing", _first(site, "sao/*/index.html")),
        Kind("group listing", _first(site, "nhom/*/index.html")),
        Kind("search with a query", "tim-kiem/", SEARCH_QUERY, "#search-results li, #search-lapsed li"),
        Kind("showroom map", "diem-ban/", wait_for="#showroom-map .leaflet-marker-icon"),
        Kind("showroom", _first(site, "diem-ban/*/index.html")),
        Kind("statistics", "thong-ke/"),
        Kind("marketplaces", "thi-truong/"),
        Kind("about", _first(site, "gioi-thieu-ocop/index.html")),
        Kind("404", "404.html"),
    ]
    en = [
        Kind(f"{k.name} (en)", k.path if k.name == "404" else _english(site, k.path), k.query, k.wait_for) for k in vi
    ]
    return vi + [k for k in en if k.name != "404 (en)"]


# --- the W3C Nu HTML checker ---


def nu_errors(site: Path, pages: list[Path]) -> list[str]:
    """Every error (and every warning the checker counts as a fault) the Nu checker finds, one line each."""
    cmd = ["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, pages)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    out = []
    for msg in json.loads(res.stderr or '{"messages": []}')["messages"]:
        if msg.get("type") == "error" or msg.get("subType") == "fatal":
            where = Path(msg.get("url", "").removeprefix("file:")).relative_to(site) if msg.get("url") else "?"
            out.append(f"{where}:{msg.get('lastLine', '?')}: {msg.get('message')}")
    return out


def html_pages(site: Path, kinds: list[Kind] | None = None) -> list[Path]:
    """Every HTML page of the site, or only the page kinds' pages."""
    if kinds is None:
        return sorted(site.rglob("*.html"))
    return [site / (k.path if k.path.endswith(".html") else k.path + "index.html") for k in kinds]


# --- axe-core in Chromium ---


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site on 127.0.0.1, as a static host serves it; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _route_offline(base: str):
    """Requests stay on the local server; map tiles get a blank answer so the check needs no network."""

    def route(r) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        elif "tile.openstreetmap.org" in r.request.url:
            r.fulfill(status=204, body=b"")
        else:
            r.abort()

    return route


PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def axe_violations(
    site: Path, kinds: list[Kind], viewports: tuple[dict, ...] = (PHONE, DESKTOP), browser: Any = None
) -> list[str]:
    """axe-core's violations on each page kind (its default rule set: WCAG 2.x A/AA and best practices), one line
    each, starting with the kind's name and its address. In a Playwright Chromium of its own, or in `browser` (the
    tests' session browser: Playwright's sync API runs one instance per thread)."""
    if browser is not None:
        return _axe_in(browser, site, kinds, viewports)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        own = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _axe_in(own, site, kinds, viewports)
        finally:
            own.close()


def _axe_in(browser: Any, site: Path, kinds: list[Kind], viewports: tuple[dict, ...]) -> list[str]:
    axe = AXE_JS.read_text(encoding="utf-8")
    out: list[str] = []
    with serve(site) as base:
        for viewport in viewports:
            context = browser.new_context(viewport=viewport)
            context.route("**/*", _route_offline(base))
            page = context.new_page()
            for k in kinds:
                page.goto(base + k.path + k.query, wait_until="load")
                if k.wait_for:
                    page.wait_for_selector(k.wait_for, state="attached", timeout=15000)
                page.add_script_tag(content=axe)
                result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
                for v in result["violations"]:
                    targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
                    out.append(
                        f"{k.name} /{k.path}{k.query} ({viewport['width']}px): {v['id']}: {v['help']} [{targets}]"
                    )
            context.close()
    return out


def build_sample(into: Path) -> Path:
    """The sample catalogue built the way `ocop build` builds it, into a temporary folder."""
    out = into / "output"
    ocop = Path(sys.executable).with_name("ocop")
    # The site folder's own cache (.cache, as `make build` uses): photos and QR codes are not redone each time.
    subprocess.run([str(ocop), "build", "--output", str(out), "--date", SAMPLE_DATE], cwd=PROJECT, check=True)
    return out


def check(site: Path, kinds_only: bool = False) -> int:
    kinds = page_kinds(site)
    pages = html_pages(site, kinds if kinds_only else None)
    nu = nu_errors(site, pages)
    print(f"Nu HTML checker: {len(pages)} pages, {len(nu)} errors")
    for line in nu:
        print("  " + line)
    axe = axe_violations(site, kinds)
    print(
        f"axe-core {json.loads((HERE / 'package.json').read_text())['dependencies']['axe-core']}: "
        f"{len(kinds)} page kinds at two widths, {len(axe)} violations"
    )
    for line in axe:
        print("  " + line)
    return 1 if nu or axe else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build the sample catalogue into a temp folder)")
    ap.add_argument("--kinds-only", action="store_true", help="the Nu checker on one page of each kind, not every page")
    args = ap.parse_args(argv)
    if missing := missing_tools():
        print("Missing checkers (tools/install-system-deps.sh installs them): " + "; ".join(missing), file=sys.stderr)
        return 2
    if args.site:
        return check(args.site.resolve(), args.kinds_only)
    with tempfile.TemporaryDirectory(prefix="ocop-check-") as tmp:
        return check(build_sample(Path(tmp)), args.kinds_only)


if __name__ == "__main__":
    sys.exit(main())
