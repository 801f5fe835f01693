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

from .certificates import STAR_BANDS
from .groups import resolve_group
from .index import Entry, Index, name_key, producer_key
from .places import District, Province, gazetteer, _strip_prefix, _DISTRICT_PREFIXES
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
    "producer": ("ten chu the", "chu the", "chu the ocop", "ten chu the ocop", "chu the san xuat", "co so san xuat",
                 "don vi san xuat", "ten co so", "ten doanh nghiep", "producer"),
    "kind": ("loai hinh", "loai hinh chu the", "loai hinh to chuc"),
    "address": ("dia chi", "dia chi chu the", "dia chi san xuat", "address"),
    "district": ("huyen", "huyen thi xa thanh pho", "huyen thi xa tp", "dia ban", "don vi hanh chinh", "district"),
    "province": ("tinh", "tinh thanh pho", "province"),
    "group": ("nhom", "nhom san pham", "phan nhom", "nhom nganh", "group"),
    "stars": ("hang sao", "so sao", "xep hang", "hang", "ket qua xep hang", "phan hang", "xep hang sao", "sao", "stars"),
    "score": ("diem", "so diem", "tong diem", "diem danh gia", "diem so", "score"),
    "decision": ("so quyet dinh", "quyet dinh", "so qd", "qd", "so quyet dinh cong nhan", "so ngay quyet dinh",
                 "quyet dinh cong nhan", "decision"),
    "date": ("ngay", "ngay quyet dinh", "ngay ky", "ngay cap", "ngay qd", "ngay cong nhan", "ngay ban hanh", "date"),
    "issuer": ("co quan cap", "don vi cap", "co quan cong nhan", "cap cong nhan", "issuer"),
}
REQUIRED = ("name", "producer", "stars", "decision")
COLUMN_NAMES = {  # how the plan and messages name a field staff must provide
    "name": "Tên sản phẩm", "producer": "Tên chủ thể", "stars": "Hạng sao", "decision": "Số quyết định",
    "date": "Ngày", "district": "Huyện / Địa chỉ",
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
    """Cell values by spreadsheet row, with merged ranges as (min_row, min_col, max_row, max_col), 1-based."""

    name: str
    rows: list[tuple[int, list[Any]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def read_table(path: Path) -> RawTable:
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
        return _read_csv(path, data)
    if data[:8] == OLE2_MAGIC or suffix == ".xls":
        raise TableError(_problem("file_protected", file=path.name))
    raise TableError(_problem("file_kind", file=path.name, suffix=suffix or "(none)"))


def _read_xlsx(path: Path, data: bytes) -> RawTable:
    if data[:8] == OLE2_MAGIC:
        raise TableError(_problem("file_protected", file=path.name))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TableError(_problem("file_corrupt", file=path.name))
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise TableError(_problem("file_corrupt", file=path.name, detail=type(exc).__name__)) from None
    sheets = [ws for ws in wb.worksheets if ws.max_row and any(c.value is not None for row in ws.iter_rows() for c in row)]
    if not sheets:
        raise TableError(_problem("file_empty", file=path.name))
    ws = wb.active if wb.active in sheets else sheets[0]
    rows = [(r[0].row, [c.value for c in r]) for r in ws.iter_rows()]
    merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    return RawTable(ws.title, rows, merged)


def _read_csv(path: Path, data: bytes) -> RawTable:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_problem("file_encoding", file=path.name)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [(i, [c if c.strip() else None for c in row]) for i, row in enumerate(csv.reader(io.StringIO(text), dialect), 1)]
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
    """3, 4.0, '4 sao', '4*', '4★', 'Bốn sao', '4 sao (70 điểm)' → the star level; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else None
    text = fold(clean(value) or "")
    m = re.fullmatch(r"(?:hang\s*)?(\d)\s*(?:sao|\*|★|stars?)?(?:\s*\(.*\))?", text.replace("★", "*"))
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
_KIND_WORDS = {"doanh nghiep": "enterprise", "cong ty": "enterprise", "hop tac xa": "cooperative", "htx": "cooperative",
               "to hop tac": "cooperative_group", "tht": "cooperative_group", "ho kinh doanh": "household",
               "ho san xuat": "household", "ho gia dinh": "household", "co so": "household", "ho": "household",
               "enterprise": "enterprise", "cooperative": "cooperative", "cooperative group": "cooperative_group",
               "cooperative_group": "cooperative_group", "household": "household"}


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
    ("du lich", "tourism", 26), ("diem tham quan", "tourism", 26), ("homestay", "tourism", 26),
    ("ruou", "drinks", 14), ("vang", "drinks", 15), ("nuoc ep", "drinks", 17), ("nuoc uong", "drinks", 17),
    ("nuoc khoang", "drinks", 16), ("sinh to", "drinks", 17),
    ("tinh dau", "herbal", 20), ("duoc lieu", "herbal", 20), ("linh chi", "herbal", 18), ("cao ", "herbal", 18),
    ("my pham", "herbal", 19), ("xa phong", "herbal", 19),
    ("gom", "handicrafts", 21), ("tho cam", "handicrafts", 22), ("may tre", "handicrafts", 21), ("det", "handicrafts", 22),
    ("non la", "handicrafts", 21), ("go my nghe", "handicrafts", 21), ("cham khac", "handicrafts", 21),
    ("hoa lan", "ornamental", 23), ("lan ", "ornamental", 23), ("cay canh", "ornamental", 24), ("bonsai", "ornamental", 24),
    ("kem", "food", 8), ("dau phong", "food", 7), ("nuoc mam", "food", 9), ("tuong", "food", 9), ("mam ", "food", 8), ("hat dieu", "food", 7), ("hat sen", "food", 1),
    ("com chay", "food", 6), ("banh", "food", 6), ("bun", "food", 6), ("keo", "food", 7), ("say", "food", 7), ("mut", "food", 7),
    ("mat ong", "food", 4), ("ca phe", "food", 13), ("cacao", "food", 13), ("ca cao", "food", 13), ("tra", "food", 12),
    ("che ", "food", 11), ("yen", "food", 8), ("kho", "food", 8), ("cha ", "food", 8), ("trung", "food", 2),
    ("thit", "food", 2), ("gao", "food", 3), ("muoi", "food", 10), ("tieu", "food", 10), ("rong", "food", 1),
    ("thanh long", "food", 1), ("buoi", "food", 1), ("nho", "food", 1), ("tao", "food", 1), ("sau rieng", "food", 1),
    ("xoai", "food", 1), ("rau", "food", 1), ("cai", "food", 1), ("nam", "food", 1), ("toi", "food", 1),
    ("hanh", "food", 1), ("ot", "food", 1), ("dua", "food", 1), ("chuoi", "food", 1), ("mit", "food", 1),
)


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

    @property
    def rel(self) -> str:
        return f"{self.folder}/{self.slug}.yaml"


@dataclass
class NewCertificate:
    row: int
    entry: Entry
    certificate: dict[str, Any]
    change: str  # "renewal" | "uprating" | "downrating"
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
    province: str = "Bình Thuận"  # the site's province: rows without one are placed here
    district: str | None = None  # for a district-level decision whose table names no district
    issuer: str | None = None  # default: "UBND tỉnh <province>"
    group: str | None = None  # for tables without a group column, when the name does not tell
    decision: str | None = None  # when the table has no decision column (one decision for all rows)
    date: str | None = None


def find_header(table: RawTable) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """The first row (within the first 20) naming at least three known columns, one of them the product name."""
    for number, values in table.rows[:HEADER_SCAN_ROWS]:
        found: dict[str, int] = {}
        for i, v in enumerate(values):
            f = match_column(v)
            if f and f not in found:
                found[f] = i
        if len(found) >= 3 and "name" in found:
            labels = {f: f"{column_letter(i)} ({clean(values[i])})" for f, i in found.items()}
            return number, found, labels
    return None


def _merges(table: RawTable, header: int, positions: dict[str, int], labels: dict[str, str],
            rows: dict[int, list[Any]], problems: list[RowProblem]) -> set[int]:
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
                problems.append(_problem("merged_across", r0, labels[by_col[cols[0]]], cells=_range(r0, c0, r1, c1), columns=names))
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


def _district_in(text: str, province: Province) -> tuple[District | None, str | None]:
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
        if stripped != part.strip() or any(fold(stripped) == fold(d.name) for d in gaz.districts_of(province)):
            if not gaz.province(stripped):
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
    d = _TITLE_DATE.search(nfc(title)[m.end():])
    return re.sub(r"\s+", "", m.group(1)), (d.group(1) if d else None)


def read_rows(table: RawTable, plan: Plan) -> list[Row]:
    found = find_header(table)
    if not found:
        raise TableError(_problem("no_header", file=plan.source, rows=min(len(table.rows), HEADER_SCAN_ROWS)))
    header, positions, labels = found
    plan.header_row, plan.columns = header, labels
    plan.title = " ".join(clean(v) or "" for n, values in table.rows if n < header for v in values if clean(v))
    rows = {n: list(v) for n, v in table.rows if n > header}
    headings = _merges(table, header, positions, labels, rows, plan.problems)
    out = []
    for n in sorted(rows):
        values = {f: (rows[n][i] if i < len(rows[n]) else None) for f, i in positions.items()}
        values = {f: (v.strip() if isinstance(v, str) else v) for f, v in values.items()}
        if all(v is None or v == "" for v in values.values()):
            continue
        if n in headings or all(values.get(f) in (None, "") for f in ("producer", "stars", "score", "decision", "id")):
            out.append(Row(n, {"_heading": clean(next((v for v in rows[n] if v not in (None, "")), ""))}, labels))
            continue
        out.append(Row(n, values, labels))
    return out


def plan_import(path: Path, index: Index, options: Options) -> Plan:
    """Read a decision table and plan every change; the plan lists every problem, not just the first."""
    plan = Plan(Path(path).name)
    try:
        table = read_table(Path(path))
        rows = read_rows(table, plan)
    except TableError as exc:
        plan.problems.append(exc.problem)
        return plan
    gaz = gazetteer()
    province = gaz.province(options.province)
    if province is None:
        plan.problems.append(_problem("bad_province", province=options.province))
        return plan
    fixed_district = gaz.district(province, options.district) if options.district else None
    if options.district and fixed_district is None:
        plan.problems.append(_problem("bad_option_district", district=options.district, province=province.name,
                                      suggestions=", ".join(gaz.suggest_district(province, options.district))))
        return plan

    if "decision" not in plan.columns and not options.decision and (found := decision_in_title(plan.title)):
        # "Kèm theo Quyết định số 2790/QĐ-UBND ngày 15/10/2026": one decision for every row
        plan.from_title = found
        options = Options(**{**vars(options), "decision": found[0],
                             "date": options.date or (found[1] if "date" not in plan.columns else None)})
    missing = [f for f in REQUIRED if f not in plan.columns and not (f == "decision" and options.decision)]
    has_district = any(f in plan.columns for f in ("district", "address")) or fixed_district
    if not has_district:
        missing.append("district")
    if missing:
        plan.problems.append(_problem("missing_columns", plan.header_row, None,
                                      missing=", ".join(COLUMN_NAMES[f] for f in missing),
                                      found=", ".join(plan.columns[f] for f in sorted(plan.columns, key=lambda f: plan.columns[f]))))
        return plan
    if not any(r for r in rows if "_heading" not in r.values):
        plan.problems.append(_problem("no_rows", plan.header_row, file=plan.source))
        return plan

    seen: dict[tuple[str, str], int] = {}
    seen_ids: dict[str, int] = {}
    taken_ids: set[str] = set()
    taken_slugs: set[str] = set()
    section: District | None = None
    for row in rows:
        if "_heading" in row.values:
            text = row.values["_heading"] or ""
            d, _ = _district_in(text, province)
            section = d or section
            plan.skipped.append(Skipped(row.number, "heading", (("text", text),)))
            continue
        _plan_row(row, plan, index, options, province, fixed_district or section, seen, seen_ids, taken_ids, taken_slugs)
    return plan


def _plan_row(row: Row, plan: Plan, index: Index, options: Options, province: Province, default_district: District | None,
              seen: dict, seen_ids: dict, taken_ids: set, taken_slugs: set) -> None:
    v, col, n = row.values, row.columns, row.number
    before = len(plan.problems)

    def bad(code: str, fieldname: str | None, **params):
        plan.problems.append(_problem(code, n, col.get(fieldname) if fieldname else None, **params))

    name = clean(v.get("name"))
    producer = clean(v.get("producer"))
    if not name:
        bad("empty_cell", "name", what=COLUMN_NAMES["name"])
    if not producer:
        bad("empty_cell", "producer", what=COLUMN_NAMES["producer"])

    stars = parse_stars(v.get("stars"))
    if v.get("stars") in (None, ""):
        bad("empty_cell", "stars", what=COLUMN_NAMES["stars"])
        stars = None
    elif stars not in STAR_BANDS:
        bad("bad_stars", "stars", found=clean(v.get("stars")))
        stars = None

    score = parse_score(v.get("score"))
    if score == "bad" or (isinstance(score, int) and not 0 <= score <= 100):
        bad("bad_score", "score", found=clean(v.get("score")))
        score = None
    elif isinstance(score, int) and stars:
        lo, hi = STAR_BANDS[stars]
        if not lo <= score <= hi:
            bad("score_band", "score", score=score, stars=stars, lo=lo, hi=hi)

    decision_text = clean(v.get("decision")) or options.decision
    decision, date_in_decision = split_decision(decision_text) if decision_text else (None, None)
    if not decision:
        bad("empty_cell", "decision", what=COLUMN_NAMES["decision"])
    raw_date = v.get("date") if v.get("date") not in (None, "") else (date_in_decision or options.date)
    date_col = "date" if v.get("date") not in (None, "") else "decision"
    issued = parse_date(raw_date)
    if raw_date in (None, ""):
        if "date" in col:
            bad("empty_cell", "date", what=COLUMN_NAMES["date"])
        else:
            bad("no_date", "decision", found=decision_text)
        issued = None
    elif issued == "bad":
        bad("bad_date", date_col, found=clean(raw_date))
        issued = None

    # where: a district column, else the address, else a heading row or --district
    district = None
    if clean(v.get("district")):
        text = clean(v["district"])
        district = gazetteer().district(province, text)
        if district is None:
            d, _ = _district_in(text, province)
            district = d
        if district is None:
            _bad_district(bad, "district", text, province)
    elif clean(v.get("address")):
        district, misspelled = _district_in(clean(v["address"]), province)
        if district is None and misspelled:
            _bad_district(bad, "address", misspelled, province)
        elif district is None and default_district:
            district = default_district
        elif district is None:
            bad("no_district", "address", found=clean(v["address"]), province=province.name)
    elif default_district:
        district = default_district
    else:
        bad("no_district", "district" if "district" in col else "address", found="", province=province.name)

    # the same product twice in one table (checked even when the row has other problems)
    key = (name_key(name or ""), producer_key(producer or ""))
    row_id = clean(v.get("id"))
    if name and producer:
        if key in seen:
            bad("duplicate_row", "name", first=seen[key], name=name, producer=producer)
            return
        seen[key] = n
    if row_id:
        if row_id in seen_ids:
            bad("duplicate_row", "id", first=seen_ids[row_id], name=name, producer=producer)
            return
        seen_ids[row_id] = n

    if len(plan.problems) > before or not (name and producer and stars and decision and issued):
        return

    from .authoring import default_issuer, record_folder, record_id_prefix, unique_slug

    issuer = clean(v.get("issuer")) or options.issuer or default_issuer(stars, issued, district)
    cert: dict[str, Any] = {"stars": stars}
    if isinstance(score, int):
        cert["score"] = score
    cert.update(decision=decision, date=issued, issuer=issuer)

    # an existing record: by id, else by product and producer name
    entry = None
    if row_id:
        entry = index.by_id.get(row_id)
        if entry is None:
            bad("unknown_id", "id", found=row_id)
            return
    else:
        matches = index.by_names.get(key, [])
        if len(matches) > 1:
            bad("ambiguous", "name", name=name, producer=producer, ids=", ".join(sorted(e.id or e.path.name for e in matches)))
            return
        entry = matches[0] if matches else None
    if entry is not None:
        _plan_certificate(row, plan, entry, cert, bad)
        return

    kind = parse_kind(clean(v.get("kind"))) if clean(v.get("kind")) else producer_kind(producer)
    guessed: list[str] = []
    if kind is None:
        if clean(v.get("kind")):
            bad("bad_kind", "kind", found=clean(v.get("kind")))
        else:
            bad("unknown_kind", "producer", found=producer)
        return
    if not clean(v.get("kind")):
        guessed.append("kind")
    group, pset = None, None
    if clean(v.get("group")):
        g = resolve_group(clean(v["group"]))
        if g is None:
            bad("bad_group", "group", found=clean(v["group"]))
            return
        group = g.key
        guess = guess_group(name)
        pset = guess[1] if guess and guess[0] == group else None
    elif options.group:
        g = resolve_group(options.group)
        group = g.key if g else None
        guess = guess_group(name)
        pset = guess[1] if guess and guess[0] == group else None
    else:
        guess = guess_group(name)
        if guess is None:
            bad("unknown_group", "name", found=name)
            return
        group, pset = guess
        guessed.append("group")

    prefix = record_id_prefix(district)
    new_id = index.next_number(prefix, taken_ids)
    taken_ids.add(new_id)
    slug = unique_slug(name, district, index, taken_slugs)
    taken_slugs.add(slug)
    plan.new.append(NewRecord(n, new_id, slug, record_folder(district, options.province), name, producer, kind, district,
                              group, pset, cert, tuple(guessed)))


def _bad_district(bad, column: str, text: str, province: Province) -> None:
    gaz = gazetteer()
    stripped = _strip_prefix(text, _DISTRICT_PREFIXES)
    exact = [d.name for d in gaz.districts_of(province) if fold(d.name) == fold(stripped)]
    suggestions = exact or gaz.suggest_district(province, text)
    bad("bad_district", column, found=text, province=province.name, suggestions=" / ".join(suggestions),
        tones=bool(exact) and stripped.isascii())


def _plan_certificate(row: Row, plan: Plan, entry: Entry, cert: dict, bad) -> None:
    issued = cert["date"].isoformat()
    for decision, day, stars in entry.certificates:
        if day == issued and fold(decision) == fold(cert["decision"]):
            plan.skipped.append(Skipped(row.number, "already_recorded", (("id", entry.id), ("decision", decision), ("date", issued))))
            return
        if day == issued:
            bad("same_date", "date", id=entry.id, date=issued, decision=decision)
            return
    dated = [(d, s) for _, d, s in entry.certificates if d]
    current = max(dated)[1] if dated else None
    if dated and max(dated)[0] > issued:
        bad("older_than_current", "date", id=entry.id, date=issued, current=max(dated)[0])
        return
    change = "renewal" if current == cert["stars"] else ("uprating" if isinstance(current, int) and cert["stars"] > current else "downrating")
    plan.certificates.append(NewCertificate(row.number, entry, cert, change, current))
