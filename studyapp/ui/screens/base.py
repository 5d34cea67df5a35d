"""What every screen has: a title, a shortcut, staleness, and refresh-when-shown.

A screen loads its data with ``controller.query`` (off the GUI thread) in :meth:`refresh`.
When an operation reports :class:`~studyapp.services.changes.Change` flags that intersect
``depends_on``, the screen is marked stale; the window refreshes a stale screen when it is
shown (Anki's habit), so hidden screens cost nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from studyapp.services.changes import Change

if TYPE_CHECKING:
    from studyapp.ui.context import ScreenContext


class Screen(QWidget):
    """Base class of the screens in the main window's navigation."""

    title: ClassVar[str] = ""
    depends_on: ClassVar[Change] = Change.ALL

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__()
        self.controller = controller
        self.stale = True
        self.setObjectName(f"{type(self).__name__[0].lower()}{type(self).__name__[1:]}")
        self.setAccessibleName(self.title)

    def refresh(self) -> None:
        """Reload what the screen shows (override; runs only when shown and stale)."""
        self.stale = False

    def on_changes(self, changes: Change) -> None:
        """Mark the screen stale when something it shows changed."""
        if changes & self.depends_on:
            self.stale = True

    def on_theme_changed(self) -> None:
        """Repaint custom-coloured parts after a theme switch (override if needed)."""
        self.update()

    def leave_allowed(self) -> bool:
        """False while leaving would lose work (the screen asks the user itself)."""
        return True


def scroll_page(container: QWidget, spacing: int = 12) -> QVBoxLayout:
    """Fill ``container`` with a frameless scroll area; return its content layout.

    Every screen page scrolls the same way, with the same margins, so long content and
    large font sizes never clip.
    """
    outer = QVBoxLayout(container)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(28, 24, 28, 24)
    layout.setSpacing(spacing)
    scroll.setWidget(body)
    return layout
