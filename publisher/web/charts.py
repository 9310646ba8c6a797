"""Figures drawn on the server as inline SVG: no script, no external library.

Every text is escaped here; each figure has a `<title>` and a `<desc>` (read by screen
readers, `aria-labelledby`), and each bar or cell its own `<title>`, shown on hover.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

_ids = itertools.count(1)  # ids unique within a page even with several figures
BAR = 18
GAP = 4
LABEL_WIDTH = 260
PLOT_WIDTH = 420
CELL = 22


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-{n}-title chart-{n}-desc" '
        'font-family="sans-serif" font-size="12">'
        f'<title id="chart-{n}-title">{_e(title)}</title><desc id="chart-{n}-desc">{_e(desc)}</desc>'
    )
    return head, "</svg>"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title: str, rows: Sequence[tuple[str, int]], *, unit: str = "vidéos") -> str:
    """Horizontal bars, one a row, labels on the left, values at the end of each bar."""
    top = max((n for _, n in rows), default=0) or 1
    height = len(rows) * (BAR + GAP) + GAP
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    desc = "; ".join(f"{label}: {n} {unit}" for label, n in rows)
    head, tail = _open(width, height, title, desc)
    parts = [head]
    for i, (label, n) in enumerate(rows):
        y = GAP + i * (BAR + GAP)
        length = round(PLOT_WIDTH * n / top)
        parts.append(
            f'<g><title>{_e(label)}: {n} {_e(unit)}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR - 5}" text-anchor="end">{_e(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR}" fill="#3a6ea5"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + BAR - 5}">{n}</text></g>'
        )
    parts.append(tail)
    return "".join(parts)


def heat_map(title: str, rows: Sequence[str], columns: Sequence[str], counts: dict[tuple[str, str], int]) -> str:
    """A grid of rows × columns, each cell as dark as its count; labels on the left and on top."""
    top = max(counts.values(), default=0) or 1
    label_height = 190
    width = LABEL_WIDTH + len(columns) * CELL + 10
    height = label_height + len(rows) * CELL + 10
    desc = f"{len(rows)} thèmes × {len(columns)} institutions ; plus la case est foncée, plus il y a de vidéos"
    head, tail = _open(width, height, title, desc)
    parts = [head]
    for j, column in enumerate(columns):
        x = LABEL_WIDTH + j * CELL + CELL // 2 + 4
        parts.append(
            f'<text transform="translate({x},{label_height - 6}) rotate(-60)">{_e(_short(column, 30))}</text>'
        )
    for i, row in enumerate(rows):
        y = label_height + i * CELL
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + CELL - 7}" text-anchor="end">{_e(_short(row))}</text>')
        for j, column in enumerate(columns):
            n = counts.get((row, column), 0)
            parts.append(
                f'<rect x="{LABEL_WIDTH + j * CELL}" y="{y}" width="{CELL - 1}" height="{CELL - 1}" '
                f'fill="{_shade(n / top)}"><title>{_e(row)} × {_e(column)}: {n}</title></rect>'
            )
    parts.append(tail)
    return "".join(parts)


def _shade(share: float) -> str:
    """From near white (0) to dark blue (1)."""
    low, high = (240, 244, 250), (16, 52, 110)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high, strict=True))
    return f"rgb({r},{g},{b})"
