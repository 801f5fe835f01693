"""The browser editor's configuration (Decap CMS), generated from the record schemas: never written by hand.

Staff who do not edit YAML fill in a form at `/admin/` (Decap CMS, vendored in theme/static/vendor/decap-cms/).
Decap needs a `config.yml` naming every collection and field; this module derives it from what already defines
the records, so a new schema field appears in the form with no other change:

- `ocop/schemas/{product,showroom}.schema.json`: the fields, their order, types, patterns, allowed values and
  their meaning in Vietnamese (`x-description-vi`, shown as the field's hint);
- `ocop.groups` (group and product set), `ocop.places` (provinces of both maps; districts and communes of the
  site's scope), `ocop.certificates.STAR_BANDS` (the score band of each star level);
- the site folder: one collection per folder of product records, since Decap lists the files of one folder;
- the content pages (`content/pages/`, Pelican Markdown with "Name: value" headers): one collection per language,
  with the headers Pelican reads for them and any other header the site's pages carry (`page_collections`).

What a form cannot check (the score band against the stars, the GTIN check digit) goes to the editor's script as
`rules` and is checked before anything is written; everything else is `ocop check`'s job, whose problems the
preview shows after a save (plugins/ocop_editor/session.py).

Files Decap writes are valid records: the `# yaml-language-server` line is written by Decap itself as the first
field's `comment`, empty values are removed before saving (the editor's script), and the file name (the page
address) is proposed from the Vietnamese name only for a new record; Decap never renames an existing file.

Pure core: no Pelican, no plugin imports.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import schemas, urls
from .certificates import STAR_BANDS
from .groups import GROUPS, PRODUCT_SETS
from .i18n import DEFAULT_LANG, LANGS, gettext_for

ADMIN_DIR = urls.EDITOR_DIR  # /admin/ in the built site
KNOWN_FILE = "records.json"  # beside the editor page: ids and addresses in use (known_records)
SHOWROOMS_COLLECTION = "showrooms"
PAGES_COLLECTION = "pages"  # the Vietnamese pages; the others are "pages-<lang>"
PAGE_FORMAT = "pelican-page"  # the Decap file format registered by theme/templates/admin/pelican-page.js
PAGE_SUFFIX = ".md"
BACKENDS = ("local", "github", "gitlab", "gitea")
LOCAL_BACKEND_URL = "http://127.0.0.1:8081/api/v1"
MAX_SELECT_OPTIONS = 3000  # past this a place is typed (a national site), not picked from a list

# Field kinds whose values are picked from a list built here rather than typed.
_GROUP_LABELS = {g.key: f"{g.numeral}. {g.vi}" for g in GROUPS}
_KIND_LABELS = {
    "enterprise": "Doanh nghiệp",
    "cooperative": "Hợp tác xã",
    "cooperative_group": "Tổ hợp tác",
    "household": "Hộ sản xuất, kinh doanh",
    "centre": "Trung tâm OCOP",
    "sales_point": "Điểm bán OCOP",
    "retail": "Cửa hàng, siêu thị",
    "tourist_site": "Điểm du lịch",
    "hotel": "Khách sạn",
    "airport": "Sân bay",
    "station": "Nhà ga",
    "other": "Khác",
}
_LABELS = {
    # Field labels in Vietnamese: the schema's field names are English keys, its descriptions whole sentences.
    "id": "Mã",
    "slug": "Địa chỉ trang",
    "former_slugs": "Địa chỉ trang trước đây",
    "name": "Tên",
    "group": "Nhóm sản phẩm",
    "product_set": "Bộ sản phẩm",
    "province": "Tỉnh, thành phố",
    "district": "Huyện (trước 7/2025)",
    "commune": "Xã, phường, đặc khu",
    "producer": "Chủ thể",
    "kind": "Loại",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "website": "Trang web",
    "women_led": "Phụ nữ làm chủ",
    "ethnic_minority_led": "Người dân tộc thiểu số làm chủ",
    "certificates": "Giấy chứng nhận",
    "stars": "Số sao",
    "score": "Điểm",
    "decision": "Số quyết định",
    "date": "Ngày",
    "issuer": "Cơ quan cấp",
    "expires": "Hết hạn",
    "revoked": "Thu hồi",
    "summary": "Tóm tắt",
    "description": "Mô tả",
    "story": "Câu chuyện sản phẩm",
    "images": "Ảnh",
    "offer": "Giá bán",
    "price": "Giá (đồng)",
    "unit": "Đơn vị bán",
    "gtin": "Mã vạch (GTIN)",
    "available": "Còn bán",
    "buy": "Nơi mua",
    "channel": "Kênh",
    "url": "Địa chỉ web",
    "standards": "Tiêu chuẩn",
    "traceability": "Truy xuất nguồn gốc",
    "showrooms": "Điểm trưng bày",
    "geo": "Tọa độ",
    "lat": "Vĩ độ",
    "lon": "Kinh độ",
    "opening_hours": "Giờ mở cửa",
    "products": "Sản phẩm trưng bày",
    "photos": "Ảnh",
    "vi": "Tiếng Việt",
    "en": "Tiếng Anh (English)",
}
# A date picker that writes YYYY-MM-DD; `default: ""` because Decap otherwise fills in today's date.
_DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False, "default": ""}
_MARKDOWN_TEXTS = {"description", "story"}  # bilingual texts written in Markdown; the others are plain
_LONG_TEXTS = {"summary"}
_IMAGE_LISTS = {"images", "photos"}


@dataclass(frozen=True)
class Places:
    """The place names a form offers, from the gazetteer (ocop.places): each a (value, label) pair."""

    provinces: tuple[tuple[str, str], ...] = ()
    districts: tuple[tuple[str, str], ...] = ()
    communes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Folder:
    """One folder of records, a collection in the editor."""

    name: str  # Decap's collection name: [a-z0-9_-]
    label: str
    path: str  # relative to the site folder, with forward slashes
    kind: str  # "product" or "showroom"


def places_of(scope: Any) -> Places:
    """The gazetteer's names for a site's scope (`ocop.places.Scope`): provinces of both maps (records name the
    province as their certificate does), and the districts and communes inside the scope if not too many."""
    from .places import gazetteer  # the gazetteer's data loads only when an editor is built

    gaz = gazetteer()
    provinces = [(p.name, p.full_name) for p in gaz.current_provinces]
    provinces += [(p.name, f"{p.full_name} (trước 7/2025)") for p in gaz.former_provinces]
    current = [c for c in gaz.communes if c.province in scope]
    districts = [d for d in gaz.all_districts if d.province in scope]
    former = [c for c in gaz.former_communes if c.district.province in scope]
    communes = [(c.full_name, f"{c.full_name}, {c.province.full_name}") for c in current]
    communes += [(c.full_name, f"{c.full_name}, {c.district.full_name} (trước 7/2025)") for c in former]
    return Places(
        tuple(_unique(provinces)),
        tuple(_unique((d.name, f"{d.full_name}, {d.province.full_name}") for d in districts)),
        tuple(_unique(communes)) if len(communes) <= MAX_SELECT_OPTIONS else (),
    )


def _unique(pairs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    # A value may name several places (two communes of one name): the first label is kept, the build
    # asks for `district:` when it matters.
    seen: set[str] = set()
    for value_, label in pairs:
        if value_ not in seen:
            seen.add(value_)
            yield value_, label


def product_folders(site_folder: Path, products: Path) -> list[Folder]:
    """The folders holding product records (and the products folder itself), each a collection."""
    found = {products}
    found.update(p.parent for p in products.rglob("*.yaml") if not any(part.startswith(".") for part in p.parts))
    folders = []
    for folder in sorted(found):
        rel = folder.relative_to(products).as_posix()
        name = "products" if rel == "." else "products-" + rel.replace("/", "-")
        label = "Sản phẩm" if rel == "." else f"Sản phẩm — {rel}"
        folders.append(Folder(_collection_name(name), label, _rel(site_folder, folder), "product"))
    return folders


def _collection_name(text: str) -> str:
    return "".join(c if c.isalnum() and c.isascii() else "-" for c in text.lower())


def _rel(site_folder: Path, folder: Path) -> str:
    return Path(os.path.relpath(folder, site_folder)).as_posix()


def schema_line(kind: str, folder_rel: str) -> str:
    """The first line of a record in `folder_rel` (relative to the site folder): VS Code finds the schema by it."""
    up = "/".join([".."] * len(Path(folder_rel).parts))
    return f"yaml-language-server: $schema={up}/schema/{kind}.schema.json"


# --- fields --------------------------------------------------------------------------------------


class _Fields:
    """Decap fields for one schema: a JSON Schema node becomes a widget, recursively."""

    def __init__(self, schema: dict, kind: str, places: Places):
        self.schema = schema
        self.kind = kind
        self.places = places

    def of(self, node: dict, optional: bool = False) -> list[dict]:
        """The fields of an object node. In an optional object (`offer`, `geo`) nothing is required in the form:
        Decap would demand the price of an offer nobody meant to write; `ocop check` still asks for it when the
        object is there."""
        required = set() if optional else set(node.get("required", ()))
        return [self.field(name, sub, name in required) for name, sub in node.get("properties", {}).items()]

    def resolve(self, sub: dict) -> tuple[str, dict]:
        ref = str(sub.get("$ref", "")).rsplit("/", 1)[-1]
        if ref:
            return ref, {**self.schema["$defs"][ref], **{k: v for k, v in sub.items() if k != "$ref"}}
        return "", sub

    def field(self, name: str, sub: dict, required: bool) -> dict:
        ref, node = self.resolve(sub)
        out: dict[str, Any] = {"name": name, "label": _LABELS.get(name, name), "required": required}
        hint = node.get("x-description-vi") or node.get("description")
        if hint:
            out["hint"] = hint
        out.update(self.widget(name, ref, node, required))
        if name == "id":
            # A new record's id is proposed from its name when left empty (the editor's script).
            out["required"] = False
            out["hint"] = "Để trống khi tạo mới: mã được tạo từ tên tiếng Việt. " + out.get("hint", "")
        return out

    def widget(self, name: str, ref: str, node: dict, required: bool) -> dict:
        special = self.special(name, node)
        if special is not None:
            return special
        if ref == "text":
            return self.text(name, required)
        if ref == "date" or node.get("x-kind") == "date":
            return dict(_DATE)
        if "enum" in node:
            return {"widget": "select", "options": [_option(v) for v in node["enum"]]}
        kind = node.get("type")
        if kind == "object":
            return {"widget": "object", "collapsed": not required, "fields": self.of(node, optional=not required)}
        if kind == "array":
            return self.array(name, node)
        if kind in ("integer", "number"):
            return _number(node)
        if kind == "boolean":
            # No default: an untouched switch writes nothing, and the record keeps the reader's default
            # (`available` is true unless said otherwise).
            return {"widget": "boolean"}
        return _string(node)

    def special(self, name: str, node: dict) -> dict | None:
        """The fields whose values come from the domain's lists, not from the schema."""
        if name == "group":
            return {"widget": "select", "options": [{"value": k, "label": v} for k, v in _GROUP_LABELS.items()]}
        if name == "product_set":
            sets = [{"value": n, "label": f"{n}. {s.vi}"} for n, s in sorted(PRODUCT_SETS.items())]
            return {"widget": "select", "options": sets}
        if name in ("province", "district", "commune"):
            options = getattr(self.places, name + "s")
            if options:
                return {"widget": "select", "options": [{"value": v, "label": lab} for v, lab in options]}
            return {"widget": "string"}
        if name == "kind" and "enum" in node:
            return {
                "widget": "select",
                "options": [{"value": v, "label": _KIND_LABELS.get(v, v)} for v in node["enum"]],
            }
        if name == "revoked":
            return {"widget": "object", "collapsed": True, "fields": self._revoked()}
        return None

    def _revoked(self) -> list[dict]:
        return [
            {"name": "date", "label": "Ngày thu hồi", "required": False, **_DATE},
            {"name": "decision", "label": "Quyết định thu hồi", "required": False, "widget": "string"},
        ]  # fmt: skip

    def text(self, name: str, required: bool) -> dict:
        widget = "markdown" if name in _MARKDOWN_TEXTS else "text" if name in _LONG_TEXTS else "string"
        pair = [
            {"name": "vi", "label": _LABELS["vi"], "required": required, "widget": widget},
            {"name": "en", "label": _LABELS["en"], "required": False, "widget": widget},
        ]
        if widget == "markdown":
            for f in pair:
                f.update(buttons=["bold", "italic", "link", "bulleted-list", "numbered-list"], editor_components=[])
        return {"widget": "object", "collapsed": False, "fields": pair}

    def array(self, name: str, node: dict) -> dict:
        items = node.get("items", {})
        if name in _IMAGE_LISTS:
            return {
                "widget": "list",
                "field": {"name": "photo", "label": "Ảnh", "widget": "image", "choose_url": False},
            }
        ref, item = self.resolve(items)
        if item.get("type") == "object":
            return {"widget": "list", "collapsed": False, "fields": self.of(item), "summary": _summary(name)}
        inner = {"name": "item", "label": _LABELS.get(name, name)}
        inner.update(self.widget(name + "[]", ref, item, True))
        return {"widget": "list", "field": inner}


