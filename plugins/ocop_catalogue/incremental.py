"""Preview builds that re-render only the pages whose inputs changed.

`make serve` rebuilds on every save. At national scale a full render is ~45,000 pages, so the
preview writes into its own folder in place and keeps a fingerprint of every page's inputs:
after one record is edited, only its two product pages and the listings that show it are
rendered again. Publishing builds (`ocop build`) render into a fresh folder and reuse only files
of the published version whose fingerprint is unchanged, by hard link (see "publishing builds" below).
"""

from __future__ import annotations

import errno
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
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


def inputs_digest(folders: list[Path], settings: dict, build_date: date | None) -> str:
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


# Context values a page gets only to compare dates with: the day itself is no part of a fingerprint, since what a
# page shows of it is in each product's key (status, certificates in force, revocations done or scheduled). A
# publishing build on another day then renders only the pages whose products the new day changes.
_DAY_KEYS = frozenset({"today"})
_DAY_SETTINGS = frozenset({"OCOP_BUILD_DATE"})  # the same, given as a setting


class Fingerprints:
    """Fingerprints of one build's pages: what each page shows, reduced to record digests and statuses."""

    def __init__(self, images: dict, today: date):
        self.images = images
        self.today = today
        self.products: dict[str, str] = {}  # a product shows on a dozen pages: its key is worked out once

    def _key(self, value: Any) -> Any:
        if isinstance(value, Product):
            key = self.products.get(value.id)
            if key is None:
                shown = (
                    value.id,
                    value.digest,
                    value.status.value,
                    len(value.certificates),  # those in force on the build day (ocop.certificates.as_of)
                    [c.revocation_scheduled(self.today) for c in value.certificates],
                    [[v.name for v in r.variants] for r in self.images.get(value.id, ())],
                )
                # A digest of it: listings and product pages name many products, and the repr of a page's key,
                # the main cost of fingerprinting, is then a third as long.
                key = self.products[value.id] = hashlib.sha1(repr(shown).encode()).hexdigest()
            return key
        if isinstance(value, (list, tuple)):
            return [self._key(v) for v in value]
        if isinstance(value, dict):
            return {str(k): self._key(v) for k, v in value.items() if k not in _DAY_KEYS}
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


# --- publishing builds ----------------------------------------------------------------------------
#
# A publishing build (`ocop build`) renders into a new, empty staging folder. Every catalogue page whose
# fingerprint equals the one it had in the published version is hard-linked from there instead of being
# rendered: the same bytes, never written again (the published files may be being served, so they are
# only ever linked, never opened for writing). Fingerprints of the published version live in the cache,
# with the folder they describe and the digest of everything else a page depends on; when either differs
# the build renders everything.

PUBLISHED_NAME = "published-pages.json"
PENDING_NAME = "published-pages.pending.json"

# Settings that name where this one build writes, not what it writes.
_VOLATILE = frozenset({"OUTPUT_PATH", "OCOP_PREVIOUS_BUILD", "CACHE_PATH", "OCOP_CACHE_PATH", "OCOP_BUILD_LOCK_WAIT"})


def _stable(value: Any) -> str:
    """A repr with no memory address in it: functions and classes by their qualified name."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_stable(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "[" + ",".join(_stable(v) for v in items) + "]"
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    if isinstance(value, (str, int, float, bool, date)) or value is None:
        return repr(value)
    return type(value).__qualname__  # e.g. a compiled pattern: its settings are in the files hashed


def _distributions() -> str:
    """Every installed distribution and its version, and Python's: an upgrade may change any page."""
    # Not the current folder ('' on sys.path): a checkout's own egg-info there would come and go with the folder a
    # build runs in (the project's own code is hashed file by file in watched_folders anyway).
    paths = [p for p in sys.path if p and os.path.isabs(p) and os.path.abspath(p) != os.getcwd()]
    # Reading every distribution's metadata costs ~0.3 s and a build asks twice (whole_digest, then the
    # generator). Installing, upgrading or removing one changes its folder's time, which is in the key.
    key = tuple((p, _mtime(p)) for p in paths)
    if key not in _DISTRIBUTIONS:
        found = sorted({f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions(path=paths)})
        _DISTRIBUTIONS.clear()
        _DISTRIBUTIONS[key] = sys.version + "\n" + "\n".join(found)
    return _DISTRIBUTIONS[key]


