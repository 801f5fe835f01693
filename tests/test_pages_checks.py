"""The sample site read by its checkers (issue 12): the W3C Nu HTML checker on every page, axe-core in Chromium on
each page kind. The same code as `make check-outputs` (tools/checks/check_outputs.py), on the session's build, with
axe at a phone's width only (the Make target adds a desktop width).

Skipped only when the checkers are not installed here (tools/install-system-deps.sh installs Java and runs
`npm ci` in tools/checks); in CI a missing checker fails the run.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

from conftest import PROJECT

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("check_outputs", PROJECT / "tools/checks/check_outputs.py")
assert _spec and _spec.loader
checks = importlib.util.module_from_spec(_spec)
sys.modules["check_outputs"] = checks  # its dataclasses look their module up there
_spec.loader.exec_module(checks)

KINDS = [
    "home", "product with photo", "product without photo", "district", "current province", "star listing",
    "group listing", "search with a query", "showroom map", "showroom", "statistics", "marketplaces", "about", "404",
]  # fmt: skip
ALL_KINDS = KINDS + [f"{k} (en)" for k in KINDS if k != "404"]


@pytest.fixture(scope="session")
def checked(site, browser):
    if missing := checks.missing_tools():
        message = "output checkers not installed: " + "; ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (tools/install-system-deps.sh installs them)")
        pytest.skip(message)
    kinds = {k.name: k for k in checks.page_kinds(site)}
    assert sorted(kinds) == sorted(ALL_KINDS)
    pages = checks.html_pages(site)
    return {
        "kinds": kinds,
        "pages": pages,
        "nu": checks.nu_errors(site, pages),
        "axe": checks.axe_violations(site, list(kinds.values()), (checks.PHONE,), browser),
    }


def test_every_page_kind_is_checked(checked, site):
    assert len(checked["pages"]) > 200
    for k in checked["kinds"].values():
        assert checks.html_pages(site, [k])[0] in checked["pages"], k


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_page_kind_passes_the_nu_checker_and_axe(checked, site, kind):
    k = checked["kinds"][kind]
    file = checks.html_pages(site, [k])[0].relative_to(site).as_posix()
    assert [e for e in checked["nu"] if e.startswith(file + ":")] == []
    assert [v for v in checked["axe"] if v.startswith(f"{kind} /")] == []


def test_every_other_page_passes_the_nu_checker(checked):
    search = ("tim-kiem/index.html:", "en/search/index.html:")
    assert [e for e in checked["nu"] if not e.startswith(search)] == []


def test_the_checker_finds_a_fault_it_is_given(tmp_path, browser):
    """The Nu checker and axe are live: a page with an HTML error and an image without text is reported."""
    if checks.missing_tools():
        pytest.skip("output checkers not installed")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad/index.html").write_text(
        '<!doctype html><html lang="vi"><head><title>x</title></head><body><main><form action=""></form>'
        '<img src="a.png"></main></body></html>',
        encoding="utf-8",
    )
    assert any("action" in e for e in checks.nu_errors(tmp_path, [tmp_path / "bad/index.html"]))
    found = checks.axe_violations(tmp_path, [checks.Kind("bad", "bad/")], (checks.PHONE,), browser)
    assert any(": image-alt:" in v for v in found), found
