"""Preview with live reload: rebuild on every save in the records, the content pages or the theme.

The preview lives in its own folder (`.preview/` by default), never in the published
`output/`, and is rebuilt in place, incrementally: see incremental.py. A save under the products
folder only refreshes the last build with the changed records (preview.py); any other save runs
the whole build.
"""

from __future__ import annotations

import os

from livereload import Server

from ocop.settings import Site

from .pelican_defaults import pelican_settings
from .preview import PreviewSession, serve_callbacks


def watched(site: Site) -> list[str]:
    """The folders whose changes rebuild the preview: records, content pages, showrooms, theme."""
    settings = pelican_settings(site)
    folders = [site.products_path, settings["PATH"], site.showrooms_path, settings["THEME"]]
    return sorted({str(f) for f in folders if os.path.isdir(f)})


def serve(site: Site, output: str | os.PathLike, port: int) -> int:
    session = PreviewSession(site, output)
    records_saved, other_saved = serve_callbacks(session)
    session.rebuild()
    server = Server()
    products = str(site.products_path)
    for folder in watched(site):
        server.watch(folder, records_saved if folder == products else other_saved, delay=0.5)
    print(f"Preview: http://localhost:{port}/  (English: http://localhost:{port}/en/). Ctrl+C stops.")
    server.serve(root=str(output), port=port, host="127.0.0.1", open_url_delay=None)
    return 0
