"""Sitting a short mock exam through real widgets, with the keyboard only."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from studyapp.services.study.service import StudyService
from studyapp.ui.screens.exam import ExamScreen
from tests.ui.conftest import open_app, settle, stop_app


def _open_exam(c, qtbot):
    c.window.show_screen(ExamScreen)
    screen = c.window.screen_of(ExamScreen)
    qtbot.waitUntil(lambda: screen.info is not None, timeout=20_000)
    settle(qtbot, c)
    return screen


def activate(c, qtbot):
    """Make the main window active: the sitting's keys are shortcuts, which need that."""
    c.window.activateWindow()
    qtbot.waitUntil(lambda: c.app.activeWindow() is c.window, timeout=10_000)


def start_exam(c, qtbot, length=10, minutes=None, hide=True):
    """Open Mock exam, set it up, click "Start the exam"; returns (screen, sitting)."""
    screen = _open_exam(c, qtbot)
    screen.length.setValue(length)
    if minutes is not None:
        screen.minutes.setValue(minutes)
    screen.hide_paused.setChecked(hide)
    qtbot.mouseClick(screen.start_button, Qt.MouseButton.LeftButton)
    sitting = screen.sitting
    qtbot.waitUntil(
        lambda: sitting.question is not None and sitting.view.status == "running",
        timeout=20_000,
    )
    settle(qtbot, c)
    activate(c, qtbot)
    return screen, sitting


def press(qtbot, key, fallback: QWidget):
    """Press ``key`` where the user's key goes: the focus widget."""
    qtbot.keyClick(QApplication.focusWidget() or fallback, key)


class DialogAnswerer:
    """Clicks ``button`` in the next modal message box (from a timer, as a user would)."""

    def __init__(self, qtbot, button: str) -> None:
        self.qtbot, self.button, self.texts = qtbot, button, []
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        for button in box.buttons():
            if button.text().replace("&", "") == self.button:
                self.timer.stop()
                self.texts.append(box.text())
                self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
                return

    def stop(self) -> None:
        self.timer.stop()


def _key_index(c, q):
    """Where the keyed option sits on screen (looked up outside the exam's own views)."""
    key = StudyService(c.profile).question(q.qid).question.correct_ids
    return [i for i, o in enumerate(q.options) if o.id in key]


def test_short_exam_end_to_end_with_the_keyboard(app_controller, qtbot):
    """Start with Enter, answer with digit keys, move with arrows, flag with F, review, hand in."""
    c = app_controller
    screen = _open_exam(c, qtbot)
    activate(c, qtbot)
    screen.length.setValue(10)
    screen.start_button.setFocus()
    qtbot.keyClick(screen.start_button, Qt.Key.Key_Space)
    sitting = screen.sitting
    qtbot.waitUntil(
        lambda: sitting.question is not None and sitting.view.status == "running", timeout=20_000
    )
    sitting.setFocus()
    right = 0
    for position in range(10):
        qtbot.waitUntil(lambda p=position: sitting.question.position == p, timeout=20_000)
        q = sitting.question
        wanted = _key_index(c, q) if position % 2 == 0 else [0 if 0 not in _key_index(c, q) else 1]
        for index in wanted:
            qtbot.keyClick(sitting, getattr(Qt.Key, f"Key_{index + 1}"))
            settle(qtbot, c)
        right += position % 2 == 0
        if position == 3:
            qtbot.keyClick(sitting, Qt.Key.Key_F)
            settle(qtbot, c)
        if position < 9:
            qtbot.keyClick(sitting, Qt.Key.Key_Right)
            settle(qtbot, c)
    assert sitting.view.answered == 10 and sitting.view.flagged == 1
    qtbot.keyClick(sitting, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: sitting.body.currentWidget() is sitting.review_page, timeout=20_000)
    assert sitting.review_list.count() == 1 and "flagged" in sitting.review_list.item(0).text()
    answerer = DialogAnswerer(qtbot, "Hand in")
    qtbot.keyClick(sitting.submit_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.results_page, timeout=30_000)
    answerer.stop()
    results = screen.results
    assert screen.result.score.raw == right
    assert f"{right} of 10 correct" in results.score.text()
    assert "estimate" in results.caption.text()
    assert results.list.count() == 10
    results.filter.setCurrentIndex(2)  # flagged
    qtbot.waitUntil(lambda: results.list.count() == 1, timeout=20_000)


