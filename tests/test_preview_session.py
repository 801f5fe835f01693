"""The long-running preview (plugins/ocop_catalogue/preview.py): after a record is saved it refreshes only what
changed, and shows exactly what a whole preview build of the same files shows."""

from __future__ import annotations

import filecmp
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import BUILD_DATE, PROJECT, SETTINGS

pytestmark = pytest.mark.usefixtures("quiet_preview")


@pytest.fixture
def quiet_preview(monkeypatch):
    monkeypatch.setenv("OCOP_LANG", "en")


def _site(tmp_path: Path):
    from ocop_catalogue.publish import site_of

    products = tmp_path / "products"
    shutil.copytree(PROJECT / "products", products)
    override = {
        "OCOP_PRODUCTS_PATH": str(products),
        "OCOP_SHOWROOMS_PATH": str(PROJECT / "content" / "showrooms"),
        "OCOP_CACHE_PATH": str(tmp_path / "cache"),
        "OCOP_BUILD_DATE": BUILD_DATE,
    }
    return site_of(SETTINGS, override), products


def _save(path: Path, text: str) -> None:
    """Write a record as an editor does; its time moves on even when the clock's resolution is coarse."""
    path.write_text(text, encoding="utf-8")
    later = time.time_ns() + 2 * 10**9
    os.utime(path, ns=(later, later))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    _save(path, text.replace(old, new, 1))


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def _assert_as_whole_build(site, preview: Path, fresh: Path) -> None:
    """Every file of a whole preview build, made from scratch now, is in `preview` with the same bytes."""
    from ocop_catalogue.publish import preview_site

    shutil.rmtree(fresh, ignore_errors=True)
    assert preview_site(site, fresh) == 0
    expected = _files(fresh)
    assert expected <= _files(preview)
    differ = [name for name in sorted(expected) if not filecmp.cmp(fresh / name, preview / name, shallow=False)]
    assert differ == []


def _rendered(capfd) -> int:
    """How many catalogue pages the last rebuild rendered, from its own report."""
    err = capfd.readouterr().err
    line = [x for x in err.splitlines() if x.startswith("Preview: ") and "catalogue pages" in x][-1]
    return int(line.split()[1])


def test_a_series_of_saves_shows_what_a_whole_build_shows(tmp_path, capfd):
    from ocop_catalogue.preview import PreviewSession

    site, products = _site(tmp_path)
    out, fresh = tmp_path / "preview", tmp_path / "fresh"
    session = PreviewSession(site, out, "en")
    assert session.rebuild() == 0 and session.last == "whole"
    capfd.readouterr()

    record = products / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml"
    other = products / "la-gi" / "cha-ca-thu-ha.yaml"
    steps = [
        # a decision number: the product's two pages, and the listings that show it
        lambda: _edit(record, '"2345/QĐ-UBND"', '"2399/QĐ-UBND"'),
        # a new name (it moves in every alphabetical listing) and another star level (it leaves one star listing
        # for another, the counts change)
        lambda: _save(
            record,
            record.read_text(encoding="utf-8")
            .replace('vi: "Nước mắm Bà Hai 40 độ đạm"', 'vi: "Á Nước mắm Bà Hai 40 độ đạm"')
            .replace("stars: 4\n    score: 76", "stars: 3\n    score: 60"),
        ),
        # a revocation: the product leaves the listings for the lapsed page
        lambda: _edit(other, 'revoked: {date: 2025-09-15, decision: "1587/QĐ-UBND"}', "expires: 2027-05-06"),
        # another district (its district's entry, its former and current province pages change; the commune goes)
        lambda: _save(
            other,
            other.read_text(encoding="utf-8")
            .replace('district: "La Gi"\ncommune: "Tân An"\n', 'district: "Đức Linh"\n')
            .replace("expires: 2027-05-06", "expires: 2027-05-07"),
        ),
        # a certificate dated after the build day: the product is not seen until then (it leaves every page)
        lambda: _edit(other, "date: 2024-05-06", "date: 2026-12-24"),
        lambda: _edit(other, "date: 2026-12-24", "date: 2024-05-06"),
        # a new record, and one deleted
        lambda: (
            _save(
                products / "phan-thiet" / "moi.yaml",
                record.read_text(encoding="utf-8")
                .replace("id: bt-pt-0004", "id: bt-pt-0999")
                .replace("Á Nước mắm", "Nước mắm mới"),
            ),
            (products / "ha-noi" / "non-la-lang-chuong.yaml").unlink(),
        ),
    ]
    for step in steps:
        step()
        assert session.rebuild(records_only=True) == 0
        assert session.last == "refresh"
        rendered = _rendered(capfd)
        assert 0 < rendered < 60  # of ~400 catalogue pages
        _assert_as_whole_build(site, out, fresh)
        capfd.readouterr()


