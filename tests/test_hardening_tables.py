"""Hostile decision tables (issue 13, finding 4): bounded memory and time whatever a sheet declares, linear in
rows, hidden sheets and rows reported, over-long cells a clear error."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ocop import messages
from ocop.decisions import MAX_CELL_CHARS, Options, TableError, plan_import, read_tables
from ocop.index import Index, build_index
from ocop.messages import t

from conftest import PROJECT
from decision_tables import HEADER, xlsx

ROW = [1, "Nước mắm Thử", "Cơ sở Thử", "xã Đức Hạnh, huyện Đức Linh", 3, 60, "555/QĐ-UBND", "15/08/2026"]


@pytest.fixture(autouse=True)
def english():
    before = messages.lang()
    messages.set_lang("en")
    yield
    messages.set_lang(before)


def work(fn) -> int:
    """How many Python and C calls `fn` makes: a measure of work that a busy machine does not change."""
    count = 0

    def profile(frame, event, arg) -> None:
        nonlocal count
        count += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def error_of(path: Path) -> str:
    with pytest.raises(TableError) as caught:
        read_tables(path)
    return t(caught.value.problem.code, **caught.value.problem.kw)


def test_a_cell_at_the_last_column_and_row_reads_only_what_is_there(tmp_path):
    path = xlsx(tmp_path / "far.xlsx", [ROW])
    wb = openpyxl.load_workbook(path)
    wb.active["XFD1048576"] = "x"  # the sheet now declares 17 billion cells (101 s and 7.7 GB before)
    wb.save(path)
    (table,) = read_tables(path)
    assert [n for n, _ in table.rows] == [1, 2, 4, 5]  # cells past column 200 are not read
    assert max(len(values) for _, values in table.rows) == len(HEADER)


def test_a_workbook_that_unpacks_to_a_huge_cell_is_refused_before_reading(tmp_path):
    path = xlsx(tmp_path / "bomb.xlsx", [ROW])
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/padding.xml", "w") as part,  # 210 MB that deflate to a few hundred KB
    ):
        for _ in range(210):
            part.write(b"a" * 1_000_000)
    assert path.stat().st_size < 2_000_000
    assert "unpacks to 210 MB; at most 200 MB can be read" in error_of(path)


def test_a_huge_cell_is_a_clear_error(tmp_path):
    path = xlsx(tmp_path / "long.xlsx", [ROW, [2, "x" * (MAX_CELL_CHARS + 1)]])
    with pytest.raises(TableError) as caught:
        read_tables(path)
    assert (caught.value.problem.row, caught.value.problem.column) == (6, "B")
    assert "holds more than 10000 characters" in t("cell_too_long", **caught.value.problem.kw)


def test_a_csv_field_of_200000_characters_is_a_clear_error(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(",".join(HEADER) + "\n1," + "x" * 200_000 + ",Cơ sở\n", encoding="utf-8")
    with pytest.raises(TableError) as caught:
        read_tables(path)
    assert caught.value.problem.code == "cell_too_long" and caught.value.problem.row == 2


def test_a_csv_field_beyond_what_the_csv_module_reads_is_a_clear_error(tmp_path):
    path = tmp_path / "longer.csv"
    path.write_text(",".join(HEADER) + '\n1,"' + "x" * 200_000 + '",Cơ sở\n', encoding="utf-8")
    assert "holds more than 10000 characters" in error_of(path)


def test_a_table_past_the_row_limit_stops_with_a_message(tmp_path, monkeypatch):
    path = tmp_path / "many.csv"
    path.write_text(",".join(HEADER) + "\n" + "1,a,b\n" * 100_001, encoding="utf-8")
    message = error_of(path)
    assert "has more than 100000 rows; stopped reading here" in message


def test_hidden_sheets_and_rows_are_reported(tmp_path):
    path = xlsx(tmp_path / "hidden.xlsx", [ROW, [2, "Mắm Hai", "Cơ sở Hai", "Đức Linh", 3, 61, "555/QĐ-UBND"]])
    wb = openpyxl.load_workbook(path)
    visible = wb.create_sheet("Tổng hợp")
    visible["A1"] = "Tổng cộng: 2 sản phẩm"
    wb.active.row_dimensions[6].hidden = True
    wb.active.sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    plan = plan_import(path, build_index(PROJECT / "products", use_cache=False), Options(scope="Bình Thuận"))
    said = [t(w.code, **w.kw) for w in plan.warnings]
    assert "The table is on the sheet Danh sách, which is hidden in the workbook" in said[0]
    assert said[1].startswith("1 row(s) are hidden in the sheet (6)") and plan.warnings[1].row == 6


def table_of(tmp_path: Path, rows: int) -> Path:
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Hạng sao", "Điểm", "Số quyết định", "Ngày"]
    return xlsx(
        tmp_path / f"t{rows}.xlsx",
        [[i, f"Nước mắm loại {i}", f"Cơ sở số {i}", 3, 60, "555/QĐ-UBND", "15/08/2026"] for i in range(rows)],
        header=header,
    )


def test_reading_20000_rows_is_linear(tmp_path):
    small, large = table_of(tmp_path, 5_000), table_of(tmp_path, 20_000)
    read_tables(small)  # openpyxl's first use
    assert len(read_tables(large)[0].rows) == 20_000 + 3  # the title, its second line, the header
    assert work(lambda: read_tables(large)) < 4.4 * work(lambda: read_tables(small))


def test_planning_is_linear_in_new_products(tmp_path):
    """Every row a new product of one district: each gets the next id (ld-dl-0001, -0002...), which was found by
    reading every id again for each row (8,000 rows 11.5 s, 50,000 unfinished after 10 minutes)."""
    index = build_index(PROJECT / "products", use_cache=False)
    options = Options(scope="Bình Thuận", district="Đức Linh")
    small, large = table_of(tmp_path, 300), table_of(tmp_path, 1_200)
    plan_import(small, index, options)  # the gazetteer's first use
    plans = []
    per_row_small = work(lambda: plans.append(plan_import(small, index, options))) / 300
    per_row_large = work(lambda: plans.append(plan_import(large, index, options))) / 1_200
    assert [len(p.new) for p in plans] == [300, 1_200]
    numbers = [int(n.id.rsplit("-", 1)[1]) for n in plans[1].new]
    # A 2026 certificate: the current province's initials (issue 10), consecutive numbers after those in use.
    assert {n.id.rsplit("-", 1)[0] for n in plans[1].new} == {"ld-dl"} and numbers == list(
        range(numbers[0], numbers[0] + 1_200)
    )
    assert per_row_large < 1.1 * per_row_small


def test_many_products_of_one_name_get_addresses_that_pass_the_check(tmp_path):
    """105 rows naming the same product (one per producer) ended in a traceback after 100; a long name gave an
    address over 80 characters, and "Con" one Windows cannot create: the records written then failed the check."""
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Hạng sao", "Điểm", "Số quyết định", "Ngày"]
    long_name = "Nước mắm " + "rất " * 30 + "ngon"
    names = ["Nước mắm"] * 105 + [long_name] * 3 + ["Con"]
    rows = [[i, name, f"Cơ sở {i}", 3, 60, "555/QĐ-UBND", "15/08/2026"] for i, name in enumerate(names)]
    plan = plan_import(
        xlsx(tmp_path / "same.xlsx", rows, header=header),
        Index([]),
        Options(scope="Bình Thuận", district="Đức Linh", group="food"),
    )
    slugs = [new.slug for new in plan.new]
    assert plan.problems == [] and len(set(slugs)) == len(names)
    assert all(len(s) <= 80 and s != "con" for s in slugs) and slugs[-1] == "con-duc-linh"
