"""Decision tables: the Excel or CSV list that comes with a certification decision → an import plan.

A People's Committee decision certifying products arrives as a table (STT, tên sản phẩm,
tên chủ thể, địa chỉ, hạng sao, điểm, số quyết định, ngày). This module reads it, tolerating
the variants real offices produce (headers with or without tone marks, a merged title above
the header, "4 sao", dates typed as text, a decision column that also holds the date), and
plans what to do with each row: a new record, a certificate appended to an existing record
(a renewal or a re-rating), or a row it cannot place, with the row number, the column and
the reason. Nothing here writes files: `authoring.apply_plan` does, and only for a valid plan.

Problems are structured (a code and its parameters) so the command line can word them in
Vietnamese or English (`ocop.messages`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .authoring import certificate_draft, record_folder, record_id_prefix, unique_slug
from .certificates import STAR_BANDS, change_kind
from .groups import BY_KEY, GROUPS, PRODUCT_SETS, resolve_group
from .index import Entry, Index, name_key, name_likeness, producer_key
from .places import (
    _DISTRICT_PREFIXES,
    AmbiguousPlace,
    CommuneNotFromDistrict,
    CommuneSpansDistricts,
    District,
    FormerProvince,
    NeedsProvince,
    NoPlace,
    Place,
    PlaceError,
    Province,
    Scope,
    UnknownPlace,
    _strip_prefix,
    describe,
    gazetteer,
    locate,
    read_scope,
)
from .text import fold, nfc

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .xlsx and old .xls files are OLE2 containers
HEADER_SCAN_ROWS = 20


# --- problems -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """Something wrong in the table; `row` is the spreadsheet's own row number (1-based)."""

    code: str  # a key of ocop.messages
    row: int | None = None
    column: str | None = None  # column letter and header, e.g. "E (Hạng sao)"
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def kw(self) -> dict[str, Any]:
        return dict(self.params)


def _problem(code: str, row: int | None = None, column: str | None = None, **params) -> RowProblem:
    return RowProblem(code, row, column, tuple(sorted(params.items())))


class TableError(Exception):
    """The file cannot be read as a table at all (empty, corrupt, protected, no header)."""

    def __init__(self, problem: RowProblem):
        self.problem = problem
        super().__init__(problem.code)


# --- columns --------------------------------------------------------------------------


def header_key(text: str) -> str:
    """'Hạng sao (3-5 sao)' → 'hang sao': no tones, case, punctuation or bracketed notes."""
    text = re.sub(r"\(.*?\)", " ", nfc(str(text)))
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


# field → header variants, compared after header_key(); the first list entries are exact names,
# and a header that merely starts with one of them also matches (e.g. "Tên sản phẩm OCOP").
COLUMNS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "tt", "so thu tu", "so tt"),
    "id": ("ma san pham", "ma sp", "ma ocop", "ma so san pham", "id"),
    "name": ("ten san pham", "san pham", "ten sp", "ten hang hoa", "product", "product name"),
    "producer": (
        "ten chu the",
        "chu the",
        "chu the ocop",
        "ten chu the ocop",
        "chu the san xuat",
        "co so san xuat",
        "don vi san xuat",
        "ten co so",
        "ten doanh nghiep",
        "producer",
    ),
    "kind": ("loai hinh", "loai hinh chu the", "loai hinh to chuc"),
    "address": ("dia chi", "dia chi chu the", "dia chi san xuat", "address"),
    "commune": (
        "xa phuong",
        "xa phuong thi tran",
        "xa phuong dac khu",
        "xa phuong thi tran dac khu",
        "phuong xa",
        "xa",
        "commune",
        "ward",
    ),
    "district": ("huyen", "huyen thi xa thanh pho", "huyen thi xa tp", "dia ban", "don vi hanh chinh", "district"),
    "province": ("tinh", "tinh thanh pho", "province"),
    "group": ("nhom", "nhom san pham", "phan nhom", "nhom nganh", "group"),
    "stars": (
        "hang sao",
        "so sao",
        "xep hang",
        "hang",
        "ket qua xep hang",
        "phan hang",
        "xep hang sao",
        "sao",
        "stars",
    ),
    "score": ("diem", "so diem", "tong diem", "diem danh gia", "diem so", "score"),
    "decision": (
        "so quyet dinh",
        "quyet dinh",
        "so qd",
        "qd",
        "so quyet dinh cong nhan",
        "so ngay quyet dinh",
        "quyet dinh cong nhan",
        "decision",
    ),
    "date": ("ngay", "ngay quyet dinh", "ngay ky", "ngay cap", "ngay qd", "ngay cong nhan", "ngay ban hanh", "date"),
    "issuer": ("co quan cap", "don vi cap", "co quan cong nhan", "cap cong nhan", "issuer"),
}
REQUIRED = ("name", "producer", "stars", "decision")
NEW_PRODUCT_IDS = ("moi", "new", "sp moi", "san pham moi")  # a Mã sản phẩm cell that says: a new product
COLUMN_NAMES = {  # how the plan and messages name a field staff must provide
    "name": "Tên sản phẩm",
    "producer": "Tên chủ thể",
    "stars": "Hạng sao",
    "decision": "Số quyết định",
    "date": "Ngày",
    "district": "Huyện / Địa chỉ",
}


def match_column(text: Any) -> str | None:
    if text is None or not str(text).strip():
        return None
    key = header_key(text)
    for fieldname, variants in COLUMNS.items():
        if key in variants:
            return fieldname
    for fieldname, variants in COLUMNS.items():
        if any(len(v) > 3 and key.startswith(v + " ") for v in variants):
            return fieldname
    return None


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- reading files --------------------------------------------------------------------


@dataclass
class RawTable:
    """Cell values by spreadsheet row, with merged ranges as (min_row, min_col, max_row, max_col), 1-based.

    `hidden` says the sheet is hidden; `hidden_rows` are the rows the sheet hides (both are read, and reported)."""

    name: str
    rows: list[tuple[int, list[Any]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)


# What a table may be. A decision lists tens to a few thousand products; these limits let a national list of
# 50,000 rows through and stop a 5 KB workbook that declares a cell at XFD1048576, or unpacks to a 1 GiB cell,
# before the work (read in order, row by row, never the declared size).
MAX_TABLE_ROWS = 100_000
MAX_TABLE_COLUMNS = 200  # cells further right are not read
MAX_CELL_CHARS = 10_000
MAX_UNPACKED_BYTES = 200_000_000  # what the parts of a workbook may unpack to, together


def read_table(path: Path) -> RawTable:
    """The first non-empty sheet of a workbook (or the CSV file) as a table."""
    return read_tables(path)[0]


def read_tables(path: Path) -> list[RawTable]:
    """Every non-empty sheet of a workbook, the active one first; a CSV file is one table."""
    path = Path(path)
    if not path.is_file():
        raise TableError(_problem("file_missing", file=str(path)))
    data = path.read_bytes()
    if not data.strip():
        raise TableError(_problem("file_empty", file=path.name))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, data)
    if suffix in (".csv", ".txt"):
        return [_read_csv(path, data)]
    if data[:8] == OLE2_MAGIC or suffix == ".xls":
        raise TableError(_problem("file_protected", file=path.name))
    raise TableError(_problem("file_kind", file=path.name, suffix=suffix or "(none)"))


