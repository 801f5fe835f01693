"""The content pages in the browser editor: their collections, generated from what Pelican reads (ocop/editor.py),
and the Decap file format that reads and writes Pelican's "Name: value" headers (theme/templates/admin/
pelican-page.js), run by node on every page of the sample site. In a real browser: test_editor_browser.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
import yaml

from ocop import editor

from conftest import PROJECT

FORMAT_JS = PROJECT / "theme" / "templates" / "admin" / "pelican-page.js"
PAGES = PROJECT / "content" / "pages"
SAMPLE_PAGES = sorted(PAGES.rglob("*.md"))

# Read each file named on the command line, hand it to fromFile, write it back with toFile in the order the
# collection gives (Decap passes its fields' names), print what came out as JSON.
ROUND_TRIP = """
const format = require(process.argv[1]);
const fs = require("fs");
const order = JSON.parse(process.argv[2]);
const out = {};
for (const path of process.argv.slice(3)) {
  const text = fs.readFileSync(path, "utf8");
  const data = format.fromFile(text);
  out[path] = {data: data, back: format.toFile(data, order)};
}
process.stdout.write(JSON.stringify(out));
"""
# What the format does with data the form gives (as JSON on the command line).
TO_FILE = """
const format = require(process.argv[1]);
process.stdout.write(format.toFile(JSON.parse(process.argv[2]), JSON.parse(process.argv[3])));
"""


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is not installed: tools/install-system-deps.sh installs it")
        pytest.skip("node is not installed (tools/install-system-deps.sh installs it)")
    return found


def _order(lang: str = "vi") -> list[str]:
    cols = editor.page_collections(PROJECT, PAGES)
    return [f["name"] for f in next(c for c in cols if c["fields"][2]["default"] == lang)["fields"]]


def round_trip(paths, order) -> dict:
    result = subprocess.run(
        [node(), "-e", ROUND_TRIP, str(FORMAT_JS), json.dumps(order), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def to_file(data: dict, order: list[str]) -> str:
    result = subprocess.run(
        [node(), "-e", TO_FILE, str(FORMAT_JS), json.dumps(data), json.dumps(order)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_every_sample_page_comes_back_byte_for_byte_through_the_format():
    assert len(SAMPLE_PAGES) >= 4
    out = round_trip(SAMPLE_PAGES, _order())
    for path in SAMPLE_PAGES:
        text = path.read_text(encoding="utf-8")
        assert out[str(path)]["back"] == text, path
        data = out[str(path)]["data"]
        # The headers as Pelican reads them (and as ocop.editor reads them), the body after the blank line.
        assert {k: v for k, v in data.items() if k != "body"} == editor.page_headers(text)
        assert data["body"] == text.split("\n\n", 1)[1]


def test_the_format_reads_headers_as_python_markdown_does(tmp_path):
    import markdown

    page = tmp_path / "page.md"
    # Lower-case and odd names, a value on two lines, extra spaces, a second blank line kept in the body.
    page.write_text(
        "title:   Giới thiệu  \nSLUG: gioi-thieu\nSummary: Dòng một\n    dòng hai\nKey: gioi-thieu\n\n\nNội dung.\n",
        encoding="utf-8",
    )
    md = markdown.Markdown(extensions=["meta"])
    md.convert(page.read_text(encoding="utf-8"))
    data = round_trip([page], _order())[str(page)]["data"]
    assert data == {
        "title": "Giới thiệu",
        "slug": "gioi-thieu",
        "summary": "Dòng một\ndòng hai",
        "key": "gioi-thieu",
        "body": "\nNội dung.\n",
    }
    assert {k: "\n".join(v) for k, v in md.Meta.items()} == {k: v for k, v in data.items() if k != "body"}
    assert editor.page_headers(page.read_text(encoding="utf-8")) == {k: v for k, v in data.items() if k != "body"}


def test_what_the_form_gives_is_written_as_pelican_headers(tmp_path):
    order = _order()
    data = {"body": "Nội dung trang.\n", "key": "", "lang": "vi", "slug": "lien-he", "title": "Liên hệ", "note": "x"}
    text = to_file(data, order)
    # The collection's order, then any other header; an empty value is not written (an empty Slug or Key would
    # put the page at the site's root or break its twin).
    assert text == "Title: Liên hệ\nSlug: lien-he\nLang: vi\nNote: x\n\nNội dung trang.\n"
    page = tmp_path / "lien-he.md"
    page.write_text(text, encoding="utf-8")
    assert round_trip([page], order)[str(page)]["back"] == text
    # A file with no headers the format can read is left as it was (a `---` fenced page, say).
    assert to_file({"body": "---\ntitle: x\n---\nText\n"}, order) == "---\ntitle: x\n---\nText\n"


def test_one_collection_per_language_with_the_headers_pelican_reads():
    cols = editor.page_collections(PROJECT, PAGES)
    assert [(c["name"], c["folder"]) for c in cols] == [("pages", "content/pages"), ("pages-en", "content/pages/en")]
    for c in cols:
        assert c["format"] == editor.PAGE_FORMAT and c["extension"] == "md" and c["create"] is True
        assert [f["name"] for f in c["fields"]] == ["title", "slug", "lang", "key", "body"]
        # The file is named from the address, which is proposed from the title for a new page only.
        assert c["slug"] == "{{fields.slug}}" and c["identifier_field"] == "title"
    vi, en = cols
    assert [f.get("default") for f in vi["fields"] if f["name"] == "lang"] == ["vi"]
    assert [f.get("default") for f in en["fields"] if f["name"] == "lang"] == ["en"]
    # The English twin picks its Vietnamese page; the Vietnamese page's key is typed (or proposed).
    key = en["fields"][3]
    assert key["widget"] == "relation" and key["collection"] == "pages" and key["value_field"] == "key"
    assert key["required"] is True and vi["fields"][3]["widget"] == "string"


def test_other_headers_the_sites_pages_use_appear_in_the_form(tmp_path):
    pages = tmp_path / "content" / "pages"
    (pages / "en").mkdir(parents=True)
    (pages / "lien-he.md").write_text("Title: Liên hệ\nSummary: Địa chỉ\nTranslation: x\n\nVăn bản\n", "utf-8")
    (pages / "en" / "contact.md").write_text("Title: Contact\nLang: en\nTemplate: page\n\nText\n", "utf-8")
    cols = editor.page_collections(tmp_path, pages, translation_id="translation")
    names = [f["name"] for f in cols[0]["fields"]]
    assert names == ["title", "slug", "lang", "translation", "summary", "template", "body"]
    assert cols[1]["fields"][3]["value_field"] == "translation"
    assert next(f for f in cols[0]["fields"] if f["name"] == "summary")["label"] == "Tóm tắt"
    known = editor.known_pages(tmp_path, pages, "translation")
    # No Slug header: the address is the file name (Pelican's SLUGIFY_SOURCE "basename"); no Lang: the folder's.
    assert known == {
        "content/pages/lien-he.md": {"slug": "lien-he", "key": "x", "lang": "vi"},
        "content/pages/en/contact.md": {"slug": "contact", "key": "", "lang": "en"},
    }


def test_a_site_with_no_pages_folder_still_gets_both_collections(tmp_path):
    cols = editor.page_collections(tmp_path, tmp_path / "content" / "pages")
    assert [c["folder"] for c in cols] == ["content/pages", "content/pages/en"]
    assert editor.known_pages(tmp_path, tmp_path / "content" / "pages") == {}


def test_the_configuration_and_records_json_of_a_real_build_name_the_pages(tmp_path):
    from conftest import build_site

    out = tmp_path / "output"
    assert build_site(out, OCOP_EDITOR="local") == 0
    cfg = yaml.safe_load((out / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert [c["name"] for c in cfg["collections"] if c.get("format") == "pelican-page"] == ["pages", "pages-en"]
    page = (out / "admin" / "index.html").read_text(encoding="utf-8")
    assert page.index('src="vendor/decap-cms.js"') < page.index('src="pelican-page.js"')
    assert page.index('src="pelican-page.js"') < page.index('src="ocop-editor.js"')
    assert (out / "admin" / "pelican-page.js").read_bytes() == FORMAT_JS.read_bytes()
    known = json.loads((out / "admin" / "records.json").read_text(encoding="utf-8"))
    vi, en = known["files"]["content/pages/gioi-thieu-ocop.md"], known["files"]["content/pages/en/about-ocop.md"]
    assert vi == {"slug": "gioi-thieu-ocop", "key": "about-ocop", "lang": "vi"}
    assert en == {"slug": "about-ocop", "key": "about-ocop", "lang": "en"}
    # the catalogue's own folders, which a new page may not take as its address
    assert {"san-pham", "products", "thong-ke", "media", "feeds", "search-index", "admin", "en"} <= set(
        known["reserved"]
    )
