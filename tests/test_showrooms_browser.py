"""The showroom maps in a real browser: Debian's chromium driven by Playwright, the sample site on a local server.

Offline: OpenStreetMap tile requests are answered with a blank tile by the test, every other
request leaving 127.0.0.1 is aborted, so Leaflet must come from the site itself.
"""

from __future__ import annotations

import base64

import pytest

from ocop.showrooms import read_showrooms

from conftest import PROJECT

pytestmark = pytest.mark.browser

# A 1×1 transparent PNG, served for every map tile.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def visit(browser, server):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    tiles: list[str] = []
    failed: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(server):
            r.continue_()
        elif "tile.openstreetmap.org" in url:
            tiles.append(url)
            r.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        else:
            failed.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: failed.append(req.url) if req.url.startswith(server) else None)
    page.on(
        "response",
        lambda res: failed.append(res.url) if res.status >= 400 and not res.url.endswith("/favicon.ico") else None,
    )

    def go(url: str):
        page.goto(server + url)
        return page

    go.tiles, go.failed = tiles, failed
    yield go
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
    assert failed == [], f"requests that failed or left the site: {failed}"


def _sample_ids() -> list[str]:
    showrooms, _ = read_showrooms(PROJECT / "content" / "showrooms", "Bình Thuận")
    return sorted(s.id for s in showrooms if s.geo)


def _icons(page) -> list[dict]:
    """What the map shows: each marker (its showroom id) or cluster (how many it holds), with its box on screen."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#showroom-map .leaflet-marker-icon')).map(el => {
          const r = el.getBoundingClientRect();
          const shown = el.querySelector('.showroom-cluster [aria-hidden]') || el.querySelector('[aria-hidden]');
          const count = el.classList.contains('showroom-cluster') ? parseInt(shown.textContent, 10) : 0;
          return {id: el.getAttribute('data-showroom'), count: count, name: el.textContent.trim(),
                  x: r.x, y: r.y, w: r.width, h: r.height};
        })"""
    )


def _overlap(a: dict, b: dict) -> bool:
    apart_x = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
    return not apart_x and not (a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])


@pytest.mark.parametrize("url", ["diem-ban/", "en/showrooms/"])
def test_index_map_shows_every_showroom_once_without_overlapping_markers(visit, url):
    page = visit(url)
    page.wait_for_selector("#showroom-map .leaflet-marker-icon")
    page.wait_for_timeout(400)  # the clusters' fade-in
    assert page.locator("#showroom-map").is_visible()
    icons = _icons(page)
    markers = sorted(i["id"] for i in icons if not i["count"])
    clustered = sum(i["count"] for i in icons)
    # every showroom is on the map once: as a marker or counted in a cluster (issue 12: Phan Thiết's overlapped)
    assert set(markers) <= set(_sample_ids()) and len(markers) + clustered == len(_sample_ids()) >= 8
    assert clustered >= 3
    for a in icons:
        assert a["w"] >= 24 and a["h"] >= 24, f"touch target under 24 px: {a}"
        for b in icons:
            assert a is b or not _overlap(a, b), f"markers overlap at the starting zoom: {a} {b}"
    # every marker is on screen: the map was fitted to all of them
    box = page.locator("#showroom-map").bounding_box()
    for m in icons:
        assert box["x"] <= m["x"] + m["w"] / 2 <= box["x"] + box["width"]
        assert box["y"] <= m["y"] + m["h"] <= box["y"] + box["height"]
    # a cluster is named in words and opens on its showrooms
    cluster = page.locator("#showroom-map .showroom-cluster").first
    word = "điểm bán" if url == "diem-ban/" else "showrooms"
    assert word in cluster.locator(".visually-hidden").inner_text()
    cluster.click()
    page.wait_for_timeout(800)
    assert len(_icons(page)) >= 2
    assert visit.tiles, "the map asked for no OpenStreetMap tile"
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_drawing_the_map_shifts_no_layout(browser, server, width, height):
    """The map's box is reserved before the script runs: no layout shift (issue 12 measured CLS 0.24)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(
        """window.__shift = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) {
          if (!e.hadRecentInput) { window.__shift += e.value; } } }).observe({type: 'layout-shift', buffered: true});"""
    )
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    for url in ("diem-ban/", "en/showrooms/ocop-binh-thuan/"):
        page.goto(server + url)
        page.wait_for_selector("#showroom-map .leaflet-marker-icon")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__shift") < 0.01, url
    context.close()


def test_marker_popup_links_to_the_showroom_page(visit):
    page = visit("en/showrooms/")
    page.wait_for_selector("#showroom-map .leaflet-marker-icon")
    # a showroom on its own at the starting zoom (Phan Thiết's are clustered)
    page.locator(".leaflet-marker-icon[data-showroom='diem-ban-la-gi']").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert page.locator("#sr-diem-ban-la-gi").get_attribute("data-name") in popup.inner_text()
    popup.locator("a").click()
    page.wait_for_url("**/en/showrooms/diem-ban-la-gi/")
    page.wait_for_selector("#showroom-map .leaflet-marker-icon")
    assert page.locator("#showroom-map .leaflet-marker-icon").count() == 1


def test_without_javascript_the_list_is_all_there(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    page.goto(server + "diem-ban/")
    assert not page.locator("#showroom-map").is_visible()
    items = page.locator("li.showroom-item")
    assert items.count() == len(_sample_ids())
    for i in range(items.count()):
        assert items.nth(i).locator("a.geo-link").get_attribute("href").startswith("geo:")
        assert items.nth(i).locator(".showroom-address").inner_text().strip()
    context.close()
