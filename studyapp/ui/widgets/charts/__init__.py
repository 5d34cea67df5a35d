"""Charts drawn with QPainter (moved into a package; the split follows)."""

from studyapp.ui.widgets.charts.base import (
    BarChart,
    CalendarHeatmap,
    Chart,
    LineChart,
    Series,
    day_label,
    days_back,
    mix,
    nice_ceiling,
    week_label,
)

__all__ = [
    "BarChart",
    "CalendarHeatmap",
    "Chart",
    "LineChart",
    "Series",
    "day_label",
    "days_back",
    "mix",
    "nice_ceiling",
    "week_label",
]
