"""Hand comments survive a save from the form (plugins/ocop_editor/keep.py): Decap's text merged into the record it
replaces, on real sample records; the proxy's rewrite of a real decap-server request. In a real browser with the
real decap-server behind the proxy: test_editor_browser.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ocop_editor.keep import keep_comments, rewrite_persist

from conftest import PROJECT

SAMPLE = PROJECT / "products" / "phan-thiet" / "tuong-ca-hoa-sen.yaml"
HAND = (
    SAMPLE.read_text(encoding="utf-8")
    .replace("group: food\n", "group: food  # nhóm 1\n")
    .replace('  phone: "0913 482 771"\n', '  # số của chủ hộ\n  phone: "0913 482 771"\n')
    .replace("offer:\n", "# giá bán lẻ\noffer:\n")
)


def decap_text(data: dict) -> str:
    """What Decap writes: the schema line, then block YAML with no comments (js-yaml's style, near enough)."""
    head = "# yaml-language-server: $schema=../../schema/product.schema.json\n"
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def edited(change) -> dict:
    data = yaml.safe_load(HAND)
    data["certificates"][0]["date"] = str(data["certificates"][0]["date"])  # Decap's date picker writes text
    change(data)
    return data


def test_an_unchanged_record_comes_back_byte_for_byte():
    assert keep_comments(HAND, decap_text(edited(lambda d: None))) == HAND


def test_changed_removed_and_added_values_keep_the_comments_and_say_what_decap_meant():
    def change(d):
        d["producer"]["phone"] = "0913 482 999"
        del d["summary"]
        d["offer"]["available"] = False
        d["standards"] = ["HACCP"]

    new = decap_text(edited(change))
    merged = keep_comments(HAND, new)
    assert "group: food  # nhóm 1\n" in merged
    assert '  # số của chủ hộ\n  phone: "0913 482 999"\n' in merged
    assert "# giá bán lẻ\noffer:\n" in merged and "  available: false\n" in merged
    assert 'name: {vi: "Tương cà Hoa Sen", en: "Hoa Sen tomato sauce"}\n' in merged  # flow style and quotes
    assert "summary" not in merged and "standards:\n  - HACCP\n" in merged
    assert merged.startswith("# yaml-language-server: $schema=../../schema/product.schema.json\nid: bt-pt-0009\n")
    meant = yaml.safe_load(new)
    meant["certificates"][0]["date"] = yaml.safe_load(HAND)["certificates"][0]["date"]
    assert yaml.safe_load(merged) == meant


def test_a_second_certificate_and_a_shorter_list():
    def two(d):
        d["certificates"].append({"stars": 4, "score": 75, "decision": "9/QĐ-UBND", "date": "2025-09-15"})

    merged = keep_comments(HAND, decap_text(edited(two)))
    assert [c["stars"] for c in yaml.safe_load(merged)["certificates"]] == [3, 4]
    shorter = keep_comments(merged, decap_text(edited(lambda d: None)))
    assert [c["stars"] for c in yaml.safe_load(shorter)["certificates"]] == [3]
    assert "# số của chủ hộ" in shorter


def test_what_cannot_be_merged_is_written_as_decap_wrote_it():
    new = decap_text(edited(lambda d: None))
    assert keep_comments("id: [unclosed\n", new) == new  # the old file does not read
    assert keep_comments("- a list\n- not a record\n", new) == new
    assert keep_comments(HAND, "just: [text\n") == "just: [text\n"  # Decap's text does not read: untouched
    assert keep_comments(HAND, "- a list\n") == "- a list\n"


def test_the_proxy_rewrites_only_saved_records_that_exist(tmp_path):
    site = tmp_path / "site"
    (site / "products" / "phan-thiet").mkdir(parents=True)
    (site / "products" / "phan-thiet" / "tuong-ca-hoa-sen.yaml").write_text(HAND, encoding="utf-8")
    new = decap_text(edited(lambda d: d["producer"].update(phone="0913 482 999")))
    photo = {"path": "products/phan-thiet/a.jpg", "content": "AAAA", "encoding": "base64"}
    body = {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "entry": {"slug": "tuong-ca-hoa-sen", "path": "products/phan-thiet/tuong-ca-hoa-sen.yaml", "raw": new},
            "assets": [photo],
            "options": {"commitMessage": "x", "useWorkflow": False},
        },
    }
    out = json.loads(rewrite_persist(json.dumps(body).encode(), site))
    assert "# số của chủ hộ" in out["params"]["entry"]["raw"] and out["params"]["assets"] == [photo]
    # A new record, a path outside the site folder, another action, not JSON: passed on unchanged.
    for path in ("products/phan-thiet/moi.yaml", "../outside.yaml"):
        other = json.loads(json.dumps(body))
        other["params"]["entry"]["path"] = path
        raw = json.dumps(other).encode()
        assert rewrite_persist(raw, site) == raw
    for raw in (json.dumps({"action": "getEntry", "params": {"path": "x"}}).encode(), b"not json", b"[1]"):
        assert rewrite_persist(raw, site) == raw


def test_a_merged_record_passes_ocop_check(tmp_path):
    site = tmp_path / "site"
    for name in ("products", "content", "schema"):
        shutil.copytree(PROJECT / name, site / name)
    shutil.copyfile(PROJECT / "pelicanconf.py", site / "pelicanconf.py")
    record = site / "products" / "phan-thiet" / "tuong-ca-hoa-sen.yaml"
    record.write_text(keep_comments(HAND, decap_text(edited(lambda d: d["offer"].update(price=25000)))), "utf-8")
    ocop = Path(sys.executable).parent / "ocop"
    result = subprocess.run(
        [str(ocop), "-C", str(site), "check", "--date", "2026-11-22"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# giá bán lẻ\noffer:\n  price: 25000\n" in record.read_text(encoding="utf-8")
