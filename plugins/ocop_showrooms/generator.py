"""The Pelican adapter for showrooms: writes their pages, the map page and the GeoJSON feed.

The showroom records are read and linked to the catalogue with the product records, when the
catalogue plugin makes the build's SiteBuild (a bad reference fails the build there, and product
pages list the showrooms whatever the order of PLUGINS). This generator plans its pages in
generate_context and writes them, with the photos' renditions, in generate_output.
"""

from __future__ import annotations

from pathlib import Path

from pelican.generators import Generator

from ocop import showrooms as sr
from ocop import urls
from ocop.settings import value
from ocop_catalogue import site

GEOJSON = "showrooms.geojson"  # under /feeds/, beside the other feeds


class ShowroomsGenerator(Generator):
    def generate_context(self):
        self.site = site.of(self.context)
        index = self.site.showrooms
        pages = site.twin_pages("showrooms.html", urls.twins(urls.showrooms))
        for s in index.showrooms:
            pages += site.twin_pages(
                "showroom.html", urls.twins(urls.showroom, s.id), showroom=s, groups=index.grouped(s)
            )
        self.pages = self.site.plan(pages)

    def _json_ld(self, page: site.Page) -> str:
        s = page.context["showroom"]
        root = value(self.settings, "SITE_CANONICAL_URL")
        base = root.rstrip("/") + "/" + urls.showroom_media(s.id)
        images = [base + r.pick("jpg", 1200).name for r in self.site.showroom_renditions[s.id]]
        return sr.json_ld(s, root, page.lang, images)

    def generate_output(self, writer):
        common = {
            "showrooms": self.site.showrooms,
            "photos": self.site.showroom_renditions,
            "geojson_url": urls.feed(GEOJSON),
            "map": {
                "tiles": value(self.settings, "OCOP_MAP_TILES"),
                "attribution": value(self.settings, "OCOP_MAP_ATTRIBUTION"),
            },
        }
        for page in self.pages:
            extra = {"json_ld": self._json_ld(page)} if "showroom" in page.context else {}
            writer.write_file(
                page.output_file,
                self.get_template(page.template[: -len(".html")]),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=page.url,
                lang=page.lang,
                page_urls=page.urls,
                **common,
                **page.context,
                **extra,
            )
        feed = Path(self.output_path) / urls.feed(GEOJSON)
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_text(sr.geojson(self.site.showrooms, value(self.settings, "SITE_CANONICAL_URL")), encoding="utf-8")
