"""views.Planner: the preview's plan, made again after some records changed, is the plan `views.plan` makes from
scratch, and reuses the Page objects of whatever the change did not touch."""

from __future__ import annotations

import dataclasses
from datetime import date

from conftest import BUILD_DATE, PROJECT

SCOPE = "Lâm Đồng"


def _catalogue_and_showrooms():
    from ocop import showrooms as sr
    from ocop.catalogue import Catalogue
    from ocop.records import read_records

    products, _ = read_records(PROJECT / "products", SCOPE)
    cat = Catalogue(products, date.fromisoformat(BUILD_DATE), SCOPE)
    records, _ = sr.read_showrooms(PROJECT / "content" / "showrooms", SCOPE)
    showrooms, _ = sr.link(records, cat)
    return cat, showrooms, records


def _value(v):
    if isinstance(v, list | tuple):
        return [_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _value(x) for k, x in v.items()}
    if type(v).__name__ == "Catalogue":
        return ("catalogue", [p.id for p in v.products])
    if hasattr(v, "id") and isinstance(v.id, str):
        return ("object", type(v).__name__, v.id)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return _value(vars(v))
    return v


def _shape(pages) -> list:
    return [(p.template, p.lang, p.urls, p.output_file, p.indexed, _value(p.context)) for p in pages]


def test_the_planner_plans_what_plan_plans_and_reuses_what_no_change_touched():
    from ocop import showrooms as sr
    from ocop_catalogue import views

    cat, showrooms, records = _catalogue_and_showrooms()
    planner = views.Planner()
    first = planner.plan(cat, showrooms)
    assert _shape(first) == _shape(views.plan(cat, showrooms))

    edited = next(p for p in cat.listed if p.stars == 4)
    renamed = dataclasses.replace(edited, name=dataclasses.replace(edited.name, vi="Á " + edited.name.vi))
    new = cat.updated({renamed.id: renamed})
    showrooms_now, _ = sr.link(records, new)
    again = planner.plan(new, showrooms_now)
    assert _shape(again) == _shape(views.plan(new, showrooms_now))

    before = {p.output_file: p for p in first}
    reused = {p.output_file for p in again if before.get(p.output_file) is p}
    product_page = f"san-pham/{edited.slug}/index.html"
    assert product_page in before and product_page not in reused
    untouched = next(p for p in cat.products if p.district is not edited.district and p.id not in showrooms.by_product)
    assert f"san-pham/{untouched.slug}/index.html" in reused
    assert not any(name.startswith("sao/4/") for name in reused)  # its star listing: planned again
    assert any(name.startswith("sao/3/") for name in reused)
    assert len(reused) > len(again) // 2


def test_a_plan_made_from_other_objects_is_made_again():
    from ocop_catalogue import views

    cat, showrooms, _ = _catalogue_and_showrooms()
    planner = views.Planner()
    first = planner.plan(cat, showrooms)
    fresh, fresh_showrooms, _ = _catalogue_and_showrooms()  # equal records, other objects
    again = planner.plan(fresh, fresh_showrooms)
    assert _shape(again) == _shape(first)
    product_pages = [p for p in again if p.template == "product.html"]
    assert product_pages and not any(p is q for p in product_pages for q in first)
