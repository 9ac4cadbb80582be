"""Geometry of the funnel page's two SVG charts; the template draws them (no JavaScript, nothing fetched)."""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.reports.funnel import TREND_SERIES, Funnel

BAR_WIDTH = 860  # the whole funnel chart; labels take the left part
LABEL_WIDTH = 250
VALUE_WIDTH = 130
ROW_HEIGHT = 30
TREND_WIDTH = 860
TREND_HEIGHT = 280
TREND_LEFT = 50  # room for the y axis and its label
TREND_BOTTOM = 40  # room for the dates
TREND_TOP = 24
# Below this many pixels per day/week the numbers stop fitting over the bars; the table below has them.
NUMBERS_FROM_GROUP_WIDTH = 60
SERIES_COLORS = {"requested": "#79aec8", "approved": "#417690", "attended": "#2e7d32"}


@dataclass(frozen=True)
class FunnelBar:
    y: int
    label: str
    width: float
    value_x: float
    value: str  # «120 · 45 %»
    is_main: bool


@dataclass(frozen=True)
class TrendBar:
    x: float
    y: float
    width: float
    height: float
    text_x: float
    color: str
    value: int
    show_value: bool


@dataclass(frozen=True)
class TrendGroup:
    label_x: float
    label: str
    bars: list[TrendBar]


@dataclass(frozen=True)
class AxisTick:
    y: float
    label: int


@dataclass(frozen=True)
class Charts:
    bars: list[FunnelBar]
    bars_height: int
    bars_area: int
    trend: list[TrendGroup]
    ticks: list[AxisTick]
    legend: list[tuple[str, str, int]]  # (label, color, x)


def funnel_charts(report: Funnel) -> Charts:
    """Positions and sizes for the funnel's bars and the trend, scaled to their largest numbers."""
    shown = [stage for stage in report.stages if stage.count is not None]
    top = max((stage.count or 0 for stage in shown), default=0) or 1
    area = BAR_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        FunnelBar(
            y=index * ROW_HEIGHT,
            label=stage.label,
            width=round(area * (stage.count or 0) / top, 1),
            value_x=round(LABEL_WIDTH + area * (stage.count or 0) / top + 6, 1),
            value=f"{stage.count}" + (f" · {stage.conversion:.0f} %" if stage.conversion is not None else ""),
            is_main=stage.is_main,
        )
        for index, stage in enumerate(shown)
    ]
    return Charts(
        bars=bars,
        bars_height=len(bars) * ROW_HEIGHT,
        bars_area=area,
        trend=_trend_groups(report),
        ticks=_ticks(report),
        legend=_legend(report),
    )


def _trend_top(report: Funnel) -> int:
    return max((point.values[key] for point in report.trend for key in TREND_SERIES), default=0) or 1


def _plot_height() -> int:
    return TREND_HEIGHT - TREND_TOP - TREND_BOTTOM


def _trend_groups(report: Funnel) -> list[TrendGroup]:
    if not report.trend:
        return []
    top = _trend_top(report)
    group_width = (TREND_WIDTH - TREND_LEFT) / len(report.trend)
    bar_width = group_width * 0.8 / len(TREND_SERIES)
    floor = TREND_TOP + _plot_height()
    groups = []
    for index, point in enumerate(report.trend):
        left = TREND_LEFT + index * group_width + group_width * 0.1
        bars = []
        for series_index, key in enumerate(TREND_SERIES):
            height = _plot_height() * point.values[key] / top
            bars.append(
                TrendBar(
                    x=round(left + series_index * bar_width, 1),
                    y=round(floor - height, 1),
                    width=round(bar_width - 1, 1),
                    height=round(height, 1),
                    text_x=round(left + series_index * bar_width + bar_width / 2, 1),
                    color=SERIES_COLORS[key],
                    value=point.values[key],
                    show_value=group_width >= NUMBERS_FROM_GROUP_WIDTH,
                )
            )
        groups.append(
            TrendGroup(
                label_x=round(TREND_LEFT + index * group_width + group_width / 2, 1),
                label=f"{point.start:%d.%m}",
                bars=bars,
            )
        )
    return groups


def _ticks(report: Funnel) -> list[AxisTick]:
    top = _trend_top(report)
    step = max(1, -(-top // 4))
    floor = TREND_TOP + _plot_height()
    return [
        AxisTick(y=round(floor - _plot_height() * value / top, 1), label=value) for value in range(0, top + 1, step)
    ]


def _legend(report: Funnel) -> list[tuple[str, str, int]]:
    labels = {stage.key: stage.label for stage in report.stages}
    return [(labels[key], SERIES_COLORS[key], TREND_LEFT + index * 260) for index, key in enumerate(TREND_SERIES)]
