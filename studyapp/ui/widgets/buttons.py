"""Buttons the screens share."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton


def action_button(text: str, tip: str, name_suffix: str = "_button") -> QPushButton:
    """A labelled action button: accessible name and object name from its text, a tooltip
    (where the shortcut is given), and a comfortable click target."""
    button = QPushButton(text)
    label = text.rstrip("…")
    button.setAccessibleName(label)
    button.setToolTip(tip)
    button.setMinimumHeight(32)
    button.setObjectName(label.replace(" ", "_").lower() + name_suffix)
    return button
