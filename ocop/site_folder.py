"""A new site folder (`ocop init DIR`): the skeleton shipped in this package, plus the JSON Schemas.

The skeleton (ocop/skeleton/) is a site that builds at once: its settings, one product, one
showroom that sells it, and the content pages in both languages (a copy of the project's own).
"""

from __future__ import annotations

import shutil
from pathlib import Path

SKELETON = Path(__file__).resolve().parent / "skeleton"
SCHEMA_FOLDER = "schema"  # in a site folder: the schemas editors check records against


class FolderNotEmpty(Exception):
    """`ocop init` never writes into a folder that already holds something."""


def write_schemas(folder: Path) -> None:
    """The records' JSON Schemas, copied into the site's schema/ for editors (where the records' first line
    points them)."""
    from . import schemas

    schemas.write_copies(folder)


def create(folder: str | Path) -> list[Path]:
    """Write a new site into `folder` (created if missing, refused if not empty). Returns the files written."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FolderNotEmpty(folder)
    shutil.copytree(SKELETON, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    write_schemas(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file())
