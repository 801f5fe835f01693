"""The browser editor's configuration, generated from the record schemas (ocop/editor.py), and the plugin that
writes /admin/ in a real build. The editor itself, in a real browser: test_editor_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ocop import editor, schemas
from ocop.certificates import STAR_BANDS
from ocop.groups import GROUPS

from conftest import PROJECT, build_site

SETTINGS = {"OCOP_EDITOR": "local"}


NO_PLACES = editor.Places()


def _config(settings=SETTINGS, places=NO_PLACES) -> dict:
    return editor.config(
        settings, PROJECT, PROJECT / "products", PROJECT / "content" / "showrooms", places, site_url=""
    )


def _collection(cfg: dict, name: str) -> dict:
    return next(c for c in cfg["collections"] if c["name"] == name)


def _field(fields: list[dict], name: str) -> dict:
    return next(f for f in fields if f["name"] == name)


def test_every_folder_of_records_is_a_collection_with_every_schema_field_in_order():
    cfg = _config()
    folders = {c["folder"] for c in cfg["collections"]}
    record_folders = {p.parent.relative_to(PROJECT).as_posix() for p in (PROJECT / "products").rglob("*.yaml")}
    assert record_folders <= folders and "products" in folders and "content/showrooms" in folders
    for c in cfg["collections"]:
        kind = "showroom" if c["folder"] == "content/showrooms" else "product"
        assert [f["name"] for f in c["fields"]] == list(schemas.load(kind)["properties"])
        assert c["extension"] == "yaml" and c["format"] == "yaml" and c["create"] is True
        # Photos beside the record, written as bare file names.
        assert c["media_folder"] == "" and c["public_folder"] == ""


def test_the_first_field_carries_the_schema_line_so_files_keep_it():
    cfg = _config()
    assert _collection(cfg, "products-phan-thiet")["fields"][0]["comment"] == (
        "yaml-language-server: $schema=../../schema/product.schema.json"
    )
    assert _collection(cfg, "products")["fields"][0]["comment"].endswith("$schema=../schema/product.schema.json")
    showrooms = _collection(cfg, "showrooms")["fields"][0]["comment"]
    assert showrooms == "yaml-language-server: $schema=../../schema/showroom.schema.json"
    # The same line the hand-written sample records start with.
    first = (PROJECT / "products/phan-thiet/nuoc-mam-ba-hai-40-dam.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# " + _collection(cfg, "products-phan-thiet")["fields"][0]["comment"]


def test_bilingual_texts_are_vietnamese_english_pairs():
    fields = _collection(_config(), "products-phan-thiet")["fields"]
    name = _field(fields, "name")
    assert name["widget"] == "object" and [f["name"] for f in name["fields"]] == ["vi", "en"]
    assert [f["required"] for f in name["fields"]] == [True, False]
    assert _field(_field(fields, "description")["fields"], "vi")["widget"] == "markdown"
    assert _field(_field(fields, "summary")["fields"], "vi")["required"] is False  # an optional text


def test_certificates_are_a_list_with_stars_score_decision_date_issuer_expiry_revocation():
    certs = _field(_collection(_config(), "products-phan-thiet")["fields"], "certificates")
    assert certs["widget"] == "list" and certs["required"] is True
    names = [f["name"] for f in certs["fields"]]
    assert names == ["stars", "score", "decision", "date", "issuer", "expires", "revoked"]
    assert [o["value"] for o in _field(certs["fields"], "stars")["options"]] == [3, 4, 5]
    date = _field(certs["fields"], "date")
    assert date["widget"] == "datetime" and date["format"] == "YYYY-MM-DD" and date["default"] == ""
    assert [f["name"] for f in _field(certs["fields"], "revoked")["fields"]] == ["date", "decision"]
    score = _field(certs["fields"], "score")
    assert (score["min"], score["max"], score["value_type"]) == (0, 100, "int")


def test_selects_come_from_the_domain_lists():
    fields = _collection(_config(), "products-phan-thiet")["fields"]
    assert [o["value"] for o in _field(fields, "group")["options"]] == [g.key for g in GROUPS]
    assert [o["value"] for o in _field(fields, "product_set")["options"]] == list(range(1, 27))
    kind = _field(_field(fields, "producer")["fields"], "kind")
    assert {o["value"]: o["label"] for o in kind["options"]}["cooperative"] == "Hợp tác xã"
    channel = _field(_field(fields, "buy")["fields"], "channel")
    assert [o["value"] for o in channel["options"]] == schemas.load("product")["properties"]["buy"]["items"][
        "properties"
    ]["channel"]["enum"]


def test_patterns_carry_the_schema_pattern_and_a_vietnamese_explanation():
    fields = _collection(_config(), "products-phan-thiet")["fields"]
    gtin = _field(_field(fields, "offer")["fields"], "gtin")
    assert gtin["pattern"][0] == "^([0-9]{8}|[0-9]{12,14})$"
    assert gtin["pattern"][1].startswith("Cần ")
    # In an optional object nothing is required by the form (an offer nobody meant to write).
    assert _field(_field(fields, "offer")["fields"], "price")["required"] is False
    assert _field(_field(fields, "producer")["fields"], "name")["required"] is True
    assert _field(fields, "id")["required"] is False  # proposed from the name when left empty


def test_places_are_the_gazetteers_names_for_the_scope():
    from ocop.places import read_scope

    places = editor.places_of(read_scope("Lâm Đồng"))
    provinces = dict(places.provinces)
    assert provinces["Lâm Đồng"] == "Tỉnh Lâm Đồng" and "Bình Thuận" in provinces and len(provinces) > 60
    assert "Phan Thiết" in dict(places.districts) and "Hà Đông" not in dict(places.districts)
    assert "Phường Mũi Né" in dict(places.communes)
    fields = _collection(_config(places=places), "products-phan-thiet")["fields"]
    assert _field(fields, "commune")["widget"] == "select"
    assert _field(_config()["collections"][0]["fields"], "commune")["widget"] == "string"  # no list: typed


def test_backends():
    assert editor.backend({"OCOP_EDITOR": "local"})["name"] == "proxy"
    gitlab = editor.backend(
        {
            "OCOP_EDITOR": "gitlab",
            "OCOP_EDITOR_REPO": "so/ocop",
            "OCOP_EDITOR_BACKEND_OPTIONS": {"api_root": "https://git.example.vn/api/v4", "auth_type": "pkce"},
        }
    )
    assert gitlab == {
        "name": "gitlab",
        "repo": "so/ocop",
        "branch": "main",
        "api_root": "https://git.example.vn/api/v4",
        "auth_type": "pkce",
    }
    cfg = _config({"OCOP_EDITOR": "gitea", "OCOP_EDITOR_REPO": "so/ocop"})
    assert cfg["local_backend"] == {"url": editor.LOCAL_BACKEND_URL}  # `make edit` still works on a staff PC
    assert "local_backend" not in _config()


@pytest.mark.parametrize(
    ("settings", "named"),
    [({"OCOP_EDITOR": "wordpress"}, "OCOP_EDITOR: found 'wordpress'"), ({"OCOP_EDITOR": "gitlab"}, "OCOP_EDITOR_REPO")],
)
def test_bad_backend_settings_are_named(settings, named):
    with pytest.raises(ValueError, match=named):
        editor.backend(settings)


def test_config_text_is_stable_and_reads_back():
    text = editor.config_yaml(_config())
    assert text == editor.config_yaml(_config())
    assert yaml.safe_load(text) == _config()
    assert "Sản phẩm" in text  # UTF-8, not escapes


def test_rules_use_the_builds_own_messages():
    vi = editor.rules("vi")
    assert vi["bands"] == {str(s): list(b) for s, b in STAR_BANDS.items()}
    assert vi["messages"]["score"].endswith("cần từ {low} đến {high} điểm")
    assert vi["messages"]["field"] == "trường '{field}':"
    assert editor.rules("en")["messages"]["score"].startswith("found a score of {score}")
    assert vi["order"][:4] == ["id", "slug", "former_slugs", "name"]


def test_problems_by_file_names_the_record_in_vietnamese(tmp_path):
    from ocop.settings import read_site

    (tmp_path / "pelicanconf.py").write_text('OCOP_SCOPE = "Lâm Đồng"\n', encoding="utf-8")
    folder = tmp_path / "products" / "phan-thiet"
    folder.mkdir(parents=True)
    (folder / "sai.yaml").write_text(
        "id: bt-pt-9001\nname: {vi: Nước mắm}\ngroup: food\ndistrict: Phan Thiết\n"
        "producer: {name: Cơ sở, kind: household}\n"
        "certificates:\n  - {stars: 4, score: 95, decision: 1/QĐ-UBND, date: 2021-12-24,\n"
        "     issuer: UBND tỉnh Bình Thuận}\n",
        encoding="utf-8",
    )
    found = editor.problems_by_file(read_site(tmp_path), "vi")
    lines = found["products/phan-thiet/sai.yaml"]
    assert any("giấy chứng nhận 4 sao cần từ 70 đến 89 điểm" in line for line in lines), lines


def test_review_lists_ids_and_addresses_in_use_and_remembered(tmp_path):
    from ocop.settings import read_site

    (tmp_path / "pelicanconf.py").write_text('OCOP_SCOPE = "Lâm Đồng"\n', encoding="utf-8")
    folder = tmp_path / "products" / "phan-thiet"
    folder.mkdir(parents=True)
    (folder / "nuoc-mam.yaml").write_text(
        "id: bt-pt-9001\nslug: nuoc-mam-moi\nformer_slugs: [nuoc-mam]\nname: {vi: Nước mắm}\ngroup: food\n"
        "district: Phan Thiết\nproducer: {name: Cơ sở, kind: household}\n"
        "certificates:\n  - {stars: 4, score: 75, decision: 1/QĐ-UBND, date: 2021-12-24,\n"
        "     issuer: UBND tỉnh Bình Thuận}\n",
        encoding="utf-8",
    )
    # The published memory remembers a deleted product's address, and an older owner of one now reused.
    remembered = {"ca-phe-cu": "bt-pt-0001", "nuoc-mam": "bt-pt-0002"}
    found = editor.review(read_site(tmp_path), "vi", remembered)
    assert found.known["files"] == {"products/phan-thiet/nuoc-mam.yaml": {"id": "bt-pt-9001", "slug": "nuoc-mam-moi"}}
    assert found.known["slugs"] == {"ca-phe-cu": "bt-pt-0001", "nuoc-mam": "bt-pt-9001", "nuoc-mam-moi": "bt-pt-9001"}
    text = editor.known_records_json(found.known)
    assert text == editor.known_records_json(
        editor.review(read_site(tmp_path), "vi", dict(reversed(remembered.items()))).known
    )


def test_a_build_with_the_editor_writes_admin_and_changes_no_public_byte(site, tmp_path):
    out = tmp_path / "output"
    assert build_site(out, OCOP_EDITOR="gitlab", OCOP_EDITOR_REPO="so-cong-thuong/ocop") == 0
    admin = out / "admin"
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert '<script src="vendor/decap-cms.js"></script>' in page and "</head>" not in page
    cfg = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert cfg["backend"]["name"] == "gitlab" and cfg["locale"] == "vi"
    assert (admin / "vendor" / "decap-cms.js").stat().st_size > 1_000_000
    assert (admin / "ocop-editor.js").is_file()
    # What the editor keeps: every record file's id (and a product's address), as Decap names the file.
    known = json.loads((admin / "records.json").read_text(encoding="utf-8"))
    assert known["files"]["products/phan-thiet/nuoc-mam-ba-hai-40-dam.yaml"] == {
        "id": "bt-pt-0004",
        "slug": "nuoc-mam-ba-hai-40-dam",
    }
    assert known["files"]["content/showrooms/ocop-phan-thiet.yaml"] == {"id": "ocop-phan-thiet"}
    assert known["slugs"]["nuoc-mam-ba-hai-40-dam"] == "bt-pt-0004"
    # The vendored bundle is never copied with the theme, with or without the editor.
    assert not (out / "theme" / "vendor" / "decap-cms").exists()
    assert not (site / "theme" / "vendor" / "decap-cms").exists() and not (site / "admin").exists()
    public = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.parts[len(out.parts)] != "admin")
    assert public == sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    changed = [str(p) for p in public if (out / p).read_bytes() != (site / p).read_bytes()]
    assert changed == [], f"the editor changed public files: {changed[:10]}"


def test_vendored_decap_is_pinned_and_complete():
    vendor = PROJECT / "theme/static/vendor/decap-cms"
    assert (vendor / "VERSION").read_text(encoding="utf-8").startswith("decap-cms 3.16.3\n")
    assert "MIT License" in (vendor / "LICENSE").read_text(encoding="utf-8")
    main = (vendor / "decap-cms.js").read_text(encoding="utf-8")
    # Every chunk the bundle loads lazily is there (webpack names them <id>.decap-cms.js beside it).
    assert len(list(vendor.glob("*.decap-cms.js"))) > 50
    assert "unpkg.com" not in main and "cdn.jsdelivr.net" not in main
    assert Path(PROJECT / "tools/editor/package-lock.json").is_file()


def test_the_staff_guides_show_the_editor_with_screenshots_the_browser_tests_take():
    import re

    taken = set(re.findall(r'\.shot\(\w+, "([^"]+)"\)', (PROJECT / "tests/test_editor_browser.py").read_text("utf-8")))
    assert {"bien-tap-san-pham", "bien-tap-trang-noi-dung", "bien-tap-trang-tieng-anh"} <= taken
    for guide in ("huong-dan.md", "staff-guide.md", "bien-tap.md", "editor.md"):
        shown = re.findall(r"!\[[^\]]+\]\(img/([\w-]+)\.png\)", (PROJECT / "docs" / guide).read_text("utf-8"))
        assert shown, f"docs/{guide} shows no screenshot of the editor"
        assert set(shown) <= taken, f"docs/{guide}: {set(shown) - taken} not taken by tests/test_editor_browser.py"
        for name in shown:
            assert (PROJECT / "docs" / "img" / f"{name}.png").is_file(), name
