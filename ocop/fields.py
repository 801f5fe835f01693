"""Record fields as the JSON Schemas define them: what the model, the readers and the docs take from them.

The schemas in `ocop/schemas/` are the one definition of every record field (the reason is in
that package's docstring). This module reads them for the rest of the code:

- `simple_values`: the value of every field without domain logic, by name, ready for the model
  (a bilingual text becomes `Text`, a list a tuple, a missing field None or ());
- `text_fields`: the bilingual text fields, whose missing English is reported;
- `rows` and `markdown`: every field with its type, whether it is required, its allowed values
  and its meaning in English and Vietnamese — what `docs/records.md` is generated from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import cache
from pathlib import Path
from typing import Any

from . import schemas
from .model import Text

DOCS_PATH = Path("docs") / "records.md"  # inside the project folder


# --- values for the model ---------------------------------------------------------------


def _ref(sub: dict) -> str:
    """The name of the shared definition a field refers to ("text", "date", "url"), or ""."""
    return str(sub.get("$ref", "")).rsplit("/", 1)[-1]


def text_value(value: dict | None) -> Text | None:
    return Text(value["vi"].strip(), (value.get("en") or "").strip() or None) if value else None


def _simple(sub: dict, value: Any) -> Any:
    if _ref(sub) == "text":
        return text_value(value)
    if sub.get("type") == "array":
        # List items are stripped: a stray space must not become part of a standard's name.
        return tuple(v.strip() if isinstance(v, str) else v for v in value or ())
    return value


def simple_values(schema: dict, data: dict, converted: frozenset[str] | set[str]) -> dict[str, Any]:
    """Every top-level field of the schema not in `converted`, copied by name from a valid record."""
    return {name: _simple(sub, data.get(name)) for name, sub in schema["properties"].items() if name not in converted}


def text_fields(schema: dict) -> tuple[str, ...]:
    """The top-level bilingual text fields, in schema order."""
    return tuple(name for name, sub in schema["properties"].items() if _ref(sub) == "text")


@cache
def _declared(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclass_fields(cls))


def model_arguments(cls: type, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split values into those the model class declares (typed attributes) and the rest (`more`)."""
    declared = _declared(cls)
    return ({k: v for k, v in values.items() if k in declared}, {k: v for k, v in values.items() if k not in declared})


# --- documentation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One field as the record documentation shows it."""

    name: str  # dotted path, e.g. "certificates[].stars"
    kind: str
    required: bool
    allowed: str
    en: str
    vi: str


_TYPES = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true/false",
    "object": "group of fields",
    "array": "list",
}
_REFS = {"text": "text {vi, en}", "date": "date YYYY-MM-DD", "url": "web address", "id": "text"}


def _resolve(schema: dict, sub: dict) -> dict:
    """The field's schema with its shared definition merged in (the field's own keys win)."""
    ref = _ref(sub)
    return {**schema.get("$defs", {}).get(ref, {}), **sub} if ref else sub


def _kind(schema: dict, sub: dict) -> str:
    if _ref(sub) in _REFS:
        return _REFS[_ref(sub)]
    if "enum" in sub:
        return "one of"
    if sub.get("type") == "array":
        item = sub.get("items", {})
        return "list of " + ("groups of fields" if item.get("type") == "object" else _kind(schema, item))
    return _TYPES.get(sub.get("type", ""), "value")


def _allowed(sub: dict) -> str:
    if "enum" in sub:
        return ", ".join(f"`{v}`" for v in sub["enum"])
    parts = []
    if "minimum" in sub and "maximum" in sub:
        parts.append(f"{sub['minimum']}–{sub['maximum']}")
    elif "minimum" in sub:
        parts.append(f"≥ {sub['minimum']}")
    if "maxLength" in sub:
        parts.append(f"at most {sub['maxLength']} characters")
    if "minItems" in sub:
        parts.append(f"at least {sub['minItems']}")
    if "pattern" in sub and "date" not in _kind({}, sub):
        parts.append(f"pattern `{sub['pattern']}`")
    if "examples" in sub:
        parts.append("e.g. " + ", ".join(f"`{v}`" for v in sub["examples"]))
    return "; ".join(parts)


