"""A new site (`ocop init`) starts on today's map: its sample product names a current commune of Lâm Đồng."""

from __future__ import annotations

from datetime import date

import pytest

from ocop import cli, site_folder
from ocop.records import read_records

BUILD_DAY = "2026-11-22"


@pytest.fixture
def new_site(tmp_path, monkeypatch):
    for name in ("OCOP_SITE", "OCOP_PRODUCTS", "OCOP_PROVINCE", "OCOP_LANG"):
        monkeypatch.delenv(name, raising=False)
    site_folder.create(tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    return tmp_path / "site"


def test_the_sample_product_is_a_post_reform_record(new_site):
    (path,) = (new_site / "products").rglob("*.yaml")
    assert path.parent.name == "lam-dong"  # filed as the staff tools file new records: the current province
    text = path.read_text(encoding="utf-8")
    assert 'commune: "Phường Phước Hội"\n' in text and "district:" not in text and "province:" not in text
    (product,), problems = read_records(new_site / "products", "Lâm Đồng")
    assert problems == []  # no warning either: the province signs a 3★ certificate since 1/7/2025
    place = product.place
    assert (place.province.name, place.commune.full_name) == ("Lâm Đồng", "Phường Phước Hội")
    assert (place.district.full_name, place.former_province.name) == ("Thị xã La Gi", "Bình Thuận")
    assert product.current.date >= date(2025, 7, 1) and product.current.issuer == "UBND tỉnh Lâm Đồng"
    assert product.id == "ld-ph-0001"  # the current province's and commune's initials, as `ocop new` gives


def test_a_new_sites_check_passes_and_ocop_new_files_beside_the_sample(new_site, capsys):
    assert cli.main(["check", "--date", BUILD_DAY, "--lang", "en"]) == 0
    assert "1 product records and 1 showroom records are valid" in capsys.readouterr().out
    argv = ["new", "--name", "Nước mắm Tân Hải", "--commune", "xã Tân Hải", "--producer", "HTX Tân Hải"]
    argv += ["--stars", "3", "--decision", "9/QĐ-UBND", "--date", "10/11/2026", "--no-input"]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.startswith("Đã tạo products/lam-dong/nuoc-mam-tan-hai.yaml (mã ld-th-0001")
    assert cli.main(["check", "--date", BUILD_DAY]) == 0
