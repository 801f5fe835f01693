"""The Pelican adapter: a generator that renders the catalogue, both languages in one pass."""
from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Callable

from pelican.generators import Generator

from ocop import qrcodes, urls
from ocop.catalogue import Catalogue, build_date_from_env, load_catalogue
from ocop.images import Rendition, render
from ocop.problems import Severity

from . import i18n, incremental, site, views

log = logging.getLogger(__name__)

MEDIA_DIR = "media"
MAX_WARNINGS_SHOWN = 20  # a build log is not a to-do list; `ocop check` prints every one


def relative_root(name: str) -> str:
    """The site root seen from an output file: what Pelican's get_relative_path gives, 40× faster
    (Pelican's version splits paths with os.path and costs more than rendering a page)."""
    depth = name.count("/")
    return "/".join([".."] * depth) if depth else "."


def media_base(product_id: str) -> str:
    return f"{MEDIA_DIR}/{product_id}/"


class CatalogueGenerator(Generator):
    """Reads the product records (the domain core validates them) and writes every catalogue page."""

    def generate_context(self):
        s = self.settings
        build_date = build_date_from_env(s.get("OCOP_BUILD_DATE"))
        cache = Path(s["OCOP_CACHE_PATH"]) / "records.pickle"
        catalogue, problems = load_catalogue(s["OCOP_PRODUCTS_PATH"], s["OCOP_PROVINCE"], build_date, cache)
        warnings = [p for p in problems if p.severity is Severity.WARNING]
        for problem in warnings[:MAX_WARNINGS_SHOWN]:
            log.warning("%s", problem)
        if len(warnings) > MAX_WARNINGS_SHOWN:
            log.warning("... and %d more warnings: `make check` lists them all.", len(warnings) - MAX_WARNINGS_SHOWN)
        self.catalogue: Catalogue = catalogue
        self.translations_dir = s.get("OCOP_TRANSLATIONS_PATH") or os.path.join(self.theme, "translations")
        # Shared with later plugins (feeds, search, showrooms): one model, read once.
        self.context["ocop_catalogue"] = catalogue
        self.context["ocop_build_date"] = build_date
        self.pages = views.plan(catalogue)
        self.context[site.CONTEXT_KEY] = site.SiteBuild(dict(s), catalogue, pages=self.pages)

    def _images(self) -> dict[str, list[Rendition]]:
        cache = Path(self.settings["OCOP_CACHE_PATH"]) / "images"
        out: dict[str, list[Rendition]] = {}
        for p in self.catalogue.products:
            renditions = []
            for image in p.images:
                rendition, files = render(image.source, Path(image.name).stem.lower(), cache)
                target = Path(self.output_path) / media_base(p.id)
                target.mkdir(parents=True, exist_ok=True)
                for name, path in files.items():
                    if not (target / name).is_file():  # names carry a content hash
                        shutil.copyfile(path, target / name)
                renditions.append(rendition)
            out[p.id] = renditions
        return out

    def _qr_codes(self, products) -> None:
        cache = Path(self.settings["OCOP_CACHE_PATH"]) / "qr"
        root = self.settings["SITE_CANONICAL_URL"].rstrip("/") + "/"
        for p in products:
            path = Path(self.output_path) / urls.product_asset(p, "qr.svg")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(qrcodes.svg(root + urls.product(p, "vi"), f"QR: {p.name.vi}", cache))

    def _render(self, pages, images) -> None:
        """Render pages the way Pelican's writer does (same context, same relative SITEURL)."""
        relative = self.settings["RELATIVE_URLS"]
        templates: dict = {}
        for page in pages:
            key = (page.lang, page.template)
            template = templates.get(key) or templates.setdefault(key, self._lang_env(page.lang).get_template(page.template))
            name = page.save_as or urls.save_as(page.url)
            local = self.context.copy()
            local.update(output_file=name, url=page.url, lang=page.lang, page_urls=page.urls, images=images,
                         media_base=media_base, **page.context)
            if page.root_relative and relative:
                local["SITEURL"] = local["localsiteurl"] = ""
            elif relative:
                local["SITEURL"] = local["localsiteurl"] = relative_root(name)
            path = Path(self.output_path) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template.render(local), encoding="utf-8")

    def _lang_env(self, lang: str):
        """A Jinja environment bound to one language.

        Pelican's environments translate through the page context (any page, any language);
        ours fix the language once, so macros imported without context translate too, and a
        gettext call costs a dict lookup rather than a context resolution.
        """
        envs = self.__dict__.setdefault("_envs", {})
        if lang not in envs:
            env = self.env.overlay()
            env.globals = dict(self.env.globals)  # an overlay shares its parent's globals dict
            i18n.bind(env, i18n.catalog(self.translations_dir, lang))
            envs[lang] = env
        return envs[lang]

    def _work(self, share: int, workers: int, pages, products, images) -> None:
        self._qr_codes(products[share::workers])
        self._render(pages[share::workers], images)

    def _incremental(self, images) -> tuple[list, list, Callable[[], None]]:
        """Preview only: the pages whose inputs changed since the last preview build, and missing QR codes."""
        project = Path(self.settings["OCOP_PROJECT_PATH"])
        inputs = incremental.inputs_digest(project, self.settings, self.context["ocop_build_date"])
        manifest = incremental.Manifest(Path(self.settings["OCOP_CACHE_PATH"]), Path(self.output_path), inputs)
        fingerprints, todo = {}, []
        prints = incremental.Fingerprints(images)
        out = str(self.output_path)
        for page in self.pages:
            name = page.save_as or urls.save_as(page.url)
            fp = prints.of(page)
            if fp:
                fingerprints[name] = fp
            if not fp or manifest.pages.get(name) != fp or not os.path.isfile(os.path.join(out, name)):
                todo.append(page)
        missing_qr = [p for p in self.catalogue.products
                      if not os.path.isfile(os.path.join(out, urls.product_asset(p, "qr.svg")))]
        log.warning("Preview: %d of %d catalogue pages rendered again.", len(todo), len(self.pages))
        return todo, missing_qr, lambda: manifest.save(fingerprints)

    def generate_output(self, writer):
        images = self._images()
        # Shared with the plugins that write after this one (feeds use the same renditions).
        self.context["ocop_images"] = images
        site.of(self.context).renditions = images
        done = None
        if self.settings.get("OCOP_INCREMENTAL"):
            pages, products, done = self._incremental(images)
        else:
            pages, products = self.pages, self.catalogue.products
        self._render_all(pages, products, images)
        if done:
            done()  # only once every page is written: a failed render is redone next time

    def _render_all(self, pages, products, images) -> None:
        workers = self.settings.get("OCOP_WORKERS") or os.cpu_count() or 1
        if workers == 1 or len(pages) < PARALLEL_FROM:
            self._work(0, 1, pages, products, images)
            return
        # Rendering 40,000 pages is CPU-bound Jinja work: fork one worker per core. Forked
        # workers share the loaded catalogue and templates; each writes its own share of files.
        global _JOB
        _JOB = (self, workers, pages, products, images)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pool.map(_work_share, range(workers))
        finally:
            _JOB = None


_JOB = None
PARALLEL_FROM = 1500  # pages; below this a pool costs more than it saves


def _work_share(share: int) -> None:
    generator, workers, pages, products, images = _JOB
    generator._work(share, workers, pages, products, images)
