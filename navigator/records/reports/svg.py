"""Charts as inline SVG, drawn by hand so the HTML report needs no script, font or network.

Hidden (suppressed) values get no bar and no point: a bar's length would give
the number away. They are labelled "[c]" instead (the GSS symbol every export uses), and a line
chart breaks there.
The SVG has no `xmlns` attribute: inside HTML5 it is not needed, and the report
must not hold a single web address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from navigator.records.reports.suppression import CONFIDENTIAL, Hidden

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 260
PLOT_WIDTH = 360
VALUE_WIDTH = 70
FONT = "font-family:system-ui,sans-serif;font-size:12px"

AT_LEAST = "≥"
"""Marks a sum that leaves out a hidden count (the comparison of packs): at least this."""


@dataclass(frozen=True)
class AtLeast:
    """A figure known only from below: its bar is drawn as far as it is known, and the
    figure printed with "≥", as its table prints it (never "n/a": it is not unknown)."""

    value: float


Point = tuple[str, int | float | Hidden | AtLeast | None]


def _number(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def _shown(value: int | float | Hidden | AtLeast | None) -> int | float | None:
    if isinstance(value, Hidden) or value is None:
        return None
    return value.value if isinstance(value, AtLeast) else value


def bar_chart(title: str, points: Sequence[Point]) -> str:
    """Horizontal bars, one per label, longest first as given; hidden values get a label only."""
    numbers = [number for _, value in points if (number := _shown(value)) is not None]
    top = float(max(numbers, default=0)) or 1.0
    height = len(points) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = [_open(width, height, title)]
    for index, (label, value) in enumerate(points):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        middle = y + BAR_HEIGHT / 2 + 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" style="{FONT}">'
            f"{escape(_clip(label))}</text>"
        )
        number = _shown(value)
        if number is None:
            shown = CONFIDENTIAL if isinstance(value, Hidden) else "n/a"
            parts.append(
                f'<text x="{LABEL_WIDTH + 4}" y="{middle:.1f}" style="{FONT};fill:#555">'
                f"{escape(shown)}</text>"
            )
            continue
        length = max(PLOT_WIDTH * number / top, 1.0 if number else 0.0)
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="#1d70b8"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{middle:.1f}" style="{FONT}">'
            f"{AT_LEAST if isinstance(value, AtLeast) else ''}{_number(number)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, points: Sequence[Point], height: int = 220) -> str:
    """A line through the shown values in order; the line breaks at hidden ones."""
    width = 680
    left, right, top_margin, bottom = 60, 20, 16, 40
    plot_width = width - left - right
    plot_height = height - top_margin - bottom
    numbers = [number for _, value in points if (number := _shown(value)) is not None]
    highest = max(numbers, default=0)
    top = float(highest) or 1.0
    step = plot_width / max(len(points) - 1, 1)

    def x_of(index: int) -> float:
        return left + index * step

    def y_of(number: float) -> float:
        return top_margin + plot_height * (1 - number / top)

    parts = [_open(width, height, title)]
    parts.append(
        f'<line x1="{left}" y1="{top_margin + plot_height}" x2="{width - right}" '
        f'y2="{top_margin + plot_height}" stroke="#333"/>'
        f'<text x="{left - 6}" y="{top_margin + 4}" text-anchor="end" style="{FONT}">'
        f"{_number(highest)}</text>"
        f'<text x="{left - 6}" y="{top_margin + plot_height}" text-anchor="end" '
        f'style="{FONT}">0</text>'
    )
    for segment in _segments(points):
        coordinates = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in segment)
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="#1d70b8" stroke-width="2"/>'
        )
        for i, v in segment:
            parts.append(f'<circle cx="{x_of(i):.1f}" cy="{y_of(v):.1f}" r="3" fill="#1d70b8"/>')
    for index, (label, value) in enumerate(points):
        if isinstance(value, Hidden):
            parts.append(
                f'<text x="{x_of(index):.1f}" y="{top_margin + plot_height - 4}" '
                f'text-anchor="middle" style="{FONT};fill:#555">{CONFIDENTIAL}</text>'
            )
        if index in _tick_indexes(len(points)):
            # The last label ends at its point and the first starts at it, so neither is clipped.
            anchor = "middle"
            if len(points) > 1 and index == len(points) - 1:
                anchor = "end"
            elif index == 0 and len(points) > 1:
                anchor = "start"
            parts.append(
                f'<text x="{x_of(index):.1f}" y="{height - bottom + 16}" text-anchor="{anchor}" '
                f'style="{FONT}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )


def _segments(points: Sequence[Point]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive shown values: the line is drawn within a run, never across a gap."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for index, (_, value) in enumerate(points):
        number = _shown(value)
        if number is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((index, float(number)))
    if current:
        runs.append(current)
    return runs


def _tick_indexes(count: int, most: int = 8) -> set[int]:
    """Which x labels to print so they never overlap: at most `most`, always the first and last."""
    if count <= most:
        return set(range(count))
    stride = -(-count // most)
    return {*range(0, count, stride), count - 1}


def _clip(label: str, length: int = 40) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"
