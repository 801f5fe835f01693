"""Who may certify, and when: issuers read from free text, checked against the rules of their date,
named for staff tools and in English; certificates dated after the build date."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from ocop import certifiers
from ocop.certificates import Certificate, as_of, current, in_force
from ocop.certifiers import MAE, MARD, Level, Place, check, english, parse
from ocop.places import gazetteer
from ocop.problems import Severity
from ocop.records import later_certificates, read_records

from conftest import write

DUC_LINH = Place("Bình Thuận", "Huyện Đức Linh")  # before the reform
PHAN_THIET = Place("Bình Thuận", "Thành phố Phan Thiết")
LAM_DONG = Place("Lâm Đồng")  # since 1/7/2025


def district(province: str, name: str):
    gaz = gazetteer()
    return gaz.district(gaz.province(province), name)


@pytest.mark.parametrize(
    "text, level, name",
    [
        ("UBND tỉnh Bình Thuận", Level.PROVINCE, "Bình Thuận"),
        ("Ủy ban nhân dân tỉnh Bình Thuận", Level.PROVINCE, "Bình Thuận"),
        ("Uỷ ban Nhân dân Tỉnh Bình Thuận", Level.PROVINCE, "Bình Thuận"),  # old tone placement, capitals
        ("Chủ tịch UBND tỉnh Lâm Đồng", Level.PROVINCE, "Lâm Đồng"),
        ("UBND huyện Đức Linh", Level.DISTRICT, "Đức Linh"),
        ("UBND TP Phan Thiết", Level.DISTRICT, "Phan Thiết"),  # a city inside a province
        ("UBND TP. Phan Thiết", Level.DISTRICT, "Phan Thiết"),
        ("UBND thị xã La Gi", Level.DISTRICT, "La Gi"),
        ("UBND thành phố Hà Nội", Level.PROVINCE, "Hà Nội"),  # a centrally run city
        ("UBND TP.HCM", Level.PROVINCE, "Hồ Chí Minh"),
        ("Bộ Nông nghiệp và Phát triển nông thôn", Level.MINISTRY, MARD),
        ("Bộ NN&PTNT", Level.MINISTRY, MARD),
        ("Bộ Nông nghiệp và Môi trường", Level.MINISTRY, MAE),
        ("Hội đồng OCOP", None, ""),
    ],
)
def test_issuers_are_read_from_free_text(text, level, name):
    found = parse(text)
    assert (found.level, found.name) == (level, name)


def test_rules_by_date():
    assert certifiers.level(3, date(2022, 12, 1)) is Level.PROVINCE  # before 148/QĐ-TTg
    assert certifiers.level(3, date(2023, 2, 24)) is Level.DISTRICT  # 148/QĐ-TTg, from its day
    assert certifiers.level(4, date(2024, 6, 1)) is Level.PROVINCE
    assert certifiers.level(3, date(2025, 6, 30)) is Level.DISTRICT
    assert certifiers.level(3, date(2025, 7, 1)) is Level.PROVINCE  # no districts any more
    assert certifiers.level(5, date(2019, 1, 1)) is Level.MINISTRY
    assert certifiers.ministry(date(2025, 2, 28)) == MARD and certifiers.ministry(date(2025, 3, 1)) == MAE


def test_right_issuers_pass():
    assert check("UBND tỉnh Bình Thuận", 4, date(2021, 12, 24), PHAN_THIET) is None
    assert check("UBND tỉnh Bình Thuận", 3, date(2022, 5, 1), DUC_LINH) is None
    assert check("UBND huyện Đức Linh", 3, date(2023, 12, 1), DUC_LINH) is None
    assert check("UBND TP Phan Thiết", 3, date(2024, 5, 1), PHAN_THIET) is None
    assert check("Ủy ban nhân dân tỉnh Lâm Đồng", 3, date(2026, 1, 15), LAM_DONG) is None
    assert check("Bộ NN&PTNT", 5, date(2023, 8, 1), PHAN_THIET) is None
    assert check("UBND Bình Thuận", 4, date(2024, 1, 1), PHAN_THIET) is None  # no unit word: the place tells


def test_wrong_level_names_the_body_that_should_have_signed():
    four_by_district = check("UBND huyện Đức Linh", 4, date(2022, 3, 1), DUC_LINH)
    assert (four_by_district.reason, four_by_district.expected) == ("level", "UBND tỉnh Bình Thuận")
    three_after_reform = check("UBND huyện Đức Linh", 3, date(2026, 3, 1), LAM_DONG)
    assert (three_after_reform.reason, three_after_reform.expected) == ("level", "UBND tỉnh Lâm Đồng")
    five_by_province = check("UBND tỉnh Bình Thuận", 5, date(2024, 3, 1), PHAN_THIET)
    assert (five_by_province.reason, five_by_province.expected) == ("level", MARD)
    assert check("Bộ NN&PTNT", 5, date(2025, 9, 1), LAM_DONG).expected == MAE  # renamed on 1/3/2025


def test_a_province_that_did_not_sign_on_that_day():
    gone = check("UBND tỉnh Bình Thuận", 4, date(2026, 1, 15), LAM_DONG)  # merged into Lâm Đồng on 1/7/2025
    assert (gone.reason, gone.expected) == ("place", "UBND tỉnh Lâm Đồng")
    early = check("UBND tỉnh Lâm Đồng", 4, date(2024, 6, 1), PHAN_THIET)  # another province in 2024
    assert (early.reason, early.expected) == ("place", "UBND tỉnh Bình Thuận")
    other_district = check("UBND huyện Tánh Linh", 3, date(2024, 6, 1), DUC_LINH)
    assert (other_district.reason, other_district.expected) == ("place", "UBND huyện Đức Linh")


def test_provinces_on_a_date():
    assert certifiers.province_on("Bình Thuận", date(2025, 6, 30)) == "Bình Thuận"
    assert certifiers.province_on("Bình Thuận", date(2025, 7, 1)) == "Lâm Đồng"
    assert certifiers.province_on("Bình Phước", date(2026, 1, 1)) == "Đồng Nai"
    assert certifiers.province_on("Ninh Thuận", date(2026, 1, 1)) == "Khánh Hòa"
    assert certifiers.province_on("Điện Biên", date(2026, 1, 1)) == "Điện Biên"
    assert certifiers.province_on("Huế", date(2024, 6, 1)) == "Thừa Thiên Huế"  # a city from 1/1/2025
    assert certifiers.province_full_name("Hà Nội") == "Thành phố Hà Nội"
    assert certifiers.province_full_name("Lâm Đồng") == "Tỉnh Lâm Đồng"
    assert certifiers.province_full_name("Huế") == "Thành phố Huế"


def test_default_issuers_use_real_names():
    from ocop.authoring import default_issuer

    assert default_issuer(4, date(2026, 3, 1), district("Hà Nội", "Ba Đình")) == "UBND thành phố Hà Nội"
    assert default_issuer(4, date(2026, 3, 1), district("Bình Phước", "Đồng Xoài")) == "UBND tỉnh Đồng Nai"
    assert default_issuer(3, date(2026, 3, 1), district("Bình Thuận", "Đức Linh")) == "UBND tỉnh Lâm Đồng"
    assert default_issuer(3, date(2024, 3, 1), district("Bình Thuận", "Đức Linh")) == "UBND huyện Đức Linh"
    assert default_issuer(3, date(2024, 3, 1), district("Bình Thuận", "Phan Thiết")) == "UBND thành phố Phan Thiết"
    assert default_issuer(3, date(2022, 3, 1), district("Bình Thuận", "Đức Linh")) == "UBND tỉnh Bình Thuận"
    assert default_issuer(4, date(2024, 3, 1), district("Huế", "Phú Vang")) == "UBND tỉnh Thừa Thiên Huế"
    assert default_issuer(5, date(2024, 3, 1), district("Bình Phước", "Đồng Xoài")) == MARD
    assert default_issuer(5, date(2026, 3, 1), district("Bình Phước", "Đồng Xoài")) == MAE
    for stars, day in ((3, date(2022, 1, 5)), (3, date(2024, 1, 5)), (4, date(2026, 1, 5)), (5, date(2026, 1, 5))):
        issued = default_issuer(stars, day, district("Bình Thuận", "Đức Linh"))
        place = DUC_LINH if day < certifiers.REFORM else LAM_DONG
        assert check(issued, stars, day, place) is None, "what the staff tools write passes the check"


def test_english_names_of_issuing_bodies():
    assert english("UBND tỉnh Lâm Đồng") == "Lâm Đồng Provincial People's Committee"
    assert english("Ủy ban nhân dân tỉnh Bình Thuận") == "Bình Thuận Provincial People's Committee"
    assert english("UBND huyện Đức Linh") == "Đức Linh District People's Committee"
    assert english("UBND TP Phan Thiết") == "Phan Thiết City People's Committee"
    assert english("UBND thị xã La Gi") == "La Gi Town People's Committee"
    assert english("UBND thành phố Hà Nội") == "Hà Nội City People's Committee"
    assert english("Chủ tịch UBND tỉnh Lâm Đồng") == "Chairman of the Lâm Đồng Provincial People's Committee"
    assert english("Bộ Nông nghiệp và Môi trường") == "Ministry of Agriculture and Environment"
    assert english("Bộ Nông nghiệp và Phát triển nông thôn") == "Ministry of Agriculture and Rural Development"
    assert english("Hội đồng OCOP") is None  # unreadable: pages keep the Vietnamese words


# --- the checks on records -----------------------------------------------------------------------

RECORD = """\
id: {id}
name: {{vi: "Sản phẩm thử"}}
group: food
province: {province}
district: {district}
producer: {{name: HTX Thử, kind: cooperative}}
certificates:
{certificates}
"""


def record(certificates: str, id_: str = "bt-dl-9001", province: str = "Bình Thuận", district_: str = "Đức Linh"):
    return RECORD.format(id=id_, province=province, district=district_, certificates=certificates)


def cert(stars: int, day: str, issuer: str, extra: str = "") -> str:
    return f"  - {{stars: {stars}, decision: 1/QĐ-UBND, date: {day}, issuer: {issuer}{extra}}}"


def warnings(products_dir, text: str) -> dict[str, str]:
    write(products_dir, "p.yaml", text)
    products, problems = read_records(products_dir, "Bình Thuận")
    assert products, [str(p) for p in problems]
    return {p.field: p.text("en") for p in problems if p.severity is Severity.WARNING}


def test_four_stars_by_a_district_in_2022_is_warned_naming_the_province(products_dir):
    said = warnings(products_dir, record(cert(4, "2022-03-10", "UBND huyện Đức Linh")))
    assert said["certificates[0].issuer"] == (
        "issued by 'UBND huyện Đức Linh', but before 24/02/2023 the province certified 3-star and 4-star products:"
        " a 4-star certificate of 10/03/2022 should be signed by UBND tỉnh Bình Thuận; check the decision"
    )


def test_three_stars_by_a_district_in_2026_is_warned_naming_the_province(products_dir):
    said = warnings(products_dir, record(cert(3, "2026-03-10", "UBND huyện Đức Linh")))
    assert "should be signed by UBND tỉnh Lâm Đồng" in said["certificates[0].issuer"]
    assert "the district level was abolished" in said["certificates[0].issuer"]


def test_five_stars_by_a_province_is_warned_naming_the_ministry(products_dir):
    said = warnings(
        products_dir, record(cert(5, "2023-08-10", "UBND tỉnh Bình Phước"), "bp-dx-9001", "Bình Phước", "Đồng Xoài")
    )
    assert "should be signed by Bộ Nông nghiệp và Phát triển nông thôn" in said["certificates[0].issuer"]


def test_a_merged_province_signing_after_the_reform_is_warned(products_dir):
    write(products_dir, "p.yaml", record(cert(4, "2026-01-15", "UBND tỉnh Bình Thuận")))
    _, problems = read_records(products_dir, "Bình Thuận")
    (found,) = [p for p in problems if p.field == "certificates[0].issuer"]
    assert found.text("en") == (
        "issued by 'UBND tỉnh Bình Thuận', but on 15/01/2026 the product's place was in Tỉnh Lâm Đồng: the "
        "certificate should be signed by UBND tỉnh Lâm Đồng; check the decision"
    )
    assert found.text("vi") == (
        "cơ quan cấp là 'UBND tỉnh Bình Thuận', nhưng ngày 15/01/2026 nơi sản xuất thuộc Tỉnh Lâm Đồng: giấy chứng "
        "nhận phải do UBND tỉnh Lâm Đồng cấp; hãy kiểm tra lại quyết định"
    )


def test_date_before_the_programme_and_long_expiry_are_warned(products_dir):
    said = warnings(
        products_dir,
        record(
            cert(4, "2017-05-02", "UBND tỉnh Bình Thuận")
            + "\n"
            + cert(4, "2021-01-10", "UBND tỉnh Bình Thuận", ", expires: 2024-05-10")
        ),
    )
    assert said["certificates[0].date"] == (
        "dated 02/05/2017, before the OCOP programme began (Decision 490/QĐ-TTg of 07/05/2018); check the year"
    )
    assert said["certificates[1].expires"] == (
        "expires 10/05/2024, 40 months after the decision of 10/01/2021, but a certificate is valid 36 months "
        "(until 10/01/2024); check the date"
    )


def test_revocation_without_its_decision_is_warned(products_dir):
    said = warnings(products_dir, record(cert(3, "2024-05-06", "UBND huyện Đức Linh", ", revoked: 2025-09-15")))
    assert said["certificates[0].revoked"] == (
        "the revocation of 15/09/2025 names no decision; write it with its number, e.g. "
        'revoked: {date: 2025-09-15, decision: "123/QĐ-UBND"}'
    )


def test_revocation_with_its_decision(products_dir):
    revoked = ', revoked: {date: 2025-09-15, decision: "88/QĐ-UBND", effective: 2025-10-01}'
    write(products_dir, "p.yaml", record(cert(3, "2024-05-06", "UBND huyện Đức Linh", revoked)))
    (p,), problems = read_records(products_dir, "Bình Thuận")
    assert [str(x) for x in problems if x.severity is Severity.WARNING and "revoked" in x.field] == []
    c = p.current
    assert (c.revoked, c.revoked_by, c.revoked_decided) == (date(2025, 10, 1), "88/QĐ-UBND", date(2025, 9, 15))
    assert c.revocation_scheduled(date(2025, 9, 20)) and c.revoked_on(date(2025, 10, 1))


def test_revocation_in_force_before_its_decision_is_an_error(products_dir):
    revoked = ', revoked: {date: 2025-09-15, decision: "88/QĐ-UBND", effective: 2025-09-01}'
    write(products_dir, "p.yaml", record(cert(3, "2024-05-06", "UBND huyện Đức Linh", revoked)))
    products, problems = read_records(products_dir, "Bình Thuận")
    assert products == [] and [p.field for p in problems if p.severity is Severity.ERROR] == [
        "certificates[0].revoked.effective"
    ]


def test_revocation_mapping_needs_its_decision(products_dir):
    write(products_dir, "p.yaml", record(cert(3, "2024-05-06", "UBND huyện Đức Linh", ", revoked: {date: 2025-09-15}")))
    products, problems = read_records(products_dir, "Bình Thuận")
    assert products == [] and any(p.field == "certificates[0].revoked" for p in problems)


# --- certificates dated after the build date -----------------------------------------------------

BUILD = date(2026, 11, 22)


def certificate(day: date, stars: int = 3) -> Certificate:
    return Certificate(stars, "1/QĐ-UBND", day, "UBND tỉnh Lâm Đồng")


def test_a_later_certificate_is_not_current():
    old, later = certificate(date(2024, 1, 10)), certificate(date(2027, 3, 15), 4)
    assert current((old, later), BUILD) is old and in_force((old, later), BUILD) == (old,)
    assert current((later,), BUILD) is None
    assert current((old, later), date(2027, 3, 15)) is later  # counts from its day


def test_a_later_certificate_is_warned_by_check(products_dir):
    write(
        products_dir,
        "p.yaml",
        record(cert(3, "2024-05-06", "UBND huyện Đức Linh") + "\n" + cert(4, "2027-03-15", "UBND tỉnh Lâm Đồng")),
    )
    products, _ = read_records(products_dir, "Bình Thuận")
    (found,) = later_certificates(products, BUILD)
    assert (found.file, found.line, found.field, found.severity) == (
        "products/p.yaml",
        9,
        "certificates[1].date",
        Severity.WARNING,
    )
    assert found.text("en") == "dated 15/03/2027, after the build date 22/11/2026: it will count from that day"
    assert found.text("vi") == (
        "ghi ngày 15/03/2027, sau ngày xây dựng trang 22/11/2026: giấy chứng nhận chỉ được tính từ ngày đó"
    )
    assert later_certificates(products, date(2027, 3, 15)) == []


def later_products(products_dir):
    write(
        products_dir,
        "up.yaml",
        record(
            cert(3, "2024-05-06", "UBND huyện Đức Linh") + "\n" + cert(4, "2027-03-15", "UBND tỉnh Lâm Đồng"),
            "bt-dl-9001",
        ),
    )
    write(products_dir, "new.yaml", record(cert(3, "2027-01-05", "UBND tỉnh Lâm Đồng"), "bt-dl-9002"))
    products, problems = read_records(products_dir, "Bình Thuận")
    assert len(products) == 2, [str(p) for p in problems]
    return products


def test_a_product_as_the_public_sees_it_on_a_day(products_dir):
    up, new = sorted(later_products(products_dir), key=lambda p: p.id)
    seen = as_of(up, BUILD)
    assert seen is not up and seen.stars == 3 and len(up.certificates) == 2, "the cached product keeps its history"
    assert as_of(new, BUILD) is None, "not published before its first decision"
    assert as_of(up, date(2027, 3, 15)) is up


def test_news_ignores_a_certificate_until_its_date(products_dir):
    from ocop.feeds import news

    products = later_products(products_dir)
    now = news.events(SimpleNamespace(products=products, build_date=BUILD))
    assert [(e.product.id, e.kind) for e in now] == [("bt-dl-9001", "certified")]
    later = news.events(SimpleNamespace(products=products, build_date=date(2027, 3, 15)))
    assert {(e.product.id, e.kind) for e in later} == {
        ("bt-dl-9001", "certified"),
        ("bt-dl-9001", "upgraded"),
        ("bt-dl-9002", "certified"),
    }


def test_listings_ignore_a_certificate_until_its_date(products_dir):
    from ocop.catalogue import Catalogue

    products = later_products(products_dir)
    cat = Catalogue(products, BUILD)
    assert [p.id for p in cat.products] == ["bt-dl-9001"]
    assert cat.by_id["bt-dl-9001"].stars == 3 and cat.stars[4] == []
