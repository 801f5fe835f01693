"""Real-looking decision tables for the import tests, made with openpyxl like an office would."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl

PROJECT = Path(__file__).resolve().parent.parent

HEADER = ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Hạng sao", "Điểm", "Số quyết định", "Ngày"]
TITLE = "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT TIÊU CHUẨN OCOP NĂM 2026"


def xlsx(
    path: Path, rows: list[list], header: list[str] | None = HEADER, title: str | None = TITLE, merges: list[str] = ()
) -> Path:
    """A workbook as offices send them: a merged title over the table, a blank row, the header, the rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header or HEADER))
        ws.append(["(Kèm theo Quyết định số 555/QĐ-UBND ngày 15/8/2026 của UBND tỉnh Bình Thuận)"])
        ws.append([])
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def first_data_row(title: bool = True) -> int:
    return 5 if title else 2


def copy_products(tmp_path: Path) -> Path:
    """A private copy of the sample records: tests never touch the real products/ folder."""
    dest = tmp_path / "products"
    shutil.copytree(PROJECT / "products", dest)
    return dest


def staff_site(tmp_path: Path, monkeypatch) -> Path:
    """A site folder for the staff tools, made the current folder: a copy of the sample records and the sample
    site's settings, build day 22/11/2026, messages in Vietnamese. Returns its products/ folder."""
    monkeypatch.delenv("OCOP_LANG", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795280400")  # 2026-11-22 in Vietnam
    folder = copy_products(tmp_path)
    shutil.copyfile(PROJECT / "pelicanconf.py", tmp_path / "pelicanconf.py")
    monkeypatch.chdir(tmp_path)
    return folder


def typing(monkeypatch, answers: list[str]) -> list[str]:
    """Answers `input()` with `answers` in order; returns the prompts it was shown."""
    prompts: list[str] = []
    left = iter(answers)

    def answer(prompt=""):
        prompts.append(prompt)
        return next(left)

    monkeypatch.setattr("builtins.input", answer)
    return prompts


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# A realistic table: two renewals of existing records (one re-rated up), two new products,
# a heading row for a district, "4 sao", a date typed as text, an Excel date.
REALISTIC = [
    [
        1,
        "Nước mắm Toàn Hương",
        "Cơ sở nước mắm Toàn Hương",
        "phường Phú Hài, thành phố Phan Thiết, tỉnh Bình Thuận",
        "4 sao",
        81,
        "555/QĐ-UBND",
        "15/08/2026",
    ],
    [
        2,
        "Thanh long ruột trắng Thuận Tiến",
        "HTX Thuận Tiến",
        "xã Hàm Đức, huyện Hàm Thuận Bắc",
        4,
        77,
        "555/QĐ-UBND",
        datetime(2026, 8, 15),
    ],
    [None, "HUYỆN ĐỨC LINH"],
    [
        3,
        "Đậu phộng rang tỏi Đức Hạnh",
        "HTX Nông nghiệp Đức Hạnh",
        "xã Đức Hạnh",
        "3 sao",
        64,
        "555/QĐ-UBND",
        "15/8/2026",
    ],
    [
        4,
        "Rượu đông trùng hạ thảo Tân Hà",
        "Công ty TNHH Tân Hà",
        "xã Tân Hà, huyện Đức Linh",
        "Bốn sao",
        72,
        "555/QĐ-UBND",
        "15-08-2026",
    ],
]


def workbook(path: Path, sheets: list[tuple[str, list[list], list[str]]], active: int = 0) -> Path:
    """A workbook of several sheets (name, rows, merged ranges), saved with sheet `active` open."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, merges in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in merges:
            ws.merge_cells(rng)
    wb.active = active
    wb.save(path)
    return path


# A header over two rows, as in many provinces' annexes: STT, names and the decision merged down over
# both rows; "Kết quả đánh giá" merged across above "Điểm" and "Hạng sao".
TWO_ROW_HEADER = [
    ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Kết quả đánh giá", None, "Số quyết định", "Ngày"],
    [None, None, None, None, "Điểm", "Hạng sao", None, None],
]
TWO_ROW_MERGES = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1", "G1:G2", "H1:H2"]
