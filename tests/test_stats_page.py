"""The public statistics page: both languages, charts drawn at build time, numbers from the catalogue."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

PROJECT = Path(__file__).resolve().parent.parent

from ocop.report import build_report  # noqa: E402
from ocop_stats import charts  # noqa: E402
from ocop_stats.generator import page_context  # noqa: E402


@pytest.fixture(scope="module")
def pages(site):
    return {
        "vi": (site / "thong-ke" / "index.html").read_text(encoding="utf-8"),
        "en": (site / "en" / "statistics" / "index.html").read_text(encoding="utf-8"),
    }


def svgs(html: str) -> list[ElementTree.Element]:
    return [ElementTree.fromstring(m) for m in re.findall(r"<svg.*?</svg>", html, re.DOTALL)]


def test_both_languages_link_their_twin(pages):
    for lang, html in pages.items():
        assert f'<html lang="{lang}">' in html
        assert 'hreflang="vi" href="https://ocop.example.org/thong-ke/"' in html
        assert 'hreflang="en" href="https://ocop.example.org/en/statistics/"' in html
    assert "<h1>Thống kê</h1>" in pages["vi"] and "<h1>Statistics</h1>" in pages["en"]
    assert "Sản phẩm đang hiển thị theo nhóm và hạng sao" in pages["vi"]
    assert "Listed products by group and star level" in pages["en"]


def test_charts_are_static_svg_without_script(pages):
    for html in pages.values():
        assert "<script" not in html.lower()
        drawn = svgs(html)
        assert [s.get("id") for s in drawn] == [
            "chart-group-star",
            "chart-district",
            "chart-year",
            "chart-kinds",
            "chart-targets",
        ]
        for s in drawn:
            assert s.get("role") == "img" and s.find("{http://www.w3.org/2000/svg}title").text


def test_the_numbers_are_the_catalogue_s(pages, catalogue):
    html = pages["en"]
    assert f"{len(catalogue.listed)} products with a valid certificate ({len(catalogue.products)} in all)" in html
    years = Counter(c.date.year for p in catalogue.products for c in p.certificates)
    year_chart = svgs(html)[2]
    labels = [t.text for t in year_chart.iter("{http://www.w3.org/2000/svg}text")]
    for y, n in years.items():
        assert f'<tr><th scope="row">{y}</th><td>{n}</td></tr>' in html
        assert str(y) in labels and str(n) in labels
    food = next(ps for g, ps in catalogue.groups if g.key == "food")
    desc = svgs(html)[0].find("{http://www.w3.org/2000/svg}desc").text
    assert f"Food: {sum(p.stars == 3 for p in food)} 3★, {sum(p.stars == 4 for p in food)} 4★" in desc


def test_nav_links_to_the_page(site):
    assert 'href="./thong-ke/">Thống kê</a>' in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="../en/statistics/">Statistics</a>' in (site / "en" / "index.html").read_text(encoding="utf-8")


def test_drawing_is_deterministic_and_scales(catalogue):
    report = build_report(catalogue)
    first = page_context(report, "vi", lambda s: s)["charts"]
    second = page_context(build_report(catalogue), "vi", lambda s: s)["charts"]
    assert first == second
    # a national catalogue has ~700 districts: the chart keeps the 25 biggest and sums the rest
    from ocop.places import gazetteer
    from ocop_stats.generator import TOP_DISTRICTS, district_rows

    districts = list(gazetteer().districts.values())[:60]
    report.by_district = [(d, i + 1, i + 1) for i, d in enumerate(districts)]
    rows = district_rows(report, lambda s: s)
    assert len(rows) == TOP_DISTRICTS + 1 and rows[-1][0].startswith("Other districts (")
    assert sum(n for _, n in rows) == sum(range(1, len(districts) + 1))


def test_chart_geometry():
    svg = charts.hbars("c", "Title <&>", [("A & B", 10), ("C", 5), ("D", 0)])
    root = ElementTree.fromstring(svg)
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths == [charts.WIDTH - charts.VALUE_W, (charts.WIDTH - charts.VALUE_W) / 2, 0]
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Title <&>"
    shares = ElementTree.fromstring(charts.shares("s", "T", [("Coops", 0.25, 0.35)], "target"))
    marker = next(e for e in shares.iter("{http://www.w3.org/2000/svg}line"))
    assert float(marker.get("x1")) == pytest.approx((charts.WIDTH - charts.VALUE_W) * 0.35, abs=0.1)
