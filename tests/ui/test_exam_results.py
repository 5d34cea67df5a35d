"""The results page: why the exam ended, honest times, and a master-detail review."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from studyapp.domain.words import duration, plural
from studyapp.services.exams.report import exam_report_html
from tests.ui.conftest import settle
from tests.ui.test_exam import DialogAnswerer, activate, press, start_exam


def _visible_text(widget) -> str:
    return "\n".join(
        label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)
    )


def _hand_in(c, qtbot, screen, sitting):
    qtbot.mouseClick(sitting.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.body.currentWidget() is sitting.review_page, timeout=20_000)
    answerer = DialogAnswerer(qtbot, "Hand in")
    qtbot.mouseClick(sitting.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.results_page, timeout=30_000)
    answerer.stop()
    settle(qtbot, c)


def test_timed_out_exam_says_the_time_ran_out(app_controller, qtbot, clock):
    """When the clock runs out, the results page says the exam was handed in for that."""
    c = app_controller
    screen, sitting = start_exam(c, qtbot, minutes=1)
    sitting.choose(0)
    settle(qtbot, c)
    for _ in range(7):  # the countdown's ticks, with the test's clock moved between them
        clock.advance(10)
        sitting._tick()
        settle(qtbot, c)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.results_page, timeout=30_000)
    settle(qtbot, c)
    assert "time ran out" in _visible_text(screen.results_page)
    assert "Time used: 1 min," in _visible_text(screen.results_page)
    report = exam_report_html(screen.result, "profile")  # the exported report says so too
    assert "time ran out" in report and "Time used: 1 min," in report


def test_handed_in_exam_does_not_say_the_time_ran_out(app_controller, qtbot):
    """An exam the learner hands in does not claim the time ran out."""
    c = app_controller
    screen, sitting = start_exam(c, qtbot)
    _hand_in(c, qtbot, screen, sitting)
    assert "time ran out" not in _visible_text(screen.results_page)


def test_review_is_master_detail_and_keyboard_driven(app_controller, qtbot):
    """Up/Down walk the list beside the question; Show filters flagged ones in exam order."""
    c = app_controller
    screen, sitting = start_exam(c, qtbot)
    for position in (1, 4, 7):
        sitting.jump(position)
        settle(qtbot, c)
        qtbot.mouseClick(sitting.flag_button, Qt.MouseButton.LeftButton)
        settle(qtbot, c)
    sitting.choose(0)
    settle(qtbot, c)
    _hand_in(c, qtbot, screen, sitting)
    results = screen.results
    activate(c, qtbot)
    qtbot.keyClick(c.window, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # "&Review …"
    qtbot.waitUntil(lambda: results.tabs.currentIndex() == 1, timeout=10_000)
    assert QApplication.focusWidget() is results.list
    assert results.list.count() == 10
    assert results.list.isVisible() and results.stem.isVisible()
    # Side by side: the question sits to the right of the list, not below it.
    assert results.detail_scroll.mapTo(results, results.detail_scroll.rect().topLeft()).x() > (
        results.list.mapTo(results, results.list.rect().topRight()).x()
    )
    assert results.heading.text().startswith("Question 1 of 10")
    press(qtbot, Qt.Key.Key_Down, results.list)
    assert results.heading.text().startswith("Question 2 of 10")
    assert "flagged" in results.list.currentItem().text()
    cards = [w for w in results.detail_scroll.widget().findChildren(QLabel) if w.isVisible()]
    assert any("Correct answer" in label.text() for label in cards)

    results.filter.setFocus()
    qtbot.keyClick(results.filter, Qt.Key.Key_End)  # the last choice: Flagged
    qtbot.waitUntil(lambda: results.list.count() == 3, timeout=20_000)
    numbers = [results.list.item(i).text().split(".")[0] for i in range(3)]
    assert numbers == ["2", "5", "8"]
    assert results.heading.text().startswith("Question 2 of 10")  # kept the one shown
    results.list.setFocus()
    press(qtbot, Qt.Key.Key_Down, results.list)
    assert results.heading.text().startswith("Question 5 of 10")
    # One set of buttons on the page.
    assert [b.text() for b in (results.export_button, results.back_button)] == [
        "Export report…",
        "Back to mock exams",
    ]
    assert QApplication.focusWidget() is results.list


def test_durations_and_counts_read_as_words():
    """Durations under a minute stay in seconds; counts take the right plural."""
    assert duration(45_000 / 1000) == "45 s"
    assert duration(60_000 / 1000) == "1 min"
    assert duration(185_000 / 1000) == "3 min 05 s"
    assert duration(3_720_000 / 1000) == "1 h 02 min"
    assert plural(1, "question") == "1 question"
    assert plural(2, "question") == "2 questions"
