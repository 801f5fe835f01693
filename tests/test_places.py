"""Both maps of Vietnam (before and since 1/7/2025), the conversion between them, and how records name places.

Every test reads the real place data (vietnamadminunits 1.0.4): no mock of the gazetteer.
"""

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from ocop.places import (
    CURRENT,
    FORMER,
    AmbiguousPlace,
    Commune,
    CommuneNotFromDistrict,
    CommuneSpansDistricts,
    District,
    FormerCommune,
    FormerProvince,
    NeedsProvince,
    NoPlace,
    Province,
    Scope,
    UnknownPlace,
    gazetteer,
    locate,
    read_scope,
)
from ocop.records import read_records
from ocop.settings import read_site, scope_setting, value

DATA = Path(__file__).parent / "data"
LAM_DONG = "Lâm Đồng"


@pytest.fixture(scope="module")
def g():
    return gazetteer()


@pytest.fixture(scope="module")
def lam_dong():
    return read_scope(LAM_DONG)


def names(places) -> set[str]:
    return {p.full_name for p in places}


# --- the data -----------------------------------------------------------------------------------


def test_both_maps_are_complete(g):
    assert len(g.current_provinces) == 34 and len(g.communes) == 3321
    assert len(g.former_provinces) == 63 and len(g.all_districts) == 696 and len(g.former_communes) == 10035
    kinds = [c.kind for c in g.communes]
    assert (kinds.count("commune"), kinds.count("ward"), kinds.count("special_zone")) == (2621, 687, 13)
    assert {p.era for p in g.current_provinces} == {CURRENT} and {p.era for p in g.former_provinces} == {FORMER}
    # every former province went whole into exactly one current province; every current commune has sources
    assert {fp.current for fp in g.former_provinces} == set(g.current_provinces)
    assert all(c.sources and c.former_districts for c in g.communes)


def test_names_and_kinds_as_people_write_them(g):
    hanoi = g.find_province("Hà Nội").place
    assert (hanoi.full_name, hanoi.kind, hanoi.slug) == ("Thành phố Hà Nội", "city", "ha-noi")
    lam = g.find_province("Tỉnh Lâm Đồng").place
    assert (lam.name, lam.full_name, lam.kind, lam.code) == ("Lâm Đồng", "Tỉnh Lâm Đồng", "province", 68)
    dong_giang = g.find_commune("Xã Đông Giang", lam).place
    assert (dong_giang.name, dong_giang.full_name, dong_giang.kind, dong_giang.slug) == (
        "Đông Giang",
        "Xã Đông Giang",
        "commune",
        "dong-giang",
    )
    phu_quy = g.find_district("Phú Quí", lam).place  # the data's spelling; certificates write Phú Quý
    assert (phu_quy.name, phu_quy.full_name, phu_quy.slug) == ("Phú Quý", "Huyện Phú Quý", "phu-quy")
    assert g.find_commune("Đặc khu Phú Quý", lam).place.kind == "special_zone"
    assert g.find_district("Quận 1", g.find_province("Hồ Chí Minh").place).place.name == "Quận 1"


def test_every_published_slug_is_kept():
    """Province and district URLs published before the reform do not change (table made from vietnam-provinces
    0.6.0, the data used before). Of the six same-name pairs in one province, the one that always answered to the
    bare name keeps its slug; the other, which had no page of its own, takes its full name."""
    g = gazetteer()
    old = json.loads((DATA / "old_slugs.json").read_text(encoding="utf-8"))
    for code, was in old["provinces"].items():
        assert g.by_code[("FormerProvince", int(code))].slug == was["slug"]
    renamed = {}
    for code, was in old["districts"].items():
        d = g.by_code[("District", int(code))]
        assert d.province.code == was["province"]
        if was["resolved_by_name"]:
            assert d.slug == was["slug"], was
        else:
            renamed[was["full_name"]] = d.slug
    assert renamed == {
        "Huyện Kỳ Anh": "huyen-ky-anh",
        "Thị xã Cai Lậy": "thi-xa-cai-lay",
        "Huyện Duyên Hải": "huyen-duyen-hai",
        "Thành phố Cao Lãnh": "thanh-pho-cao-lanh",
        "Thành phố Hồng Ngự": "thanh-pho-hong-ngu",
        "Huyện Long Mỹ": "huyen-long-my",
    }
    assert len({(d.province, d.slug) for d in g.all_districts}) == 696
    assert len({(c.province, c.slug) for c in g.communes}) == 3321


