"""Synthetic OCOP records at national scale, for the benchmark (and other measurements).

Deterministic for a given N and seed. Products are spread over every pre-2025 district of
the country (so over all 34 current provinces), both kinds of records as the certificates write them:
certified before 1/7/2025, the former province and district, signed by the body of that date; since then,
the current province and a commune formed from that district (`district:` too where the commune spans
several), signed by the province. With the national shares of star levels (76% 3★, 23% 4★, some 5★), about one
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


REFORM = date(2025, 7, 1)  # the 2025 map; from 6/7/2025 the province certifies 3★ and 4★
DISTRICT_LEVEL = date(2023, 2, 24)  # Decision 148/QĐ-TTg: districts certified 3★ until the reform
MINISTRY_RENAMED = date(2025, 3, 1)


def _committee(full_name: str) -> str:
    """ "Tỉnh Lâm Đồng" -> "UBND tỉnh Lâm Đồng"; "Huyện Đức Linh" -> "UBND huyện Đức Linh"."""
    return "UBND " + full_name[:1].lower() + full_name[1:]


def issuer(stars: int, issued: date, district, province) -> str:
    """The body that signed a certificate of `stars` on `issued` (the rules of ocop.certifiers, by date)."""
    if stars == 5:
        renamed = issued >= MINISTRY_RENAMED
        return "Bộ Nông nghiệp và Môi trường" if renamed else "Bộ Nông nghiệp và Phát triển nông thôn"
    if stars == 3 and DISTRICT_LEVEL <= issued < REFORM:
        return _committee(district.full_name)
    return _committee(province.full_name)


def _name_repeats(d, province) -> bool:
    return sum(1 for other in gazetteer().districts_of(province) if other.full_name == d.full_name) > 1


def place_lines(d, issued: date, i: int) -> tuple[list[str], str, object]:
    """The record's place lines, the place name for the product's name, and the province that certified it
    (the former one before the reform, the current one after).

    Before the reform: the former province and district. After it: the current province and one of
    the communes the district's communes went to (deterministically by `i`), with `district:` only
    when that commune was formed from several districts."""
    signed_by = d.province if issued < REFORM else d.province.current
    # The full name ("Thành phố Cao Lãnh"): a city and a district of one province may share the short one
    former = [f"province: {_yaml_str(d.province.name)}", f"district: {_yaml_str(d.full_name)}"], d.name, signed_by
    if issued < REFORM or not d.successors:
        return former
    communes = sorted(d.successors, key=lambda c: c.code)
    c = communes[i % len(communes)]
    if len(c.former_districts) > 1 and _name_repeats(d, c.province):
        return former  # `district: Châu Thành` would not say which of the province's two; a real record names it
    lines = [f"province: {_yaml_str(c.province.name)}"]
    if len(c.former_districts) > 1:
        lines.append(f"district: {_yaml_str(d.full_name)}")
    lines.append(f"commune: {_yaml_str(c.full_name)}")
    return lines, c.name, c.province


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
        stars = rng.choices([3, 4, 5], weights=[762, 229, 9])[0]
        lo = {3: 50, 4: 70, 5: 90}[stars]
        issued = today - timedelta(days=rng.randrange(0, 365 * 4))
        place, where, certifier = place_lines(d, issued, i)
        name_vi = f"{WORDS_VI[w]} {ADJ[a][0]} {where} {i}"
        name_en = f"{ADJ[a][1].capitalize()} {WORDS_EN[w].lower()}, {where} {i}"
        slug = slugify(name_vi)
        pid = f"vn-{d.province.code:02d}-{i:06d}"
        lines = [
            "# yaml-language-server: $schema=../../schema/product.schema.json",
            f"id: {pid}",
            f"name: {{vi: {_yaml_str(name_vi)}" + (f", en: {_yaml_str(name_en)}}}" if rng.random() < 0.9 else "}"),
            f"group: {g.key}",
            f"product_set: {pset}",
            *place,
            "producer:",
            f"  name: {_yaml_str('HTX ' + WORDS_VI[w] + ' ' + where)}",
            f"  kind: {rng.choice(KINDS)}",
            f"  women_led: {str(rng.random() < 0.4).lower()}",
            "certificates:",
            f"  - stars: {stars}",
            f"    score: {lo + rng.randrange(0, 10)}",
            f"    decision: {rng.randrange(100, 4000)}/QĐ-UBND",
            f"    date: {issued.isoformat()}",
            f"    issuer: {issuer(stars, issued, d, certifier)}",
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
        # Folders are for people: post-reform records under the current province, as the staff tools file them
        sub = folder / certifier.slug / d.slug
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
