"""Incremental publishing builds: after every kind of edit, `ocop build` reusing the published version gives
the very bytes of a full build from scratch.

One series of edits on a copy of the sample records; after each, the incremental build (into the same
`output`, reusing its published version) is compared file by file with a `--full` build into a fresh folder
with a cache of its own.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ocop.catalogue import load_catalogue
from ocop_catalogue.publish import build

from conftest import BUILD_DATE, GOOD_RECORD, PROJECT, SETTINGS


def tree(out: Path) -> dict[str, bytes]:
    out = out.resolve()
    return {f.relative_to(out).as_posix(): f.read_bytes() for f in sorted(out.rglob("*")) if f.is_file()}


def assert_same_tree(built: Path, reference: Path) -> None:
    got, want = tree(built), tree(reference)
    assert sorted(got.keys() - want.keys()) == [] and sorted(want.keys() - got.keys()) == []
    differ = sorted(name for name in want if got[name] != want[name])
    assert differ == [], f"{len(differ)} file(s) differ from a full build, e.g. {differ[:5]}"


def reused(out: Path) -> set[str]:
    """Files of the published version that are hard links to the version before (kept until the next build)."""
    out = out.resolve()
    return {f.relative_to(out).as_posix() for f in out.rglob("*") if f.is_file() and f.stat().st_nlink > 1}


class Series:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.products = tmp / "products"
        shutil.copytree(PROJECT / "products", self.products)
        self.out = tmp / "inc" / "output"
        self.step = 0
        self.theme = tmp / "theme"  # the site's own copy of the theme (THEME), edited below
        shutil.copytree(Path(build_theme()), self.theme)
        self.settings: dict = {"THEME": str(self.theme)}
        self.date = BUILD_DATE

    def override(self, cache: Path) -> dict:
        return {
            "OCOP_BUILD_DATE": self.date,
            "OCOP_CACHE_PATH": str(cache),
            "OCOP_PRODUCTS_PATH": str(self.products),
            "OCOP_SHOWROOMS_PATH": str(PROJECT / "content" / "showrooms"),
            "OCOP_BROTLI_QUALITY": 5,  # quick to compress cold; the same in both builds
            "OCOP_SEARCH_INDEX": False,  # rebuilt whole every time (plugins/ocop_search), and slow
            **self.settings,
        }

    def check(self, **extra) -> set[str]:
        """Build incrementally and in full; both must publish the same bytes. Returns the reused files."""
        self.step += 1
        assert build(SETTINGS, self.out, {**self.override(self.tmp / "inc" / ".cache"), **extra}) == 0
        reference = self.tmp / f"full-{self.step}" / "output"
        if self.step == 1:  # photo renditions are content-addressed: made once, not twice
            shutil.copytree(self.tmp / "inc" / ".cache" / "images", self.tmp / "full-cache" / "images")
        assert build(SETTINGS, reference, {**self.override(self.tmp / "full-cache"), **extra}, full=True) == 0
        assert_same_tree(self.out, reference)
        shutil.rmtree(reference.parent)
        return reused(self.out)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.products / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def product_pages(names: set[str], slug: str) -> set[str]:
    return {n for n in names if f"san-pham/{slug}/" in n and n.endswith(".html")}


def test_every_kind_of_edit_gives_the_bytes_of_a_full_build(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCOP_LANG", "en")  # the build's own messages
    s = Series(tmp_path)
    s.check()  # the first build renders everything
    unchanged_inputs(s, tmp_path, capsys)
    record_edits(s, tmp_path)
    environment_changes(s)


def unchanged_inputs(s: Series, tmp_path: Path, capsys) -> None:
    published = s.out.resolve()
    capsys.readouterr()
    assert s.check() == set()
    assert s.out.resolve() == published, "nothing changed: no new version"
    assert "Nothing changed since the published build" in capsys.readouterr().err

    record = s.products / "bac-binh" / "bau-trang.yaml"
    os.utime(record, ns=(record.stat().st_atime_ns, record.stat().st_mtime_ns + 10**9))  # saved again, same bytes
    untouched = s.check()
    assert s.out.resolve() != published
    pages = {n for n in tree(s.out) if n.endswith("index.html") and "/san-pham/" in f"/{n}"}
    assert pages and pages <= untouched, "nothing changed: every product page is the published one, linked"

    assert build(SETTINGS, s.out, s.override(tmp_path / "inc" / ".cache"), full=True) == 0
    assert not reused(s.out) & pages, "--full renders every page"


def record_edits(s: Series, tmp_path: Path) -> None:
    # add a product
    (s.products / "phan-thiet" / "nuoc-mam-thu-nghiem.yaml").write_text(GOOD_RECORD, encoding="utf-8")
    after_add = s.check()
    assert product_pages(set(tree(s.out)), "nuoc-mam-thu-nghiem")
    assert not product_pages(after_add, "nuoc-mam-thu-nghiem")
    assert product_pages(after_add, "gom-cham-binh-duc"), "an unrelated product's pages are reused"

    # edit a product's text
    s.edit("phan-thiet/nuoc-mam-thu-nghiem.yaml", "Nước mắm thử nghiệm", "Nước mắm thử nghiệm Phan Thiết")
    edited = s.check()
    assert not product_pages(edited, "nuoc-mam-thu-nghiem")

    # rename: a new slug, the old one kept as a former slug (a redirect page)
    s.edit("phan-thiet/nuoc-mam-thu-nghiem.yaml", "id: bt-pt-9001\n", "id: bt-pt-9001\nslug: nuoc-mam-moi\n")
    s.edit("phan-thiet/nuoc-mam-thu-nghiem.yaml", "group: food\n", "group: food\nformer_slugs: [nuoc-mam-thu-nghiem]\n")
    s.check()
    assert product_pages(set(tree(s.out)), "nuoc-mam-moi")

    # revoke a certificate, with the published fingerprints damaged: everything is rendered, still the same bytes
    (tmp_path / "inc" / ".cache" / "published-pages.json").write_text("{not json", encoding="utf-8")
    s.edit(
        "bac-binh/bau-trang.yaml",
        '    issuer: "UBND huyện Bắc Bình"\n',
        '    issuer: "UBND huyện Bắc Bình"\n    revoked: {date: 2026-10-01, decision: "1999/QĐ-UBND"}\n',
    )
    s.check()

    # renew: a later certificate for the product
    s.edit(
        "phan-thiet/nuoc-mam-thu-nghiem.yaml",
        "    issuer: UBND tỉnh Bình Thuận\n",
        "    issuer: UBND tỉnh Bình Thuận\n  - stars: 5\n    score: 91\n    decision: 2999/QĐ-UBND\n"
        "    date: 2025-03-10\n    issuer: Bộ Nông nghiệp và Phát triển nông thôn\n",
    )
    s.check()

    # delete a product: refused by the URL guard, published with --allow-removed-urls
    (s.products / "phan-thiet" / "nuoc-mam-thu-nghiem.yaml").unlink()
    assert build(SETTINGS, s.out, s.override(tmp_path / "inc" / ".cache")) == 1
    s.check(OCOP_ALLOW_REMOVED_URLS=True)
    assert not product_pages(set(tree(s.out)), "nuoc-mam-moi")


def environment_changes(s: Series) -> None:
    next_day(s)

    # a later build date: certificates expire, every page says the new date
    before, _ = load_catalogue(s.products, "Bình Thuận", _day(s.date))  # the published build's day
    s.date = "2027-08-01"
    after, _ = load_catalogue(s.products, "Bình Thuận", _day(s.date))
    was = {p.id: p.status for p in before.products}
    lapsing = [p for p in after.products if was.get(p.id) not in (None, p.status)]
    assert lapsing
    linked = s.check()
    assert not any(product_pages(linked, p.slug) for p in lapsing), "a product whose status changed is rendered"

    # a template changed in the site's own copy of the theme
    base = s.theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- site's own -->\n</body>"), "utf-8")
    assert not product_pages(s.check(), "gom-cham-binh-duc")
    assert b"site's own" in (s.out / "index.html").read_bytes()

    # a setting
    s.settings["SITENAME"] = "OCOP Bình Thuận"
    assert not product_pages(s.check(), "gom-cham-binh-duc")
    assert os.path.islink(s.out)


def next_day(s: Series) -> None:
    """A build on a later day renders only what that day changes: a renewal dated ahead comes into force, a
    revocation dated ahead takes effect; a product the day leaves alone keeps its published pages."""
    s.edit(
        "bac-binh/gom-cham-binh-duc.yaml",
        '    issuer: "UBND huyện Bắc Bình"\n',
        '    issuer: "UBND huyện Bắc Bình"\n  - stars: 4\n    score: 76\n    decision: "88/QĐ-UBND"\n'
        '    date: 2026-11-30\n    issuer: "UBND tỉnh Lâm Đồng"\n',
    )
    s.edit(
        "bac-binh/khan-tho-cam-cham-phan-thanh.yaml",
        '    issuer: "UBND tỉnh Lâm Đồng"\n',
        '    issuer: "UBND tỉnh Lâm Đồng"\n    revoked: {date: 2026-11-30, decision: "89/QĐ-UBND"}\n',
    )
    s.check()
    s.date = "2026-12-01"
    linked = s.check()
    assert not product_pages(linked, "gom-cham-binh-duc") and not product_pages(linked, "khan-tho-cam-cham-phan-thanh")
    # a product elsewhere that the day leaves alone (those of Bắc Bình list their neighbours, who did change)
    assert product_pages(linked, "che-shan-tuyet-tua-chua"), "a product the new day does not change is linked"


def _day(text: str):
    from datetime import date

    return date.fromisoformat(text)


def build_theme() -> str:
    import ocop_theme

    return os.path.dirname(ocop_theme.__file__)


def test_installing_a_distribution_changes_the_publish_digest(tmp_path, monkeypatch):
    """The distributions' list is read once per process and read again when a folder on sys.path changes."""
    from ocop_catalogue import incremental

    packages = tmp_path / "site-packages"
    packages.mkdir()
    monkeypatch.syspath_prepend(str(packages))
    before = incremental._distributions()
    assert incremental._distributions() == before
    info = packages / "ocop_test_dep-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ocop-test-dep\nVersion: 1.0\n", encoding="utf-8")
    after = incremental._distributions()
    assert after != before and "ocop-test-dep==1.0" in after


