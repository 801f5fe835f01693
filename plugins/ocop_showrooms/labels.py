"""Jinja globals for showroom templates: the kinds of showroom, in English, translated with _()
through the theme's gettext catalog (ocop/locale/<lang>/LC_MESSAGES/theme.po)."""

from __future__ import annotations

from ocop.i18n import N_

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

GLOBALS = {"SHOWROOM_KINDS": SHOWROOM_KINDS}
