"""The Pelican adapter for showrooms: reads the records, links them to the catalogue, writes pages.

generate_context runs after the catalogue generator's (it is registered later), reads the
catalogue from the shared context, checks every reference and publishes the product →
showrooms mapping that product pages need (they are rendered later, in generate_output).
A bad reference raises RecordsInvalid, so the build fails and publishes nothing, like a bad
product record does.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

from pelican.generators import Generator

from ocop import showrooms as sr
from ocop.images import Rendition, render
from ocop.model import LANGS
from ocop.problems import RecordsInvalid, Severity, errors

log = logging.getLogger(__name__)

DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def showrooms_path(settings: dict) -> Path:
    """OCOP_SHOWROOMS_PATH, or content/showrooms beside the products folder (see ocop.showrooms.default_folder)."""
    explicit = settings.get("OCOP_SHOWROOMS_PATH")
    return Path(explicit) if explicit else sr.default_folder(settings["OCOP_PRODUCTS_PATH"])


def both(fn, *args) -> dict[str, str]:
    return {lang: fn(*args, lang) for lang in LANGS}


class ShowroomsGenerator(Generator):
    def generate_context(self):
        catalogue = self.context.get("ocop_catalogue")
        if catalogue is None:
            raise RuntimeError("the ocop_showrooms plugin needs the ocop_catalogue plugin, listed before it in PLUGINS")
        records, problems = sr.read_showrooms(showrooms_path(self.settings), self.settings["OCOP_PROVINCE"])
        index, link_problems = sr.link(records, catalogue)
        problems += link_problems
        if errors(problems):
            raise RecordsInvalid(problems)
        for problem in problems:
            if problem.severity is Severity.WARNING:
                log.warning("%s", problem)
        self.index: sr.Showrooms = index
        self.context["ocop_showrooms"] = index
        # Product pages (rendered by the catalogue generator in generate_output) list these.
        self.context["ocop_showrooms_by_product"] = index.by_product

    def _photos(self) -> dict[str, list[Rendition]]:
        cache = Path(self.settings["OCOP_CACHE_PATH"]) / "images"
        out: dict[str, list[Rendition]] = {}
        for s in self.index.showrooms:
            renditions = []
            for photo in s.photos:
                rendition, files = render(photo.source, Path(photo.name).stem.lower(), cache)
                target = Path(self.output_path) / sr.media_base(s)
                target.mkdir(parents=True, exist_ok=True)
                for name, path in files.items():
                    shutil.copyfile(path, target / name)
                renditions.append(rendition)
            out[s.id] = renditions
        return out

    def generate_output(self, writer):
        photos = self._photos()
        relative = self.settings["RELATIVE_URLS"]
        site = self.settings["SITE_CANONICAL_URL"]
        map_settings = {
            "tiles": self.settings.get("OCOP_MAP_TILES", DEFAULT_TILES),
            "attribution": self.settings.get("OCOP_MAP_ATTRIBUTION", DEFAULT_ATTRIBUTION),
        }
        common = {"showrooms": self.index, "photos": photos, "showroom_media": sr.media_base, "map": map_settings}

        index_template = self.get_template("showrooms")
        for lang in LANGS:
            page_urls = both(sr.index_url)
            writer.write_file(sr.index_url(lang) + "index.html", index_template, self.context, relative_urls=relative,
                              url=page_urls[lang], lang=lang, page_urls=page_urls, **common)

        template = self.get_template("showroom")
        root = site.rstrip("/") + "/"
        for s in self.index.showrooms:
            page_urls = both(sr.url, s)
            images = [root + sr.media_base(s) + r.pick("jpg", 1200).name for r in photos[s.id]]
            for lang in LANGS:
                writer.write_file(sr.url(s, lang) + "index.html", template, self.context, relative_urls=relative,
                                  url=page_urls[lang], lang=lang, page_urls=page_urls, showroom=s,
                                  groups=self.index.grouped(s), json_ld=sr.json_ld(s, site, lang, images), **common)

        feed = Path(self.output_path) / sr.FEED
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_text(sr.geojson(self.index, site), encoding="utf-8")
