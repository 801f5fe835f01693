"""Draw the PNG favicons from the same shape as theme/static/img/favicon.svg (the gold star on the brand green).

    .venv/bin/python -m theme.make_icons

The PNGs are kept in the repository; this script re-draws them byte for byte (Pillow, no timestamps in the files),
for browsers that do not take an SVG icon (Safari's home-screen icon, older browsers).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

IMG = Path(__file__).resolve().parent / "static" / "img"
GREEN, GOLD = (0x0B, 0x6B, 0x3A, 255), (0xFF, 0xD4, 0x5A, 255)
# favicon.svg's star, in its 32×32 box.
STAR = [(16, 4.5), (19.4, 11.8), (27.4, 12.7), (21.4, 18.1), (23.1, 26), (16, 21.9), (9, 26), (10.6, 18.1),
        (4.6, 12.7), (12.6, 11.8)]  # fmt: skip
SIZES = {"favicon.png": 32, "apple-touch-icon.png": 180}
SUPERSAMPLE = 8  # drawn large, then reduced: smooth edges without an anti-aliasing renderer


def draw(size: int, rounded: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    scale = big / 32
    im = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    # iOS rounds the home-screen icon itself: a square there, the SVG's rounded square elsewhere.
    d.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(7 * scale) if rounded else 0, fill=GREEN)
    d.polygon([(x * scale, y * scale) for x, y in STAR], fill=GOLD)
    return im.resize((size, size), Image.Resampling.LANCZOS)


def main(folder: Path = IMG) -> None:
    for name, size in SIZES.items():
        draw(size, rounded=name == "favicon.png").save(folder / name, optimize=True)


if __name__ == "__main__":
    main()