def _option(value: Any) -> dict:
    return {"value": value, "label": _KIND_LABELS.get(str(value), str(value))}


def _summary(name: str) -> str:
    if name == "certificates":
        return "{{fields.stars}} sao — {{fields.decision}} ({{fields.date}})"
    if name == "buy":
        return "{{fields.channel}}: {{fields.url}}"
    return ""


def _number(node: dict) -> dict:
    out: dict[str, Any] = {"widget": "number", "value_type": "int" if node.get("type") == "integer" else "float"}
    if "minimum" in node:
        out["min"] = node["minimum"]
    if "maximum" in node:
        out["max"] = node["maximum"]
    return out


def _string(node: dict) -> dict:
    out: dict[str, Any] = {"widget": "string"}
    if "pattern" in node:
        expected = node.get("x-expected-vi") or node.get("x-expected") or node["pattern"]
        out["pattern"] = [_js_pattern(node["pattern"]), f"Cần {expected}"]
    return out


def _js_pattern(pattern: str) -> str:
    # JSON Schema patterns are ECMAScript regexes already, except Python's inline flag the image lists use.
    return pattern.removeprefix("(?i)")


def pages_path(site_folder: Path, settings: dict[str, Any]) -> Path:
    """The content pages' folder: Pelican's PAGE_PATHS inside its PATH (`content/pages` in every catalogue site,
    plugins/ocop_catalogue/pelican_defaults.py; a site's settings read without Pelican's may not name them)."""
    content = settings.get("PATH") or "content"
    return (Path(site_folder) / content / (settings.get("PAGE_PATHS") or ["pages"])[0]).resolve()


