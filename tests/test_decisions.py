"""Decision tables → import plans: real-looking workbooks, including the messy cases offices send."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from ocop import messages
from ocop.decisions import Options, parse_date, parse_stars, plan_import, producer_kind, split_decision
from ocop.index import build_index

from decision_tables import HEADER, REALISTIC, TWO_ROW_HEADER, TWO_ROW_MERGES, workbook, xlsx

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index():
    return build_index(PROJECT / "products", use_cache=False)  # read only: no cache file in the project


def plan_of(path, index, **options):
    # the sample site's scope (pelicanconf.py): rows that name no province are read in the new Lâm Đồng
    return plan_import(path, index, Options(**{"scope": "Lâm Đồng", **options}))


def codes(plan):
    return [(p.code, p.row, p.column) for p in plan.problems]


def rendered(plan, lang="vi"):
    from ocop.staff import format_problem

    old = messages.lang()
    messages.set_lang(lang)
    try:
        return [format_problem(p) for p in plan.problems]
    finally:
        messages.set_lang(old)


# --- values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, stars",
    [
        (4, 4),
        (4.0, 4),
        ("4", 4),
        ("4 sao", 4),
        ("4 Sao", 4),
        ("4*", 4),
        ("4★", 4),
        ("Bốn sao", 4),
        ("hạng 3 sao", 3),
        ("5 sao (92 điểm)", 5),
        ("4,5 sao", None),
        ("bốn", None),
        ("", None),
        (True, None),
    ],
)
def test_star_values(value, stars):
    assert parse_stars(value) == stars


@pytest.mark.parametrize(
    "value, day",
    [
        ("31/12/2023", date(2023, 12, 31)),
        ("1/2/2024", date(2024, 2, 1)),
        ("31-12-2023", date(2023, 12, 31)),
        ("31.12.2023", date(2023, 12, 31)),
        ("2023-12-31", date(2023, 12, 31)),
        ("ngày 24 tháng 12 năm 2021", date(2021, 12, 24)),
        (datetime(2023, 12, 31), date(2023, 12, 31)),
        (45291, date(2023, 12, 31)),
        ("31/13/2023", "bad"),
        ("30/02/2024", "bad"),
        ("tháng 12", "bad"),
        (7, "bad"),
    ],
)
def test_date_values(value, day):
    assert parse_date(value) == day


def test_decision_with_its_date_in_one_cell():
    assert split_decision("Số 2345/QĐ-UBND ngày 24/12/2021") == ("2345/QĐ-UBND", "24/12/2021")
    assert split_decision("2345/QĐ-UBND, ngày 24/12/2021") == ("2345/QĐ-UBND", "24/12/2021")
    assert split_decision("2345/QĐ-UBND") == ("2345/QĐ-UBND", None)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("HTX Hòa Lệ", "cooperative"),
        ("Hợp tác xã Nông nghiệp Đức Hạnh", "cooperative"),
        ("Công ty TNHH Tân Hà", "enterprise"),
        ("Tổ hợp tác gốm Chăm", "cooperative_group"),
        ("Hộ kinh doanh Bảy Lan", "household"),
        ("Cơ sở nước mắm Bà Hai", "household"),
        ("Nguyễn Văn An", None),
    ],
)
def test_producer_kind_from_name(name, kind):
    assert producer_kind(name) == kind


# --- a realistic table ----------------------------------------------------------------


def test_realistic_table_plan(tmp_path, index):
    plan = plan_of(xlsx(tmp_path / "qd-555.xlsx", REALISTIC), index)
    assert plan.valid, rendered(plan)
    assert plan.header_row == 4  # below the merged title, the note and a blank row
    certs = {c.entry.id: c for c in plan.certificates}
    assert set(certs) == {"bt-pt-0005", "bt-htb-0005"}
    # "4 sao", a date typed as text
    # Bình Thuận joined Lâm Đồng on 1/7/2025: its later decisions are signed by UBND tỉnh Lâm Đồng
    assert certs["bt-pt-0005"].certificate == {
        "stars": 4,
        "score": 81,
        "decision": "555/QĐ-UBND",
        "date": date(2026, 8, 15),
        "issuer": "UBND tỉnh Lâm Đồng",
    }
    assert certs["bt-pt-0005"].change == "renewed"  # ocop.certificates.change_kind
    # matched although the table shortens "HTX Nông nghiệp Thuận Tiến" to "HTX Thuận Tiến"; an Excel date
    assert certs["bt-htb-0005"].certificate["date"] == date(2026, 8, 15)
    new = {r.name: r for r in plan.new}
    assert set(new) == {"Đậu phộng rang tỏi Đức Hạnh", "Rượu đông trùng hạ thảo Tân Hà"}
    peanut = new["Đậu phộng rang tỏi Đức Hạnh"]
    # the address names only the commune: the district comes from the heading row above
    assert peanut.district.name == "Đức Linh" and peanut.row == 8
    # a 2026 certificate: filed under the current province, its id from the current province and commune (Xã Đức
    # Hạnh went into Xã Hoài Đức)
    assert peanut.id == "ld-hd-0001" and peanut.slug == "dau-phong-rang-toi-duc-hanh" and peanut.folder == "lam-dong"
    assert peanut.kind == "cooperative" and "kind" in peanut.guessed
    assert peanut.certificate["issuer"] == "UBND tỉnh Lâm Đồng"  # 3★ after the July 2025 reform: the (merged) province
    wine = new["Rượu đông trùng hạ thảo Tân Hà"]
    assert wine.id == "ld-tt-0001" and wine.group == "drinks" and wine.certificate["stars"] == 4  # "Bốn sao"
    assert [(s.row, s.code) for s in plan.skipped] == [(7, "heading")]


def test_headers_without_tone_marks_and_a_csv_with_semicolons(tmp_path, index):
    path = tmp_path / "qd.csv"
    path.write_text(
        "Danh sach san pham OCOP;;;;;;\n"
        "TT;Ten san pham;Chu the;Huyen;Xep hang;So diem;So, ngay quyet dinh\n"
        "1;Nước mắm Toàn Hương;Cơ sở nước mắm Toàn Hương;TP Phan Thiết;4;82;Số 555/QĐ-UBND ngày 15/08/2026\n",
        encoding="utf-8-sig",
    )
    plan = plan_of(path, index)
    assert plan.valid, rendered(plan)
    assert plan.header_row == 2
    assert set(plan.columns) == {"stt", "name", "producer", "district", "stars", "score", "decision"}
    [cert] = plan.certificates
    assert cert.certificate["decision"] == "555/QĐ-UBND" and cert.certificate["date"] == date(2026, 8, 15)


def test_default_issuer_follows_the_reforms(tmp_path, index):
    from ocop.authoring import default_issuer
    from ocop.places import gazetteer

    gaz = gazetteer()
    dl = gaz.district(gaz.province("Bình Thuận"), "Đức Linh")
    assert default_issuer(3, date(2023, 5, 1), dl) == "UBND huyện Đức Linh"
    assert default_issuer(4, date(2023, 5, 1), dl) == "UBND tỉnh Bình Thuận"
    assert default_issuer(3, date(2025, 8, 1), dl) == "UBND tỉnh Lâm Đồng"
    assert default_issuer(5, date(2023, 5, 1), dl) == "Bộ Nông nghiệp và Phát triển nông thôn"
    rows = [[1, "Bánh tráng mè", "HTX Phú Lạc", "Tuy Phong", 3, 60, "1/QĐ-UBND", "1/9/2026"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index, issuer="UBND tỉnh Lâm Đồng (mới)")
    assert plan.new[0].certificate["issuer"] == "UBND tỉnh Lâm Đồng (mới)"


def test_decision_named_only_in_the_title(tmp_path, index):
    # the decision's own annex: number and date in the (merged) title, not in columns
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Số sao", "Điểm"]
    rows = [[1, "Nước mắm Toàn Hương", "Cơ sở nước mắm Toàn Hương", "TP Phan Thiết", "4 sao", 80]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, header=header), index)
    assert plan.valid, rendered(plan)
    assert plan.from_title == ("555/QĐ-UBND", "15/8/2026")
    assert plan.certificates[0].certificate["decision"] == "555/QĐ-UBND"
    assert plan.certificates[0].certificate["date"] == date(2026, 8, 15)
    untitled = plan_of(xlsx(tmp_path / "u.xlsx", rows, header=header, title=None), index)
    assert [p.code for p in untitled.problems] == ["missing_columns"]
    assert "Số quyết định" in rendered(untitled)[0]


def test_a_rerating_is_named_as_such(tmp_path, index):
    rows = [
        [
            1,
            "Nước mắm Bà Hai 40 độ đạm",
            "Cơ sở nước mắm Bà Hai",
            "Phú Thủy, Phan Thiết",
            "5 sao",
            91,
            "12/QĐ-BNNMT",
            "10/10/2026",
        ]
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)
    [cert] = plan.certificates
    assert (cert.change, cert.previous_stars) == ("upgraded", 4)
    assert cert.certificate["issuer"] == "Bộ Nông nghiệp và Môi trường"


def test_a_certificate_already_recorded_is_skipped_with_its_reason(tmp_path, index):
    rows = [[1, "Nước mắm Toàn Hương", "Cơ sở nước mắm Toàn Hương", "Phan Thiết", 4, 78, "1955/QĐ-UBND", "30/07/2024"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)
    assert plan.valid and plan.changes == 0
    assert [(s.row, s.code, s.kw["id"]) for s in plan.skipped] == [(5, "already_recorded", "bt-pt-0005")]


# --- bad input: each names the row and the column -------------------------------------


def test_missing_column(tmp_path, index):
    header = [h for h in HEADER if h != "Hạng sao"]
    rows = [[1, "Bánh tráng", "HTX A", "Tuy Phong", 60, "1/QĐ", "1/1/2026"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, header=header), index)
    assert [p.code for p in plan.problems] == ["missing_columns"]
    [msg] = rendered(plan)
    assert msg.startswith("Dòng 4: ") and "Hạng sao" in msg and "B (Tên sản phẩm)" in msg
    assert "lacks the column(s): Hạng sao" in rendered(plan, "en")[0]


def test_merged_cell_across_columns(tmp_path, index):
    rows = [
        [1, "Bánh tráng mè Phú Lạc", "HTX Phú Lạc", "Tuy Phong", 3, 60, "1/QĐ-UBND", "1/9/2026"],
        [2, "Mật ong Phú Lạc và HTX Phú Lạc", None, "Tuy Phong", 3, 61, "1/QĐ-UBND", "1/9/2026"],
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, merges=["B6:C6"]), index)
    assert ("merged_across", 6, "B (Tên sản phẩm)") in codes(plan)
    msg = next(m for m in rendered(plan, "en") if "merged" in m)
    assert msg.startswith("Row 6, column B (Tên sản phẩm): the cells B6:C6 are merged across columns")


def test_merged_cell_down_a_column_is_filled_in(tmp_path, index):
    rows = [
        [1, "Bánh tráng mè Phú Lạc", "HTX Phú Lạc", "Tuy Phong", 3, 60, "777/QĐ-UBND", "1/9/2026"],
        [2, "Mật ong rừng Phú Lạc", "HTX Phú Lạc", "Tuy Phong", 3, 61, None, None],
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, merges=["G5:G6", "H5:H6"]), index)
    assert plan.valid, rendered(plan)
    assert [r.certificate["decision"] for r in plan.new] == ["777/QĐ-UBND", "777/QĐ-UBND"]
    assert [r.certificate["date"] for r in plan.new] == [date(2026, 9, 1)] * 2


def test_bad_star_score_and_date_values(tmp_path, index):
    rows = [
        [1, "Bánh tráng mè", "HTX Phú Lạc", "Tuy Phong", "2 sao", 40, "1/QĐ", "1/9/2026"],
        [2, "Mật ong rừng", "HTX Phú Lạc", "Tuy Phong", "4 sao", 65, "1/QĐ", "1/9/2026"],
        [3, "Tỏi Phú Quý", "HTX Tam Thanh", "Phú Quý", 3, 60, "1/QĐ", "31/13/2026"],
        [4, "Hành Phú Quý", "HTX Tam Thanh", "Phú Quý", 3, "sáu mươi", "1/QĐ", "1/9/2026"],
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)
    assert codes(plan) == [
        ("bad_stars", 5, "E (Hạng sao)"),
        ("score_band", 6, "F (Điểm)"),
        ("bad_date", 7, "H (Ngày)"),
        ("bad_score", 8, "F (Điểm)"),
    ]
    msgs = rendered(plan)
    assert msgs[0] == "Dòng 5, cột E (Hạng sao): ghi '2 sao'; cần hạng sao 3, 4 hoặc 5 (ví dụ 4 hoặc '4 sao')."
    assert "65 điểm không khớp hạng 4 sao; hạng 4 sao cần 70–89 điểm" in msgs[1]
    assert "'31/13/2026', không phải ngày hợp lệ; cần ngày/tháng/năm, ví dụ 31/12/2023" in msgs[2]


def test_a_district_without_tone_marks_that_fits_one_is_read_with_a_warning(tmp_path, index):
    # issue 10 changes this: "Duc Linh"/"Tanh Linh" name one district only, so the row is planned, and staff are told
    rows = [
        [1, "Hạt điều rang muối", "Công ty TNHH Điều Vàng", "xã Đức Hạnh, huyện Duc Linh", 4, 75, "1/QĐ", "1/9/2024"],
        [2, "Mật ong rừng", "Tổ hợp tác ong Suối Kiết", "Tanh Linh", 3, 60, "2/QĐ", "1/9/2024"],
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)
    assert plan.valid, rendered(plan)
    assert sorted(r.district.name for r in plan.new) == ["Tánh Linh", "Đức Linh"]
    assert [(w.code, w.row, w.column) for w in plan.warnings] == [
        ("read_as", 5, "D (Địa chỉ)"),
        ("read_as", 6, "D (Địa chỉ)"),
    ]
    from ocop.staff import format_problem

    messages.set_lang("vi")
    assert format_problem(plan.warnings[1]) == (
        "Dòng 6, cột D (Địa chỉ): 'Tanh Linh' được hiểu là Huyện Tánh Linh, Tỉnh Bình Thuận (viết không dấu);"
        " hãy kiểm tra lại."
    )


def test_an_ambiguous_district_without_tone_marks_is_refused_with_its_candidates(tmp_path, index):
    # the new Vĩnh Long holds the former Bến Tre and Trà Vinh, each with a Châu Thành
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Tỉnh", "Địa chỉ", "Hạng sao", "Số quyết định", "Ngày"]
    rows = [[1, "Kẹo dừa", "Công ty TNHH Kẹo dừa Bến Tre", "Vĩnh Long", "huyện Chau Thanh", 4, "1/QĐ", "1/9/2026"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, header=header, title=None), index)
    assert codes(plan) == [("ambiguous_place", 2, "E (Địa chỉ)")]
    text = rendered(plan)[0]
    assert "Huyện Châu Thành, Tỉnh Bến Tre" in text and "Huyện Châu Thành, Tỉnh Trà Vinh" in text
    assert not plan.new


def test_a_misspelled_district_is_refused_with_suggestions(tmp_path, index):
    rows = [[1, "Hạt điều", "Công ty TNHH Điều Vàng", "xã Đức Hạnh, huyện Đức Lin", 4, 75, "1/QĐ", "1/9/2026"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)
    assert codes(plan) == [("bad_district", 5, "D (Địa chỉ)")]
    assert rendered(plan)[0].startswith(
        "Dòng 5, cột D (Địa chỉ): ghi 'huyện Đức Lin', không phải huyện của Tỉnh Lâm Đồng."
    )
    assert "Đức Linh" in rendered(plan)[0]


def test_same_product_twice(tmp_path, index):
    row = [1, "Bánh tráng mè Phú Lạc", "HTX Phú Lạc", "Tuy Phong", 3, 60, "1/QĐ", "1/9/2026"]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", [row, [2] + row[1:2] + ["Hợp tác xã Phú Lạc"] + row[3:]]), index)
    assert codes(plan) == [("duplicate_row", 6, "B (Tên sản phẩm)")]
    assert "đã có ở dòng 5" in rendered(plan)[0]


def test_unknown_producer_kind_and_group(tmp_path, index):
    rows = [
        [1, "Sản phẩm XYZ", "HTX Phú Lạc", "Tuy Phong", 3, 60, "1/QĐ", "1/9/2026"],
        [2, "Nước mắm cốt", "Nguyễn Văn An", "Tuy Phong", 3, 60, "1/QĐ", "1/9/2026"],
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)
    assert codes(plan) == [("unknown_group", 5, "B (Tên sản phẩm)"), ("unknown_kind", 6, "C (Tên chủ thể)")]
    assert plan_of(tmp_path / "t.xlsx", index, group="food").problems[0].code == "unknown_kind"


def test_empty_files(tmp_path, index):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "empty.csv").write_text("\n ; ;\n", encoding="utf-8")
    import openpyxl

    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    for name in ("empty.xlsx", "empty.csv", "blank.xlsx"):
        plan = plan_of(tmp_path / name, index)
        assert [p.code for p in plan.problems] == ["file_empty"], name
    header_only = plan_of(xlsx(tmp_path / "h.xlsx", []), index)
    assert [p.code for p in header_only.problems] == ["no_rows"]


def test_corrupt_workbook(tmp_path, index):
    good = xlsx(tmp_path / "good.xlsx", REALISTIC)
    (tmp_path / "truncated.xlsx").write_bytes(good.read_bytes()[:1500])
    (tmp_path / "text.xlsx").write_text("STT,Tên sản phẩm\n1,Nước mắm\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "nonsense.xlsx", "w") as z:
        z.writestr("hello.txt", "not a workbook")
    for name in ("truncated.xlsx", "text.xlsx", "nonsense.xlsx"):
        plan = plan_of(tmp_path / name, index)
        assert [p.code for p in plan.problems] == ["file_corrupt"], name
        assert "bị hỏng hoặc không phải bảng tính .xlsx" in rendered(plan)[0]


def test_password_protected_workbook(tmp_path, index):
    # Excel saves an encrypted workbook as an OLE2 compound file, not a zip: these are its first bytes.
    path = tmp_path / "protected.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    plan = plan_of(path, index)
    assert [p.code for p in plan.problems] == ["file_protected"]
    assert "the workbook is password-protected or not an .xlsx file" in rendered(plan, "en")[0]
    assert "được đặt mật khẩu" in rendered(plan)[0]


def test_no_header_row(tmp_path, index):
    plan = plan_of(xlsx(tmp_path / "t.xlsx", [[1, 2, 3], [4, 5, 6]], header=["a", "b", "c"], title=None), index)
    assert [p.code for p in plan.problems] == ["no_header"]


def test_every_problem_is_listed_not_just_the_first(tmp_path, index):
    rows = [[i, f"Bánh tráng số {i}", "HTX Phú Lạc", "Tuy Phong", "1 sao", 60, "1/QĐ", "1/9/2026"] for i in range(1, 6)]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)
    assert [p.row for p in plan.problems] == [5, 6, 7, 8, 9]


def test_merged_heading_row_gives_the_district(tmp_path, index):
    rows = [
        ["I. HUYỆN TUY PHONG"],
        [1, "Bánh tráng mè Phú Lạc", "HTX Phú Lạc", "xã Phú Lạc", 3, 60, "1/QĐ-UBND", "1/9/2026"],
        ["II. THỊ XÃ LA GI"],
        [2, "Chả cá Tân Hải", "Hộ kinh doanh Tân Hải", "xã Tân Hải", 3, 61, "1/QĐ-UBND", "1/9/2026"],
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, merges=["A5:H5", "A7:H7"]), index)
    assert plan.valid, rendered(plan)
    assert [(r.name, r.district.name, r.folder) for r in plan.new] == [
        ("Bánh tráng mè Phú Lạc", "Tuy Phong", "lam-dong"),
        ("Chả cá Tân Hải", "La Gi", "lam-dong"),
    ]
    assert [(s.row, s.code) for s in plan.skipped] == [(5, "heading"), (7, "heading")]


# --- tables as they really come (issue 10) ------------------------------------------------


def test_stars_written_with_a_leading_zero():
    assert [parse_stars(v) for v in ("04 sao", "04", "05 Sao", "03*", "4*", "4 sao", "00", "40")] == [
        4,
        4,
        5,
        3,
        4,
        4,
        0,
        None,
    ]


def test_a_header_over_two_rows(tmp_path, index):
    rows = [
        TWO_ROW_HEADER[0],
        TWO_ROW_HEADER[1],
        [
            1,
            "Nước mắm Toàn Hương",
            "Cơ sở nước mắm Toàn Hương",
            "TP Phan Thiết",
            81,
            "04 sao",
            "555/QĐ-UBND",
            "15/8/2026",
        ],
        [
            2,
            "Bánh tráng mè Phú Lạc",
            "HTX Phú Lạc",
            "xã Phú Lạc, huyện Tuy Phong",
            60,
            "03 sao",
            "555/QĐ-UBND",
            "15/8/2026",
        ],
    ]
    path = workbook(tmp_path / "t.xlsx", [("Phụ lục", rows, TWO_ROW_MERGES)])
    plan = plan_of(path, index)
    assert plan.valid, rendered(plan)
    assert plan.header_row == 2  # product rows start below the second header row
    assert plan.columns["score"] == "E (Điểm)" and plan.columns["stars"] == "F (Hạng sao)"
    assert plan.columns["name"] == "B (Tên sản phẩm)" and plan.columns["decision"] == "G (Số quyết định)"
    assert plan.certificates[0].certificate["stars"] == 4 and plan.certificates[0].certificate["score"] == 81
    assert [(r.name, r.certificate["stars"], r.certificate["score"]) for r in plan.new] == [
        ("Bánh tráng mè Phú Lạc", 3, 60)
    ]


def test_a_two_row_header_in_a_csv_file(tmp_path, index):
    path = tmp_path / "t.csv"
    path.write_text(
        "STT,Tên sản phẩm,Tên chủ thể,Huyện,Kết quả đánh giá,,Quyết định công nhận,\n"
        ",,,,Điểm,Hạng sao,Số,Ngày\n"
        "1,Nước mắm Toàn Hương,Cơ sở nước mắm Toàn Hương,Phan Thiết,82,4 sao,555/QĐ-UBND,15/08/2026\n",
        encoding="utf-8",
    )
    plan = plan_of(path, index)
    assert plan.valid, rendered(plan)
    assert {f: plan.columns[f] for f in ("stars", "decision", "date")} == {
        "stars": "F (Hạng sao)",
        "decision": "G (Số)",
        "date": "H (Ngày)",
    }
    [cert] = plan.certificates
    assert cert.certificate["decision"] == "555/QĐ-UBND" and cert.certificate["date"] == date(2026, 8, 15)


def test_a_heading_row_right_under_the_header_is_not_a_second_header_row(tmp_path, index):
    rows = [
        ["HUYỆN TUY PHONG"],
        [1, "Bánh tráng mè Phú Lạc", "HTX Phú Lạc", "xã Phú Lạc", 3, 60, "1/QĐ-UBND", "1/9/2026"],
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, merges=["A5:H5"]), index)
    assert plan.valid, rendered(plan)
    assert plan.header_row == 4 and [r.district.name for r in plan.new] == ["Tuy Phong"]


def test_the_table_on_another_sheet_than_the_open_one(tmp_path, index):
    summary = [["TỔNG HỢP KẾT QUẢ"], ["Huyện", "Số sản phẩm"], ["Tuy Phong", 1]]
    table = [HEADER, [1, "Bánh tráng mè Phú Lạc", "HTX Phú Lạc", "Tuy Phong", "3 sao", 60, "1/QĐ-UBND", "1/9/2026"]]
    path = workbook(
        tmp_path / "t.xlsx", [("Trang1", [[None, "ghi chú"]], []), ("Tổng hợp", summary, []), ("DS", table, [])], 1
    )
    plan = plan_of(path, index)
    assert plan.valid, rendered(plan)
    assert (plan.sheet, plan.sheets, plan.header_row) == ("DS", 3, 1)
    assert [r.name for r in plan.new] == ["Bánh tráng mè Phú Lạc"]


def test_no_sheet_holds_a_table(tmp_path, index):
    summary = [["TỔNG HỢP KẾT QUẢ"], ["Huyện", "Số sản phẩm"], ["Tuy Phong", 1]]
    path = workbook(tmp_path / "t.xlsx", [("Trang1", [["ghi chú"]], []), ("Tổng hợp", summary, [])])
    plan = plan_of(path, index)
    assert [p.code for p in plan.problems] == ["no_table_in_sheets"]
    assert rendered(plan)[0].startswith("Không tìm thấy bảng sản phẩm trong các trang của t.xlsx: Trang1, Tổng hợp.")
    assert rendered(plan, "en")[0].startswith("No product table found in the sheets of t.xlsx: Trang1, Tổng hợp.")


BA_HAI = ["Cơ sở nước mắm Bà Hai", "phường Phú Thủy, TP Phan Thiết", "5 sao", 91, "12/QĐ-BNNMT", "10/10/2026"]


def test_the_same_product_under_a_longer_name_is_a_rerating(tmp_path, index):
    # the record is "Nước mắm Bà Hai 40 độ đạm"; the table adds the bottle, and drops the tone marks
    for name in ("Nước mắm Bà Hai 40 độ đạm (chai 500ml)", "Nuoc mam Ba Hai 40 do dam chai 500ml"):
        plan = plan_of(xlsx(tmp_path / "t.xlsx", [[1, name, *BA_HAI]]), index)
        assert plan.valid, rendered(plan)
        assert plan.new == []
        [cert] = plan.certificates
        assert (cert.entry.id, cert.change, cert.previous_stars) == ("bt-pt-0004", "upgraded", 4)
        assert plan.matched == {5: name}


def test_one_record_named_twice_in_a_table_is_a_duplicate_row(tmp_path, index):
    rows = [[1, "Nước mắm Bà Hai 40 độ đạm (chai 500ml)", *BA_HAI], [2, "Nước mắm Bà Hai 40 độ đạm", *BA_HAI]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)
    assert codes(plan) == [("duplicate_row", 6, "B (Tên sản phẩm)")]
    assert "đã có ở dòng 5" in rendered(plan)[0]


def test_a_similar_name_is_a_question_never_a_duplicate(tmp_path, index):
    plan = plan_of(xlsx(tmp_path / "t.xlsx", [[1, "Nước mắm Bà Hai 35 độ đạm", *BA_HAI]]), index)
    assert codes(plan) == [("similar_product", 5, "B (Tên sản phẩm)")] and plan.new == []
    assert "bt-pt-0004 «Nước mắm Bà Hai 40 độ đạm»" in rendered(plan)[0]
    assert "ghi 'mới' vào cột đó" in rendered(plan)[0]
    assert "write its id in a Mã sản phẩm column" in rendered(plan, "en")[0]
    # staff answer in a Mã sản phẩm column: "mới" for a new product, the id for the record
    header = [*HEADER, "Mã sản phẩm"]
    row = [1, "Nước mắm Bà Hai 35 độ đạm", *BA_HAI]
    new = plan_of(xlsx(tmp_path / "n.xlsx", [row + ["Mới"]], header=header), index)
    assert new.valid, rendered(new)
    assert [r.name for r in new.new] == ["Nước mắm Bà Hai 35 độ đạm"] and new.certificates == []
    same = plan_of(xlsx(tmp_path / "s.xlsx", [row + ["bt-pt-0004"]], header=header), index)
    assert same.valid and [c.entry.id for c in same.certificates] == ["bt-pt-0004"]


def test_another_product_of_the_same_producer_is_new(tmp_path, index):
    rows = [[1, "Tương tỏi Hoa Sen", "Hộ kinh doanh Hoa Sen", "TP Phan Thiết", 3, 60, "1/QĐ-UBND", "1/9/2026"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index)  # beside "Tương ớt Hoa Sen" and "Tương cà Hoa Sen"
    assert plan.valid, rendered(plan)
    assert [r.name for r in plan.new] == ["Tương tỏi Hoa Sen"]


@pytest.mark.parametrize(
    "label, group, product_set",
    [
        ("Vải, may mặc", "handicrafts", 22),
        ("Vải và may mặc", "handicrafts", 22),
        ("Dịch vụ du lịch nông thôn, bán hàng", "tourism", 26),
        ("Du lịch cộng đồng, du lịch sinh thái và điểm du lịch", "tourism", 26),
        ("Nhóm II. Đồ uống", "drinks", 14),
        ("Thảo dược", "herbal", None),
    ],
)
def test_group_labels_as_tables_write_them(tmp_path, index, label, group, product_set):
    name = "Rượu cần Phú Lạc" if group == "drinks" else "Sản phẩm Phú Lạc"
    header = [*HEADER, "Nhóm sản phẩm"]
    rows = [[1, name, "HTX Phú Lạc", "Tuy Phong", 3, 60, "1/QĐ-UBND", "1/9/2026", label]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, header=header), index)
    assert plan.valid, rendered(plan)
    assert (plan.new[0].group, plan.new[0].product_set) == (group, product_set)


def test_an_unknown_group_lists_the_accepted_labels(tmp_path, index):
    header = [*HEADER, "Nhóm"]
    rows = [[1, "Xe đạp tre", "HTX Phú Lạc", "Tuy Phong", 3, 60, "1/QĐ-UBND", "1/9/2026", "Xe cộ"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, header=header), index)
    assert codes(plan) == [("bad_group", 5, "I (Nhóm)")]
    msg = rendered(plan)[0]
    assert msg.startswith("Dòng 5, cột I (Nhóm): ghi 'Xe cộ', không phải nhóm sản phẩm; các tên nhóm được chấp nhận:")
    for label in ("Thực phẩm", "Đồ uống", "Hàng thủ công mỹ nghệ", "Sinh vật cảnh", "Vải và may mặc"):
        assert label in msg


def test_province_commune_and_address_are_kept_per_row(tmp_path, index):
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Tỉnh", "Xã/Phường", "Địa chỉ", "Hạng sao", "Số quyết định", "Ngày"]
    rows = [
        [
            1,
            "Bánh tráng mè Phú Lạc",
            "HTX Phú Lạc",
            "Bình Thuận",
            "Xã Phú Lạc",
            "Thôn 2, xã Phú Lạc, huyện Tuy Phong",
            3,
            "1/QĐ-UBND",
            "1/9/2026",
        ],
        [
            2,
            "Chè Shan tuyết Sín Chải",
            "HTX Chè Sín Chải",
            "Điện Biên",
            None,
            "xã Sính Phình, huyện Tủa Chùa",
            3,
            "1/QĐ-UBND",
            "1/9/2026",
        ],
    ]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, header=header, title=None), index)
    assert plan.valid, rendered(plan)
    cake, tea = sorted(plan.new, key=lambda r: r.name)
    assert (cake.place.province, cake.place.commune, cake.place.address) == (
        "Bình Thuận",
        "Phú Lạc",
        "Thôn 2, xã Phú Lạc, huyện Tuy Phong",
    )
    # the commune read off the address; the district looked up in the row's own province
    assert (tea.place.province, tea.place.commune) == ("Điện Biên", "Sính Phình")
    assert (tea.district.name, tea.district.province.name, tea.folder) == ("Tủa Chùa", "Điện Biên", "dien-bien")


@pytest.mark.parametrize(
    "name, likeness",
    [
        ("Nước mắm Bà Hai 40 độ đạm (chai 500ml)", "same"),
        ("Nuoc mam Ba Hai 40 do dam chai 500 ml", "same"),  # no tone marks, the bottle size in words
        ("NƯỚC MẮM BÀ HAI 40 ĐỘ ĐẠM", "same"),
        ("Nước mắm Bà Hai 35 độ đạm", "similar"),
        ("Nước mắm Bà Hai", "similar"),  # one name inside the other
        ("Nước mắm Bà Hai 40 độ đạm 1000", "similar"),  # a bare number is not a size
        ("Mắm ruốc Bà Hai", None),
    ],
)
def test_name_likeness(name, likeness):
    from ocop.index import name_likeness

    assert name_likeness(name, "Nước mắm Bà Hai 40 độ đạm", "Cơ sở nước mắm Bà Hai") == likeness


# --- issue 10: both maps, with real place data ------------------------------------------------

NEW_MAP_HEADER = ["STT", "Tên sản phẩm", "Tên chủ thể", "Tỉnh", "Xã/Phường", "Địa chỉ", "Hạng sao", "Số QĐ", "Ngày"]
NEW_MAP_ROWS = [  # a 2026 decision of the new Lâm Đồng, and rows of other provinces: new communes only
    [1, "Thanh long ruột đỏ", "HTX Thanh long Hàm Thuận Bắc", "Lâm Đồng", "Xã Hàm Thuận Bắc", None],
    [2, "Nước mắm cá cơm", "Cơ sở nước mắm Mũi Né", "Lâm Đồng", "Phường Mũi Né", None],
    [3, "Mật ong hoa điều", "HTX Ong Đông Giang", None, None, "thôn 1, xã Đông Giang, tỉnh Lâm Đồng"],
    [4, "Hạt điều rang muối", "Công ty TNHH Điều Đức Linh", None, "xã Đức Linh", None],
    [5, "Cà phê Robusta", "HTX Cà phê Quảng Khê", "Lâm Đồng", "Xã Quảng Khê", None],
    [6, "Trà Atiso", "HTX Atiso Lâm Viên", "Lâm Đồng", "Phường Lâm Viên - Đà Lạt", None],
    [7, "Chè Shan tuyết", "HTX Chè Sính Phình", "Điện Biên", "Xã Sính Phình", None],
    [8, "Hạt điều Bù Gia Mập", "HTX Điều Bù Gia Mập", "Đồng Nai", "Xã Bù Gia Mập", None],
    [9, "Nước mắm Phú Quý", "Cơ sở Hải sản Phú Quý", "Lâm Đồng", None, "đặc khu Phú Quý, tỉnh Lâm Đồng"],
]


def _new_map_table(tmp_path):
    rows = [r + [3 if i % 2 else 4, f"{100 + i}/QĐ-UBND", "15/1/2026"] for i, r in enumerate(NEW_MAP_ROWS)]
    return xlsx(tmp_path / "qd-2026.xlsx", rows, header=NEW_MAP_HEADER, title=None)


def test_a_2026_table_of_new_communes_is_planned_on_both_maps(tmp_path, index):
    plan = plan_of(_new_map_table(tmp_path), index)
    assert plan.valid, rendered(plan)
    assert len(plan.new) == 9 and not plan.warnings
    by_row = {r.row: r for r in plan.new}
    # (current province, current commune, former district, former province, folder: the current province's)
    assert [
        (p.located.province.name, p.located.commune.full_name, p.district.name, p.district.province.name, p.folder)
        for p in (by_row[n] for n in range(2, 11))
    ] == [
        ("Lâm Đồng", "Xã Hàm Thuận Bắc", "Hàm Thuận Bắc", "Bình Thuận", "lam-dong"),
        ("Lâm Đồng", "Phường Mũi Né", "Phan Thiết", "Bình Thuận", "lam-dong"),
        ("Lâm Đồng", "Xã Đông Giang", "Hàm Thuận Bắc", "Bình Thuận", "lam-dong"),
        ("Lâm Đồng", "Xã Đức Linh", "Đức Linh", "Bình Thuận", "lam-dong"),
        ("Lâm Đồng", "Xã Quảng Khê", "Đăk Glong", "Đắk Nông", "lam-dong"),
        ("Lâm Đồng", "Phường Lâm Viên - Đà Lạt", "Đà Lạt", "Lâm Đồng", "lam-dong"),
        ("Điện Biên", "Xã Sính Phình", "Tủa Chùa", "Điện Biên", "dien-bien"),
        ("Đồng Nai", "Xã Bù Gia Mập", "Bù Gia Mập", "Bình Phước", "dong-nai"),
        ("Lâm Đồng", "Đặc khu Phú Quý", "Phú Quý", "Bình Thuận", "lam-dong"),
    ]
    # 2026: the (current) province certifies 3★ and 4★
    assert by_row[8].certificate["issuer"] == "UBND tỉnh Điện Biên"
    assert by_row[9].certificate["issuer"] == "UBND tỉnh Đồng Nai"
    assert by_row[2].certificate["issuer"] == "UBND tỉnh Lâm Đồng"


def test_a_national_site_needs_each_rows_province(tmp_path, index):
    plan = plan_of(_new_map_table(tmp_path), index, scope="national")
    # row 5 names no province (nor does its address): a national site cannot guess; every other row says
    assert codes(plan) == [("no_province", 5, "E (Xã/Phường)")]
    assert "thêm cột Tỉnh hoặc dùng tùy chọn --province" in rendered(plan)[0]


def test_a_commune_formed_from_several_districts_needs_its_district(tmp_path, index):
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Xã/Phường", "Hạng sao", "Số quyết định", "Ngày"]
    rows = [[1, "Bánh căn", "Hộ kinh doanh Bà Năm", "Phường Hàm Thắng", 3, "1/QĐ-UBND", "1/9/2026"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows, header=header, title=None), index)
    assert codes(plan) == [("commune_spans", 2, "D (Xã/Phường)")]
    assert "Thành phố Phan Thiết, Huyện Hàm Thuận Bắc" in rendered(plan)[0]


def test_default_issuers_by_the_real_names_of_their_day():
    from ocop.authoring import default_issuer
    from ocop.places import locate, read_scope

    national = read_scope("national")
    dong_xoai = locate("Đồng Nai", None, "Phường Đồng Xoài", national).place  # former Bình Phước
    assert default_issuer(3, date(2026, 3, 1), dong_xoai) == "UBND tỉnh Đồng Nai"
    assert default_issuer(4, date(2024, 3, 1), dong_xoai.district) == "UBND tỉnh Bình Phước"
    assert default_issuer(3, date(2024, 3, 1), dong_xoai.district) == "UBND thành phố Đồng Xoài"
    soc_son = locate("Hà Nội", "Sóc Sơn", None, national).place
    assert default_issuer(4, date(2026, 3, 1), soc_son) == "UBND thành phố Hà Nội"
    assert default_issuer(3, date(2026, 3, 1), soc_son.district) == "UBND thành phố Hà Nội"
    assert default_issuer(5, date(2026, 3, 1), soc_son).startswith("Bộ Nông nghiệp")


def test_province_option_places_rows_there_and_files_them_under_it(tmp_path, index):
    rows = [[1, "Chè Shan tuyết", "HTX Chè Sín Chải", "xã Sín Chải, huyện Tủa Chùa", 3, 60, "1/QĐ-UBND", "1/9/2024"]]
    plan = plan_of(xlsx(tmp_path / "t.xlsx", rows), index, province="Điện Biên")
    assert plan.valid, rendered(plan)
    [tea] = plan.new
    assert (tea.district.name, tea.folder, tea.certificate["issuer"]) == (
        "Tủa Chùa",
        "dien-bien",
        "UBND huyện Tủa Chùa",
    )
