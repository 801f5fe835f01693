"""Jinja globals for showroom templates: URLs and translatable labels."""
from __future__ import annotations

from ocop import showrooms


# Marked for extraction with N_ and translated in templates with _().
def N_(s: str) -> str:
    return s


SHOWROOM_KINDS = {
    "centre": N_("OCOP centre"),
    "sales_point": N_("OCOP sales point"),
    "retail": N_("Supermarket or shop"),
    "tourist_site": N_("Tourist site"),
    "hotel": N_("Hotel"),
    "airport": N_("Airport"),
    "station": N_("Station"),
    "other": N_("Other place"),
}

GLOBALS = {
    "SHOWROOM_KINDS": SHOWROOM_KINDS,
    "showroom_url": showrooms.url,
    "showrooms_url": showrooms.index_url,
    "SHOWROOMS_FEED": showrooms.FEED,
}
