"""QR codes (ocop/qrcodes.py): the fast writer gives segno's bytes, whatever the URL and title. (A real decoder
reads the sample site's codes back in tests/test_site.py.)"""

from __future__ import annotations

import random
import string

import pytest

from ocop import qrcodes


def _urls(seed: int, lengths) -> list[str]:
    rnd = random.Random(seed)
    alphabet = string.ascii_lowercase + string.digits + "-/:._~%?=&#"
    return ["".join(rnd.choice(alphabet) for _ in range(n)) + "a" for n in lengths]


def test_the_fast_writer_makes_segnos_bytes_on_every_version():
    """Lengths from 1 to 2,300 bytes: every version's layout, block structure and remainder bits, codes that fill
    their version to the last bit (where segno pads with a whole zero byte) and those that do not."""
    from segno import consts

    rnd = random.Random(7)
    fullest = [  # the longest text each version holds at level M (the URLs below add one letter)
        (consts.SYMBOL_CAPACITY[v][consts.ERROR_LEVEL_M] - 4 - (8 if v < 10 else 16)) // 8 - 1 for v in range(1, 41)
    ]
    lengths = list(range(0, 220)) + fullest + [n - 1 for n in fullest] + rnd.sample(range(220, 2330), 60)
    titles = ["QR: Nước mắm Bà Hai 40°N", "a <b> & \"c\" 'd'", "", "QR: ]]> \u00a0 ½"]
    versions = set()
    for n, url in enumerate(_urls(1, lengths)):
        fast = qrcodes._fast_svg(url, titles[n % len(titles)])
        assert fast is not None, url
        assert fast == qrcodes.segno_svg(url, titles[n % len(titles)]), url
        versions.add(qrcodes._version(len(url)))
    assert versions == set(range(1, 41))


def test_product_urls_as_the_site_makes_them():
    rnd = random.Random(3)
    for i in range(300):
        slug = "-".join(
            rnd.choice(["nuoc-mam", "gao", "ca-phe", "che", "mat-ong", "x" * rnd.randint(1, 60)]) for _ in range(3)
        )
        url = f"https://ocop.example.org/san-pham/{slug}-{i}/"
        assert qrcodes._fast_svg(url, f"QR: {slug}") == qrcodes.segno_svg(url, f"QR: {slug}")


@pytest.mark.parametrize(
    "url",
    [
        "HTTPS://OCOP.EXAMPLE.ORG/SAN-PHAM/GAO/",
        "0123456789",
        "https://ocop.example.org/sản-phẩm/",
        "ｑｒ",
        "",
        "a" * 2400,
    ],
)
def test_text_segno_encodes_otherwise_is_left_to_segno(url):
    """Upper case only (alphanumeric mode), digits (numeric), beyond ASCII, empty, too long for the fast writer's
    versions: the fast writer declines and svg() gives what segno gives (or its error)."""
    assert qrcodes._fast_svg(url, "t") is None
    try:
        expected = qrcodes.segno_svg(url, "t")
    except Exception as error:  # segno's own errors (empty data, data too large) stay segno's
        with pytest.raises(type(error)):
            qrcodes.svg(url, "t")
    else:
        assert qrcodes.svg(url, "t") == expected


def test_codes_are_cached_by_url_and_title(tmp_path):
    url = "https://ocop.example.org/san-pham/gao/"
    first = qrcodes.svg(url, "QR: Gạo", tmp_path)
    (cached,) = tmp_path.iterdir()
    assert cached.read_bytes() == first == qrcodes.segno_svg(url, "QR: Gạo")
    cached.write_bytes(b"kept")
    assert qrcodes.svg(url, "QR: Gạo", tmp_path) == b"kept"
    assert qrcodes.svg(url, "QR: Gạo 2", tmp_path) == qrcodes.segno_svg(url, "QR: Gạo 2")


def test_the_cache_folder_is_made_when_missing_and_holds_no_partial_files(tmp_path):
    url = "https://ocop.example.org/san-pham/che/"
    cache = tmp_path / "a" / "qr"
    assert qrcodes.svg(url, "QR: Chè", str(cache)) == qrcodes.segno_svg(url, "QR: Chè")
    assert [f.suffix for f in cache.iterdir()] == [".svg"]
