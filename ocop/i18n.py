"""Languages and bilingual words: the one home for both.

Every word the catalogue shows or says exists in English (the msgid, in the code or a
template) and is translated through gettext catalogs kept in this package, under
`ocop/locale/<lang>/LC_MESSAGES/<domain>.po`. One system, several domains, each named after
who speaks: `theme` (pages), `feeds` (feeds and structured data), `staff` (the staff tools),
`records` (validation of records), `cli` (the command line), `build` (the build's own messages).
The .po files are compiled in memory when first used, so a translator's edit shows up in the next
run with no compile step to forget.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

LANGS = ("vi", "en")  # the site's languages, in order: the first is the default
DEFAULT_LANG = LANGS[0]
SOURCE_LANG = "en"  # msgids are English; Vietnamese is a translation like any other
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Marks a word for extraction where it is defined; it is translated where it is used."""
    return message


@cache
def catalog(domain: str, lang: str, locale_dir: str | None = None) -> gettext.NullTranslations:
    """The translations of one domain into one language (English: the msgids themselves)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = Path(locale_dir or LOCALE_DIR) / lang / "LC_MESSAGES" / f"{domain}.po"
    if lang == SOURCE_LANG or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        cat = read_po(f, locale=lang, domain=domain)
    buf = io.BytesIO()
    write_mo(buf, cat)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def gettext_for(domain: str, lang: str):
    """`_` for Python code speaking in one domain and language."""
    return catalog(domain, lang).gettext
