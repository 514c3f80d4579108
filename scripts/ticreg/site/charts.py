"""Horizontal bar charts as inline SVG, drawn at build time in pure Python.

No chart library and no script: the statistics page works without
JavaScript, and the same counts always give byte-identical SVG (the site
build is reproducible). Every label and number goes through
``markupsafe.escape``: a label is registry-derived text. Sizes live in the
viewBox; width and height give its natural size, and tic.css lets it shrink
(never grow) to fit the page, so its text stays near the body text's size.
Colours come from tic.css (Material's variables), with presentation
attributes as the fallback. The chart is one image to assistive technology
(``role="img"`` + ``<title>``); the page repeats the numbers in a table.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from markupsafe import Markup, escape

FONT_SIZE = 14
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 8
BOTTOM = 8
LABEL_GAP = 8  # between a label and the axis
BAR_AREA = 360  # width of the longest bar
VALUE_AREA = 56  # room for the number after the longest bar
MIN_LABEL_WIDTH = 48


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Estimated rendered width: wide (CJK, full-width) characters take a full
    em, others about 0.6 em. Deterministic, so no font metrics are needed."""
    return sum(
        font_size if unicodedata.east_asian_width(ch) in ("W", "F") else font_size * 0.6 for ch in text
    )


def _n(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros: stable output."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def bar_chart(chart_id: str, title: str, items: Sequence[tuple[str, int]]) -> Markup:
    """An SVG horizontal bar chart of (label, count) pairs, in the given order.

    ``chart_id`` must be unique on the page: the title's id derives from it.
    """
    labels = [str(label) for label, _ in items]
    counts = [int(count) for _, count in items]
    label_width = max([MIN_LABEL_WIDTH, *(text_width(label) for label in labels)]) + LABEL_GAP
    width = label_width + BAR_AREA + VALUE_AREA
    height = TOP + ROW_HEIGHT * max(len(items), 1) + BOTTOM
    scale = BAR_AREA / max([1, *counts])  # zero counts: no division by zero, no bar
    title_id = f"{chart_id}-title"
    desc_id = f"{chart_id}-desc"
    total = sum(counts)
    desc = "；".join(f"{label}：{count}" for label, count in zip(labels, counts)) or "暂无数据"

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="tic-chart__svg" id="{escape(chart_id)}" '
            f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
            f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" font-size="{FONT_SIZE}">'
        ),
        f'<title id="{escape(title_id)}">{escape(title)}（共 {total} 个）</title>',
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>',
        (
            f'<line class="tic-chart__axis" x1="{_n(label_width)}" y1="{TOP}" x2="{_n(label_width)}" '
            f'y2="{_n(height - BOTTOM)}" stroke="currentColor" stroke-width="1"/>'
        ),
    ]
    for i, (label, count) in enumerate(zip(labels, counts)):
        row_top = TOP + i * ROW_HEIGHT
        bar_y = row_top + (ROW_HEIGHT - BAR_HEIGHT) / 2
        text_y = row_top + ROW_HEIGHT / 2 + FONT_SIZE * 0.35  # optical middle of the row
        bar_width = count * scale
        parts.append(
            f'<text class="tic-chart__label" x="{_n(label_width - LABEL_GAP)}" y="{_n(text_y)}" '
            f'text-anchor="end" fill="currentColor">{escape(label)}</text>'
        )
        if bar_width > 0:
            parts.append(
                f'<rect class="tic-chart__bar" x="{_n(label_width)}" y="{_n(bar_y)}" '
                f'width="{_n(bar_width)}" height="{BAR_HEIGHT}" fill="#3f51b5"/>'
            )
        parts.append(
            f'<text class="tic-chart__value" x="{_n(label_width + bar_width + 6)}" y="{_n(text_y)}" '
            f'fill="currentColor">{escape(count)}</text>'
        )
    parts.append("</svg>")
    # One line per element and no blank line: the SVG sits inside an HTML
    # block of a Markdown page, which a blank line could end early.
    return Markup("\n".join(parts))