def translation_id(settings: dict[str, Any]) -> str:
    """The header twins share (Pelican's PAGE_TRANSLATION_ID, `key` in every catalogue site)."""
    return str(settings.get("PAGE_TRANSLATION_ID") or "key")


# --- content pages --------------------------------------------------------------------------------
#
# One collection per language, not Decap's i18n: Decap keeps a page's languages under one file name, in one folder
# per language or one file, while here twins have their own file names and addresses (gioi-thieu-ocop.md and
# en/about-ocop.md, /gioi-thieu-ocop/ and /en/about-ocop/, both published for ever) and meet by a shared `Key`
# (Pelican's PAGE_TRANSLATION_ID), with the Vietnamese pages at the folder's root. Decap's i18n would have to
# rename the files (or the addresses). So the English page picks its Vietnamese twin from a list of the
# Vietnamese pages (a relation field writing that page's Key), and a page may exist in one language only.

# Pelican reads these headers of every page: Title (required), Slug (the address: PAGE_URL is "{slug}/"), Lang
# (which language's address, PAGE_LANG_URL) and the translation id. Any other header found in the site's pages
# (Summary, Template, Status…) comes after them in the form, as text.
_PAGE_HEADERS = ("title", "slug", "lang")
_PAGE_LABELS = {
    "title": "Tiêu đề",
    "slug": "Địa chỉ trang",
    "lang": "Ngôn ngữ",
    "body": "Nội dung",
    "summary": "Tóm tắt",
    "template": "Mẫu trang",
    "status": "Trạng thái",
    "date": "Ngày",
    "modified": "Ngày sửa",
}
_LANG_NAMES = {"vi": "tiếng Việt", "en": "tiếng Anh"}
_HEADER = re.compile(r"^ {0,3}([A-Za-z0-9_-]+):\s*(.*)$")  # Python-Markdown's `meta` extension, which Pelican uses
_HEADER_MORE = re.compile(r"^ {4,}(.*)$")
_SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def page_headers(text: str) -> dict[str, str]:
    """A content page's headers as Pelican reads them: names in lower case, more lines of a value joined by "\\n".
    The editor's format (pelican-page.js) reads them by the same rules."""
    found: dict[str, str] = {}
    last = ""
    for line in text.split("\n"):
        header, more = _HEADER.match(line), _HEADER_MORE.match(line)
        if not line.strip():
            break
        if header:
            last = header.group(1).lower()
            found[last] = "\n".join(filter(None, (found.get(last), header.group(2).strip())))
        elif more and last:
            found[last] += "\n" + more.group(1).strip()
        else:
            break
    return found