def test_linker_links_what_is_there_and_says_what_is_not(tmp_path):
    from ocop_catalogue.incremental import Linker

    old, new = tmp_path / "1", tmp_path / "2.building"
    (old / "san-pham" / "a").mkdir(parents=True)
    (old / "san-pham" / "a" / "index.html").write_text("a", encoding="utf-8")
    (old / "san-pham" / "la-thu-muc" / "index.html").mkdir(parents=True)  # a folder where a page is expected
    (old / "media" / "a").mkdir(parents=True)
    (old / "media" / "a" / "qr.svg").write_text("<svg/>", encoding="utf-8")
    names = ["san-pham/a/index.html", "san-pham/b/index.html", "san-pham/la-thu-muc/index.html", "media/a/qr.svg"]
    assert Linker(old, new).link_all(names) == [True, False, False, True]
    assert os.path.samefile(new / names[0], old / names[0]) and os.path.samefile(new / names[3], old / names[3])
    assert not (new / names[1]).exists() and not (new / names[2]).exists()


def test_folder_maker_makes_every_folder_and_the_linker_then_only_links(tmp_path, monkeypatch):
    """The folders of a build's files are made by another process; the Linker, told so, makes none itself."""
    from ocop_catalogue.incremental import FolderMaker, Linker

    old, new = tmp_path / "1", tmp_path / "2.building"
    names = ["san-pham/a/index.html", "en/products/a/index.html", "a/b/c/d.html", "404.html"]
    for name in names:
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text(name, encoding="utf-8")
    new.mkdir()
    (new / "san-pham").mkdir()  # made already (as photos' folders may be): not an error
    made = FolderMaker(new, names).wait()
    assert made == sorted({os.path.dirname(os.path.join(new, n)) for n in names})
    assert all((new / n).parent.is_dir() for n in names)
    monkeypatch.setattr(os, "makedirs", lambda *a, **k: pytest.fail("a folder made again"))
    assert Linker(old, new, made).link_all(names) == [True] * len(names)
    assert all(os.path.samefile(new / n, old / n) for n in names)


