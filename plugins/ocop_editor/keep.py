"""Hand comments and layout survive a save from the form under `make edit`.

Decap writes a record anew from its form data: a comment staff wrote by hand ("# giá theo quyết định 12/2025"),
flow mappings (`name: {vi: …, en: …}`) and quoting would be lost at the first save. `make edit` puts a small proxy
in front of Decap's local backend (decap-server): for each record Decap saves over an existing file, the new
values are merged into the old document read with ruamel.yaml's round-trip loader, so comments, key order and
style stay where they were and only the values staff changed are new.

The merge never changes meaning: its result, read back, must equal what Decap meant to write, else Decap's own
text is written unchanged (the comments are then lost, the record is still right). On a git host (GitHub,
GitLab, Gitea) Decap commits its own text and nothing runs in between: there comments do not survive a save
from the form (docs/editor.md).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

log = logging.getLogger(__name__)
RECORD_SUFFIXES = (".yaml", ".yml")


def _round_trip() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never fold a long line staff wrote on one
    y.indent(mapping=2, sequence=4, offset=2)  # the records' style: "certificates:\n  - stars: 4"
    return y


def plain(value: Any) -> Any:
    """A record's meaning: containers as plain dicts and lists, a date as the text the reader takes it for."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _merge(old: Any, new: Any) -> Any:
    """`new`'s values in `old`'s nodes: what is unchanged keeps its node (its comments, quotes, flow style)."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        return _merge_map(old, new)
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        del old[len(new) :]
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = _merge(old[i], value)
            else:
                old.append(value)
        return old
    # A date Decap writes as the text '2024-09-27' is the same date: the old, unquoted one stays.
    return old if plain(old) == plain(new) else new


def _merge_map(old: CommentedMap, new: dict) -> CommentedMap:
    for key in [k for k in old if k not in new]:
        del old[key]
    before = -1  # a new key goes after the last key that precedes it in Decap's order
    for key, value in new.items():
        if key in old:
            old[key] = _merge(old[key], value)
            before = list(old).index(key)
        else:
            before += 1
            old.insert(before, key, value)
    return old


def keep_comments(old_text: str, new_text: str) -> str:
    """`new_text` (Decap's) with `old_text`'s comments and layout where the values did not change; `new_text`
    itself when either does not read as a mapping or when the merge would change what the record says."""
    safe = YAML(typ="safe")
    try:
        new = safe.load(new_text)
        old = _round_trip().load(old_text)
    except YAMLError:
        return new_text
    if not isinstance(new, dict) or not isinstance(old, CommentedMap):
        return new_text
    out = io.StringIO()
    _round_trip().dump(_merge(old, new), out)
    merged = out.getvalue()
    try:
        same = plain(safe.load(merged)) == plain(new)
    except YAMLError:
        same = False
    if not same:
        log.warning("keeping comments would change the record; Decap's text is written as it is")
        return new_text
    return merged


# --- the proxy in front of decap-server ------------------------------------------------------------


def rewrite_persist(body: bytes, site_folder: Path) -> bytes:
    """A decap-server request body with each saved record's text merged into the file it replaces."""
    try:
        request = json.loads(body)
    except ValueError:
        return body
    if not isinstance(request, dict) or request.get("action") != "persistEntry":
        return body
    params = request.get("params") or {}
    files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
    changed = False
    root = site_folder.resolve()
    for item in files:
        path, raw = item.get("path"), item.get("raw")
        if not isinstance(path, str) or not isinstance(raw, str) or not path.endswith(RECORD_SUFFIXES):
            continue
        target = (root / path).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            continue  # a new record (nothing to keep), or a path decap-server itself refuses
        kept = keep_comments(target.read_text(encoding="utf-8"), raw)
        if kept != raw:
            item["raw"] = kept
            changed = True
    return json.dumps(request, ensure_ascii=False).encode("utf-8") if changed else body


class _Proxy(BaseHTTPRequestHandler):
    upstream = ""  # decap-server's address, set per server
    site_folder = Path()
    # Headers a forwarding proxy must not pass on (hop-by-hop), and the length it computes itself.
    SKIP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — the stdlib's name
        log.debug(format, *args)

    def do_OPTIONS(self) -> None:  # noqa: N802 — the stdlib's naming
        self._forward(None)

    def do_GET(self) -> None:  # noqa: N802
        self._forward(None)

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._forward(rewrite_persist(body, self.site_folder))

    def _forward(self, body: bytes | None) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in self.SKIP}
        request = urllib.request.Request(self.upstream + self.path, data=body, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                status, reply, data = r.status, r.headers, r.read()
        except urllib.error.HTTPError as exc:
            status, reply, data = exc.code, exc.headers, exc.read()
        except OSError as exc:
            status, reply, data = 502, None, json.dumps({"error": f"decap-server: {exc}"}).encode()
        self.send_response(status)
        for key, value in reply.items() if reply is not None else ():
            if key.lower() not in self.SKIP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def start_proxy(port: int, upstream_port: int, site_folder: Path) -> ThreadingHTTPServer:
    """Listen on 127.0.0.1:`port` and forward to decap-server on 127.0.0.1:`upstream_port`; in a thread."""
    handler = type(
        "Proxy", (_Proxy,), {"upstream": f"http://127.0.0.1:{upstream_port}", "site_folder": site_folder.resolve()}
    )
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="decap-proxy", daemon=True).start()
    return server