def page_folder(pages: Path, lang: str) -> Path:
    """Where a language's pages live: the default language's at the root of the pages folder, the others in a
    sub-folder named after the language (content/pages/en/)."""
    return pages if lang == DEFAULT_LANG else pages / lang


def page_files(pages: Path) -> Iterator[tuple[str, Path]]:
    """Every content page, with its language's folder: (lang, file)."""
    for lang in LANGS:
        folder = page_folder(pages, lang)
        if folder.is_dir():
            for path in sorted(folder.glob("*" + PAGE_SUFFIX)):
                yield lang, path


def _page_field(name: str) -> dict:
    return {"name": name, "label": _PAGE_LABELS.get(name, name.capitalize()), "required": False, "widget": "string"}


class _PageFields:
    """The form of one language's pages."""

    def __init__(self, translation_id: str, extra: Iterable[str]):
        self.translation_id = translation_id
        self.extra = [h for h in extra if h not in (*_PAGE_HEADERS, translation_id, "body")]

    def of(self, lang: str) -> list[dict]:
        title = {**_page_field("title"), "required": True}
        slug = {
            **_page_field("slug"),
            "pattern": [_SLUG_PATTERN, "Cần chữ thường không dấu, số và dấu gạch nối, ví dụ gioi-thieu-ocop"],
            "hint": "Để trống khi tạo mới: địa chỉ được tạo từ tiêu đề. Địa chỉ đã công bố không bao giờ đổi "
            "(có thể đã in hoặc được trang khác liên kết đến).",
        }
        lang_field = {"name": "lang", "label": _PAGE_LABELS["lang"], "widget": "hidden", "default": lang}
        body = {
            "name": "body",
            "label": _PAGE_LABELS["body"],
            "required": True,
            "widget": "markdown",
            "editor_components": [],
        }
        return [title, slug, lang_field, self.key(lang), *map(_page_field, self.extra), body]

    def key(self, lang: str) -> dict:
        field = {**_page_field(self.translation_id), "label": "Mã nối bản dịch"}
        if lang == DEFAULT_LANG:
            field["pattern"] = [_SLUG_PATTERN, "Cần chữ thường không dấu, số và dấu gạch nối"]
            field["hint"] = (
                "Trang tiếng Anh cùng mã là bản dịch của trang này. Để trống khi tạo mới: lấy địa chỉ trang. "
                "Không đổi sau khi công bố: giao diện liên kết đến trang qua mã này."
            )
            return field
        # The twin is picked among the default language's pages, by title: its Key is written.
        return {
            **field,
            "label": f"Bản {_LANG_NAMES[DEFAULT_LANG]} của trang này",
            "required": True,
            "widget": "relation",
            "collection": PAGES_COLLECTION,
            "value_field": self.translation_id,
            "search_fields": ["title", self.translation_id],
            "display_fields": ["title"],
            "hint": "Trang tiếng Việt mà trang này dịch; hai trang nối với nhau bằng mã của trang tiếng Việt.",
        }


