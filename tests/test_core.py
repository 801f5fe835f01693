"""The domain core stays free of Pelican, and the sample catalogue covers what the issue asks for."""

import ast
import os
import subprocess
import sys
from pathlib import Path

from ocop.certificates import Status

from conftest import PROJECT

# The adapter: Pelican, its live-reload server, the plugins and the theme. The core imports none of them.
ADAPTER = (
    "pelican",
    "livereload",
    "ocop_theme",
    *sorted(p.name for p in (PROJECT / "plugins").iterdir() if (p / "__init__.py").is_file()),
)


def test_core_imports_nothing_from_the_adapter():
    """No import statement in ocop/ names the adapter, not even one inside a function."""
    for path in (PROJECT / "ocop").rglob("*.py"):
        if "skeleton" in path.relative_to(PROJECT / "ocop").parts:
            continue  # a new site's settings file, not code of the core
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            for name in names:
                assert name.split(".")[0] not in ADAPTER, f"{path} imports {name}"


def test_core_modules_import_nothing_from_the_adapter_transitively():
    """Every module of ocop/, imported in a fresh interpreter, loads no adapter module, directly or through
    the libraries it uses."""
    code = (
        "import importlib, pkgutil, sys, ocop\n"
        "for m in pkgutil.walk_packages(ocop.__path__, 'ocop.'):\n"
        "    importlib.import_module(m.name)\n"
        f"loaded = sorted(n for n in sys.modules if n.split('.')[0] in {ADAPTER!r})\n"
        "assert not loaded, f'the core loaded the adapter: {loaded}'\n"
        "print(len([n for n in sys.modules if n.startswith('ocop')]))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert int(res.stdout) >= 20  # the walk did import the core's modules


def test_core_runs_without_pelican_loaded():
    code = (
        "import sys, datetime; from ocop.catalogue import load_catalogue; "
        f"load_catalogue({str(PROJECT / 'products')!r}, 'Lâm Đồng', datetime.date(2026, 11, 22)); "
        "assert 'pelican' not in sys.modules, 'pelican was imported'; "
        "assert 'shapely' not in sys.modules, 'the place data package was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_sample_catalogue_coverage(catalogue):
    ps = catalogue.products
    assert len(ps) >= 40
    bt = {p.district.name for p in ps if p.province.name == "Bình Thuận"}
    assert bt == {
        "Phan Thiết",
        "La Gi",
        "Tuy Phong",
        "Bắc Bình",
        "Hàm Thuận Bắc",
        "Hàm Thuận Nam",
        "Hàm Tân",
        "Tánh Linh",
        "Đức Linh",
        "Phú Quý",
    }
    assert {p.group.key for p in ps} == {"food", "drinks", "herbal", "handicrafts", "ornamental", "tourism"}
    assert {p.stars for p in ps} == {3, 4, 5}
    assert catalogue.count(Status.EXPIRED) >= 1 and catalogue.count(Status.REVOKED) == 1
    assert catalogue.count(Status.EXPIRING) >= 1
    assert (
        sum(
            1
            for p in ps
            if p.missing_english
            == tuple(f for f in ("name", "summary", "description", "story", "offer.unit") if f in p.missing_english)
            and "name" in p.missing_english
        )
        == 1
    )


def test_catalogue_groupings_are_consistent(catalogue):
    listed = set(map(id, catalogue.listed))
    assert sum(len(ps) for ps in catalogue.stars.values()) == len(catalogue.listed)
    assert sum(len(ps) for _, ps in catalogue.groups) == len(catalogue.listed)
    assert sum(len(e.products) for e in catalogue.districts) == len(catalogue.listed)
    assert sum(e.total for e in catalogue.districts) == len(catalogue.products)
    for e in catalogue.districts:
        assert all(id(p) in listed and p.district == e.district for p in e.products)
        assert [p for _, ps in e.by_group for p in ps] == sorted(
            e.products, key=lambda p: [g for g, _ in e.by_group].index(p.group)
        )
    newest = catalogue.newest(5)
    assert [p.certified_on for p in newest] == sorted((p.certified_on for p in newest), reverse=True)


def test_check_command(tmp_path):
    ocop = Path(sys.executable).parent / "ocop"
    env = {k: v for k, v in os.environ.items() if k != "OCOP_LANG"}
    ok = subprocess.run([str(ocop), "check", "--date", "2026-11-22"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # Vietnamese by default, dates written day/month/year
    assert "65 bản ghi sản phẩm và 8 bản ghi điểm giới thiệu sản phẩm đều hợp lệ" in ok.stdout
    assert "(trạng thái tính đến ngày 22/11/2026)" in ok.stdout and "0 lỗi, 1 cảnh báo." in ok.stdout
    en = subprocess.run(
        [str(ocop), "check", "--date", "2026-11-22", "--lang", "en"], capture_output=True, text=True, env=env
    )
    assert "65 product records and 8 showroom records are valid (statuses as of 2026-11-22)" in en.stdout
    assert "0 error(s), 1 warning(s)." in en.stdout
    bad = tmp_path / "products"
    bad.mkdir()
    (bad / "a.yaml").write_text("id: a\nname: {vi: x}\n", encoding="utf-8")
    res = subprocess.run([str(ocop), "check", "--products", str(bad)], capture_output=True, text=True, env=env)
    # A record names its place by `district:` (before the reform) or `commune:` (since): naming neither is an error.
    assert (
        res.returncode == 1 and "products/a.yaml:1: lỗi: trường 'district': bản ghi không ghi địa phương" in res.stdout
    )
    assert "4 lỗi, 0 cảnh báo." in res.stdout, "each problem once"
    res = subprocess.run(
        [str(ocop), "check", "--products", str(bad)], capture_output=True, text=True, env={**env, "OCOP_LANG": "en"}
    )
    assert res.returncode == 1 and "products/a.yaml:1: error: field 'district':" in res.stdout
    assert "is missing" in res.stdout and "4 error(s), 0 warning(s)." in res.stdout


def test_check_command_catches_unknown_showroom(tmp_path):
    import shutil

    products = tmp_path / "products"
    shutil.copytree(PROJECT / "products", products)
    shutil.copytree(PROJECT / "content" / "showrooms", tmp_path / "content" / "showrooms")
    record = products / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml"
    record.write_text(
        record.read_text(encoding="utf-8") + "showrooms: [khong-co-diem-nay]\n"
        if "showrooms:" not in record.read_text(encoding="utf-8")
        else record.read_text(encoding="utf-8").replace("showrooms: [", "showrooms: [khong-co-diem-nay, "),
        encoding="utf-8",
    )
    ocop = Path(sys.executable).parent / "ocop"
    res = subprocess.run([str(ocop), "check", "--products", str(products)], capture_output=True, text=True)
    assert res.returncode == 1
    assert "products/phan-thiet/nuoc-mam-ba-hai-40-dam.yaml" in res.stdout and "khong-co-diem-nay" in res.stdout


def test_languages_have_one_home():
    from ocop import i18n, model, showrooms

    assert model.LANGS is i18n.LANGS and showrooms.LANGS is i18n.LANGS


def test_catalogue_by_current_province_then_former_province_and_district(catalogue):
    """Listings by current province hold, within each, the former provinces and districts people know."""
    first = catalogue.current_provinces[0]
    assert first.province.name == "Lâm Đồng" and first.in_scope  # the site's scope first
    assert [f.province.name for f in first.former][:1] == ["Bình Thuận"]
    held = {e.province.name: {f.province.name for f in e.former} for e in catalogue.current_provinces}
    assert held["Điện Biên"] == {"Điện Biên"} and held["Đồng Nai"] == {"Bình Phước"}
    assert [d for e in catalogue.current_provinces for d in e.districts] == catalogue.districts
    assert sum(len(e.products) for e in catalogue.current_provinces) == len(catalogue.listed)
    assert sum(e.total for e in catalogue.current_provinces) == len(catalogue.products)
    for e in catalogue.current_provinces:
        assert catalogue.by_province[e.province] is e
        assert all(p.place.province is e.province for p in e.products)
        for f in e.former:
            assert f.total == sum(d.total for d in f.districts) and f.province.current is e.province
    for commune, products in catalogue.by_commune.items():
        assert all(p.place.commune is commune for p in products)
    # the pre-reform groupings stay as they were: consecutive former provinces, each with its districts
    assert [fp for fp, _ in catalogue.provinces] == [fp for fp, _ in catalogue.former_provinces]
    assert [d for _, ds in catalogue.provinces for d in ds] == catalogue.districts
