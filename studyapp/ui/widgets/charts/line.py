"""The line chart: lines over slots (weeks) on a 0-100% axis, with an optional range band
and target line; gaps where a series has no value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QWidget

from studyapp.ui.widgets.charts.base import Axes, Chart


@dataclass(frozen=True, slots=True)
class Series:
    """One line: values per slot (None: no point), a theme colour name, dashed or not."""

    name: str
    values: Sequence[float | None]
    colour: str = "highlight"
    dashed: bool = False


class LineChart(Chart):
    """Lines over slots (weeks) on a 0–100% axis, an optional range band and target."""

    def __init__(self, name: str, theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(name, theme, parent)
        self.labels: Sequence[str] = ()
        self.series: Sequence[Series] = ()
        self.band: tuple[Sequence[float | None], Sequence[float | None]] | None = None
        self.target: float | None = None
        self.target_label = ""
        self.tips: Sequence[str] = ()

    def set_data(
        self,
        labels: Sequence[str],
        series: Sequence[Series],
        *,
        band: tuple[Sequence[float | None], Sequence[float | None]] | None = None,
        target: float | None = None,
        target_label: str = "",
        tips: Sequence[str] = (),
    ) -> None:
        self.labels, self.series, self.band = labels, series, band
        self.target, self.target_label, self.tips = target, target_label, tips
        self.update()

    def _has_data(self) -> bool:
        return any(v is not None for s in self.series for v in s.values)

    def tip_at(self, pos: QPointF) -> str | None:
        if not self._has_data():
            return None
        i = Axes(self, ("100%",), len(self.labels)).slot(pos)
        return self.tips[i] if i is not None and i < len(self.tips) else None

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802  # Qt override
        p, c = self.begin()
        if not self._has_data():
            self.draw_empty(p, c)
            self.finish(p, c)
            return
        ax = Axes(self, ("100%",), len(self.labels))
        ax.draw_grid(p, c, (0, 0.25, 0.5, 0.75, 1.0), ("0%", "25%", "50%", "75%", "100%"))
        ax.draw_labels(p, c, self.labels)

        def y(v: float) -> float:
            return ax.plot.bottom() - min(max(v, 0.0), 1.0) * ax.plot.height()

        if self.band is not None:
            fill = QColor(c["highlight"])
            fill.setAlphaF(0.22)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(fill)
            low, high = self.band
            for run in _runs(
                [lo is not None and hi is not None for lo, hi in zip(low, high, strict=True)]
            ):
                top = [QPointF(ax.x(i), y(high[i] or 0.0)) for i in run]
                bottom = [QPointF(ax.x(i), y(low[i] or 0.0)) for i in reversed(run)]
                p.drawPolygon(QPolygonF(top + bottom))
        if self.target is not None:
            p.setPen(QPen(QColor(c["muted"]), 1.2, Qt.PenStyle.DashLine))
            ty = y(self.target)
            p.drawLine(QPointF(ax.plot.left(), ty), QPointF(ax.plot.right(), ty))
        for s in self.series:
            colour = QColor(c[s.colour])
            pen = QPen(colour, 2.2, Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
            for run in _runs([v is not None for v in s.values]):
                path = QPainterPath(QPointF(ax.x(run[0]), y(s.values[run[0]] or 0.0)))
                for i in run[1:]:
                    path.lineTo(ax.x(i), y(s.values[i] or 0.0))
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPath(path)
            p.setPen(QPen(QColor(c["window"]), 1.5))
            p.setBrush(colour)
            for i, v in enumerate(s.values):
                if v is not None:
                    p.drawEllipse(QPointF(ax.x(i), y(v)), 3.5, 3.5)
        if self.target is not None and self.target_label:
            self._target_label(p, c, ax, y(self.target))
        self.finish(p, c)

    def _target_label(self, p: QPainter, c: dict[str, str], ax: Axes, ty: float) -> None:
        """The target's label beside its line, on a backing, where it hides fewest points."""
        fm = QFontMetrics(p.font())
        w = fm.horizontalAdvance(self.target_label) + 8
        boxes = [
            QRectF(x, y, w, ax.line)
            for y in (ty + 3, ty - ax.line - 3)
            for x in (ax.plot.right() - w, ax.plot.left() + 2)
        ]
        points = [
            QPointF(ax.x(i), ax.plot.bottom() - min(max(v, 0.0), 1.0) * ax.plot.height())
            for s in self.series
            for i, v in enumerate(s.values)
            if v is not None
        ]

        def hidden(box: QRectF) -> int:
            grown = box.adjusted(-4, -4, 4, 4)
            return sum(1 for pt in points if grown.contains(pt))

        box = min(boxes, key=hidden)
        backing = QColor(c["window"])
        backing.setAlphaF(0.85)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(backing)
        p.drawRoundedRect(box, 3, 3)
        p.setPen(QColor(c["muted"]))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, self.target_label)


def _runs(present: Sequence[bool]) -> list[list[int]]:
    """Indexes of consecutive True values, as separate runs."""
    runs: list[list[int]] = []
    for i, ok in enumerate(present):
        if ok and runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        elif ok:
            runs.append([i])
    return runs
