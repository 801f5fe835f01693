"""Theme strings through gettext: one set of templates, both languages, one pass.

The words are the `theme` domain of `ocop.i18n` (ocop/locale/<lang>/LC_MESSAGES/theme.po), or of
the folder the OCOP_TRANSLATIONS_PATH setting names. The gettext callables read the language
from the template context, which lets every Jinja environment Pelican creates (one per
generator) render either language.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from typing import Any

from jinja2 import pass_context
from jinja2.ext import _make_new_gettext, _make_new_ngettext  # Jinja's own newstyle wrappers

from ocop import i18n
from ocop.settings import value

DOMAIN = "theme"


def locale_dir(settings: dict[str, Any]) -> str | None:
    """The folder of gettext catalogs: the setting's, or None for the package's own."""
    return value(settings, "OCOP_TRANSLATIONS_PATH")


def catalog(lang: str, folder: str | None = None) -> gettext.NullTranslations:
    return i18n.catalog(DOMAIN, lang, folder)


def context_lang(ctx) -> str:
    lang = ctx.get("lang")
    if lang in i18n.LANGS:
        return lang
    page = ctx.get("page")
    return getattr(page, "lang", None) or i18n.DEFAULT_LANG


def install(env, folder: str | None = None) -> None:
    @pass_context
    def _gettext(ctx, message: str) -> str:
        return catalog(context_lang(ctx), folder).gettext(message)

    @pass_context
    def _ngettext(ctx, singular: str, plural: str, n: int) -> str:
        return catalog(context_lang(ctx), folder).ngettext(singular, plural, n)

    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)


def bind(env, translations: gettext.NullTranslations) -> None:
    """Install one language's catalog as the environment's gettext (newstyle, like install())."""
    env.globals.update(
        gettext=_make_new_gettext(translations.gettext),
        ngettext=_make_new_ngettext(translations.ngettext),
        _=_make_new_gettext(translations.gettext),
    )


def translator(lang: str, folder: str | None = None) -> Callable[[str], str]:
    """gettext for Python code that prepares text for templates."""
    return catalog(lang, folder).gettext
