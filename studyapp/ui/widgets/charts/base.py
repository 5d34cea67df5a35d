"""Charts drawn with QPainter: a line chart, a bar chart and a calendar heatmap.

Why QPainter and not Qt Charts, Qt Graphs or pyqtgraph: docs/decisions/0007. Every chart
takes its colours from the theme (``set_theme``), its text size from the widget font (so
the font-size setting applies), and carries an accessible name and a text summary (the
accessible description and the tooltip); hovering a bar, point or day shows its value.
Charts take focus with Tab, so a screen reader reads the summary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
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


class _Axes:
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

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(420, QFontMetrics(self.font()).height() * 12)

    def minimumSizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(200, QFontMetrics(self.font()).height() * 12)

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
        i = _Axes(self, ("100%",), len(self.labels)).slot(pos)
        return self.tips[i] if i is not None and i < len(self.tips) else None

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802  # Qt override
        p, c = self.begin()
        if not self._has_data():
            self.draw_empty(p, c)
            self.finish(p, c)
            return
        ax = _Axes(self, ("100%",), len(self.labels))
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

    def _target_label(self, p: QPainter, c: dict[str, str], ax: _Axes, ty: float) -> None:
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


class BarChart(Chart):
    """Vertical bars over slots (days or weeks) with a rounded value axis."""

    def __init__(self, name: str, theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(name, theme, parent)
        self.labels: Sequence[str] = ()
        self.values: Sequence[float] = ()
        self.tips: Sequence[str] = ()
        self.unit = ""
        self.emphasis: int | None = None

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(420, QFontMetrics(self.font()).height() * 12)

    def minimumSizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(200, QFontMetrics(self.font()).height() * 12)

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
        i = _Axes(self, self._axis()[1], len(self.values)).slot(pos)
        return self.tips[i] if i is not None and i < len(self.tips) else None

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802  # Qt override
        p, c = self.begin()
        if not any(self.values):
            self.draw_empty(p, c)
            self.finish(p, c)
            return
        top, labels = self._axis()
        ax = _Axes(self, labels, len(self.values))
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


class CalendarHeatmap(Chart):
    """A year of study days: one column per week (Monday on top), shade by answers."""

    LEVELS = (0.28, 0.5, 0.75, 1.0)
    MAX_CELL = 15.0

    def __init__(self, name: str, theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(name, theme, parent)
        self.days: Sequence[tuple[date, int]] = ()
        self.unit = "answers"

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(760, self.height_for(max(self.width(), 300)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(300, self.height_for(max(self.width(), 300)))

    def height_for(self, width: int) -> int:
        """Seven rows of square cells as wide as ``width`` allows, plus labels and legend."""
        left, top, _cell, weeks = self._geometry()
        cell = min(self.MAX_CELL, max((width - left - 4) / max(weeks, 1), 4.0))
        return int(top + 7 * cell + top * 1.2 + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  # Qt override
        # Cells stay square: the height follows the width (the layout's height-for-width
        # is not honoured inside a scroll area, so the hint is updated instead).
        if self.height() != self.height_for(self.width()):
            self.updateGeometry()
        super().resizeEvent(event)

    def set_data(self, days: Sequence[tuple[date, int]]) -> None:
        """``days``: consecutive study days, oldest first, with their answer counts."""
        self.days = days
        self.updateGeometry()
        self.update()

    def level(self, count: int) -> int:
        """0 for no answers, else 1–4 by share of the busiest day."""
        if count <= 0:
            return 0
        top = max((n for _d, n in self.days), default=1) or 1
        return next(i + 1 for i, t in enumerate(self.LEVELS) if count / top <= t)

    def _geometry(self) -> tuple[float, float, float, int]:
        """(left, top, cell, weeks): cell includes a 2 px gap."""
        fm = QFontMetrics(self.small_font())
        left = max(fm.horizontalAdvance(day) for day in ("Mon", "Wed", "Fri")) + 8
        top = fm.height() + 4
        weeks = (len(self.days) + self.days[0][0].weekday() + 6) // 7 if self.days else 53
        cell = min((self.width() - left - 4) / max(weeks, 1), (self.height() - top * 2.2) / 7)
        return left, top, min(max(cell, 4.0), self.MAX_CELL), weeks

    def month_labels(self) -> list[tuple[QRectF, str]]:
        """Where each month's name is drawn above the grid, and the name.

        A name starts at the week of its month's first day. Names are placed from the
        newest month backwards (the newest is always named, moved left to stay inside the
        widget) and a name that would touch the one after it, or start left of the grid,
        is left out, so no name is ever clipped or overlaps another at any width or font.
        """
        if not self.days:
            return []
        fm = QFontMetrics(self.small_font())
        left, _top, cell, _weeks = self._geometry()
        gap = fm.horizontalAdvance(" ")
        firsts = [(i, d) for i, (d, _n) in enumerate(self.days) if d.day == 1]
        edge = self.width() - 2.0
        placed: list[tuple[QRectF, str]] = []
        for index, d in reversed(firsts):
            text = f"{d:%b}"
            w = float(fm.horizontalAdvance(text))
            col, _row = self._cell(index)
            x = left + col * cell
            if not placed:
                x = min(x, edge - w)  # the newest: moved left rather than clipped
            if x < left or x + w > edge:
                continue
            placed.append((QRectF(x, 0.0, w, float(fm.height())), text))
            edge = x - gap
        return placed[::-1]

    def day_labels(self) -> list[tuple[QRectF, str]]:
        """Where the weekday names left of the grid are drawn, and the names.

        Mon, Wed and Fri stand beside rows 0, 2 and 4. Each name is centred on its row in a
        box of its own text height; when the cells are smaller than the text (a large font
        in a narrow window) fewer names are drawn (Mon and Fri, then Mon alone), so no
        name overlaps another or is cut off.
        """
        if not self.days:
            return []
        fm = QFontMetrics(self.small_font())
        left, top, cell, _weeks = self._geometry()
        height = float(fm.height())
        names = ((0, "Mon"), (2, "Wed"), (4, "Fri"))
        step = 2 if 2 * cell >= height else 4 if 4 * cell >= height else 7
        shown = [(row, name) for row, name in names if row % step == 0]
        return [
            (QRectF(0.0, top + (row + 0.5) * cell - height / 2, left - 6, height), name)
            for row, name in shown
        ]

    def _cell(self, index: int) -> tuple[int, int]:
        offset = index + self.days[0][0].weekday()
        return offset // 7, offset % 7

    def tip_at(self, pos: QPointF) -> str | None:
        if not self.days:
            return None
        left, top, cell, _weeks = self._geometry()
        col, row = int((pos.x() - left) // cell), int((pos.y() - top) // cell)
        if not 0 <= row < 7 or col < 0:
            return None
        index = col * 7 + row - self.days[0][0].weekday()
        if not 0 <= index < len(self.days):
            return None
        d, n = self.days[index]
        return f"{d:%a} {d.day} {d:%b %Y}: {n} {self.unit if n != 1 else 'answer'}"

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802  # Qt override
        p, c = self.begin()
        if not self.days:
            self.draw_empty(p, c)
            self.finish(p, c)
            return
        left, top, cell, _weeks = self._geometry()
        gap = 2.0 if cell > 8 else 1.0
        empty = mix(c["base"], c["muted"], 0.18)
        shades = [empty] + [mix(c["base"], c["highlight"], t) for t in self.LEVELS]
        p.setPen(QColor(c["muted"]))
        for box, name in self.day_labels():
            p.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        p.setPen(Qt.PenStyle.NoPen)
        for i, (_d, n) in enumerate(self.days):
            col, row = self._cell(i)
            rect = QRectF(left + col * cell, top + row * cell, cell - gap, cell - gap)
            p.setBrush(shades[self.level(n)])
            p.drawRoundedRect(rect, 2, 2)
        p.setPen(QColor(c["muted"]))
        for box, text in self.month_labels():
            p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
        today_col, today_row = self._cell(len(self.days) - 1)
        p.setPen(QPen(QColor(c["text"]), 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(
            QRectF(left + today_col * cell, top + today_row * cell, cell - gap, cell - gap), 2, 2
        )
        self._legend(p, c, shades, top + 7 * cell + 4, cell - gap)
        self.finish(p, c)

    def _legend(
        self, p: QPainter, c: dict[str, str], shades: Sequence[QColor], y: float, size: float
    ) -> None:
        fm = QFontMetrics(self.small_font())
        size = min(size, fm.height() * 0.8)
        more = fm.horizontalAdvance("More")
        x = self.width() - 6 - more - len(shades) * (size + 3) - fm.horizontalAdvance("Less") - 6
        p.setPen(QColor(c["muted"]))
        p.drawText(QPointF(x, y + size - 1), "Less")
        x += fm.horizontalAdvance("Less") + 4
        p.setPen(Qt.PenStyle.NoPen)
        for shade in shades:
            p.setBrush(shade)
            p.drawRoundedRect(QRectF(x, y, size, size), 2, 2)
            x += size + 3
        p.setPen(QColor(c["muted"]))
        p.drawText(QPointF(x + 2, y + size - 1), "More")


def week_label(monday: date) -> str:
    """Short label of a week: its Monday, e.g. "5 Oct"."""
    return f"{monday.day} {monday:%b}"


def day_label(d: date) -> str:
    """Short label of a day, e.g. "5 Oct"."""
    return f"{d.day} {d:%b}"


def days_back(today: date, n: int) -> list[date]:
    """The ``n`` days ending today, oldest first."""
    return [today - timedelta(days=i) for i in range(n - 1, -1, -1)]
