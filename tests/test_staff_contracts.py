"""The staff tools' shared pieces: their words (gettext domain "staff"), the site folder they work on,
the one certificate draft and the one classification of a new certificate."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from ocop import i18n, messages, staff
from ocop.authoring import certificate_draft
from ocop.places import gazetteer
from ocop.settings import read_site

from decision_tables import copy_products

PO = Path(i18n.LOCALE_DIR) / "vi" / "LC_MESSAGES" / "staff.po"


def test_staff_po_is_a_vietnamese_catalog_of_exactly_the_messages():
    with PO.open("rb") as f:
        po = read_po(f, locale="vi", domain="staff")
    header = dict(po.mime_headers)
    assert header["Language"] == "vi" and header["Plural-Forms"] == "nplurals=1; plural=0;"
    entries = {m.id: m.string for m in po if m.id}
    assert set(entries) == set(messages.MESSAGES.values())  # nothing untranslated, nothing obsolete
    assert [msgid for msgid, vi in entries.items() if not vi] == []


def test_every_message_is_marked_for_extraction():
    found = {m[1] for m in extract_from_file("python", messages.__file__, keywords={"N_": None})}
    assert found == set(messages.MESSAGES.values())


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("vi", "Dòng 3, cột E (Hạng sao): ghi '6'; cần hạng sao 3, 4 hoặc 5 (ví dụ 4 hoặc '4 sao')."),
        ("en", "Row 3, column E (Hạng sao): found '6'; expected a star level of 3, 4 or 5 (e.g. 4 or '4 sao')."),
    ],
)
def test_messages_in_both_languages(lang, expected):
    old = messages.lang()
    try:
        assert messages.set_lang(lang) == lang
        assert messages.where(3, "E (Hạng sao)") + messages.t("bad_stars", found="6") == expected
    finally:
        messages.set_lang(old)


def test_language_choice(monkeypatch):
    old = messages.lang()
    try:
        monkeypatch.setenv("OCOP_LANG", "EN")
        assert messages.set_lang(None) == "en"
        assert messages.set_lang("fr") == i18n.DEFAULT_LANG  # an unknown language falls back to Vietnamese
    finally:
        messages.set_lang(old)


def test_every_change_kind_has_words():
    from ocop.certificates import CHANGE_KINDS

    assert {f"change_{k}" for k in CHANGE_KINDS} <= set(messages.MESSAGES)


# --- the site folder ------------------------------------------------------------------


def staff_args(site, *argv: str) -> argparse.Namespace:
    """The staff commands as the command line wires them: add_commands(sub), args.site set by the caller."""
    parser = argparse.ArgumentParser(prog="ocop")
    staff.add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    args.site = site
    return args


def test_commands_read_the_products_folder_and_province_from_the_site(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("OCOP_LANG", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795280400")
    monkeypatch.chdir(tmp_path)  # not the site: the command must not look here
    folder = tmp_path / "site"
    copy_products(folder).rename(folder / "records")
    (folder / "pelicanconf.py").write_text(
        'OCOP_PRODUCTS_PATH = "records"\nOCOP_PROVINCE = "Bình Thuận"\nOCOP_CACHE_PATH = "tmp-cache"\n',
        encoding="utf-8",
    )
    args = staff_args(
        read_site(folder),
        "new",
        "--name",
        "Tỏi Phan Rí",
        "--district",
        "Tuy Phong",
        "--producer",
        "HTX Tỏi Phan Rí",
        "--stars",
        "3",
        "--decision",
        "7/QĐ-UBND",
        "--date",
        "01/11/2026",
        "--no-input",
    )
    assert args.func(args) == 0
    assert (folder / "records" / "lam-dong" / "toi-phan-ri.yaml").is_file()  # the current province's folder
    assert not (tmp_path / "products").exists()
    assert (folder / "tmp-cache" / "staff-index-records.json").is_file()  # the index is cached in the site's cache
    capsys.readouterr()
    args = staff_args(read_site(folder), "report", "--csv", "--date", "2026-11-22", "--days", "3650")
    assert args.func(args) == 0 and "Tỏi Phan Rí" in capsys.readouterr().out  # the report reads the site's records


def test_the_site_province_decides_where_records_go(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("OCOP_LANG", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795280400")
    folder = tmp_path / "site"
    (folder / "products").mkdir(parents=True)
    (folder / "pelicanconf.py").write_text('OCOP_PROVINCE = "Ninh Thuận"\n', encoding="utf-8")
    args = staff_args(
        read_site(folder),
        "new",
        "--name",
        "Nho Ba Mọi",
        "--district",
        "Ninh Hải",
        "--producer",
        "HTX Nho Ba Mọi",
        "--stars",
        "4",
        "--decision",
        "8/QĐ-UBND",
        "--date",
        "01/11/2024",
        "--no-input",
    )
    code = args.func(args)
    assert code == 0, capsys.readouterr().err
    written = next((folder / "products").rglob("*.yaml"))
    # filed under the current province (Khánh Hòa holds former Ninh Thuận), which is the site's: no `province:`
    assert written.parent.name == "khanh-hoa" and 'province: "Ninh Thuận"' not in written.read_text(encoding="utf-8")
    assert "id: nt-nh-0001\n" in written.read_text(encoding="utf-8")  # a 2024 certificate: the former map's initials
    assert 'issuer: "UBND tỉnh Ninh Thuận"' in written.read_text(encoding="utf-8")


# --- one certificate draft -----------------------------------------------------------


def test_certificate_draft_orders_fields_and_finds_the_issuer():
    gaz = gazetteer()
    duc_linh = gaz.district(gaz.province("Bình Thuận"), "Đức Linh")
    draft = certificate_draft(3, "1/QĐ-UBND", date(2024, 5, 1), duc_linh, 60)
    assert list(draft) == ["stars", "score", "decision", "date", "issuer"]
    assert draft["issuer"] == "UBND huyện Đức Linh"  # 3★ before the 2025 reform: the district
    draft = certificate_draft(4, "2/QĐ-UBND", date(2026, 5, 1), None, issuer="UBND tỉnh X")
    assert list(draft) == ["stars", "decision", "date", "issuer"] and draft["issuer"] == "UBND tỉnh X"
    with pytest.raises(ValueError):
        certificate_draft(4, "2/QĐ-UBND", date(2026, 5, 1), None)
