"""Precompressed siblings of the site's text files: `x.html` gets `x.html.gz` and `x.html.br`.

Files of 1 MiB and more (the open data, the merchant feeds, the sitemap: read by machines) get only `.gz`.
Their readers — marketplace fetchers, crawlers, open-data scripts — ask for gzip; a browser that asks for
brotli is sent the `.gz` (every such browser takes gzip too). Brotli saved little on them (the 48 MB open data
of a national catalogue: 5.5 MB against 6.6 MB gzipped) for most of the compression a decision pays
(4.4 s of CPU for that file alone at quality 8, against 1.75 s for gzip -9; those files change with any record).

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
so the same file always gives the same bytes, whichever of the two ways below made them.

Two ways, one set of encoders (`siblings`):
- a catalogue page or QR code is compressed by the render worker that made it, from the bytes in memory, as
  it is written (the plugin hands `siblings` to the build: SiteBuild.compress). Nothing is read again, hashed
  or kept: a page is rendered because its bytes changed, so a cache of its siblings would almost never be hit.
- every other text file (feeds, search index, sitemap, statistics, showroom pages, the theme's files: written
  whole by each build, mostly the same bytes) is found on the finished staging folder by `precompress`, and
  its siblings are kept in a cache keyed by the SHA-256 of the content and the settings: a rebuild
  compresses only those whose bytes changed.
No Pelican here: the plugin calls `precompress` on the finished staging folder, tests call it directly.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import threading
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import brotli

# Text formats the site publishes (the search index's files are .json).
TEXT_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".xml", ".atom", ".rss", ".csv", ".tsv", ".svg", ".geojson", ".txt"}
)
ENCODINGS = (".gz", ".br")
GZIP_ONLY_FROM = 1 << 20  # bytes: a file this large gets only the .gz (why: above)
DEFAULT_QUALITY = 8  # the default of OCOP_BROTLI_QUALITY; why: above, figures in the README
GZIP_LEVEL = 9


@dataclass
class Report:
    """What one run did: files seen, compressed now, reused from the cache, and the bytes before and after."""

    files: int = 0
    compressed: int = 0
    reused: int = 0  # from the cache
    linked: int = 0  # siblings linked from the published version (their sizes are not looked up)
    rendered: int = 0  # siblings written with the file by the build (SiteBuild.precompressed; sizes not known here)
    size: int = 0
    gz_size: int = 0
    br_size: int = 0
    keys: set[str] = field(default_factory=set)

    def summary(self) -> str:
        return (
            f"Precompressed {self.files} text files ({self.rendered} as they were rendered, {self.linked} linked "
            f"from the published version, {self.compressed} compressed, {self.reused} from the cache: "
            f"{self.size / 1e6:.1f} MB → "
            f"gzip {self.gz_size / 1e6:.1f} MB, brotli {self.br_size / 1e6:.1f} MB)."
        )


def gzip_bytes(data: bytes) -> bytes:
    """gzip -9 with no file name and a zero time in the header: the same bytes for the same input."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def window(size: int) -> int:
    """The smallest brotli window (log2 of its bytes, 10 to 24) that holds a file of `size` bytes."""
    return max(10, min(24, (size + 15).bit_length()))  # a window holds 2**lgwin - 16 bytes


def brotli_bytes(data: bytes, quality: int = DEFAULT_QUALITY) -> bytes:
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=quality, lgwin=window(len(data)))


