"""The theme's `{% shared %}` tag: parts of pages rendered once for every page that shows them."""

from __future__ import annotations

from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser


class SharedFragments(Extension):
    """`{% shared "name", key… %}…{% endshared %}`: a part of a page that is the same on every page with the same
    keys (the header and footer: the same for every page of one language at one depth), rendered once.

    The keys must name everything the part reads that differs between pages; what the part reads that is the
    same for the whole build (site name, content pages, translations) needs no key. Only the catalogue's own
    environments (lang_environment) keep parts, for the one build they render; elsewhere (Pelican's
    environments, the other plugins) the part is rendered every time, so a template reads the same with or
    without it. About 15% of a product page's time went to its header and footer.
    """

    tags = {"shared"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endshared",), drop_needle=True)
        call = self.call_method("_shared", [nodes.Tuple(keys, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _shared(self, keys: tuple, caller: Any) -> str:
        parts = getattr(self.environment, "ocop_shared", None)
        if parts is None:
            return caller()
        if keys not in parts:
            parts[keys] = caller()
        return parts[keys]
