"""QR codes of product pages' permanent URLs, as printable SVG."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import segno

# segno spends ~80% of its time trying all eight masks to pick the most legible one; a fixed
# mask is as valid to every reader and makes 20,000 codes affordable in one build.
_MASK = 0


def svg(url: str, title: str, cache_dir: Path | None = None) -> bytes:
    key = hashlib.sha256(f"v1|{url}|{title}".encode()).hexdigest()[:20]
    cached = cache_dir / f"{key}.svg" if cache_dir else None
    if cached and cached.is_file():
        return cached.read_bytes()
    code = segno.make_qr(url, error="m", mask=_MASK, boost_error=False)
    buf = io.BytesIO()
    code.save(
        buf,
        kind="svg",
        scale=4,
        border=4,
        xmldecl=False,
        title=title,
        unit="px",
        svgclass="qr",
        lineclass=None,
        dark="#000",
    )
    data = buf.getvalue()
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
    return data
