"""The exam screens at the minimum window (880x600) and large fonts: nothing clipped or
overlapping, no sideways scrolling; the navigator's flag dot visible in both themes."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QPushButton, QScrollArea, QWidget

from studyapp.domain.exam_code import decode_code
from studyapp.ui.theme import colours
from studyapp.ui.widgets.navigator import Navigator
from tests.ui.conftest import settle
from tests.ui.test_exam import DialogAnswerer, _open_exam, start_exam


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rect_in(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())


def _check_buttons(root: QWidget) -> None:
    """Every visible button shows its whole text, inside ``root``, overlapping no other."""
    buttons = [b for b in root.findChildren(QPushButton) if b.isVisibleTo(root)]
    assert buttons
    area = root.rect()
    for b in buttons:
        text = b.text().replace("&", "")
        need = QFontMetrics(b.font()).horizontalAdvance(text) + 8
        assert b.width() >= need, f"{text!r} is {b.width()} px wide, its text needs {need}"
        assert b.width() >= b.minimumSizeHint().width(), f"{text!r} squeezed"
        rect = _rect_in(b, root)
        assert area.contains(rect), f"{text!r} at {rect} is cut by the page edge {area}"
        assert b.visibleRegion().boundingRect() == b.rect(), f"{text!r} is partly hidden"
    for i, a in enumerate(buttons):
        for b in buttons[i + 1 :]:
            assert not _rect_in(a, root).intersects(_rect_in(b, root)), (a.text(), b.text())


def _no_sideways_scroll(root: QWidget) -> None:
    for area in root.findChildren(QScrollArea):
        if area.isVisibleTo(root):
            assert not area.horizontalScrollBar().isVisible(), area.objectName() or area


@pytest.mark.parametrize("size", [14, 18])
def test_exam_buttons_fit_at_the_minimum_window_and_large_fonts(app_controller, qtbot, size):
    """At 880x600 and 14 / 18 pt, no exam button is clipped, cut off or overlapped."""
    c = app_controller
    c.set_theme("light", size)
    c.window.resize(880, 600)
    screen = _open_exam(c, qtbot)
    qtbot.wait(50)
    _no_sideways_scroll(screen.setup_page)
    screen, sitting = start_exam(c, qtbot)
    qtbot.wait(50)
    _check_buttons(sitting)
    assert sitting.clock.font().pointSize() == size + 6  # the countdown follows the setting
    qtbot.mouseClick(sitting.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.view.status == "paused", timeout=20_000)
    qtbot.wait(50)
    _check_buttons(sitting)
    qtbot.mouseClick(sitting.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.view.status == "running", timeout=20_000)
    qtbot.mouseClick(sitting.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.body.currentWidget() is sitting.review_page, timeout=20_000)
    qtbot.wait(50)
    _check_buttons(sitting)
    _no_sideways_scroll(sitting)
    answerer = DialogAnswerer(qtbot, "Hand in")
    qtbot.mouseClick(sitting.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.results_page, timeout=30_000)
    answerer.stop()
    settle(qtbot, c)
    qtbot.wait(50)
    _check_buttons(screen.results_page)
    screen.results.open_review()
    qtbot.wait(50)
    _check_buttons(screen.results_page)
    _no_sideways_scroll(screen.results_page)


def test_setup_skill_areas_are_legible_at_18pt(app_controller, qtbot):
    """Skill-area rows get their full height and do not overlap; "Hide the questions while
    paused" is not among them; the page needs no sideways scrolling."""
    c = app_controller
    c.set_theme("light", 18)
    c.window.resize(880, 600)
    screen = _open_exam(c, qtbot)
    qtbot.wait(50)
    page = screen.setup_page
    rows = []
    for box in screen.skill_checks.values():
        row = box if box.text() else box.parentWidget()  # a box, or the row holding its label
        rows.append(_rect_in(row, page))
        need = row.heightForWidth(row.width()) if row.hasHeightForWidth() else -1
        need = max(need, row.minimumSizeHint().height())
        assert row.height() >= need, f"{box.accessibleName()}: {row.height()} < {need}"
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            assert not a.intersects(b), (a, b)
    span = rows[0].united(rows[-1])
    hide = _rect_in(screen.hide_paused, page)
    assert not (span.top() <= hide.center().y() <= span.bottom()), "hide box among the skills"
    _no_sideways_scroll(page)


def test_example_exam_code_is_a_code_that_decodes(app_controller, qtbot):
    """The code the setup shows as an example is accepted by the code parser."""
    screen = _open_exam(app_controller, qtbot)
    shown = screen.code.placeholderText()
    found = re.search(r"[A-Z]+-\d+-[0-9A-Z]+", shown)
    assert found, shown
    assert decode_code(found.group(0)).length == 100


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("answered", [True, False])
def test_flag_dot_stands_out_on_every_cell(qtbot, theme, answered):
    """The flag dot has 3:1 contrast or better against the cell fill, answered or not."""
    nav = Navigator()
    qtbot.addWidget(nav)
    nav.theme = theme
    nav.set_state([answered, answered], [True, False], current=1)
    image = nav.grab().toImage()
    r = nav._rect(0).toRect()
    fill = QColor(colours(theme)["highlight"] if answered else colours(theme)["base"])
    assert image.pixelColor(r.center().x() - 6, r.bottom() - 5) == fill  # a plain fill spot
    best = max(
        contrast(image.pixelColor(x, y), fill)
        for x in range(r.right() - 12, r.right() - 2)
        for y in range(r.top() + 3, r.top() + 13)
    )
    assert best >= 3.0, f"flag dot contrast {best:.2f}"


def test_the_countdown_follows_a_font_change_the_page_missed(app_controller, qtbot):
    """A sitting page whose labels kept an older font size (a change it did not hear of)
    shows the countdown at the current size once the exam starts (CI once saw 17 pt at 18)."""
    c = app_controller
    c.set_theme("light", 11)
    screen = _open_exam(c, qtbot)
    app = c.app
    font = app.font()
    font.setPointSize(18)
    app.setFont(font)  # no theme_changed: the window does not refresh the labels
    try:
        assert screen.sitting.clock.font().pointSize() == 17  # built at 11 + 6
        _screen, sitting = start_exam(c, qtbot)
        qtbot.wait(50)
        assert sitting.clock.font().pointSize() == 24
    finally:
        c.set_theme("light", 11)