def test_folder_maker_that_fails_leaves_the_folders_to_the_linker(tmp_path, monkeypatch):
    from ocop_catalogue import incremental

    monkeypatch.setattr(incremental, "_MAKE_FOLDERS", "raise SystemExit(1)")
    old, new = tmp_path / "1", tmp_path / "2.building"
    (old / "san-pham" / "a").mkdir(parents=True)
    (old / "san-pham" / "a" / "index.html").write_text("a", encoding="utf-8")
    made = incremental.FolderMaker(new, ["san-pham/a/index.html"]).wait()
    assert made == [] and not new.exists()
    assert incremental.Linker(old, new, made).link_all(["san-pham/a/index.html"]) == [True]


def test_published_fingerprints_header_is_read_alone_and_a_bad_file_reuses_nothing(tmp_path):
    """The nothing-changed check reads the small first line; damaged fingerprints reuse nothing, never crash."""
    from ocop_catalogue.incremental import PublishedPages

    cache, staging, version = tmp_path / "cache", tmp_path / "2.building", tmp_path / "2"
    published = PublishedPages(cache)
    assert published.reusable(version, "in") == {} and not published.unchanged(version, "w")  # none yet
    published.write_pending(staging, "in", {"san-pham/a/index.html": "f1", "san-pham/a/qr.svg": "f2"})
    published.promote(tmp_path / "3.building", version, "w")  # another build's pending file: nothing promoted
    assert not published.path.exists()
    published.promote(staging, version, "w")
    assert published.reusable(version, "in") == {"san-pham/a/index.html": "f1", "san-pham/a/qr.svg": "f2"}
    assert published.reusable(version, "other inputs") == {} and published.reusable(staging, "in") == {}
    assert published.unchanged(version, "w") and not published.unchanged(version, "x")

    header = published.path.read_bytes().split(b"\n")[0]
    published.path.write_bytes(header + b"\n{damaged")
    assert published.unchanged(version, "w")  # the header alone decides
    assert published.reusable(version, "in") == {}
    for damaged in (b"", b"{not json", b"[1, 2]\n{}", b"\xff\xfe\n"):
        published.path.write_bytes(damaged)
        assert published.reusable(version, "in") == {} and not published.unchanged(version, "w")