def page_collections(site_folder: Path, pages: Path, translation_id: str = "key") -> list[dict]:
    """One collection per language for the content pages (why not Decap's i18n: the comment above)."""
    found: dict[str, None] = {}
    for _, path in page_files(pages):
        found.update(dict.fromkeys(page_headers(path.read_text(encoding="utf-8"))))
    fields = _PageFields(translation_id, found)
    made = []
    for lang in LANGS:
        name = PAGES_COLLECTION if lang == DEFAULT_LANG else f"{PAGES_COLLECTION}-{lang}"
        made.append(
            {
                "name": name,
                "label": f"Trang nội dung ({_LANG_NAMES.get(lang, lang)})",
                "label_singular": f"trang {_LANG_NAMES.get(lang, lang)}",
                "folder": _rel(site_folder, page_folder(pages, lang)),
                "extension": PAGE_SUFFIX.lstrip("."),
                "format": PAGE_FORMAT,
                "create": True,
                "identifier_field": "title",
                # The file is named from the Slug header, which the editor's script proposes from the title for a
                # new page: file name and address agree. Decap never renames an existing file.
                "slug": "{{fields.slug}}",
                "summary": "{{title}}",
                "fields": fields.of(lang),
            }
        )
    return made


# --- the configuration ---------------------------------------------------------------------------


def backend(settings: dict[str, Any]) -> dict[str, Any]:
    """Decap's `backend` section from the OCOP_EDITOR* settings (see ocop/settings.py)."""
    name = settings.get("OCOP_EDITOR")
    if name not in BACKENDS:
        raise ValueError(f"OCOP_EDITOR: found {name!r}; expected one of {', '.join(BACKENDS)} (or None: no editor)")
    branch = settings.get("OCOP_EDITOR_BRANCH") or "main"
    if name == "local":
        return {
            "name": "proxy",
            "proxy_url": settings.get("OCOP_EDITOR_LOCAL_URL") or LOCAL_BACKEND_URL,
            "branch": branch,
        }
    repo = settings.get("OCOP_EDITOR_REPO")
    if not repo:
        raise ValueError(f"OCOP_EDITOR is {name!r}: set OCOP_EDITOR_REPO to the repository, e.g. so-cong-thuong/ocop")
    return {"name": name, "repo": repo, "branch": branch, **(settings.get("OCOP_EDITOR_BACKEND_OPTIONS") or {})}