def _unpacked_size(data: bytes) -> int:
    """What the workbook's parts unpack to, as its directory declares (zipfile never unpacks more)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _read_xlsx(path: Path, data: bytes) -> list[RawTable]:
    if data[:8] == OLE2_MAGIC:
        raise TableError(_problem("file_protected", file=path.name))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TableError(_problem("file_corrupt", file=path.name))
    if (unpacked := _unpacked_size(data)) > MAX_UNPACKED_BYTES:
        raise TableError(
            _problem("file_unpacks_big", file=path.name, size=unpacked // 10**6, limit=MAX_UNPACKED_BYTES // 10**6)
        )
    import openpyxl

    try:
        # read_only: the sheets are read row by row as they stand in the file, not as a grid of declared size
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise TableError(_problem("file_corrupt", file=path.name, detail=type(exc).__name__)) from None
    try:
        sheets = [_sheet_table(wb, ws) for ws in wb.worksheets]
        active = wb.active.title if wb.active is not None else None
    except TableError:
        raise
    except Exception as exc:  # a damaged sheet
        raise TableError(_problem("file_corrupt", file=path.name, detail=type(exc).__name__)) from None
    finally:
        wb.close()
    tables = [t for t in sheets if t.rows]
    if not tables:
        raise TableError(_problem("file_empty", file=path.name))
    # offices often save the workbook on the sheet they worked on: look there first
    return sorted(tables, key=lambda t: t.name != active)


def _row_cells(cells: list[dict], number: int, sheet: str) -> list[Any]:
    """One row's values by column (1-based column i at index i-1), up to its last non-empty cell."""
    values: dict[int, Any] = {}
    for cell in cells:
        column, value = cell["column"], cell["value"]
        if value is None or value == "" or column > MAX_TABLE_COLUMNS:
            continue
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise TableError(
                _problem("cell_too_long", number, column_letter(column - 1), sheet=sheet, limit=MAX_CELL_CHARS)
            )
        values[column] = value
    row: list[Any] = [None] * max(values, default=0)
    for column, value in values.items():
        row[column - 1] = value
    return row


def _sheet_table(wb, ws) -> RawTable:
    """One sheet, read as its file stores it: only the rows and cells present, up to the limits."""
    from openpyxl.worksheet._reader import WorkSheetParser

    rows: list[tuple[int, list[Any]]] = []
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            wb.shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for number, cells in parser.parse():
            values = _row_cells(cells, number, ws.title)
            if not values:
                continue
            if len(rows) >= MAX_TABLE_ROWS:
                raise TableError(_problem("too_many_rows", number, sheet=ws.title, limit=MAX_TABLE_ROWS))
            rows.append((number, values))
    width = max((len(v) for _, v in rows), default=0)
    for _, values in rows:  # every row as wide as the table: merged cells are filled down into them
        values.extend([None] * (width - len(values)))
    last = rows[-1][0] if rows else 0
    merged = [
        (m.min_row, m.min_col, min(m.max_row, last), min(m.max_col, width))
        for m in (parser.merged_cells.mergeCell if parser.merged_cells else [])
        if m.min_row <= last and m.min_col <= width
    ]
    hidden_rows = sorted(int(n) for n, attrs in parser.row_dimensions.items() if attrs.get("hidden") in ("1", "true"))
    return RawTable(ws.title, rows, merged, ws.sheet_state != "visible", hidden_rows)


def _read_csv(path: Path, data: bytes) -> RawTable:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_problem("file_encoding", file=path.name)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for i, row in enumerate(reader, 1):
            if i > MAX_TABLE_ROWS:
                raise TableError(_problem("too_many_rows", reader.line_num, sheet=path.name, limit=MAX_TABLE_ROWS))
            if any(len(c) > MAX_CELL_CHARS for c in row):
                long = next(n for n, c in enumerate(row) if len(c) > MAX_CELL_CHARS)
                raise TableError(
                    _problem("cell_too_long", i, column_letter(long), sheet=path.name, limit=MAX_CELL_CHARS)
                )
            rows.append((i, [c if c.strip() else None for c in row[:MAX_TABLE_COLUMNS]]))
    except csv.Error as exc:  # a field longer than the csv module reads (131,072 characters), a NUL...
        code = "cell_too_long" if "field larger" in str(exc) else "file_corrupt"
        raise TableError(
            _problem(code, reader.line_num, sheet=path.name, limit=MAX_CELL_CHARS, file=path.name)
        ) from None
    if not any(any(c is not None for c in r) for _, r in rows):
        raise TableError(_problem("file_empty", file=path.name))
    return RawTable(path.name, rows)


# --- values ---------------------------------------------------------------------------


