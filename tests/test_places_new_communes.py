"""A record that names its former district and, on a certificate since 1/7/2025, a current commune.

Real place data (vietnamadminunits): the former Xã Hòa Thắng of Bắc Bình (Bình Thuận) was split between the
current Xã Hòa Thắng and Xã Hồng Thái of Lâm Đồng; Lộc Ninh (Bình Phước) went into Xã Lộc Thạnh and Xã Lộc
Thành of Đồng Nai, whose names differ only in their tone marks.
"""

from datetime import date

import pytest

from ocop.certifiers import REFORM as CERTIFIERS_REFORM
from ocop.places import (
    REFORM,
    AmbiguousPlace,
    CommuneNotFromDistrict,
    CommuneSpansDistricts,
    latest_issued,
    locate,
    read_scope,
)
from ocop.records import read_records

BEFORE, SINCE = date(2024, 5, 2), date(2026, 1, 10)
RECORD = """id: bt-bb-099
slug: thu
name: {{vi: Thử}}
group: food
producer: {{name: HTX Thử, kind: cooperative}}
{place}
certificates:
  - {{stars: 3, decision: 1/QĐ-UBND, date: {date}, issuer: UBND tỉnh Lâm Đồng}}
"""


@pytest.fixture(scope="module")
def lam_dong():
    return read_scope("Lâm Đồng")


def test_the_reform_day_is_the_certifier_rules_day():
    assert REFORM == CERTIFIERS_REFORM == date(2025, 7, 1)


def test_a_split_former_commune_named_since_the_reform_is_the_current_commune(lam_dong):
    before = locate(None, "Bắc Bình", "Hòa Thắng", lam_dong, BEFORE).place
    assert before.former_commune.full_name == "Xã Hòa Thắng" and before.commune is None  # which part is unknown
    for written in ("Hòa Thắng", "Xã Hòa Thắng", "xã Hoà Thắng"):
        since = locate(None, "Bắc Bình", written, lam_dong, SINCE).place
        assert (since.commune.full_name, since.commune.province.name, since.former_commune) == (
            "Xã Hòa Thắng",
            "Lâm Đồng",
            None,
        )
        assert since.district.name == "Bắc Bình"
    assert locate(None, "Bắc Bình", "Hòa Thắng", lam_dong, REFORM).place.commune.full_name == "Xã Hòa Thắng"
    assert locate(None, "Bắc Bình", "Hòa Thắng", lam_dong).place.commune is None  # no date: as before


def test_the_other_part_and_a_name_without_tone_marks(lam_dong):
    other = locate(None, "Bắc Bình", "Xã Hồng Thái", lam_dong, SINCE).place
    assert other.commune.full_name == "Xã Hồng Thái" and other.former_commune is None
    located = locate(None, "Bắc Bình", "Hoa Thang", lam_dong, SINCE)
    assert located.place.commune.full_name == "Xã Hòa Thắng"
    assert [(n.field, n.kind, n.read_as) for n in located.notes] == [
        ("commune", "read_as", "Xã Hòa Thắng, Tỉnh Lâm Đồng")
    ]


def test_names_of_communes_of_the_district_that_differ_in_tones_are_candidates(lam_dong):
    with pytest.raises(AmbiguousPlace) as exc:
        locate("Đồng Nai", "Lộc Ninh", "Loc Thanh", lam_dong, SINCE)
    assert sorted(c.full_name for c in exc.value.candidates) == ["Xã Lộc Thành", "Xã Lộc Thạnh"]
    assert exc.value.within == ("Huyện Lộc Ninh",)
    assert locate("Đồng Nai", "Lộc Ninh", "Xã Lộc Thạnh", lam_dong, SINCE).place.commune.full_name == "Xã Lộc Thạnh"


def test_a_commune_of_another_district_is_still_refused(lam_dong):
    with pytest.raises(CommuneNotFromDistrict) as exc:
        locate(None, "Đức Linh", "Phường Hàm Thắng", lam_dong, SINCE)
    assert (exc.value.commune.full_name, exc.value.district.name) == ("Phường Hàm Thắng", "Đức Linh")
    # formed from communes of two former districts: the district written says which one
    assert locate(None, "Hàm Thuận Bắc", "Phường Hàm Thắng", lam_dong, SINCE).place.district.name == "Hàm Thuận Bắc"
    with pytest.raises(CommuneSpansDistricts) as spans:
        locate(None, None, "Phường Hàm Thắng", lam_dong, SINCE)
    assert [d.full_name for d in spans.value.districts] == ["Thành phố Phan Thiết", "Huyện Hàm Thuận Bắc"]


