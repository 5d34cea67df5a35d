"""Plain-text labels whose bold and relative size follow the font-size setting.

Every screen builds its labels with :func:`plain` (data is never read as markup), and the
window calls :func:`refresh_fonts` after a font-size change. They lived in the Home
screen's module; a widget module lets the screens share them without importing Home.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget


def plain(text: str, *, bold: bool = False, size_delta: int = 0, wrap: bool = False) -> QLabel:
    """A label that shows ``text`` literally (data is never interpreted as markup)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if bold or size_delta:
        # Remembered, so :func:`refresh_fonts` can follow the font-size setting.
        label.setProperty("size_delta", size_delta)
        label.setProperty("bold", bold)
        apply_font(label, label.font().pointSize())
    return label


def apply_font(label: QLabel, base_size: int) -> None:
    """Give a :func:`plain` label its bold and relative size over ``base_size``."""
    font = QFont(label.font())
    font.setBold(bool(label.property("bold")))
    font.setPointSize(max(6, base_size + int(label.property("size_delta") or 0)))
    label.setFont(font)


def refresh_fonts(root: QWidget, base_size: int) -> None:
    """After a font-size change: headings keep their size relative to the new base."""
    for label in root.findChildren(QLabel):
        if label.property("size_delta") is not None:
            apply_font(label, base_size)
