"""Settings screen and the first-run welcome, through real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate

from studyapp.ui.screens.settings import SettingsScreen
from tests import shipped
from tests.ui.conftest import open_app, settle, stop_app


@pytest.mark.welcome
def test_first_run_welcome_stores_exam_date_and_goal(qtbot, paths, clock):
    """The welcome appears once, after the CETL pack is imported, and saves its answers."""
    c = open_app(qtbot, paths, clock)
    qtbot.waitUntil(lambda: c.welcome is not None, timeout=20_000)
    welcome = c.welcome
    from PySide6.QtWidgets import QLabel

    assert any(
        f"{shipped.QUESTIONS:,} questions" in label.text() for label in welcome.findChildren(QLabel)
    )
    welcome.has_date.setChecked(True)
    welcome.exam_date.setDate(QDate(2027, 3, 15))
    welcome.goal.setValue(45)
    welcome.accept()
    settle(qtbot, c)
    settings = c.profile.settings()
    assert (settings.exam_date, settings.daily_goal_minutes, settings.welcome_done) == (
        "2027-03-15",
        45,
        True,
    )
    stop_app(c)
    c2 = open_app(qtbot, paths, clock)
    settle(qtbot, c2)
    assert c2.welcome is None, "the welcome is shown once per profile"
    stop_app(c2)


def test_settings_save_as_they_change_and_theme_applies(app_controller, qtbot):
    """Changing a control stores it at once; the theme switches immediately."""
    c = app_controller
    c.window.show_screen(SettingsScreen)
    screen = c.window.screen_of(SettingsScreen)
    qtbot.waitUntil(
        lambda: screen.settings is not None and screen.framework is not None, timeout=20_000
    )
    settle(qtbot, c)
    screen.new_limit.setValue(35)
    screen.retention.setValue(0.85)
    screen.raw_cut.setValue(65)
    screen.theme.setCurrentIndex(screen.theme.findData("dark"))
    settle(qtbot, c)
    s = c.profile.settings()
    assert (s.daily_new_limit, s.desired_retention, s.assumed_raw_cut, s.theme) == (
        35,
        0.85,
        0.65,
        "dark",
    )
    assert c.theme == "dark"
    assert "CoSN publishes" in screen.caveat.text() and "assumptions" in screen.caveat.text()


def test_exam_date_can_be_set_and_cleared(app_controller, qtbot):
    """The exam date checkbox stores a date or none."""
    c = app_controller
    c.window.show_screen(SettingsScreen)
    screen = c.window.screen_of(SettingsScreen)
    qtbot.waitUntil(lambda: screen.framework is not None, timeout=20_000)
    settle(qtbot, c)
    screen.has_exam.setChecked(True)
    screen.exam_date.setDate(QDate(2027, 1, 20))
    settle(qtbot, c)
    assert c.profile.settings().exam_date == "2027-01-20"
    screen.has_exam.setChecked(False)
    settle(qtbot, c)
    assert c.profile.settings().exam_date is None


def test_font_size_setting_scales_headings_too(app_controller, qtbot):
    """Changing the font size keeps headings larger than body text by the same step."""
    from PySide6.QtWidgets import QLabel

    c = app_controller
    c.window.show_screen(SettingsScreen)
    screen = c.window.screen_of(SettingsScreen)
    qtbot.waitUntil(lambda: screen.framework is not None, timeout=20_000)
    settle(qtbot, c)
    heading = next(w for w in screen.findChildren(QLabel) if w.text() == "Settings")
    before = heading.font().pointSize()
    screen.font_size.setValue(16)
    settle(qtbot, c)
    assert c.app.font().pointSize() == 16
    assert heading.font().pointSize() == 16 + 5 and heading.font().pointSize() > before


def _settings_screen(c, qtbot):
    c.window.show_screen(SettingsScreen)
    screen = c.window.screen_of(SettingsScreen)
    qtbot.waitUntil(lambda: screen.framework is not None, timeout=20_000)
    settle(qtbot, c)
    return screen


def _click(qtbot, widget):
    from PySide6.QtCore import Qt

    widget.window().activateWindow()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def test_ticking_exam_date_saves_a_future_date(app_controller, qtbot):
    """Regression (issue 18): ticking the box saved the 1st of this month, in the past,
    and Home's countdown vanished; now it saves a date ahead and the countdown is positive."""
    from datetime import date

    from studyapp.services.study.service import StudyService

    c = app_controller
    screen = _settings_screen(c, qtbot)
    _click(qtbot, screen.has_exam)
    settle(qtbot, c)
    stored = c.profile.settings().exam_date
    assert stored is not None and date.fromisoformat(stored) > date(2026, 11, 23)
    assert StudyService(c.profile).stats().days_to_exam > 0
    assert screen.exam_error.isHidden()


