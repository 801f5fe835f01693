"""QR codes of product pages' permanent URLs, as printable SVG.

segno made every code: ~2 ms of CPU each, 40 s of a 20,000-product build. A product URL is plain ASCII, which
segno always writes in one byte-mode segment; for those, `_fast_svg` writes the very bytes segno writes (same
version, error level, mask, module placement and SVG path; tests/test_qrcodes.py compares them on thousands of
inputs) in a fraction of the time, from what never changes between codes of one version (function patterns,
format and version information, the order data modules are placed in) worked out once with segno's own
functions, and a table-driven Reed-Solomon. Anything else goes to segno.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from functools import cache
from itertools import zip_longest
from operator import itemgetter
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno
from segno import consts as segno_consts
from segno import encoder as qr

consts: Any = segno_consts  # segno's tables (capacities, block structure, Galois field), untyped

# segno spends ~80% of its time trying all eight masks to pick the most legible one; a fixed
# mask is as valid to every reader and makes 20,000 codes affordable in one build.
_MASK = 0
_ERROR = consts.ERROR_LEVEL_M
_SCALE, _BORDER = 4, 4


def svg(url: str, title: str, cache_dir: str | Path | None = None) -> bytes:
    """The code of `url`, titled; kept in `cache_dir` (a build after a change of code or theme renders every page
    again, and reading 20,000 codes back is cheaper than making them)."""
    if not cache_dir:
        return _fast_svg(url, title) or segno_svg(url, title)
    key = hashlib.sha256(f"v1|{url}|{title}".encode()).hexdigest()[:20]
    cached = os.path.join(cache_dir, f"{key}.svg")
    try:
        with open(cached, "rb") as f:
            return f.read()
    except FileNotFoundError:
        pass
    data = _fast_svg(url, title) or segno_svg(url, title)
    try:
        _write_file(cached, data)
    except FileNotFoundError:  # the first code of this cache (trying first spares a system call for the others)
        os.makedirs(cache_dir, exist_ok=True)
        _write_file(cached, data)
    return data


def _write_file(path: str, data: bytes) -> None:
    """Written whole or not at all: a build cut short must not leave half a code for the next to take."""
    part = f"{path}.{os.getpid()}.part"
    with open(part, "wb") as f:
        f.write(data)
    os.replace(part, path)


def segno_svg(url: str, title: str) -> bytes:
    """The code as segno makes and writes it: the reference `_fast_svg` must equal."""
    code = segno.make_qr(url, error="m", mask=_MASK, boost_error=False)
    buf = io.BytesIO()
    code.save(
        buf,
        kind="svg",
        scale=_SCALE,
        border=_BORDER,
        xmldecl=False,
        title=title,
        unit="px",
        svgclass="qr",
        lineclass=None,
        dark="#000",
    )
    return buf.getvalue()


# segno reads text that has a lower-case ASCII letter and nothing outside ASCII as one byte-mode segment: not
# numeric, not alphanumeric (upper case only), not Kanji (which needs bytes above 0x80), and ISO-8859-1 holds it.
_BYTE_MODE = re.compile(r"[\x00-\x7f]*[a-z][\x00-\x7f]*\Z")


def _fast_svg(url: str, title: str) -> bytes | None:
    """segno's SVG of a byte-mode code, or None when segno would choose another mode (or no version fits)."""
    if not _BYTE_MODE.match(url):
        return None
    data = url.encode("ascii")
    version = _version(len(data))
    if version is None:
        return None
    layout = _layout(version)
    bits = _message_bits(data, version)
    # One C call lays the whole matrix out, row after row, as b"0"/b"1" with a line break after each row.
    matrix = bytes(layout.modules(bits + bits.translate(_FLIP) + b"01\n"))
    return _write(matrix.split(b"\n")[:-1], title)


_FLIP = bytes.maketrans(b"01", b"10")


def _version(length: int) -> int | None:
    """The smallest version whose capacity at level M holds a byte segment of `length` bytes (segno's find_version)."""
    for version in range(1, 41):
        count_bits = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][qr.version_range(version)]
        if consts.SYMBOL_CAPACITY[version][_ERROR] >= 4 + count_bits + 8 * length:
            return version
    return None