_DISTRIBUTIONS: dict[tuple, str] = {}  # the last answer of _distributions, by the times of the folders it read


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _files_digest(h: Any, folder: Path) -> None:
    """Small files by content; large ones (photos) by size and time, as the record cache does."""
    for f in sorted(folder.rglob("*")):
        if not f.is_file() or "__pycache__" in f.parts:
            continue
        st = f.stat()
        h.update(str(f.relative_to(folder)).encode())
        h.update(f.read_bytes() if st.st_size < 1 << 20 else f"{st.st_size}:{st.st_mtime_ns}".encode())


def publish_digest(folders: list[Path], settings: dict) -> str:
    """Everything but the records that a catalogue page may depend on: code, theme, translations, the
    showroom records, content pages, every setting and installed distributions. Not the build date: what a
    catalogue page shows of it is in its fingerprint (Fingerprints)."""
    h = hashlib.sha256(inputs_digest(folders, settings, None).encode())
    h.update(_stable({k: v for k, v in settings.items() if k not in _VOLATILE and k not in _DAY_SETTINGS}).encode())
    h.update(_distributions().encode())
    content = Path(settings.get("PATH") or "content")
    if content.is_dir():
        _files_digest(h, content)
    return h.hexdigest()


class PublishedPages:
    """Fingerprints of the published version's catalogue pages and QR codes, kept in the cache.

    The file's first line is a small header (the version it describes, the inputs digest, the whole digest), the
    second the fingerprints (6 MB at 20,000 products): the nothing-changed check reads the header alone, and
    publishing rewrites the header and copies the fingerprints' bytes as they are.
    """

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / PUBLISHED_NAME
        self.pending = cache_dir / PENDING_NAME

    @staticmethod
    def _header(path: Path) -> tuple[dict, Any]:
        """The header, and the open file positioned at the fingerprints; ({}, None) if there is none to read."""
        try:
            f = path.open("rb")
        except OSError:
            return {}, None
        try:
            header = json.loads(f.readline())
        except ValueError:
            header = None
        if not isinstance(header, dict):
            f.close()
            return {}, None
        return header, f

    def reusable(self, previous: Path | None, inputs: str) -> dict[str, str]:
        """The published fingerprints, if they describe `previous` and were made with the same inputs."""
        if previous is None:
            return {}
        header, f = self._header(self.path)
        if f is None:
            return {}
        with f:
            if header.get("version") != str(previous) or header.get("inputs") != inputs:
                return {}
            try:
                pages = json.loads(f.read())
            except ValueError:
                return {}
        return pages if isinstance(pages, dict) else {}

    def unchanged(self, previous: Path, whole: str) -> bool:
        """True if `previous` was built from exactly these inputs (`generator.whole_digest`)."""
        header, f = self._header(self.path)
        if f is not None:
            f.close()
        return header.get("version") == str(previous) and header.get("whole") == whole

    def write_pending(self, staging: Path, inputs: str, pages: dict[str, str]) -> None:
        """This build's fingerprints, until the build is published (`promote`)."""
        self.pending.parent.mkdir(parents=True, exist_ok=True)
        header = json.dumps({"version": str(staging), "inputs": inputs})
        self.pending.write_text(f"{header}\n{json.dumps(pages, separators=(',', ':'))}\n", encoding="utf-8")

    def promote(self, staging: Path, version: Path, whole: str | None = None) -> None:
        """The build in `staging` was published as `version`: its fingerprints become the published ones."""
        header, f = self._header(self.pending)
        if f is None or header.get("version") != str(staging):
            if f is not None:
                f.close()
            self.path.unlink(missing_ok=True)  # stale fingerprints must never match the new version
            return
        header["version"], header["whole"] = str(version), whole
        tmp = self.path.with_suffix(".tmp")
        with f, tmp.open("wb") as out:
            out.write(json.dumps(header, sort_keys=True).encode() + b"\n")
            shutil.copyfileobj(f, out)
        os.replace(tmp, self.path)
        self.pending.unlink(missing_ok=True)