def test_the_refresh_renders_only_the_pages_of_the_edit(tmp_path, capfd):
    from ocop_catalogue.preview import PreviewSession

    site, products = _site(tmp_path)
    out = tmp_path / "preview"
    session = PreviewSession(site, out, "en")
    assert session.rebuild() == 0
    capfd.readouterr()
    untouched = out / "san-pham" / "cha-ca-thu-ha" / "index.html"
    before = untouched.stat().st_mtime_ns
    assert session.rebuild(records_only=True) == 0 and session.last == "refresh"
    assert _rendered(capfd) <= 4  # nothing saved: the always-rendered home and browse pages only
    _edit(products / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml", "2345/QĐ-UBND", "2388/QĐ-UBND")
    assert session.rebuild(records_only=True) == 0
    assert "2388/QĐ-UBND" in (out / "san-pham" / "nuoc-mam-ba-hai-40-dam" / "index.html").read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == before


def test_an_error_in_the_saved_record_is_reported_and_the_preview_kept(tmp_path, capfd):
    from ocop_catalogue.preview import PreviewSession

    site, products = _site(tmp_path)
    out = tmp_path / "preview"
    session = PreviewSession(site, out, "en")
    assert session.rebuild() == 0
    page = out / "san-pham" / "nuoc-mam-ba-hai-40-dam" / "index.html"
    shown = page.read_bytes()
    record = products / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml"
    capfd.readouterr()
    _edit(record, "score: 76", "score: 45")  # out of the 4★ band
    assert session.rebuild(records_only=True) == 1
    err = capfd.readouterr().err
    assert "nuoc-mam-ba-hai-40-dam.yaml" in err and "score" in err
    assert "The preview was not updated" in err
    assert page.read_bytes() == shown
    _edit(record, "score: 45", "score: 77")
    assert session.rebuild(records_only=True) == 0
    assert session.last == "whole"  # the failed build left nothing to refresh from: a whole build, once
    _edit(record, "score: 77", "score: 78")
    assert session.rebuild(records_only=True) == 0 and session.last == "refresh"


def test_an_id_used_twice_is_reported_by_the_whole_build(tmp_path, capfd):
    from ocop_catalogue.preview import PreviewSession

    site, products = _site(tmp_path)
    session = PreviewSession(site, tmp_path / "preview", "en")
    assert session.rebuild() == 0
    capfd.readouterr()
    record = products / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml"
    _save(products / "phan-thiet" / "copy.yaml", record.read_text(encoding="utf-8"))
    assert session.rebuild(records_only=True) == 1
    err = capfd.readouterr().err
    assert "bt-pt-0004" in err and "copy.yaml" in err


def test_a_new_build_day_runs_the_whole_build(tmp_path, capfd):
    from ocop_catalogue.preview import PreviewSession

    site, _ = _site(tmp_path)
    session = PreviewSession(site, tmp_path / "preview", "en")
    assert session.rebuild() == 0
    site.settings["OCOP_BUILD_DATE"] = "2026-12-01"
    assert session.rebuild(records_only=True) == 0
    assert session.last == "whole"


def test_the_server_refreshes_on_record_saves_only():
    from ocop_catalogue.preview import PreviewSession, serve_callbacks

    calls: list[bool] = []

    class Recorder(PreviewSession):
        def rebuild(self, records_only: bool = False) -> int:
            calls.append(records_only)
            return 0

    records_saved, other_saved = serve_callbacks(Recorder.__new__(Recorder))
    records_saved()
    other_saved()
    assert calls == [True, False]
