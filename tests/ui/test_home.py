"""Home through real widgets: Enter starts practice, a new profile shows no made-up
figures, and nothing clips at 880×600 with 14 and 18 pt fonts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from studyapp.services.demo import seed_demo_history
from studyapp.ui.screens.home import HomeScreen
from studyapp.ui.screens.practice import PracticeScreen
from studyapp.ui.widgets.mastery_bar import MasteryBar
from tests.ui.conftest import settle


def _home(c, qtbot) -> HomeScreen:
    c.window.show_screen(HomeScreen)
    home = c.window.screen_of(HomeScreen)
    home.stale = True
    home.refresh()
    settle(qtbot, c)
    qtbot.waitUntil(lambda: home.start_button.isEnabled(), timeout=30_000)
    return home


def test_enter_on_home_starts_practice(app_controller, qtbot):
    """Enter, wherever the focus is on the window, does what the default button says."""
    c = app_controller
    _home(c, qtbot)
    c.window.activateWindow()
    c.window.nav.setFocus()  # the navigation list has the focus, as after a click on Home
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    practice = c.window.screen_of(PracticeScreen)
    qtbot.waitUntil(lambda: c.window.stack.currentWidget() is practice, timeout=10_000)
    settle(qtbot, c)


def test_new_profile_shows_no_made_up_figures(app_controller, qtbot):
    """Before any answer: no mastery percentage, no weakest area, readiness says what it needs."""
    c = app_controller
    home = _home(c, qtbot)
    values = [w for w in home.findChildren(QLabel) if w.objectName().startswith("mastery-")]
    assert values and all(v.text().startswith("not practised yet") for v in values)
    assert not any("weakest" in w.text() for w in home.findChildren(QLabel))
    assert not any(bar.isVisible() for bar in home.findChildren(MasteryBar))
    assert home._readiness.text() == "Readiness: not estimated yet, too few answers"
    assert "Answer about 100 more questions across all 10 skill areas" in home._why.text()
    assert "exam weights" in home._suggestion.text()
    assert "600 of 800" in home._caption.text()  # the framework's own figures


def _clipped(home: HomeScreen) -> list[str]:
    """Visible labels whose text does not fit their box."""
    out = []
    for label in home.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        box = label.contentsRect()
        if label.wordWrap():
            if label.heightForWidth(label.width()) > label.height() + 1:
                out.append(label.text())
        elif label.fontMetrics().horizontalAdvance(label.text()) > box.width() + 1:
            out.append(label.text())
    return out


@pytest.mark.parametrize("size", [14, 18])
def test_home_text_fits_at_the_smallest_window_and_large_fonts(app_controller, qtbot, size):
    """At 880×600 with a week of practice, no label is cut and nothing scrolls sideways."""
    c = app_controller
    c.query(lambda p: seed_demo_history(p, days=7, per_day=18), lambda _n: None)
    settle(qtbot, c, 120_000)
    c.set_theme("light", size)
    c.window.resize(880, 600)
    home = _home(c, qtbot)
    qtbot.wait(50)
    assert "Welcome back" in home._heading.text()
    assert _clipped(home) == []
    scroll = home.findChild(QScrollArea)
    assert not scroll.horizontalScrollBar().isVisible()


def _sit_mock_exam_below_the_pass_line(profile) -> None:
    """A full-length mock exam, answered mostly wrong, handed in."""
    from studyapp.services.exams.service import ExamService
    from studyapp.services.exams.views import ExamRequest
    from studyapp.services.study.service import StudyService

    exams, study = ExamService(profile), StudyService(profile)
    view = exams.create(ExamRequest(length=100, seed=4)).value
    exams.start(view.id)
    for position in range(view.length):
        q = exams.question(view.id, position)
        key = study.question(q.qid).question.correct_ids
        right = position % 4 == 0
        chosen = sorted(key) if right else [next(o.id for o in q.options if o.id not in key)]
        exams.answer(view.id, position, chosen)
    exams.submit(view.id)


def test_home_says_when_mock_exams_are_below_the_pass_line(app_controller, qtbot):
    """Readiness stands beside the latest mock exam, never silently contradicting it."""
    c = app_controller
    c.query(lambda p: seed_demo_history(p, days=7, per_day=18), lambda _n: None)
    settle(qtbot, c, 120_000)
    c.query(_sit_mock_exam_below_the_pass_line, lambda _r: None)
    settle(qtbot, c, 120_000)
    home = _home(c, qtbot)
    assert home.summary is not None and home.summary.estimated
    assert home._readiness.text().startswith("Readiness: ")
    assert "chance of passing" in home._readiness.text()
    assert home._mock_warning.isVisible()
    assert "below the pass line" in home._mock_warning.text()
    assert "Mock exam" in home._why.text() and "25 of 100 right" in home._why.text()
    assert "pulls it down" in home._why.text()
