"""The report's charts, drawn on the server as SVG with matplotlib (WeasyPrint runs no
JavaScript). Text is drawn as paths, so the PDF looks the same whatever fonts the
server has. Labels come in the active language."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import pgettext

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALETTE = ("#4f46e5", "#0ea5e9", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#64748b")
INK, GRID = "#1f2937", "#e5e7eb"
WIDTH_INCHES = 6.7  # the A4 page's text width


def _number(value: float, _position: object = None) -> str:
    return formats.number_format(round(value), force_grouping=True)


def _number_ticks(axis) -> None:
    """About five whole numbers along the axis, grouped as the language writes them."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_formatter(FuncFormatter(_number))
    axis.set_major_locator(MaxNLocator(nbins=5, integer=True))


def _figure(height: float) -> Figure:
    # Imported here, not with the module: matplotlib (and numpy) cost every web process
    # a second and tens of megabytes at start-up, and only a report draws charts.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=100)
    figure.set_layout_engine("constrained")
    return figure


def _styled(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GRID)
    axes.tick_params(colors=INK, labelsize=8, length=0)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    _number_ticks(axes.yaxis)


def _day_ticks(axes, days: Sequence[date]) -> None:
    """About seven dates under the x axis ("3 Mar", "3 mars": the format is translated,
    since French writes months in lower case)."""
    step = max(1, len(days) // 7)
    # Translators: a Django date format (j: the day, M: "Jan", b: "jan", E: "janvier").
    day_month = pgettext("date format of a chart's axis", "j M")
    shown = range(0, len(days), step)
    axes.set_xticks(shown)
    axes.set_xticklabels([formats.date_format(days[i], day_month) for i in shown])


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None}, transparent=True)
    return out.getvalue()


def line_chart(series: dict[str, Sequence[tuple[date, float]]]) -> str:
    """One line per name over the days (e.g. each channel's followers)."""
    figure = _figure(2.5)
    axes = figure.add_subplot()
    _styled(axes)
    days = sorted({day for points in series.values() for day, _value in points})
    position = {day: index for index, day in enumerate(days)}
    for index, (name, points) in enumerate(series.items()):
        axes.plot(
            [position[day] for day, _value in points],
            [value for _day, value in points],
            color=PALETTE[index % len(PALETTE)],
            linewidth=1.8,
            marker="o" if len(points) < 12 else None,
            markersize=3,
            label=name,
        )
    _day_ticks(axes, days)
    if series:
        axes.legend(
            frameon=False,
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncols=min(2, len(series)),
        )
    return _svg(figure)


def stacked_bars(labels: Sequence[str], parts: dict[str, Sequence[float]]) -> str:
    """One horizontal bar per label, split into named parts (e.g. likes, comments...)."""
    figure = _figure(0.4 * max(len(labels), 2) + 0.6)
    axes = figure.add_subplot()
    _styled(axes)
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    _number_ticks(axes.xaxis)
    left = [0.0] * len(labels)
    rows = list(range(len(labels)))
    for index, (name, values) in enumerate(parts.items()):
        axes.barh(rows, values, left=left, color=PALETTE[index % len(PALETTE)], label=name)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(rows)
    axes.set_yticklabels(labels)
    axes.invert_yaxis()
    if len(parts) > 1:  # one part: the chart's title names it
        axes.legend(
            frameon=False,
            fontsize=8,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=len(parts),
        )
    return _svg(figure)


def day_bars(days: Sequence[date], values: Sequence[float | None]) -> str:
    """One vertical bar per day (e.g. the engagements gained each day)."""
    figure = _figure(2.0)
    axes = figure.add_subplot()
    _styled(axes)
    axes.bar(range(len(days)), [value or 0.0 for value in values], color=PALETTE[0], width=0.7)
    _day_ticks(axes, days)
    return _svg(figure)
