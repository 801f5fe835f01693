"""Theme strings through gettext: one set of templates, both languages, one pass.

Catalogs are read straight from the .po files (compiled in memory), so a translator's
edit shows up in the next build with no compile step to forget. The gettext callables
read the language from the template context, which lets every Jinja environment Pelican
creates (one per generator) render either language.
"""
from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import pass_context
from jinja2.ext import _make_new_gettext, _make_new_ngettext  # Jinja's own newstyle wrappers

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
SOURCE_LANG = "en"  # msgids are English; Vietnamese is a translation like any other


@lru_cache(maxsize=None)
def catalog(translations_dir: str, lang: str) -> gettext.NullTranslations:
    po = Path(translations_dir) / lang / "LC_MESSAGES" / "messages.po"
    if lang == SOURCE_LANG or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        cat = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, cat)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def context_lang(ctx) -> str:
    lang = ctx.get("lang")
    if lang in LANGS:
        return lang
    page = ctx.get("page")
    return getattr(page, "lang", None) or DEFAULT_LANG


def install(env, translations_dir: str) -> None:
    @pass_context
    def _gettext(ctx, message: str) -> str:
        return catalog(translations_dir, context_lang(ctx)).gettext(message)

    @pass_context
    def _ngettext(ctx, singular: str, plural: str, n: int) -> str:
        return catalog(translations_dir, context_lang(ctx)).ngettext(singular, plural, n)

    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)


def bind(env, translations: gettext.NullTranslations) -> None:
    """Install one language's catalog as the environment's gettext (newstyle, like install())."""
    env.globals.update(
        gettext=_make_new_gettext(translations.gettext),
        ngettext=_make_new_ngettext(translations.ngettext),
        _=_make_new_gettext(translations.gettext),
    )


def translator(translations_dir: str, lang: str):
    """gettext for Python code that prepares text for templates."""
    return catalog(translations_dir, lang).gettext