def collections(site_folder: Path, products: Path, showrooms: Path, places: Places) -> list[dict]:
    """One collection per folder of product records, one for the showrooms."""
    product_fields = _Fields(schemas.load("product"), "product", places).of(schemas.load("product"))
    showroom_fields = _Fields(schemas.load("showroom"), "showroom", places).of(schemas.load("showroom"))
    folders = product_folders(site_folder, products)
    folders.append(Folder(SHOWROOMS_COLLECTION, "Điểm trưng bày", _rel(site_folder, showrooms), "showroom"))
    made = []
    for f in folders:
        fields = [dict(x) for x in (product_fields if f.kind == "product" else showroom_fields)]
        # Decap writes a field's `comment` above it: on the first field, the schema line leads the file.
        fields[0]["comment"] = schema_line(f.kind, f.path)
        made.append(
            {
                "name": f.name,
                "label": f.label,
                "label_singular": "sản phẩm" if f.kind == "product" else "điểm trưng bày",
                "folder": f.path,
                "extension": "yaml",
                "format": "yaml",
                "create": True,
                "identifier_field": "name.vi",
                # New files are named from the Vietnamese name; Decap never renames an existing one.
                "slug": "{{name.vi}}",
                "summary": "{{name.vi}}",
                # Photos next to the record; the record lists their bare file names.
                "media_folder": "",
                "public_folder": "",
                "fields": fields,
            }
        )
    return made


def config(
    settings: dict[str, Any],
    site_folder: Path,
    products: Path,
    showrooms: Path,
    places: Places,
    site_url: str = "",
    pages: Path | None = None,
) -> dict[str, Any]:
    """The whole `config.yml` as a dict (see `config_yaml`); with `pages`, the content pages' collections too."""
    made = collections(site_folder, products, showrooms, places)
    if pages is not None:
        made += page_collections(site_folder, pages, translation_id(settings))
    cfg: dict[str, Any] = {
        "backend": backend(settings),
        "locale": "vi",
        "publish_mode": "simple",
        # A global media folder is required by Decap even when every collection keeps photos beside its records.
        "media_folder": _rel(site_folder, products),
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": made,
    }
    if settings.get("OCOP_EDITOR") != "local":
        # An office's site still opens with `make edit` on a staff PC: Decap uses the local backend on 127.0.0.1.
        cfg["local_backend"] = {"url": settings.get("OCOP_EDITOR_LOCAL_URL") or LOCAL_BACKEND_URL}
    if site_url:
        cfg["site_url"] = site_url
    return cfg


def config_yaml(cfg: dict[str, Any]) -> str:
    """`config.yml`'s text: stable (same settings and records, same bytes), UTF-8, readable."""
    head = "# Generated by the build from the record schemas (ocop/editor.py): do not edit.\n"
    return head + yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False, width=1000)