def test_conversion_between_the_maps(g):
    current = {p: g.find_former_province(p).place.current.name for p in ("Bình Thuận", "Đắk Nông", "Ninh Thuận")}
    assert current == {"Bình Thuận": LAM_DONG, "Đắk Nông": LAM_DONG, "Ninh Thuận": "Khánh Hòa"}
    assert g.find_former_province("Bình Phước").place.current.name == "Đồng Nai"
    lam = g.find_province(LAM_DONG).place
    assert [fp.name for fp in lam.former] == ["Bình Thuận", "Đắk Nông", LAM_DONG]
    htb = g.find_district("Hàm Thuận Bắc", lam).place
    assert names(htb.successors) == {
        "Phường Bình Thuận",
        "Phường Hàm Thắng",
        "Xã Hàm Liêm",
        "Xã Hàm Thuận",
        "Xã Hàm Thuận Bắc",
        "Xã Hồng Sơn",
        "Xã La Dạ",
        "Xã Đông Giang",
    }
    dong_giang = g.find_commune("Đông Giang", lam).place
    assert [(s.full_name, s.district.name) for s in dong_giang.sources] == [
        ("Xã Đông Tiến", "Hàm Thuận Bắc"),
        ("Xã Đông Giang", "Hàm Thuận Bắc"),
    ]
    assert g.find_district("Phú Quý", lam).place.successors == (g.find_commune("Đặc khu Phú Quý", lam).place,)
    bt = g.find_former_province("Bình Thuận").place
    bt_communes = [c for d in g.districts_of(bt) for c in g.former_communes_of(d)]
    assert len(bt_communes) == 121 and len({s for c in bt_communes for s in c.successors}) == 45


def test_places_are_shared_objects_even_through_pickle(g):
    lam = g.find_province(LAM_DONG).place
    place = locate(None, None, "Xã Đông Giang", read_scope(LAM_DONG)).place
    for thing in (lam, place.commune, place.district, place.former_province, g.former_communes[0]):
        assert pickle.loads(pickle.dumps(thing)) is thing
    assert pickle.loads(pickle.dumps(place)) == place


def test_loading_is_quick_and_never_imports_the_package():
    """The package's own import loads shapely and a geocoder (which may call the network): only its files are
    read. Loading takes about 0.3 s of processor time; the bound leaves room for a busy machine."""
    code = (
        "import sys, time; t = time.process_time(); from ocop.places import gazetteer; gazetteer(); "
        "t = time.process_time() - t; "
        "assert not {'vietnamadminunits', 'shapely', 'geopy', 'numpy'} & set(sys.modules), sys.modules.keys(); "
        "assert t < 1, t"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Phan Thiết", "TP Phan Thiết", "TP. Phan Thiết", "Thành phố Phan Thiết", "thành phố phan thiết"]
)
def test_district_names_with_or_without_their_prefix(g, text):
    assert g.find_district(text, g.find_province(LAM_DONG).place).place.full_name == "Thành phố Phan Thiết"


def test_old_and_new_tone_placement_meet(g):
    lam = g.find_province(LAM_DONG).place
    assert g.find_former_province("Khánh Hoà").place is g.find_former_province("Khánh Hòa").place
    assert g.find_commune("Xã Hoà Thắng", lam).place is g.find_commune("Hòa Thắng", lam).place
    assert g.find_province("Khánh Hoà").place.name == "Khánh Hòa"


def test_a_unique_name_without_tone_marks_is_read_as_it(g):
    found = g.find_district("Tanh Linh", g.find_province(LAM_DONG).place)
    assert found.place.full_name == "Huyện Tánh Linh" and found.read_as == "Huyện Tánh Linh, Tỉnh Bình Thuận"
    assert g.find_commune("phuong mui ne").read_as == "Phường Mũi Né, Tỉnh Lâm Đồng"
    assert g.find_district("Tánh Linh").read_as is None


def test_an_ambiguous_name_lists_its_candidates(g):
    with pytest.raises(AmbiguousPlace) as exc:
        g.find_commune("Loc Thanh", g.find_province("Đồng Nai").place)
    assert exc.value.unaccented and names(exc.value.candidates) == {"Xã Lộc Thạnh", "Xã Lộc Thành"}
    with pytest.raises(AmbiguousPlace) as exc:
        g.find_commune("Đông Giang")  # in Lâm Đồng and in Đà Nẵng
    assert {c.province.name for c in exc.value.candidates} == {LAM_DONG, "Đà Nẵng"}


def test_same_name_districts_of_one_province_are_told_apart_by_their_prefix(g):
    ha_tinh = g.find_province("Hà Tĩnh").place
    with pytest.raises(AmbiguousPlace) as exc:
        g.find_district("Kỳ Anh", ha_tinh)
    assert names(exc.value.candidates) == {"Huyện Kỳ Anh", "Thị xã Kỳ Anh"}
    assert g.find_district("Thị xã Kỳ Anh", ha_tinh).place.slug == "ky-anh"
    assert g.find_district("Huyện Kỳ Anh", ha_tinh).place.slug == "huyen-ky-anh"
    assert g.district(ha_tinh, "Kỳ Anh").kind == "town"  # the old lookup keeps its old answer


