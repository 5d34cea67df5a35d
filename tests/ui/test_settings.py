"""Settings screen and the first-run welcome, through real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate

from studyapp.ui.application import make_application
from studyapp.ui.controller import AppController
from studyapp.ui.screens.settings import SettingsScreen
from tests.ui.conftest import settle


@pytest.mark.welcome
def test_first_run_welcome_stores_exam_date_and_goal(qtbot, paths, clock):
    """The welcome appears once, after the CETL pack is imported, and saves its answers."""
    app = make_application()
    c = AppController(app, paths, clock)
    qtbot.addWidget(c.window)
    c.window.show()
    with qtbot.waitSignal(c.profile_opened, timeout=60_000):
        c.open_profile()
    qtbot.waitUntil(lambda: c.welcome is not None, timeout=20_000)
    welcome = c.welcome
    from PySide6.QtWidgets import QLabel

    assert any("317 questions" in label.text() for label in welcome.findChildren(QLabel))
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
    c.window.close()
    c.shutdown()
    c2 = AppController(app, paths, clock)
    qtbot.addWidget(c2.window)
    c2.window.show()
    with qtbot.waitSignal(c2.profile_opened, timeout=60_000):
        c2.open_profile()
    settle(qtbot, c2)
    assert c2.welcome is None, "the welcome is shown once per profile"
    c2.window.close()
    c2.shutdown()


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
