"""Catalogue.updated (ocop/catalogue.py): after any series of changed, added and removed records, the catalogue it
gives equals a Catalogue made afresh from the same records, and whatever no change touched is the very object it
was (the preview plans again only what is new)."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pytest

from conftest import BUILD_DATE, PROJECT

BUILD = date.fromisoformat(BUILD_DATE)
SCOPE = "Lâm Đồng"


@pytest.fixture(scope="module")
def records():
    from ocop.records import read_records

    products, _ = read_records(PROJECT / "products", SCOPE)
    assert len(products) > 50
    return products


def _ids(products) -> list[str]:
    return [p.id for p in products]


def _groups(pairs) -> list:
    return [(g.key, _ids(ps)) for g, ps in pairs]


def _shape(cat) -> dict:
    """Everything a catalogue holds, as plain values, order included (entries shared between lists are checked to
    be the very entries of `districts`, as in a fresh catalogue)."""
    entries = {id(e) for e in cat.districts}
    assert all(id(e) in entries for _, es in cat.former_provinces for e in es)
    assert all(id(d) in entries for e in cat.current_provinces for f in e.former for d in f.districts)
    assert cat.provinces is cat.former_provinces
    assert cat.by_province == {e.province: e for e in cat.current_provinces}
    return {
        "products": [(p.id, p.status, p.certificates, p.name, p.district) for p in cat.products],
        "listed": _ids(cat.listed),
        "lapsed": _ids(cat.lapsed),
        "by_id": {k: p.id for k, p in cat.by_id.items()},
        "by_slug": {k: p.id for k, p in cat.by_slug.items()},
        "stars": {s: _ids(ps) for s, ps in cat.stars.items()},
        "groups": _groups(cat.groups),
        "districts": [(e.district, _ids(e.products), _groups(e.by_group), e.total) for e in cat.districts],
        "former": [(f, [e.district for e in es]) for f, es in cat.former_provinces],
        "current": [
            (
                e.province,
                [(f.province, [d.district for d in f.districts]) for f in e.former],
                _ids(e.products),
                _groups(e.by_group),
                e.total,
                e.in_scope,
            )
            for e in cat.current_provinces
        ],
        "communes": [(c, _ids(ps)) for c, ps in cat.by_commune.items()],
        "counts": {s: n for s, n in cat.status_counts.items()},
        "newest": _ids(cat.newest(20)),
    }


def _with_current(p, **change):
    """The product with its current certificate changed."""
    return dataclasses.replace(p, certificates=(*p.certificates[:-1], dataclasses.replace(p.current, **change)))


def _edited(p, other, kind: str, n: int):
    """One edit an editor might save: `other` lends a place or a group; `n` varies it."""
    if kind == "name":
        return dataclasses.replace(p, name=dataclasses.replace(p.name, vi=["Á ", "Ô ", "Z ", "Đ "][n % 4] + p.name.vi))
    if kind == "stars":
        return _with_current(p, stars=3 + n % 3)
    if kind == "group":
        return dataclasses.replace(p, group=other.group)
    if kind == "place":
        return dataclasses.replace(p, district=other.district, place=other.place, commune=other.commune)
    if kind == "revoked":
        return _with_current(p, revoked=BUILD - timedelta(days=1 + n))
    if kind == "expired":
        return _with_current(p, expires_on=BUILD - timedelta(days=1 + n))
    if kind == "later":  # its newest certificate dates from after the build day: not seen yet
        return _with_current(p, date=BUILD + timedelta(days=1 + n))
    if kind == "renewed":
        return _with_current(p, revoked=None, expires_on=BUILD + timedelta(days=400 + n))
    return dataclasses.replace(p)  # saved again, the same: a new object all the same


KINDS = ["name", "stars", "group", "place", "revoked", "expired", "later", "renewed", "same", "remove", "add"]


def _steps(seed: int) -> list[list[tuple[str, int, int, int]]]:
    """A series of saves, each of one to four edits (kind, which product, which other, a number to vary it)."""
    rng = random.Random(seed)
    return [
        [
            (rng.choice(KINDS), rng.randrange(10_000), rng.randrange(10_000), rng.randrange(50))
            for _ in range(rng.randint(1, 4))
        ]
        for _ in range(rng.randint(1, 8))
    ]


def _apply(current: dict, step, pool: list) -> dict:
    """One save: the changes it makes (id → new product, or None when the record is gone); `current` is updated."""
    changes = {}
    for kind, i, j, n in step:
        ids = sorted(current)
        p, other = current[ids[i % len(ids)]], pool[j % len(pool)]
        if kind == "remove" and len(current) > 1:
            changes[p.id] = None
            del current[p.id]
        elif kind == "add":
            new_id = f"{p.id}-copy{n}"
            if new_id not in current:
                q = dataclasses.replace(p, id=new_id, slug=f"{p.slug}-copy{n}", former_slugs=())
                current[new_id] = changes[new_id] = q
        elif kind != "remove":
            current[p.id] = changes[p.id] = _edited(p, other, kind, n)
    return changes


@pytest.mark.parametrize("seed", range(40))
def test_a_series_of_updates_equals_a_fresh_catalogue(records, seed):
    from ocop.catalogue import Catalogue

    steps = _steps(seed)
    current = {p.id: dataclasses.replace(p) for p in records}
    cat = Catalogue(list(current.values()), BUILD, SCOPE)
    for step in steps:
        changes = _apply(current, step, records)
        cat = cat.updated(changes)
        fresh = Catalogue([dataclasses.replace(p) for p in current.values()], BUILD, SCOPE)
        assert _shape(cat) == _shape(fresh)


def test_what_a_change_does_not_touch_is_the_same_object(records):
    from ocop.catalogue import Catalogue

    cat = Catalogue([dataclasses.replace(p) for p in records], BUILD, SCOPE)
    p = next(p for p in cat.listed if p.stars == 3)
    new = cat.updated({p.id: _edited(p, p, "name", 0)})
    assert new.stars[4] is cat.stars[4] and new.stars[5] is cat.stars[5] and new.stars[3] is not cat.stars[3]
    assert new.lapsed is cat.lapsed
    for g, ps in new.groups:
        assert (ps is dict(cat.groups)[g]) == (g is not p.group)
    for before, now in zip(cat.districts, new.districts, strict=True):
        assert (before is now) == (now.district is not p.district)
    changed = [e.province for e in new.current_provinces if e not in cat.current_provinces]
    assert changed == [p.district.province.current]
    same = [pair for pair in new.former_provinces if pair in cat.former_provinces]
    assert len(same) == len(cat.former_provinces) - 1
    assert cat.updated({}).products is cat.products


def test_nothing_in_the_old_catalogue_changes(records):
    from ocop.catalogue import Catalogue

    cat = Catalogue([dataclasses.replace(p) for p in records], BUILD, SCOPE)
    before = _shape(cat)
    p = cat.listed[0]
    cat.updated({p.id: None, cat.lapsed[0].id: _edited(cat.lapsed[0], p, "renewed", 0)})
    assert _shape(cat) == before
