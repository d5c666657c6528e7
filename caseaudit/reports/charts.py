"""Charts as accessible SVG (QA-1): drawn on the server, no script, each with a title and a
description that say what it shows, and always beside the table of its data (the GOV.UK way: the
table is the figure; the chart is a picture of it). Pure functions: numbers in, geometry out."""

from collections.abc import Sequence
from dataclasses import dataclass

# GOV.UK colours, chosen to differ in lightness as well as hue
COLOURS = ("#1d70b8", "#00703c", "#f47738", "#d4351c", "#4c2c92", "#505a5f")
BAR_HEIGHT = 18
GAP = 6
GROUP_GAP = 14
LABEL_WIDTH = 190
CHART_WIDTH = 620
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    value: int
    text: str  # the value as shown at the bar's end ("12 (40%)")
    colour: str
    series: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    groups: list[BarGroup]
    series: list[tuple[str, str]]  # (name, colour) for the key
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - VALUE_WIDTH


def _percent(value: int, total: int) -> str:
    return f"{round(100 * value / total)}%" if total else "0%"


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    totals: Sequence[int] | None = None,
) -> BarChart:
    """Horizontal bars: one group per label, one bar per series in each group. With `totals` (one
    per series) each bar also shows its share of its series' total."""
    top = max([value for _, values in series for value in values] or [0]) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    groups: list[BarGroup] = []
    y = 0
    for index, label in enumerate(labels):
        bars: list[Bar] = []
        start = y
        for number, (name, values) in enumerate(series):
            value = values[index]
            text = str(value)
            if totals is not None:
                text = f"{value} ({_percent(value, totals[number])})"
            bars.append(
                Bar(
                    y=y,
                    width=round(plot * value / top, 1),
                    value=value,
                    text=text,
                    colour=COLOURS[number % len(COLOURS)],
                    series=name,
                )
            )
            y += BAR_HEIGHT + GAP
        groups.append(BarGroup(label=label, label_y=start + (y - GAP - start) // 2 + 5, bars=bars))
        y += GROUP_GAP - GAP
    return BarChart(
        id=id,
        title=title,
        description=description,
        groups=groups,
        series=[(name, COLOURS[number % len(COLOURS)]) for number, (name, _) in enumerate(series)],
        height=max(y, BAR_HEIGHT),
    )
