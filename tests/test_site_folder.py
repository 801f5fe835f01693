"""`ocop` works on a site folder: the one it runs in, or the one named by --site / -C / OCOP_SITE."""

from __future__ import annotations

import filecmp
import os
import runpy
from pathlib import Path

import pytest

from ocop import cli, site_folder
from ocop.settings import DEFAULTS, SETTINGS_FILE, NotASite, read_site

from conftest import BUILD_DATE, PROJECT


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("OCOP_SITE", "OCOP_PRODUCTS", "OCOP_PROVINCE", "OCOP_LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def new_site(tmp_path) -> Path:
    site_folder.create(tmp_path / "site")
    return tmp_path / "site"


def test_settings_are_read_from_the_site_folder_with_relative_paths(new_site):
    (new_site / SETTINGS_FILE).write_text('SITENAME = "OCOP Thử"\nOCOP_PRODUCTS_PATH = "ho-so"\n', encoding="utf-8")
    site = read_site(new_site)
    assert site.settings["SITENAME"] == "OCOP Thử" and site.file == new_site / SETTINGS_FILE
    assert site.products_path == new_site / "ho-so"  # relative to the site folder, not to the current one
    assert site.cache_path == new_site / ".cache" and site.province == DEFAULTS["OCOP_PROVINCE"]
    assert site.showrooms_path == new_site / "content" / "showrooms"
    moved = site.with_overrides({"OCOP_PRODUCTS_PATH": "khac", "OCOP_PROVINCE": "Đồng Nai"})
    assert moved.products_path == new_site / "khac" and moved.province == "Đồng Nai"
    assert site.products_path == new_site / "ho-so"  # the original is unchanged


def test_the_project_folder_is_a_site_whose_settings_differ_only_where_they_must():
    site = read_site(PROJECT)
    assert site.products_path == PROJECT / "products" and site.province == "Lâm Đồng"  # the new Lâm Đồng (issue 10)
    own = {k for k in runpy.run_path(str(PROJECT / SETTINGS_FILE)) if k.isupper()}
    assert own <= {"SITENAME", "SITESUBTITLE", "AUTHOR", "SITE_CANONICAL_URL", "OCOP_SCOPE", "OCOP_PLAN_TARGETS"}, own


def test_a_folder_without_settings_is_not_a_site(tmp_path):
    site = read_site(tmp_path)
    with pytest.raises(NotASite):
        site.require_file()


def test_commands_get_the_site_they_run_in(new_site, monkeypatch, clean_env):
    seen = []
    monkeypatch.setattr(cli, "cmd_check", lambda args: seen.append(args.site) or 0)
    monkeypatch.chdir(new_site)
    assert cli.main(["check"]) == 0
    assert seen[-1].folder == new_site and seen[-1].products_path == new_site / "products"


def test_site_option_and_environment_name_another_folder(new_site, tmp_path, monkeypatch, clean_env):
    seen = []
    monkeypatch.setattr(cli, "cmd_check", lambda args: seen.append(args.site) or 0)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--site", str(new_site), "check"]) == 0
    assert cli.main(["-C", "site", "check"]) == 0
    monkeypatch.setenv("OCOP_SITE", str(new_site))
    assert cli.main(["check"]) == 0
    assert [s.folder for s in seen] == [new_site] * 3
    monkeypatch.setenv("OCOP_PRODUCTS", "elsewhere")  # relative to the current folder, like any path typed
    assert cli.main(["check"]) == 0
    assert seen[-1].products_path == tmp_path / "elsewhere"


def test_check_in_a_new_site_and_outside_one(new_site, tmp_path, monkeypatch, capsys, clean_env):
    monkeypatch.chdir(new_site)
    assert cli.main(["check", "--date", BUILD_DATE, "--lang", "en"]) == 0
    assert "1 product records and 1 showroom records are valid" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path} không phải thư mục trang" in err and "ocop init" in err  # Vietnamese by default
    assert cli.main(["check", "--lang", "en"]) == 2
    assert f"{tmp_path} is not a site folder: {tmp_path / SETTINGS_FILE} is missing" in capsys.readouterr().err


def test_init_writes_a_site_and_refuses_a_folder_in_use(tmp_path, monkeypatch, capsys, clean_env):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init", "moi", "--lang", "en"]) == 0
    assert "Created a new site in moi" in capsys.readouterr().out
    assert (tmp_path / "moi" / SETTINGS_FILE).is_file() and (tmp_path / "moi" / ".gitignore").is_file()
    assert {p.name for p in (tmp_path / "moi" / "schema").iterdir()} >= {"product.schema.json", "showroom.schema.json"}
    before = sorted(p for p in (tmp_path / "moi").rglob("*"))
    assert cli.main(["init", "moi"]) == 2
    assert "moi không trống" in capsys.readouterr().err
    assert sorted(p for p in (tmp_path / "moi").rglob("*")) == before  # nothing written
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert cli.main(["init", "a-file"]) == 2


def test_the_new_site_starts_with_the_projects_content_pages():
    pages, skeleton = PROJECT / "content" / "pages", site_folder.SKELETON / "content" / "pages"
    names = sorted(str(p.relative_to(pages)) for p in pages.rglob("*.md"))
    assert names == sorted(str(p.relative_to(skeleton)) for p in skeleton.rglob("*.md")) and names
    _, mismatch, errors = filecmp.cmpfiles(pages, skeleton, names, shallow=False)
    assert not mismatch and not errors, f"copy content/pages to {skeleton}: {mismatch}"


def test_a_new_site_gets_the_record_schemas_for_editors(new_site):
    """The records' first line points editors to ../../schema/; the copies are valid JSON Schemas."""
    import json

    for name in ("product", "showroom"):
        schema = json.loads((new_site / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert schema["properties"] and "$schema" in schema
    first = next((new_site / "products").rglob("*.yaml")).read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/product.schema.json"


def test_other_commands_get_the_site_even_without_a_settings_file(tmp_path, monkeypatch, clean_env):
    """The staff tools work in a folder with only products/ (the defaults); check, build and serve refuse it."""
    seen = []

    def probe(sub):
        sub.add_parser("probe").set_defaults(func=lambda args: seen.append(args.site) or 0)

    monkeypatch.chdir(tmp_path)
    assert cli.run(cli.parser(probe), ["probe"]) == 0
    assert seen[0].folder == tmp_path and seen[0].products_path == tmp_path / "products"
    assert cli.run(cli.parser(probe), ["check"]) == 2


def test_build_and_serve_are_on_the_adapter_side_only(capsys):
    from ocop_catalogue import command

    with pytest.raises(SystemExit):
        cli.main(["build"])
    assert "invalid choice: 'build'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        command.main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in ("check", "build", "serve", "init", "new", "import", "--site"))


def test_build_from_the_command_in_a_new_site(new_site, monkeypatch, clean_env):
    from ocop_catalogue import command

    monkeypatch.chdir(new_site)
    assert command.main(["build", "--date", BUILD_DATE]) == 0
    assert (new_site / "output" / "index.html").is_file() and (new_site / ".cache").is_dir()
    assert os.listdir(new_site / "output" / "san-pham") == ["nuoc-mam-ca-com-phuoc-loc"]
