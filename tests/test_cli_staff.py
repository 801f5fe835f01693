"""The staff commands end to end: ocop new, import, renew, revoke, report — on copies of products/."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from ocop.catalogue import load_catalogue
from ocop.certificates import Status
from ocop.cli import main
from ocop.records import read_record, read_records

from conftest import PROJECT
from decision_tables import REALISTIC, snapshot, staff_site, typing, workbook, xlsx

DAY = date(2026, 11, 22)


@pytest.fixture
def products(tmp_path, monkeypatch):
    return staff_site(tmp_path, monkeypatch)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def valid(products: Path) -> None:
    _, problems = read_records(products, "Bình Thuận")
    assert [str(p) for p in problems if p.severity.value == "error"] == []


# --- new ----------------------------------------------------------------------------

NEW = [
    "new",
    "--name",
    "Đậu phộng rang Đức Hạnh",
    "--district",
    "Đức Linh",
    "--producer",
    "HTX Nông nghiệp Đức Hạnh",
    "--stars",
    "3 sao",
    "--score",
    "62",
    "--decision",
    "1234/QĐ-UBND",
    "--date",
    "24/12/2025",
    "--no-input",
]


def test_new_writes_a_valid_record(products, capsys):
    code, out, err = run(capsys, *NEW)
    assert code == 0, err
    # filed under the current province; a certificate of 12/2025: the id from the current province (and the
    # former district, the commune being unknown), after the sample's ld-dl-0001
    path = products / "lam-dong" / "dau-phong-rang-duc-hanh.yaml"  # đ → d, tones dropped
    assert out.startswith("Đã tạo products/lam-dong/dau-phong-rang-duc-hanh.yaml (mã ld-dl-0002")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/product.schema.json"
    product = read_record(path, products, "Bình Thuận").product
    assert (product.id, product.stars, product.producer.kind, product.group.key) == (
        "ld-dl-0002",
        3,
        "cooperative",
        "food",
    )
    assert (
        product.current.date == date(2025, 12, 24) and product.current.issuer == "UBND tỉnh Lâm Đồng"
    )  # after the 2025 merger
    valid(products)


def test_new_refuses_a_slug_or_id_already_used(products, capsys):
    assert run(capsys, *NEW)[0] == 0
    before = snapshot(products)
    code, _, err = run(capsys, *NEW)
    assert (
        code == 1
        and "Địa chỉ trang 'dau-phong-rang-duc-hanh' đã dùng cho products/lam-dong/dau-phong-rang-duc-hanh.yaml" in err
    )
    code, _, err = run(capsys, *NEW, "--slug", "dau-phong-khac", "--id", "bt-pt-0004", "--lang", "en")
    assert code == 1 and "The id 'bt-pt-0004' is already used by products/phan-thiet/nuoc-mam-ba-hai-40-dam.yaml" in err
    assert snapshot(products) == before


def test_new_reports_every_bad_option(products, capsys):
    before = snapshot(products)
    code, _, err = run(
        capsys,
        "new",
        "--name",
        "Tỏi",
        "--district",
        "Đức Lin",
        "--producer",
        "Ông An",
        "--kind",
        "hộ kinh doanh",
        "--stars",
        "6",
        "--decision",
        "1/QĐ",
        "--date",
        "31/02/2026",
        "--no-input",
        "--lang",
        "en",
    )
    assert code == 1
    assert "--district: found 'Đức Lin'; expected a district of Tỉnh Lâm Đồng (did you mean Đức Linh" in err
    assert "--stars: found '6'; expected 3, 4 or 5." in err
    assert "--date: found '31/02/2026'" in err
    assert snapshot(products) == before


def test_new_asks_for_what_is_missing(products, capsys, monkeypatch):
    answers = [
        "Mật ong rừng Tánh Linh",
        "Tổ hợp tác ong Suối Kiết",
        "Tanh Linh forest honey",
        "4",
        "75",
        "88/QĐ-UBND",
        "",  # Enter keeps today's date: after the reform, so the commune is asked, not a district
        "xã Hàm Thuận Bắcc",  # a typo: asked again, alone
        "xã Tánh Linh",
    ]
    prompts = typing(monkeypatch, answers)
    code, out, err = run(capsys, "new", "--ask")
    assert code == 0, err
    assert [p.split(" (")[0].split(":")[0] for p in prompts[-2:]] == ["Xã, phường, đặc khu"] * 2
    assert "--commune: ghi 'xã Hàm Thuận Bắcc'; cần xã, phường, đặc khu của Tỉnh Lâm Đồng (có phải Hàm Thuận Bắc" in err
    path = products / "lam-dong" / "mat-ong-rung-tanh-linh.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'commune: "Xã Tánh Linh"\n' in text and "district:" not in text and "province:" not in text
    product = read_record(path, products, "Lâm Đồng").product
    assert product.name.en == "Tanh Linh forest honey" and product.producer.kind == "cooperative_group"
    assert product.current.date == DAY and product.stars == 4  # every answer before the typo kept
    assert product.place.district.name == "Tánh Linh" and product.current.issuer == "UBND tỉnh Lâm Đồng"


def test_new_without_a_terminal_names_what_is_missing(products, capsys):
    code, _, err = run(capsys, "new", "--name", "Tỏi", "--no-input")
    assert code == 1 and err.startswith("Thiếu thông tin: --producer, --commune/--district")


# --- import -------------------------------------------------------------------------


def test_import_is_a_dry_run_by_default(products, capsys, tmp_path):
    table = xlsx(tmp_path / "qd-555.xlsx", REALISTIC)
    before = snapshot(products)
    code, out, _ = run(capsys, "import", str(table))
    assert code == 0 and snapshot(products) == before
    assert "Sản phẩm mới (2):" in out and "Chứng nhận mới cho sản phẩm đã có (2):" in out
    assert "dòng 5: bt-pt-0005 «Nước mắm Toàn Hương» — đánh giá lại, giữ 4 sao" in out
    assert "dòng 7: dòng tiêu đề nhóm «HUYỆN ĐỨC LINH»" in out
    assert "Đây là bản xem trước, chưa ghi gì" in out


def test_import_apply_writes_valid_records(products, capsys, tmp_path):
    table = xlsx(tmp_path / "qd-555.xlsx", REALISTIC)
    code, out, err = run(capsys, "import", str(table), "--apply", "--lang", "en")
    assert code == 0, err
    assert "Wrote products/lam-dong/dau-phong-rang-toi-duc-hanh.yaml" in out
    assert "Done: 2 new products, 2 new certificates." in out
    valid(products)
    cat, _ = load_catalogue(products, "Bình Thuận", DAY)
    assert cat.by_id["bt-htb-0005"].current.date == date(2026, 8, 15)


def test_import_writes_nothing_unless_the_whole_plan_is_valid(products, capsys, tmp_path):
    rows = REALISTIC + [
        [
            5,
            "Hạt điều rang muối",
            "Công ty TNHH Điều Vàng",
            "xã Đức Hạnh, huyện Đức Lin",
            4,
            75,
            "555/QĐ-UBND",
            "15/08/2026",
        ]
    ]
    table = xlsx(tmp_path / "qd.xlsx", rows)
    before = snapshot(products)
    code, out, err = run(capsys, "import", str(table), "--apply")
    assert code == 1 and snapshot(products) == before
    assert "Dòng 10, cột D (Địa chỉ): ghi 'huyện Đức Lin', không phải huyện của Tỉnh Lâm Đồng. Có phải Đức Linh" in out
    assert "Không ghi gì: bảng còn 1 lỗi." in err


def test_import_keeps_each_rows_province_commune_and_address(products, capsys, tmp_path):
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Tỉnh", "Xã/Phường", "Địa chỉ", "Hạng sao", "Số quyết định", "Ngày"]
    rows = [
        [1, "Bánh tráng mè Phú Lạc", "HTX Phú Lạc", "Bình Thuận", "xã Phú Lạc", "Thôn 2, xã Phú Lạc, huyện Tuy Phong"]
        + ["03 sao", "1/QĐ-UBND", "1/9/2026"],
        [2, "Chè Shan tuyết Sín Chải", "HTX Chè Sín Chải", "Điện Biên", None, "xã Sính Phình, huyện Tủa Chùa"]
        + ["3*", "1/QĐ-UBND", "1/9/2026"],
    ]
    table = workbook(tmp_path / "t.xlsx", [("Tổng hợp", [["Tổng hợp"]], []), ("DS", [header, *rows], [])])
    code, out, err = run(capsys, "import", str(table))
    assert code == 0, out + err
    assert "  Bảng nằm ở trang «DS»." in out
    assert (
        "      xã/phường: Phú Lạc; địa chỉ: Thôn 2, xã Phú Lạc, huyện Tuy Phong; tỉnh ghi trong bảng: Bình Thuận" in out
    )
    code, out, err = run(capsys, "import", str(table), "--apply", "--lang", "en")
    assert code == 0, out + err
    assert "      commune: Sính Phình; address: xã Sính Phình, huyện Tủa Chùa; province in the table: Điện Biên" in out
    valid(products)
    # certified in 2026: the record names the current commune (the former xã Phú Lạc is part of xã Liên Hương)
    cake = read_record(products / "lam-dong" / "banh-trang-me-phu-lac.yaml", products, "Lâm Đồng").product
    assert (cake.commune, cake.producer.address) == ("Xã Liên Hương", "Thôn 2, xã Phú Lạc, huyện Tuy Phong")
    # another province: filed under its current province's name, `province:` written, the district derived
    tea_file = products / "dien-bien" / "che-shan-tuyet-sin-chai.yaml"
    assert 'province: "Điện Biên"\ncommune: "Xã Sính Phình"\n' in tea_file.read_text(encoding="utf-8")
    tea = read_record(tea_file, products, "Lâm Đồng").product
    assert (tea.place.district.name, tea.place.province.name) == ("Tủa Chùa", "Điện Biên")


def test_import_plans_a_similar_name_as_a_rerating_and_says_so(products, capsys, tmp_path):
    row = [1, "Nước mắm Bà Hai 40 độ đạm (chai 500ml)", "Cơ sở nước mắm Bà Hai", "Phan Thiết", "05 sao", 91]
    table = xlsx(tmp_path / "t.xlsx", [row + ["12/QĐ-BNNMT", "10/10/2026"]])
    code, out, err = run(capsys, "import", str(table), "--apply")
    assert code == 0, out + err
    assert "bt-pt-0004 «Nước mắm Bà Hai 40 độ đạm» — nâng hạng 4 → 5 sao" in out
    assert "      khớp theo tên gần giống: bảng ghi «Nước mắm Bà Hai 40 độ đạm (chai 500ml)»" in out
    assert not (products / "phan-thiet" / "nuoc-mam-ba-hai-40-do-dam-chai-500ml.yaml").exists()
    valid(products)


def test_messages_write_dates_and_percentages_the_readers_way():
    from ocop.problems import Percent, format_report, problem

    p = problem(
        "products/a.yaml",
        7,
        "certificates[0].expires",
        "the expiry date {expires} is not after the decision date {issued}",
        expires=date(2026, 10, 15),
        issued=date(2026, 10, 20),
    )
    assert p.text("vi") == "ngày hết hạn 15/10/2026 không sau ngày quyết định 20/10/2026"
    assert p.text("en") == p.message == "the expiry date 2026-10-15 is not after the decision date 2026-10-20"
    assert format_report([p], "vi").splitlines() == [
        "products/a.yaml:7: lỗi: trường 'certificates[0].expires': ngày hết hạn 15/10/2026 không sau ngày quyết "
        "định 20/10/2026",
        "1 lỗi, 0 cảnh báo.",
    ]
    assert format_report([p]).endswith("1 error(s), 0 warning(s).")  # English unless asked
    from ocop.problems import format_value

    assert (format_value(Percent(0.125), "vi"), format_value(Percent(0.125), "en")) == ("12,5%", "12.5%")


def test_import_of_a_protected_workbook(products, capsys, tmp_path, monkeypatch):
    path = tmp_path / "protected.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1000))
    monkeypatch.setenv("OCOP_LANG", "en")
    code, out, _ = run(capsys, "import", str(path), "--apply")
    assert code == 1 and "protected.xlsx: the workbook is password-protected or not an .xlsx file" in out


# --- renew and revoke ---------------------------------------------------------------


def test_renew_records_a_rerating(products, capsys):
    path = products / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml"
    before = path.read_text(encoding="utf-8")
    code, out, err = run(
        capsys,
        "renew",
        "bt-pt-0004",
        "--stars",
        "5",
        "--score",
        "91",
        "--decision",
        "45/QĐ-BNNMT",
        "--date",
        "10/10/2026",
    )
    assert code == 0, err
    assert "nâng hạng 4 → 5 sao" in out
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.split("summary:")[0].rstrip("\n")) and after.count("- stars:") == 2
    product = read_record(path, products, "Bình Thuận").product
    assert (product.stars, product.current.issuer, len(product.certificates)) == (5, "Bộ Nông nghiệp và Môi trường", 2)


def test_renew_by_file_name_keeps_the_stars(products, capsys):
    code, out, _ = run(capsys, "renew", "mam-lu-quang-long", "--decision", "9/QĐ-UBND", "--date", "2026-12-20")
    assert code == 0 and "đánh giá lại, giữ 4 sao" in out
    cat, _ = load_catalogue(products, "Bình Thuận", date(2027, 1, 1))
    assert cat.by_id["bt-pt-0006"].current.decision == "9/QĐ-UBND"


def test_renew_refuses_a_date_not_after_the_current_one(products, capsys):
    before = snapshot(products)
    code, _, err = run(capsys, "renew", "bt-pt-0006", "--decision", "1/QĐ", "--date", "01/01/2020", "--lang", "en")
    assert code == 1 and "is not after the current certificate's date (2023-12-22)" in err
    code, _, err = run(capsys, "renew", "bt-pt-0006", "--decision", "1/QĐ", "--date", "01/01/2020")
    assert code == 1 and "Ngày 01/01/2020 không sau ngày chứng nhận hiện tại (22/12/2023) của bt-pt-0006." in err
    code, _, err = run(capsys, "renew", "bt-xx-9999", "--decision", "1/QĐ", "--date", "01/01/2027")
    assert code == 1 and "Không tìm thấy sản phẩm 'bt-xx-9999'" in err
    assert snapshot(products) == before


def test_revoke_takes_the_product_out_of_the_listings(products, capsys):
    code, out, err = run(capsys, "revoke", "bt-pt-0006", "--decision", "321/QĐ-UBND", "--date", "01/11/2026")
    assert code == 0, err
    text = (products / "phan-thiet" / "mam-lu-quang-long.yaml").read_text(encoding="utf-8")
    # issue 10: the revocation carries its decision in a field, not only in a comment
    assert '    revoked: {date: 2026-11-01, decision: "321/QĐ-UBND"}  # thu hồi theo Quyết định 321/QĐ-UBND\n' in text
    cat, _ = load_catalogue(products, "Bình Thuận", DAY)
    p = cat.by_id["bt-pt-0006"]
    assert p.status is Status.REVOKED and p not in cat.listed and p in cat.lapsed
    code, _, err = run(capsys, "revoke", "bt-pt-0006", "--decision", "322/QĐ-UBND", "--date", "02/11/2026")
    assert code == 1 and "đã bị thu hồi ngày 01/11/2026" in err  # dates in Vietnamese messages: day/month/year


def test_revoke_before_the_certificate_date_is_refused(products, capsys):
    code, _, err = run(capsys, "revoke", "bt-pt-0006", "--date", "01/01/2020", "--lang", "en")
    assert code == 1 and "The revocation date 2020-01-01 is before the certificate's date (2023-12-22)." in err
    code, _, err = run(capsys, "revoke", "bt-pt-0006", "--date", "01/01/2020")
    assert code == 1 and "Ngày thu hồi 01/01/2020 trước ngày cấp chứng nhận (22/12/2023)." in err


# --- report -------------------------------------------------------------------------


def test_report_table(products, capsys):
    code, out, err = run(capsys, "report", "--date", "2026-11-22")
    assert code == 0, err
    cat, _ = load_catalogue(products, "Bình Thuận", DAY)
    assert out.startswith(
        f"Báo cáo danh mục OCOP ngày 22/11/2026 ({len(cat.products)} sản phẩm, {len(cat.listed)} đang hiển thị)"
    )
    assert f"Đã thu hồi ({cat.count(Status.REVOKED)})" in out and "bt-lg-0002" in out
    assert f"Đã hết hạn, cần đánh giá lại ({cat.count(Status.EXPIRED)})" in out
    assert "Hợp tác xã: " in out and "chỉ tiêu ≥ 35,0%" in out  # a decimal comma in Vietnamese


def test_report_csv_agrees_with_the_catalogue(products, capsys):
    code, out, _ = run(capsys, "report", "--date", "2026-11-22", "--csv", "--days", "3650")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    cat, _ = load_catalogue(products, "Bình Thuận", DAY)
    expiring = {r["id"] for r in rows if r["section"] == "expiring"}
    assert expiring == {p.id for p in cat.listed}  # within ten years every listed certificate expires
    stars = {r["id"]: int(r["value"]) for r in rows if r["section"] == "stars"}
    assert stars == {str(s): len(cat.stars[s]) for s in (3, 4, 5)}
    assert {r["id"] for r in rows if r["section"] == "revoked"} == {
        p.id for p in cat.products if p.status is Status.REVOKED
    }


def test_report_targets_count_each_producer_once(tmp_path, capsys, monkeypatch):
    from conftest import GOOD_RECORD, write

    monkeypatch.delenv("OCOP_LANG", raising=False)
    shutil.copyfile(PROJECT / "pelicanconf.py", tmp_path / "pelicanconf.py")  # the sample site's plan targets
    monkeypatch.chdir(tmp_path)  # the site folder; --products names another products folder
    folder = tmp_path / "elsewhere" / "products"
    kinds = [
        ("HTX A", "cooperative", "true"),
        ("HTX A", "cooperative", "true"),
        ("Công ty B", "enterprise", "false"),
        ("Hộ C", "household", "false"),
        ("Hộ D", "household", None),
    ]
    for i, (name, kind, women) in enumerate(kinds):
        text = GOOD_RECORD.replace("bt-pt-9001", f"bt-pt-90{i:02d}").replace(
            "producer: {name: Cơ sở thử nghiệm, kind: household}",
            f"producer: {{name: {name}, kind: {kind}" + (f", women_led: {women}}}" if women else "}"),
        )
        write(folder, f"r{i}.yaml", text)
    code, out, _ = run(capsys, "report", "--products", str(folder), "--date", "2026-11-22", "--lang", "en")
    assert code == 0
    assert "Cooperatives: 1/4 = 25.0% (target ≥ 35.0%) NOT MET" in out
    assert "Cooperatives or enterprises: 2/4 = 50.0% (target ≥ 80.0%) NOT MET" in out
    assert "Women-led: 1/4 = 25.0% (target ≥ 40.0%) NOT MET — 1 unknown" in out


def test_report_refuses_broken_records(tmp_path, capsys, monkeypatch):
    from conftest import write

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "products", "x.yaml", "id: x\n")
    # the record problems speak the tools' language: Vietnamese by default, English with --lang en
    code, _, err = run(capsys, "report", "--products", str(tmp_path / "products"))
    assert code == 1 and "lỗi: trường 'name': thiếu trường 'name'" in err and "cảnh báo." in err
    code, _, err = run(capsys, "report", "--products", str(tmp_path / "products"), "--lang", "en")
    assert code == 1 and "error: field 'name': the field 'name' is missing" in err and "warning(s)." in err


# --- issue 10: another province, with real place data ------------------------------------------


def _site(tmp_path: Path) -> None:
    """The site folder given the sample's showrooms too (records name them): `ocop check` then passes."""
    import shutil

    shutil.copytree(
        Path(__file__).resolve().parent.parent / "content" / "showrooms", tmp_path / "content" / "showrooms"
    )


