"""The calendar heatmap: a year of study days, one column per week, shaded by answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from studyapp.ui.widgets.charts.base import Chart, mix


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
