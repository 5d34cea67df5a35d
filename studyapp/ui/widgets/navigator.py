"""The exam navigator: one small button per question, showing answered / flagged / current.

Cells grow with the font (a three-digit number must fit at 18 pt). The flag dot has a ring
in the cell's text colour, so it stands out (3:1 or better) on a filled, answered cell as
on an empty one, in both themes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from studyapp.ui.theme import colours

CELL = 30  # the smallest cell; larger fonts get larger cells
GAP = 4


def cell_colours(theme: str, answered: bool) -> dict[str, str]:
    """Fill, number, flag dot and the dot's ring of a cell (one place for the contrast rule)."""
    c = colours(theme)
    fill = c["highlight"] if answered else c["base"]
    text = c["hl_text"] if answered else c["text"]
    return {"fill": fill, "text": text, "dot": c["warn"], "ring": text}


class Navigator(QWidget):
    """A grid of numbered cells; a click, or Up / Down to move the focus ring and Enter,
    jumps to a question. (In a sitting ← / → are the page's previous / next keys.)

    Filled: answered. Outlined: unanswered. A corner mark: flagged. A thick ring: current.
    """

    jump = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answered: list[bool] = []
        self.flagged: list[bool] = []
        self.current = 0
        self.focus_index = 0
        self.columns = 5
        self.theme = "light"
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Question navigator")

    def cell_size(self) -> int:
        """Side of a cell: room for "100" in the cell's font, never below ``CELL``."""
        metrics = QFontMetrics(self._cell_font())
        return max(CELL, metrics.horizontalAdvance("888") + 10, metrics.height() + 8)

    def _cell_font(self) -> QFont:
        # Smaller than the text around it (the numbers are short), never tiny.
        font = QFont(self.font())
        size = font.pointSize()
        font.setPointSize(max(7, size - 2 if size <= 12 else size - 4))
        return font

    def _fit_columns(self) -> None:
        """Five columns of normal cells; four when large fonts make the cells large."""
        self.columns = 5 if self.cell_size() <= CELL + 6 else 4

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802  # Qt override
        if event.type() == QEvent.Type.FontChange:
            self._fit_columns()
            self.updateGeometry()
            self.resize(self.sizeHint())
        super().changeEvent(event)

    def set_state(self, answered: Sequence[bool], flagged: Sequence[bool], current: int) -> None:
        self.answered, self.flagged = list(answered), list(flagged)
        self._fit_columns()
        self.current = current
        self.focus_index = current
        n = len(self.answered)
        self.setAccessibleDescription(
            f"{sum(self.answered)} of {n} answered, {sum(self.flagged)} flagged; "
            f"question {current + 1} shown"
        )
        self.updateGeometry()
        self.resize(self.sizeHint())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        rows = max(1, -(-len(self.answered) // self.columns))
        cell = self.cell_size()
        return QSize(self.columns * (cell + GAP) + GAP, rows * (cell + GAP) + GAP)

    def minimumSizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return self.sizeHint()

    def _rect(self, i: int) -> QRectF:
        row, col = divmod(i, self.columns)
        cell = self.cell_size()
        return QRectF(GAP + col * (cell + GAP), GAP + row * (cell + GAP), cell, cell)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802  # Qt override
        c = colours(self.theme)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(self._cell_font())
        enabled = self.isEnabled()
        for i, answered in enumerate(self.answered):
            r = self._rect(i)
            cc = cell_colours(self.theme, answered)
            fill = QColor(cc["fill"])
            text = QColor(cc["text"])
            if not enabled:  # paused: the cells cannot be used, so they look it
                fill.setAlphaF(0.45)
            ring = QColor(c["text"] if i == self.current else c["muted"])
            p.setPen(QPen(ring, 3 if i == self.current else 1))
            p.setBrush(fill)
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 5, 5)
            if self.hasFocus() and i == self.focus_index:
                p.setPen(QPen(QColor(c["warn"]), 2, Qt.PenStyle.DotLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 6, 6)
            p.setPen(text)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(i + 1))
            if i < len(self.flagged) and self.flagged[i]:
                p.setPen(QPen(QColor(cc["ring"]), 1.5))
                p.setBrush(QColor(cc["dot"]))
                p.drawEllipse(QRectF(r.right() - 12, r.top() + 2, 10, 10))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802  # Qt override
        for i in range(len(self.answered)):
            if self._rect(i).contains(event.position()):
                self.jump.emit(i)
                return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  # Qt override
        n = len(self.answered)
        moves = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -self.columns,
            Qt.Key.Key_Down: self.columns,
        }
        key = Qt.Key(event.key())
        if key in moves and n:
            self.focus_index = min(max(self.focus_index + moves[key], 0), n - 1)
            self.update()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and n:
            self.jump.emit(self.focus_index)
            return
        super().keyPressEvent(event)