def test_a_former_commune_or_a_hamlet_on_a_recent_certificate_reads_as_before(lam_dong):
    kept = locate(None, "Tuy Phong", "Phong Phú", lam_dong, SINCE).place  # not a current commune's name
    assert kept.former_commune.full_name == "Xã Phong Phú" and kept.commune is None
    hamlet = locate(None, "Đức Linh", "Thôn 3 Võ Xu", lam_dong, SINCE)
    assert hamlet.place.commune is None and hamlet.notes[0].kind == "commune_kept"


def test_latest_issued_reads_the_certificates_as_written():
    assert latest_issued([{"date": date(2023, 1, 2)}, {"date": "2025-08-01"}, {"date": "15/10/2025"}, "x"]) == date(
        2025, 8, 1
    )
    assert latest_issued(None) is None and latest_issued([{"stars": 3}]) is None


@pytest.mark.parametrize(
    ("day", "commune", "former"), [("2024-05-02", None, "Xã Hòa Thắng"), ("2026-01-10", "Xã Hòa Thắng", None)]
)
def test_a_record_is_read_on_the_map_of_its_latest_certificate(tmp_path, day, commune, former):
    products = tmp_path / "products"
    products.mkdir()
    place = "district: Bắc Bình\ncommune: Hòa Thắng"
    (products / "thu.yaml").write_text(RECORD.format(place=place, date=day), encoding="utf-8")
    (product,), problems = read_records(products, "Lâm Đồng")
    assert [p for p in problems if p.severity.value == "error"] == []
    found = product.place
    assert (found.commune.full_name if found.commune else None) == commune
    assert (found.former_commune.full_name if found.former_commune else None) == former
    assert product.commune == "Hòa Thắng"  # shown as written


def test_an_import_row_with_its_former_district_and_a_new_commune(tmp_path):
    """ocop import reads a row as records are read: the row's date says which map its commune is on."""
    from ocop.decisions import Options, plan_import
    from ocop.index import build_index

    from conftest import PROJECT
    from decision_tables import xlsx

    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Tỉnh", "Huyện", "Xã/Phường", "Hạng sao", "Số quyết định", "Ngày"]
    rows = [
        [1, "Dưa lưới Hòa Thắng", "HTX Dưa lưới Hòa Thắng", None, "Bắc Bình", "xã Hòa Thắng", 3, "7/QĐ", "1/9/2026"],
        [2, "Hành tím Hòa Thắng", "HTX Hành tím Hòa Thắng", None, "Bắc Bình", "xã Hòa Thắng", 3, "8/QĐ", "1/9/2024"],
        [3, "Điều Lộc Ninh", "HTX Điều Lộc Ninh", "Đồng Nai", "Lộc Ninh", "xã Loc Thanh", 3, "9/QĐ", "1/9/2026"],
    ]
    table = xlsx(tmp_path / "t.xlsx", rows, header=header, title=None)
    plan = plan_import(table, build_index(PROJECT / "products", use_cache=False), Options(scope="Lâm Đồng"))
    by_row = {r.row: r for r in plan.new}
    melon = by_row[2]  # 2026: today's Xã Hòa Thắng, formed from part of the former one
    assert (melon.located.commune.full_name, melon.located.district.name) == ("Xã Hòa Thắng", "Bắc Bình")
    assert melon.id == "ld-ht-0001" and melon.folder == "lam-dong"
    onion = by_row[3]  # 2024: the former commune, whose part is unknown on today's map
    assert onion.located.commune is None and onion.located.former_commune.full_name == "Xã Hòa Thắng"
    assert onion.id == "bt-bb-0005"  # after the sample's bt-bb-0004
    # two communes formed from Lộc Ninh's differ only in their tones: the row is refused, naming both
    assert 4 not in by_row
    (problem,) = [p for p in plan.problems if p.row == 4]
    text = rendered(problem)
    assert "Xã Lộc Thạnh" in text and "Xã Lộc Thành" in text


def rendered(problem) -> str:
    from ocop.staff import format_problem

    return format_problem(problem)
