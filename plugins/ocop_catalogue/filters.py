"""Jinja filters and globals: formatting that templates need but should not compute."""

from __future__ import annotations

import contextlib
import re
import weakref
from datetime import date
from functools import lru_cache

import markdown
import nh3
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import pass_context
from markupsafe import Markup, escape

from ocop import certifiers, urls
from ocop.i18n import LANGS, N_
from ocop.model import Text

# Marked for extraction with N_ and translated in templates with _(): labels that come
# from record values rather than from template text.

PRODUCER_KINDS = {
    "enterprise": N_("Enterprise"),
    "cooperative": N_("Cooperative"),
    "cooperative_group": N_("Cooperative group"),
    "household": N_("Household business"),
}
STATUS_LABELS = {
    "active": N_("Valid"),
    "expiring": N_("Expiring soon"),
    "expired": N_("Expired"),
    "revoked": N_("Revoked"),
}
DISTRICT_KINDS = {
    "city": N_("City"),
    "town": N_("Town"),
    "district": N_("District"),
    "urban_district": N_("Urban district"),
}
PROVINCE_KINDS = {"province": N_("Province"), "city": N_("Centrally-run city")}
CHANNELS = {
    "shopee": "Shopee",
    "lazada": "Lazada",
    "tiki": "Tiki",
    "sendo": "Sendo",
    "postmart": "Postmart",
    "voso": "Voso",
    "sanviet": "Sàn Việt",
    "btnl": N_("Bình Thuận–Ninh Thuận–Lâm Đồng e-commerce platform"),
    "website": N_("Producer's website"),
    "other": N_("Online shop"),
}

_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


@lru_cache(maxsize=4096)
def vnd(price: int, lang: str) -> str:
    amount = format_decimal(price, locale=_LOCALES[lang])
    return f"{amount} ₫" if lang == "vi" else f"{amount} VND"


@lru_cache(maxsize=4096)
def longdate(day: date, lang: str) -> str:
    return format_date(day, "d MMMM y" if lang == "en" else "d 'tháng' M 'năm' y", locale=_LOCALES[lang])


def isodate(day: date) -> str:
    return day.isoformat()


@lru_cache(maxsize=4096)
def issuer_name(text: str, lang: str) -> str:
    """An issuing body as a page in `lang` names it: in English when it can be read, else as written."""
    return (certifiers.english(text) or text) if lang == "en" else text


def revocation(cert, today: str) -> str:
    """How a page shows a certificate's revocation on the build day `today` (YYYY-MM-DD): "done",
    "scheduled" (dated later: not yet in effect) or "" (none)."""
    if cert.revoked is None:
        return ""
    return "scheduled" if cert.revocation_scheduled(date.fromisoformat(today)) else "done"


# How each kind of place is named in running text: Vietnamese puts the lower-case kind before the
# name ("huyện Hàm Thuận Bắc"), English after it ("Hàm Thuận Bắc district").
_KIND_WORDS = {
    "vi": {
        "province": "tỉnh",
        "city": "thành phố",
        "town": "thị xã",
        "district": "huyện",
        "urban_district": "quận",
        "commune": "xã",
        "ward": "phường",
        "township": "thị trấn",
        "special_zone": "đặc khu",
    },
    "en": {
        "province": "province",
        "city": "city",
        "town": "town",
        "district": "district",
        "urban_district": "district",
        "commune": "commune",
        "ward": "ward",
        "township": "township",
        "special_zone": "special zone",
    },
}
_BEFORE = {"vi": "trước 7/2025", "en": "before 7/2025"}


def place_name(place, lang: str, first: bool = False) -> str:
    """One place in running text: "huyện Hàm Thuận Bắc" / "Hàm Thuận Bắc district"; `first` capitalises
    the Vietnamese kind ("Xã Đông Giang"). A name that keeps its kind ("Quận 1", "Phường 2") is left whole."""
    kind = _KIND_WORDS[lang][place.kind]
    if place.name == place.full_name:
        return place.full_name
    if lang == "en":
        return f"{place.name} {kind}"
    return f"{kind[:1].upper() + kind[1:] if first else kind} {place.name}"


def place_parts(p, lang: str) -> tuple[str, str]:
    """A product's place on both maps: ("Xã Đông Giang, tỉnh Lâm Đồng", "huyện Hàm Thuận Bắc, tỉnh Bình
    Thuận"); the first is today's map, the second the map before the 2025 reform."""
    place = p.place
    if place is None:  # a product built by hand, not read from a record
        return f"{place_name(p.district, lang, True)}, {place_name(p.district.province, lang)}", ""
    current = [place_name(place.commune, lang, True)] if place.commune else []
    former = [place_name(place.former_commune, lang)] if place.former_commune else []
    if not place.commune and not place.former_commune and place.commune_text:
        current.append(place.commune_text)  # a commune the maps do not know, as the record writes it
    current.append(place_name(place.province, lang, not current))
    former += [place_name(place.district, lang), place_name(place.former_province, lang)]
    return ", ".join(current), ", ".join(former)


