"""Handing in a mock exam: the button always asks first, and says what is still open."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import settle
from tests.ui.test_exam import DialogAnswerer, start_exam


def test_hand_in_button_asks_and_cancel_keeps_the_exam_open(app_controller, qtbot):
    """A click on "Hand in the exam" asks (naming unanswered and flagged); Cancel keeps it open."""
    c = app_controller
    screen, sitting = start_exam(c, qtbot)
    sitting.choose(0)
    settle(qtbot, c)
    qtbot.mouseClick(sitting.flag_button, Qt.MouseButton.LeftButton)
    settle(qtbot, c)
    qtbot.mouseClick(sitting.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.body.currentWidget() is sitting.review_page, timeout=20_000)

    cancel = DialogAnswerer(qtbot, "Cancel")
    qtbot.mouseClick(sitting.submit_button, Qt.MouseButton.LeftButton)
    settle(qtbot, c)
    cancel.stop()
    assert cancel.texts, "handing in did not ask first"
    assert "9 questions are not answered" in cancel.texts[0]
    assert "1 question is flagged" in cancel.texts[0]
    assert not sitting.view.submitted
    assert screen.pages.currentWidget() is sitting
    assert sitting.body.currentWidget() is sitting.review_page

    hand_in = DialogAnswerer(qtbot, "Hand in")
    qtbot.mouseClick(sitting.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.results_page, timeout=30_000)
    hand_in.stop()
    assert hand_in.texts
    assert screen.result is not None and screen.result.exam.submitted
