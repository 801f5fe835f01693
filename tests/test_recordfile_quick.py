"""The quick reading of a record (one parse, one walk) gives exactly what the careful reading gives.

`read_mapping` reads a plain record with `_Quick` and leaves everything else (tags, aliases, a field written
twice, anything near a limit, broken YAML) to `read_carefully`, which screens the parser's events first. These
tests hold the two to the same data, lines and messages, on chosen texts, on the sample catalogue's records
and on random ones, and check that each chosen text takes the path meant (so that no test passes by never
taking the quick one)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop.recordfile import MAX_DEPTH, MAX_DIGITS, QUICK_TEXT, RecordFile, _Quick, read_carefully, read_mapping
from ocop.records import EMPTY

from conftest import GOOD_RECORD

PROJECT = Path(__file__).resolve().parent.parent
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def both(path: Path, text: str) -> tuple[tuple, tuple]:
    """(data, lines, problems) of `read_mapping`, and of the careful reading alone, for `path` holding `text`."""
    path.write_text(text, encoding="utf-8")
    quick, careful = RecordFile(path, path.name), RecordFile(path, path.name)
    got = read_mapping(quick, EMPTY)
    reference = read_carefully(careful, text, EMPTY)
    # repr: True == 1 == 1.0 for ==, but a record's `true` and `1` are different values
    return (repr(got), quick.lines, quick.problems), (repr(reference), careful.lines, careful.problems)


def nested(levels: int) -> str:
    return "a: " + "[" * levels + "1" + "]" * levels + "\n"


# name → (text, whether the quick reading decides it)
CASES = {
    "a good record": (GOOD_RECORD, True),
    "markdown stars, no alias": ("id: x\ndescription: {vi: '**Ngon** *lắm*', en: a*b}\n", True),
    "an anchor no alias uses": ("id: &x a\nname: b\n", True),
    "numbers, truths and nothing as YAML 1.1 reads them": (
        "a: 4.0\nb: yes\nc: ~\nd: 0x1F\ne: 1_000\nf: .inf\ng: 1:30\nh: -7\ni: Off\nj: 2021-12-24\n",
        True,
    ),
    "a standard tag": ("a: !!str 12\nb: !!int '7'\n", True),
    "quoted long digits": (f'gtin: "{"1" * (MAX_DIGITS + 5)}"\n', True),
    "digits at the limit": (f"price: {'9' * MAX_DIGITS}\n", True),
    "control characters and decomposed Vietnamese": ('a: "x\\x1by"\nb: "Đa\u0300 La\u0323t"\nc: [ "e\u0301" ]\n', True),
    "an upper-case web address": ("website: HTTPS://Example.VN/a\n", True),
    "groups nested to the limit": (nested(MAX_DEPTH - 1), True),
    "a byte-order mark": ("\ufeffid: x\n", True),
    "an alias": ("a: &x [1, 2]\nb: *x\n", False),
    "an alias to a text": ("a: &x t\nb: *x\n", False),
    "an alias inside itself": ("a: &x [1, *x]\n", False),
    "an alias as a field name": ("a: &k b\n*k : c\n", False),
    "a merge": ("base: &b {x: 1}\nc:\n  <<: *b\n", False),
    "a merge without alias": ("c:\n  <<: {x: 1}\n", False),
    "a custom tag": ("a: !foo x\n", False),
    "a timestamp tag": ("a: !!timestamp 2020-01-01\n", False),
    "a binary tag": ("a: !!binary aGk=\n", False),
    "a tag on a group": ("a: !!str {b: 1}\n", False),
    "a field written twice": ("id: a\nname: b\nid: c\n", False),
    "groups nested beyond the limit": (nested(MAX_DEPTH), False),
    "too many digits": (f"price: {'9' * (MAX_DIGITS + 1)}\n", False),
    "a complex key": ("? [a, b]\n: c\n", False),
    "a number as a field name": ("1: a\n", False),
    "a truth as a field name": ("yes: a\n", False),
    "nothing as a field name": ("~: a\n", False),
    "a YAML 1.1 value key": ("a: =\n", False),
    "two documents": ("a: 1\n---\nb: 2\n", False),
    "a list at the top": ("- a\n- b\n", False),
    "a text at the top": ("hello\n", False),
    "an empty file": ("", False),
    "only null": ("~\n", False),
    "broken YAML": ("a: [1,\n", False),
    "a tab": ("a:\n\tb: 1\n", False),
    "a long file": ("id: x\nnote: '" + "a" * QUICK_TEXT + "'\n", False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_quick_and_careful_readings_agree(tmp_path, name):
    text, quick = CASES[name]
    assert (_Quick.read(text.lstrip("\ufeff")) is not None) is quick
    got, reference = both(tmp_path / "r.yaml", text)
    assert got == reference


def test_the_quick_reading_reports_what_it_cleaned(tmp_path):
    """Not only equal to the careful reading: the warnings are there, on the right lines."""
    text = 'id: x\nname:\n  vi: "Đa\u0300 La\u0323t"\nweb: "a\\x07b"\n'
    assert _Quick.read(text) is not None
    (data, lines, problems), _ = both(tmp_path / "r.yaml", text)
    assert "'Đà Lạt'" in data and "'a b'" in data  # a removed character between two words leaves a space
    assert lines[("name", "vi")] == 3 and lines[("name",)] == 2
    assert [(p.line, p.field) for p in problems] == [(4, "web"), (3, "name.vi")]


def test_every_sample_record_is_read_quickly_and_the_same(tmp_path):
    records = sorted((PROJECT / "products").rglob("*.yaml")) + sorted((PROJECT / "content").rglob("*.yaml"))
    assert len(records) >= 20
    for record in records:
        text = record.read_text(encoding="utf-8-sig")
        assert _Quick.read(text) is not None, record
        got, reference = both(tmp_path / record.name, text)
        assert got == reference, record


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["yes", "No", "~", "0x1f", "1:20", "2021-02-30", "HTTPS://A.vn", "e\u0301", "a\x1bb", "*a", "&b"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=15,
)
BITS = st.sampled_from(
    ["&a ", "*a", "[", "]", "{", "}", "? ", ": ", "- ", "\n", "  ", "!!str ", "!!int ", "---\n", "'", '"', "<<: "]
)


@FUZZ
@given(data=st.dictionaries(st.text(max_size=8), VALUES, max_size=6), flow=st.sampled_from([None, True, False]))
def test_any_data_dumped_as_yaml_is_read_the_same_both_ways(data, flow):
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    with tempfile.TemporaryDirectory() as tmp:
        got, reference = both(Path(tmp) / "r.yaml", text)
    assert got == reference


@FUZZ
@given(pieces=st.lists(st.one_of(BITS, st.text(max_size=6)), max_size=30))
def test_any_text_is_read_the_same_both_ways(pieces):
    text = "id: x\n" + "".join(pieces)
    with tempfile.TemporaryDirectory() as tmp:
        got, reference = both(Path(tmp) / "r.yaml", text)
    assert got == reference
