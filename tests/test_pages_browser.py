"""Issue 12's public pages in Chromium: what a visitor sees on a phone and a desktop, and the focus ring."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# The colour of the focus ring and of what it is drawn on (the nearest ancestor with a background), for the
# element that has the focus.
RING = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  let bg = 'rgba(0, 0, 0, 0)', node = el.parentElement;
  while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
    bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
  }
  if (/rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) { bg = 'rgb(255, 255, 255)'; }
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 30), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), color: s.outlineColor, behind: bg};
}"""


def _luminance(css: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture
def open_page(browser, server):
    contexts = []
    failed: list[str] = []

    def go(url: str, viewport: dict):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.fulfill(status=204))
        page.on("response", lambda res: failed.append(res.url) if res.status >= 400 else None)
        page.goto(server + url)
        return page

    go.failed = failed
    yield go
    for c in contexts:
        c.close()


def test_no_request_fails_and_no_favicon_404(open_page, server):
    requested: list[str] = []
    for url in ("", "en/", "san-pham/banh-trang-me-tan-xuan/", "diem-ban/"):
        page = open_page(url, PHONE)
        page.on("request", lambda req: requested.append(req.url))
        page.wait_for_load_state("networkidle")
    assert open_page.failed == []
    assert not [u for u in requested if u.endswith("/favicon.ico")]


@pytest.mark.parametrize("url", ["", "en/", "tim-kiem/"])
def test_every_focusable_element_shows_a_visible_ring(open_page, url):
    page = open_page(url, DESKTOP)
    seen = set()
    for _ in range(30):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        if ring["tag"] == "BODY":
            break
        seen.add(ring["tag"])
        assert ring["style"] != "none" and ring["width"] >= 2, ring
        # WCAG 2.4.13 asks 3:1 between the ring and what is around it
        assert contrast(ring["color"], ring["behind"]) >= 3, ring
    assert {"A", "BUTTON", "INPUT"} <= seen, "the tab walk reached the links, the search box and its button"


def test_search_button_focus_ring_stands_out_from_the_yellow(open_page):
    page = open_page("", DESKTOP)
    button = page.locator("header button[type=submit]").first
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard: :focus-visible
    ring = page.evaluate(RING)
    assert ring["tag"] == "BUTTON"
    yellow = button.evaluate("el => getComputedStyle(el).backgroundColor")
    inner = button.evaluate("el => getComputedStyle(el).boxShadow")  # "rgb(…) 0px 0px 0px 2px"
    assert inner.startswith("rgb") and inner.endswith(" 2px"), inner
    # yellow | inner ring | outer ring | green header: each ring stands out from what it touches
    assert contrast(inner, yellow) >= 3 and contrast(inner, ring["color"]) >= 3, (inner, ring)
    assert contrast(ring["color"], ring["behind"]) >= 3, ring


def test_product_photo_is_drawn_at_its_sizes_width_with_price_and_certificate_above_the_fold(open_page, catalogue):
    p = next(p for p in catalogue.listed if p.images and p.offer)
    page = open_page(f"en/products/{p.slug}/", DESKTOP)
    img = page.locator(".main-photo img")
    img.evaluate("el => el.decode()")
    drawn = img.evaluate("el => el.getBoundingClientRect().width")
    assert drawn == pytest.approx(24 * 16, abs=1)  # `sizes` says 24rem from 50em up
    assert img.evaluate("el => el.naturalWidth") >= drawn  # the file chosen is at least as wide as drawn
    for sel in (".price", ".certificate .facts"):
        box = page.locator(sel).bounding_box()
        assert box["y"] + box["height"] <= DESKTOP["height"], f"{sel} is below the fold"
    # on a phone the photo takes the width, under the name
    phone = open_page(f"en/products/{p.slug}/", PHONE)
    shown = phone.locator(".main-photo img").bounding_box()
    assert shown["width"] == pytest.approx(PHONE["width"] - 32, abs=1)
    assert phone.locator("h1").bounding_box()["y"] < shown["y"]


@pytest.mark.parametrize("url", ["", "en/"])
def test_home_opens_on_product_photos_on_a_phone(open_page, url):
    page = open_page(url, PHONE)
    photos = page.locator("section[aria-labelledby=newest] .card img")
    first = photos.first.bounding_box()
    assert first["y"] + first["height"] <= PHONE["height"], "the first product photo is above the fold"
    assert photos.nth(1).bounding_box()["y"] == pytest.approx(first["y"])  # two abreast
    counts = page.locator("section[aria-labelledby=by-star]").bounding_box()
    assert counts["y"] > first["y"] + first["height"]
    assert photos.first.evaluate("el => el.complete && el.naturalWidth > 0")
