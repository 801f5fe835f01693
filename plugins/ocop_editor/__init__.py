"""Pelican plugin: the browser editor at /admin/ (Decap CMS), when the OCOP_EDITOR setting is on.

Writes `admin/index.html` (noindex; theme/templates/admin.html), `admin/config.yml` (generated from the record
schemas by ocop/editor.py), the editor's script and the vendored Decap bundle (theme/static/vendor/decap-cms/,
copied to `admin/vendor/`). With OCOP_EDITOR at None (the default) nothing is written and the public pages do not
change by one byte; the vendored bundle is never copied with the theme's static files either (6 MB nobody loads).
`make edit` (session.py) turns it on with the local backend and shows the build's problems after each save.
"""

from __future__ import annotations

from pelican import signals

from ocop import editor, urls

from .writer import VENDOR_DIR_NAME, write_admin, write_known


def _initialized(pelican) -> None:
    # Pelican copies the theme's static folder whole; the Decap bundle goes to /admin/ only, and only when on.
    # A new list: the one in the settings may be shared with Pelican's defaults.
    ignores = list(pelican.settings.get("IGNORE_FILES") or [])
    if VENDOR_DIR_NAME not in ignores:
        pelican.settings["IGNORE_FILES"] = [*ignores, VENDOR_DIR_NAME]


def _generated(generators) -> None:
    # The records as this build read them: the editor refuses a changed id or address before saving.
    context = generators[0].context
    settings = generators[0].settings
    if not settings.get("OCOP_EDITOR"):
        return
    from ocop_catalogue import site as site_build

    from .writer import site_folder

    built = site_build.of(context)
    folder = site_folder(settings)
    known = editor.known_records(
        folder,
        built.catalogue.products,
        built.showrooms.showrooms,
        pages=editor.pages_path(folder, settings),
        translation=editor.translation_id(settings),
        reserved=urls.reserved_folders(settings["THEME_STATIC_DIR"]),
    )
    write_known(generators[0].output_path, known)


def _finalized(pelican) -> None:
    if pelican.settings.get("OCOP_EDITOR"):
        write_admin(pelican.settings, pelican.output_path)


def register():
    signals.initialized.connect(_initialized)
    signals.all_generators_finalized.connect(_generated)
    signals.finalized.connect(_finalized)
