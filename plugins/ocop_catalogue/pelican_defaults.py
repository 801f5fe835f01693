"""The Pelican settings every catalogue site shares, so a site's `pelicanconf.py` holds only its own.

Merged in this order when Pelican starts (`pelican_settings`): Pelican's defaults, these, the
catalogue's own defaults (`ocop.settings`), the site's settings file, then the command line.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from pelican.settings import read_settings

import ocop_theme
from ocop.settings import DEFAULTS, Site

PLUGINS = [
    "ocop_catalogue",
    "ocop_stats",
    "ocop_feeds",
    "ocop_showrooms",
    "ocop_search",
    "ocop_sitemap",
    "ocop_editor",  # /admin/ only when OCOP_EDITOR is on; before precompress, which compresses its files
    "ocop_precompress",
]

PELICAN_DEFAULTS: dict[str, Any] = {
    "SITEURL": "",
    "RELATIVE_URLS": True,
    "PATH": "content",  # relative to the site folder, like every path in a site's settings
    "OUTPUT_PATH": "output",
    "THEME": str(Path(ocop_theme.__file__).resolve().parent),
    "THEME_STATIC_DIR": "theme",
    "PLUGINS": PLUGINS,
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "DEFAULT_LANG": "vi",
    "DEFAULT_DATE": "fs",
    # Content pages: Markdown in both languages, twins linked by a shared `key`.
    "ARTICLE_PATHS": [],
    "PAGE_PATHS": ["pages"],
    "STATIC_PATHS": [],
    "PAGE_TRANSLATION_ID": "key",
    "PAGE_URL": "{slug}/",
    "PAGE_SAVE_AS": "{slug}/index.html",
    "PAGE_LANG_URL": "{lang}/{slug}/",
    "PAGE_LANG_SAVE_AS": "{lang}/{slug}/index.html",
    "SLUGIFY_SOURCE": "basename",
    # Pelican's blog machinery is not used: the catalogue generator writes the home page.
    "DIRECT_TEMPLATES": [],
    **dict.fromkeys(
        (
            "ARTICLE_SAVE_AS",
            "ARTICLE_LANG_SAVE_AS",
            "CATEGORY_SAVE_AS",
            "CATEGORIES_SAVE_AS",
            "TAG_SAVE_AS",
            "TAGS_SAVE_AS",
            "AUTHOR_SAVE_AS",
            "AUTHORS_SAVE_AS",
            "ARCHIVES_SAVE_AS",
            "DRAFT_SAVE_AS",
            "DRAFT_LANG_SAVE_AS",
        ),
        "",
    ),
    **dict.fromkeys(
        (
            "FEED_ALL_ATOM",
            "FEED_ALL_RSS",
            "CATEGORY_FEED_ATOM",
            "TRANSLATION_FEED_ATOM",
            "AUTHOR_FEED_ATOM",
            "AUTHOR_FEED_RSS",
        ),
        None,
    ),
    # Autoescape: record text is typed by people and pasted from anywhere; it must never become markup.
    "JINJA_ENVIRONMENT": {
        "trim_blocks": True,
        "lstrip_blocks": True,
        "extensions": ["jinja2.ext.i18n"],
        "autoescape": True,
    },
    "MARKDOWN": {
        "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {}},
        "output_format": "html5",
    },
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
}


def pelican_settings(site: Site, override: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican's settings for a site: these defaults under the site's own, then `override`."""
    cache = os.path.join(site.settings["OCOP_CACHE_PATH"], "pelican")  # never a `cache/` in the working folder
    # A catalogue setting at None means "not set" (its documented fallback applies); plugins that read
    # `settings.get(NAME, fallback)` must not see the key at all.
    ours = {k: v for k, v in site.settings.items() if not (v is None and k in DEFAULTS)}
    merged = {**copy.deepcopy(PELICAN_DEFAULTS), "CACHE_PATH": cache, **ours, **(override or {})}
    return read_settings(str(site.require_file()), override=merged)