def test_new_of_another_province_writes_it_and_the_catalogue_builds(products, capsys, tmp_path):
    _site(tmp_path)
    code, out, err = run(
        capsys,
        *["new", "--province", "Điện Biên", "--district", "Tủa Chùa", "--name", "Chè Shan tuyết Sính Phình"],
        *["--producer", "HTX Chè Tủa Chùa", "--stars", "4", "--decision", "12/QĐ-UBND", "--date", "10/3/2024"],
        "--no-input",
    )
    assert code == 0, err
    path = products / "dien-bien" / "che-shan-tuyet-sinh-phinh.yaml"  # the sample has che-shan-tuyet-tua-chua
    text = path.read_text(encoding="utf-8")
    assert 'province: "Điện Biên"\ndistrict: "Tủa Chùa"\n' in text
    assert 'issuer: "UBND tỉnh Điện Biên"' in text  # 4★ in 2024: the province
    assert run(capsys, "check")[0] == 0


def test_new_after_the_reform_writes_the_commune_and_the_current_province(products, capsys, tmp_path):
    _site(tmp_path)
    code, out, err = run(
        capsys,
        *["new", "--province", "Dong Nai", "--commune", "phường Đồng Xoài", "--name", "Hạt điều rang Đồng Xoài"],
        *["--producer", "Công ty TNHH Điều Đồng Xoài", "--stars", "3", "--decision", "5/QĐ-UBND"],
        *["--date", "10/3/2026", "--no-input"],
    )
    assert code == 0, err
    assert "--province: 'Dong Nai' được hiểu là Tỉnh Đồng Nai (viết không dấu)." in err
    text = (products / "dong-nai" / "hat-dieu-rang-dong-xoai.yaml").read_text(encoding="utf-8")
    assert 'province: "Đồng Nai"\ncommune: "Phường Đồng Xoài"\n' in text and "district:" not in text
    assert 'issuer: "UBND tỉnh Đồng Nai"' in text  # not the former "UBND tỉnh Bình Phước"
    assert run(capsys, "check")[0] == 0


