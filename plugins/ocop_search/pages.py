"""The search pages, /tim-kiem/ and /en/search/ (twins), and the search index of the product pages."""

from __future__ import annotations

from pelican.generators import Generator

from ocop import urls
from ocop.groups import GROUPS
from ocop.model import PRODUCER_KINDS
from ocop.settings import value
from ocop_catalogue import kept, site

from .index import CACHE_NAME, build_index


class SearchPageGenerator(Generator):
    def generate_context(self):
        self.site = site.of(self.context)
        self.pages = self.site.plan(site.twin_pages("search.html", urls.twins(urls.search)))

    def generate_output(self, writer):
        template = self.get_template("search")
        for page in self.pages:
            site.write_page(
                writer,
                template,
                self.context,
                self.settings,
                page,
                group_labels=[g.label(page.lang) for g in GROUPS],
                producer_kinds=PRODUCER_KINDS,
            )
        if value(self.settings, "OCOP_SEARCH_INDEX"):
            # The catalogue generator has written the product pages: it writes first, as it is listed
            # first in PLUGINS (site.of requires it). Each must carry its search record.
            # Built from the catalogue itself, not from the pages: whatever rendered them, the index matches.
            build_index(self.output_path, self.site.catalogue.products, self.site.renditions, **self._reuse())

    def _reuse(self) -> dict:
        """What lets a build reuse the last one's work: the cache, what it is valid for, the published version."""
        if value(self.settings, "OCOP_PREVIEW"):  # the preview's folder is written in place: nothing to link
            return {}
        return {
            "cache": kept.cache_file(self.settings, CACHE_NAME),
            "inputs": kept.inputs_digest(self.settings),
            "previous": value(self.settings, "OCOP_PREVIOUS_BUILD"),
            "linked": self.site.linked,  # ocop_precompress links their siblings too
        }
