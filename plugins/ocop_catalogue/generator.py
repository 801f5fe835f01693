"""The Pelican adapter: a generator that renders the catalogue, both languages in one pass."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from pelican.generators import Generator

from ocop import qrcodes, urls
from ocop.catalogue import Catalogue, build_date_from_env, load_catalogue
from ocop.images import Rendition, render
from ocop.problems import Severity

from . import views

log = logging.getLogger(__name__)

MEDIA_DIR = "media"


def media_base(product_id: str) -> str:
    return f"{MEDIA_DIR}/{product_id}/"


class CatalogueGenerator(Generator):
    """Reads the product records (the domain core validates them) and writes every catalogue page."""

    def generate_context(self):
        s = self.settings
        build_date = build_date_from_env(s.get("OCOP_BUILD_DATE"))
        catalogue, problems = load_catalogue(s["OCOP_PRODUCTS_PATH"], s["OCOP_PROVINCE"], build_date)
        for problem in problems:
            if problem.severity is Severity.WARNING:
                log.warning("%s", problem)
        self.catalogue: Catalogue = catalogue
        # Shared with later plugins (feeds, search, showrooms): one model, read once.
        self.context["ocop_catalogue"] = catalogue
        self.context["ocop_build_date"] = build_date
        self.pages = views.plan(catalogue)

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
                    shutil.copyfile(path, target / name)
                renditions.append(rendition)
            out[p.id] = renditions
        return out

    def _qr_codes(self) -> None:
        cache = Path(self.settings["OCOP_CACHE_PATH"]) / "qr"
        root = self.settings["SITE_CANONICAL_URL"].rstrip("/") + "/"
        for p in self.catalogue.products:
            path = Path(self.output_path) / urls.product_asset(p, "qr.svg")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(qrcodes.svg(root + urls.product(p, "vi"), f"QR: {p.name.vi}", cache))

    def generate_output(self, writer):
        images = self._images()
        self._qr_codes()
        relative = self.settings["RELATIVE_URLS"]
        templates = {}
        for page in self.pages:
            template = templates.get(page.template) or templates.setdefault(page.template, self.get_template(page.template[:-5]))
            writer.write_file(
                urls.save_as(page.url), template, self.context, relative_urls=relative, url=page.url,
                lang=page.lang, page_urls=page.urls, images=images, media_base=media_base, **page.context,
            )
