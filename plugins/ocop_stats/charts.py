"""Bar charts as static SVG, drawn at build time: no JavaScript, no fonts to load, same input → same bytes.

Each chart is an <svg role="img"> with a <title> and <desc>, and the page shows the same
numbers in a table for screen readers and for copying. Labels sit above their bars, so
long Vietnamese group names never need cutting.
"""

from __future__ import annotations

from html import escape

WIDTH = 640
LABEL_H = 18  # label line above a bar
BAR_H = 16
GAP = 10
VALUE_W = 64  # room right of the longest bar for its number
STAR_COLOURS = {3: "#9cc3a8", 4: "#3f8f5f", 5: "#0b4f2b"}
BAR = "#0b6b3a"
TARGET = "#a4262c"


def _num(x: float) -> str:
    """Coordinates with at most one decimal, no '-0', so output is stable across platforms."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _svg(ident: str, title: str, desc: str, height: float, body: list[str], width: int = WIDTH) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" viewBox="0 0 {width} {_num(height)}" '
        f'width="{width}" height="{_num(height)}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def hbars(ident: str, title: str, rows: list[tuple[str, int]], desc: str = "") -> str:
    """One horizontal bar per row, its label above it and its value at its end."""
    top = max((v for _, v in rows), default=0) or 1
    span = WIDTH - VALUE_W
    body, y = [], 4.0
    for label, value in rows:
        w = span * value / top
        body.append(f'<text x="0" y="{_num(y + 13)}" fill="#1d2321">{escape(label)}</text>')
        y += LABEL_H
        body.append(
            f'<rect x="0" y="{_num(y)}" width="{_num(max(w, 1 if value else 0))}" height="{BAR_H}" fill="{BAR}"/>'
        )
        body.append(f'<text x="{_num(w + 6)}" y="{_num(y + 12.5)}" fill="#1d2321">{value}</text>')
        y += BAR_H + GAP
    return _svg(ident, title, desc or "; ".join(f"{label}: {v}" for label, v in rows), y, body)


def stacked(
    ident: str, title: str, rows: list[tuple[str, dict[int, int]]], series: list[tuple[int, str]], desc: str = ""
) -> str:
    """Horizontal bars split by series (star levels), with a legend on top."""
    totals = [sum(parts.values()) for _, parts in rows]
    top = max(totals, default=0) or 1
    span = WIDTH - VALUE_W
    body, x = [], 0.0
    for key, label in series:
        body.append(f'<rect x="{_num(x)}" y="4" width="14" height="14" fill="{STAR_COLOURS.get(key, BAR)}"/>')
        body.append(f'<text x="{_num(x + 20)}" y="16" fill="#1d2321">{escape(label)}</text>')
        x += 20 + 9 * len(label) + 18
    y = 30.0
    for (label, parts), total in zip(rows, totals):
        body.append(f'<text x="0" y="{_num(y + 13)}" fill="#1d2321">{escape(label)}</text>')
        y += LABEL_H
        x = 0.0
        for key, _ in series:
            w = span * parts.get(key, 0) / top
            if w > 0:
                body.append(
                    f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{BAR_H}" '
                    f'fill="{STAR_COLOURS.get(key, BAR)}"/>'
                )
            x += w
        body.append(f'<text x="{_num(x + 6)}" y="{_num(y + 12.5)}" fill="#1d2321">{total}</text>')
        y += BAR_H + GAP
    summary = "; ".join(
        f"{label}: " + ", ".join(f"{parts.get(k, 0)} {name}" for k, name in series) for label, parts in rows
    )
    return _svg(ident, title, desc or summary, y, body)


def columns(ident: str, title: str, rows: list[tuple[str, int]], desc: str = "") -> str:
    """Vertical bars (one per year), value above each, label below."""
    height = 220
    base = height - 24
    top = max((v for _, v in rows), default=0) or 1
    n = max(len(rows), 1)
    slot = min(64.0, WIDTH / n)
    bar = slot * 0.7
    body = [f'<line x1="0" y1="{base}" x2="{_num(slot * n)}" y2="{base}" stroke="#8a918d"/>']
    for i, (label, value) in enumerate(rows):
        h = (base - 26) * value / top
        x = i * slot + (slot - bar) / 2
        body.append(f'<rect x="{_num(x)}" y="{_num(base - h)}" width="{_num(bar)}" height="{_num(h)}" fill="{BAR}"/>')
        body.append(
            f'<text x="{_num(x + bar / 2)}" y="{_num(base - h - 6)}" text-anchor="middle" fill="#1d2321">{value}</text>'
        )
        body.append(
            f'<text x="{_num(x + bar / 2)}" y="{base + 17}" text-anchor="middle" fill="#1d2321">{escape(label)}</text>'
        )
    return _svg(
        ident,
        title,
        desc or "; ".join(f"{label}: {v}" for label, v in rows),
        height,
        body,
        width=max(int(slot * n), 120),
    )


def shares(ident: str, title: str, rows: list[tuple[str, float, float]], target_word: str, desc: str = "") -> str:
    """Share bars from 0 to 100% with the plan's target marked by a red line."""
    span = WIDTH - VALUE_W
    body, y = [], 4.0
    for label, share, target in rows:
        body.append(f'<text x="0" y="{_num(y + 13)}" fill="#1d2321">{escape(label)}</text>')
        y += LABEL_H
        body.append(f'<rect x="0" y="{_num(y)}" width="{span}" height="{BAR_H}" fill="#ece9df"/>')
        body.append(f'<rect x="0" y="{_num(y)}" width="{_num(span * share)}" height="{BAR_H}" fill="{BAR}"/>')
        tx = span * target
        body.append(
            f'<line x1="{_num(tx)}" y1="{_num(y - 3)}" x2="{_num(tx)}" y2="{_num(y + BAR_H + 3)}" '
            f'stroke="{TARGET}" stroke-width="3"/>'
        )
        body.append(f'<text x="{span + 6}" y="{_num(y + 12.5)}" fill="#1d2321">{share * 100:.0f}%</text>')
        y += BAR_H + GAP
    body.append(f'<line x1="0" y1="{_num(y + 6)}" x2="18" y2="{_num(y + 6)}" stroke="{TARGET}" stroke-width="3"/>')
    body.append(f'<text x="24" y="{_num(y + 10)}" fill="#1d2321">{escape(target_word)}</text>')
    y += 18
    return _svg(
        ident,
        title,
        desc
        or "; ".join(
            f"{label}: {share * 100:.0f}% ({target_word} {target * 100:.0f}%)" for label, share, target in rows
        ),
        y,
        body,
    )
