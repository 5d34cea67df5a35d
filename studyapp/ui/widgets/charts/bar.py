"""The bar chart: vertical bars over slots (days or weeks) with a rounded value axis."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPaintEvent,
)
from PySide6.QtWidgets import QWidget

from studyapp.ui.widgets.charts.base import Axes, Chart, nice_ceiling


class BarChart(Chart):
    """Vertical bars over slots (days or weeks) with a rounded value axis."""

    def __init__(self, name: str, theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(name, theme, parent)
        self.labels: Sequence[str] = ()
        self.values: Sequence[float] = ()
        self.tips: Sequence[str] = ()
        self.unit = ""
        self.emphasis: int | None = None

    def set_data(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        *,
        tips: Sequence[str] = (),
        unit: str = "",
        emphasis: int | None = None,
    ) -> None:
        """``emphasis``: a slot drawn in the warning colour (e.g. today's overdue pile)."""
        self.labels, self.values, self.tips = labels, values, tips
        self.unit, self.emphasis = unit, emphasis
        self.update()

    def _axis(self) -> tuple[float, list[str]]:
        top = nice_ceiling(max(self.values, default=0.0))
        labels = [f"{top * f:g}{self.unit}" for f in (0, 0.5, 1.0)]
        return top, labels

    def tip_at(self, pos: QPointF) -> str | None:
        if not any(self.values):
            return None
        i = Axes(self, self._axis()[1], len(self.values)).slot(pos)
        return self.tips[i] if i is not None and i < len(self.tips) else None

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802  # Qt override
        p, c = self.begin()
        if not any(self.values):
            self.draw_empty(p, c)
            self.finish(p, c)
            return
        top, labels = self._axis()
        ax = Axes(self, labels, len(self.values))
        ax.draw_grid(p, c, (0, 0.5, 1.0), labels)
        ax.draw_labels(p, c, self.labels)
        slot = ax.plot.width() / ax.count
        width = max(1.0, slot * 0.72)
        p.setPen(Qt.PenStyle.NoPen)
        for i, v in enumerate(self.values):
            if v <= 0:
                continue
            h = max(1.5, v / top * ax.plot.height())
            p.setBrush(QColor(c["warn" if i == self.emphasis else "highlight"]))
            p.drawRoundedRect(
                QRectF(ax.x(i) - width / 2, ax.plot.bottom() - h, width, h),
                min(2.0, width / 3),
                min(2.0, width / 3),
            )
        self.finish(p, c)
