"""Pelican settings for local builds and previews. publishconf.py adds the public address."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

SITENAME = "OCOP Bình Thuận"
SITESUBTITLE = "Sản phẩm OCOP được chứng nhận"
AUTHOR = "Trung tâm Xúc tiến Thương mại"
# The address printed in QR codes and used for canonical and hreflang links. The office
# sets its real domain here (and so in publishconf.py); example.org is a placeholder.
SITE_CANONICAL_URL = "https://ocop.example.org"
SITEURL = ""
RELATIVE_URLS = True

PATH = os.path.join(HERE, "content")
THEME = os.path.join(HERE, "theme")
THEME_STATIC_DIR = "theme"
PLUGIN_PATHS = [os.path.join(HERE, "plugins")]
PLUGINS = ["ocop_catalogue", "ocop_stats", "ocop_feeds", "ocop_showrooms", "ocop_search"]

TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE = "fs"

# --- the catalogue --------------------------------------------------------------------
OCOP_PRODUCTS_PATH = os.path.join(HERE, "products")
OCOP_PROVINCE = "Bình Thuận"  # records without `province:` are placed here
OCOP_BUILD_DATE = None  # None: SOURCE_DATE_EPOCH if set, else today in Vietnam
OCOP_CACHE_PATH = os.path.join(HERE, ".cache")
OCOP_PROJECT_PATH = HERE

# --- content pages: Markdown in both languages, twins linked by a shared `key` ----------
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
PAGE_TRANSLATION_ID = "key"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
SLUGIFY_SOURCE = "basename"

# Pelican's blog machinery is not used: the catalogue generator writes the home page.
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

# Autoescape: record text is typed by people and pasted from anywhere; it must never become markup.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": ["jinja2.ext.i18n"], "autoescape": True}
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {}},
    "output_format": "html5",
}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# --- showrooms and sales points (plugin ocop_showrooms) ----------------------------------
# None: content/showrooms beside the products folder (OCOP_PRODUCTS_PATH/../content/showrooms).
OCOP_SHOWROOMS_PATH = None
# Map tiles for the showroom maps (Leaflet ships with the theme; only the tiles come from outside).
OCOP_MAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OCOP_MAP_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

# --- feeds for marketplaces, open data, sitemap (plugin ocop_feeds) ---------------------
# Feeds and the sitemap use absolute URLs built from SITE_CANONICAL_URL.
OCOP_NEWS_LIMIT = 200  # entries in each certification-news Atom feed, newest first
OCOP_SITEMAP_MAX_URLS = 50000  # per sitemap file; past this, sitemap.xml becomes a sitemap index
OCOP_OPEN_DATA_LICENSE = None  # e.g. "CC BY 4.0" once the office decides; None writes "license": null

# --- search (plugin ocop_search): Pagefind indexes the product pages after each build ------
OCOP_SEARCH_INDEX = True  # False skips the index (quicker previews; the search page then cannot search)
