"""Writing records: new records validate, and changes to hand-written records only add lines."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest

from ocop.authoring import (
    Change,
    NewProduct,
    append_certificate,
    apply_plan,
    default_issuer,
    record_folder,
    record_id_prefix,
    record_text,
    set_revoked,
    write_all,
)
from ocop.catalogue import load_catalogue
from ocop.decisions import Options, plan_import
from ocop.index import build_index
from ocop.places import gazetteer, locate, read_scope
from ocop.records import read_record, read_records, record_files

from decision_tables import REALISTIC, copy_products, snapshot, xlsx

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = record_files(PROJECT / "products")


def only_added(before: str, after: str) -> list[str]:
    """The lines `after` adds; fails if any line of `before` was changed or removed."""
    ops = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False).get_opcodes()
    assert all(tag in ("equal", "insert") for tag, *_ in ops), [op for op in ops if op[0] not in ("equal", "insert")]
    b = after.splitlines()
    return [line for tag, _, _, j1, j2 in ops if tag == "insert" for line in b[j1:j2]]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_renewal_and_revocation_keep_every_hand_written_line(path, tmp_path):
    """Every sample record: append a certificate, then revoke it; the result validates and nothing else moved."""
    products = copy_products(tmp_path)
    target = products / path.relative_to(PROJECT / "products")
    before = target.read_text(encoding="utf-8")
    cert = {
        "stars": 4,
        "score": 75,
        "decision": "99/QĐ-UBND",
        "date": date(2027, 1, 5),
        # Who certifies 4★ in 2027 where the product is (issue 10: another issuer is warned about).
        "issuer": default_issuer(
            4, date(2027, 1, 5), read_record(path, PROJECT / "products", "Bình Thuận").product.district
        ),
    }
    renewed = append_certificate(before, cert)
    added = only_added(before, renewed)
    assert sorted(a.strip() for a in added) == sorted(
        ["- stars: 4", "score: 75", 'decision: "99/QĐ-UBND"', "date: 2027-01-05", f'issuer: "{cert["issuer"]}"']
    )
    assert renewed.startswith(before.split("\nsummary:")[0].split("\nimages:")[0].rstrip("\n"))
    # Issue 10: a revocation carries its decision in a field (a date alone is warned about).
    revoked = set_revoked(renewed, date(2027, 3, 1), decision="7/QĐ-UBND")
    assert [a.strip() for a in only_added(renewed, revoked)] == ['revoked: {date: 2027-03-01, decision: "7/QĐ-UBND"}']
    assert write_all([Change(target, revoked, False)], products, "Bình Thuận") == [
        p for p in read_record(path, PROJECT / "products", "Bình Thuận").problems
    ]  # the same warnings, no error
    result = read_record(target, products, "Bình Thuận")
    assert result.product.current.decision == "99/QĐ-UBND" and result.product.current.revoked == date(2027, 3, 1)


def test_comments_and_blank_lines_stay_where_they_were(tmp_path):
    text = (
        "# yaml-language-server: $schema=../../schema/product.schema.json\n"
        "id: bt-pt-9001  # mã cố định\n"
        'name: {vi: "Nước mắm thử", en: "Test fish sauce"}\n'
        "group: food\n"
        "district: Phan Thiết\n"
        "producer:\n"
        "    name: 'Cơ sở thử'\n"
        "    kind: household\n"
        "certificates:\n"
        "- stars: 3\n"
        "  decision: 12/QĐ-UBND\n"
        "  date: 2022-01-10\n"
        "  issuer: UBND tỉnh Bình Thuận   # theo bản scan\n"
        "\n"
        "# Giá lấy từ bảng giá tháng 10\n"
        "offer:\n"
        "    price: 85000\n"
    )
    new = append_certificate(
        text, {"stars": 4, "decision": "5/QĐ-UBND", "date": date(2025, 1, 10), "issuer": "UBND tỉnh Bình Thuận"}
    )
    assert only_added(text, new) == [
        "- stars: 4",
        "  decision: 5/QĐ-UBND",
        "  date: 2025-01-10",
        "  issuer: UBND tỉnh Bình Thuận",
    ]
    assert new.index("issuer: UBND tỉnh Bình Thuận\n\n# Giá lấy từ bảng giá tháng 10\noffer:") > 0


def test_new_record_text_validates(products_dir):
    d = gazetteer().district(gazetteer().province("Bình Thuận"), "Đức Linh")
    p = NewProduct(
        "bt-dl-0100",
        "dau-phong-duc-hanh",
        'Đậu phộng "Đức Hạnh": rang tỏi',
        d,
        "HTX Đức Hạnh",
        "cooperative",
        "food",
        {"stars": 3, "score": 60, "decision": "5/QĐ-UBND", "date": date(2024, 5, 1), "issuer": "UBND huyện Đức Linh"},
        name_en="Duc Hanh peanuts",
        product_set=7,
    )
    path = products_dir / "duc-linh" / "dau-phong-duc-hanh.yaml"
    assert write_all([Change(path, record_text(p), True)], products_dir, "Bình Thuận") == []
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/product.schema.json\n")
    product = read_record(path, products_dir, "Bình Thuận").product
    assert (
        product.name.vi == 'Đậu phộng "Đức Hạnh": rang tỏi'
        and product.stars == 3
        and product.slug == "dau-phong-duc-hanh"
    )


def test_id_prefixes_follow_the_sample_ids():
    gaz = gazetteer()
    bt = gaz.province("Bình Thuận")
    assert [record_id_prefix(gaz.district(bt, n)) for n in ("Đức Linh", "Hàm Thuận Bắc", "Phan Thiết", "La Gi")] == [
        "bt-dl",
        "bt-htb",
        "bt-pt",
        "bt-lg",
    ]


def test_ids_since_the_reform_follow_the_current_map_and_existing_ids_never_change():
    gaz, scope = gazetteer(), read_scope("Lâm Đồng")
    since, before = date(2026, 1, 10), date(2025, 6, 30)
    dong_giang = locate(None, None, "Xã Đông Giang", scope).place
    assert record_id_prefix(dong_giang, since) == "ld-dg"
    assert record_id_prefix(dong_giang, before) == "bt-htb"  # a certificate of before names the former district
    assert record_id_prefix(dong_giang) == "bt-htb"
    mui_ne = locate(None, "Phan Thiết", "Phường Mũi Né", scope).place
    assert record_id_prefix(mui_ne, since) == "ld-mn"
    duc_linh = locate(None, "Đức Linh", None, scope).place  # its communes went to several: none known
    assert record_id_prefix(duc_linh, since) == "ld-dl"
    binh_phuoc = locate("Đồng Nai", None, "Xã Bù Gia Mập", scope).place
    assert record_id_prefix(binh_phuoc, since) == "dn-bgm"
    assert record_id_prefix(gaz.district(gaz.province("Bình Phước"), "Bù Gia Mập"), before) == "bp-bgm"
    # the sample's records keep the ids they were published with, whatever map they are read on
    products = PROJECT / "products"
    assert read_record(products / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml", products, "Lâm Đồng").product.id == (
        "bt-pt-0004"
    )


def test_new_records_are_filed_under_their_current_province():
    gaz, scope = gazetteer(), read_scope("Lâm Đồng")
    assert record_folder(gaz.district(gaz.province("Bình Thuận"), "Đức Linh")) == "lam-dong"
    assert record_folder(locate(None, None, "Xã Đông Giang", scope).place) == "lam-dong"
    assert record_folder(locate("Bình Phước", "Đồng Phú", None, scope).place) == "dong-nai"
    assert record_folder(locate("Điện Biên", "Tủa Chùa", None, scope).place) == "dien-bien"
    assert record_folder(gaz.district(gaz.province("Hà Nội"), "Ba Vì")) == "ha-noi"


def test_invalid_change_writes_nothing(tmp_path):
    products = copy_products(tmp_path)
    before = snapshot(products)
    target = products / "phan-thiet" / "nuoc-mam-toan-huong.yaml"
    bad = append_certificate(
        target.read_text(encoding="utf-8"),
        {"stars": 4, "score": 95, "decision": "1/QĐ", "date": date(2026, 1, 1), "issuer": "X"},
    )
    good_new = products / "tuy-phong" / "moi.yaml"
    problems = write_all(
        [Change(good_new, "id: bt-tp-0100\n", True), Change(target, bad, False)], products, "Bình Thuận"
    )
    assert any("score of 95" in p.message for p in problems)
    assert snapshot(products) == before  # neither file written, no temporary file left


def test_applied_import_round_trips_through_validation(tmp_path):
    products = copy_products(tmp_path)
    plan = plan_import(xlsx(tmp_path / "qd.xlsx", REALISTIC), build_index(products), Options(scope="Lâm Đồng"))
    assert plan.valid
    originals = {c.entry.path: c.entry.path.read_text(encoding="utf-8") for c in plan.certificates}
    changes, problems = apply_plan(plan, products, "Bình Thuận")
    assert [p for p in problems if p.severity.value == "error"] == []
    assert len(changes) == 4
    for path, before in originals.items():
        only_added(before, path.read_text(encoding="utf-8"))
    for ch in changes:
        assert read_record(ch.path, products, "Bình Thuận").product is not None
    _, all_problems = read_records(products, "Bình Thuận")
    assert [p for p in all_problems if p.severity.value == "error"] == []
    cat, _ = load_catalogue(products, "Bình Thuận", date(2026, 11, 22))
    assert cat.by_id["ld-hd-0001"].name.vi == "Đậu phộng rang tỏi Đức Hạnh"  # 2026: Xã Hoài Đức, Lâm Đồng
    assert cat.by_id["bt-pt-0005"].current.decision == "555/QĐ-UBND"
    assert len(cat.products) == 67  # 65 sample records (19 added for issue 10) + 2 imported
    # importing the same table again changes nothing
    again = plan_import(tmp_path / "qd.xlsx", build_index(products), Options(scope="Lâm Đồng"))
    assert again.valid and again.changes == 0
    assert {s.code for s in again.skipped} == {"heading", "already_recorded"}


def test_index_cache_sees_edits(tmp_path):
    products = copy_products(tmp_path)
    first = build_index(products)
    assert (tmp_path / ".cache" / "staff-index-products.json").is_file()
    target = products / "phan-thiet" / "mam-lu-quang-long.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("id: bt-pt-0006", "id: bt-pt-0106"), encoding="utf-8")
    second = build_index(products)
    assert "bt-pt-0006" in first.by_id and "bt-pt-0106" in second.by_id and "bt-pt-0006" not in second.by_id
    assert [e.slug for e in second.entries] == [e.slug for e in build_index(products, use_cache=False).entries]
