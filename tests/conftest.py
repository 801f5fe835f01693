"""Shared fixtures: the sample catalogue built once per test session, as a real Pelican build."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import textwrap
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SETTINGS = str(PROJECT / "pelicanconf.py")
BUILD_DATE = "2026-11-22"  # the sample records' statuses are chosen for this date (products/README.md)


def build_site(output: Path, products: Path | None = None, date_: str = BUILD_DATE, **override) -> int:
    """Build the project's site into `output` (in a temporary folder), its cache beside it, not in the checkout."""
    from ocop_catalogue.publish import build

    settings = {"OCOP_BUILD_DATE": date_, "OCOP_CACHE_PATH": str(Path(output).parent / ".cache"), **override}
    if products is not None:
        settings["OCOP_PRODUCTS_PATH"] = str(products)
    return build(SETTINGS, output, settings)


def checkout_state() -> set[str]:
    """What `git status` sees in the checkout, ignored files included (bytecode and tools' caches aside)."""
    res = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=PROJECT, capture_output=True, text=True)
    if res.returncode:
        return set()  # not a git checkout (an unpacked release): nothing to compare
    tools = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")
    return {line for line in res.stdout.splitlines() if not any(t in line for t in tools)}


@pytest.fixture(scope="session", autouse=True)
def checkout_untouched():
    """Tests write only under their temporary folders: the checkout is the same after the run as before."""
    before = checkout_state()
    yield
    written = sorted(checkout_state() - before)
    assert not written, f"the tests wrote into the checkout (or it was edited during the run): {written}"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The sample catalogue, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("site") / "output"
    assert build_site(out) == 0
    return out


@pytest.fixture(scope="session")
def catalogue():
    from ocop.catalogue import load_catalogue

    cat, _ = load_catalogue(PROJECT / "products", "Bình Thuận", date.fromisoformat(BUILD_DATE))
    return cat


GOOD_RECORD = textwrap.dedent("""\
    id: bt-pt-9001
    name: {vi: "Nước mắm thử nghiệm", en: "Test fish sauce"}
    group: food
    product_set: 9
    district: Phan Thiết
    producer: {name: Cơ sở thử nghiệm, kind: household}
    certificates:
      - stars: 4
        score: 76
        decision: 2345/QĐ-UBND
        date: 2025-01-10
        issuer: UBND tỉnh Bình Thuận
    """)


@pytest.fixture
def products_dir(tmp_path) -> Path:
    """An empty products folder; tests write records into it."""
    d = tmp_path / "products"
    d.mkdir()
    return d


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_sample_image(folder: Path, name: str = "photo.jpg") -> Path:
    src = next((PROJECT / "products").rglob("*.jpg"))
    shutil.copyfile(src, folder / name)
    return folder / name


# --- browser tests: the built site on a local server, Debian's chromium through Playwright ---

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Offline and quiet: without these, Chromium tries Google's services at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    served: list[str] = []  # paths, in order, for tests that check what a page downloads

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.served.append(self.path.split("?")[0])
        super().do_GET()


@pytest.fixture(scope="session")
def server(site):
    """The sample site served on 127.0.0.1; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium (Playwright's own browser download cannot run here). In CI a missing
    browser fails the run: `make test` installs it, so a skip there would hide a broken set-up."""
    in_ci = os.environ.get("CI") == "true"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            pytest.fail("playwright is not installed (it is pinned in requirements-test.txt)")
        pytest.skip("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        if in_ci:
            pytest.fail("chromium is not installed; tools/install-system-deps.sh installs it")
        pytest.skip("chromium is not installed (tools/install-system-deps.sh installs it)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def read_in_binh_thuan(products_dir: Path):
    """The records of a folder as a site of former Bình Thuận reads them: (products, problems)."""
    from ocop.records import read_records

    return read_records(products_dir, "Bình Thuận")


def only_error(problems):
    """The one error among `problems` (a test of one bad input expects exactly one)."""
    from ocop.problems import errors

    errs = errors(problems)
    assert len(errs) == 1, [str(p) for p in problems]
    return errs[0]
