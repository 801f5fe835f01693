"""The files of /admin/: the page, its generated config.yml, the catalogue's script and the vendored Decap bundle.

No Pelican here: the plugin calls `write_admin` on the finished output folder, `make edit` (session.py) on the
preview folder before its first build, tests directly.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

import ocop_theme
from ocop import editor
from ocop.settings import scope_setting, value
from ocop.showrooms import default_folder

THEME = Path(ocop_theme.__file__).resolve().parent
VENDOR_DIR_NAME = "decap-cms"  # theme/static/vendor/decap-cms: Pelican is told not to copy it with the theme
VENDOR = THEME / "static" / "vendor" / VENDOR_DIR_NAME
SCRIPTS = THEME / "templates" / "admin"  # ocop-editor.js and pelican-page.js (the content pages' file format)


def site_folder(settings: dict[str, Any]) -> Path:
    """The site folder: the content folder's parent (PATH is `content`, resolved, in every catalogue site)."""
    return Path(settings["PATH"]).resolve().parent


def admin_config(settings: dict[str, Any], folder: Path | None = None) -> dict[str, Any]:
    from ocop.places import read_scope  # loads the gazetteer: only when an editor is written

    folder = folder or site_folder(settings)
    products = Path(value(settings, "OCOP_PRODUCTS_PATH")).resolve()
    showrooms = Path(settings.get("OCOP_SHOWROOMS_PATH") or default_folder(products)).resolve()
    places = editor.places_of(read_scope(scope_setting(settings)))
    return editor.config(settings, folder, products, showrooms, places, pages=editor.pages_path(folder, settings))


def render_page(settings: dict[str, Any], config: dict[str, Any]) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(THEME / "templates"), autoescape=True)
    # Each collection's folder: the editor's script names the file it just saved to find its problems.
    given = {
        **editor.rules("vi"),
        "folders": {c["name"]: c["folder"] for c in config["collections"]},
        # New products must not take an id or address already given out; showrooms have no slug; pages keep
        # theirs and their key.
        "kinds": {c["name"]: _kind(c) for c in config["collections"]},
        "extensions": {c["name"]: c["extension"] for c in config["collections"]},
        "translation": editor.translation_id(settings),
    }
    rules = json.dumps(given, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return env.get_template("admin.html").render(sitename=settings.get("SITENAME", ""), rules_json=Markup(rules))


def _kind(collection: dict[str, Any]) -> str:
    if collection.get("format") == editor.PAGE_FORMAT:
        return "page"
    return "showroom" if collection["name"] == editor.SHOWROOMS_COLLECTION else "product"


def write_admin(settings: dict[str, Any], output: str | Path, folder: Path | None = None) -> Path:
    """Write /admin/ into `output`; returns its folder."""
    admin = Path(output) / editor.ADMIN_DIR
    (admin / "vendor").mkdir(parents=True, exist_ok=True)
    config = admin_config(settings, folder)
    _write(admin / "index.html", render_page(settings, config))
    _write(admin / "config.yml", editor.config_yaml(config))
    for script in sorted(SCRIPTS.glob("*.js")):
        _copy(script, admin / script.name)
    for source in sorted(VENDOR.iterdir()):
        if source.is_file():
            _copy(source, admin / "vendor" / source.name)
    return admin


def write_known(output: str | Path, known: dict[str, Any]) -> Path:
    """Write `admin/records.json` (ocop.editor.known_records): the ids and addresses the editor must keep."""
    target = Path(output) / editor.ADMIN_DIR / editor.KNOWN_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    _write(target, editor.known_records_json(known))
    return target


def _write(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:  # unchanged files keep their time: no needless reload
        path.write_bytes(data)


def _copy(source: Path, target: Path) -> None:
    if (
        not target.is_file()
        or target.stat().st_size != source.stat().st_size
        or target.read_bytes() != source.read_bytes()
    ):
        shutil.copyfile(source, target)
