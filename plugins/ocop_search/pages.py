"""The search page, /tim-kiem/ and /en/search/: twins, rendered with the site's theme."""
from __future__ import annotations

from pelican.generators import Generator

from ocop.groups import GROUPS
from ocop.model import LANGS, PRODUCER_KINDS

from .record import SEARCH_URLS


class SearchPageGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        template = self.get_template("search")
        for lang in LANGS:
            url = SEARCH_URLS[lang]
            writer.write_file(
                url + "index.html", template, self.context, relative_urls=self.settings["RELATIVE_URLS"],
                url=url, lang=lang, page_urls=dict(SEARCH_URLS), groups=GROUPS, producer_kinds=PRODUCER_KINDS,
            )
