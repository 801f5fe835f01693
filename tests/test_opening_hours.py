"""Opening hours in OpenStreetMap syntax: parsing, schema.org output, bilingual text and errors."""

from __future__ import annotations

import pytest

from ocop.opening_hours import OpeningHoursError, parse

WEEKDAYS = [f"https://schema.org/{d}" for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
EVERY_DAY = WEEKDAYS + ["https://schema.org/Saturday", "https://schema.org/Sunday"]


def test_weekdays_and_saturday():
    oh = parse("Mo-Fr 07:30-17:00; Sa 08:00-12:00")
    assert oh.specification() == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": WEEKDAYS, "opens": "07:30", "closes": "17:00"},
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Saturday"],
            "opens": "08:00",
            "closes": "12:00",
        },
    ]
    assert oh.text("en") == "Mon–Fri 07:30–17:00; Sat 08:00–12:00; Sun closed"
    assert oh.text("vi") == "Thứ Hai–Thứ Sáu 07:30–17:00; Thứ Bảy 08:00–12:00; Chủ nhật nghỉ"


def test_every_day():
    oh = parse("Mo-Su 07:30-21:00")
    assert oh.specification() == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": EVERY_DAY, "opens": "07:30", "closes": "21:00"}
    ]
    assert oh.lines("en") == [("Every day", "07:30–21:00")]
    assert oh.text("vi") == "Hằng ngày 07:30–21:00"
    assert parse("07:30-21:00").week == oh.week  # no days: every day


def test_always_and_never():
    always = parse("24/7")
    assert always.always_open
    assert always.specification() == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": EVERY_DAY, "opens": "00:00", "closes": "23:59"}
    ]
    assert always.text("en") == "Open 24 hours, every day" and always.text("vi") == "Mở cửa 24 giờ, tất cả các ngày"
    closed = parse("off")
    assert closed.never_open and closed.specification() == []
    assert closed.text("en") == "Closed" and closed.text("vi") == "Đóng cửa"


def test_lunch_break_holidays_and_later_rules_win():
    oh = parse("Mo-Sa 07:30-11:30,13:30-17:00; Su,PH off")
    assert [s["opens"] for s in oh.specification()] == ["07:30", "13:30"]
    assert oh.text("en") == "Mon–Sat 07:30–11:30, 13:30–17:00; Sun closed; Public holidays closed"
    later = parse("Mo-Su 08:00-20:00; Su off; We 09:00-12:00")
    assert later.text("en") == "Mon–Tue 08:00–20:00; Wed 09:00–12:00; Thu–Sat 08:00–20:00; Sun closed"
    ph = parse("Mo-Fr 08:00-17:00; PH 08:00-11:00")
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["https://schema.org/PublicHolidays"],
        "opens": "08:00",
        "closes": "11:00",
    } in ph.specification()


def test_lists_wrapping_ranges_and_past_midnight():
    assert (
        parse("Mo,We,Fr 08:00-12:00").text("en")
        == "Mon 08:00–12:00; Tue closed; Wed 08:00–12:00; Thu closed; Fri 08:00–12:00; Sat–Sun closed"
    )
    assert parse("Fr-Mo 09:00-18:00").text("en") == "Mon 09:00–18:00; Tue–Thu closed; Fri–Sun 09:00–18:00"
    night = parse("Fr,Sa 18:00-02:00")
    assert night.specification()[0]["opens"] == "18:00" and night.specification()[0]["closes"] == "02:00"
    assert "18:00–02:00" in night.text("en")
    assert parse("  Mo-Fr   07:30-17:00 ;  Sa 08:00-12:00 ; ").source == "Mo-Fr 07:30-17:00 ; Sa 08:00-12:00 ;"


@pytest.mark.parametrize(
    "text, column, words",
    [
        ("Mo-Fx 08:00-17:00", 4, "'Fx' is not a day"),
        ("Mon-Fri 08:00-17:00", 1, "'Mon' is not a day; write 'Mo'"),
        ("mo-fr 08:00-17:00", 1, "'mo' must be written 'Mo'"),
        ("Mo-Fr 8:00", 7, "a closing time is missing"),
        ("Mo-Fr 25:00-26:00", 7, "'25:00' is not a time of day"),
        ("Mo-Fr 08:70-17:00", 7, "'08:70' is not a time of day"),
        ("Mo-Fr 08.00-17.00", 7, "is not a time span; write opening-closing times as HH:MM-HH:MM"),
        ("Mo-Fr", 1, "have no hours"),
        ("Mo-Fr 08:00-12:00,11:00-13:00", 7, "overlap"),
        ("Mo-Fr 08:00-08:00", 7, "opens and closes at the same time"),
        ("Mo-Fr 08:00-17:00;;Sa off", 19, "a rule is empty"),
        ("Jan-Mar Mo-Fr 08:00-12:00", 1, "months are not supported"),
        ("Mo-Fr sunrise-sunset", 7, "sunrise and sunset times are not supported"),
        ('Mo-Fr 08:00-17:00 "by appointment"', 19, "comments in quotes are not supported"),
        ("Mo-Fr 08:00+", 12, "open-ended times"),
        ("", 1, "no opening hours are written"),
    ],
)
def test_errors_say_what_and_where(text, column, words):
    with pytest.raises(OpeningHoursError) as err:
        parse(text)
    assert words in err.value.message
    assert err.value.column == column
