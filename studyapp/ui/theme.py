"""Light and dark palettes on the Fusion style, and the font size setting.

Colours are chosen for WCAG AA contrast (4.5:1 or better for text) in both themes.
"system" follows the platform's colour scheme where Qt can read it.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette, QPen
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
    if app.style().name().lower() != "fusion":
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
    side = max(10, round(QFontMetrics(font).height() * 0.6))
    app.setStyleSheet(indicator_style_sheet(c, side))
    return theme


def indicator_style_sheet(c: dict[str, str], side: int = 10) -> str:
    """Check boxes and radio buttons whose indicator can be seen, ticked or not.

        Fusion outlines an indicator in ``window.darker(140)``: about 1.1:1 against the dark
        theme's background and 1.7:1 in the light one, so an unticked box all but vanishes.
        WCAG 2.1 (1.4.11) asks 3:1 for what identifies a control. Here an unticked box is
        outlined in the "muted" colour (over 5:1 against every background of both themes), a
        ticked one is filled with the highlight colour (over 4:1) and carries its check mark
        in the highlighted-text colour. ``side`` (px, inside the 2 px border) follows the font,
    so a box stays a comfortable target at 18 pt. (A Python
        ``QProxyStyle`` would be the other way, but PySide6 6.12 on Python 3.11 drops a
        reference to ``None`` each time Qt calls such an override with a null widget, and the
        interpreter soon crashes.)
    """
    check = indicator_image("check", c["hl_text"])
    check_off = indicator_image("check", c["muted"])
    dot = indicator_image("dot", c["highlight"])
    dot_off = indicator_image("dot", c["muted"])
    size = f"width: {side}px; height: {side}px;"
    boxes = "QCheckBox::indicator{s}, QAbstractItemView::indicator{s}"
    radios = "QRadioButton::indicator{s}"

    def both(state: str) -> str:
        return f"{boxes.format(s=state)}, {radios.format(s=state)}"

    return "\n".join(
        (
            f"{both(':unchecked')} {{ border: 2px solid {c['muted']}; "
            f"background: {c['base']}; {size} }}",
            f"{boxes.format(s=':checked')} {{ border: 2px solid {c['highlight']}; "
            f"background: {c['highlight']}; image: url({check}); {size} }}",
            f"{radios.format(s=':checked')} {{ border: 2px solid {c['highlight']}; "
            f"background: {c['base']}; image: url({dot}); {size} }}",
            f"{boxes.format(s='')} {{ border-radius: 3px; }}",
            f"{radios.format(s='')} {{ border-radius: {(side + 4) // 2}px; }}",
            f"{both(':unchecked:hover')}, {both(':unchecked:focus')} "
            f"{{ border-color: {c['highlight']}; }}",
            f"{both(':unchecked:disabled')} {{ border-color: {c['alt']}; }}",
            f"{boxes.format(s=':checked:disabled')} {{ border-color: {c['alt']}; "
            f"background: {c['alt']}; image: url({check_off}); }}",
            f"{radios.format(s=':checked:disabled')} {{ border-color: {c['muted']}; "
            f"image: url({dot_off}); }}",
        )
    )


_MARKS: dict[tuple[str, str], str] = {}


def indicator_image(shape: str, colour: str) -> str:
    """Path of a PNG of a check mark or a dot in ``colour`` (drawn once per process).

    Style sheets take an indicator's mark only as an image file; it is drawn here with
    QPainter at 40 px (the style sheet scales it down), so no image has to ship with the
    app. The files live in a private temporary folder removed at exit.
    """
    key = (shape, colour)
    if key in _MARKS:
        return _MARKS[key]
    if not _MARKS:
        folder = tempfile.mkdtemp(prefix="studyapp-marks-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _MARKS[("", "")] = folder
    target = Path(_MARKS[("", "")]) / f"{shape}-{colour.lstrip('#')}.png"
    image = QImage(40, 40, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if shape == "dot":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(colour))
        p.drawEllipse(QPointF(20, 20), 11, 11)
    else:
        pen = QPen(QColor(colour), 6.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.drawPolyline([QPointF(8, 21), QPointF(16, 29), QPointF(32, 11)])
    p.end()
    image.save(str(target))  # PNG, from the file name
    _MARKS[key] = target.as_posix()
    return _MARKS[key]
