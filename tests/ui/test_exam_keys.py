"""Keys in a sitting mean the same whatever has focus; pausing disables what cannot act."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.ui.conftest import settle
from tests.ui.test_exam import press, start_exam


def test_mouse_click_on_flag_leaves_arrows_and_space_alone(app_controller, qtbot):
    """After a mouse click on "Flag (F)", → goes to the next question and Space does not pause."""
    c = app_controller
    _screen, sitting = start_exam(c, qtbot)
    qtbot.mouseClick(sitting.flag_button, Qt.MouseButton.LeftButton)
    settle(qtbot, c)
    assert sitting.view.flagged == 1 and sitting.flag_button.isChecked()
    assert not sitting.flag_button.hasFocus()
    press(qtbot, Qt.Key.Key_Right, sitting)
    qtbot.waitUntil(lambda: sitting.question.position == 1, timeout=20_000)
    press(qtbot, Qt.Key.Key_Space, sitting)
    settle(qtbot, c)
    assert sitting.view.status == "running"
    assert sitting.view.current == 1
    press(qtbot, Qt.Key.Key_Left, sitting)
    qtbot.waitUntil(lambda: sitting.question.position == 0, timeout=20_000)


def test_arrows_change_question_when_an_option_has_focus(app_controller, qtbot):
    """With an option card clicked (and focused), → and ← still move between questions."""
    c = app_controller
    _screen, sitting = start_exam(c, qtbot)
    card = sitting.cards[1]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(20, 15))
    settle(qtbot, c)
    assert sitting.view.answered == 1
    press(qtbot, Qt.Key.Key_Right, sitting)
    qtbot.waitUntil(lambda: sitting.question.position == 1, timeout=20_000)
    press(qtbot, Qt.Key.Key_PageDown, sitting)
    qtbot.waitUntil(lambda: sitting.question.position == 2, timeout=20_000)


def test_pause_disables_what_cannot_act_and_says_why(app_controller, qtbot):
    """Paused: review, flag, previous / next and navigator are off, a note says why; the
    Resume button and P resume."""
    c = app_controller
    _screen, sitting = start_exam(c, qtbot, hide=False)
    press(qtbot, Qt.Key.Key_Right, sitting)
    qtbot.waitUntil(lambda: sitting.question.position == 1, timeout=20_000)
    qtbot.mouseClick(sitting.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.view.status == "paused", timeout=20_000)
    for widget in (
        sitting.review_button,
        sitting.flag_button,
        sitting.prev_button,
        sitting.next_button,
        sitting.navigator,
        *sitting.cards,
    ):
        assert not widget.isEnabled(), widget.accessibleName() or widget.text()
    assert sitting.pause_button.isEnabled() and sitting.pause_button.text() == "Resume (P)"
    assert "resume" in sitting.clock_note.text().lower()
    # The navigator cannot be used: a click on question 5 changes nothing.
    qtbot.mouseClick(
        sitting.navigator,
        Qt.MouseButton.LeftButton,
        pos=sitting.navigator._rect(4).center().toPoint(),
    )
    press(qtbot, Qt.Key.Key_R, sitting)
    settle(qtbot, c)
    assert sitting.view.current == 1 and sitting.body.currentWidget() is sitting.question_view

    qtbot.mouseClick(sitting.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.view.status == "running", timeout=20_000)
    assert sitting.review_button.isEnabled() and sitting.navigator.isEnabled()
    press(qtbot, Qt.Key.Key_P, sitting)
    qtbot.waitUntil(lambda: sitting.view.status == "paused", timeout=20_000)
    press(qtbot, Qt.Key.Key_P, sitting)
    qtbot.waitUntil(lambda: sitting.view.status == "running", timeout=20_000)


def test_hidden_pause_resumes_by_its_own_button(app_controller, qtbot):
    """With questions hidden while paused, the cover's Resume button resumes the exam."""
    c = app_controller
    _screen, sitting = start_exam(c, qtbot, hide=True)
    press(qtbot, Qt.Key.Key_P, sitting)
    qtbot.waitUntil(lambda: sitting.view.status == "paused", timeout=20_000)
    assert sitting.body.currentWidget() is sitting.paused_cover
    assert not sitting.review_button.isEnabled()
    press(qtbot, Qt.Key.Key_Space, sitting)  # Space is no resume key
    settle(qtbot, c)
    assert sitting.view.status == "paused"
    qtbot.mouseClick(sitting.cover_resume, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.view.status == "running", timeout=20_000)
    assert sitting.body.currentWidget() is sitting.question_view
