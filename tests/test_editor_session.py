"""`make edit`'s preview (plugins/ocop_editor/session.py: EditorPreview) is `ocop serve`'s PreviewSession: a saved
record refreshes only what it changes, the preview equals a whole preview build of the same files, and the
editor's own files (/admin/, problems.json, records.json) are written after every rebuild, also when the records
were refused."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import BUILD_DATE, PROJECT

RECORD = Path("products") / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml"


@pytest.fixture
def editing(tmp_path, monkeypatch):
    """A copy of the sample site, as `make edit` reads it (the local backend on)."""
    from ocop_editor.session import edit_site

    monkeypatch.setenv("OCOP_LANG", "en")
    folder = tmp_path / "site"
    folder.mkdir()
    for name in ("products", "content", "schema"):
        shutil.copytree(PROJECT / name, folder / name)
    shutil.copyfile(PROJECT / "pelicanconf.py", folder / "pelicanconf.py")
    site = edit_site(folder, None, 8081).with_overrides({"OCOP_BUILD_DATE": BUILD_DATE})
    return site, tmp_path / "preview"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    later = time.time_ns() + 2 * 10**9  # its time moves on even when the clock's resolution is coarse
    os.utime(path, ns=(later, later))


def _problems(output: Path) -> dict:
    return json.loads((output / "admin" / "problems.json").read_text(encoding="utf-8"))


def _public(folder: Path) -> set[str]:
    """The preview's files but the editor's own (problems.json is written after the build, with its time)."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and "admin" not in p.parts}


def test_a_saved_record_refreshes_the_preview_and_the_editors_files(editing, tmp_path):
    from ocop_catalogue.publish import preview_site
    from ocop_editor.session import EditorPreview

    site, out = editing
    preview = EditorPreview(site, out)
    assert preview.rebuild() == 0 and preview.session.last == "whole"
    for name in ("index.html", "config.yml", "problems.json", "records.json"):
        assert (out / "admin" / name).is_file(), name
    checked = _problems(out)["checked"]

    _edit(site.folder / RECORD, "2345/QĐ-UBND", "2377/QĐ-UBND")
    assert preview.rebuild(records_only=True) == 0
    assert preview.session.last == "refresh"
    page = out / "san-pham" / "nuoc-mam-ba-hai-40-dam" / "index.html"
    assert "2377/QĐ-UBND" in page.read_text(encoding="utf-8")
    assert _problems(out)["checked"] > checked
    known = json.loads((out / "admin" / "records.json").read_text(encoding="utf-8"))
    assert "bt-pt-0004" in json.dumps(known)

    fresh = tmp_path / "fresh"
    assert preview_site(site, fresh) == 0
    expected = _public(fresh)
    assert expected <= _public(out)
    assert [n for n in sorted(expected) if not filecmp.cmp(fresh / n, out / n, shallow=False)] == []


def test_a_refused_record_is_named_in_problems_json_and_the_preview_kept(editing, capfd):
    from ocop_editor.session import EditorPreview

    site, out = editing
    preview = EditorPreview(site, out)
    assert preview.rebuild() == 0
    page = out / "san-pham" / "nuoc-mam-ba-hai-40-dam" / "index.html"
    shown = page.read_bytes()
    capfd.readouterr()
    _edit(site.folder / RECORD, "score: 76", "score: 45")  # out of the 4★ band
    assert preview.rebuild(records_only=True) == 1
    assert "The preview was not updated" in capfd.readouterr().err
    assert page.read_bytes() == shown
    found = _problems(out)["files"]
    assert RECORD.as_posix() in found
    assert any("score" in line for line in found[RECORD.as_posix()])
    _edit(site.folder / RECORD, "score: 45", "score: 77")
    assert preview.rebuild(records_only=True) == 0
    assert preview.session.last == "whole"  # the refused save left nothing to refresh from
    assert RECORD.as_posix() not in _problems(out)["files"]
