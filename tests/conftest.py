"""Shared fixtures: the sample catalogue built once per test session, as a real Pelican build."""
from __future__ import annotations

import shutil
import textwrap
from datetime import date
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SETTINGS = str(PROJECT / "pelicanconf.py")
BUILD_DATE = "2026-11-22"  # the sample records' statuses are chosen for this date (products/README.md)


def build_site(output: Path, products: Path | None = None, date_: str = BUILD_DATE, **override) -> int:
    from ocop_catalogue.publish import build

    settings = {"OCOP_BUILD_DATE": date_, **override}
    if products is not None:
        settings["OCOP_PRODUCTS_PATH"] = str(products)
    return build(SETTINGS, output, settings)


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
