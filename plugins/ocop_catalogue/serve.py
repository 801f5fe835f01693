"""Preview with live reload: rebuild on every save in products/, content/ or theme/.

The preview lives in its own folder (`.preview/` by default), never in the published
`output/`, and is rebuilt in place, incrementally: see incremental.py.
"""
from __future__ import annotations

from pathlib import Path

from livereload import Server

from .publish import preview


def serve(settings_file: str, output: str, port: int) -> int:
    project = Path(settings_file).resolve().parent
    rebuild = lambda: preview(settings_file, output)  # noqa: E731
    rebuild()
    server = Server()
    for folder in ("products", "content", "theme"):
        server.watch(str(project / folder), rebuild, delay=0.5)
    print(f"Preview: http://localhost:{port}/  (English: http://localhost:{port}/en/). Ctrl+C stops.")
    server.serve(root=output, port=port, host="127.0.0.1", open_url_delay=None)
    return 0
