"""Web sizes of the staff's phone photos: resized, rotated upright, metadata stripped.

Each photo becomes WebP (modern browsers) plus JPEG (fallback) at a few widths. Results
are cached by the photo's bytes, so a rebuild only works on new or changed photos, and
the encoders are deterministic, so the same photo gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps

WIDTHS = (400, 800, 1200)
FORMATS = (
    ("webp", "WEBP", {"quality": 78, "method": 4}),
    ("jpg", "JPEG", {"quality": 80, "optimize": True, "progressive": True}),
)
_VERSION = b"images-v1"  # change to invalidate every cached rendition


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


def render(source: Path, stem: str, cache_dir: Path) -> tuple[Rendition, dict[str, Path]]:
    """Make (or reuse from the cache) every variant of one photo; returns the files to publish."""
    digest, data = _source_digest(source, cache_dir)
    folder = cache_dir / digest
    manifest = folder / "manifest.txt"
    files: dict[str, Path] = {}
    if manifest.is_file():
        variants = []
        for line in manifest.read_text().splitlines():
            width, height, fmt, name = line.split()
            variants.append(Variant(int(width), int(height), fmt, name))
            files[name] = folder / name
        if all(p.is_file() for p in files.values()):
            big = variants[-1]
            return Rendition(stem, big.width, big.height, tuple(variants)), files
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
    manifest.write_text("".join(f"{v.width} {v.height} {v.fmt} {v.name}\n" for v in variants))
    big = variants[-1]
    return Rendition(stem, big.width, big.height, tuple(variants)), files