def test_pause_hides_questions_and_stops_the_clock(app_controller, qtbot):
    """P pauses (questions hidden, clock stopped) and resumes."""
    c = app_controller
    _screen, sitting = start_exam(c, qtbot)
    sitting.setFocus()
    qtbot.keyClick(sitting, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: sitting.view.status == "paused", timeout=20_000)
    assert sitting.body.currentWidget() is sitting.paused_cover
    frozen = sitting.clock.text()
    qtbot.wait(1200)
    assert sitting.clock.text() == frozen
    qtbot.keyClick(sitting, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: sitting.view.status == "running", timeout=20_000)
    assert sitting.body.currentWidget() is sitting.question_view


def test_unfinished_exam_is_offered_after_a_restart(qtbot, paths, clock):
    """Closing mid-exam and reopening offers to resume it, saying closed time did not count."""
    first = open_app(qtbot, paths, clock)
    screen = _open_exam(first, qtbot)
    screen.length.setValue(10)
    screen._start_new()
    qtbot.waitUntil(lambda: screen.sitting.question is not None, timeout=20_000)
    screen.sitting.choose(0)
    settle(qtbot, first)
    stop_app(first)
    clock.advance(3600)
    second = open_app(qtbot, paths, clock)
    again = _open_exam(second, qtbot)
    qtbot.waitUntil(lambda: again.unfinished is not None, timeout=20_000)
    assert again.resume_box.isVisibleTo(again)
    assert "1 of 10 answered" in again.resume_text.text()
    assert not again.start_button.isEnabled()
    stop_app(second)


def test_discarding_an_unfinished_exam_asks_first_in_plain_words(qtbot, paths, clock):
    """ "Discard it" asks before it deletes, counting the answers correctly ("1 answer"),
    and Yes removes the unfinished exam."""
    first = open_app(qtbot, paths, clock)
    _screen, sitting = start_exam(first, qtbot)
    qtbot.mouseClick(sitting.cards[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.view.answered == 1, timeout=20_000)
    settle(qtbot, first)
    stop_app(first)
    second = open_app(qtbot, paths, clock)
    again = _open_exam(second, qtbot)
    qtbot.waitUntil(lambda: again.unfinished is not None, timeout=20_000)
    answerer = DialogAnswerer(qtbot, "Yes")
    qtbot.mouseClick(again.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.unfinished is None, timeout=20_000)
    answerer.stop()
    (text,) = answerer.texts
    assert "and its 1 answer? This cannot be undone." in text
    assert again.start_button.isEnabled()
    stop_app(second)


def test_a_second_exam_opens_on_its_own_first_question(app_controller, qtbot):
    """After one exam is handed in from its review page, the next exam started in the same
    session shows its own first question with nothing chosen, not the review page or the
    last exam's first question with its answer ticked."""
    from studyapp.services.exams.service import ExamService

    c = app_controller
    screen, sitting = start_exam(c, qtbot)
    qtbot.mouseClick(sitting.cards[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.view.answered == 1, timeout=20_000)
    first_id = sitting.view.id
    qtbot.mouseClick(sitting.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.body.currentWidget() is sitting.review_page, timeout=20_000)
    answerer = DialogAnswerer(qtbot, "Hand in")
    qtbot.mouseClick(sitting.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.results_page, timeout=30_000)
    answerer.stop()
    qtbot.mouseClick(screen.results.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.setup_page, timeout=20_000)
    settle(qtbot, c)
    _screen, sitting = start_exam(c, qtbot)
    assert sitting.view.id != first_id and sitting.view.answered == 0
    settle(qtbot, c)
    own = ExamService(c.profile).question(sitting.view.id, 0)
    assert sitting.question.qid == own.qid
    assert sitting.body.currentWidget() is sitting.question_view
    assert not any(card.checked for card in sitting.cards)
