"""Every setting of the catalogue, its default and what it means: the one home for all three.

A site folder's `pelicanconf.py` overrides what it needs; everything else comes from here.
Code reads settings through `value(settings, NAME)` (or a merged mapping from `with_defaults`),
never with an inline default.
"""

from __future__ import annotations

import runpy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTINGS_FILE = "pelicanconf.py"  # a site folder is a folder with this file (like Pelican's own)


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    doc: str  # English, one or two sentences; the README's settings table is generated from it


SETTINGS: tuple[Setting, ...] = (
    Setting("SITENAME", "OCOP", "The site's name, in titles, feeds and the header."),
    Setting(
        "SITE_CANONICAL_URL",
        "https://ocop.example.org",
        "The public address printed in QR codes and used for canonical links, hreflang, feeds and Atom ids. "
        "Set it to the real domain before the first publication.",
    ),
    Setting("OCOP_PRODUCTS_PATH", "products", "Folder of product records, relative to the site folder."),
    Setting(
        "OCOP_SHOWROOMS_PATH",
        None,
        "Folder of showroom records; None: content/showrooms beside the products folder (in the site folder).",
    ),
    Setting(
        "OCOP_SCOPE",
        "national",
        'The provinces the site covers, in the current map (34 provinces): one name ("Lâm Đồng"), a list of names '
        '(["Lâm Đồng", "Khánh Hòa"]), or "national" for the whole country. Records that name no province are read in '
        "the scope's province, and a former district is found inside the current province that holds it; a site of "
        "several provinces or of the whole country needs `province:` in every record.",
    ),
    Setting(
        "OCOP_PROVINCE",
        None,
        "Deprecated: the former name of OCOP_SCOPE, read as it when OCOP_SCOPE is not set (a former province's name "
        'such as "Bình Thuận" stands for the current province that holds it). Code that still reads it gets the scope.',
    ),
    Setting(
        "OCOP_BUILD_DATE",
        None,
        "The date statuses are computed at (YYYY-MM-DD); None: SOURCE_DATE_EPOCH if set, else today in Vietnam.",
    ),
    Setting("OCOP_CACHE_PATH", ".cache", "Cache of validated records, photo renditions, QR codes, compiled templates."),
    Setting("OCOP_WORKERS", None, "Worker processes for reading and rendering; None: one per core."),
    Setting(
        "OCOP_ALLOW_REMOVED_URLS",
        False,
        "Publish even if a product page published before would disappear (`ocop build --allow-removed-urls`).",
    ),
    Setting(
        "OCOP_PUBLISHED_MANIFEST",
        None,
        "Memory of published URLs (relative to the site folder); None: output.published.json beside output/.",
    ),
    Setting(
        "OCOP_BUILD_LOCK_WAIT",
        600,
        "Seconds a build (or a preview) waits for another build of the same site before giving up.",
    ),
    Setting("OCOP_PREVIEW", False, "Set by `ocop serve`: a preview build, without feeds, sitemap and search index."),
    Setting("OCOP_INCREMENTAL", False, "Set by `ocop serve`: render only the pages whose inputs changed."),
    Setting("OCOP_PREVIOUS_BUILD", None, "Set by `ocop build`: the published version whose unchanged files it reuses."),
    Setting("OCOP_TRANSLATIONS_PATH", None, "Folder of gettext catalogs that replaces the package's (ocop/locale)."),
    Setting(
        "OCOP_PLAN_TARGETS",
        (),
        "Producer targets of the province's OCOP plan, shown by `ocop report` and the statistics page: a list of "
        "{'key': 'cooperative' | 'coop_or_enterprise' | 'women_led' | 'ethnic_minority_led', 'share': 0.35, "
        "'source': 'the plan, e.g. Lâm Đồng 2026'}. Empty: no targets are shown.",
    ),
    Setting("OCOP_NEWS_LIMIT", 200, "Entries in each certification-news Atom feed, newest first."),
    Setting("OCOP_SITEMAP_MAX_URLS", 50000, "URLs per sitemap file; past this, sitemap.xml becomes a sitemap index."),
    Setting("OCOP_OPEN_DATA_LICENSE", "CC BY 4.0", "Open data licence, on the marketplaces page and in the JSON."),
    Setting("OCOP_DEFAULT_SOCIAL_IMAGE", "theme/img/ocop-social.png", "Image for pages and Meta items without photo."),
    Setting("OCOP_SEARCH_INDEX", True, "Build the search index; False gives quicker builds that cannot search."),
    Setting(
        "OCOP_PRECOMPRESS",
        True,
        "Write .gz and .br beside every text file of the built site (for nginx, Caddy); only .gz from 1 MiB.",
    ),
    Setting("OCOP_BROTLI_QUALITY", 8, "Brotli quality of the .br files (0–11); 10 is 17× slower for 7% smaller pages."),
    Setting(
        "OCOP_PUBLISH_TARGET", None, 'Where `ocop publish` sends output/: an rclone remote path, e.g. "s3:bucket/site".'
    ),
    Setting(
        "OCOP_PUBLISH_PRECOMPRESSED",
        True,
        "Whether `ocop publish` sends the .gz and .br files too: yes for nginx, Caddy or a CDN that serves them; "
        "False for a plain bucket or a host that compresses by itself (they would only be downloads there).",
    ),
    Setting(
        "OCOP_EDITOR",
        None,
        'The browser editor at /admin/ (Decap CMS): None (none), "local" (`make edit`), "github", "gitlab", "gitea".',
    ),
    Setting(
        "OCOP_EDITOR_REPO", None, 'The editor\'s repository on the git host, "owner/name" (github, gitlab, gitea).'
    ),
    Setting("OCOP_EDITOR_BRANCH", "main", "The branch the editor commits to (CI publishes it)."),
    Setting(
        "OCOP_EDITOR_BACKEND_OPTIONS",
        None,
        'More settings of the editor\'s git host for Decap\'s `backend`, e.g. {"base_url": ..., "api_root": ...}.',
    ),
    Setting("OCOP_EDITOR_LOCAL_URL", "http://127.0.0.1:8081/api/v1", "The local backend `make edit` starts."),
    Setting("OCOP_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "Map tiles for the showroom maps."),
    Setting(
        "OCOP_MAP_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "Attribution shown on the showroom maps (HTML).",
    ),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def with_defaults(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings with every missing one at its default."""
    return {**DEFAULTS, **settings, **_scope_alias(settings, defaults=True)}


def _scope_alias(given: Mapping[str, Any], defaults: bool = False) -> dict[str, Any]:
    """OCOP_SCOPE and its deprecated alias OCOP_PROVINCE, set to the same value (OCOP_SCOPE wins when
    both are given), so code that still reads OCOP_PROVINCE gets the scope."""
    scope = given.get("OCOP_SCOPE")
    if scope is None:
        scope = given.get("OCOP_PROVINCE")
    if scope is None and defaults:
        scope = DEFAULTS["OCOP_PROVINCE"] if DEFAULTS["OCOP_PROVINCE"] is not None else DEFAULTS["OCOP_SCOPE"]
    if scope is None:
        return {}
    return {"OCOP_SCOPE": scope, "OCOP_PROVINCE": scope}


def value(settings: Mapping[str, Any], name: str) -> Any:
    """One setting, or its default. A name not declared here is a programming error."""
    if name not in DEFAULTS:
        raise KeyError(f"{name} is not a setting of the catalogue (declare it in ocop/settings.py)")
    if name in ("OCOP_SCOPE", "OCOP_PROVINCE"):
        return scope_setting(settings)
    return settings.get(name, DEFAULTS[name])


def default_province_name(scope: Any) -> str | None:
    """The one province a scope setting names, as written; None for "national" or a list of several."""
    if isinstance(scope, (list, tuple)):
        scope = scope[0] if len(scope) == 1 else None
    if not isinstance(scope, str) or scope.strip().casefold() == "national":
        return None
    return scope.strip()


def scope_setting(settings: Mapping[str, Any]) -> Any:
    """The scope as the settings write it (a province's name, a list of names, or "national")."""
    return _scope_alias(settings, defaults=True)["OCOP_SCOPE"]


# Settings that name a folder or file: relative values are read from the site folder.
PATH_SETTINGS = ("OCOP_PRODUCTS_PATH", "OCOP_SHOWROOMS_PATH", "OCOP_CACHE_PATH", "OCOP_TRANSLATIONS_PATH")


class NotASite(Exception):
    """A folder without a settings file: the command was run outside a site folder."""


@dataclass(frozen=True)
class Site:
    """A site folder and its settings (every default filled in, every path absolute)."""

    folder: Path
    settings: dict[str, Any]
    file: Path | None = None  # the settings file read, if there was one

    def path(self, name: str) -> Path | None:
        value_ = self.settings.get(name)
        return None if value_ is None else Path(value_)

    @property
    def products_path(self) -> Path:
        return Path(self.settings["OCOP_PRODUCTS_PATH"])

    @property
    def showrooms_path(self) -> Path:
        from .showrooms import default_folder  # one rule for where showrooms live, shared with the build

        return self.path("OCOP_SHOWROOMS_PATH") or default_folder(self.products_path)

    @property
    def cache_path(self) -> Path:
        return Path(self.settings["OCOP_CACHE_PATH"])

    @property
    def scope(self):
        """The provinces the site covers (`ocop.places.Scope`), from OCOP_SCOPE; PlaceError for a bad name."""
        from .places import read_scope  # the gazetteer loads only for the commands that need it

        return read_scope(scope_setting(self.settings))

    @property
    def province(self) -> str | None:
        """The province of records that name none, as the scope setting writes it ("Lâm Đồng"); None when the
        scope is national or a list. `ocop.places.Gazetteer.province` reads it (current or former name)."""
        return default_province_name(scope_setting(self.settings))

    def require_file(self) -> Path:
        """The settings file; NotASite if the folder has none."""
        if self.file is None or not self.file.is_file():
            raise NotASite(self.file or self.folder / SETTINGS_FILE)
        return self.file

    def with_overrides(self, overrides: Mapping[str, Any]) -> Site:
        """The same site with some settings replaced (relative paths read from the site folder)."""
        return Site(
            self.folder, _resolve(self.folder, {**self.settings, **overrides, **_scope_alias(overrides)}), self.file
        )


def _resolve(folder: Path, settings: dict[str, Any]) -> dict[str, Any]:
    for name in PATH_SETTINGS:
        if settings.get(name) is not None:
            settings[name] = str((folder / settings[name]).resolve())
    return settings


def read_file(file: Path) -> dict[str, Any]:
    """The settings a settings file sets (its upper-case names), without the defaults."""
    found = runpy.run_path(str(file)) if file.is_file() else {}
    return {k: v for k, v in found.items() if k.isupper()}


def read_site(
    folder: str | Path | None = None,
    settings_file: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Site:
    """The site in `folder` (default: the current folder), read without Pelican.

    The settings file (default: `pelicanconf.py`; a relative name is read in the folder) is plain
    Python in Pelican's format; its upper-case names are the settings. A folder without one gives
    the defaults (`Site.require_file` tells the commands that need one).
    """
    folder = Path(folder or ".").resolve()
    file = (folder / (settings_file or SETTINGS_FILE)).resolve()
    merged = {**with_defaults(read_file(file)), **(overrides or {}), **_scope_alias(overrides or {})}
    return Site(folder, _resolve(folder, merged), file)


def _shown(default: Any) -> str:
    return "—" if default is None else f"`{default!r}`"


def markdown() -> str:
    """docs/settings.md: every setting, its default and meaning (a test keeps the file in step)."""
    rows = [f"| `{s.name}` | {_shown(s.default)} | {s.doc} |" for s in SETTINGS]
    return "\n".join(
        [
            "# Settings",
            "",
            "Every setting of the catalogue, with its default. A site folder's `pelicanconf.py` sets only what",
            "differs.",
            "Generated from `ocop/settings.py` by `python -m ocop.settings > docs/settings.md`; do not edit by hand.",
            "Pelican's own settings that the catalogue needs (theme, plugins, page URLs) are defaults too:",
            "`plugins/ocop_catalogue/pelican_defaults.py`.",
            "",
            "| setting | default | meaning |",
            "|---|---|---|",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    print(markdown(), end="")
