"""Synthetic OCOP records at national scale, for the benchmark (and other measurements).

Deterministic for a given N and seed. Products are spread over every pre-2025 district of
the country, with the national shares of star levels (76% 3★, 23% 4★, some 5★), about one
in ten expired or revoked, most with English, most goods with an offer. No photos: photo
processing is cached by content and measured separately (see bench.py).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from ocop.groups import GROUPS
from ocop.places import gazetteer
from ocop.text import slugify

WORDS_VI = [
    "Nước mắm",
    "Thanh long",
    "Hạt điều",
    "Chè",
    "Cà phê",
    "Mật ong",
    "Gạo",
    "Bánh tráng",
    "Rượu",
    "Tinh dầu",
    "Mực một nắng",
    "Tôm khô",
    "Nấm linh chi",
    "Gốm",
    "Thổ cẩm",
    "Lan",
    "Bưởi",
    "Sầu riêng",
    "Tỏi",
    "Rong nho",
]
WORDS_EN = [
    "Fish sauce",
    "Dragon fruit",
    "Cashews",
    "Tea",
    "Coffee",
    "Honey",
    "Rice",
    "Rice paper",
    "Spirit",
    "Essential oil",
    "Sun-dried squid",
    "Dried shrimp",
    "Lingzhi mushroom",
    "Pottery",
    "Brocade",
    "Orchid",
    "Pomelo",
    "Durian",
    "Garlic",
    "Sea grapes",
]
ADJ = [
    ("đặc biệt", "special"),
    ("truyền thống", "traditional"),
    ("hữu cơ", "organic"),
    ("thượng hạng", "premium"),
    ("sấy khô", "dried"),
    ("nguyên chất", "pure"),
    ("loại 1", "grade 1"),
    ("xuất khẩu", "export"),
]
KINDS = ["cooperative"] * 32 + ["enterprise"] * 22 + ["household"] * 32 + ["cooperative_group"] * 14

DESCRIPTION = """{name} được sản xuất tại {district}, {province} theo quy trình khép kín.

- Nguyên liệu tại địa phương
- Không chất bảo quản
- Đóng gói theo tiêu chuẩn **VietGAP**
"""


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(folder: Path, n: int = 20000, seed: int = 2026, today: date = date(2026, 11, 22)) -> int:
    rng = random.Random(seed)
    gaz = gazetteer()
    districts = sorted({d for d in gaz.districts.values()}, key=lambda d: d.code)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        d = districts[i % len(districts)]
        g = GROUPS[rng.choices(range(6), weights=[70, 12, 8, 5, 3, 2])[0]]
        pset = rng.choice(g.sets)
        w = rng.randrange(len(WORDS_VI))
        a = rng.randrange(len(ADJ))
        name_vi = f"{WORDS_VI[w]} {ADJ[a][0]} {d.name} {i}"
        name_en = f"{ADJ[a][1].capitalize()} {WORDS_EN[w].lower()}, {d.name} {i}"
        stars = rng.choices([3, 4, 5], weights=[762, 229, 9])[0]
        lo = {3: 50, 4: 70, 5: 90}[stars]
        issued = today - timedelta(days=rng.randrange(0, 365 * 4))
        slug = slugify(name_vi)
        pid = f"vn-{d.province.code:02d}-{i:06d}"
        lines = [
            "# yaml-language-server: $schema=../../schema/product.schema.json",
            f"id: {pid}",
            f"name: {{vi: {_yaml_str(name_vi)}" + (f", en: {_yaml_str(name_en)}}}" if rng.random() < 0.9 else "}"),
            f"group: {g.key}",
            f"product_set: {pset}",
            f"province: {_yaml_str(d.province.name)}",
            f"district: {_yaml_str(d.name)}",
            "producer:",
            f"  name: {_yaml_str('HTX ' + WORDS_VI[w] + ' ' + d.name)}",
            f"  kind: {rng.choice(KINDS)}",
            f"  women_led: {str(rng.random() < 0.4).lower()}",
            "certificates:",
            f"  - stars: {stars}",
            f"    score: {lo + rng.randrange(0, 10)}",
            f"    decision: {rng.randrange(100, 4000)}/QĐ-UBND",
            f"    date: {issued.isoformat()}",
            f"    issuer: UBND tỉnh {d.province.name}",
        ]
        if rng.random() < 0.02:
            lines.append(f"    revoked: {(issued + timedelta(days=200)).isoformat()}")
        lines.append(
            f"summary: {{vi: {_yaml_str(name_vi + ' — sản phẩm OCOP ' + str(stars) + ' sao.')}, "
            f"en: {_yaml_str(name_en + ', a ' + str(stars) + '-star OCOP product.')}}}"
        )
        lines.append(
            "description:\n  vi: |\n"
            + "".join(
                f"    {ln}\n"
                for ln in DESCRIPTION.format(name=name_vi, district=d.name, province=d.province.name).splitlines()
            ).rstrip("\n")
        )
        if g.goods and rng.random() < 0.85:
            lines += ["offer:", f"  price: {rng.randrange(20, 900) * 1000}", '  unit: {vi: "Hộp", en: "Box"}']
        if rng.random() < 0.3:
            lines += ["buy:", f'  - {{channel: shopee, url: "https://shopee.vn/{slug}"}}']
        sub = folder / d.province.slug / d.slug
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{slug}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def make_site(folder: Path, n: int, plugins: list[str] | None = None) -> Path:
    """A site folder as `ocop init` writes it, with `n` synthetic records for products.

    Its sample showroom goes (it sells a sample product the synthetic records do not have);
    `plugins` replaces the list of plugins (e.g. only the catalogue).
    """
    import shutil

    from ocop.site_folder import create

    create(folder)
    shutil.rmtree(folder / "products")
    shutil.rmtree(folder / "content" / "showrooms")
    generate(folder / "products", n)
    if plugins:
        with (folder / "pelicanconf.py").open("a", encoding="utf-8") as f:
            f.write(f"PLUGINS = {plugins!r}\n")
    return folder
