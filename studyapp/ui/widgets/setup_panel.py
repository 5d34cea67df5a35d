"""What the first start is doing, with a real progress bar.

A profile's first start creates the database and imports the shipped question bank, a
few seconds on a slow computer. The work runs on the worker thread and reports
``(done, total, text)``; this panel, at the top of the main window, shows the text and a
bar (busy while the total is unknown, then done of total) and hides when the profile is
open.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget


class SetupPanel(QFrame):
    """A heading, a progress bar and a note; hidden unless set-up work is running."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 18)
        layout.setSpacing(8)
        self.label = QLabel("")
        self.label.setObjectName("setupText")
        self.label.setWordWrap(True)
        self.label.setProperty("bold", True)
        self.label.setProperty("size_delta", 2)  # kept relative by refresh_fonts
        font = QFont(self.label.font())
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.bar = QProgressBar()
        self.bar.setObjectName("setupProgress")
        self.bar.setAccessibleName("Setting up StudyApp")
        self.bar.setTextVisible(True)
        layout.addWidget(self.bar)
        self.note = QLabel("This happens once, on the first start. It takes a few seconds.")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.hide()

    def report(self, done: int, total: int, text: str) -> None:
        """Show ``text`` and the bar: busy while ``total`` is 0, else ``done`` of it."""
        self.label.setText(text)
        self.bar.setMaximum(max(total, 0))
        self.bar.setValue(min(done, total) if total else 0)
        self.bar.setFormat("%v of %m" if total else "")
        self.show()

    def finish(self) -> None:
        """Set-up is over (opened or failed): the panel goes away."""
        self.hide()