_WORDS_VI = {
    "title": "Chưa lưu, hãy sửa",
    "found": "Đã lưu. Bản dựng xem trước thấy {count} vấn đề ở bản ghi này:",
    "none": "Đã lưu. Bản ghi hợp lệ; trang xem trước đã cập nhật.",
    "checking": "Đã lưu. Đang dựng lại trang xem trước và kiểm tra bản ghi…",
    "close": "Đóng",
    "id_missing": "cần một mã; mã của bản ghi đã có không được xoá hay đổi",
    "id_changed": (
        "bản ghi này đã có mã '{old}', gặp '{found}'; mã không bao giờ đổi vì nguồn dữ liệu, liên kết và mã QR "
        "đã in đều dùng nó: hãy trả lại mã '{old}'"
    ),
    "slug_changed": (
        "trang của bản ghi này có địa chỉ '{old}', gặp '{found}'; địa chỉ đã công bố không bao giờ đổi vì mã QR "
        "trên bao bì trỏ đến nó: hãy trả lại '{old}' (để trống nếu địa chỉ là tên tệp)"
    ),
    "id_taken": (
        "gặp mã '{found}', đã dùng cho sản phẩm khác; mã không bao giờ dùng lại: hãy nhập một mã khác, "
        "hoặc mở bản ghi đã có để sửa"
    ),
    "slug_taken": (
        "gặp địa chỉ trang '{found}', đã công bố cho sản phẩm '{owner}'; mã QR của sản phẩm đó vẫn trỏ đến đây: "
        "hãy đặt tên khác hoặc nhập một địa chỉ trang khác"
    ),
    "page_none": "Đã lưu. Trang xem trước đã cập nhật.",
    "page_slug_changed": (
        "trang này có địa chỉ '{old}', gặp '{found}'; địa chỉ đã công bố không bao giờ đổi vì các liên kết và "
        "trang đã in vẫn trỏ đến đó: hãy trả lại '{old}'"
    ),
    "page_key_changed": (
        "trang này có mã nối '{old}', gặp '{found}'; mã nối không đổi vì giao diện và bản dịch của trang tìm đến "
        "trang qua nó: hãy trả lại '{old}'"
    ),
    "page_slug_taken": (
        "gặp địa chỉ '{found}', đã dùng cho trang '{owner}': hãy đặt tiêu đề khác hoặc nhập địa chỉ khác"
    ),
    "page_slug_reserved": (
        "gặp địa chỉ '{found}', là địa chỉ danh mục sản phẩm dùng ('/{found}/'): hãy đặt tiêu đề khác hoặc nhập "
        "địa chỉ khác"
    ),
    "page_key_taken": (
        "gặp mã nối '{found}', đã dùng cho trang '{owner}' cùng ngôn ngữ; mỗi trang chỉ có một bản mỗi ngôn ngữ: "
        "hãy mở trang đó để sửa"
    ),
}
_WORDS_EN = {
    "title": "Not saved, please fix",
    "found": "Saved. The preview build found {count} problem(s) in this record:",
    "none": "Saved. The record is valid; the preview is updated.",
    "checking": "Saved. Rebuilding the preview and checking the record…",
    "close": "Close",
    "id_missing": "an id is needed; the id of an existing record is never removed or changed",
    "id_changed": (
        "this record has the id '{old}', found '{found}'; an id never changes because feeds, links and printed QR "
        "codes use it: give it back '{old}'"
    ),
    "slug_changed": (
        "this record's page is at '{old}', found '{found}'; a published address never changes because the QR "
        "codes on packaging point to it: give it back '{old}' (leave it empty when the address is the file name)"
    ),
    "id_taken": (
        "found the id '{found}', already used by another product; ids are never reused: enter another id, or "
        "open the existing record to edit it"
    ),
    "slug_taken": (
        "found the page address '{found}', published for product '{owner}'; that product's QR codes still point "
        "here: choose another name or enter another page address"
    ),
    "page_none": "Saved. The preview is updated.",
    "page_slug_changed": (
        "this page is at '{old}', found '{found}'; a published address never changes because links and printed "
        "pages still point to it: give it back '{old}'"
    ),
    "page_key_changed": (
        "this page has the key '{old}', found '{found}'; a key never changes because the theme and the page's "
        "translation find the page by it: give it back '{old}'"
    ),
    "page_slug_taken": "found the address '{found}', already used by page '{owner}': choose another title or address",
    "page_slug_reserved": (
        "found the address '{found}', which the catalogue uses ('/{found}/'): choose another title or address"
    ),
    "page_key_taken": (
        "found the key '{found}', already used by page '{owner}' in the same language; a page has one version per "
        "language: open that page to edit it"
    ),
}


def key_order() -> list[str]:
    """Every field name of the schemas in the order they are defined (first use wins): the editor's script writes
    each record's keys in this order, as the hand-written records and the docs have them."""
    seen: dict[str, None] = {}

    def walk(node: dict, defs: dict) -> None:
        for name, sub in node.get("properties", {}).items():
            seen.setdefault(name, None)
            ref = str(sub.get("$ref", "")).rsplit("/", 1)[-1]
            target = defs.get(ref, sub) if ref else sub
            walk(target, defs)
            walk(target.get("items", {}) if isinstance(target.get("items"), dict) else {}, defs)

    for kind in schemas.NAMES:
        schema = schemas.load(kind)
        walk(schema, schema.get("$defs", {}))
    return list(seen)


def rules(lang: str = "vi") -> dict[str, Any]:
    """What the editor's script checks before a save that a form cannot: the score band of each star level and
    the GTIN check digit, with the build's own messages (the `records` catalog) in `lang`."""
    _ = gettext_for("records", lang)
    field = gettext_for("cli", lang)("field '{field}':")
    return {
        "bands": {str(s): list(band) for s, band in STAR_BANDS.items()},
        "order": key_order(),
        "messages": {
            "field": field,
            "score": _(
                "found a score of {score} with {stars} stars, but a {stars}-star certificate "
                "needs {low} to {high} points"
            ),
            "gtin": _(
                "found {found}, whose last digit (the check digit) does not match; the barcode number is mistyped"
            ),
            **(_WORDS_VI if lang == "vi" else _WORDS_EN),
            "error_word": gettext_for("cli", lang)("error"),
        },
    }


