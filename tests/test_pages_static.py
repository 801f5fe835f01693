"""Issue 12's public pages, read from the built sample site's HTML: favicon, star links in words, placeholders for
products without a photo, the home page's order, the product photo's `sizes`, the showroom map's reserved box."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html
from PIL import Image

from ocop.groups import GROUPS
from ocop.i18n import LANGS
from ocop_catalogue.views import newest_with_photos

from conftest import PROJECT


def page(site: Path, url: str):
    path = site / url if url.endswith(".html") else site / url / "index.html"
    assert path.is_file(), f"{url} was not written"
    return html.fromstring(path.read_bytes())


def resolve(site: Path, url: str, href: str) -> Path:
    """The file a relative link on the page at `url` points to."""
    base = (site / url).parent if url.endswith(".html") else site / url
    return (base / href).resolve()


def test_every_page_links_a_favicon_that_exists(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 200
    for f in pages:
        doc = html.fromstring(f.read_bytes())
        if doc.xpath("//meta[@http-equiv='refresh']"):
            continue  # a former address's redirect, not a page people stay on
        url = f.relative_to(site).as_posix()
        icons = {ln.get("type"): ln.get("href") for ln in doc.xpath("//head/link[@rel='icon']")}
        assert set(icons) == {"image/svg+xml", "image/png"}, url
        for href in [*icons.values(), *doc.xpath("//head/link[@rel='apple-touch-icon']/@href")]:
            target = resolve(site, url, href) if not href.startswith("/") else site / href.lstrip("/")
            assert target.is_file(), f"{url}: {href} is not in the site"
    png = Image.open(site / "theme/img/favicon.png")
    assert png.size == (32, 32) and png.mode == "RGBA"
    assert Image.open(site / "theme/img/apple-touch-icon.png").size == (180, 180)
    assert (site / "theme/img/favicon.svg").read_text().startswith("<svg xmlns=")


def test_favicon_pngs_are_redrawn_byte_for_byte(tmp_path):
    from theme.make_icons import SIZES, main

    main(tmp_path)
    for name in SIZES:
        assert (tmp_path / name).read_bytes() == (PROJECT / "theme/static/img" / name).read_bytes(), name


def test_star_links_are_named_in_words(site):
    for url, word in (("", "sao"), ("en/", "stars")):
        nav = page(site, url).xpath("//nav[contains(@class,'site-nav')]")[0]
        for n in (5, 4, 3):
            (link,) = [a for a in nav.xpath("a") if a.get("href").endswith(f"/{n}/")]
            shown = link.xpath("span[@aria-hidden='true']")
            spoken = link.xpath("span[@class='visually-hidden']/text()")
            assert [s.text_content() for s in shown] == [f"{n}★"]
            assert spoken == [f"{n} {word}"], spoken


def test_cards_without_a_photo_show_the_group_pictogram_and_name(site, catalogue):
    without = [p for p in catalogue.listed if not p.images]
    assert without, "the sample has products without a photo"
    seen = 0
    for g in GROUPS:
        for lang in LANGS:
            folder = site / (f"nhom/{g.slug('vi')}" if lang == "vi" else f"en/groups/{g.key}")
            for f in sorted(folder.rglob("index.html")):  # every page of the listing
                url = f.relative_to(site).as_posix()
                seen += check_cards(site, url, g, lang)
    assert seen == 2 * len(without)  # each in its group's listing, in both languages


def check_cards(site: Path, url: str, g, lang: str) -> int:
    """The cards of a listing page: a photo or the group's placeholder; how many placeholders."""
    seen = 0
    for card in page(site, url).xpath("//li[contains(@class,'card')]"):
        holders = card.xpath(".//span[@class='no-photo']")
        if not holders:
            assert card.xpath(".//img[contains(@src,'media/')]"), "a card has either a photo or a placeholder"
            continue
        (ph,) = holders
        assert ph.get("aria-hidden") == "true"
        (img,) = ph.xpath("img")
        assert img.get("src").endswith(f"theme/img/group-{g.key}.svg") and img.get("alt") == ""
        assert resolve(site, url, img.get("src")).is_file()
        assert " ".join(ph.text_content().split()) == g.label(lang)
        assert not re.fullmatch(r"[IVX]+", ph.text_content().strip())  # no lone numeral
        seen += 1
    return seen