def test_typing_a_past_exam_date_is_refused_beside_the_field(app_controller, qtbot):
    """Regression (issue 18): a past date typed in Settings was stored silently; now it
    is refused with the welcome dialog's rule, explained beside the field, nothing stored."""
    from PySide6.QtCore import Qt

    c = app_controller
    screen = _settings_screen(c, qtbot)
    _click(qtbot, screen.has_exam)
    settle(qtbot, c)
    before = c.profile.settings().exam_date
    editor = screen.exam_date
    editor.setFocus()
    shown = editor.date()
    editor.setSelectedSection(editor.Section.YearSection)
    qtbot.keyClicks(editor, "2020")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot, c)
    assert editor.date() == QDate(2020, shown.month(), shown.day()), "the typed year is shown"
    assert c.profile.settings().exam_date == before, "nothing stored"
    assert screen.exam_error.isVisible()
    assert "must be after today: choose 24 November 2026 or later" in screen.exam_error.text()


def test_target_framework_choice_lists_installed_frameworks(app_controller, qtbot, tmp_path):
    """The Settings screen offers every installed framework and stores the choice."""
    from dataclasses import replace

    from PySide6.QtCore import Qt

    from studyapp.domain.framework import framework_from_dict
    from studyapp.services.packs.service import PackService
    from tests.packs.factory import pack, question, write_dir
    from tests.test_cli_settings import _state_framework

    c = app_controller
    p = pack([question("n1", "networks"), question("s1", "staffing")], pack_id="state")
    p = replace(
        p,
        manifest=replace(p.manifest, framework="state-cto"),
        framework=framework_from_dict(_state_framework()),
    )
    c.run_op(lambda prof: PackService(prof).import_pack(write_dir(p, tmp_path / "state")))
    settle(qtbot, c)
    screen = _settings_screen(c, qtbot)
    screen.refresh()
    settle(qtbot, c)
    titles = [screen.target.itemText(i) for i in range(screen.target.count())]
    assert "State CTO Certificate" in titles and screen.target.isVisible()
    assert screen.target.currentData() == "cetl"
    screen.target.setFocus()
    qtbot.keyClick(screen.target, Qt.Key.Key_Down)  # cetl, then state-cto (by id)
    settle(qtbot, c)
    assert c.profile.settings().target_framework == "state-cto"
    assert "State CTO Certificate" in screen.caveat.text()


def test_daily_goal_shows_what_it_means_in_questions(app_controller, qtbot):
    """Changing the daily goal stores it and the screen says how many questions it holds."""
    from PySide6.QtCore import Qt

    c = app_controller
    screen = _settings_screen(c, qtbot)
    assert "daily goal of 30 minutes is about 40 questions" in screen.goal_note.text()
    screen.goal.setFocus()
    screen.goal.selectAll()
    qtbot.keyClicks(screen.goal, "10")
    qtbot.keyClick(screen.goal, Qt.Key.Key_Return)
    settle(qtbot, c)
    assert c.profile.settings().daily_goal_minutes == 10
    qtbot.waitUntil(lambda: "10 minutes is about 13 questions" in screen.goal_note.text())


def test_your_name_is_stored_when_typed(app_controller, qtbot):
    """The name typed in 'Your name' is stored (trimmed) when editing ends."""
    from PySide6.QtCore import Qt

    c = app_controller
    screen = _settings_screen(c, qtbot)
    screen.display_name.setFocus()
    qtbot.keyClicks(screen.display_name, "Ana Ruiz ")
    qtbot.keyClick(screen.display_name, Qt.Key.Key_Return)
    settle(qtbot, c)
    assert c.profile.settings().display_name == "Ana Ruiz"