def test_unknown_names_get_suggestions(g):
    with pytest.raises(UnknownPlace) as exc:
        g.find_district("Phan Thiêt", g.find_province(LAM_DONG).place)
    assert exc.value.suggestions[0] == "Phan Thiết"


# --- records' places ----------------------------------------------------------------------------


def test_a_record_of_before_the_reform(lam_dong):
    place = locate(None, "Phan Thiết", "Phú Thủy", lam_dong).place
    assert (place.era, place.province.name, place.former_province.name, place.district.name) == (
        FORMER,
        LAM_DONG,
        "Bình Thuận",
        "Phan Thiết",
    )
    assert place.former_commune.full_name == "Phường Phú Thủy" and place.commune.full_name == "Phường Phú Thủy"
    assert locate("Bình Thuận", "Đức Linh", None, Scope()).place.commune is None  # several current communes


def test_a_record_of_since_the_reform_derives_the_former_district(lam_dong):
    place = locate(LAM_DONG, None, "Xã Đông Giang", lam_dong).place
    assert (place.era, place.commune.full_name, place.district.full_name, place.former_province.name) == (
        CURRENT,
        "Xã Đông Giang",
        "Huyện Hàm Thuận Bắc",
        "Bình Thuận",
    )
    assert locate(None, None, "Phường Mũi Né", lam_dong).place.district.full_name == "Thành phố Phan Thiết"
    assert locate(None, None, "Xã Đức Linh", lam_dong).place.district.name == "Đức Linh"


def test_a_commune_formed_from_several_districts_needs_the_district(lam_dong):
    with pytest.raises(CommuneSpansDistricts) as exc:
        locate(None, None, "Phường Hàm Thắng", lam_dong)
    assert [d.name for d in exc.value.districts] == ["Phan Thiết", "Hàm Thuận Bắc"]
    place = locate(None, "Hàm Thuận Bắc", "Phường Hàm Thắng", lam_dong).place
    assert (place.commune.full_name, place.district.name, place.former_commune) == (
        "Phường Hàm Thắng",
        "Hàm Thuận Bắc",
        None,
    )
    with pytest.raises(CommuneNotFromDistrict):
        locate(None, "Đức Linh", "Phường Hàm Thắng", lam_dong)


def test_other_provinces_of_the_sample(lam_dong):
    tua_chua = locate("Điện Biên", "Tủa Chùa", None, lam_dong).place
    assert (tua_chua.province.name, tua_chua.district.name) == ("Điện Biên", "Tủa Chùa")
    with pytest.raises(CommuneSpansDistricts) as exc:  # formed from communes of Tủa Chùa and Tuần Giáo
        locate("Điện Biên", None, "Xã Sáng Nhè", lam_dong)
    assert {d.name for d in exc.value.districts} == {"Tủa Chùa", "Tuần Giáo"}
    assert locate("Điện Biên", "Tủa Chùa", "Xã Sáng Nhè", lam_dong).place.commune.name == "Sáng Nhè"
    binh_phuoc = locate("Đồng Nai", "Đồng Phú", None, lam_dong).place  # a former district of Bình Phước
    assert (binh_phuoc.province.name, binh_phuoc.former_province.name) == ("Đồng Nai", "Bình Phước")
    assert locate("Bình Phước", "Đồng Phú", None, lam_dong).place == binh_phuoc
    ninh_thuan = locate("Khánh Hòa", "Ninh Hải", None, lam_dong).place
    assert (ninh_thuan.province.name, ninh_thuan.former_province.name) == ("Khánh Hòa", "Ninh Thuận")


def test_a_former_province_written_is_looked_in_first(lam_dong):
    """Current An Giang holds former An Giang and Kiên Giang, which both had a Châu Thành: a certificate of before
    that says "An Giang" means the former one. A current province's name still finds every district it holds."""
    assert locate("An Giang", "Châu Thành", None, lam_dong).place.former_province.name == "An Giang"
    assert locate("Kiên Giang", "Châu Thành", None, lam_dong).place.former_province.name == "Kiên Giang"
    assert locate(LAM_DONG, "Phan Thiết", None, lam_dong).place.former_province.name == "Bình Thuận"
    assert locate(LAM_DONG, "Đà Lạt", None, lam_dong).place.former_province.name == LAM_DONG
    assert locate(None, "Phan Thiết", None, read_scope("Bình Thuận")).place.district.name == "Phan Thiết"


def test_scope(g):
    assert read_scope("national").national and read_scope(None).national and read_scope("national").default is None
    assert read_scope("Bình Thuận").default is g.find_province(LAM_DONG).place  # a former name: its province now
    two = read_scope([LAM_DONG, "Khánh Hòa"])
    assert two.default is None and g.find_former_province("Ninh Thuận").place in two
    with pytest.raises(UnknownPlace):
        read_scope("Xứ Sở")
    with pytest.raises(NeedsProvince):
        locate(None, "Phan Thiết", None, Scope())
    with pytest.raises(NeedsProvince):
        locate(None, "Phan Thiết", None, two)
    with pytest.raises(NoPlace):
        locate(LAM_DONG, None, None, two)


