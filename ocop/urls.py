"""The site's URL scheme, in one place.

Product URLs are printed as QR codes on packaging, so they are a promise: never change
a pattern here. Every URL is relative to the site root, without a leading slash (the
Pelican convention: templates prefix SITEURL), and ends in '/' so servers need no rewrite.
"""

from __future__ import annotations

from .groups import Group
from .i18n import LANGS
from .model import Product
from .places import District, FormerProvince, Province

_PREFIX = {"vi": "", "en": "en/"}
_WORDS = {
    "vi": {
        "product": "san-pham",
        "district": "dia-phuong",
        "current_province": "tinh",
        "stars": "sao",
        "group": "nhom",
        "browse": "danh-muc",
        "lapsed": "het-hieu-luc",
        "page": "trang",
        "showrooms": "diem-ban",
        "search": "tim-kiem",
        "statistics": "thong-ke",
        "marketplaces": "thi-truong",
    },
    "en": {
        "product": "products",
        "district": "districts",
        "current_province": "provinces",
        "stars": "stars",
        "group": "groups",
        "browse": "browse",
        "lapsed": "lapsed",
        "page": "page",
        "showrooms": "showrooms",
        "search": "search",
        "statistics": "statistics",
        "marketplaces": "marketplaces",
    },
}
MEDIA_DIR = "media"  # photo renditions; names carry a content hash, so they can be cached for ever
FEEDS_DIR = "feeds"
SEARCH_DIR = "search-index"  # the search index's files (plugins/ocop_search)
EDITOR_DIR = "admin"  # the browser editor, when the site has one (plugins/ocop_editor)


def reserved_folders(theme_dir: str) -> list[str]:
    """First folders of the site's addresses that only the catalogue may use (a content page may not):
    its words in every language, the languages' own folders, media, feeds, search, the editor and the theme's
    static files (THEME_STATIC_DIR)."""
    words = {word for lang in LANGS for word in _WORDS[lang].values()}
    prefixes = {prefix.strip("/") for prefix in _PREFIX.values() if prefix}
    return sorted(words | prefixes | {MEDIA_DIR, FEEDS_DIR, SEARCH_DIR, EDITOR_DIR, theme_dir})


def _u(lang: str, *parts: str) -> str:
    return _PREFIX[lang] + "/".join(parts) + "/" if parts else _PREFIX[lang]


def home(lang: str) -> str:
    return _PREFIX[lang]


def product(p: Product, lang: str) -> str:
    return product_slug(p.slug, lang)


def product_slug(slug: str, lang: str) -> str:
    return _u(lang, _WORDS[lang]["product"], slug)


def product_prefix(lang: str) -> str:
    """The folder under which every product page lives; the publish guard watches it."""
    return _u(lang, _WORDS[lang]["product"])


def product_asset(p: Product, name: str) -> str:
    """Files shared by both languages' product pages (QR code) live beside the Vietnamese page."""
    return product(p, "vi") + name


def province(prov: FormerProvince, lang: str) -> str:
    """A former province's page (published before the reform: /dia-phuong/<former province>/)."""
    return _u(lang, _WORDS[lang]["district"], prov.slug)


def current_province(prov: Province, lang: str) -> str:
    """A current province's page: its own folder (/tinh/, /en/provinces/), because the current
    Lâm Đồng and the former one share a name and a slug, and /dia-phuong/lam-dong/ means the former."""
    return _u(lang, _WORDS[lang]["current_province"], prov.slug)


def district(d: District, lang: str) -> str:
    """A former district's page, under its former province (as published before the reform)."""
    return _u(lang, _WORDS[lang]["district"], d.province.slug, d.slug)


def stars(n: int, lang: str) -> str:
    return _u(lang, _WORDS[lang]["stars"], str(n))


def group(g: Group, lang: str) -> str:
    return _u(lang, _WORDS[lang]["group"], g.slug(lang))


def browse(lang: str) -> str:
    return _u(lang, _WORDS[lang]["browse"])


def lapsed(lang: str) -> str:
    return _u(lang, _WORDS[lang]["lapsed"])


def paged(url: str, number: int, lang: str) -> str:
    """Page 1 is the listing's own URL; later pages add /trang/N/ (/page/N/ in English)."""
    return url if number == 1 else url + f"{_WORDS[lang]['page']}/{number}/"


def save_as(url: str) -> str:
    return url + "index.html"


def twins(url_of, *args) -> dict[str, str]:
    """The same page in every language: {lang: url}, for language switches, hreflang and the sitemap."""
    return {lang: url_of(*args, lang) for lang in LANGS}


def showrooms(lang: str) -> str:
    return _u(lang, _WORDS[lang]["showrooms"])


def showroom(showroom_id: str, lang: str) -> str:
    return _u(lang, _WORDS[lang]["showrooms"], showroom_id)


def search(lang: str) -> str:
    return _u(lang, _WORDS[lang]["search"])


def statistics(lang: str) -> str:
    return _u(lang, _WORDS[lang]["statistics"])


def marketplaces(lang: str) -> str:
    return _u(lang, _WORDS[lang]["marketplaces"])


def product_media(product_id: str) -> str:
    """The folder of a product's photo renditions (shared by both languages)."""
    return f"{MEDIA_DIR}/{product_id}/"


def showroom_media(showroom_id: str) -> str:
    return f"{MEDIA_DIR}/showrooms/{showroom_id}/"


def feed(name: str) -> str:
    """A file under /feeds/ (feeds, open data, GeoJSON), relative to the site root."""
    return f"{FEEDS_DIR}/{name}"
