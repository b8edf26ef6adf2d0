"""The geometry of the report's SVG charts: bars and score lines, as numbers only.

The template draws the shapes (so every label goes through its escaping); this module
only decides where they go. Sizes are in CSS pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crmflags.report.data import Point


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label, value and box, and where its value is written."""

    key: str
    label: str
    value: int
    y: float
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars with their labels on the left and their values after them."""

    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


@dataclass(frozen=True)
class Dot:
    """A point of a score line: where it is drawn and what it stands for."""

    x: float
    y: float
    point: Point


@dataclass(frozen=True)
class ScoreLine:
    """A client's score over the runs: the line, the area under it, and a dot per run."""

    width: int
    height: int
    line: str
    area: str
    dots: list[Dot]


def bar_chart(
    items: Sequence[tuple[str, str, int]],
    width: int = 420,
    label_width: int = 170,
    bar_height: int = 22,
    gap: int = 8,
) -> BarChart:
    """Lay out horizontal bars for ``(key, label, value)`` items, in the order given.

    The longest bar takes the room left after the labels and the value text; a zero
    value has no bar, only its value.
    """
    room = width - label_width - 40
    largest = max((value for _, _, value in items), default=0) or 1
    bars = []
    for i, (key, label, value) in enumerate(items):
        length = room * value / largest
        bars.append(
            Bar(key, label, value, i * (bar_height + gap), length, label_width + length + 6)
        )
    height = max(len(items) * (bar_height + gap) - gap, bar_height)
    return BarChart(width, height, label_width, bar_height, bars)


def score_line(points: Sequence[Point], width: int = 240, height: int = 56) -> ScoreLine:
    """Lay out a score line over ``points`` (oldest first), one step per run.

    The vertical scale runs from 0 to the client's highest score, so the shape shows
    the trend; the dots' titles and the caption give the numbers.
    """
    pad = 5
    top = max((p.score for p in points), default=0) or 1
    step = (width - 2 * pad) / (len(points) - 1) if len(points) > 1 else 0
    dots = []
    for i, point in enumerate(points):
        x = pad + i * step if len(points) > 1 else width / 2
        y = height - pad - (height - 2 * pad) * max(point.score, 0) / top
        dots.append(Dot(round(x, 1), round(y, 1), point))
    line = " ".join(f"{d.x},{d.y}" for d in dots)
    base = height - pad
    area = f"{dots[0].x},{base} {line} {dots[-1].x},{base}" if dots else ""
    return ScoreLine(width, height, line, area, dots)
