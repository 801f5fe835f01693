"""Run Pagefind over the product pages of a finished build (the staging folder).

Pagefind's own directory indexing reads pages in parallel, in no promised order, and the
build must be reproducible: pages are fed to Pagefind's service in sorted order, through a small
client of its stdin/stdout protocol (the `pagefind` package's asyncio client waits 0.1 s
per message, too slow for 40,000 pages). Pagefind also emits the values of each filter,
and the filters themselves, in hash-map order: `canonicalise` sorts them and renames the
files after their new content, so the same pages always give the same bytes.

Reuse: Pagefind has no incremental mode, and indexing is the slowest part of a build after rendering.
What Pagefind returns for one language depends only on the records handed to it (url and record, in
sorted order), the Pagefind version and this file. Their digest names the cached answer
(<OCOP_CACHE_PATH>/search/<language folder>-<digest>.cbor): when it matches, the cached answer is used
as if Pagefind had just returned it, and canonicalised and written the same way, so a reused index is
byte-identical to a fresh one (tests/test_search_reuse.py).
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import threading
import time
from importlib import metadata
from pathlib import Path

import cbor2
from pagefind.service import get_executable

from ocop import urls
from ocop.i18n import LANGS

log = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"
PRODUCT_DIRS = tuple(urls.product_prefix(lang).rstrip("/") for lang in LANGS)  # product pages in each language
# Pagefind writes its ready-made UIs too; the search page uses the JS API (theme/static/js/search.js).
_UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(RuntimeError):
    pass


_LANG = re.compile(rb'<html lang="([a-z]{2})"')
_RECORD_START = b'<div class="search-record"'


def record_html(page: Path) -> str | None:
    """The page's search record in a minimal document: all that Pagefind reads from a product page.

    Pagefind indexes only the data-pagefind-body element and the page language; handing it
    this rather than the whole page saves it parsing the rest (about a fifth of the time).
    None for a page without a record (the redirect left at a product's former address).
    """
    return record_doc(page.read_bytes(), page)


def record_doc(data: bytes, where: object = "a product page") -> str | None:
    """record_html() of a page's bytes, for a renderer that hands them over as it writes the page."""
    start = data.find(_RECORD_START)
    if start < 0:
        return None
    lang = _LANG.search(data, 0, 400)
    end = data.find(b"</div>", start)
    if lang is None or end < 0:
        raise SearchIndexError(f"{where}: the search record is incomplete or the page has no <html lang>")
    return (
        b'<!doctype html><html lang="' + lang.group(1) + b'"><body>' + data[start : end + 6] + b"</body></html>"
    ).decode("utf-8")


class _Service:
    """Pagefind's `--service` mode: base64 JSON messages, each ended by a comma."""

    def __init__(self):
        binary = get_executable()
        if binary is None:
            raise SearchIndexError("the Pagefind binary is missing: install requirements.txt (pagefind-bin)")
        self.proc = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.rest = b""

    def send(self, payload: dict) -> None:
        self.next_id += 1
        message = json.dumps({"message_id": self.next_id, "payload": payload}).encode("utf-8")
        self.proc.stdin.write(base64.b64encode(message) + b",")

    def receive(self) -> dict:
        parts = [self.rest]
        chunk = self.rest
        while b"," not in chunk:  # only the newest chunk needs looking at: answers can be megabytes
            chunk = self.proc.stdout.read1(1 << 20)
            if not chunk:
                raise SearchIndexError("the Pagefind service stopped unexpectedly")
            parts.append(chunk)
        data = b"".join(parts)
        raw, self.rest = data.split(b",", 1)
        payload = json.loads(base64.b64decode(raw))["payload"]
        if payload.get("type") == "Error":
            raise SearchIndexError(f"Pagefind: {payload.get('message')}")
        return payload

    def call(self, payload: dict) -> dict:
        self.send(payload)
        self.proc.stdin.flush()
        return self.receive()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        self.proc.terminate()
        self.proc.wait()


def _index(site: Path, records: list[tuple[str, str]]) -> dict[str, bytes]:
    """Index (url, record html) pairs with one Pagefind process; returns its files, path → bytes.

    The files come back in the answer (GetFiles) rather than being written by Pagefind: its
    WriteFiles answers before the files are all on disk, and a process ending then leaves
    some empty.
    """
    service = _Service()
    errors: list[BaseException] = []
    try:
        index_id = service.call({"type": "NewIndex", "config": None})["index_id"]

        def feed():
            try:
                for url, doc in records:
                    service.send(
                        {"type": "AddFile", "index_id": index_id, "url": url, "file_path": None, "file_contents": doc}
                    )
                service.proc.stdin.flush()
            except BaseException as exc:  # the reader below reports it
                errors.append(exc)
                service.proc.terminate()

        # Pages go in one writer thread while this one reads the answers, so neither pipe fills up.
        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for url, _ in records:
                answer = service.receive()
                if answer.get("type") != "IndexedFile":
                    raise SearchIndexError(f"{site}{url}: Pagefind did not index this page: {answer}")
        except SearchIndexError:
            writer.join()
            if errors:
                raise errors[0] from None
            raise
        writer.join()
        if errors:
            raise errors[0]
        answer = service.call({"type": "GetFiles", "index_id": index_id})
    finally:
        service.close()
    files = {f["path"]: base64.b64decode(f["content"]) for f in answer["files"]}
    try:
        entry = json.loads(files["pagefind-entry.json"])
        written = sum(info["page_count"] for info in entry["languages"].values())
    except (KeyError, ValueError) as exc:
        raise SearchIndexError(f"Pagefind did not return a complete index for {site} ({exc!r})") from None
    if written != len(records):
        raise SearchIndexError(f"Pagefind indexed {written} pages of {site}, expected {len(records)}")
    return files


_HEADER = b"pagefind_dcd"  # Pagefind's files: gzip of this signature followed by CBOR


def _load(name: str, blob: bytes):
    raw = gzip.decompress(blob)
    if not raw.startswith(_HEADER):
        raise SearchIndexError(f"Pagefind file {name}: not a format this version understands")
    return cbor2.loads(raw[len(_HEADER) :])


def _dump(data) -> tuple[bytes, str]:
    raw = _HEADER + cbor2.dumps(data)
    return gzip.compress(raw, compresslevel=9, mtime=0), hashlib.sha256(raw).hexdigest()


def canonicalise(files: dict[str, bytes]) -> None:
    """Sort what Pagefind writes in hash-map order (filter values, filters, languages), in place.

    Files are renamed after their new content, and the references to them updated.
    """
    entry = json.loads(files["pagefind-entry.json"])
    for lang, info in entry["languages"].items():
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        meta = _load(meta_name, files.pop(meta_name))
        version, filters = meta[0], meta[3]
        if version != "1.5.2" or not isinstance(filters, list):
            raise SearchIndexError(
                f"Pagefind file {meta_name}: unexpected layout (version {version!r}); "
                "plugins/ocop_search/index.py knows Pagefind 1.5.2"
            )
        renamed = []
        for name, chunk in filters:
            chunk_name = f"filter/{chunk}.pf_filter"
            data = _load(chunk_name, files.pop(chunk_name))
            data[1].sort(key=lambda value: value[0])
            blob, digest = _dump(data)
            new = f"{lang}_{digest[:7]}"
            files[f"filter/{new}.pf_filter"] = blob
            renamed.append([name, new])
        meta[3] = sorted(renamed)
        blob, digest = _dump(meta)
        info["hash"] = f"{lang}_{digest[:10]}"
        files[f"pagefind.{info['hash']}.pf_meta"] = blob
    entry["languages"] = dict(sorted(entry["languages"].items()))
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def records_digest(records: list[tuple[str, str]]) -> str:
    """What Pagefind's answer for one language depends on: the records, Pagefind's version and this code."""
    h = hashlib.sha256()
    h.update(metadata.version("pagefind-bin").encode())
    h.update(Path(__file__).read_bytes())
    for url, doc in records:
        for part in (url.encode("utf-8"), doc.encode("utf-8")):
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
    return h.hexdigest()[:32]


def _cached(
    cache: Path | None, folder: str, records: list[tuple[str, str]]
) -> tuple[dict[str, bytes] | None, Path | None]:
    """The cached Pagefind answer for these records, or None; and where to store a fresh one."""
    if cache is None:
        return None, None
    path = cache / f"{folder.replace('/', '-')}-{records_digest(records)}.cbor"
    try:
        files = cbor2.loads(path.read_bytes())
    except (OSError, ValueError, cbor2.CBORDecodeError):
        return None, path  # missing or unreadable: index again
    if not isinstance(files, dict) or "pagefind-entry.json" not in files:
        return None, path
    return files, path


def _store(path: Path, files: dict[str, bytes]) -> None:
    """Keep one answer per language folder: the new one replaces the older ones, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = path.name[: -len("-.cbor") - 32]
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(cbor2.dumps(dict(sorted(files.items()))))
    os.replace(tmp, path)
    for old in path.parent.glob(f"{prefix}-*.cbor"):
        if old != path and len(old.name) == len(path.name):
            old.unlink(missing_ok=True)


def _records(site: Path, expected: int | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each language folder's (url, record) pairs in sorted order, checked against `expected`."""
    groups = []
    for folder in PRODUCT_DIRS:
        records, without = [], []
        for page in sorted((site / folder).glob("*/index.html")):
            doc = record_html(page)
            if doc is None:
                without.append(page)
            else:
                records.append(("/" + page.parent.relative_to(site).as_posix() + "/", doc))
        if expected is not None and len(records) != expected:
            example = f" (e.g. {without[0]})" if without else ""
            raise SearchIndexError(
                f"{site / folder}: {len(records)} product pages have a search record "
                f"(data-pagefind-body), expected {expected}{example}; "
                "theme/templates/product.html must include search_record.html"
            )
        groups.append((folder, records))
    return [(folder, records) for folder, records in groups if records] or [("none", [])]


def _given(records: dict[str, list[tuple[str, str]]], expected: int | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Records handed over by the renderer, checked and ordered as _records() reads them."""
    for folder in PRODUCT_DIRS:
        if expected is not None and len(records.get(folder, ())) != expected:
            raise SearchIndexError(
                f"{folder}: {len(records.get(folder, ()))} product pages handed over with a search record, "
                f"expected {expected}"
            )
    groups = [(folder, sorted(records[folder])) for folder in PRODUCT_DIRS if records.get(folder)]
    return groups or [("none", [])]


def _write(bundle: Path, results: list[dict[str, bytes]]) -> int:
    """One bundle: the languages' files do not overlap, except the shared code and the entry."""
    files: dict[str, bytes] = {}
    languages: dict = {}
    for part in results:
        languages.update(json.loads(part["pagefind-entry.json"])["languages"])
        for name, blob in part.items():
            files.setdefault(name, blob)
    entry = json.loads(files["pagefind-entry.json"])
    entry["languages"] = languages
    files["pagefind-entry.json"] = json.dumps(entry).encode("utf-8")
    canonicalise(files)
    for name in sorted(files):
        if name in _UNUSED:
            continue
        path = bundle / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
    return sum(info["page_count"] for info in languages.values())


def build_index(
    output_path: str | Path,
    expected: int | None = None,
    cache: str | Path | None = None,
    records: dict[str, list[tuple[str, str]]] | None = None,
) -> int:
    """Index every product page in both languages into <output>/pagefind/; returns the pages indexed.

    `expected`: the number of products; each language must then have exactly that many pages
    with a search record. Pagefind keeps one index per language anyway, so each language gets
    its own Pagefind process, in parallel, and the two bundles are merged. `cache`: a folder where
    each language's Pagefind answer is kept and reused while its records are unchanged.
    `records`: {product folder: [(url, record_doc(page bytes))]} when the caller has them already (a
    renderer collecting them as it writes the pages), instead of reading every product page again;
    each list is sorted here, so the index is the same either way.
    """
    site = Path(output_path).resolve()
    bundle = site / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)
    started = time.perf_counter()
    groups = _records(site, expected) if records is None else _given(records, expected)
    results: list[dict[str, bytes]] = [{} for _ in groups]
    errors: list[BaseException] = []
    cache_dir = Path(cache) if cache is not None else None
    reused = 0

    def run(n: int) -> None:
        nonlocal reused
        folder, records = groups[n]
        try:
            files, path = _cached(cache_dir, folder, records)
            if files is None:
                files = _index(site, records)
                if path is not None:
                    _store(path, files)
            else:
                reused += 1
            results[n] = files
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(groups))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    count = _write(bundle, results)
    log.info(
        "Search index: %d product pages in %.1f s (%d of %d languages unchanged, reused)",
        count,
        time.perf_counter() - started,
        reused,
        len(groups),
    )
    return count