def test_every_group_has_a_pictogram():
    for g in GROUPS:
        svg = (PROJECT / "theme/static/img" / f"group-{g.key}.svg").read_text()
        assert svg.startswith("<svg xmlns=") and 'viewBox="0 0 48 48"' in svg


def test_home_opens_on_the_newest_products_with_photos(site, catalogue):
    newest = newest_with_photos(catalogue, 8)
    with_photo = [p for p in catalogue.newest(len(catalogue.listed)) if p.images]
    assert [p.id for p in newest] == [p.id for p in with_photo[:8]]  # the sample has more than 8 with photos
    assert all(a.certified_on >= b.certified_on for a, b in zip(newest, newest[1:], strict=False))
    for url in ("", "en/"):
        doc = page(site, url)
        main = doc.xpath("//main")[0]
        order = [e.get("aria-labelledby") or e.get("class") for e in main.xpath("h1|section|p")]
        assert order.index("newest") < order.index("intro") < order.index("by-star"), order
        cards = main.xpath("section[@aria-labelledby='newest']//li[contains(@class,'card')]")
        assert len(cards) == 8 and all(c.xpath(".//img[contains(@src,'media/')]") for c in cards)
        # the first cards are the largest paint on a phone: not lazily loaded
        lazy = [c.xpath(".//img[contains(@src,'media/')]/@loading") for c in cards]
        assert lazy[:4] == [[]] * 4 and lazy[4:] == [["lazy"]] * 4


def test_newest_with_photos_fills_in_without_photos_when_too_few(catalogue):
    everyone = newest_with_photos(catalogue, len(catalogue.listed))
    assert sorted(p.id for p in everyone) == sorted(p.id for p in catalogue.listed)
    flags = [bool(p.images) for p in everyone]
    assert flags == sorted(flags, reverse=True), "photos first, then the rest"


def test_main_photo_sizes_match_the_layout(site, catalogue):
    css = (site / "theme/css/site.css").read_text()
    assert "grid-template-columns: minmax(0, 24rem) minmax(0, 1fr)" in css
    p = next(p for p in catalogue.listed if p.images)
    doc = page(site, f"san-pham/{p.slug}/")
    (img,) = doc.xpath("//figure[@class='main-photo']//img")
    assert img.get("sizes") == "(min-width: 50em) 24rem, calc(100vw - 2rem)"
    top = doc.xpath("//div[contains(@class,'product-top')]")[0]
    assert top.xpath("section[@class='certificate']") and top.xpath("div[@class='gallery']")


def test_showroom_map_box_is_reserved_and_dropped_without_javascript(site):
    assert "@media (scripting: none) { .showroom-map { display: none; } }" in (site / "theme/css/site.css").read_text()
    for url in ("diem-ban/", "en/showrooms/"):
        doc = page(site, url)
        (box,) = doc.xpath("//div[@id='showroom-map']")
        assert box.get("hidden") is None  # in the layout from the start: drawing the map shifts nothing
        assert "{n}" in box.get("data-cluster-label")
        assert not doc.xpath("//style")  # the Content-Security-Policy allows no inline style
        scripts = doc.xpath("//script/@src")
        assert any(s.endswith("theme/vendor/leaflet.markercluster/leaflet.markercluster.js") for s in scripts)
    assert page(site, "diem-ban/").xpath("//div[@id='showroom-map']/@data-cluster-label") == [
        "{n} điểm bán ở đây: phóng to để xem"
    ]
