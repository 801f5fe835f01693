"""The JSON Schemas of the records, shipped inside the package: the one definition of every record field.

Why the JSON Schema is the source (and not a Python field declaration): the schema is already
the contract staff meet first — VS Code checks and completes their YAML against it as they
type, with its descriptions as hover help — and jsonschema/fastjsonschema check records with it.
A Python declaration would have to generate that same schema, so two notations would describe
one field. Instead everything else follows from the schema:

- validation: the schema checks the shape (`ocop.records`, `ocop.showrooms`), then domain rules
  check the meaning, but only for the fields that need them;
- the model: every field without domain logic is copied into the model by name
  (`ocop.fields.simple_values`), so a new field needs no reading code; only the fields listed in
  `ocop.records.CONVERTERS` / `ocop.showrooms.CONVERTERS` have dedicated converters;
- the record documentation: `docs/records.md` is generated from the schema
  (`ocop.fields.markdown`), in English (`description`) and Vietnamese (`x-description-vi`);
- the copies in a site folder's `schema/`, which the records' first line points editors to,
  are written from here (`write_copies`).

Adding a product field, e.g. a video link: one entry under `properties` in
`product.schema.json` (with `description` and `x-description-vi`), then `make schemas` (copies
and docs), then show `p.video` where it belongs (a template, a feed column).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMES = ("product", "showroom")
COPIES_DIR = "schema"  # inside a site folder, where the records' `$schema=../../schema/...` line points


def path(name: str) -> Path:
    """The packaged schema file of one kind of record ("product", "showroom")."""
    if name not in NAMES:
        raise KeyError(f"no record schema named {name!r}; known: {', '.join(NAMES)}")
    return HERE / f"{name}.schema.json"


@cache
def load(name: str) -> dict[str, Any]:
    """The schema of one kind of record, read once; callers must not change it."""
    return json.loads(path(name).read_text(encoding="utf-8"))


def copy_path(site: Path, name: str) -> Path:
    return Path(site) / COPIES_DIR / f"{name}.schema.json"


def stale_copies(site: Path) -> list[Path]:
    """The site folder's schema copies that are missing or differ from the package's."""
    return [
        copy_path(site, n)
        for n in NAMES
        if not copy_path(site, n).is_file() or copy_path(site, n).read_bytes() != path(n).read_bytes()
    ]


def write_copies(site: Path) -> list[Path]:
    """Write the package's schemas into `<site>/schema/` for editors; returns the files that changed."""
    changed = stale_copies(site)
    for target in changed:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path(target.name.removesuffix(".schema.json")).read_bytes())
    return changed
