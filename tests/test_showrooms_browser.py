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


@pytest.mark.parametrize("url", ["diem-ban/", "en/showrooms/"])
def test_index_map_has_a_marker_for_every_showroom(visit, url):
    page = visit(url)
    page.wait_for_selector("#showroom-map .leaflet-marker-icon")
    assert page.locator("#showroom-map").is_visible()
    markers = page.locator("#showroom-map .leaflet-marker-icon")
    ids = sorted(markers.nth(i).get_attribute("data-showroom") for i in range(markers.count()))
    assert ids == _sample_ids() and len(ids) >= 8
    # every marker is on screen: the map was fitted to all of them
    box = page.locator("#showroom-map").bounding_box()
    for i in range(markers.count()):
        m = markers.nth(i).bounding_box()
        assert box["x"] <= m["x"] + m["width"] / 2 <= box["x"] + box["width"]
        assert box["y"] <= m["y"] + m["height"] <= box["y"] + box["height"]
    assert visit.tiles, "the map asked for no OpenStreetMap tile"
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()


def test_marker_popup_links_to_the_showroom_page(visit):
    page = visit("en/showrooms/")
    page.wait_for_selector("#showroom-map .leaflet-marker-icon")
    page.locator(".leaflet-marker-icon[data-showroom='ga-muong-man']").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "OCOP counter, Muong Man railway station" in popup.inner_text()
    popup.locator("a").click()
    page.wait_for_url("**/en/showrooms/ga-muong-man/")
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