def clean(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", " ", nfc(str(value))).strip()
    return text or None


_STAR_WORDS = {"ba": 3, "bon": 4, "nam": 5, "three": 3, "four": 4, "five": 5}


def parse_stars(value: Any) -> int | None:
    """3, 4.0, '4 sao', '04 sao', '04', '4*', '4★', 'Bốn sao', '4 sao (70 điểm)' → the star level; None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else None
    text = fold(clean(value) or "")
    # "04 sao": tables typed with two-digit numbers keep the leading zero
    m = re.fullmatch(r"(?:hang\s*)?0?(\d)\s*(?:sao|\*|★|stars?)?(?:\s*\(.*\))?", text.replace("★", "*"))
    if m:
        return int(m.group(1))
    m = re.fullmatch(r"(?:hang\s*)?(ba|bon|nam|three|four|five)\s*(?:sao|stars?)(?:\s*\(.*\))?", text)
    return _STAR_WORDS[m.group(1)] if m else None


def parse_score(value: Any) -> int | None | str:
    """A whole number of points, or 'bad'."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else "bad"
    m = re.fullmatch(r"(\d{1,3})(?:\s*(?:diem|d|points?))?", fold(clean(value) or ""))
    return int(m.group(1)) if m else "bad"


_DATE_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None | str:
    """An Excel date, an Excel serial number, '31/12/2023', '31-12-2023', '2023-12-31', 'ngày 31 tháng 12 năm 2023'."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000 and float(value).is_integer():
            return EXCEL_EPOCH + timedelta(days=int(value))
        return "bad"
    text = fold(clean(value) or "")
    try:
        if m := _DATE_ISO.fullmatch(text):
            y, mth, d = map(int, m.groups())
            return date(y, mth, d)
        if m := (_DATE_DMY.fullmatch(text) or _DATE_WORDS.fullmatch(text)):
            d, mth, y = map(int, m.groups())
            return date(y, mth, d)
    except ValueError:
        return "bad"
    return "bad"


_DECISION_DATE = re.compile(r"^(.*?)[,;\s]*\bng(?:ày|ay)\s*(.+)$", re.IGNORECASE)


def split_decision(text: str) -> tuple[str, str | None]:
    """'Số 2345/QĐ-UBND ngày 24/12/2021' → ('2345/QĐ-UBND', '24/12/2021')."""
    text = re.sub(r"^(số|so)\s*:?\s*", "", text, flags=re.IGNORECASE).strip()
    m = _DECISION_DATE.match(text)
    if m and m.group(1).strip():
        return m.group(1).strip(" ,;"), m.group(2).strip()
    return text, None


_KIND_PREFIXES = (
    ("cooperative_group", ("to hop tac", "tht")),
    ("cooperative", ("hop tac xa", "htx", "lien hiep htx", "lien hiep hop tac xa")),
    ("enterprise", ("cong ty", "cty", "doanh nghiep", "dntn", "tnhh", "cong ty co phan")),
    ("household", ("ho kinh doanh", "ho san xuat", "hkd", "ho ong", "ho ba", "ho gia dinh", "co so", "ho ")),
)
_KIND_WORDS = {
    "doanh nghiep": "enterprise",
    "cong ty": "enterprise",
    "hop tac xa": "cooperative",
    "htx": "cooperative",
    "to hop tac": "cooperative_group",
    "tht": "cooperative_group",
    "ho kinh doanh": "household",
    "ho san xuat": "household",
    "ho gia dinh": "household",
    "co so": "household",
    "ho": "household",
    "enterprise": "enterprise",
    "cooperative": "cooperative",
    "cooperative group": "cooperative_group",
    "cooperative_group": "cooperative_group",
    "household": "household",
}


def producer_kind(name: str) -> str | None:
    """The legal form read off a producer's name: 'HTX Hòa Lệ' → cooperative."""
    key = fold(name).replace(".", " ").strip() + " "
    for kind, prefixes in _KIND_PREFIXES:
        if any(key.startswith(p if p.endswith(" ") else p + " ") for p in prefixes):
            return kind
    return None


def parse_kind(value: str) -> str | None:
    key = re.sub(r"[^a-z_ ]+", " ", fold(value)).strip()
    return _KIND_WORDS.get(re.sub(r"\s+", " ", key)) or producer_kind(value)


# Words in a product name that tell its group and product set (148/QĐ-TTg); first match wins.
_NAME_GROUPS: tuple[tuple[str, str, int | None], ...] = (
    ("du lich", "tourism", 26),
    ("diem tham quan", "tourism", 26),
    ("homestay", "tourism", 26),
    ("ruou", "drinks", 14),
    ("vang", "drinks", 15),
    ("nuoc ep", "drinks", 17),
    ("nuoc uong", "drinks", 17),
    ("nuoc khoang", "drinks", 16),
    ("sinh to", "drinks", 17),
    ("tinh dau", "herbal", 20),
    ("duoc lieu", "herbal", 20),
    ("linh chi", "herbal", 18),
    ("cao ", "herbal", 18),
    ("my pham", "herbal", 19),
    ("xa phong", "herbal", 19),
    ("gom", "handicrafts", 21),
    ("tho cam", "handicrafts", 22),
    ("may tre", "handicrafts", 21),
    ("det", "handicrafts", 22),
    ("non la", "handicrafts", 21),
    ("go my nghe", "handicrafts", 21),
    ("cham khac", "handicrafts", 21),
    ("hoa lan", "ornamental", 23),
    ("lan ", "ornamental", 23),
    ("cay canh", "ornamental", 24),
    ("bonsai", "ornamental", 24),
    ("kem", "food", 8),
    ("dau phong", "food", 7),
    ("nuoc mam", "food", 9),
    ("tuong", "food", 9),
    ("mam ", "food", 8),
    ("hat dieu", "food", 7),
    ("hat sen", "food", 1),
    ("com chay", "food", 6),
    ("banh", "food", 6),
    ("bun", "food", 6),
    ("keo", "food", 7),
    ("say", "food", 7),
    ("mut", "food", 7),
    ("mat ong", "food", 4),
    ("ca phe", "food", 13),
    ("cacao", "food", 13),
    ("ca cao", "food", 13),
    ("tra", "food", 12),
    ("che ", "food", 11),
    ("yen", "food", 8),
    ("kho", "food", 8),
    ("cha ", "food", 8),
    ("trung", "food", 2),
    ("thit", "food", 2),
    ("gao", "food", 3),
    ("muoi", "food", 10),
    ("tieu", "food", 10),
    ("rong", "food", 1),
    ("thanh long", "food", 1),
    ("buoi", "food", 1),
    ("nho", "food", 1),
    ("tao", "food", 1),
    ("sau rieng", "food", 1),
    ("xoai", "food", 1),
    ("rau", "food", 1),
    ("cai", "food", 1),
    ("nam", "food", 1),
    ("toi", "food", 1),
    ("hanh", "food", 1),
    ("ot", "food", 1),
    ("dua", "food", 1),
    ("chuoi", "food", 1),
    ("mit", "food", 1),
)


# The 2018 labels (Decision 1048/QĐ-TTg) as decision tables still write them, beside the labels
# ocop.groups knows: compared after _group_words(), so "Vải, may mặc" and "Vải và may mặc" meet.
_TABLE_GROUPS: dict[str, tuple[str, int | None]] = {
    "Vải và may mặc": ("handicrafts", 22),
    "Lưu niệm, nội thất, trang trí": ("handicrafts", 21),
    "Dịch vụ du lịch nông thôn và bán hàng": ("tourism", 26),
    "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch": ("tourism", 26),
    "Thảo dược": ("herbal", None),
}
_GROUP_NUMBER = re.compile(r"^(?:[ivx]+|\d+)\b\s*")  # "Nhóm II", "III.", "2."
_GROUP_FILLERS = re.compile(r"\b(?:va|dich vu|ban hang|cac loai|san pham)\b")


def _group_words(text: str) -> str:
    """'Dịch vụ du lịch nông thôn, bán hàng' → 'du lich nong thon': no numbering, filler words or punctuation."""
    key = name_key(text)
    key = re.sub(r"^(?:nhom|nganh)\s+", "", key)
    key = _GROUP_NUMBER.sub("", key)
    return re.sub(r"\s+", " ", _GROUP_FILLERS.sub(" ", key)).strip()


def _table_group_labels() -> dict[str, tuple[str, int | None]]:
    labels: dict[str, tuple[str, int | None]] = {}
    for g in GROUPS:
        for text in (g.vi, g.en, g.key):
            labels.setdefault(_group_words(text), (g.key, None))
    for s in PRODUCT_SETS.values():  # "Vải, may mặc" is product set 22's label
        labels.setdefault(_group_words(s.vi), (s.group, s.number))
    for text, found in _TABLE_GROUPS.items():
        labels.setdefault(_group_words(text), found)
    return labels


_GROUP_LABELS = _table_group_labels()


def table_group(text: str) -> tuple[str, int | None] | None:
    """The group (and product set, when the label names one) of a Nhóm cell, in the wordings tables use."""
    found = _GROUP_LABELS.get(_group_words(text))
    if found is None and (g := resolve_group(text)) is not None:
        found = g.key, None
    if found and found[1] is None and len(BY_KEY[found[0]].sets) == 1:  # tourism has one product set
        found = found[0], BY_KEY[found[0]].sets[0]
    return found


def accepted_group_labels() -> str:
    """The labels a Nhóm cell may hold, for the error that names them."""
    return "; ".join([g.vi for g in GROUPS] + list(_TABLE_GROUPS)[:3])


def guess_group(name: str) -> tuple[str, int | None] | None:
    key = " " + name_key(name) + " "
    for word, group, pset in _NAME_GROUPS:
        if " " + word.strip() + " " in key or (word.endswith(" ") and " " + word in key):
            return group, pset
    return None


# --- the plan -------------------------------------------------------------------------


@dataclass
class Row:
    """One product row, as read (cleaned but not yet matched)."""

    number: int
    values: dict[str, Any]  # field → raw value
    columns: dict[str, str]  # field → "E (Hạng sao)"


@dataclass(frozen=True)
class RowPlace:
    """Where a row says the product is made, as written: kept for the record (`commune:`,
    `producer.address`) and for resolving places on both maps."""

    province: str | None = None  # the Tỉnh column
    commune: str | None = None  # the Xã/Phường column, else the address's commune, without "xã"/"phường"
    address: str | None = None  # the Địa chỉ column


@dataclass
class NewRecord:
    row: int
    id: str
    slug: str
    folder: str  # relative to the products folder
    name: str
    producer: str
    kind: str
    district: District
    group: str
    product_set: int | None
    certificate: dict[str, Any]
    guessed: tuple[str, ...] = ()  # fields the tool filled in from the name: "group", "kind"
    place: RowPlace | None = None  # the row's province, commune and address as the table writes them
    located: Place | None = None  # the row's place on both maps (ocop.places.locate)

    @property
    def rel(self) -> str:
        return f"{self.folder}/{self.slug}.yaml"


@dataclass
class NewCertificate:
    row: int
    entry: Entry
    certificate: dict[str, Any]
    change: str  # ocop.certificates.change_kind: "renewed" | "upgraded" | "downgraded" (| "certified")
    previous_stars: int | None


@dataclass
class Skipped:
    row: int
    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def kw(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass
class Plan:
    source: str
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    new: list[NewRecord] = field(default_factory=list)
    certificates: list[NewCertificate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)  # accepted, but staff should know ("Tanh Linh" read as…)
    matched: dict[int, str] = field(default_factory=dict)  # row → record name it matched by a similar name
    sheet: str = ""  # the sheet that holds the table
    sheets: int = 1  # how many non-empty sheets the workbook has
    title: str = ""  # the text above the header row
    from_title: tuple[str, str | None] | None = None  # decision (and date) read from the title

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> int:
        return len(self.new) + len(self.certificates)


@dataclass
class Options:
    scope: Any = None  # the site's (ocop.places.Scope, or the OCOP_SCOPE setting): rows naming no province are its
    province: str | None = None  # --province: the province of rows that name none, instead of the scope's
    district: str | None = None  # for a district-level decision whose table names no district
    issuer: str | None = None  # default: the body the rules of the decision's date name (ocop.certifiers)
    group: str | None = None  # for tables without a group column, when the name does not tell
    decision: str | None = None  # when the table has no decision column (one decision for all rows)
    date: str | None = None


@dataclass
class Header:
    """Where the table's header is: one row, or two (a merged "Kết quả đánh giá" above "Điểm" and "Hạng sao")."""

    top: int  # the header's first row: the title is above it
    row: int  # its last row: product rows start below it
    positions: dict[str, int]  # field → column index (0-based)
    labels: dict[str, str]  # field → "E (Điểm)"


def _known(found: dict[str, int]) -> bool:
    return len(found) >= 3 and "name" in found


def _one_row(values: list[Any]) -> tuple[dict[str, int], dict[str, str]]:
    found: dict[str, int] = {}
    for i, v in enumerate(values):
        f = match_column(v)
        if f and f not in found:
            found[f] = i
    return found, {f: f"{column_letter(i)} ({clean(values[i])})" for f, i in found.items()}


def _spread(values: list[Any], number: int, merged: list[tuple[int, int, int, int]]) -> list[Any]:
    """A row with each cell merged across columns repeated under every column it covers."""
    out = list(values)
    for r0, c0, _r1, c1 in merged:
        if r0 == number and c1 > c0 and c0 - 1 < len(out):
            out += [None] * (c1 - len(out))
            out[c0:c1] = [out[c0 - 1]] * (c1 - c0)
    return out


def _under(upper: list[Any], lower: list[Any], i: int) -> tuple[str | None, Any]:
    """The field of column i in a two-row header and the text naming it; (None, None) if the lower cell
    names nothing a header would."""
    above = upper[i] if i < len(upper) else None
    below = lower[i] if i < len(lower) else None
    if _empty(below):
        return match_column(above), above
    f = match_column(below) or (match_column(f"{clean(below)} {clean(above)}") if not _empty(above) else None)
    return f, below


def _two_rows(upper: list[Any], lower: list[Any]) -> tuple[dict[str, int], dict[str, str]] | None:
    """The columns of a header over two rows, or None when the lower row is not the header's second row
    (a cell that names no column, e.g. a product row) or the upper row adds nothing to it."""
    if sum(not _empty(v) for v in lower) < 2:  # a heading row ("HUYỆN ĐỨC LINH") right under the header
        return None
    found: dict[str, int] = {}
    labels: dict[str, str] = {}
    from_above = False
    for i in range(max(len(upper), len(lower))):
        f, text = _under(upper, lower, i)
        below = lower[i] if i < len(lower) else None
        if f is None and not _empty(below):
            return None
        if f and f not in found:
            found[f], labels[f] = i, f"{column_letter(i)} ({clean(text)})"
            from_above = from_above or _empty(below) or match_column(below) is None
    return (found, labels) if from_above else None


def find_header(table: RawTable) -> Header | None:
    """The first row (within the first 20) naming at least three known columns, one of them the product
    name; or two rows that do so together."""
    rows = table.rows[:HEADER_SCAN_ROWS]
    for k, (number, values) in enumerate(rows):
        if k + 1 < len(rows):
            lower_number, lower = rows[k + 1]
            two = _two_rows(_spread(values, number, table.merged), lower)
            if two and _known(two[0]):
                return Header(number, lower_number, *two)
        found, labels = _one_row(values)
        if _known(found):
            return Header(number, number, found, labels)
    return None


def _merges(
    table: RawTable,
    header: int,
    positions: dict[str, int],
    labels: dict[str, str],
    rows: dict[int, list[Any]],
    problems: list[RowProblem],
) -> set[int]:
    """Fill vertically merged cells down (a decision number merged over its rows); flag merges across columns.

    Returns the rows that are headings: one merged cell across most of the table ("I. Huyện Đức Linh").
    """
    by_col = {i: f for f, i in positions.items()}
    width = max(positions.values()) + 1
    headings: set[int] = set()
    for r0, c0, r1, c1 in sorted(table.merged):
        if r1 <= header:
            continue
        cols = [c for c in range(c0 - 1, c1) if c in by_col]
        if c1 > c0:  # across columns
            if c1 - c0 + 1 >= max(3, width // 2):
                headings.update(range(max(r0, header + 1), r1 + 1))
                continue
            if len(cols) > 1:
                names = ", ".join(labels[by_col[c]] for c in cols)
                problems.append(
                    _problem("merged_across", r0, labels[by_col[cols[0]]], cells=_range(r0, c0, r1, c1), columns=names)
                )
                continue
        if r1 > r0:  # down one column: the top value stands for every row of the range
            top = rows.get(r0)
            if top is None:
                continue
            for r in range(r0 + 1, r1 + 1):
                if r in rows:
                    for c in range(c0 - 1, c1):
                        if c < len(rows[r]) and c < len(top):
                            rows[r][c] = top[c]
    return headings


def _range(r0: int, c0: int, r1: int, c1: int) -> str:
    return f"{column_letter(c0 - 1)}{r0}:{column_letter(c1 - 1)}{r1}"


def _district_in(text: str, province: Province | FormerProvince) -> tuple[District | None, str | None]:
    """A district named in an address or heading: ('xã Đức Hạnh, huyện Đức Linh') → Đức Linh.

    Returns (district, None), or (None, the part that looks like a district but is misspelled).
    """
    gaz = gazetteer()
    parts = [p.strip() for p in re.split(r"[,;\-–]| - ", text) if p.strip()]
    for part in reversed(parts):
        d = gaz.district(province, part)
        if d:
            return d, None
    for part in reversed(parts):
        stripped = _strip_prefix(part, _DISTRICT_PREFIXES)
        named = stripped != part.strip() or any(fold(stripped) == fold(d.name) for d in gaz.districts_of(province))
        if named and not gaz.province(stripped):
            return None, part
    # a heading such as "I. HUYỆN ĐỨC LINH" or an address without commas
    for d in gaz.districts_of(province):
        if re.search(r"(?<!\w)" + re.escape(d.name.casefold()) + r"(?!\w)", nfc(text).casefold()):
            return d, None
    return None, None


_TITLE_DECISION = re.compile(r"(?:quyết định|QĐ)\s*(?:số)?\s*:?\s*(\d+\s*/\s*[^\s,;)]+)", re.IGNORECASE)
_TITLE_DATE = re.compile(r"ngày\s*(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4})", re.IGNORECASE)


def decision_in_title(title: str) -> tuple[str, str | None] | None:
    """The decision a table's title names: ('2790/QĐ-UBND', '15/10/2026'), or None."""
    m = _TITLE_DECISION.search(nfc(title))
    if not m:
        return None
    d = _TITLE_DATE.search(nfc(title)[m.end() :])
    return re.sub(r"\s+", "", m.group(1)), (d.group(1) if d else None)


# Cells that a product row fills; a row with none of them (and a name or a note) is a heading.
PRODUCT_CELLS = ("producer", "stars", "score", "decision", "id")


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _row_values(cells: list[Any], positions: dict[str, int]) -> dict[str, Any]:
    """field → the row's value in that column (text stripped; None past the row's last cell)."""
    values = {f: (cells[i] if i < len(cells) else None) for f, i in positions.items()}
    return {f: (v.strip() if isinstance(v, str) else v) for f, v in values.items()}


def _table_row(
    number: int, cells: list[Any], positions: dict[str, int], labels: dict[str, str], heading: bool
) -> Row | None:
    """A product row, a heading row (its first non-empty cell as `_heading`), or None for an empty row."""
    values = _row_values(cells, positions)
    if all(_empty(v) for v in values.values()):
        return None
    if heading or all(_empty(values.get(f)) for f in PRODUCT_CELLS):
        return Row(number, {"_heading": clean(next((v for v in cells if not _empty(v)), ""))}, labels)
    return Row(number, values, labels)


def _title(table: RawTable, header: int) -> str:
    """The text above the header row (a decision's title, often naming the decision)."""
    return " ".join(clean(v) or "" for n, values in table.rows if n < header for v in values if clean(v))


def _table_with_header(tables: list[RawTable], plan: Plan) -> tuple[RawTable, Header]:
    """The sheet that holds the table (a workbook may be saved on a summary or an empty sheet)."""
    for table in tables:
        found = find_header(table)
        if found:
            return table, found
    if len(tables) > 1:
        raise TableError(_problem("no_table_in_sheets", file=plan.source, sheets=", ".join(t.name for t in tables)))
    rows = min(len(tables[0].rows), HEADER_SCAN_ROWS)
    raise TableError(_problem("no_header", file=plan.source, rows=rows))


def _hidden(table: RawTable, rows: dict[int, list[Any]], plan: Plan) -> None:
    """Say so when what is read is hidden in the workbook: staff looking at it in Excel do not see it."""
    if table.hidden:
        plan.warnings.append(_problem("sheet_hidden", sheet=table.name))
    hidden = [n for n in table.hidden_rows if n in rows]
    if hidden:
        shown = ", ".join(map(str, hidden[:20])) + (" ..." if len(hidden) > 20 else "")
        plan.warnings.append(_problem("rows_hidden", hidden[0], rows=shown, count=len(hidden)))


def read_rows(tables: RawTable | list[RawTable], plan: Plan) -> list[Row]:
    """The product and heading rows below the header, from the first table (sheet) that has one."""
    table, found = _table_with_header(tables if isinstance(tables, list) else [tables], plan)
    header, positions, labels = found.row, found.positions, found.labels
    plan.header_row, plan.columns = header, labels
    plan.sheet, plan.sheets = table.name, len(tables) if isinstance(tables, list) else 1
    plan.title = _title(table, found.top)
    rows = {n: list(v) for n, v in table.rows if n > header}
    _hidden(table, rows, plan)
    headings = _merges(table, header, positions, labels, rows, plan.problems)
    out = (_table_row(n, rows[n], positions, labels, n in headings) for n in sorted(rows))
    return [row for row in out if row is not None]


def plan_import(path: Path, index: Index, options: Options) -> Plan:
    """Read a decision table and plan every change; the plan lists every problem, not just the first."""
    plan = Plan(Path(path).name)
    try:
        rows = read_rows(read_tables(Path(path)), plan)
    except TableError as exc:
        plan.problems.append(exc.problem)
        return plan
    where = _place_of(plan, options)
    if where is None:
        return plan
    options = _with_title_decision(plan, options)
    if _columns_complete(plan, options, where.district) and _has_products(plan, rows):
        _plan_rows(plan, rows, index, options, where)
    return plan


@dataclass(frozen=True)
class _Where:
    """Where the table's rows are: the site's scope (or --province), and the district of every row (--district)."""

    scope: Scope
    district: District | None = None


def _place_of(plan: Plan, options: Options) -> _Where | None:
    """The scope rows are read in and the district of every row (--district), or None after a problem."""
    try:
        scope = read_scope(options.province or options.scope)
    except PlaceError as exc:
        plan.problems.append(_problem("bad_province", province=exc.text))
        return None
    if not options.district:
        return _Where(scope, None)
    try:
        found = locate(None, options.district, None, scope).place.district
    except PlaceError as exc:
        plan.problems.append(
            _problem(
                "bad_option_district",
                district=options.district,
                province=scope.label(),
                suggestions=", ".join(_close_names(exc)),
            )
        )
        return None
    return _Where(scope, found)


def _with_title_decision(plan: Plan, options: Options) -> Options:
    """A table without a decision column whose title names one ("Kèm theo Quyết định số 2790/QĐ-UBND
    ngày 15/10/2026"): that decision, and its date, for every row."""
    if "decision" in plan.columns or options.decision:
        return options
    found = decision_in_title(plan.title)
    if not found:
        return options
    plan.from_title = found
    day = options.date or (found[1] if "date" not in plan.columns else None)
    return Options(**{**vars(options), "decision": found[0], "date": day})


def _columns_in_order(columns: dict[str, str]) -> str:
    return ", ".join(columns[f] for f in sorted(columns, key=lambda f: columns[f]))


def _columns_complete(plan: Plan, options: Options, fixed_district: District | None) -> bool:
    missing = [f for f in REQUIRED if f not in plan.columns and not (f == "decision" and options.decision)]
    # a post-reform table names the commune (Xã/Phường) and no district: both maps are derived from it
    if not (any(f in plan.columns for f in ("district", "address", "commune")) or fixed_district):
        missing.append("district")
    if missing:
        plan.problems.append(
            _problem(
                "missing_columns",
                plan.header_row,
                None,
                missing=", ".join(COLUMN_NAMES[f] for f in missing),
                found=_columns_in_order(plan.columns),
            )
        )
    return not missing


def _has_products(plan: Plan, rows: list[Row]) -> bool:
    if any(r for r in rows if "_heading" not in r.values):
        return True
    plan.problems.append(_problem("no_rows", plan.header_row, file=plan.source))
    return False


@dataclass
class _Taken:
    """What the earlier rows of the table claimed: products (by names, by id), new ids, new page addresses."""

    names: dict[tuple[str, str], int] = field(default_factory=dict)  # (name key, producer key) → row
    ids: dict[str, int] = field(default_factory=dict)  # id written in the table → row
    new_ids: set[str] = field(default_factory=set)
    slugs: set[str] = field(default_factory=set)
    records: dict[Path, int] = field(default_factory=dict)  # record a row renews (by any name) → row


def _plan_rows(plan: Plan, rows: list[Row], index: Index, options: Options, where: _Where) -> None:
    taken = _Taken()
    section: District | None = None  # the district of the last heading row ("HUYỆN ĐỨC LINH")
    region = where.scope.former or where.scope.default
    for row in rows:
        if "_heading" in row.values:
            text = row.values["_heading"] or ""
            if region is not None:
                section = _district_in(text, region)[0] or section
            plan.skipped.append(Skipped(row.number, "heading", (("text", text),)))
            continue
        _plan_row(row, plan, index, options, _Where(where.scope, where.district or section), taken)


@dataclass
class _Cells:
    """One product row being planned: its values, and where its problems go."""

    row: Row
    plan: Plan
    new_product: bool = False  # the Mã sản phẩm cell says "mới": not one of the producer's records

    def raw(self, fieldname: str) -> Any:
        return self.row.values.get(fieldname)

    def text(self, fieldname: str) -> str | None:
        return clean(self.row.values.get(fieldname))

    def given(self, fieldname: str) -> bool:
        return not _empty(self.row.values.get(fieldname))

    def bad(self, code: str, fieldname: str | None, **params: Any) -> None:
        column = self.row.columns.get(fieldname) if fieldname else None
        self.plan.problems.append(_problem(code, self.row.number, column, **params))

    def warn(self, code: str, fieldname: str | None, **params: Any) -> None:
        column = self.row.columns.get(fieldname) if fieldname else None
        self.plan.warnings.append(_problem(code, self.row.number, column, **params))


def _plan_row(
    row: Row,
    plan: Plan,
    index: Index,
    options: Options,
    where: _Where,
    taken: _Taken,
) -> None:
    """One product row → a new record, a new certificate, a skipped row, or its problems (every one)."""
    c = _Cells(row, plan)
    before = len(plan.problems)
    name, producer = _names(c)
    stars = _stars(c)
    score = _score(c, stars)
    decision, issued = _decision(c, options)
    place = _row_place(c, where, issued)
    row_id = c.text("id")
    if row_id and fold(row_id) in NEW_PRODUCT_IDS:  # staff answered a "similar product" question: a new one
        row_id, c.new_product = None, True
    if not _first_time(c, taken, name, producer, row_id):
        return
    if len(plan.problems) > before or not (name and producer and stars and decision and issued and place):
        return
    cert = certificate_draft(
        stars, decision, issued, place, score if isinstance(score, int) else None, c.text("issuer") or options.issuer
    )
    found, entry = _existing(c, index, name, producer, row_id)
    if not found:
        return
    if entry is not None:
        if entry.path in taken.records:  # two spellings of one product ("… (chai 500ml)", "… (chai 1 lít)")
            c.bad("duplicate_row", "name", first=taken.records[entry.path], name=name, producer=producer)
            return
        taken.records[entry.path] = row.number
        _plan_certificate(c, entry, cert)
        return
    _plan_new(c, index, where, options, taken, (name, producer), place, cert)


def _names(c: _Cells) -> tuple[str | None, str | None]:
    name, producer = c.text("name"), c.text("producer")
    if not name:
        c.bad("empty_cell", "name", what=COLUMN_NAMES["name"])
    if not producer:
        c.bad("empty_cell", "producer", what=COLUMN_NAMES["producer"])
    return name, producer


def _stars(c: _Cells) -> int | None:
    if not c.given("stars"):
        c.bad("empty_cell", "stars", what=COLUMN_NAMES["stars"])
        return None
    stars = parse_stars(c.raw("stars"))
    if stars not in STAR_BANDS:
        c.bad("bad_stars", "stars", found=c.text("stars"))
        return None
    return stars


def _score(c: _Cells, stars: int | None) -> int | None:
    """The score, or None (none written, or wrong: a problem); a score outside the star band is a problem."""
    score = parse_score(c.raw("score"))
    if score == "bad" or (isinstance(score, int) and not 0 <= score <= 100):
        c.bad("bad_score", "score", found=c.text("score"))
        return None
    if isinstance(score, int) and stars:
        lo, hi = STAR_BANDS[stars]
        if not lo <= score <= hi:
            c.bad("score_band", "score", score=score, stars=stars, lo=lo, hi=hi)
    return score if isinstance(score, int) else None


def _decision(c: _Cells, options: Options) -> tuple[str | None, date | None]:
    """The decision number and date: from their columns, a decision cell holding both, or the options."""
    decision_text = c.text("decision") or options.decision
    decision, date_in_decision = split_decision(decision_text) if decision_text else (None, None)
    if not decision:
        c.bad("empty_cell", "decision", what=COLUMN_NAMES["decision"])
    return decision, _issued(c, decision_text, date_in_decision or options.date)


def _issued(c: _Cells, decision_text: str | None, fallback: str | None) -> date | None:
    in_column = c.given("date")
    raw = c.raw("date") if in_column else fallback
    if _empty(raw):
        if "date" in c.row.columns:
            c.bad("empty_cell", "date", what=COLUMN_NAMES["date"])
        else:
            c.bad("no_date", "decision", found=decision_text)
        return None
    issued = parse_date(raw)
    if not isinstance(issued, date):
        c.bad("bad_date", "date" if in_column else "decision", found=clean(raw))
        return None
    return issued


COMMUNE_PREFIX = re.compile(r"^(?:xã|phường|thị trấn|đặc khu|x\.|p\.|tt\.?)\s*", re.IGNORECASE)


def commune_name(text: str | None) -> str | None:
    """'xã Đức Hạnh' → 'Đức Hạnh' (records write the commune without its kind)."""
    name = COMMUNE_PREFIX.sub("", clean(text) or "").strip(" ,.")
    return name or None


def _commune_in(address: str | None) -> str | None:
    """The commune an address names: its part written 'xã …', 'phường …', 'thị trấn …' or 'đặc khu …'."""
    for part in re.split(r"[,;]", nfc(address or "")):
        if COMMUNE_PREFIX.match(part.strip()):
            return commune_name(part)
    return None


def row_place(values: dict[str, Any]) -> RowPlace:
    address = clean(values.get("address"))
    commune = commune_name(clean(values.get("commune"))) or _commune_in(address)
    return RowPlace(clean(values.get("province")), commune, address)


def _row_place(c: _Cells, where: _Where, issued: date | None = None) -> Place | None:
    """Where the row's product is made, on both maps (`ocop.places.locate`, as records are read): the row's
    Tỉnh (else a province its address names, else the scope's), its district (a Huyện column, the address,
    a heading row or --district) and its commune (a Xã/Phường column, else the address's). A name typed
    without tone marks that fits one place is accepted with a warning; anything else wrong is a problem.
    `issued`, the row's certificate date, says which map its commune is read on."""
    written = row_place(c.row.values)
    province = written.province or _province_in(written.address)
    region = _region_of(province, where.scope)
    district, column = _district_written(c, region, written.commune)
    fallback = where.district
    if district is None and fallback is not None:
        district, province = fallback.full_name, province or fallback.province.name
    try:
        located = locate(province, district, written.commune, where.scope, issued)
    except PlaceError as exc:
        _place_problem(c, exc, column, where.scope)
        return None
    for note in located.notes:
        if note.kind == "read_as":
            c.warn("read_as", _column_of(c, note.field, column), found=note.text, read_as=note.read_as)
    return located.place


def _column_of(c: _Cells, level: str, district_column: str) -> str:
    if level == "district":
        return district_column
    return level if level in c.row.columns else "address"


def _province_in(address: str | None) -> str | None:
    """The province an address names in a part written 'tỉnh …' or 'thành phố …' that is a province."""
    for part in reversed(re.split(r"[,;]", nfc(address or ""))):
        part = part.strip()
        if re.match(r"^(?:tỉnh|thành phố|tp\.?)\s", part, re.IGNORECASE) and gazetteer().province(part):
            return part
    return None


def _region_of(province: str | None, scope: Scope) -> Province | FormerProvince | None:
    """Where to look for a district named in an address: the row's province, else the scope's."""
    if province:
        try:
            return gazetteer().find_any_province(province).place
        except PlaceError:
            return None
    return scope.former or scope.default


def _district_written(c: _Cells, region, commune: str | None) -> tuple[str | None, str]:
    """(the district as the row writes it, or None; the column to name in a message about it)."""
    column = "district" if "district" in c.row.columns else "address"
    text = c.text("district")
    if text:
        return (_district_part(text, region, None) or text), "district"
    if c.text("address"):
        return _district_part(c.text("address") or "", region, commune), "address"
    return None, "commune" if "commune" in c.row.columns else column


def _district_part(text: str, region, commune: str | None) -> str | None:
    """The part of an address that names a district: written 'huyện …', 'thị xã …', 'TP …' (whatever its
    spelling: locate says what is wrong with it), else a part that is a district's name ('Tuy Phong'), else,
    in an address naming no commune, a district's name anywhere in it (headings, addresses without commas)."""
    gaz = gazetteer()
    parts = [p.strip() for p in re.split(r"[,;]| - ", nfc(text)) if p.strip()]
    for part in reversed(parts):
        stripped = _strip_prefix(part, _DISTRICT_PREFIXES)
        if stripped != part and not (gaz.province(stripped) and not (region and gaz.district(region, part))):
            return part
    if region is None:
        return None
    for part in reversed(parts):
        if not COMMUNE_PREFIX.match(part) and _names_a_district(part, region):
            return part
    if commune is None:
        found = _district_in(text, region)[0]
        return found.full_name if found else None
    return None


def _names_a_district(part: str, region) -> bool:
    """Whether a part of an address is a district's name (typed without tone marks, or one of several, too:
    locate then says what it was read as, or which districts it could be)."""
    try:
        gazetteer().find_district(part, region)
    except AmbiguousPlace:
        return True
    except PlaceError:
        return False
    return True


def _close_names(exc: PlaceError) -> tuple[str, ...]:
    if isinstance(exc, UnknownPlace):
        return exc.suggestions
    if isinstance(exc, AmbiguousPlace):
        return tuple(describe(p) for p in exc.candidates)
    return ()


def _place_problem(c: _Cells, exc: PlaceError, column: str, scope: Scope) -> None:
    """The row's place is wrong: say which name, where it was looked for, and what could be meant."""
    within = ", ".join(exc.within) or scope.label()
    if isinstance(exc, NeedsProvince):
        c.bad("no_province", column, scope=scope.label())
    elif isinstance(exc, NoPlace):
        c.bad("no_district", column, found=c.text(column) or "", province=within)
    elif isinstance(exc, CommuneSpansDistricts):
        names = ", ".join(d.full_name for d in exc.districts)
        c.bad("commune_spans", _column_of(c, "commune", column), commune=exc.commune.full_name, districts=names)
    elif isinstance(exc, CommuneNotFromDistrict):
        c.bad(
            "commune_not_from",
            _column_of(c, "commune", column),
            commune=exc.commune.full_name,
            district=exc.district.full_name,
        )
    elif isinstance(exc, AmbiguousPlace):
        c.bad(
            "ambiguous_place",
            _column_of(c, exc.level, column),
            found=exc.text,
            candidates=" / ".join(_close_names(exc)),
        )
    else:
        suggestions = " / ".join(_close_names(exc))
        code = {"district": "bad_district", "commune": "bad_commune"}.get(exc.level, "bad_row_province")
        c.bad(code, _column_of(c, exc.level, column), found=exc.text, province=within, suggestions=suggestions)


def _first_time(c: _Cells, taken: _Taken, name: str | None, producer: str | None, row_id: str | None) -> bool:
    """False (and a problem) if the table already listed this product: checked even when the row has other problems."""
    if name and producer:
        key = (name_key(name), producer_key(producer))
        if key in taken.names:
            c.bad("duplicate_row", "name", first=taken.names[key], name=name, producer=producer)
            return False
        taken.names[key] = c.row.number
    if row_id:
        if row_id in taken.ids:
            c.bad("duplicate_row", "id", first=taken.ids[row_id], name=name, producer=producer)
            return False
        taken.ids[row_id] = c.row.number
    return True


def _existing(c: _Cells, index: Index, name: str, producer: str, row_id: str | None) -> tuple[bool, Entry | None]:
    """(True, the record the row names, or None for a new product): by id, else by product and producer
    name, else by producer and a similar name. (False, None) after a problem: an unknown id, names that
    match several records, or a name so close to one of the producer's records that staff must say."""
    if row_id:
        entry = index.by_id.get(row_id)
        if entry is None:
            c.bad("unknown_id", "id", found=row_id)
            return False, None
        return True, entry
    matches = index.by_names.get((name_key(name), producer_key(producer)), [])
    if not matches and not c.new_product:
        return _alike(c, index, name, producer)
    if len(matches) > 1:
        c.bad(
            "ambiguous",
            "name",
            name=name,
            producer=producer,
            ids=", ".join(sorted(e.id or e.path.name for e in matches)),
        )
        return False, None
    return True, (matches[0] if matches else None)


def _alike(c: _Cells, index: Index, name: str, producer: str) -> tuple[bool, Entry | None]:
    """The producer's record whose name is this row's but for notes and packaging ("Nước mắm Bà Hai 40 độ
    đạm (chai 500ml)"): a re-rating of it. A name only similar is a question for staff, never a duplicate."""
    alike = [
        (name_likeness(name, e.name or "", producer), e) for e in index.by_producer.get(producer_key(producer), [])
    ]
    same = [e for how, e in alike if how == "same"]
    similar = [e for how, e in alike if how == "similar"]
    if len(same) == 1:
        c.plan.matched[c.row.number] = name
        return True, same[0]
    if same or similar:
        records = "; ".join(f"{e.id} «{e.name}»" for e in sorted(same or similar, key=lambda e: e.id or ""))
        c.bad("similar_product", "name", name=name, producer=producer, records=records)
        return False, None
    return True, None


def _kind(c: _Cells, producer: str) -> tuple[str | None, bool]:
    """(the producer's kind, whether it was guessed from the producer's name); None after a problem."""
    written = c.text("kind")
    if written:
        kind = parse_kind(written)
        if kind is None:
            c.bad("bad_kind", "kind", found=written)
        return kind, False
    kind = producer_kind(producer)
    if kind is None:
        c.bad("unknown_kind", "producer", found=producer)
    return kind, True


def _product_set(name: str, group: str | None) -> int | None:
    """The product set the name tells, if it belongs to `group`."""
    guess = guess_group(name)
    return guess[1] if guess and guess[0] == group else None


def _group(c: _Cells, options: Options, name: str) -> tuple[str, int | None, bool] | None:
    """(group, product set, whether guessed from the name): the Nhóm column, else --group, else the name.
    None after a problem."""
    written = c.text("group")
    if written:
        found = table_group(written)
        if found is None:
            c.bad("bad_group", "group", found=written, accepted=accepted_group_labels())
            return None
        return found[0], found[1] or _product_set(name, found[0]), False
    if options.group:
        g = resolve_group(options.group)
        if g is None:
            c.bad("bad_group", "group", found=options.group, accepted=accepted_group_labels())
            return None
        return g.key, _product_set(name, g.key), False
    guess = guess_group(name)
    if guess is None:
        c.bad("unknown_group", "name", found=name)
        return None
    return guess[0], guess[1], True


def _plan_new(
    c: _Cells,
    index: Index,
    where: _Where,
    options: Options,
    taken: _Taken,
    names: tuple[str, str],
    place: Place,
    cert: dict[str, Any],
) -> None:
    name, producer = names
    kind, kind_guessed = _kind(c, producer)
    if kind is None:
        return
    group = _group(c, options, name)
    if group is None:
        return
    key, pset, group_guessed = group
    guessed = tuple(f for f, was in (("kind", kind_guessed), ("group", group_guessed)) if was)
    new_id = index.next_number(record_id_prefix(place, cert["date"]), taken.new_ids)
    taken.new_ids.add(new_id)
    slug = unique_slug(name, place.district, index, taken.slugs)
    taken.slugs.add(slug)
    c.plan.new.append(
        NewRecord(
            c.row.number,
            new_id,
            slug,
            record_folder(place),
            name,
            producer,
            kind,
            place.district,
            key,
            pset,
            cert,
            guessed,
            row_place(c.row.values),
            place,
        )
    )


def _plan_certificate(c: _Cells, entry: Entry, cert: dict[str, Any]) -> None:
    """A certificate for a record that exists: skipped if already recorded; refused if not the newest."""
    issued = cert["date"].isoformat()
    for decision, day, _ in entry.certificates:
        if day == issued and fold(decision) == fold(cert["decision"]):
            c.plan.skipped.append(
                Skipped(c.row.number, "already_recorded", (("id", entry.id), ("decision", decision), ("date", issued)))
            )
            return
        if day == issued:
            c.bad("same_date", "date", id=entry.id, date=issued, decision=decision)
            return
    dated = [(d, s) for _, d, s in entry.certificates if d]
    latest = max(dated) if dated else None
    if latest and latest[0] > issued:
        c.bad("older_than_current", "date", id=entry.id, date=issued, current=latest[0])
        return
    current = latest[1] if latest else None
    change = change_kind(current if isinstance(current, int) else None, cert["stars"])
    c.plan.certificates.append(NewCertificate(c.row.number, entry, cert, change, current))
