"""Preview with live reload: rebuild on every save in products/, content/ or theme/."""
from __future__ import annotations

from pathlib import Path

from livereload import Server

from .publish import build


def serve(settings_file: str, output: str, port: int) -> int:
    project = Path(settings_file).resolve().parent
    build(settings_file, output)
    server = Server()
    for folder in ("products", "content", "theme"):
        server.watch(str(project / folder), lambda: build(settings_file, output), delay=0.5)
    print(f"Preview: http://localhost:{port}/  (English: http://localhost:{port}/en/). Ctrl+C stops.")
    server.serve(root=output, port=port, host="127.0.0.1", open_url_delay=None)
    return 0
