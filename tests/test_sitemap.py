"""sitemap.xml and robots.txt (ocop.sitemap, plugin ocop_sitemap), read the way crawlers do.

Moved from tests/test_feeds.py, where the sitemap used to live (the copies there go once the
feeds' tests are updated)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree, html

from ocop.sitemap import entries, sitemaps

ROOT = "https://ocop.example.org"
SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NS = {"sm": SM, "x": "http://www.w3.org/1999/xhtml"}


def sitemap_urls(site: Path, name: str = "sitemap.xml") -> dict[str, dict[str, str]]:
    root = etree.parse(str(site / name)).getroot()
    assert root.tag == f"{{{SM}}}urlset"
    return {
        u.findtext("sm:loc", namespaces=NS): {x.get("hreflang"): x.get("href") for x in u.findall("x:link", NS)}
        for u in root.findall("sm:url", NS)
    }


def test_sitemap_lists_every_page_with_reciprocal_alternates(site):
    urls = sitemap_urls(site)
    pages, noindex = set(), set()
    for f in site.rglob("index.html"):
        url = f"{ROOT}/" + f.relative_to(site).as_posix()[: -len("index.html")]
        robots = html.fromstring(f.read_bytes()).xpath("//head/meta[@name='robots']/@content")
        (noindex if any("noindex" in r for r in robots) else pages).add(url)
    assert pages <= set(urls), sorted(pages - set(urls))[:5]
    assert not noindex & set(urls), "pages that ask not to be indexed stay out of the sitemap"
    assert f"{ROOT}/thi-truong/" in urls and f"{ROOT}/en/marketplaces/" in urls
    assert f"{ROOT}/gioi-thieu-ocop/" in urls and urls[f"{ROOT}/gioi-thieu-ocop/"]["en"] == f"{ROOT}/en/about-ocop/"
    assert not any(u.endswith("404.html") for u in urls)
    for loc, alternates in urls.items():
        assert alternates, f"{loc} has no language alternates"
        assert loc in alternates.values() and alternates["x-default"] == alternates["vi"]
        for lang in ("vi", "en"):
            assert urls[alternates[lang]] == alternates, f"{loc}: {lang} twin does not link back"
    product = urls[f"{ROOT}/san-pham/nuoc-mam-ba-hai-40-dam/"]
    assert product["en"] == f"{ROOT}/en/products/nuoc-mam-ba-hai-40-dam/"


def test_robots_txt_points_to_the_sitemap(site):
    text = (site / "robots.txt").read_text()
    assert "User-agent: *" in text and f"Sitemap: {ROOT}/sitemap.xml" in text.splitlines()


def test_sitemap_index_past_the_limit():
    pages = [{"vi": f"san-pham/p{i}/", "en": f"en/products/p{i}/"} for i in range(30)]
    files = sitemaps(pages, ROOT, max_urls=25)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = etree.fromstring(files["sitemap.xml"])
    assert index.tag == f"{{{SM}}}sitemapindex"
    assert [s.findtext("sm:loc", namespaces=NS) for s in index] == [f"{ROOT}/sitemap-{n}.xml" for n in (1, 2, 3)]
    counts = [len(etree.fromstring(files[f"sitemap-{n}.xml"]).findall("sm:url", NS)) for n in (1, 2, 3)]
    assert counts == [25, 25, 10]
    assert len(sitemaps(pages, ROOT, max_urls=60)) == 1


def test_each_page_once_with_its_twin_and_x_default():
    found = dict(entries([{"vi": "a/", "en": "en/a/"}, {"en": "en/a/", "vi": "a/"}, {"vi": "chi-viet/"}], ROOT))
    assert list(found) == [f"{ROOT}/a/", f"{ROOT}/chi-viet/", f"{ROOT}/en/a/"]
    assert found[f"{ROOT}/en/a/"] == {"vi": f"{ROOT}/a/", "en": f"{ROOT}/en/a/", "x-default": f"{ROOT}/a/"}
    assert found[f"{ROOT}/chi-viet/"] == {}  # a page without a twin gets no alternates


def test_urls_are_quoted_and_escaped_as_before_whatever_their_characters():
    """A URL of safe characters is taken as it is (the fast path); any other is quoted as urllib does, and every
    one is escaped for XML in <loc> and in the alternates' attributes."""
    from urllib.parse import quote
    from xml.sax.saxutils import escape, quoteattr

    pages = [{"vi": "tim kiếm/?a=1&b=2", "en": "en/search/?a=1&b=2"}, {"vi": "a-b_c.d~e/"}]
    found = dict(entries(pages, ROOT))
    odd = quote(f"{ROOT}/tim kiếm/?a=1&b=2", safe=":/?#=&%~+")
    assert odd == f"{ROOT}/tim%20ki%E1%BA%BFm/?a=1&b=2" and odd in found and f"{ROOT}/a-b_c.d~e/" in found
    xml = sitemaps(pages, ROOT)["sitemap.xml"].decode()
    assert f"<loc>{escape(odd)}</loc>" in xml and "&amp;b=2" in xml
    assert f'hreflang="vi" href={quoteattr(odd)}/>' in xml
    urls = {u.findtext("sm:loc", namespaces=NS): u for u in etree.fromstring(xml.encode()).findall("sm:url", NS)}
    assert urls[odd].find("x:link", NS).get("href") == odd  # read back as written
    assert urls[f"{ROOT}/a-b_c.d~e/"].find("x:link", NS) is None