def place_text(p, lang: str) -> str:
    """'Xã Đông Giang, tỉnh Lâm Đồng (trước 7/2025: huyện Hàm Thuận Bắc, tỉnh Bình Thuận)', or in English
    'Đông Giang commune, Lâm Đồng province (before 7/2025: Hàm Thuận Bắc district, Bình Thuận province)'."""
    current, former = place_parts(p, lang)
    return f"{current} ({_BEFORE[lang]}: {former})" if former else current


def before_reform(lang: str) -> str:
    return _BEFORE[lang]


_md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
# Markdown lets staff paste raw HTML (from Word, a website); only plain structure survives.
_ALLOWED = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "h3", "h4", "a", "hr"}


# A line Markdown leaves as it is: it opens no block (list, heading, quote, code, rule) and holds no inline
# syntax, entity, tag or trailing space (a line break). A whole paragraph may be bold. Most descriptions are
# such paragraphs, and Python-Markdown costs ~1 ms for each: these are written as Markdown would write them
# (tests/test_render.py checks the two agree on every text it takes).
_PLAIN_LINE = re.compile(r"[^\s\d#>*+=_`~|\\<&\[!:\x00-\x1f\x7f-][^\\`*_\[\]<>&!|~#\x00-\x1f\x7f]*(?<!\s)")
_PLAIN_BOLD = re.compile(r"\*\*(" + _PLAIN_LINE.pattern + r")\*\*")


def _plain_paragraph(lines: list[str]) -> str | None:
    if all(_PLAIN_LINE.fullmatch(line) for line in lines):
        return "<p>" + "\n".join(lines) + "</p>"
    bold = _PLAIN_BOLD.fullmatch(lines[0]) if len(lines) == 1 else None
    return f"<p><strong>{bold[1]}</strong></p>" if bold else None


def _plain_html(text: str) -> str | None:
    """The HTML Markdown makes of text written as plain paragraphs (separated by empty lines), else None."""
    paragraphs = []
    for block in re.split(r"\n(?:[ ]*\n)+", text.strip("\n")):
        html = _plain_paragraph(block.split("\n"))
        if html is None:
            return None
        paragraphs.append(html)
    return "\n".join(paragraphs)


@lru_cache(maxsize=8192)
def _render_md(text: str) -> str:
    plain = _plain_html(text)
    if plain is not None and "\xa0" not in plain:
        # Paragraphs of text without a tag, an entity or "<", ">", "&": the sanitiser gives them back as they
        # are (it would only write a no-break space as &nbsp;), for ~0.2 ms each (tests/test_render.py checks).
        return plain
    html = plain or _md.reset().convert(text)
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return nh3.clean(
        html,
        tags=_ALLOWED,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener",
    )


def md(text: str | None) -> Markup:
    return Markup(_render_md(text)) if text else Markup("")


def meta_tags(tags) -> Markup:
    """Open Graph and Twitter card tags, one a line: (attribute, name, content) → `<meta property="og:title"
    content="…">`. Written here rather than in a template loop, which cost a product page ~0.1 ms."""
    return Markup(
        "".join(f'<meta {escape(attr)}="{escape(name)}" content="{escape(content)}">\n' for attr, name, content in tags)
    )


def text_lang(text: Text | None, lang: str) -> str:
    return text.lang_of(lang) if text else lang


def content_urls(page) -> dict[str, str]:
    """A Pelican content page and its translations, language → URL, for the language switch.

    Kept for each page object (a build's pages are new objects): Pelican computes a page's URL from its
    settings at each read, and every page of the site links to a content page (content_url)."""
    try:
        return _CONTENT_URLS[page]
    except (KeyError, TypeError):
        pass
    found = {page.lang: page.url}
    for twin in getattr(page, "translations", ()):
        found[twin.lang] = twin.url
    urls_ = {lang: found.get(lang, found[page.lang]) for lang in LANGS}
    with contextlib.suppress(TypeError):  # an object that cannot be weakly referenced: computed each time
        _CONTENT_URLS[page] = urls_
    return urls_


_CONTENT_URLS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@pass_context
def content_url(ctx, key: str, lang: str) -> str:
    """The URL, in one language, of the Markdown content page whose metadata says `Key: <key>`.

    The slugs are the site's own (file names under content/pages): the theme names the page by key.
    """
    for page in ctx.get("pages", ()):
        if getattr(page, "key", None) == key:
            return content_urls(page)[lang]
    raise LookupError(f"the theme links to the content page with 'Key: {key}', and content/pages has none")


FILTERS = {
    "vnd": vnd,
    "longdate": longdate,
    "isodate": isodate,
    "md": md,
    "issuer_name": issuer_name,
    "revocation": revocation,
    "place_text": place_text,
    "meta_tags": meta_tags,
}
GLOBALS = {
    "urls": urls,
    "LANGS": LANGS,
    "PRODUCER_KINDS": PRODUCER_KINDS,
    "STATUS_LABELS": STATUS_LABELS,
    "DISTRICT_KINDS": DISTRICT_KINDS,
    "PROVINCE_KINDS": PROVINCE_KINDS,
    "CHANNELS": CHANNELS,
    "text_lang": text_lang,
    "content_urls": content_urls,
    "content_url": content_url,
    "place_parts": place_parts,
    "before_reform": before_reform,
}
