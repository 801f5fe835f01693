"""Per-product results kept in the cache from one publishing build to the next (issue 11).

The feeds (open-data records) and the search index (cards and words) keep, for each product, what they made
of it, keyed by what it was made from; the whole file is valid for one digest of everything else (code, theme,
translations, settings, installed distributions: the catalogue's own `publish_digest`), so another version of
any of these starts afresh. A missing, stale or damaged file is simply no help. The search plugin uses this
module: it lives in the catalogue plugin, beside the pages' own reuse (incremental.py).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ocop.settings import value

from . import i18n, incremental
from .generator import showrooms_folder


def inputs_digest(settings: dict[str, Any]) -> str:
    """Everything but the records that a product's results may depend on."""
    folders = incremental.watched_folders(settings["THEME"], showrooms_folder(settings), i18n.locale_dir(settings))
    return incremental.publish_digest(folders, settings)


def cache_file(settings: dict[str, Any], name: str) -> Path:
    return Path(value(settings, "OCOP_CACHE_PATH")) / name


def load(path: Path, inputs: str) -> dict:
    """The entries kept in `path` if they were made with these inputs, else none."""
    try:
        with open(path, "rb") as f:
            saved = pickle.load(f)
        return saved["entries"] if saved["inputs"] == inputs else {}
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, KeyError, TypeError, ValueError):
        return {}


def save(path: Path, inputs: str, entries: dict) -> None:
    """Keep these entries (only these: the file stays the size of the catalogue), replacing the file at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # another build or the preview may save at the same time
    with open(tmp, "wb") as f:
        pickle.dump({"inputs": inputs, "entries": entries}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def changes(before: Mapping, after: dict) -> tuple[list[int], dict]:
    """What a forked process kept (`after`), told to its parent, which holds `before` too, without sending back
    what the parent has: the positions in `before` of the entries taken from it unchanged, and the others.
    A build where little changed sends a list of numbers instead of tens of megabytes."""
    positions = {key: i for i, key in enumerate(before)}
    same, new = [], {}
    for key, entry in after.items():
        i = positions.get(key)
        if i is not None and before[key] is entry:
            same.append(i)
        else:
            new[key] = entry
    return same, new


def merged(before: Mapping, parts: list[tuple[list[int], dict]]) -> dict:
    """The entries that processes kept, from what each told (`changes`) against the same `before`."""
    keys = list(before)
    out: dict = {}
    for same, new in parts:
        for i in same:
            out[keys[i]] = before[keys[i]]
        out.update(new)
    return out