# --- what was published: ids and addresses the editor must keep ----------------------------------


def known_records(
    site_folder: Path,
    products: Iterable[Any],
    showrooms: Iterable[Any] = (),
    published: Mapping[str, str] | None = None,
    pages: Path | None = None,
    translation: str = "key",
    reserved: Iterable[str] = (),
) -> dict[str, Any]:
    """`admin/records.json`: what the editor's script needs to refuse, before a save, a changed id or page address
    of an existing record and a new record taking an id or address already given out.

    `files`: each record file (relative to the site folder, as Decap names it) → its `id` (and a product's
    `slug`, its page address; a content page's `slug`, `key` and `lang`, see `known_pages`); `slugs`: every
    product address, current, former or only remembered by the published memory (`published`, slug → id: a
    deleted product's QR codes are still on shelves) → its product id. Sorted: the same records give the same
    bytes."""
    from .published import owners

    products = list(products)
    files: dict[str, dict[str, str]] = {}
    for p in products:
        files[_site_relative(site_folder, p.source)] = {"id": p.id, "slug": p.slug}
    for s in showrooms:
        files[_site_relative(site_folder, s.source)] = {"id": s.id}
    if pages is not None:
        files.update(known_pages(site_folder, pages, translation))
    slugs = {**(published or {}), **owners(products)}  # today's records win, as in the published memory
    # `reserved`: the catalogue's folders (urls.reserved_folders), which a new content page may not take as its
    # address (the build refuses it too: content_pages.guard)
    return {"files": dict(sorted(files.items())), "slugs": dict(sorted(slugs.items())), "reserved": sorted(reserved)}


def known_pages(site_folder: Path, pages: Path, translation: str = "key") -> dict[str, dict[str, str]]:
    """Each content page (relative to the site folder) → its address (`slug`: the Slug header, else the file name,
    as Pelican's SLUGIFY_SOURCE "basename" does), its translation id (`key`) and its language (`lang`: the Lang
    header, else its folder's). An address is published for ever; the theme links to pages by their key."""
    found = {}
    for lang, path in page_files(pages):
        headers = page_headers(path.read_text(encoding="utf-8"))
        found[_site_relative(site_folder, path)] = {
            "slug": headers.get("slug") or path.stem,
            "key": headers.get(translation, ""),
            "lang": headers.get("lang") or lang,
        }
    return found


def known_records_json(known: dict[str, Any]) -> str:
    return json.dumps(known, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- problems after a save -----------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """The records as `ocop check` reads them: every file's problems, and what the editor must keep."""

    problems: dict[str, list[str]]  # file relative to the site folder → its problems, as `ocop check` says them
    known: dict[str, Any]  # see known_records


def review(
    site: Any,
    lang: str = "vi",
    published: Mapping[str, str] | None = None,
    cache_file: Path | None = None,
    reserved: Iterable[str] = (),
) -> Review:
    """Read every record once, as `ocop check` does: the problems by file and the ids and addresses in use.

    The editor shows the saved record's problems after each save (`problems.json` beside the editor page).
    `cache_file`: the build's record cache (ocop.records.RecordCache), so that after a save only the changed
    records are read again — without it, every save under `make edit` re-validates every record (~30 s of CPU
    at 20,000 products)."""
    from . import showrooms as sr
    from .catalogue import build_date_from_env
    from .records import later_certificates, read_records
    from .settings import value

    products, problems = read_records(site.products_path, site.scope, cache_file)
    rooms, room_problems = sr.check(site.products_path, site.scope, folder=site.showrooms_path, products=products)
    problems += room_problems
    problems += later_certificates(products, build_date_from_env(value(site.settings, "OCOP_BUILD_DATE")))
    # Problems name files relative to the products folder's parent; Decap names them relative to the site folder.
    base = Path(site.products_path).resolve().parent
    found: dict[str, list[str]] = {}
    for p in problems:
        found.setdefault(_site_relative(site.folder, base / p.file), []).append(p.line_text(lang))
    pages = pages_path(site.folder, site.settings)
    known = known_records(site.folder, products, rooms, published, pages, translation_id(site.settings), reserved)
    return Review(found, known)


def problems_by_file(site: Any, lang: str = "vi") -> dict[str, list[str]]:
    """Every record's problems, as `ocop check` reports them, by file path relative to the site folder."""
    return review(site, lang).problems


def _site_relative(folder: Path, path: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), Path(folder).resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_posix()