def _message_bits(data: bytes, version: int) -> bytes:
    """The final message as b"0"/b"1": segment, terminator, padding and pad codewords as segno writes them,
    then data and error correction codewords interleaved, then the remainder bits."""
    count_bits = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][qr.version_range(version)]
    bits = f"{consts.MODE_BYTE:04b}{len(data):0{count_bits}b}" + "".join(map(_BITS.__getitem__, data))
    capacity = consts.SYMBOL_CAPACITY[version][_ERROR]
    bits += "0" * min(capacity - len(bits), 4)
    bits += "0" * (8 - len(bits) % 8)  # segno adds a whole zero byte when the stream already ends on one
    bits += "".join(("11101100", "00010001")[i % 2] for i in range(capacity // 8 - len(bits) // 8))
    codewords = int(bits, 2).to_bytes(len(bits) // 8, "big")
    data_blocks, error_blocks, start = [], [], 0
    for info in consts.ECC[version][_ERROR]:
        size, table = info.num_total - info.num_data, _rs_table(info.num_total - info.num_data)
        for _ in range(info.num_blocks):
            block = codewords[start : start + info.num_data]
            start += info.num_data
            data_blocks.append(block)
            error_blocks.append(_remainder(block, size, table))
    message = bytes(b for group in zip_longest(*data_blocks) for b in group if b is not None)
    message += bytes(b for group in zip_longest(*error_blocks) for b in group if b is not None)
    return ("".join(map(_BITS.__getitem__, message)) + "0" * _REMAINDER_BITS.get(version, 0)).encode()


_BITS = tuple(f"{b:08b}" for b in range(256))


_REMAINDER_BITS = {v: 7 for v in range(2, 7)} | {v: 3 for v in (*range(14, 21), *range(28, 35))}
_REMAINDER_BITS |= {v: 4 for v in range(21, 28)}


def _remainder(block: bytes, size: int, table: tuple[int, ...]) -> bytes:
    """The Reed-Solomon error correction codewords of a block: its polynomial's remainder by the generator,
    a byte at a time (the same division segno does a coefficient at a time)."""
    rem, shift, mask = 0, 8 * (size - 1), (1 << 8 * size) - 1
    for byte in block:
        rem = ((rem << 8) & mask) ^ table[byte ^ (rem >> shift)]
    return rem.to_bytes(size, "big")


@cache
def _rs_table(size: int) -> tuple[int, ...]:
    """For each leading coefficient, the generator polynomial times it, as one integer of `size` bytes."""
    gen, log, exp = consts.GEN_POLY[size], consts.GALIOS_LOG, consts.GALIOS_EXP
    return (0,) + tuple(int.from_bytes(bytes(exp[(log[c] + g) % 255] for g in gen), "big") for c in range(1, 256))


class _Layout:
    """What every code of one version shares: its matrix with the data modules left out, each data module that
    shows (format and version information overwrite some), and whether the mask flips it.

    `modules` picks, from the message's bits, then the same bits flipped, then "0", "1" and a line break, what
    each module shows, row after row, with a line break after each row.
    """

    def __init__(self, version: int) -> None:
        size = qr.calc_matrix_size(version)
        order = _placement(version, size)
        blank, full = self._final(version, size, order, 0), self._final(version, size, order, 1)
        count = len(order)
        picks = {}  # (row, column) → index in the sources
        for k, (i, j) in enumerate(order):
            if blank[i][j] != full[i][j]:  # the data shows here
                picks[i, j] = k + count * blank[i][j]  # a flipped module takes the flipped bit
        constant, newline = 2 * count, 2 * count + 2
        self.modules = itemgetter(
            *(
                picks.get((i, j), constant + blank[i][j]) if j < size else newline
                for i in range(size)
                for j in range(size + 1)
            )
        )

    @staticmethod
    def _final(version: int, size: int, order: list[tuple[int, int]], bit: int) -> tuple[bytearray, ...]:
        """The matrix segno's _encode makes when every codeword bit is `bit`."""
        matrix = _function_patterns(size)
        for i, j in order:
            matrix[i][j] = bit
        _, matrix = qr.find_and_apply_best_mask(matrix, size, size, _MASK)
        qr.add_format_info(matrix, version, _ERROR, _MASK)
        qr.add_version_info(matrix, version)
        return matrix


def _function_patterns(size: int) -> tuple[bytearray, ...]:
    matrix = qr.make_matrix(size, size)
    qr.add_finder_patterns(matrix, size, size)
    qr.add_alignment_patterns(matrix, size, size)
    return matrix


def _placement(version: int, size: int) -> list[tuple[int, int]]:
    """The modules codeword bits go to, in order (segno's add_codewords, without the bits)."""
    free = _function_patterns(size)
    order = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        upwards = (right & 2) == 0
        for vertical in range(size):
            for j in (right, right - 1):
                i = (size - 1 - vertical) if upwards ^ (j < 6) else vertical
                if free[i][j] == 0x2:
                    free[i][j] = 0x3  # taken
                    order.append((i, j))
    return order[: _bit_count(version)]


def _bit_count(version: int) -> int:
    codewords = sum(info.num_blocks * info.num_total for info in consts.ECC[version][_ERROR])
    return 8 * codewords + _REMAINDER_BITS.get(version, 0)


@cache
def _layout(version: int) -> _Layout:
    return _Layout(version)


_RUNS = re.compile(rb"(0*)(1+)")


class _Moves(dict):
    """A move within a row, by its (gap, run) as the regular expression finds them: they repeat."""

    def __missing__(self, key: tuple[bytes, bytes]) -> str:
        move = self[key] = f"{len(key[0])} 0h{len(key[1])}"
        return move


_IN_ROW = _Moves()


def _write(rows: list[bytes], title: str) -> bytes:
    """segno's SVG writer for one dark colour: a path of horizontal runs of dark modules, each a move relative
    to the end of the one before (so within a row: the gap, no vertical move, the length)."""
    moves: list[str] = []
    x, last = 0, None
    for n, row in enumerate(rows):
        runs = _RUNS.findall(row)
        if not runs:
            continue
        gap, dark = runs[0]
        dy = _BORDER + 0.5 + n if last is None else n - last
        moves.append(f"{_BORDER + len(gap) - x} {dy}h{len(dark)}")
        moves += map(_IN_ROW.__getitem__, runs[1:])
        x, last = _BORDER + len(row.rstrip(b"0")), n
    side = (len(rows) + 2 * _BORDER) * _SCALE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}px" height="{side}px" viewBox="0 0 {side} {side}"'
        f' class="qr"><title>{escape(title)}</title><path transform="scale({_SCALE})" stroke="#000"'
        f' d="M{"m".join(moves)}"/></svg>\n'
    ).encode()
