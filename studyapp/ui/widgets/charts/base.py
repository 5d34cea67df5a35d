"""What every chart shares: the :class:`Chart` widget base, the plot :class:`Axes`, colour
mixing, a rounded axis ceiling, and the short date labels of slots.

The charts themselves are in :mod:`.line`, :mod:`.bar` and :mod:`.heatmap`; the package
re-exports the public names (``from studyapp.ui.widgets.charts import LineChart``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from studyapp.ui.theme import colours


def mix(a: str, b: str, t: float) -> QColor:
    """The colour ``t`` of the way from ``a`` to ``b``."""
    ca, cb = QColor(a), QColor(b)
    return QColor.fromRgbF(
        ca.redF() + (cb.redF() - ca.redF()) * t,
        ca.greenF() + (cb.greenF() - ca.greenF()) * t,
        ca.blueF() + (cb.blueF() - ca.blueF()) * t,
    )


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least ``value`` (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


class Chart(QWidget):
    """What every chart shares: theme, fonts, summary, empty state, focus, tooltips."""

    def __init__(self, name: str, theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.summary = ""
        self.empty_text = "No answers yet."
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        """420 px wide, twelve text lines tall (so the height follows the font size);
        the heatmap overrides it."""
        return QSize(420, QFontMetrics(self.font()).height() * 12)

    def minimumSizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(200, QFontMetrics(self.font()).height() * 12)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self.update()

    def set_summary(self, text: str) -> None:
        """The chart in words: accessible description and tooltip."""
        self.summary = text
        self.setAccessibleDescription(text)
        self.setToolTip(text)

    def tip_at(self, _pos: QPointF) -> str | None:
        """The value under the mouse, if any (override)."""
        return None

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            text = self.tip_at(QPointF(e.pos())) or self.summary
            if text:
                QToolTip.showText(e.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(e)

    def small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        return font

    def begin(self) -> tuple[QPainter, dict[str, str]]:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(self.small_font())
        return p, colours(self.theme)

    def finish(self, p: QPainter, c: dict[str, str]) -> None:
        if self.hasFocus():
            p.setPen(QPen(QColor(c["highlight"]), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
        p.end()

    def draw_empty(self, p: QPainter, c: dict[str, str]) -> None:
        p.setPen(QColor(c["muted"]))
        p.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.empty_text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802  # Qt override
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()  # heights follow the font-size setting
        super().changeEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802  # Qt override
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802  # Qt override
        self.update()
        super().focusOutEvent(event)


class Axes:
    """Plot geometry: a value axis on the left, category labels below."""

    def __init__(self, chart: Chart, y_labels: Sequence[str], count: int) -> None:
        fm = QFontMetrics(chart.small_font())
        left = max((fm.horizontalAdvance(t) for t in y_labels), default=0) + 10
        self.line = fm.height()
        self.plot = QRectF(left, self.line * 0.6, chart.width() - left - 8, 0)
        self.plot.setBottom(chart.height() - self.line * 1.8)
        self.count = max(count, 1)
        self.width = chart.width()

    def x(self, i: int) -> float:
        """Centre of slot ``i``."""
        return self.plot.left() + self.plot.width() * (i + 0.5) / self.count

    def slot(self, pos: QPointF) -> int | None:
        if not self.plot.adjusted(0, 0, 0, self.line * 1.8).contains(pos):
            return None
        i = int((pos.x() - self.plot.left()) / self.plot.width() * self.count)
        return i if 0 <= i < self.count else None

    def draw_grid(
        self, p: QPainter, c: dict[str, str], fractions: Sequence[float], labels: Sequence[str]
    ) -> None:
        grid = mix(c["base"], c["muted"], 0.35)
        for f, text in zip(fractions, labels, strict=True):
            y = self.plot.bottom() - f * self.plot.height()
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(self.plot.left(), y), QPointF(self.plot.right(), y))
            p.setPen(QColor(c["muted"]))
            p.drawText(
                QRectF(0, y - self.line / 2, self.plot.left() - 6, self.line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    def draw_labels(self, p: QPainter, c: dict[str, str], labels: Sequence[str]) -> None:
        """Slot labels, placed greedily from the newest (always labelled) backwards, each
        only where it keeps a gap to the one after it, so none overlap."""
        p.setPen(QColor(c["muted"]))
        fm = QFontMetrics(p.font())
        gap = fm.horizontalAdvance("  ")
        edge = math.inf
        for i in range(len(labels) - 1, -1, -1):
            w = fm.horizontalAdvance(labels[i]) + 4
            x = min(max(self.x(i) - w / 2, self.plot.left() - 4), self.width - w - 2)
            if x + w + gap > edge:
                continue
            edge = x
            p.drawText(
                QRectF(x, self.plot.bottom() + 4, w, self.line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                labels[i],
            )


def week_label(monday: date) -> str:
    """Short label of a week: its Monday, e.g. "5 Oct"."""
    return f"{monday.day} {monday:%b}"


def day_label(d: date) -> str:
    """Short label of a day, e.g. "5 Oct"."""
    return f"{d.day} {d:%b}"


def days_back(today: date, n: int) -> list[date]:
    """The ``n`` days ending today, oldest first."""
    return [today - timedelta(days=i) for i in range(n - 1, -1, -1)]
