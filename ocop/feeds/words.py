"""Words several feeds share, spoken through the `feeds` gettext domain.

The English text is the msgid (marked with `N_` here); the Vietnamese is in
`ocop/locale/vi/LC_MESSAGES/feeds.po`. Feeds are written outside the themed templates, so they
translate with `gettext_for("feeds", lang)` rather than the theme's `_()`.
"""

from __future__ import annotations

from functools import cache

from ..i18n import N_, catalog, gettext_for

DOMAIN = "feeds"

PRODUCER_KINDS = {
    "enterprise": N_("Enterprise"),
    "cooperative": N_("Cooperative"),
    "cooperative_group": N_("Cooperative group"),
    "household": N_("Household business"),
}


def say(message: str, lang: str) -> str:
    """One msgid of the feeds domain in `lang`."""
    return gettext_for(DOMAIN, lang)(message)


def say_in(context: str, message: str, lang: str) -> str:
    """A msgid whose translation may depend on where it is said (msgctxt), else its usual one."""
    said = catalog(DOMAIN, lang).pgettext(context, message)
    return said if said != message else say(message, lang)


@cache
def producer_kinds(lang: str) -> dict[str, str]:
    return {kind: say(word, lang) for kind, word in PRODUCER_KINDS.items()}


def stars(n: int, lang: str) -> str:
    """'4 sao', '4 stars'."""
    return catalog(DOMAIN, lang).ngettext("{n} star", "{n} stars", n).format(n=n)


def star_level(n: int, lang: str) -> str:
    """As an adjective: '4 sao', '4-star'."""
    return say(N_("{n}-star"), lang).format(n=n)
