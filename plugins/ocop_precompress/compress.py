"""Precompressed siblings of the site's text files: `x.html` gets `x.html.gz` and `x.html.br`.

Servers that negotiate encodings from files (nginx `gzip_static`/`brotli_static`, Caddy `precompressed`,
GitLab Pages) then send the smaller file without compressing anything per request: gzip level 9 and brotli
quality 8 (OCOP_BROTLI_QUALITY), with a window fitted to the file.

Why quality 8 (measured on a 2,000-product build, 6,378 text files, 60.5 MB; the table is in the README):
qualities 10 and 11 switch to a far slower search (about 1.8 and 0.8 MB/s of HTML per core) for product pages
7% and 9% smaller, about 190 and 240 bytes of a 2.8 KB page: either size arrives in the first round trip of
a connection (a server sends ~14 KB before it waits for an answer), so a phone shows the page no sooner, while
the build spends 35 s instead of 2 s of CPU on every 2,000 products. Qualities 5 to 9 cost nearly the same;
8 is the smallest of them but for 9, which takes a third longer for 0.1%.

The window: brotli's default (4 MB) makes quality 9 spend 20 times longer on a 10 KB page than on the same
bytes with a window just larger than the file, for the same output size; the window never needs to be
larger than the file, so it is fitted to it (as the `brotli` command does: so no file loses anything by it).

Reproducible: the gzip header carries no file name and a zero time, and both encoders are deterministic,
so the same file always gives the same bytes. Results are kept in a cache keyed by the SHA-256 of the
content and the settings: a rebuild compresses only files whose bytes changed.
No Pelican here: the plugin calls `precompress` on the finished staging folder, tests call it directly.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import brotli

# Text formats the site publishes (the search index's files are .json).
TEXT_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".xml", ".atom", ".rss", ".csv", ".tsv", ".svg", ".geojson", ".txt"}
)
ENCODINGS = (".gz", ".br")
DEFAULT_QUALITY = 8  # the default of OCOP_BROTLI_QUALITY; why: above, figures in the README
GZIP_LEVEL = 9


@dataclass
class Report:
    """What one run did: files seen, compressed now, reused from the cache, and the bytes before and after."""

    files: int = 0
    compressed: int = 0
    reused: int = 0
    size: int = 0
    gz_size: int = 0
    br_size: int = 0
    keys: set[str] = field(default_factory=set)

    def summary(self) -> str:
        return (
            f"Precompressed {self.files} text files ({self.compressed} compressed, {self.reused} from the cache): "
            f"{self.size / 1e6:.1f} MB → gzip {self.gz_size / 1e6:.1f} MB, brotli {self.br_size / 1e6:.1f} MB."
        )


def gzip_bytes(data: bytes) -> bytes:
    """gzip -9 with no file name and a zero time in the header: the same bytes for the same input."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def window(size: int) -> int:
    """The smallest brotli window (log2 of its bytes, 10 to 24) that holds a file of `size` bytes."""
    return max(10, min(24, (size + 15).bit_length()))  # a window holds 2**lgwin - 16 bytes


def brotli_bytes(data: bytes, quality: int = DEFAULT_QUALITY) -> bytes:
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=quality, lgwin=window(len(data)))


