"""Light and dark palettes on the Fusion style, and the font size setting.

Colours are chosen for WCAG AA contrast (4.5:1 or better for text) in both themes.
"system" follows the platform's colour scheme where Qt can read it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

LIGHT = {
    "window": "#f6f7f9",
    "base": "#ffffff",
    "alt": "#eef1f5",
    "text": "#1b1f24",
    "muted": "#4f5864",
    "button": "#e9edf2",
    "highlight": "#1f5fbf",
    "hl_text": "#ffffff",
    "link": "#1a56b0",
    "good": "#1b7a3d",
    "bad": "#b3261e",
    "warn": "#8a5a00",
}
DARK = {
    "window": "#1d2025",
    "base": "#24282e",
    "alt": "#2b3037",
    "text": "#e8eaed",
    "muted": "#aab2bd",
    "button": "#313740",
    "highlight": "#5b9bf0",
    "hl_text": "#0b0d10",
    "link": "#8ab4f8",
    "good": "#6fcf8e",
    "bad": "#f28b82",
    "warn": "#f2c36b",
}


def resolve_theme(name: str, app: QApplication) -> str:
    """'light' or 'dark' for a setting of light, dark or system."""
    if name in ("light", "dark"):
        return name
    scheme = app.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def colours(theme: str) -> dict[str, str]:
    """The named colours of a resolved theme."""
    return DARK if theme == "dark" else LIGHT


def apply_theme(app: QApplication, name: str, font_size: int) -> str:
    """Apply palette and font; returns the resolved theme ('light' or 'dark')."""
    theme = resolve_theme(name, app)
    c = colours(theme)
    app.setStyle("Fusion")
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"],
        QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"],
        QPalette.ColorRole.AlternateBase: c["alt"],
        QPalette.ColorRole.Text: c["text"],
        QPalette.ColorRole.Button: c["button"],
        QPalette.ColorRole.ButtonText: c["text"],
        QPalette.ColorRole.Highlight: c["highlight"],
        QPalette.ColorRole.HighlightedText: c["hl_text"],
        QPalette.ColorRole.Link: c["link"],
        QPalette.ColorRole.ToolTipBase: c["base"],
        QPalette.ColorRole.ToolTipText: c["text"],
        QPalette.ColorRole.PlaceholderText: c["muted"],
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["muted"]))
    app.setPalette(pal)
    font = QFont(app.font())
    font.setPointSize(font_size)
    app.setFont(font)
    return theme
