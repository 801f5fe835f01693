"""The memory of what was published: the URLs a build must never drop, and who owns each product address.

Product pages are printed on packaging as QR codes, showroom pages are on leaflets and maps, photos are
in marketplaces' caches: once published, such a URL must keep working. The publish guard compares a new
build with this memory, which is kept in a small JSON file beside the published site (the manifest),
not only in the published folder itself, so it holds in a fresh checkout and after any interruption.

The memory also remembers which product each address (slug, current or former) was published for,
forever: an address that once showed one product can never be given to another, even after the first
product was removed, because its QR codes are still on shelves.

Pure: no Pelican; the adapter (ocop_catalogue.publish) scans the built folder and writes the file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .i18n import LANGS

FORMAT = 1  # bump when the file's layout changes; an unknown format is an error, never silently ignored


class ManifestError(Exception):
    """The manifest exists but cannot be read: the guard would be blind, so the build stops."""


@dataclass(frozen=True)
class Published:
    """What a site publishes: guarded page URLs, media files, and the product id behind every slug."""

    pages: frozenset[str] = frozenset()  # "san-pham/x/", "en/showrooms/y/": product, redirect and showroom pages
    media: frozenset[str] = frozenset()  # "media/bt-pt-0004/chai-400.webp"
    slugs: Mapping[str, str] = field(default_factory=dict)  # slug (current or former) → product id

    @property
    def urls(self) -> frozenset[str]:
        return self.pages | self.media


def guarded_prefixes() -> tuple[str, ...]:
    """Folders whose pages are a promise: products (and their redirects) and showrooms, in every language."""
    return tuple(prefix for lang in LANGS for prefix in (urls.product_prefix(lang), urls.showrooms(lang)))


def scan(folder: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The guarded pages and media files of a built site folder (empty if there is none)."""
    # os.scandir and os.walk rather than Path.glob: the same entries (folders holding an index.html; files,
    # not following linked folders), with a fraction of the Python work per file, which a build pays twice for
    # every product (the published folder and the new one).
    pages: set[str] = set()
    for prefix in guarded_prefixes():
        base = os.path.join(folder, prefix)
        if os.path.isdir(base):
            with os.scandir(base) as entries:
                pages.update(
                    prefix + e.name + "/"
                    for e in entries
                    if e.is_dir() and os.path.exists(os.path.join(e.path, "index.html"))
                )
    media: set[str] = set()
    media_root = os.path.join(folder, urls.MEDIA_DIR)
    for root, _, files in os.walk(media_root):
        rel = os.path.relpath(root, folder).replace(os.sep, "/") + "/"
        media.update(rel + name for name in files if os.path.isfile(os.path.join(root, name)))
    return frozenset(pages), frozenset(media)


def owners(products: Iterable) -> dict[str, str]:
    """Slug → id for every address the products answer at (their slug and their former slugs)."""
    found: dict[str, str] = {}
    for p in products:
        for slug in (p.slug, *p.former_slugs):
            found[slug] = p.id
    return found


def removed(before: Published, after: Published) -> list[str]:
    """URLs published before that the new build would not have, in order."""
    return sorted(before.urls - after.urls)


def taken(before: Published, after: Published) -> list[tuple[str, str, str]]:
    """(slug, id it was published for, id that now claims it) for every address given to another product."""
    return sorted(
        (slug, before.slugs[slug], new_id)
        for slug, new_id in after.slugs.items()
        if slug in before.slugs and before.slugs[slug] != new_id
    )


def remembered(before: Published, after: Published) -> Published:
    """The memory after publishing `after`: its URLs, and every owner ever seen (the newest wins)."""
    return Published(after.pages, after.media, {**before.slugs, **after.slugs})


def union(a: Published, b: Published) -> Published:
    """Both memories at once (the manifest and a published folder, when both exist)."""
    return Published(a.pages | b.pages, a.media | b.media, {**b.slugs, **a.slugs})


def read(path: Path) -> Published | None:
    """The manifest at `path`; None if there is none. ManifestError if it exists but is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path}: cannot be read ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ManifestError(f"{path}: not a manifest of published URLs in format {FORMAT}")
    try:
        slugs = {str(k): str(v) for k, v in data["slugs"].items()}
        return Published(frozenset(map(str, data["pages"])), frozenset(map(str, data["media"])), slugs)
    except (KeyError, AttributeError, TypeError) as exc:
        raise ManifestError(f"{path}: a field is missing or of the wrong type ({exc})") from exc


def dumps(published: Published) -> str:
    """The manifest's text: sorted, one URL a line, so a commit of it shows what was published."""
    data = {
        "format": FORMAT,
        "about": "URLs this site has published; `ocop build` refuses to drop them. Keep this file with the records.",
        "pages": sorted(published.pages),
        "media": sorted(published.media),
        "slugs": dict(sorted(published.slugs.items())),
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write(path: Path, published: Published) -> None:
    """Write the manifest atomically: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # a plain open: the file gets the usual permissions
    try:
        with tmp.open("w", encoding="utf-8") as f:
            f.write(dumps(published))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