def is_text(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in TEXT_SUFFIXES


def encodings(size: int) -> tuple[str, ...]:
    """The siblings a text file of `size` bytes gets."""
    return ENCODINGS if size < GZIP_ONLY_FROM else ENCODINGS[:1]


def siblings(name: str, data: bytes, quality: int = DEFAULT_QUALITY) -> tuple[tuple[str, bytes], ...]:
    """The `.gz` and `.br` of a file (suffix → bytes) named `name` holding `data`; none for a file not a text,
    only the `.gz` for a large one."""
    if not is_text(name):
        return ()
    made = {ENCODINGS[0]: gzip_bytes, ENCODINGS[1]: lambda d: brotli_bytes(d, quality)}
    return tuple((ext, made[ext](data)) for ext in encodings(len(data)))


def text_names(folder: Path, skip: Collection[str] = frozenset()) -> list[str]:
    """The files of `folder` to precompress (names relative to it, sorted), but those in `skip`.

    os.scandir and strings rather than os.walk and paths: a national site has 43,000 folders, and the
    Python work per entry was most of the walk's cost; so an entry's own name is looked at first, and its
    path made only for a text file or a folder (a product folder's photos and siblings cost one test each).
    Linked folders are not followed (as os.walk)."""
    found, folders = [], [""]
    while folders:
        rel = folders.pop()
        with os.scandir(os.path.join(folder, rel)) as entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.append(rel + entry.name + "/")
                    continue
                base = entry.name
                dot = base.rfind(".")  # os.path.splitext's suffix: after the last dot, which ends no leading dots
                if (
                    dot > 0
                    and base[dot:].lower() in TEXT_SUFFIXES
                    and base[:dot].strip(".")
                    and (name := rel + base) not in skip
                ):
                    found.append(name)
    found.sort()
    return found


def _key(data: bytes, quality: int) -> str:
    # The encoder settings are part of the key: files made with other settings are not reused.
    settings = f"gzip{GZIP_LEVEL}-br{quality}-fitted-below{GZIP_ONLY_FROM}-{brotli.__version__}".encode()
    return hashlib.sha256(settings + b"\0" + data).hexdigest()


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
    """Write the siblings of one file; returns (cache key, compressed now?, sizes; 0 for a sibling not made).

    Copies, not links, to and from the cache: a link count above one is how a published file says it was
    kept from the version before (tests/test_incremental_build.py)."""
    data = path.read_bytes()
    key = _key(data, quality)
    exts = encodings(len(data))
    cached = [cache / key[:2] / (key + ext) for ext in exts] if cache else []
    made = not (cache and all(c.is_file() for c in cached))
    if not made:
        for c, ext in zip(cached, exts, strict=True):
            _copy(c, f"{path}{ext}")
        sizes = {ext: os.path.getsize(c) for c, ext in zip(cached, exts, strict=True)}
    else:
        sizes = {}
        for i, (ext, body) in enumerate(siblings(path.name, data, quality)):
            _write(f"{path}{ext}", body)
            sizes[ext] = len(body)
            if cache:
                _keep(body, cached[i])
    return key, made, len(data), sizes.get(ENCODINGS[0], 0), sizes.get(ENCODINGS[1], 0)


def _link_sibling(source: str, target: str) -> bool:
    """Link one sibling of the published version into the build; False if that version lacks it."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except FileExistsError:
        os.unlink(target)
        return _link_sibling(source, target)
    except OSError:  # another file system, or one without links
        if not os.path.isfile(source):
            return False
        _copy(source, target)
    return True


def _link_siblings(folder: Path, previous: Path, names: list[str]) -> list[str]:
    """Link the `.gz`/`.br` of each named file from `previous` into `folder`; the names that got all theirs.

    The files were hard-linked from `previous` by the build (the same bytes), so their siblings there are
    right for them: nothing is read, hashed or even stat-ed, one link() a sibling (a file's size is looked up
    only when it has no `.br`: a large file, see GZIP_ONLY_FROM).
    """
    gz, br = ENCODINGS
    done = []
    for name in names:
        source, target = os.path.join(previous, name), os.path.join(folder, name)
        if _link_sibling(f"{source}{gz}", f"{target}{gz}") and (
            _link_sibling(f"{source}{br}", f"{target}{br}") or br not in encodings(os.path.getsize(target))
        ):
            done.append(name)
    return done


def _link_all_siblings(folder: Path, previous: Path, names: list[str], pool: ThreadPoolExecutor) -> list[str]:
    """`_link_siblings` in a few large shares on the pool's threads: a link() that waits for a busy disk's
    journal releases the GIL, so the others go on (one task a file would cost more than the link itself)."""
    shares = [names[i : i + LINKS_A_TASK] for i in range(0, len(names), LINKS_A_TASK)]
    return [name for done in pool.map(lambda share: _link_siblings(folder, previous, share), shares) for name in done]


LINKS_A_TASK = 2000


def _compress_share(folder: Path, cache: Path | None, quality: int, names: list[str]) -> Report:
    """`_one` for each named file, summed: one task of the pool."""
    report = Report()
    for name in names:
        key, made, size, gz, br = _one(folder / name, cache, quality)
        report.compressed += made
        report.reused += not made
        report.size += size
        report.gz_size += gz
        report.br_size += br
        report.keys.add(key)
    return report


SHARES_A_WORKER = 4  # files differ in size (a feed is 1,000 pages): a few shares each keep every thread busy


def _shares(names: list[str], workers: int) -> list[list[str]]:
    """`names` dealt into a few shares a worker (every n-th name: the large files of one folder are spread)."""
    count = min(len(names), workers * SHARES_A_WORKER)
    return [names[i::count] for i in range(count)]


def precompress(
    folder: Path,
    cache: Path | None = None,
    workers: int | None = None,
    quality: int = DEFAULT_QUALITY,
    previous: Path | None = None,
    linked: Collection[str] = (),
    rendered: Collection[str] = (),
) -> Report:
    """Write `.gz` and `.br` beside every text file of `folder`; reuse (and keep) results in `cache`.

    `linked`: files of `folder` (relative names) that the build hard-linked from `previous`, the published
    version, made with the same settings: their siblings are linked from there. `rendered`: files whose
    siblings the build wrote with them (`siblings`, from the bytes it rendered): left as they are. Only the
    other files are compressed or looked up in the cache, so the cache holds only theirs: entries no file
    used this time are removed after each run, and the cache stays the size of those files of one site.
    The encoders release the GIL, so threads use every core.
    """
    report = Report()
    texts = [name for name in linked if is_text(name)] if previous else []
    skip = set(texts)
    skip.update(rendered)
    names = text_names(folder, skip)  # listed before the siblings below make three times the entries
    workers = workers or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = _link_all_siblings(folder, previous, texts, pool) if previous and texts else []
        report.linked = len(done)
        names += sorted(set(texts).difference(done))  # a sibling the published version lacks: made again
        for share in pool.map(lambda share: _compress_share(folder, cache, quality, share), _shares(names, workers)):
            report.compressed += share.compressed
            report.reused += share.reused
            report.size += share.size
            report.gz_size += share.gz_size
            report.br_size += share.br_size
            report.keys |= share.keys
    report.rendered = len(rendered)
    report.files = len(names) + report.linked + report.rendered
    if cache and cache.is_dir():
        _prune(cache, report.keys)
    return report


def _prune(cache: Path, keep: set[str]) -> None:
    for entry in cache.glob("*/*"):
        if entry.name.split(".")[0] not in keep:
            entry.unlink(missing_ok=True)
