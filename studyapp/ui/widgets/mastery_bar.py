"""A horizontal bar: mastery as a filled bar, its 80% range as a whisker, the pass line."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from studyapp.ui.theme import colours
from studyapp.ui.widgets.charts import mix


class MasteryBar(QWidget):
    """Paints mean, low–high range and a target line; colours follow the theme."""

    def __init__(self, theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mean = self.low = self.high = 0.0
        self.target = 0.7
        self.theme = theme
        self.weak = False
        self.setMinimumSize(QSize(120, 16))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, mean: float, low: float, high: float, target: float, weak: bool) -> None:
        self.mean, self.low, self.high, self.target, self.weak = mean, low, high, target, weak
        self.setAccessibleDescription(
            f"mastery {mean:.0%}, likely between {low:.0%} and {high:.0%}"
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(220, 16)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802  # Qt override
        c = colours(self.theme)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        track = QRectF(0, h * 0.25, w, h * 0.5)
        # The track is a third of the way to the muted colour (the bare "alt" colour was
        # 1.2:1 against the dark window, so an empty bar could not be seen at all).
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(mix(c["alt"], c["muted"], 0.33))
        p.drawRoundedRect(track, 3, 3)
        fill = QColor(c["warn"] if self.weak else c["highlight"])
        p.setBrush(fill)
        p.drawRoundedRect(QRectF(0, h * 0.25, w * max(0.0, min(self.mean, 1.0)), h * 0.5), 3, 3)
        p.setPen(QPen(QColor(c["text"]), 1.5))
        y = h / 2
        p.drawLine(int(w * self.low), int(y), int(w * self.high), int(y))
        for x in (self.low, self.high):
            p.drawLine(int(w * x), int(h * 0.2), int(w * x), int(h * 0.8))
        p.setPen(QPen(QColor(c["muted"]), 1, Qt.PenStyle.DashLine))
        p.drawLine(int(w * self.target), 0, int(w * self.target), h)
        p.end()
