"""Precompressed siblings of the site's text files: `x.html` gets `x.html.gz` and `x.html.br`.

Servers that negotiate encodings from files (nginx `gzip_static`/`brotli_static`, Caddy `precompressed`,
GitLab Pages) then send the smaller file without compressing anything per request, and with the strongest
settings, which are too slow to run per request: gzip level 9 and brotli quality 10 (OCOP_BROTLI_QUALITY).

Reproducible: the gzip header carries no file name and a zero time, and both encoders are deterministic,
so the same file always gives the same bytes. Brotli's high qualities are slow (about 2 MB/s of HTML per core at
quality 10, 0.8 at 11, 25 at 7), so results are kept in a cache keyed by the SHA-256 of the content and the
settings: a rebuild compresses only files whose bytes changed.
No Pelican here: the plugin calls `precompress` on the finished staging folder, tests call it directly.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import brotli

# Text formats the site publishes. Pagefind's own files (pf_*, .pagefind) are gzip already: not listed.
TEXT_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".xml", ".atom", ".rss", ".csv", ".tsv", ".svg", ".geojson", ".txt"}
)
ENCODINGS = (".gz", ".br")
DEFAULT_QUALITY = 10  # the default of OCOP_BROTLI_QUALITY; measured trade-off in the README
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


def brotli_bytes(data: bytes, quality: int = DEFAULT_QUALITY) -> bytes:
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=quality)


def text_files(folder: Path) -> Iterator[Path]:
    """The files of `folder` to precompress, in a stable order."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() in TEXT_SUFFIXES:
                yield Path(root, name)


def _key(data: bytes, quality: int) -> str:
    # The encoder settings are part of the key: files made with other settings are not reused.
    settings = f"gzip{GZIP_LEVEL}-br{quality}-{brotli.__version__}".encode()
    return hashlib.sha256(settings + b"\0" + data).hexdigest()


def _one(path: Path, cache: Path | None, quality: int) -> tuple[str, bool, int, int, int]:
    """Write the siblings of one file; returns (cache key, compressed now?, sizes)."""
    data = path.read_bytes()
    key = _key(data, quality)
    cached = [cache / key[:2] / (key + ext) for ext in ENCODINGS] if cache else []
    made = False
    if cache and all(c.is_file() for c in cached):
        for c, ext in zip(cached, ENCODINGS, strict=True):
            shutil.copyfile(c, f"{path}{ext}")
    else:
        made = True
        for i, (ext, body) in enumerate(zip(ENCODINGS, (gzip_bytes(data), brotli_bytes(data, quality)), strict=True)):
            Path(f"{path}{ext}").write_bytes(body)
            if cache:
                cached[i].parent.mkdir(parents=True, exist_ok=True)
                tmp = cached[i].with_suffix(".tmp")  # never a half-written cache entry after a crash
                tmp.write_bytes(body)
                tmp.replace(cached[i])
    return key, made, len(data), os.path.getsize(f"{path}.gz"), os.path.getsize(f"{path}.br")


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
        try:
            os.link(f"{before}{ext}", f"{path}{ext}")
        except OSError:
            shutil.copyfile(f"{before}{ext}", f"{path}{ext}")
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
