"""The one object the OCOP plugins share during a build.

The catalogue generator makes it in generate_context (first: it is registered first) and
fills in the photo renditions before any other generator writes output. Other plugins reach
it with `of(context)` instead of reading loose context keys whose presence depends on the
order of PLUGINS.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ocop.catalogue import Catalogue
from ocop.images import Rendition

CONTEXT_KEY = "ocop"


@dataclass
class SiteBuild:
    settings: dict[str, Any]
    catalogue: Catalogue
    # product id → its photos' renditions, in the record's order; filled before any page is written
    renditions: dict[str, list[Rendition]] = field(default_factory=dict)
    pages: list = field(default_factory=list)  # every page of the plan (views.Page), for the sitemap
    showrooms: Any = None  # ocop.showrooms.Showrooms once read

    @property
    def build_date(self) -> date:
        return self.catalogue.build_date


def of(context: dict) -> SiteBuild:
    """The build's shared object; a clear error when the catalogue plugin is not enabled."""
    site = context.get(CONTEXT_KEY)
    if site is None:
        raise RuntimeError("the OCOP plugins need the ocop_catalogue plugin, listed first in PLUGINS")
    return site
