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

from jinja2 import pass_context, pass_eval_context
from markupsafe import Markup

from ocop import i18n
from ocop.settings import value

from .fragments import SharedFragments

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
    # Not gettext, but installed with it in every environment that renders the theme: its {% shared %} tag.
    env.add_extension(SharedFragments)


def bind(env, translations: gettext.NullTranslations) -> None:
    """Install one language's catalog as the environment's gettext (newstyle, like install())."""
    env.globals.update(gettext=_new_gettext(translations), ngettext=_new_ngettext(translations))
    env.globals["_"] = env.globals["gettext"]


def _new_gettext(translations: gettext.NullTranslations) -> Callable[..., str]:
    """Jinja's newstyle gettext (jinja2.ext._make_new_gettext), without its second Context.call per message:
    the catalog's gettext is a plain function. Same result: escaped variables in a safe string."""

    @pass_eval_context
    def _gettext(eval_ctx, message: str, **variables: Any) -> str:
        rv = translations.gettext(message)
        if eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables  # always a format string ("%%" gives "%"), as in Jinja's

    return _gettext


def _new_ngettext(translations: gettext.NullTranslations) -> Callable[..., str]:
    """Jinja's newstyle ngettext (jinja2.ext._make_new_ngettext), likewise."""

    @pass_eval_context
    def _ngettext(eval_ctx, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        rv = translations.ngettext(singular, plural, num)
        if eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return _ngettext


def translator(lang: str, folder: str | None = None) -> Callable[[str], str]:
    """gettext for Python code that prepares text for templates."""
    return catalog(lang, folder).gettext
