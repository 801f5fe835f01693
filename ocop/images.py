"""Web sizes of the staff's phone photos: resized, rotated upright, metadata stripped.

Each photo becomes WebP (modern browsers) plus JPEG (fallback) at a few widths. Results
are cached by the photo's bytes, so a rebuild only works on new or changed photos, and
the encoders are deterministic, so the same photo gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps

WIDTHS = (400, 800, 1200)
FORMATS = (
    ("webp", "WEBP", {"quality": 78, "method": 4}),
    ("jpg", "JPEG", {"quality": 80, "optimize": True, "progressive": True}),
)
_VERSION = b"images-v1"  # change to invalidate every cached rendition (and rename every published one)
# The list of a photo's renditions in the cache. JSON, since a name may hold any character; the former
# "manifest.txt" split its lines on spaces, so a photo named with a space broke every later build.
# A cache of that time is simply not read (a different file name): its photos are rendered again.
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    fmt: str  # "webp" | "jpg"
    name: str  # file name, content-addressed


@dataclass(frozen=True)
class Rendition:
    stem: str
    width: int  # of the largest variant
    height: int
    variants: tuple[Variant, ...]

    def srcset(self, fmt: str, base: str) -> str:
        return ", ".join(f"{base}{v.name} {v.width}w" for v in self.variants if v.fmt == fmt)

    def pick(self, fmt: str, width: int) -> Variant:
        candidates = [v for v in self.variants if v.fmt == fmt]
        return next((v for v in candidates if v.width >= width), candidates[-1])


def _digest(data: bytes) -> str:
    return hashlib.sha256(_VERSION + data).hexdigest()[:12]


def _source_digest(source: Path, cache_dir: Path) -> tuple[str, bytes | None]:
    """The photo's content digest, and its bytes when they had to be read.

    A national catalogue has tens of thousands of phone photos of a few MB each: reading them all
    on every build would dominate it. A photo whose size and modification time are unchanged
    keeps the digest noted last time.
    """
    st = source.stat()
    note = cache_dir / "by-path" / (hashlib.sha1(str(source.resolve()).encode()).hexdigest() + ".txt")
    stamp = f"{st.st_size} {st.st_mtime_ns}"
    try:
        seen_stamp, seen_digest = note.read_text().rsplit(" ", 1)
        if seen_stamp == stamp:
            return seen_digest, None
    except (OSError, ValueError):
        pass
    data = source.read_bytes()
    digest = _digest(data)
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(f"{stamp} {digest}")
    return digest, data


def _cached(folder: Path, manifest: Path) -> tuple[list[Variant], dict[str, Path]] | None:
    """The renditions the cache holds for a photo, or None if any is missing or the manifest is unreadable."""
    try:
        rows = json.loads(manifest.read_text(encoding="utf-8"))
        variants = [Variant(int(w), int(h), str(fmt), str(name)) for w, h, fmt, name in rows]
    except (OSError, ValueError, TypeError):
        return None
    files = {v.name: folder / v.name for v in variants}
    if not variants or not all(p.is_file() for p in files.values()):
        return None
    return variants, files


def render(source: Path, stem: str, cache_dir: Path) -> tuple[Rendition, dict[str, Path]]:
    """Make (or reuse from the cache) every variant of one photo; returns the files to publish."""
    stem = re.sub(r"\s+", "-", stem)  # a space would split the name in srcset and in addresses
    digest, data = _source_digest(source, cache_dir)
    folder = cache_dir / digest
    manifest = folder / MANIFEST
    cached = _cached(folder, manifest)
    if cached:
        variants, files = cached
        big = variants[-1]
        return Rendition(stem, big.width, big.height, tuple(variants)), files
    files = {}
    folder.mkdir(parents=True, exist_ok=True)
    if data is None:  # known photo whose renditions were deleted from the cache
        data = source.read_bytes()
    with PILImage.open(io.BytesIO(data)) as opened:
        im = ImageOps.exif_transpose(opened)  # phones store "rotate me" in EXIF; apply it before stripping EXIF
        im = im.convert(
            "RGBA" if im.mode in ("RGBA", "LA", "P") and "transparency" in im.info or im.mode == "RGBA" else "RGB"
        )
        widths = sorted({min(w, im.width) for w in WIDTHS})
        variants = []
        for w in widths:
            h = round(im.height * w / im.width)
            resized = im if w == im.width else im.resize((w, h), PILImage.Resampling.LANCZOS)
            for ext, fmt, options in FORMATS:
                out = resized.convert("RGB") if fmt == "JPEG" else resized
                buf = io.BytesIO()
                out.save(buf, fmt, **options)  # no exif=, no icc: nothing of the phone's metadata survives
                name = f"{stem}-{digest[:8]}-{w}.{ext}"
                (folder / name).write_bytes(buf.getvalue())
                files[name] = folder / name
                variants.append(Variant(w, h, ext, name))
    variants.sort(key=lambda v: (v.width, v.fmt))
    rows = [[v.width, v.height, v.fmt, v.name] for v in variants]
    manifest.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    big = variants[-1]
    return Rendition(stem, big.width, big.height, tuple(variants)), files
