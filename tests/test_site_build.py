"""The build's shared object (ocop_catalogue.site.SiteBuild): what it holds, the page plan the sitemap
reads, and the record warnings every build prints."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from pelican import signals

from ocop_catalogue import site  # noqa: E402
from ocop_catalogue.generator import read_site  # noqa: E402
from ocop_sitemap.generator import content_twins  # noqa: E402

from conftest import BUILD_DATE, GOOD_RECORD, PROJECT, build_site, write

SHOWROOM = """\
id: diem-ban-thu
name: {vi: "Điểm bán thử", en: "Test sales point"}
kind: sales_point
district: Phan Thiết
address: "1 Đường Thử"
products: [bt-pt-9001]
"""
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def small_site(tmp_path: Path) -> Path:
    """One product with a former address, one showroom that sells it; returns the products folder."""
    products = tmp_path / "products"
    write(products, "a.yaml", "former_slugs: [nuoc-mam-cu]\n" + GOOD_RECORD)
    write(tmp_path / "content" / "showrooms", "a.yaml", SHOWROOM)
    return products


@pytest.fixture
def captured():
    """The SiteBuild of the next build, caught when every generator has planned its pages."""
    found: list[tuple[site.SiteBuild, dict]] = []

    def catch(generators):
        found.append((site.of(generators[0].context), generators[0].context))

    signals.all_generators_finalized.connect(catch)
    yield found
    signals.all_generators_finalized.disconnect(catch)


def test_site_build_holds_catalogue_and_linked_showrooms(tmp_path):
    products = small_site(tmp_path)
    settings = {
        "OCOP_PRODUCTS_PATH": str(products),
        "OCOP_PROVINCE": "Bình Thuận",
        "OCOP_BUILD_DATE": BUILD_DATE,
        "OCOP_CACHE_PATH": str(tmp_path / "cache"),
    }
    build, problems = read_site(settings)
    assert [p.id for p in build.catalogue.products] == ["bt-pt-9001"]
    assert [s.id for s in build.showrooms.by_product["bt-pt-9001"]] == ["diem-ban-thu"]
    assert build.build_date.isoformat() == BUILD_DATE and problems == []


def test_of_names_the_missing_plugin():
    with pytest.raises(RuntimeError, match="ocop_catalogue"):
        site.of({})


def test_plan_holds_every_written_page_and_the_sitemap_reads_it(tmp_path, captured):
    out = tmp_path / "output"
    assert build_site(out, small_site(tmp_path)) == 0
    ((build, context),) = captured
    planned = {page.output_file for page in build.pages}
    content = {p.save_as for original in context["pages"] for p in (original, *original.translations)}
    assert len(content) == 4  # the Markdown pages, from Pelican's own objects
    written = {f.relative_to(out).as_posix() for f in out.rglob("*.html")} - content
    assert written - planned <= {"thi-truong/index.html", "en/marketplaces/index.html"}  # until the feeds plan it
    assert planned <= written
    unindexed = {page.output_file for page in build.pages if not page.indexed}
    assert unindexed == {"404.html", "san-pham/nuoc-mam-cu/index.html", "en/products/nuoc-mam-cu/index.html"}
    root = etree.parse(str(out / "sitemap.xml")).getroot()
    locs = {u.findtext("sm:loc", namespaces=NS) for u in root.findall("sm:url", NS)}
    for page in build.pages:
        if page.save_as is None:  # the 404 page, served at any address, has the home page's URL
            assert ("https://ocop.example.org/" + page.url in locs) == page.indexed, page.output_file
    assert "https://ocop.example.org/diem-ban/diem-ban-thu/" in locs


def test_product_page_lists_its_showrooms(tmp_path):
    out = tmp_path / "output"
    assert build_site(out, small_site(tmp_path)) == 0
    page = (out / "en/products/a/index.html").read_text(encoding="utf-8")
    assert 'href="../../../en/showrooms/diem-ban-thu/"' in page


def test_content_twins_from_pelican_pages():
    vi = SimpleNamespace(lang="vi", url="gioi-thieu/", save_as="gioi-thieu/index.html", translations=[])
    en = SimpleNamespace(lang="en", url="en/about/", save_as="en/about/index.html", translations=[vi])
    vi.translations = [en]
    unsaved = SimpleNamespace(lang="vi", url="nhap/", save_as="", translations=[])
    assert content_twins([vi, unsaved]) == [
        {"vi": "gioi-thieu/", "en": "en/about/"},
        {"en": "en/about/", "vi": "gioi-thieu/"},
    ]


def test_record_warnings_printed_by_every_build(tmp_path, capsys):
    """Pelican's logger shows a repeated warning once per process: the preview server (one process,
    a build per save) showed each record warning only on its first build."""
    products = tmp_path / "products"
    write(products, "a.yaml", GOOD_RECORD.replace(', en: "Test fish sauce"', ""))
    for n in (1, 2):
        assert build_site(tmp_path / f"output{n}", products) == 0
        err = capsys.readouterr().err
        # In Vietnamese, like `ocop check` (OCOP_LANG=en for English).
        assert "products/a.yaml:2: cảnh báo: trường 'name': chưa có tiếng Anh cho name" in err, f"build {n}"


def test_theme_links_content_pages_by_key():
    from jinja2 import Environment

    from ocop_catalogue.filters import GLOBALS

    vi = SimpleNamespace(lang="vi", url="gioi-thieu-ocop/", key="about-ocop", translations=[])
    vi.translations = [SimpleNamespace(lang="en", url="en/about-ocop/", key="about-ocop", translations=[vi])]
    env = Environment()
    env.globals.update(GLOBALS)
    template = env.from_string('{{ content_url("about-ocop", "en") }} {{ content_url("about-ocop", "vi") }}')
    assert template.render(pages=[vi]) == "en/about-ocop/ gioi-thieu-ocop/"
    with pytest.raises(LookupError, match="Key: about-ocop"):
        template.render(pages=[])


def test_preview_server_shows_a_translators_edit(tmp_path):
    """The preview rebuilds in one process: no translation may stay cached from the build before."""
    from ocop_catalogue.publish import preview

    from conftest import SETTINGS

    locale = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    po = (PROJECT / "ocop/locale/vi/LC_MESSAGES/theme.po").read_text(encoding="utf-8")
    (locale / "theme.po").write_text(po, encoding="utf-8")
    products, out = tmp_path / "products", tmp_path / "preview"
    write(products, "a.yaml", GOOD_RECORD)
    settings = {
        "OCOP_PRODUCTS_PATH": str(products),
        "OCOP_CACHE_PATH": str(tmp_path / "cache"),
        "OCOP_BUILD_DATE": BUILD_DATE,
        "OCOP_TRANSLATIONS_PATH": str(tmp_path / "locale"),
    }
    assert preview(SETTINGS, out, settings) == 0
    page = out / "san-pham/a/index.html"
    assert ">Trang chủ</a>" in page.read_text(encoding="utf-8")
    edited = po.replace('msgid "Home"\nmsgstr "Trang chủ"', 'msgid "Home"\nmsgstr "Trang đầu"')
    (locale / "theme.po").write_text(edited, encoding="utf-8")
    assert preview(SETTINGS, out, settings) == 0
    assert ">Trang đầu</a>" in page.read_text(encoding="utf-8")
