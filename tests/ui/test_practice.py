"""A practice session through real widgets, keyboard only, with undo."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from PySide6.QtCore import Qt

from studyapp.ui.screens.practice import PracticeScreen
from tests.ui.conftest import settle


def _rows(paths):
    with closing(sqlite3.connect(paths.database)) as conn:
        return [
            line
            for line in conn.iterdump()
            if line.startswith("INSERT") and ("review_log" in line or "memory_state" in line)
        ]


def _open_practice(c, qtbot):
    c.window.show_screen(PracticeScreen)
    practice = c.window.screen_of(PracticeScreen)
    settle(qtbot, c)
    return practice


def test_full_session_with_the_keyboard(app_controller, qtbot, paths):
    """Start, answer with 1–9/A–H and Enter, go on with Space, end with a summary."""
    c = app_controller
    practice = _open_practice(c, qtbot)
    practice.size_box.setValue(5)
    qtbot.mouseClick(practice.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: practice.pages.currentWidget() is practice.question_page, timeout=30_000
    )
    practice.setFocus()
    answered = 0
    while practice.pages.currentWidget() is practice.question_page:
        q = practice.current.question
        needed = len(q.correct_ids)
        keys = [Qt.Key.Key_1, Qt.Key.Key_B, Qt.Key.Key_3, Qt.Key.Key_D]
        for key in keys[: max(needed, 1)]:
            qtbot.keyClick(practice, key)
        assert practice.submit_button.isEnabled()
        qtbot.keyClick(practice, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
        answered += 1
        assert all(card.verdict.isVisible() for card in practice.cards)
        assert practice.explanation.isVisible()
        qtbot.keyClick(practice, Qt.Key.Key_Space)
        settle(qtbot, c)
    assert answered == 5
    assert practice.pages.currentWidget() is practice.summary_page
    assert "You answered 5 questions" in practice.summary.text()
    with closing(sqlite3.connect(paths.database)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM review_log WHERE mode='practice'").fetchone() == (
            5,
        )


def test_single_answer_keeps_one_choice_and_enter_needs_a_choice(app_controller, qtbot):
    """Choosing another option replaces the choice; Enter with none chosen does nothing."""
    c = app_controller
    practice = _open_practice(c, qtbot)
    practice.mode_box.setCurrentIndex(3)  # unseen only: fresh questions
    practice.start()
    qtbot.waitUntil(lambda: practice.current is not None, timeout=30_000)
    while practice.current.question.type != "single":
        practice.choose(0)
        practice.choose(1)
        practice.submit()
        qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
        practice.next_question()
    qtbot.keyClick(practice, Qt.Key.Key_Return)
    assert practice.result is None
    qtbot.keyClick(practice, Qt.Key.Key_A)
    qtbot.keyClick(practice, Qt.Key.Key_C)
    assert [card.checked for card in practice.cards].count(True) == 1 and practice.cards[2].checked


def test_undo_restores_log_and_asks_again(app_controller, qtbot, paths):
    """Ctrl+Z after an answer removes it exactly and shows the question again."""
    c = app_controller
    practice = _open_practice(c, qtbot)
    practice.start()
    qtbot.waitUntil(lambda: practice.current is not None, timeout=30_000)
    before = _rows(paths)
    first = practice.current
    practice.setFocus()
    for i in range(len(first.question.correct_ids) or 1):
        practice.choose(i)
    practice.submit()
    qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
    assert _rows(paths) != before
    qtbot.keyClick(practice, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: practice.result is None, timeout=30_000)
    settle(qtbot, c)
    assert _rows(paths) == before
    assert practice.current.qid == first.qid


def test_cram_mode_does_not_touch_the_schedule(app_controller, qtbot, paths):
    """A cram session logs answers but leaves memory states alone."""
    c = app_controller
    practice = _open_practice(c, qtbot)
    practice.mode_box.setCurrentIndex(4)
    practice.start()
    qtbot.waitUntil(lambda: practice.current is not None, timeout=30_000)
    practice.choose(0)
    practice.submit()
    qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
    with closing(sqlite3.connect(paths.database)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM memory_state").fetchone() == (0,)
        assert conn.execute("SELECT mode FROM review_log").fetchall() == [("cram",)]
    assert "cram" in practice.progress.text()


def test_home_start_practice_button_opens_a_session(app_controller, qtbot):
    """Home's Start practice goes straight into a session."""
    c = app_controller
    home = c.window.home
    qtbot.waitUntil(lambda: home.start_button.isEnabled(), timeout=30_000)
    qtbot.mouseClick(home.start_button, Qt.MouseButton.LeftButton)
    practice = c.window.screen_of(PracticeScreen)
    qtbot.waitUntil(lambda: practice.current is not None, timeout=30_000)
    assert c.window.stack.currentWidget() is practice
