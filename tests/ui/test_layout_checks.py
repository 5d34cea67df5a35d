"""The layout audit's checks (:mod:`tests.ui.layout_audit`) can fail, and what they
found in the theme and the charts stays fixed.

Each check gets a deliberately broken widget and must report it; a sound layout must
report nothing. The theme's check boxes, its colour pairs and the heatmap's month names
are checked here too.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.ui.application import make_application
from studyapp.ui.theme import apply_theme, colours
from studyapp.ui.widgets.charts import CalendarHeatmap
from tests.ui.layout_audit import (
    CONTROL_CONTRAST,
    TEXT_CONTRAST,
    Finding,
    audit,
    check_contrast,
    check_dialog_size,
    check_overlap,
    check_scrolling,
    check_text,
    contrast,
)


# ------------------------------------------------------------ the checks can fail
def _shown(qtbot, widget: QWidget, width: int = 400, height: int = 200) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _problems(findings: list[Finding]) -> list[str]:
    return [f"{f.widget}: {f.problem}" for f in findings]


def test_checker_reports_a_clipped_label(qtbot):
    """A label narrower than its text is reported with its text and the widths."""
    root = _shown(qtbot, QWidget())
    label = QLabel("Question 5 of 10 · 4 answered · 1 flagged", root)
    label.setGeometry(0, 0, 60, 30)
    label.show()
    found = _problems(check_text(root, "test"))
    assert any("Question 5 of 10" in p and "(clipped)" in p for p in found), found


def test_checker_reports_wrapped_text_without_the_height_it_needs(qtbot):
    """A word-wrapped label squeezed below its height for its width is reported."""
    root = _shown(qtbot, QWidget())
    label = QLabel("A long explanation that wraps over several lines at this width " * 3, root)
    label.setWordWrap(True)
    label.setGeometry(0, 0, 150, 20)
    label.show()
    found = _problems(check_text(root, "test"))
    assert any("wrapped text needs" in p for p in found), found


def test_checker_reports_clipped_buttons_and_check_boxes(qtbot):
    """A push button or check box narrower than its text is reported."""
    root = _shown(qtbot, QWidget())
    button = QPushButton("Review and hand in (R)", root)
    button.setGeometry(0, 0, 70, 30)
    box = QCheckBox("Hide the questions while paused", root)
    box.setGeometry(0, 40, 80, 30)
    button.show()
    box.show()
    found = _problems(check_text(root, "test"))
    assert any("QPushButton 'Review and hand in (R)'" in p for p in found), found
    assert any("QCheckBox 'Hide the questions while paused'" in p for p in found), found


def test_checker_reports_a_widget_cut_off_by_its_parent(qtbot):
    """A label that sticks out of its parent is reported as cut off."""
    root = _shown(qtbot, QWidget())
    panel = QWidget(root)
    panel.setGeometry(0, 0, 100, 40)
    label = QLabel("Hi", panel)
    label.setGeometry(80, 0, 60, 30)
    panel.show()
    label.show()
    found = _problems(check_text(root, "test"))
    assert any("cut off by its parent" in p for p in found), found


def test_checker_reports_sideways_scrolling(qtbot):
    """A scroll area whose content is wider than its view is reported."""
    area = QScrollArea()
    wide = QWidget()
    wide.setMinimumWidth(900)
    area.setWidget(wide)
    _shown(qtbot, area, 300, 200)
    found = _problems(check_scrolling(area, "test"))
    assert any("horizontal scroll bar shown" in p for p in found), found


def test_checker_reports_overlapping_siblings(qtbot):
    """Two visible sibling widgets that overlap are reported, with both named."""
    root = _shown(qtbot, QWidget())
    a, b = QPushButton("Start", root), QPushButton("Stop", root)
    a.setGeometry(0, 0, 100, 30)
    b.setGeometry(50, 10, 100, 30)
    a.show()
    b.show()
    found = _problems(check_overlap(root, "test"))
    assert any("'Start'" in p and "'Stop'" in p and "overlap" in p for p in found), found


def test_checker_reports_a_dialog_larger_than_the_screen(qtbot):
    """A dialog taller than 768 px is reported."""
    dialog = QDialog()
    dialog.setObjectName("tallDialog")
    _shown(qtbot, dialog, 500, 1100)
    found = _problems(check_dialog_size(dialog, "test"))
    assert any("#tallDialog" in p and "does not fit" in p for p in found), found


def test_checker_reports_low_contrast_text(qtbot):
    """Grey text on a grey background (about 1.3:1) is reported."""
    root = QWidget()
    pal = root.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#808080"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#999999"))
    root.setPalette(pal)
    root.setAutoFillBackground(True)
    QLabel("Hard to read", root).setGeometry(10, 10, 200, 30)
    _shown(qtbot, root)
    found = _problems(check_contrast(root, "test"))
    assert any("'Hard to read'" in p and "text contrast" in p for p in found), found


def test_checker_passes_a_sound_layout(qtbot):
    """A laid-out form in the app's theme has nothing to report (the checks are not noise)."""
    apply_theme(make_application(), "dark", 11)
    root = QWidget()
    layout = QVBoxLayout(root)
    layout.addWidget(QLabel("Exam date"))
    layout.addWidget(QCheckBox("I have an exam date"))
    layout.addWidget(QPushButton("Save"))
    _shown(qtbot, root)
    assert audit(root, "test") == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_unticked_check_boxes_can_be_seen(qtbot, theme):
    """An unticked and a ticked check box reach 3:1 against the background in both themes
    (Fusion's own unticked box had 1.1:1 in the dark theme and 1.7:1 in the light one)."""
    app = make_application()
    apply_theme(app, theme, 11)
    root = QWidget()
    layout = QVBoxLayout(root)
    layout.addWidget(QCheckBox("I guessed"))
    ticked = QCheckBox("Back up automatically every day")
    ticked.setChecked(True)
    layout.addWidget(ticked)
    _shown(qtbot, root)
    assert check_contrast(root, theme) == []


