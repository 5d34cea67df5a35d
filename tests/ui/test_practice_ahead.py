"""The next session is planned ahead while the learner reads, and shown only while current."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from studyapp.services.study.service import AHEAD_LIMIT
from studyapp.ui.screens.practice import PracticeScreen
from tests.ui.conftest import settle

LEFT = Qt.MouseButton.LeftButton


def _open_practice(c, qtbot):
    c.window.show_screen(PracticeScreen)
    practice = c.window.screen_of(PracticeScreen)
    settle(qtbot, c)
    return practice


def _answer_by_clicking(practice, qtbot, c) -> None:
    """Click the right options, then Submit, and wait for the feedback."""
    correct = set(practice.current.question.correct_ids)
    for card in practice.cards:
        if card.option_id in correct:
            qtbot.mouseClick(card, LEFT)
    qtbot.mouseClick(practice.submit_button, LEFT)
    qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)


def _session_by_clicking(practice, qtbot, c) -> list[int]:
    """Answer every question of the session on screen by clicking; returns their ids."""
    asked = []
    while practice.pages.currentWidget() is practice.question_page:
        asked.append(practice.current.qid)
        _answer_by_clicking(practice, qtbot, c)
        qtbot.mouseClick(practice.next_button, LEFT)
        settle(qtbot, c)
    return asked


def _practice_more(practice) -> QPushButton:
    return next(b for b in practice.summary_page.findChildren(QPushButton) if "more" in b.text())


def _sessions(paths) -> int:
    with closing(sqlite3.connect(paths.database)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM study_session").fetchone()[0])


def test_practice_more_shows_the_session_planned_ahead(app_controller, qtbot, paths):
    """After a session's last answer the next one is planned on the worker; clicking
    Practice more shows it (recorded as a new study session) without planning again."""
    c = app_controller
    practice = _open_practice(c, qtbot)
    practice.size_box.setValue(5)
    qtbot.mouseClick(practice.start_button, LEFT)
    qtbot.waitUntil(lambda: practice.current is not None, timeout=30_000)
    assert practice.ahead_used is False  # the first session is planned on the click
    first = _session_by_clicking(practice, qtbot, c)
    assert len(first) == 5 and practice.pages.currentWidget() is practice.summary_page
    slot = practice._ahead
    assert slot is not None and slot.planned is not None  # planned while the learner read
    ahead_ids = [item.qid for item in slot.planned[0].items]
    qtbot.mouseClick(_practice_more(practice), LEFT)
    qtbot.waitUntil(
        lambda: practice.pages.currentWidget() is practice.question_page, timeout=30_000
    )
    settle(qtbot, c)
    assert practice.ahead_used is True
    assert [item.qid for item in practice.items] == ahead_ids
    assert practice.current.qid == ahead_ids[0]
    assert not set(ahead_ids) & set(first)  # the three just answered are not due again
    assert _sessions(paths) == 2


def test_a_plan_ahead_left_too_long_is_planned_again(app_controller, qtbot, paths, clock):
    """A learner who leaves the summary open past the limit gets a session planned now."""
    c = app_controller
    practice = _open_practice(c, qtbot)
    practice.size_box.setValue(5)
    qtbot.mouseClick(practice.start_button, LEFT)
    qtbot.waitUntil(lambda: practice.current is not None, timeout=30_000)
    _session_by_clicking(practice, qtbot, c)
    assert practice._ahead is not None and practice._ahead.planned is not None
    clock.advance((AHEAD_LIMIT + timedelta(minutes=1)).total_seconds())
    qtbot.mouseClick(_practice_more(practice), LEFT)
    qtbot.waitUntil(
        lambda: practice.pages.currentWidget() is practice.question_page, timeout=30_000
    )
    settle(qtbot, c)
    assert practice.ahead_used is False
    assert practice.current is not None


def test_an_undo_after_the_last_answer_is_seen_by_the_next_plan(app_controller, qtbot, paths):
    """Undoing the last answer and answering again replans ahead; the shown plan is current."""
    c = app_controller
    practice = _open_practice(c, qtbot)
    practice.size_box.setValue(5)
    qtbot.mouseClick(practice.start_button, LEFT)
    qtbot.waitUntil(lambda: practice.current is not None, timeout=30_000)
    for _ in range(4):
        _answer_by_clicking(practice, qtbot, c)
        qtbot.mouseClick(practice.next_button, LEFT)
        settle(qtbot, c)
    _answer_by_clicking(practice, qtbot, c)  # the last one: planned ahead now
    settle(qtbot, c)
    stale = practice._ahead
    qtbot.keyClick(practice, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: practice.result is None, timeout=30_000)
    settle(qtbot, c)
    _answer_by_clicking(practice, qtbot, c)
    settle(qtbot, c)
    assert practice._ahead is not stale  # planned again after the new answer
    qtbot.mouseClick(practice.next_button, LEFT)
    settle(qtbot, c)
    qtbot.mouseClick(_practice_more(practice), LEFT)
    qtbot.waitUntil(
        lambda: practice.pages.currentWidget() is practice.question_page, timeout=30_000
    )
    settle(qtbot, c)
    assert practice.ahead_used is True
