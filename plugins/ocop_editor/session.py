"""`make edit`: the preview server with the editor at /admin/, and Decap's local backend, both on 127.0.0.1 only.

    python -m ocop_editor.session [-C SITE_FOLDER] [--port 8000] [--backend-port 8081]

- decap-server (node, pinned in tools/editor/package-lock.json) reads and writes the site folder's files: what
  staff save in the form lands in products/ and content/showrooms/ as YAML, with photos beside the record;
  Decap reaches it through a proxy on the backend port that keeps a record's hand comments and layout (keep.py);
- the preview is `ocop serve`'s: one PreviewSession (ocop_catalogue/preview.py) in this process, which after a
  save under the products folder refreshes only what the saved records change, and after any other save runs the
  whole preview build; after each rebuild the records are
  checked as `ocop check` does and `admin/problems.json` lists every file's problems in Vietnamese, which the
  editor shows for the record just saved (a record with errors leaves the preview unchanged, so saying why
  matters); `admin/records.json` lists the ids and page addresses in use or ever published, which the editor
  refuses to change or give to a new record before anything is written.

Nothing listens beyond 127.0.0.1: this is for one office PC or a trial. An office's shared editor logs in
through its git host instead (OCOP_EDITOR = "gitlab" …; docs/editor.md).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ocop import editor, urls
from ocop.settings import Site, read_site

from .keep import start_proxy
from .writer import write_admin, write_known

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "editor"  # in a checkout (an editable install)
SERVER_ENV = "OCOP_DECAP_SERVER"  # path to decap-server's dist/index.js, for an installed package


def decap_server() -> Path | None:
    """decap-server's entry point: OCOP_DECAP_SERVER, else the checkout's `npm ci` in tools/editor/."""
    given = os.environ.get(SERVER_ENV)
    path = Path(given) if given else TOOLS / "node_modules" / "decap-server" / "dist" / "index.js"
    return path if path.is_file() else None


def start_backend(site: Site, port: int) -> subprocess.Popen:
    node = shutil.which("node")
    server = decap_server()
    if node is None or server is None:
        raise SystemExit(
            "Cần Node.js và decap-server: chạy tools/install-system-deps.sh rồi `npm ci --prefix tools/editor` "
            "(docs/bien-tap.md). / Node.js and decap-server are needed: run tools/install-system-deps.sh, then "
            "`npm ci --prefix tools/editor`."
        )
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(site.folder),
        "LOG_LEVEL": os.environ.get("OCOP_DECAP_LOG_LEVEL", "warn"),
    }
    return subprocess.Popen([node, str(server)], env=env, cwd=site.folder)


def published_slugs(site: Site) -> dict[str, str]:
    """Every address the site's published memory (`output.published.json`) remembers, with its product id."""
    from ocop import published as memory
    from ocop_catalogue.pelican_defaults import pelican_settings
    from ocop_catalogue.publish import manifest_path, published_path

    final = published_path(site.folder / pelican_settings(site)["OUTPUT_PATH"])
    try:
        stored = memory.read(manifest_path(site, final))
    except memory.ManifestError:  # `ocop build` reports it; the editor still guards today's records
        return {}
    return dict(stored.slugs) if stored else {}


def _record_cache(site: Site) -> Path:
    """The record cache the preview keeps up to date (the same file: a save is read once, by the preview)."""
    from ocop_catalogue.generator import record_cache_file
    from ocop_catalogue.pelican_defaults import pelican_settings

    return record_cache_file(pelican_settings(site))


def _reserved(site: Site) -> list[str]:
    """The catalogue's folders, which a new content page may not take (THEME_STATIC_DIR as Pelican reads it)."""
    from ocop_catalogue.pelican_defaults import pelican_settings

    return urls.reserved_folders(pelican_settings(site)["THEME_STATIC_DIR"])


def write_problems(site: Site, output: Path) -> dict:
    """Check every record and write `admin/problems.json`: {"checked": time, "files": {path: [lines]}}, and
    `admin/records.json`: the ids and addresses in use or published, which the editor refuses to change or reuse."""
    try:
        found = editor.review(site, "vi", published_slugs(site), _record_cache(site), _reserved(site))
        files = found.problems
        write_known(output, found.known)
    except Exception as exc:  # a record the reader cannot even open must not stop the preview server
        files = {"": [f"{type(exc).__name__}: {exc}"]}
    report = {"checked": time.time(), "files": files}
    target = output / editor.ADMIN_DIR / "problems.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)  # the editor never reads half a file
    return report


def edit_site(folder: Path, settings_file: str | None, backend_port: int) -> Site:
    site = read_site(folder, settings_file)
    overrides = {"OCOP_EDITOR_LOCAL_URL": f"http://127.0.0.1:{backend_port}/api/v1"}
    if not site.settings.get("OCOP_EDITOR"):
        overrides["OCOP_EDITOR"] = "local"
    return read_site(folder, settings_file, overrides)


class EditorPreview:
    """The preview of `make edit`: `ocop serve`'s PreviewSession, and the editor's files after every rebuild."""

    def __init__(self, site: Site, output: Path):
        from ocop_catalogue.preview import PreviewSession

        self.site, self.output = site, output
        self.session = PreviewSession(site, output)

    def rebuild(self, records_only: bool = False) -> int:
        """`records_only`: after a save under the products folder (the session refreshes what the saved records
        change). Returns the preview's exit code (preview_site's)."""
        from ocop_catalogue.pelican_defaults import pelican_settings

        code = self.session.rebuild(records_only=records_only)
        # Also when the build refused the records: the editor must load to fix them.
        write_admin(pelican_settings(self.site), self.output, self.site.folder)
        write_problems(self.site, self.output)
        return code


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(site: Site, output: Path, port: int, backend_port: int) -> int:
    from livereload import Server

    from ocop_catalogue.serve import watched

    # Decap talks to the proxy, which keeps hand comments in the records it saves (keep.py).
    internal = _free_port()
    backend = start_backend(site, internal)
    proxy = start_proxy(backend_port, internal, site.folder)
    # A SIGTERM (a service manager, a test) must stop the backend too, as Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        preview = EditorPreview(site, output)
        preview.rebuild()
        server = Server()
        products = str(site.products_path)
        for path in watched(site):
            server.watch(path, functools.partial(preview.rebuild, path == products), delay=0.5)
        print(
            f"Biên tập / editor: http://127.0.0.1:{port}/admin/   Xem trước / preview: http://127.0.0.1:{port}/\n"
            "Ctrl+C để dừng / stops.",
            flush=True,
        )
        server.serve(root=str(output), port=port, host="127.0.0.1", open_url_delay=None)
    finally:
        proxy.shutdown()
        backend.terminate()
        backend.wait(10)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="ocop-edit", description=__doc__.split("\n\n")[0])
    p.add_argument("-C", dest="folder", default=os.environ.get("OCOP_SITE", "."), help="the site folder")
    p.add_argument("--settings", help="settings file in the site folder (default: pelicanconf.py)")
    p.add_argument("--output", help="the preview folder (default: .preview/ in the site folder)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--backend-port", type=int, default=8081)
    args = p.parse_args(argv)
    site = edit_site(Path(args.folder), args.settings, args.backend_port)
    output = Path(args.output).resolve() if args.output else site.folder / ".preview"
    return serve(site, output, args.port, args.backend_port)


if __name__ == "__main__":
    sys.exit(main())
