"""Preview builds that re-render only the pages whose inputs changed.

`make serve` rebuilds on every save. At national scale a full render is ~45,000 pages, so the
preview writes into its own folder in place and keeps a fingerprint of every page's inputs:
after one record is edited, only its two product pages and the listings that show it are
rendered again. Publishing builds (`make site`) never use this: they render everything into
a fresh folder, so nothing stale can reach the public.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import ocop
from ocop.catalogue import DistrictEntry
from ocop.groups import Group
from ocop.model import Product
from ocop.places import District, Province
from ocop.showrooms import Showroom

from .site import Page
from .views import Pagination

# Anything a page may show that is not a product or a listing of products: when one of
# these changes, every page is rendered again.
_SETTINGS = ("SITEURL", "SITE_CANONICAL_URL", "RELATIVE_URLS", "SITENAME", "OCOP_PROVINCE", "PLUGINS")


def watched_folders(theme: str | Path, showrooms: Path, translations: str | None = None) -> list[Path]:
    """The theme, the code (plugins and the domain core, with its translations), the showroom records
    and the translations that replace the package's (OCOP_TRANSLATIONS_PATH), if any."""
    folders = [Path(theme), Path(__file__).resolve().parent.parent, Path(ocop.__file__).resolve().parent, showrooms]
    return folders + ([Path(translations)] if translations else [])


def inputs_digest(folders: list[Path], settings: dict, build_date: date) -> str:
    h = hashlib.sha256(str(build_date).encode())
    h.update(repr([settings.get(k) for k in _SETTINGS]).encode())
    for folder in folders:
        h.update(str(folder).encode())
        for f in sorted(folder.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(folder)).encode() + f.read_bytes())
    return h.hexdigest()


class _AlwaysRender(Exception):
    pass


class Fingerprints:
    """Fingerprints of one build's pages: what each page shows, reduced to record digests and statuses."""

    def __init__(self, images: dict):
        self.images = images
        self.products: dict[str, tuple] = {}  # a product shows on a dozen pages: its key is worked out once

    def _key(self, value: Any) -> Any:
        if isinstance(value, Product):
            key = self.products.get(value.id)
            if key is None:
                key = self.products[value.id] = (
                    value.id,
                    value.digest,
                    value.status.value,
                    [[v.name for v in r.variants] for r in self.images.get(value.id, ())],
                )
            return key
        if isinstance(value, (list, tuple)):
            return [self._key(v) for v in value]
        if isinstance(value, dict):
            return {str(k): self._key(v) for k, v in value.items()}
        if isinstance(value, Pagination):
            return (value.number, value.count, value.total)  # its URLs follow from the page's own
        if isinstance(value, DistrictEntry):
            return (value.district.code, value.total, self._key(value.products))
        if isinstance(value, Group):
            return value.key
        if isinstance(value, (District, Province)):
            return value.code
        if isinstance(value, Showroom):
            return value.id  # showroom records are watched as a whole (watched_folders)
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        raise _AlwaysRender  # e.g. the whole Catalogue (home, browse): cheap pages, always rendered

    def of(self, page: Page) -> str | None:
        """None for a page that is always rendered."""
        try:
            data = (page.template, page.lang, page.urls, page.save_as, self._key(page.context))
        except _AlwaysRender:
            return None
        # repr is deterministic for these plain values and a few times cheaper than json
        return hashlib.sha1(repr(data).encode()).hexdigest()


class Manifest:
    """Fingerprints of the pages in the preview folder, kept in the cache (never published)."""

    def __init__(self, cache_dir: Path, output: Path, inputs: str):
        self.path = cache_dir / f"preview-{hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:12]}.json"
        self.inputs = inputs
        self.pages: dict[str, str] = {}
        try:
            saved = json.loads(self.path.read_text())
            if saved.get("inputs") == inputs:
                self.pages = saved["pages"]
        except (OSError, ValueError, KeyError):
            pass

    def save(self, pages: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"inputs": self.inputs, "pages": pages}, sort_keys=True))