def _children(sub: dict) -> tuple[str, dict] | None:
    """Where a field's own fields are: an object's properties, or those of a list's items."""
    if sub.get("type") == "object" and "properties" in sub:
        return "", sub
    item = sub.get("items", {})
    if sub.get("type") == "array" and item.get("type") == "object":
        return "[]", item
    return None


def rows(schema: dict, parent: dict | None = None, prefix: str = "") -> Iterator[Row]:
    """Every field of a schema, depth first in schema order; bilingual texts count as one field."""
    parent = parent or schema
    required = set(parent.get("required", ()))
    for name, own in parent.get("properties", {}).items():
        sub = _resolve(schema, own)
        yield Row(
            prefix + name,
            _kind(schema, own),
            name in required,
            _allowed(sub),
            own.get("description") or own.get("x-description-en", ""),
            own.get("x-description-vi", ""),
        )
        nested = None if _ref(own) == "text" else _children(sub)
        if nested:
            yield from rows(schema, nested[1], f"{prefix}{name}{nested[0]}.")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(name: str) -> list[str]:
    schema = schemas.load(name)
    out = [
        f"## {schema['title']}",
        "",
        schema.get("description", ""),
        "",
        schema.get("x-description-vi", ""),
        "",
        f"Schema: `ocop/schemas/{name}.schema.json` (copy for editors: `schema/{name}.schema.json`).",
        "",
        "| Field / Trường | Type / Kiểu | Required / Bắt buộc | Allowed / Giá trị | Meaning | Ý nghĩa |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows(schema):
        out.append(
            f"| `{r.name}` | {r.kind} | {'yes / có' if r.required else ''} | {_cell(r.allowed)} "
            f"| {_cell(r.en)} | {_cell(r.vi)} |"
        )
    return out + [""]


def markdown() -> str:
    """docs/records.md: the record format for staff and maintainers, generated from the schemas."""
    head = [
        "# Record format / Định dạng bản ghi",
        "",
        "<!-- Generated from ocop/schemas/*.schema.json by ocop.fields.write_docs; do not edit by hand. -->",
        "",
        "Every product is one YAML file under `products/`; every showroom or sales point one under "
        "`content/showrooms/`. Field names are English; texts are Vietnamese with optional English.",
        "",
        "Mỗi sản phẩm là một tệp YAML trong `products/`; mỗi điểm bán là một tệp trong `content/showrooms/`. "
        "Tên trường viết bằng tiếng Anh; nội dung viết bằng tiếng Việt, có thể kèm tiếng Anh.",
        "",
        "For maintainers: a new field is one entry in the schema (with `description` and `x-description-vi`), "
        "then `make schemas` (this page and the editors' copies in `schema/`); a field without domain logic "
        "reaches the model by name, so a template or feed column can show it as `p.<field>` at once.",
        "",
    ]
    body = [line for name in schemas.NAMES for line in _table(name)]
    return "\n".join(head + body).rstrip("\n") + "\n"


def write_docs(project: Path) -> bool:
    """Write docs/records.md under the project folder; whether it changed."""
    target = Path(project) / DOCS_PATH
    text = markdown()
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


def refresh(project: Path) -> list[Path]:
    """What `make schemas` runs: the editors' schema copies and docs/records.md, from the package's schemas."""
    changed = schemas.write_copies(project)
    return changed + ([Path(project) / DOCS_PATH] if write_docs(project) else [])


def main(argv: list[str] | None = None) -> int:
    """`python -m ocop.fields [SITE]`: refresh the schema copies and docs/records.md (what `make schemas` runs)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    for changed in refresh(Path(args[0] if args else ".")):
        print(f"wrote {changed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
