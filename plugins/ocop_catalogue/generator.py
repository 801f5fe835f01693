"""The Pelican adapter: a generator that renders the catalogue, both languages in one pass."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from pelican.generators import Generator

from ocop import i18n as core_i18n
from ocop import qrcodes, urls
from ocop import showrooms as sr
from ocop.catalogue import Catalogue, build_date_from_env, load_catalogue
from ocop.images import Rendition, render
from ocop.model import Image, Product
from ocop.problems import Problem, RecordsInvalid, Severity, chosen_lang, errors, format_report
from ocop.records import freeze_for_build
from ocop.settings import value
from ocop.workers import forked_map

from . import i18n, incremental, preview_pages, rendering, site, views

MAX_WARNINGS_SHOWN = 20  # a build log is not a to-do list; `ocop check` prints every one


def relative_root(name: str) -> str:
    """The site root seen from an output file: what Pelican's get_relative_path gives, 40× faster
    (Pelican's version splits paths with os.path and costs more than rendering a page)."""
    depth = name.count("/")
    return "/".join([".."] * depth) if depth else "."


def showrooms_folder(settings: dict) -> Path:
    """OCOP_SHOWROOMS_PATH, or content/showrooms beside the products folder (see ocop.showrooms.default_folder)."""
    explicit = value(settings, "OCOP_SHOWROOMS_PATH")
    return Path(explicit) if explicit else sr.default_folder(value(settings, "OCOP_PRODUCTS_PATH"))


def whole_digest(settings: dict) -> str:
    """Every input of a publishing build: what `publish_digest` covers, and each file of the product records
    (by size and time, as the record cache sees them). Equal digests: the build would change nothing."""
    folders = incremental.watched_folders(settings["THEME"], showrooms_folder(settings), i18n.locale_dir(settings))
    build_date = build_date_from_env(value(settings, "OCOP_BUILD_DATE"))
    h = hashlib.sha256(incremental.publish_digest(folders, settings).encode())
    h.update(str(build_date).encode())  # another day may change statuses: a build is needed
    records = Path(value(settings, "OCOP_PRODUCTS_PATH"))
    for folder, dirs, files in os.walk(records):
        dirs.sort()
        rel = os.path.relpath(folder, records)  # once a folder, not once a file (0.4 s at 20,000 records)
        for name in sorted(files):
            st = os.stat(os.path.join(folder, name))
            h.update(f"{rel}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def report_warnings(problems: list[Problem]) -> None:
    """Print the records' warnings on stderr, every build.

    Not through logging: Pelican's LimitFilter shows a repeated message once per process, so
    the preview server (one process, a build per save) would show each warning only once.
    """
    warnings = sorted(p for p in problems if p.severity is Severity.WARNING)
    if not warnings:
        return
    if len(warnings) <= MAX_WARNINGS_SHOWN:
        print(format_report(warnings, chosen_lang()), file=sys.stderr)
        return
    shown = "\n".join(p.line_text(chosen_lang()) for p in warnings[:MAX_WARNINGS_SHOWN])
    print(
        f"{shown}\n... and {len(warnings) - MAX_WARNINGS_SHOWN} more warnings ({len(warnings)} in all): "
        "`make check` lists them all.",
        file=sys.stderr,
    )


def record_cache_file(settings: dict) -> Path:
    """Where validated records are kept between builds and previews (ocop.records.RecordCache)."""
    return Path(value(settings, "OCOP_CACHE_PATH")) / "records.pickle"


def read_site(settings: dict) -> tuple[site.SiteBuild, list[Problem]]:
    """The product and showroom records, read, validated and linked; every problem of both.

    Raises RecordsInvalid, listing every problem, when any is an error: nothing is published.
    """
    build_date = build_date_from_env(value(settings, "OCOP_BUILD_DATE"))
    cache = record_cache_file(settings)
    province = value(settings, "OCOP_PROVINCE")
    catalogue, problems = load_catalogue(value(settings, "OCOP_PRODUCTS_PATH"), province, build_date, cache)
    records, showroom_problems = sr.read_showrooms(showrooms_folder(settings), province)
    showrooms, link_problems = sr.link(records, catalogue)
    problems = problems + showroom_problems + link_problems
    if errors(problems):
        raise RecordsInvalid(problems)
    return site.SiteBuild(settings, catalogue, showrooms), problems


class CatalogueGenerator(Generator):
    """Reads the product and showroom records (the domain core validates them), makes the build's
    shared SiteBuild, and writes every catalogue page."""

    def generate_context(self):
        # The preview server builds again in the same process: a translator's edit must show.
        core_i18n.catalog.cache_clear()
        self.site, problems = read_site(self.settings)
        report_warnings(problems)
        self.catalogue: Catalogue = self.site.catalogue
        self.translations_dir = i18n.locale_dir(self.settings)
        # A Planner keeps the plan: the preview's refresh (preview.py) plans again only what its changes touch.
        self.planner = views.Planner()
        self.pages = self.site.plan(self.planner.plan(self.catalogue, self.site.showrooms))
        # The plan's 43,000 pages at 20,000 products live as long as the build, as the records do.
        freeze_for_build(len(self.catalogue.products))
        self.context[site.CONTEXT_KEY] = self.site
        previous = value(self.settings, "OCOP_PREVIOUS_BUILD")
        self.previous = Path(previous) if previous else None

    def _photos(self, photos: tuple[Image, ...], folder: str) -> list[Rendition]:
        """Renditions of one record's photos, copied into their folder of the output."""
        if not photos:  # most records: no paths to make (0.5 s at 20,000 products)
            return []
        cache = Path(value(self.settings, "OCOP_CACHE_PATH")) / "images"
        target = Path(self.output_path) / folder
        renditions = []
        for photo in photos:
            rendition, files = render(photo.source, Path(photo.name).stem.lower(), cache)
            target.mkdir(parents=True, exist_ok=True)
            for name, path in files.items():
                if (target / name).is_file():  # names carry a content hash
                    continue
                published = self.previous / folder / name if self.previous else None
                if published is not None and published.is_file():
                    incremental.link_or_copy(str(published), str(target / name))
                else:
                    shutil.copyfile(path, target / name)
            renditions.append(rendition)
        return renditions

    def _render_photos(self) -> None:
        """Every photo's renditions, products' and showrooms', before any page shows one."""
        self.site.renditions = {p.id: self._photos(p.images, urls.product_media(p.id)) for p in self.catalogue.products}
        self.site.showroom_renditions = {
            s.id: self._photos(s.photos, urls.showroom_media(s.id)) for s in self.site.showrooms.showrooms
        }

    def _qr_codes(self, products, out: rendering.FileWriter | None = None) -> None:
        cache = os.path.join(value(self.settings, "OCOP_CACHE_PATH"), "qr")
        root = value(self.settings, "SITE_CANONICAL_URL").rstrip("/") + "/"
        out = out or rendering.FileWriter(str(self.output_path))
        for p in products:
            out.write_bytes(urls.product_asset(p, "qr.svg"), qrcodes.svg(*_qr_input(root, p), cache))

    def _render(self, pages: list[site.Page], out: rendering.FileWriter | None = None) -> None:
        """Render pages as Pelican's writer would (same variables, same relative SITEURL), cheaper: each page's
        context is a small dict over the part of the build's context its templates read (rendering.page_base)."""
        relative = self.settings["RELATIVE_URLS"]
        templates: dict = {}
        base = self._page_base()
        images = self.site.renditions
        out = out or rendering.FileWriter(str(self.output_path))
        for page in pages:
            key = (page.lang, page.template)
            template = templates.get(key) or templates.setdefault(
                key, self._lang_env(page.lang).get_template(page.template)
            )
            name = page.output_file
            local = dict(base, output_file=name, url=page.url, lang=page.lang, page_urls=page.urls, images=images)
            local.update(page.context)
            if page.root_relative and relative:
                local["SITEURL"] = local["localsiteurl"] = ""
            elif relative:
                local["SITEURL"] = local["localsiteurl"] = relative_root(name)
            out.write(name, template.render(local))

    def _page_base(self) -> dict:
        """What every catalogue page sees of the build's context (computed once per build and process)."""
        if "_base" not in self.__dict__:
            planned = {page.template for page in self.pages}
            self._base = rendering.page_base(self.context, rendering.names_read(self.env, planned))
        return self._base

    def _lang_env(self, lang: str):
        """A Jinja environment bound to one language (rendering.lang_environment).

        Pelican's environments translate through the page context (any page, any language);
        ours fix the language once, so macros imported without context translate too, and a
        constant message costs nothing at all: it is compiled into the template.
        """
        envs = self.__dict__.setdefault("_envs", {})
        if lang not in envs:
            envs[lang] = rendering.lang_environment(self.env, lang, i18n.catalog(lang, self.translations_dir))
        return envs[lang]

    def _work(self, share: int, workers: int, pages, products) -> list[str]:
        """Render one share of the pages and QR codes; the names of those written with their `.gz`/`.br`."""
        # One writer: a product's folder is made once. Compressed here, from the bytes in memory, and in
        # parallel: the precompress step would read each file again (SiteBuild.compress).
        out = rendering.FileWriter(str(self.output_path), self.site.compress)
        self._qr_codes(products[share::workers], out)
        self._render(pages[share::workers], out)
        return out.compressed

    def _incremental(self, fresh: set[str] | None = None) -> tuple[list, list, Callable[[], None]]:
        """Preview only: the pages whose inputs changed since the last preview build, and missing QR codes.

        `fresh`: given by a preview refresh (preview.py), the ids of the products read again since this
        generator's last call; then only the pages whose planned context changed are fingerprinted, and only
        those and the fresh products' QR codes are looked for on disk.
        """
        memory: preview_pages.Memory | None = getattr(self, "preview_memory", None)
        recheck = fresh is None or memory is None
        if recheck:
            folders = incremental.watched_folders(self.theme, showrooms_folder(self.settings), self.translations_dir)
            inputs = incremental.inputs_digest(folders, self.settings, self.site.build_date)
            manifest = incremental.Manifest(
                Path(value(self.settings, "OCOP_CACHE_PATH")), Path(self.output_path), inputs
            )
            memory, fresh = preview_pages.Memory(manifest, prints=manifest.pages), set()
        assert memory is not None and fresh is not None
        fingerprints, todo, pages = {}, [], {}
        prints = preview_pages.PreviewFingerprints(self.site.renditions, self.site.build_date)
        sameness = preview_pages.Sameness(fresh)
        out = str(self.output_path)
        for page in self.pages:
            name = page.output_file
            pages[name] = page
            before = memory.prints.get(name)
            # The very Page of last time (views.Planner): planned from the same objects, it shows the same.
            if (
                not recheck
                and before
                and (memory.pages.get(name) is page or sameness.unchanged(memory.pages.get(name), page))
            ):
                fingerprints[name] = before
                continue
            fp = prints.of(page)
            if fp:
                fingerprints[name] = fp
            if not fp or before != fp or (recheck and not os.path.isfile(os.path.join(out, name))):
                todo.append(page)
        if recheck:
            qr = [
                p
                for p in self.catalogue.products
                if not os.path.isfile(os.path.join(out, urls.product_asset(p, "qr.svg")))
            ]
        else:  # a product read again may have a new name, which its QR code shows
            qr = [p for p in self.catalogue.products if p.id in fresh]
        print(f"Preview: {len(todo)} of {len(self.pages)} catalogue pages rendered again.", file=sys.stderr)

        def done() -> None:
            memory.manifest.save(fingerprints)
            self.preview_memory = preview_pages.Memory(memory.manifest, pages, fingerprints)

        return todo, qr, done

    def generate_output(self, writer):
        self._render_photos()
        done = None
        if value(self.settings, "OCOP_INCREMENTAL"):
            pages, products, done = self._incremental()
        elif not value(self.settings, "OCOP_PREVIEW"):
            pages, products, done = self._reuse_published()
        else:
            pages, products = self.pages, self.catalogue.products
        self._render_all(pages, products)
        if done:
            done()  # only once every page is written: a failed render is redone next time

    def _reuse_published(self) -> tuple[list, list, Callable[[], None]]:
        """A publishing build: the pages and QR codes whose fingerprint changed since the published version.

        The others are hard-linked from it (OCOP_PREVIOUS_BUILD, set by publish.py); with no previous
        version, or other code, theme or settings, every one is rendered; another build day renders the pages
        whose products it changes (their fingerprints say so).
        """
        out, fingerprints = str(self.output_path), {}
        qr_names = [urls.product_asset(p, "qr.svg") for p in self.catalogue.products]
        # Every file below is linked or written, each into its folder: those are made meanwhile, by another process.
        folders = incremental.FolderMaker(out, [page.output_file for page in self.pages] + qr_names)
        try:
            watched = incremental.watched_folders(self.theme, showrooms_folder(self.settings), self.translations_dir)
            inputs = incremental.publish_digest(watched, self.settings)
            published = incremental.PublishedPages(Path(value(self.settings, "OCOP_CACHE_PATH")))
            before = published.reusable(self.previous, inputs)
            prints = incremental.Fingerprints(self.site.renditions, self.site.build_date)
            for page in self.pages:
                fp = prints.of(page)
                if fp:
                    fingerprints[page.output_file] = fp
            root = value(self.settings, "SITE_CANONICAL_URL").rstrip("/") + "/"
            for p, name in zip(self.catalogue.products, qr_names, strict=True):
                fingerprints[name] = hashlib.sha1("\0".join(_qr_input(root, p)).encode()).hexdigest()
        finally:
            made = folders.wait()  # a failed build removes its folder: nothing may be made in it after
        # Linked first (Linker: one system call a file), then what could not be is rendered, in plan order.
        same = [name for name, fp in fingerprints.items() if before.get(name) == fp]
        linked = self.site.linked = {name for name, ok in zip(same, self._link(same, made), strict=True) if ok}
        todo = [page for page in self.pages if page.output_file not in linked]
        qr_todo = [p for p, name in zip(self.catalogue.products, qr_names, strict=True) if name not in linked]
        if before:
            print(
                f"{len(self.pages) - len(todo)} of {len(self.pages)} catalogue pages unchanged since the published "
                "build: reused.",
                file=sys.stderr,
            )
        return todo, qr_todo, lambda: published.write_pending(Path(out), inputs, fingerprints)

    def _link(self, names: list[str], folders: list[str]) -> list[bool]:
        """Hard-link these files of the published version into the build, in `folders` (made already) or folders
        it makes; False for each one not there."""
        if not names:
            return []
        assert self.previous is not None  # only called when fingerprints of a previous version matched
        return incremental.Linker(self.previous, self.output_path, folders).link_all(names)

    def _render_all(self, pages, products) -> None:
        workers = value(self.settings, "OCOP_WORKERS") or os.cpu_count() or 1
        self._page_base()  # before forking: the workers share it, and the compiled templates below
        for key in sorted({(page.lang, page.template) for page in pages}):
            self._lang_env(key[0]).get_template(key[1])
        if workers == 1 or len(pages) < PARALLEL_FROM:
            self.site.precompressed.update(self._work(0, 1, pages, products))
            return
        # Rendering 40,000 pages is CPU-bound Jinja work: fork one worker per core. Forked
        # workers share the loaded catalogue and templates; each writes its own share of files.
        global _JOB
        _JOB = (self, workers, pages, products)
        try:
            for names in forked_map(_work_share, range(workers), workers):
                self.site.precompressed.update(names)
        finally:
            _JOB = None


# The one piece of module state: what a forked render worker is to do. A fork copies memory, so
# the workers find it here without pickling the catalogue; it is set only for the pool's
# lifetime and cleared after, so no build sees another's.
_JOB: tuple[CatalogueGenerator, int, list, list] | None = None
PARALLEL_FROM = 1500  # pages; below this a pool costs more than it saves


def _qr_input(root: str, product: Product) -> tuple[str, str]:
    """What a product's QR code encodes (its Vietnamese page) and its title."""
    return root + urls.product(product, "vi"), f"QR: {product.name.vi}"


def _work_share(share: int) -> list[str]:
    assert _JOB is not None  # set before the pool forks the workers
    generator, workers, pages, products = _JOB
    return generator._work(share, workers, pages, products)