def test_scope_setting_and_its_deprecated_alias(tmp_path):
    (tmp_path / "pelicanconf.py").write_text('OCOP_SCOPE = ["Lâm Đồng", "Khánh Hòa"]\n', encoding="utf-8")
    site = read_site(tmp_path)
    assert site.province is None and [p.name for p in site.scope.provinces] == [LAM_DONG, "Khánh Hòa"]
    (tmp_path / "pelicanconf.py").write_text('OCOP_PROVINCE = "Bình Thuận"\n', encoding="utf-8")
    site = read_site(tmp_path)
    assert site.province == "Bình Thuận" and site.scope.default.name == LAM_DONG
    assert value(site.settings, "OCOP_SCOPE") == value(site.settings, "OCOP_PROVINCE") == "Bình Thuận"
    national = site.with_overrides({"OCOP_SCOPE": "national"})
    assert national.scope.national and national.province is None
    assert scope_setting({"OCOP_PROVINCE": "Điện Biên"}) == "Điện Biên"


# --- records, with their messages ---------------------------------------------------------------

RECORD = """id: t-0001
name: {{vi: Nước mắm thử, en: Test fish sauce}}
group: food
{place}
producer: {{name: Cơ sở thử, kind: household}}
certificates:
  - {{stars: 3, decision: 1/QĐ-UBND, date: "{date}", issuer: UBND tỉnh Lâm Đồng}}
"""


def read_one(tmp_path, place: str, scope="Lâm Đồng", date="2026-01-10"):
    products = tmp_path / "products"
    products.mkdir(exist_ok=True)
    (products / "thu.yaml").write_text(RECORD.format(place=place, date=date), encoding="utf-8")
    return read_records(products, scope)


def test_a_post_reform_record_builds_with_both_maps(tmp_path):
    (product,), problems = read_one(tmp_path, "province: Lâm Đồng\ncommune: Xã Đông Giang")
    assert problems == []
    assert (product.place.commune.full_name, product.district.name, product.province.name) == (
        "Xã Đông Giang",
        "Hàm Thuận Bắc",
        "Bình Thuận",
    )
    assert product.current_province.name == LAM_DONG and product.commune == "Xã Đông Giang"


def test_record_messages(tmp_path):
    _, (problem,) = read_one(tmp_path, "commune: Phường Hàm Thắng")
    assert (problem.field, problem.severity.value) == ("commune", "error")
    assert problem.message == (
        "Phường Hàm Thắng, Tỉnh Lâm Đồng was formed from parts of Thành phố Phan Thiết or Huyện Hàm Thuận Bắc;"
        " write `district:` to say which (the district before the 2025 reform)"
    )
    assert problem.text("vi").startswith("Phường Hàm Thắng, Tỉnh Lâm Đồng được lập từ các phần của Thành phố Phan")
    (product,), (warning,) = read_one(tmp_path, "district: Tanh Linh")
    assert product.district.name == "Tánh Linh" and warning.severity.value == "warning"
    assert warning.text("vi") == (
        "gặp 'Tanh Linh', viết không dấu, đã hiểu là Huyện Tánh Linh, Tỉnh Bình Thuận; hãy viết tên có dấu cho chắc"
        " chắn"
    )
    _, (problem,) = read_one(tmp_path, "province: Đồng Nai\ncommune: Loc Thanh")
    assert problem.severity.value == "error" and "Xã Lộc Thạnh" in problem.message and "Xã Lộc Thành" in problem.message
    _, (problem,) = read_one(tmp_path, "district: Phan Thiết", scope="national")
    assert problem.field == "province" and "OCOP_SCOPE" in problem.message and "cả nước" in problem.text("vi")
    _, (problem,) = read_one(tmp_path, "province: Lâm Đồng")
    assert problem.field == "district" and "`commune:`" in problem.message
    (product,), (warning,) = read_one(tmp_path, "district: Đức Linh\ncommune: Thôn 3 Võ Xu")
    assert product.commune == "Thôn 3 Võ Xu" and warning.field == "commune" and "shown as written" in warning.message


@pytest.mark.parametrize("klass", [Province, FormerProvince, District, Commune, FormerCommune])
def test_every_kind_of_place_is_reachable_by_its_code(g, klass):
    sample = {
        Province: g.current_provinces,
        FormerProvince: g.former_provinces,
        District: g.all_districts,
        Commune: g.communes,
        FormerCommune: g.former_communes,
    }[klass][0]
    assert g.by_code[(klass.__name__, sample.code)] is sample
