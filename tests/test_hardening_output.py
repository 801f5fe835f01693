"""What hostile input must not reach (issue 13, findings 6, 7, 9): a page's script, the photo cache, paths
outside the project."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ocop.cli import main
from ocop.images import render
from ocop.showrooms import json_ld, read_showrooms

from conftest import PROJECT, copy_sample_image, write
from decision_tables import copy_products, snapshot

HOSTILE = "Điểm <!--<script>alert(1)</script> & co"


def test_showroom_json_ld_escapes_what_would_end_or_hide_the_script(tmp_path):
    """`<!--<script>` in a name, address, e-mail or website left the page blank: the showroom JSON-LD escaped only
    `</`. It now goes through the product pages' serialiser."""
    sample = (PROJECT / "content" / "showrooms" / "coopmart-phan-thiet.yaml").read_text(encoding="utf-8")
    lines = [
        f'name: {{vi: "{HOSTILE}", en: "{HOSTILE}"}}' if line.startswith("name:") else line
        for line in sample.splitlines()
    ]
    lines = [f'address: "{HOSTILE}"' if line.startswith("address:") else line for line in lines]
    write(tmp_path / "showrooms", "coopmart-phan-thiet.yaml", "\n".join(lines) + "\n")
    (showroom,), problems = read_showrooms(tmp_path / "showrooms", "Bình Thuận")
    assert not [p for p in problems if p.severity.value == "error"]
    for lang in ("vi", "en"):
        text = json_ld(showroom, "https://ocop.example.org/", lang)
        assert not {"<", ">", "&"} & set(text), text
        data = json.loads(text)
        assert data["address"]["streetAddress"] == HOSTILE and data["name"].startswith("Điểm")


def test_a_photo_named_with_a_space_renders_again_from_the_cache(tmp_path):
    """The cache manifest split its lines on spaces: a photo named with a space broke every later build."""
    photo = copy_sample_image(tmp_path, "ảnh sản phẩm.jpg")
    cache = tmp_path / "cache"
    first, files = render(photo, "ảnh sản phẩm", cache)
    assert all(" " not in name for name in files)
    again, files_again = render(photo, "ảnh sản phẩm", cache)
    assert (again, files_again) == (first, files)


def test_a_photo_cache_of_the_former_format_is_ignored(tmp_path):
    photo = copy_sample_image(tmp_path, "photo.jpg")
    cache = tmp_path / "cache"
    first, _ = render(photo, "photo", cache)
    (folder,) = [p for p in cache.iterdir() if p.name != "by-path"]
    (folder / "manifest.json").unlink()
    (folder / "manifest.txt").write_text("400 300 webp my photo-1234-400.webp\n")  # what broke the build
    again, files = render(photo, "photo", cache)
    assert again == first and all(path.is_file() for path in files.values())


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("OCOP_LANG", "en")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795280400")
    copy_products(tmp_path)
    shutil.copyfile(PROJECT / "pelicanconf.py", tmp_path / "pelicanconf.py")
    monkeypatch.chdir(tmp_path)
    return tmp_path


NEW = ["new", "--name", "Nước mắm Thử", "--district", "Đức Linh", "--producer", "Cơ sở Thử", "--stars", "4"]
NEW += ["--decision", "1234/QĐ-UBND", "--date", "24/12/2025", "--no-input"]


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--slug", "../../../x", "only lowercase letters a-z, digits and hyphens"),
        ("--slug", "/tmp/absolute", "only lowercase letters a-z, digits and hyphens"),
        ("--slug", "con", "a name Windows reserves for a device"),
        ("--slug", "a" * 81, "has 81 characters; at most 80"),
        ("--id", "bt-dl-9999\nstars: 5", "only lowercase letters a-z, digits and hyphens"),
    ],
)
def test_new_refuses_ids_and_page_addresses_that_would_escape_or_inject(site, capsys, option, value, words):
    before = snapshot(site / "products")
    assert main([*NEW, option, value]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{option} {value!r}") and words in err, err
    assert snapshot(site / "products") == before
    assert not (site.parent / "x.yaml").exists() and not Path("/tmp/absolute.yaml").exists()


def test_new_still_writes_a_good_slug(site, capsys):
    assert main([*NEW, "--slug", "nuoc-mam-thu"]) == 0, capsys.readouterr().err
    assert (site / "products" / "lam-dong" / "nuoc-mam-thu.yaml").is_file()  # the current province (issue 10)