def text_files(folder: Path) -> Iterator[Path]:
    """The files of `folder` to precompress, in a stable order."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() in TEXT_SUFFIXES:
                yield Path(root, name)


def _key(data: bytes, quality: int) -> str:
    # The encoder settings are part of the key: files made with other settings are not reused.
    settings = f"gzip{GZIP_LEVEL}-br{quality}-fitted-{brotli.__version__}".encode()
    return hashlib.sha256(settings + b"\0" + data).hexdigest()


def _share(source: Path | str, target: Path | str) -> None:
    """`target` becomes `source`: a hard link (no bytes written) where the file system allows, else a copy.

    Sharing a file between a build and the published version is safe: nothing writes into either in place
    (a new version always replaces a file), so a link never changes under a reader."""
    try:
        os.link(source, target)
    except FileExistsError:
        os.unlink(target)
        _share(source, target)
    except OSError:  # another file system, or one without links
        _copy(source, target)


def _copy(source: Path | str, target: Path | str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)  # never copied into: the old file may be a link to the published version
    shutil.copyfile(source, target)


def _write(target: str, body: bytes) -> None:
    """A new file, never written into an old one: the old one may be a link to the published version."""
    try:
        f = open(target, "xb")  # noqa: SIM115 (closed below; "x" is the point)
    except FileExistsError:
        os.unlink(target)
        f = open(target, "xb")  # noqa: SIM115
    with f:
        f.write(body)


def _keep(body: bytes, entry: Path) -> None:
    """Put a sibling into the cache, complete or not at all (a crash leaves no half entry)."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    # A name of this thread's own: two files of the same bytes (one key) may be kept at the same moment.
    tmp = entry.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_bytes(body)
    tmp.replace(entry)


def _one(path: Path, cache: Path | None, quality: int) -> tuple[str, bool, int, int, int]:
    """Write the siblings of one file; returns (cache key, compressed now?, sizes).

    Copies, not links, to and from the cache: a link count above one is how a published file says it was
    kept from the version before (tests/test_incremental_build.py)."""
    data = path.read_bytes()
    key = _key(data, quality)
    cached = [cache / key[:2] / (key + ext) for ext in ENCODINGS] if cache else []
    if cache and all(c.is_file() for c in cached):
        for c, ext in zip(cached, ENCODINGS, strict=True):
            _copy(c, f"{path}{ext}")
        return key, False, len(data), os.path.getsize(cached[0]), os.path.getsize(cached[1])
    sizes = []
    for i, (ext, body) in enumerate(zip(ENCODINGS, (gzip_bytes(data), brotli_bytes(data, quality)), strict=True)):
        _write(f"{path}{ext}", body)
        sizes.append(len(body))
        if cache:
            _keep(body, cached[i])
    return key, True, len(data), sizes[0], sizes[1]


def _linked(path: Path, folder: Path, previous: Path) -> tuple[str, bool, int, int, int] | None:
    """The siblings of a file the build hard-linked from the published version `previous`: linked too.

    The same inode means the same bytes, so its siblings there are still right; nothing is read.
    """
    before = previous / path.relative_to(folder)
    try:
        same = os.path.samestat(os.stat(path), os.stat(before))
        sizes = [os.path.getsize(f"{before}{ext}") for ext in ENCODINGS] if same else []
    except OSError:
        return None
    if not same:
        return None
    for ext in ENCODINGS:
        _share(f"{before}{ext}", f"{path}{ext}")
    return "", False, os.path.getsize(path), sizes[0], sizes[1]


def precompress(
    folder: Path,
    cache: Path | None = None,
    workers: int | None = None,
    quality: int = DEFAULT_QUALITY,
    previous: Path | None = None,
) -> Report:
    """Write `.gz` and `.br` beside every text file of `folder`; reuse (and keep) results in `cache`.

    Files hard-linked from the published version `previous` (an incremental build, made with the same
    settings) get that version's siblings, linked. Cache entries no file used this time are removed
    after a run that compressed or looked up every file, so the cache stays the size of one site.
    The encoders release the GIL, so threads use every core.
    """
    report = Report()
    files = list(text_files(folder))

    def one(path: Path) -> tuple[str, bool, int, int, int]:
        return (previous and _linked(path, folder, previous)) or _one(path, cache, quality)

    linked = 0
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for key, made, size, gz, br in pool.map(one, files):
            report.files += 1
            report.compressed += made
            report.reused += not made
            report.size += size
            report.gz_size += gz
            report.br_size += br
            if key:
                report.keys.add(key)
            else:
                linked += 1
    if cache and cache.is_dir() and not linked:
        _prune(cache, report.keys)
    return report


def _prune(cache: Path, keep: set[str]) -> None:
    for entry in cache.glob("*/*"):
        if entry.name.split(".")[0] not in keep:
            entry.unlink(missing_ok=True)
