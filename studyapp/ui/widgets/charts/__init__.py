"""Charts drawn with QPainter: a line chart, a bar chart and a calendar heatmap.

Why QPainter and not Qt Charts, Qt Graphs or pyqtgraph: docs/decisions/0007. Every chart
takes its colours from the theme (``set_theme``), its text size from the widget font (so
the font-size setting applies), and carries an accessible name and a text summary (the
accessible description and the tooltip); hovering a bar, point or day shows its value.
Charts take focus with Tab, so a screen reader reads the summary.

The package: :mod:`.base` (what every chart shares), :mod:`.line`, :mod:`.bar` and
:mod:`.heatmap` (split from one 575-line module, issue 19). Import the charts from here.
"""

from studyapp.ui.widgets.charts.bar import BarChart
from studyapp.ui.widgets.charts.base import (
    Chart,
    day_label,
    days_back,
    mix,
    nice_ceiling,
    week_label,
)
from studyapp.ui.widgets.charts.heatmap import CalendarHeatmap
from studyapp.ui.widgets.charts.line import LineChart, Series

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
