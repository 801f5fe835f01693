"""Writes the statistics page in both languages from the catalogue the catalogue plugin loaded.

The numbers come from `ocop.report` (the same ones `ocop report` prints); only the
drawing and the words are here. Cost is a few passes over the products: about a
millisecond per thousand products.
"""

from __future__ import annotations

from markupsafe import Markup
from pelican.generators import Generator

from ocop import urls
from ocop.i18n import N_
from ocop.report import Report, build_report, targets_from
from ocop.settings import value
from ocop.text import sort_key
from ocop_catalogue import i18n, site
from ocop_catalogue.filters import PRODUCER_KINDS

from . import charts

TOP_DISTRICTS = 25  # a national catalogue has ~700 districts: the chart shows the biggest, then the rest together


TITLES = {
    "group_star": N_("Listed products by group and star level"),
    "district": N_("Listed products by district"),
    "year": N_("Certificates issued per year"),
    "kinds": N_("Producers by kind"),
    "targets": N_("Producers against the plan targets"),
}
TARGET_LABELS = {
    "cooperative": N_("Cooperatives"),
    "coop_or_enterprise": N_("Cooperatives or enterprises"),
    "women_led": N_("Women-led"),
    "ethnic_minority_led": N_("Led by ethnic-minority people"),
}
OTHER_DISTRICTS = N_("Other districts")
TARGET_WORD = N_("plan target")


def district_rows(report: Report, tr) -> list[tuple[str, int]]:
    ordered = sorted(
        ((d, n) for d, n, _ in report.by_district if n),
        key=lambda x: (-x[1], sort_key(x[0].province.name), sort_key(x[0].name)),
    )
    provinces = {d.province for d, _ in ordered}
    label = (lambda d: f"{d.name} ({d.province.name})") if len(provinces) > 1 else (lambda d: d.name)
    rows = [(label(d), n) for d, n in ordered[:TOP_DISTRICTS]]
    rest = ordered[TOP_DISTRICTS:]
    if rest:
        rows.append((f"{tr(OTHER_DISTRICTS)} ({len(rest)})", sum(n for _, n in rest)))
    return rows


def page_context(report: Report, lang: str, tr) -> dict:
    stars = [(s, f"{s}★") for s in (3, 4, 5)]
    kinds = [(tr(PRODUCER_KINDS[k]), n) for k, n in report.kinds]
    targets = [(tr(TARGET_LABELS[t.target.key]), t.share, t.target.share) for t in report.targets]
    svg = {
        "group_star": charts.stacked(
            "chart-group-star",
            tr(TITLES["group_star"]),
            [(g.label(lang), parts) for g, parts in report.by_group_star],
            stars,
        ),
        "district": charts.hbars("chart-district", tr(TITLES["district"]), district_rows(report, tr)),
        "year": charts.columns("chart-year", tr(TITLES["year"]), [(str(y), n) for y, n in report.by_year]),
        "kinds": charts.hbars("chart-kinds", tr(TITLES["kinds"]), kinds),
        "targets": charts.shares("chart-targets", tr(TITLES["targets"]), targets, tr(TARGET_WORD)),
    }
    return {
        "charts": {k: Markup(v) for k, v in svg.items()},
        "report": report,
        "kinds": kinds,
        "district_rows": district_rows(report, tr),
        "titles": {k: tr(v) for k, v in TITLES.items()},
        "target_labels": {k: tr(v) for k, v in TARGET_LABELS.items()},
        "producers": sum(n for _, n in report.kinds),
    }


class StatsGenerator(Generator):
    def generate_context(self):
        self.site = site.of(self.context)  # the catalogue plugin read the records; this page only counts them
        self.pages = self.site.plan(site.twin_pages("statistics.html", urls.twins(urls.statistics)))

    def generate_output(self, writer):
        report = build_report(self.site.catalogue, plan=targets_from(value(self.settings, "OCOP_PLAN_TARGETS")))
        template = self.get_template("statistics")
        folder = i18n.locale_dir(self.settings)
        for page in self.pages:
            stats = page_context(report, page.lang, i18n.translator(page.lang, folder))
            site.write_page(writer, template, self.context, self.settings, page, stats=stats)