def test_checker_reports_a_faint_check_box(qtbot):
    """Fusion's unticked box in the dark palette, without the theme's style sheet, is reported."""
    app = make_application()
    apply_theme(app, "dark", 11)
    root = QWidget()
    root.setStyleSheet("QCheckBox::indicator { border: 1px solid #23262b; background: #1d2025; }")
    QCheckBox("I guessed", root).setGeometry(10, 10, 200, 30)
    _shown(qtbot, root)
    found = _problems(check_contrast(root, "test"))
    assert any("'I guessed'" in p and "unticked indicator contrast" in p for p in found), found


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_theme_colours_meet_wcag_aa(theme):
    """Every text colour reaches 4.5:1 and the highlight 3:1 on every background of a theme."""
    c = colours(theme)
    backgrounds = ("window", "base", "alt", "button")
    for fg in ("text", "muted", "link", "good", "bad", "warn"):
        for bg in backgrounds:
            ratio = contrast(QColor(c[fg]), QColor(c[bg]))
            assert ratio >= TEXT_CONTRAST, f"{theme}: {fg} on {bg} is {ratio:.2f}:1"
    for bg in backgrounds:
        assert contrast(QColor(c["highlight"]), QColor(c[bg])) >= CONTROL_CONTRAST
    assert contrast(QColor(c["hl_text"]), QColor(c["highlight"])) >= TEXT_CONTRAST


# ------------------------------------------------------------ chart text
@pytest.mark.parametrize("points", [9, 18])
@pytest.mark.parametrize("width", [300, 420, 676, 760, 1100])
def test_heatmap_month_names_stay_inside_and_apart(qtbot, width, points):
    """Month names above the heatmap are never clipped at the right edge nor overlap,
    and the newest month is always named (its name used to be cut to "De")."""
    heatmap = CalendarHeatmap("Reviews per day")
    font = heatmap.font()
    font.setPointSize(points)
    heatmap.setFont(font)
    today = date(2026, 12, 7)
    heatmap.set_data([(today - timedelta(days=i), i % 5) for i in range(364, -1, -1)])
    _shown(qtbot, heatmap, width, heatmap.height_for(width))
    labels = heatmap.month_labels()
    assert labels and labels[-1][1] == "Dec"
    for box, text in labels:
        assert box.left() >= 0 and box.right() <= heatmap.width(), (text, box, heatmap.width())
        assert box.bottom() <= heatmap._geometry()[1], (text, box)
    for (a, _ta), (b, _tb) in pairwise(labels):
        assert a.right() < b.left(), (a, b)


def test_checker_reports_an_elided_tab(qtbot):
    """A tab squeezed narrower than its title (Qt elides it) is reported."""
    tabs = QTabWidget()
    tabs.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
    tabs.tabBar().setUsesScrollButtons(False)
    for title in ("Questions in every pack", "Installed packs and updates", "History"):
        tabs.addTab(QWidget(), title)
    _shown(qtbot, tabs, 180, 120)
    found = _problems(check_text(tabs, "test"))
    assert any("tab 'Questions in every pack'" in p and "(elided)" in p for p in found), found


@pytest.mark.parametrize("points", [9, 18])
@pytest.mark.parametrize("width", [300, 420, 676, 1100])
def test_heatmap_weekday_names_never_overlap(qtbot, width, points):
    """Mon/Wed/Fri beside the heatmap never overlap one another and stay inside the widget,
    also when the cells are smaller than the text (they overlapped at 18 pt in 880x600)."""
    heatmap = CalendarHeatmap("Reviews per day")
    font = heatmap.font()
    font.setPointSize(points)
    heatmap.setFont(font)
    today = date(2026, 12, 7)
    heatmap.set_data([(today - timedelta(days=i), i % 5) for i in range(364, -1, -1)])
    _shown(qtbot, heatmap, width, heatmap.height_for(width))
    labels = heatmap.day_labels()
    assert labels and labels[0][1] == "Mon"
    for box, _text in labels:
        assert box.top() >= 0 and box.bottom() <= heatmap.height(), (box, heatmap.height())
    for (a, _ta), (b, _tb) in pairwise(labels):
        assert a.bottom() <= b.top(), (a, b)
