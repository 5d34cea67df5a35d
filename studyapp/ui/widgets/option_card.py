"""One answer option as a large, keyboard-reachable target, with its feedback."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from studyapp.ui.theme import colours
from studyapp.ui.widgets.rendered import FittedText

KEYS = "ABCDEFGH"


class OptionCard(QFrame):
    """A checkable card: key letter, option text; after submitting, right/wrong and why."""

    toggled = Signal()

    def __init__(self, index: int, option_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.option_id = option_id
        self.checked = False
        self.locked = False
        self.theme = "light"
        self._state = "idle"  # idle | right | wrong | missed | neutral
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 10, 12, 10)
        row.setSpacing(12)
        self.key = QLabel(f"{KEYS[index]}")
        # Remembered, so refresh_fonts keeps the letter 2 pt over a changed font size.
        self.key.setProperty("bold", True)
        self.key.setProperty("size_delta", 2)
        font = QFont(self.key.font())
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.key.setFont(font)
        self.key.setFixedWidth(28)
        self.key.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        row.addWidget(self.key)
        col = QVBoxLayout()
        col.setSpacing(4)
        self.text = FittedText()
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.text.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        col.addWidget(self.text)
        self.verdict = QLabel("")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.verdict.font())
        bold.setBold(True)
        self.verdict.setFont(bold)
        self.verdict.hide()
        col.addWidget(self.verdict)
        self.rationale = FittedText()
        self.rationale.hide()
        col.addWidget(self.rationale)
        row.addLayout(col, 1)
        self.setMinimumHeight(52)

    def set_content(self, text: str, media: Mapping[str, bytes], plain_text: str) -> None:
        self.text.set_markdown(text, media)
        self.setAccessibleName(f"Option {KEYS[self.index]}: {plain_text[:120]}")

    def set_checked(self, value: bool) -> None:
        if self.locked:
            return
        self.checked = value
        self._paint()

    def show_feedback(
        self, correct: bool, chosen: bool, rationale: str, media: Mapping[str, bytes]
    ) -> None:
        self.locked = True
        if correct and chosen:
            self._state, verdict = "right", "✓ Correct answer — you chose it"
        elif correct:
            self._state, verdict = "missed", "✓ Correct answer"
        elif chosen:
            self._state, verdict = "wrong", "✗ Your choice — not correct"
        else:
            self._state, verdict = "neutral", "Not correct"
        self.verdict.setText(verdict)
        self.verdict.show()
        self.rationale.set_markdown(rationale, media)
        self.rationale.show()
        self.setAccessibleDescription(f"{verdict}. {rationale[:200]}")
        self._paint()

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self._paint()

    def _paint(self) -> None:
        c = colours(self.theme)
        colour = {"right": c["good"], "missed": c["good"], "wrong": c["bad"]}.get(
            self._state, c["muted"]
        )
        vp = self.verdict.palette()
        vp.setColor(QPalette.ColorRole.WindowText, QColor(colour))
        self.verdict.setPalette(vp)
        self.key.setText(("✓" if self.checked and self._state == "idle" else "") + KEYS[self.index])
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802  # Qt override
        c = colours(self.theme)
        border = {"right": c["good"], "missed": c["good"], "wrong": c["bad"]}.get(
            self._state, c["highlight"] if self.checked else c["muted"]
        )
        background = c["alt"] if self.checked and self._state == "idle" else c["base"]
        width = 3 if self.checked or self._state in ("right", "missed", "wrong") else 1
        if self.hasFocus():
            width = max(width, 2)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(border), width))
        p.setBrush(QColor(background))
        half = width / 2
        p.drawRoundedRect(QRectF(half, half, self.width() - width, self.height() - width), 8, 8)
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802  # Qt override
        if event.button() == Qt.MouseButton.LeftButton and not self.locked:
            self.setFocus()
            self.toggled.emit()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  # Qt override
        if event.key() == Qt.Key.Key_Space and not self.locked:
            self.toggled.emit()
            return
        super().keyPressEvent(event)


class VerdictBanner(QFrame):
    """The verdict after an answer, large and coloured, in words and with a mark
    ("✓ Correct", "✗ Not quite: the answer is B"), so colour is never the only cue.

    Its text is drawn in the theme's good or bad colour on the theme's base colour; both
    pairs meet WCAG AA (4.5:1) in the light and the dark theme.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.correct = False
        self.theme = "light"
        col = QVBoxLayout(self)
        col.setContentsMargins(14, 10, 14, 10)
        col.setSpacing(4)
        self.headline = QLabel("")
        self.headline.setObjectName("verdictHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        self.headline.setProperty("bold", True)
        self.headline.setProperty("size_delta", 3)
        col.addWidget(self.headline)
        self.detail = QLabel("")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.hide()
        col.addWidget(self.detail)
        self.setAccessibleName("Verdict")
        self.hide()

    def show_verdict(self, correct: bool, headline: str, detail: str = "") -> None:
        """Show ``headline`` (with its mark) and an optional ``detail`` line."""
        self.correct = correct
        self.headline.setText(f"{'✓' if correct else '✗'} {headline}")
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleDescription(f"{headline} {detail}".strip())
        self._paint()
        self.show()

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self._paint()

    def text_colours(self) -> tuple[str, str]:
        """(text colour, background colour) of the headline, as drawn."""
        c = colours(self.theme)
        return (c["good"] if self.correct else c["bad"]), c["base"]

    def _paint(self) -> None:
        fg, bg = self.text_colours()
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSize(font.pointSize() + 3)
        self.headline.setFont(font)
        self.setStyleSheet(
            f"QFrame#verdictBanner {{ background: {bg}; border: 2px solid {fg}; "
            f"border-radius: 8px; }} QLabel#verdictHeadline {{ color: {fg}; }}"
        )
