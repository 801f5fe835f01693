"""Property tests (hypothesis): whatever the input, the record reader, the table importer, the opening-hours
parser and the text cleaners give a valid result or problems naming file, line and field, never an exception.

Kept fast for the suite (a few hundred examples in all); raise `FUZZ_EXAMPLES` to search longer."""

from __future__ import annotations

import csv
import os
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ocop.decisions import Options, plan_import
from ocop.index import Index
from ocop.messages import MESSAGES
from ocop.opening_hours import OpeningHours, OpeningHoursError
from ocop.opening_hours import parse as parse_hours
from ocop.problems import Severity
from ocop.records import read_record
from ocop.text import SAFE_NAME, clean_text, neutralised, printable, slugify

from conftest import GOOD_RECORD

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
# no example database: the tests write nothing into the checkout
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

FIELDS = [
    "id",
    "slug",
    "former_slugs",
    "name",
    "group",
    "product_set",
    "province",
    "district",
    "commune",
    "producer",
    "certificates",
    "offer",
    "images",
    "buy",
]
HOSTILE_TEXT = st.sampled_from(
    ["", "~", "4.0", "9997-01-01", "2024-13-01", "x\n", "\x00", "\x1b[31m", "\u202e", "=1+1", "con", "../x", "*a"]
)
TEXT = st.one_of(st.text(max_size=30), HOSTILE_TEXT)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    TEXT,
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS + ["x"]), inner)),
    max_leaves=12,
)


def check_result(path: Path, products: Path) -> None:
    result = read_record(path, products, "Bình Thuận")
    has_errors = any(p.severity is Severity.ERROR for p in result.problems)
    assert (result.product is None) == has_errors
    for p in result.problems:
        assert p.file.endswith(".yaml") and p.line >= 1 and isinstance(p.field, str)
        assert p.text("vi") and p.text("en")  # said in both languages without a formatting error


@FUZZ
@given(field=st.sampled_from(FIELDS), value=VALUE)
def test_any_field_value_gives_a_product_or_problems(field, value):
    """A good record with one field replaced by anything YAML can hold."""
    base = yaml.safe_load(GOOD_RECORD)
    base[field] = value
    with tempfile.TemporaryDirectory() as tmp:
        products = Path(tmp) / "products"
        path = products / "phan-thiet" / "nuoc-mam-thu.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
        check_result(path, products)


YAML_BITS = st.sampled_from(
    ["&a ", "*a", "[", "]", "{", "}", "? ", ": ", "- ", "\n", "  ", "!!str ", "!!int ", "---\n", "'", '"', "#", "|\n"]
)


@FUZZ
@given(pieces=st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=40), keep=st.integers(0, 12))
@example(pieces=["!!int "], keep=0)  # found by this test: PyYAML's int() of an empty text raised IndexError
@example(pieces=["a: !!bool maybe"], keep=0)
def test_any_text_gives_a_product_or_problems(pieces, keep):
    """The start of a good record (or nothing), then any text: broken YAML, aliases, tags, brackets."""
    text = "\n".join(GOOD_RECORD.splitlines()[:keep]) + "\n" + "".join(pieces)
    with tempfile.TemporaryDirectory() as tmp:
        products = Path(tmp) / "products"
        path = products / "a.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        check_result(path, products)


HEADERS = ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Hạng sao", "Điểm", "Số quyết định", "Ngày", "Huyện"]
CELL = st.one_of(
    st.none(),
    st.integers(-5, 200),
    st.sampled_from(["4 sao", "3", "Đức Linh", "Phan Thiết", "12/3/2025", "2025-13-45", "555/QĐ-UBND", "mới"]),
    st.text(max_size=20),
)


@FUZZ
@given(
    header=st.permutations(HEADERS).map(lambda h: h[:7]),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=9), max_size=8),
)
def test_any_table_gives_a_plan_with_problems_naming_rows(header, rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "table.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header] + [["" if c is None else c for c in row] for row in rows])
        plan = plan_import(path, Index([]), Options(scope="Bình Thuận"))
    for found in plan.problems + plan.warnings:
        assert found.code in MESSAGES
        assert found.row is None or 1 <= found.row <= len(rows) + 1
    assert plan.valid == (not plan.problems)


HOURS_BITS = ["Mo", "-", "Fr", "Sa", "Su", "PH", ",", ";", " ", "07:30", "24:00", "25:00", "off", "11:"]


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=40),
        st.lists(
            st.sampled_from(HOURS_BITS),
            max_size=12,
        ).map("".join),
    )
)
def test_any_opening_hours_text_parses_or_says_where(text):
    try:
        hours = parse_hours(text)
    except OpeningHoursError as exc:
        assert str(exc)
        return
    assert isinstance(hours, OpeningHours)


UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


@settings(max_examples=EXAMPLES * 3, deadline=None, database=None)
@given(text=st.text())
def test_text_cleaners(text):
    cleaned = clean_text(text)
    assert not UNWANTED.search(cleaned) and clean_text(cleaned) == cleaned
    shown = printable(text)
    assert not UNWANTED.search(shown) and "\n" not in shown
    slug = slugify(text)
    assert slug == "" or SAFE_NAME.match(slug)
    safe = neutralised(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r")) and safe.endswith(text)