def link_or_copy(source: str, dest: str) -> None:
    """Hard-link an unchanged file of the published version into the new one (a copy where links fail)."""
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    try:
        os.link(source, dest)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(source, dest)


_NOT_THERE = (errno.ENOENT, errno.ENOTDIR)
_NO_LINKS = (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP)


class Linker:
    """Hard-links unchanged files of the published version into a new build folder, with few system calls.

    A publishing build links most of the site (pages, QR codes: 100,000 files at national scale), so each
    file costs one link() and, for a folder not yet made, one mkdir(): no isfile() before (a file missing from
    the published version is simply not linked) and no makedirs() walk for folders made already.
    """

    def __init__(self, previous: str | os.PathLike, output: str | os.PathLike, folders: Iterable[str] = ()):
        self.previous = str(previous)
        self.output = str(output)
        self.folders: set[str] = set(folders)  # made already (FolderMaker): no mkdir() for them

    def _folder(self, folder: str) -> None:
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)

    def link(self, name: str) -> bool:
        """Link `name` (relative to both folders); False if the published version has no such file."""
        source, dest = os.path.join(self.previous, name), os.path.join(self.output, name)
        self._folder(os.path.dirname(dest))
        try:
            os.link(source, dest)
        except OSError as exc:
            if exc.errno in _NOT_THERE:
                return False
            if exc.errno not in _NO_LINKS:
                raise
            if not os.path.isfile(source):  # Linux refuses to link a folder with EPERM
                return False
            shutil.copy2(source, dest)
        return True

    def link_all(self, names: list[str]) -> list[bool]:
        """`link` for each name, in order. One thread: links into one folder (san-pham/, media/) take that
        folder's lock in turn, and 4 threads measured slower than one (wall and CPU, 6,420 files)."""
        return [self.link(n) for n in names]


# Run by a fresh interpreter (-I -S: nothing imported but os and sys): the folders, NUL-separated, on stdin.
# Parents come first (sorted); one whose parent is missing, because no file lives directly in it, is made by
# makedirs().
_MAKE_FOLDERS = """
import os, sys
for folder in filter(None, sys.stdin.buffer.read().split(b"\\0")):
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
"""


class FolderMaker:
    """Makes the folders of a build's files in another process, while this one goes on (fingerprinting).

    Reusing the published version links its 60,000 files at national scale into 40,000 new folders, one per
    product page and language: a mkdir() costs ~57 µs of system time here, 2.3 s in all, and it cannot be
    made cheaper or fewer. Threads do not help (each mkdir takes the lock of the one parent folder, san-pham/,
    and waits for the GIL between calls); another process spends that time on the other core.
    """

    def __init__(self, root: str | os.PathLike, names: Iterable[str]):
        self.folders = sorted({os.path.dirname(os.path.join(root, name)) for name in names})
        # From a file, not a pipe: 2 MB would fill a pipe and wait for the new interpreter to start and read it.
        with tempfile.TemporaryFile() as listing:
            listing.write(b"\0".join(os.fsencode(folder) for folder in self.folders))
            listing.seek(0)
            self.process = subprocess.Popen([sys.executable, "-I", "-S", "-c", _MAKE_FOLDERS], stdin=listing)

    def wait(self) -> list[str]:
        """Once every folder is made, the folders; none if the process failed (the Linker then makes them)."""
        return self.folders if self.process.wait() == 0 else []
