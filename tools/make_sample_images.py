#!/usr/bin/env python3
"""Draw the illustrative sample "photos" that products/**/*.yaml refer to.

Every image listed under `images:` in a product record is generated beside the record: a coloured
background, a simple drawing of the product (bottle, jar, bag, fruit, vase, cloth, flowers, landscape)
and the product's Vietnamese name. They are drawings, not photographs of the real products.

A few images carry deliberate test fixtures (see SPECIAL below):
  * EXIF metadata (camera make/model, date, GPS position) so the build's EXIF stripping can be tested;
  * one PNG (the extension in the record decides the format);
  * one portrait image stored sideways with EXIF Orientation=6 (display = rotate 90° clockwise).

The output is deterministic: the same records give byte-identical files on every run. Files whose
bytes are already right are not rewritten, so running the script twice changes nothing.

Usage (from the repository root):
    .venv/bin/python tools/make_sample_images.py           # write missing/changed images
    .venv/bin/python tools/make_sample_images.py --check   # exit 1 if any image is missing or differs
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import unicodedata
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont, TiffImagePlugin
from PIL.ExifTags import GPS, IFD, Base

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = ROOT / "products"
LANDSCAPE = (1200, 900)
PORTRAIT = (900, 1200)
JPEG_QUALITY = 78

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
]


def R(x: float) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(x)


def dms(deg: float):
    d = int(deg)
    m = int((deg - d) * 60)
    s = round(((deg - d) * 60 - m) * 60, 2)
    return (R(d), R(m), R(s))


# Fixed, fake metadata. Coordinates are roughly those of the product's district.
SPECIAL = {
    "phan-thiet/hop-rong-nho.jpg": {
        "exif": {
            "make": "Canon",
            "model": "Canon EOS 80D (sample)",
            "datetime": "2024:05:18 08:42:10",
            "gps": (10.9289, 108.1021),
        },
    },
    "duc-linh/hop-keo-dieu.jpg": {
        "exif": {
            "make": "Samsung",
            "model": "Galaxy A54 (sample)",
            "datetime": "2024:04:02 15:20:33",
            "gps": (11.1562, 107.5341),
        },
    },
    "bac-binh/khan-tho-cam.jpg": {
        "portrait": True,
        "exif": {"make": "Apple", "model": "iPhone 12 (sample)", "datetime": "2025:08:09 10:05:00", "orientation": 6},
    },
    "bac-binh/binh-gom.png": {
        "exif": {"make": "Sony", "model": "ILCE-6400 (sample)", "datetime": "2024:11:20 16:30:00"},
    },
}


# --------------------------------------------------------------------------- fonts and text
def find_font(bold: bool) -> Path | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for d in FONT_DIRS:
        if (d / name).is_file():
            return d / name
    return None


class Fonts:
    def __init__(self):
        self.bold_path = find_font(True)
        self.regular_path = find_font(False)
        # Without a font that covers Vietnamese, fall back to PIL's default font and ASCII text.
        self.unicode_ok = self.bold_path is not None and self.regular_path is not None

    def get(self, size: int, bold: bool = False):
        path = self.bold_path if bold else self.regular_path
        if path is not None:
            return ImageFont.truetype(str(path), size)
        return ImageFont.load_default(size=size)

    def text(self, s: str) -> str:
        s = unicodedata.normalize("NFC", s)
        if self.unicode_ok:
            return s
        s = s.replace("đ", "d").replace("Đ", "D")
        return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines


# --------------------------------------------------------------------------- colours
def seed_of(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def hsv(h: float, s: float, v: float) -> tuple[int, int, int]:
    import colorsys

    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return (round(r * 255), round(g * 255), round(b * 255))


GROUP_HUE = {"food": 0.08, "drinks": 0.93, "herbal": 0.30, "handicrafts": 0.06, "ornamental": 0.80, "tourism": 0.55}

# Colour of the product itself, picked from words in the name.
OBJECT_COLOURS = [
    ("thanh long", (214, 36, 110)),
    ("nước mắm", (150, 78, 22)),
    ("mắm", (120, 70, 30)),
    ("rong nho", (60, 150, 70)),
    ("chả cá", (214, 158, 72)),
    ("mực", (235, 205, 160)),
    ("tương ớt", (200, 30, 25)),
    ("tương cà", (190, 45, 30)),
    ("điều", (222, 180, 110)),
    ("trứng", (240, 225, 200)),
    ("sen", (235, 230, 205)),
    ("cơm cháy", (225, 170, 80)),
    ("yến", (245, 240, 228)),
    ("bưởi", (120, 170, 60)),
    ("cải", (70, 150, 50)),
    ("gạo", (245, 240, 225)),
    ("thỏ", (140, 70, 40)),
    ("ngũ cốc", (200, 160, 100)),
    ("táo", (150, 200, 70)),
    ("nho", (150, 60, 110)),
    ("vang", (150, 20, 60)),
    ("rượu", (230, 200, 120)),
    ("gốm", (180, 95, 55)),
    ("thổ cẩm", (170, 30, 40)),
    ("sả", (210, 220, 90)),
    ("lan", (200, 90, 190)),
    ("bánh tráng", (235, 220, 190)),
    ("mật ong", (220, 150, 20)),
    ("đậu phộng", (200, 150, 90)),
    ("trà", (90, 120, 40)),
    ("kem", (240, 140, 170)),
]


def object_colour(name: str, rng_key: str) -> tuple[int, int, int]:
    low = name.lower()
    for word, colour in OBJECT_COLOURS:
        if word in low:
            return colour
    return hsv((seed_of(rng_key) % 360) / 360, 0.6, 0.8)


def gradient(size, top, bottom) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


# --------------------------------------------------------------------------- motifs
def motif_for(filename: str, record: dict) -> str:
    stem = filename.rsplit(".", 1)[0]
    group, pset = record.get("group"), record.get("product_set")
    if group == "tourism" or stem.startswith(("vuon", "ao-", "doi-", "lo-", "thung")):
        return "scene"
    if group == "handicrafts":
        return "cloth" if pset == 22 else "vase"
    if group == "ornamental":
        return "flower"
    if stem.startswith(("chai", "ly-")):
        return "bottle" if stem.startswith("chai") else "glass"
    if stem.startswith(("tui", "bao", "goi")):
        return "bag"
    if stem.startswith(("hu-", "hop-", "cha-", "banh", "tho-", "muc", "hat")) and "trung" not in stem:
        return "jar" if stem.startswith(("hu-", "hop-")) else "pile"
    if "trung" in stem:
        return "eggs"
    if pset in (9, 14, 15, 16, 17, 20):
        return "bottle"
    return "fruit"


def shadow(d, cx, y, w):
    d.ellipse([cx - w // 2, y - w // 10, cx + w // 2, y + w // 10], fill=(0, 0, 0, 60))


def draw_bottle(d, box, col, label):
    x0, y0, x1, y1 = box
    cx, w = (x0 + x1) // 2, (x1 - x0) // 3
    shadow(d, cx, y1, int(w * 1.6))
    d.rounded_rectangle([cx - w // 2, y0 + (y1 - y0) // 3, cx + w // 2, y1], radius=w // 4, fill=col + (255,))
    d.polygon(
        [
            (cx - w // 2, y0 + (y1 - y0) // 3 + 10),
            (cx - w // 6, y0 + (y1 - y0) // 7),
            (cx + w // 6, y0 + (y1 - y0) // 7),
            (cx + w // 2, y0 + (y1 - y0) // 3 + 10),
        ],
        fill=col + (255,),
    )
    d.rectangle([cx - w // 6, y0, cx + w // 6, y0 + (y1 - y0) // 7], fill=(200, 30, 30, 255))
    ly = y0 + (y1 - y0) // 2
    d.rectangle([cx - w // 2 + 8, ly, cx + w // 2 - 8, ly + (y1 - y0) // 4], fill=label + (255,))
    d.ellipse([cx - w // 6, ly + 20, cx + w // 6, ly + 20 + w // 3], outline=col + (255,), width=6)


def draw_glass(d, box, col, label):
    x0, y0, x1, y1 = box
    cx, w = (x0 + x1) // 2, (x1 - x0) // 3
    shadow(d, cx, y1, w)
    d.polygon(
        [(cx - w // 2, y0 + 60), (cx + w // 2, y0 + 60), (cx + w // 3, y1), (cx - w // 3, y1)],
        fill=(255, 255, 255, 120),
    )
    d.polygon(
        [
            (cx - w // 2 + 14, y0 + 140),
            (cx + w // 2 - 14, y0 + 140),
            (cx + w // 3 - 8, y1 - 8),
            (cx - w // 3 + 8, y1 - 8),
        ],
        fill=col + (255,),
    )
    d.line([(cx + w // 6, y0), (cx + w // 12, y0 + 200)], fill=label + (255,), width=12)


def draw_jar(d, box, col, label):
    x0, y0, x1, y1 = box
    cx, w = (x0 + x1) // 2, int((x1 - x0) * 0.45)
    top = y0 + (y1 - y0) // 4
    shadow(d, cx, y1, int(w * 1.3))
    d.rounded_rectangle([cx - w // 2, top, cx + w // 2, y1], radius=w // 6, fill=col + (255,))
    d.rounded_rectangle([cx - w // 2 - 10, top - 60, cx + w // 2 + 10, top + 10], radius=16, fill=(90, 60, 40, 255))
    d.rectangle([cx - w // 2, top + (y1 - top) // 3, cx + w // 2, top + 2 * (y1 - top) // 3], fill=label + (255,))


def draw_bag(d, box, col, label):
    x0, y0, x1, y1 = box
    cx, w = (x0 + x1) // 2, int((x1 - x0) * 0.5)
    shadow(d, cx, y1, int(w * 1.2))
    d.polygon(
        [(cx - w // 2, y0 + 40), (cx + w // 2, y0 + 40), (cx + w // 2 + 20, y1), (cx - w // 2 - 20, y1)],
        fill=label + (255,),
    )
    d.rectangle([cx - w // 2, y0 + 20, cx + w // 2, y0 + 60], fill=(60, 60, 60, 255))
    d.ellipse([cx - w // 4, y0 + (y1 - y0) // 3, cx + w // 4, y0 + (y1 - y0) // 3 + w // 2], fill=col + (255,))


def draw_fruit(d, box, col, label, rng):
    x0, y0, x1, y1 = box
    for i in range(5):
        r = 70 + rng % 40
        rng //= 7
        cx = x0 + 90 + i * (x1 - x0 - 180) // 4
        cy = y1 - r - (i % 2) * 60
        shadow(d, cx, cy + r, int(r * 1.8))
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col + (255,))
        d.ellipse([cx - r // 3, cy - r // 2, cx, cy - r // 4], fill=(255, 255, 255, 90))
        d.polygon([(cx, cy - r), (cx - 20, cy - r - 40), (cx + 25, cy - r - 30)], fill=(60, 140, 50, 255))


def draw_eggs(d, box, col, label):
    x0, y0, x1, y1 = box
    d.rounded_rectangle([x0 + 40, y1 - 160, x1 - 40, y1], radius=20, fill=label + (255,))
    for i in range(5):
        cx = x0 + 120 + i * (x1 - x0 - 240) // 4
        d.ellipse([cx - 55, y1 - 300, cx + 55, y1 - 120], fill=col + (255,), outline=(180, 160, 130, 255), width=3)


def draw_pile(d, box, col, label, rng):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) // 2
    d.ellipse([x0 + 20, y1 - 140, x1 - 20, y1 + 20], fill=(250, 250, 250, 255), outline=(200, 200, 200, 255), width=4)
    for i in range(28):
        rx = x0 + 80 + (rng >> (i % 40)) % max(1, (x1 - x0 - 160))
        ry = y1 - 100 - (i * 37) % 180 + ((rng >> i) % 30)
        w = 60 + (i * 13) % 40
        d.ellipse(
            [rx - w // 2, ry - w // 3, rx + w // 2, ry + w // 3],
            fill=col + (255,),
            outline=tuple(max(0, c - 50) for c in col) + (255,),
            width=3,
        )
    d.line([(cx, y0 + 40), (cx, y0 + 40)], fill=label + (255,))


def draw_vase(d, box, col, label):
    x0, y0, x1, y1 = box
    cx, w = (x0 + x1) // 2, int((x1 - x0) * 0.6)
    shadow(d, cx, y1, w)
    d.ellipse([cx - w // 2, y0 + (y1 - y0) // 3, cx + w // 2, y1], fill=col + (255,))
    d.rectangle([cx - w // 6, y0 + 30, cx + w // 6, y0 + (y1 - y0) // 3 + 40], fill=col + (255,))
    d.ellipse([cx - w // 4, y0 + 10, cx + w // 4, y0 + 60], fill=tuple(max(0, c - 40) for c in col) + (255,))
    for k in range(3):
        yy = y0 + (y1 - y0) // 2 + k * 40
        d.line([(cx - w // 2 + 40, yy), (cx + w // 2 - 40, yy)], fill=(60, 30, 20, 255), width=6)


def draw_cloth(d, box, col, label):
    x0, y0, x1, y1 = box
    band = (y1 - y0) // 10
    palette = [col, (240, 200, 40), (20, 20, 20), (30, 110, 60), (240, 240, 230)]
    for i in range(10):
        c = palette[i % len(palette)]
        d.rectangle([x0, y0 + i * band, x1, y0 + (i + 1) * band], fill=c + (255,))
        if i % 2 == 0:
            for j in range(x0, x1, band):
                d.polygon(
                    [
                        (j, y0 + i * band + band // 2),
                        (j + band // 2, y0 + i * band + 4),
                        (j + band, y0 + i * band + band // 2),
                        (j + band // 2, y0 + (i + 1) * band - 4),
                    ],
                    fill=palette[(i + 2) % len(palette)] + (255,),
                )


def draw_flower(d, box, col, label):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) // 2
    d.polygon([(cx - 110, y1 - 180), (cx + 110, y1 - 180), (cx + 80, y1), (cx - 80, y1)], fill=(240, 240, 240, 255))
    d.line([(cx, y1 - 180), (cx - 40, y0 + 80)], fill=(60, 120, 50, 255), width=10)
    for i in range(6):
        fx, fy = cx - 40 + i * 30 - 60, y0 + 80 + i * 55
        for ox, oy in ((-45, 0), (45, 0), (0, -40), (0, 40), (0, 0)):
            r = 38 if (ox, oy) != (0, 0) else 18
            fill = col if (ox, oy) != (0, 0) else (250, 230, 90)
            d.ellipse([fx + ox - r, fy + oy - r, fx + ox + r, fy + oy + r], fill=fill + (255,))


def draw_scene(d, size, col, rng):
    W, H = size
    d.ellipse([W - 300, 60, W - 140, 220], fill=(255, 220, 90, 255))
    d.polygon(
        [(0, H * 0.62), (W * 0.3, H * 0.45), (W * 0.6, H * 0.6), (W * 0.85, H * 0.48), (W, H * 0.58), (W, H), (0, H)],
        fill=(236, 214, 170, 255),
    )
    d.rectangle([0, int(H * 0.75), W, H], fill=tuple(max(0, c - 30) for c in (120, 170, 90)) + (255,))
    for i in range(9):
        x = 60 + i * (W - 120) // 8
        y = int(H * 0.78) + (rng >> i) % 30
        d.line([(x, y), (x, y - 90)], fill=(50, 110, 50, 255), width=10)
        d.ellipse([x - 30, y - 130, x + 30, y - 80], fill=col + (255,))


# --------------------------------------------------------------------------- one image
def render(rel: str, record: dict, fonts: Fonts) -> Image.Image:
    spec = SPECIAL.get(rel, {})
    name_vi = record["name"]["vi"]
    rng = seed_of(rel)
    motif = motif_for(Path(rel).name, record)
    portrait = spec.get("portrait") or motif in ("bottle", "glass", "flower")
    size = PORTRAIT if portrait else LANDSCAPE
    W, H = size

    hue = GROUP_HUE.get(record.get("group"), 0.1) + ((rng % 100) - 50) / 1000
    img = gradient(size, hsv(hue, 0.18, 0.98), hsv(hue, 0.45, 0.80)).convert("RGBA")
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    col = object_colour(name_vi, rel)
    label = hsv(hue + 0.5, 0.25, 0.97)

    label_h = int(H * 0.24)
    box = (int(W * 0.12), int(H * 0.08), int(W * 0.88), H - label_h - 40)
    if motif == "scene":
        draw_scene(d, size, col, rng)
    elif motif == "bottle":
        draw_bottle(d, box, col, label)
    elif motif == "glass":
        draw_glass(d, box, col, label)
    elif motif == "jar":
        draw_jar(d, box, col, label)
    elif motif == "bag":
        draw_bag(d, box, col, label)
    elif motif == "eggs":
        draw_eggs(d, box, col, label)
    elif motif == "pile":
        draw_pile(d, box, col, label, rng)
    elif motif == "vase":
        draw_vase(d, box, col, label)
    elif motif == "cloth":
        draw_cloth(d, (0, 0, W, H - label_h), col, label)
    elif motif == "flower":
        draw_flower(d, box, col, label)
    else:
        draw_fruit(d, box, col, label, rng)
    img = Image.alpha_composite(img, layer)

    # Caption panel with the product name.
    panel = Image.new("RGBA", size, (0, 0, 0, 0))
    pd = ImageDraw.Draw(panel)
    pd.rectangle([0, H - label_h, W, H], fill=(255, 255, 255, 215))
    img = Image.alpha_composite(img, panel)
    d = ImageDraw.Draw(img)
    title = fonts.get(48 if W > H else 44, bold=True)
    small = fonts.get(26)
    lines = wrap(d, fonts.text(name_vi), title, W - 80)[:2]
    y = H - label_h + 24
    for line in lines:
        d.text((40, y), line, font=title, fill=(30, 30, 30))
        y += 58
    place = record.get("district", "")
    if record.get("province"):
        place = f"{place}, {record['province']}"
    d.text((40, H - 46), fonts.text(f"Ảnh minh họa · sample illustration · {place}"), font=small, fill=(90, 90, 90))
    stars = max(c["stars"] for c in record.get("certificates", [{"stars": 0}]))
    star_font = fonts.get(40, bold=True)
    d.text(
        (W - 40, 30), "★" * stars if fonts.unicode_ok else "*" * stars, font=star_font, fill=(230, 170, 20), anchor="ra"
    )
    return img.convert("RGB")


def build_exif(meta: dict) -> Image.Exif:
    exif = Image.Exif()
    exif[Base.Make] = meta["make"]
    exif[Base.Model] = meta["model"]
    exif[Base.Software] = "make_sample_images.py"
    exif[Base.DateTime] = meta["datetime"]
    if "orientation" in meta:
        exif[Base.Orientation] = meta["orientation"]
    sub = exif.get_ifd(IFD.Exif)
    sub[Base.DateTimeOriginal] = meta["datetime"]
    if "gps" in meta:
        lat, lon = meta["gps"]
        gps = exif.get_ifd(IFD.GPSInfo)
        gps[GPS.GPSVersionID] = b"\x02\x03\x00\x00"
        gps[GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        gps[GPS.GPSLatitude] = dms(abs(lat))
        gps[GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        gps[GPS.GPSLongitude] = dms(abs(lon))
    return exif


def encode(rel: str, img: Image.Image) -> bytes:
    spec = SPECIAL.get(rel, {})
    meta = spec.get("exif")
    if meta and meta.get("orientation") == 6:
        # Store the portrait picture sideways: a viewer applying Orientation=6 (rotate 90° clockwise)
        # shows it upright again.
        img = img.transpose(Image.Transpose.ROTATE_90)
    buf = io.BytesIO()
    kwargs = {}
    if meta:
        kwargs["exif"] = build_exif(meta).tobytes()
    if rel.lower().endswith(".png"):
        img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            buf, "PNG", optimize=True, **kwargs
        )
    else:
        img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, **kwargs)
    return buf.getvalue()


# --------------------------------------------------------------------------- main
def records():
    for path in sorted(PRODUCTS.rglob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        if isinstance(data, dict):
            yield path, data


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only report missing or out-of-date images")
    args = ap.parse_args(argv)
    fonts = Fonts()
    if not fonts.unicode_ok:
        print("warning: DejaVu fonts not found; drawing ASCII-folded text with PIL's default font", file=sys.stderr)
    written = same = stale = 0
    total = 0
    for path, rec in records():
        for name in rec.get("images") or []:
            target = (path.parent / name).resolve()
            rel = target.relative_to(PRODUCTS).as_posix()
            data = encode(rel, render(rel, rec, fonts))
            total += len(data)
            if target.is_file() and target.read_bytes() == data:
                same += 1
                continue
            if args.check:
                print(f"out of date: products/{rel}")
                stale += 1
                continue
            target.write_bytes(data)
            written += 1
            print(f"wrote products/{rel} ({len(data) // 1024} KB)")
    print(f"{written} written, {same} unchanged, {stale} out of date; {total / 1024:.0f} KB in all")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