def test_import_of_other_provinces_rows_builds(products, capsys, tmp_path):
    _site(tmp_path)
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Tỉnh", "Địa chỉ", "Hạng sao", "Số quyết định", "Ngày"]
    rows = [
        [1, "Chè Tủa Chùa", "HTX Chè Sín Chải", "Điện Biên", "xã Sín Chải, huyện Tủa Chùa", 3, "1/QĐ", "1/9/2024"],
        [
            2,
            "Tiêu Bù Gia Mập",
            "HTX Tiêu Bù Gia Mập",
            "Đồng Nai",
            "xã Bù Gia Mập, tỉnh Đồng Nai",
            4,
            "2/QĐ",
            "1/9/2026",
        ],
        [3, "Mật ong Tánh Linh", "Tổ hợp tác ong Suối Kiết", None, "huyện Tanh Linh", 3, "3/QĐ", "1/9/2024"],
    ]
    table = xlsx(tmp_path / "t.xlsx", rows, header=header, title=None)
    code, out, err = run(capsys, "import", str(table), "--apply")
    assert code == 0, out + err
    assert "Dòng 4, cột E (Địa chỉ): 'huyện Tanh Linh' được hiểu là Huyện Tánh Linh, Tỉnh Bình Thuận" in out
    assert "      nơi sản xuất: Xã Bù Gia Mập, Tỉnh Đồng Nai (trước 7/2025: Huyện Bù Gia Mập, Tỉnh Bình Phước)" in out
    tea = (products / "dien-bien" / "che-tua-chua.yaml").read_text(encoding="utf-8")
    assert 'province: "Điện Biên"\ndistrict: "Tủa Chùa"\ncommune: "Sín Chải"\n' in tea
    assert 'issuer: "UBND huyện Tủa Chùa"' in tea  # 3★ between 24/02/2023 and 1/7/2025: the district
    cashew = (products / "dong-nai" / "tieu-bu-gia-map.yaml").read_text(encoding="utf-8")
    assert 'province: "Đồng Nai"\ncommune: "Xã Bù Gia Mập"\n' in cashew and 'issuer: "UBND tỉnh Đồng Nai"' in cashew
    honey = (products / "lam-dong" / "mat-ong-tanh-linh.yaml").read_text(encoding="utf-8")
    assert 'district: "Tánh Linh"\n' in honey and "province:" not in honey
    assert run(capsys, "check")[0] == 0


def test_new_before_the_reform_asks_the_district_and_takes_a_commune_given_there(products, capsys, monkeypatch):
    answers = ["Thanh long sấy dẻo", "HTX Thanh long Hàm Thuận Bắc", "", "3", "", "7/QĐ-UBND", "10/3/2024"]
    # the district question answered with the (current) commune
    prompts = typing(monkeypatch, [*answers, "xã Hàm Thuận Bắc"])
    code, out, err = run(capsys, "new", "--ask")
    assert code == 0, err
    assert prompts[-1].startswith("Huyện")
    text = (products / "lam-dong" / "thanh-long-say-deo.yaml").read_text(encoding="utf-8")
    assert 'district: "Hàm Thuận Bắc"\ncommune: "xã Hàm Thuận Bắc"\n' in text
    assert 'issuer: "UBND huyện Hàm Thuận Bắc"' in text  # 3★ in 2024: the district
    valid(products)
