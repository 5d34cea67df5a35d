"""A practice session through real widgets, keyboard only, with undo."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import replace

import pytest
from PySide6.QtCore import QObject, QPoint, QRect, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QScrollArea, QWidget

from studyapp.config import shipped_banks_dir
from studyapp.packs.studypack import load_pack, write_pack_zip
from studyapp.services.changes import Change
from studyapp.services.packs.files import shipped_frameworks
from studyapp.services.packs.service import PackService
from studyapp.ui import shortcuts
from studyapp.ui.screens.practice import PracticeScreen
from studyapp.ui.widgets.rendered import FittedText
from tests import shipped
from tests.ui.conftest import settle

# The longest 5-option multiple-answer question with a web reference (read from the bank,
# so the tests follow its rewrites).
_LONG_Q = shipped.longest_with_web_reference()
LONG = _LONG_Q["id"]
_LINK = next(r for r in _LONG_Q["references"] if r.get("url", "").startswith("https://"))


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
        assert practice.question_view.explanation.isVisible()
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


def _only_questions(c, qtbot, tmp_path, ids):
    """Replace the CETL pack by a pack of just the CETL questions ``ids`` (realistic text)."""
    known = shipped_frameworks()
    full = load_pack(shipped_banks_dir() / "cetl-core", known.get).pack
    questions = tuple(q for q in full.questions if q.id in ids)
    assert len(questions) == len(ids)
    manifest = replace(full.manifest, id="practice-test", title="Practice test", files={})
    target = tmp_path / "practice-test.studypack"
    write_pack_zip(replace(full, manifest=manifest, questions=questions), target)
    service = PackService(c.profile)
    service.remove("cetl-core")
    service.import_pack(target)
    c.changes_happened.emit(Change.PACKS | Change.QUESTIONS)
    settle(qtbot, c)


def _start_session(c, qtbot):
    practice = _open_practice(c, qtbot)
    qtbot.mouseClick(practice.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: practice.current is not None, timeout=30_000)
    practice.setFocus()
    return practice


def _press(qtbot, widget, sequence):
    combo = sequence[0]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def _answer_wrong(practice, qtbot):
    """Choose only one wrong option with its letter key, then press Enter."""
    q = practice.current.question
    correct = {o.id for o in q.options if o.correct}
    wrong = next(card for card in practice.cards if card.option_id not in correct)
    qtbot.keyClick(practice, getattr(Qt.Key, f"Key_{'ABCDEFGH'[wrong.index]}"))
    qtbot.keyClick(practice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        c = QColor(colour)
        channels = []
        for v in (c.redF(), c.greenF(), c.blueF()):
            channels.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
        r, g, b_ = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_feedback_is_in_view_after_a_wrong_answer_at_the_minimum_size(
    app_controller, qtbot, tmp_path
):
    """At 880x600, after a wrong answer to a long 5-option question, the verdict is inside
    the visible part of the page, names the right answers in words, and its colour meets
    WCAG AA (4.5:1) in the light and the dark theme."""
    c = app_controller
    c.window.resize(880, 600)
    _only_questions(c, qtbot, tmp_path, [LONG])
    practice = _start_session(c, qtbot)
    assert len(practice.cards) == 5
    _answer_wrong(practice, qtbot)
    verdict = practice.question_view.verdict
    viewport = practice.question_view.viewport()

    def in_view():
        return verdict.isVisible() and viewport.rect().contains(
            QRect(verdict.mapTo(viewport, QPoint(0, 0)), verdict.size())
        )

    qtbot.waitUntil(in_view, timeout=5_000)
    letters = [
        "ABCDE"[card.index]
        for card in practice.cards
        if card.option_id in practice.current.question.correct_ids
    ]
    expected = f"Not quite: the answers are {', '.join(letters[:-1])} and {letters[-1]}"
    assert verdict.headline.text() == f"✗ {expected}"
    assert practice.question_view.explanation.isVisible()
    for theme in ("light", "dark"):
        c.set_theme(theme)
        assert _contrast(*verdict.text_colours()) >= 4.5, theme


class _Browser(QObject):
    """Stands in for the system browser: records the addresses it is asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_reference_link_opens_in_the_system_browser_when_clicked(app_controller, qtbot, tmp_path):
    """A reference is a link titled by its source, with its site beside it (no long address
    to wrap); clicking it hands the address to the system browser, and nothing else does."""
    c = app_controller
    c.window.resize(880, 600)
    _only_questions(c, qtbot, tmp_path, [LONG])
    practice = _start_session(c, qtbot)
    browser = _Browser()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, browser, "open")
    try:
        _answer_wrong(practice, qtbot)
        refs = practice.question_view.references
        assert refs.isVisible()
        text = refs.toPlainText()
        site = _LINK["url"].split("/")[2].removeprefix("www.")
        assert f"{_LINK['title']} ({site})" in text
        assert "https://" not in text
        assert browser.opened == []
        practice.question_view.ensureWidgetVisible(refs)
        cursor = refs.document().find(_LINK["title"])
        cursor.setPosition(cursor.selectionStart() + 3)
        spot = refs.cursorRect(cursor).center()
        qtbot.mouseClick(refs.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        qtbot.waitUntil(lambda: browser.opened != [], timeout=5_000)
        assert browser.opened == [_LINK["url"]]
    finally:
        for scheme in ("http", "https"):
            QDesktopServices.unsetUrlHandler(scheme)


def test_summary_of_one_quick_answer_says_1_question_and_seconds(app_controller, qtbot, tmp_path):
    """One answer given within a minute: "1 question" and the time in seconds, not "0.0
    minutes"."""
    c = app_controller
    _only_questions(c, qtbot, tmp_path, [LONG])
    practice = _start_session(c, qtbot)
    _answer_wrong(practice, qtbot)
    qtbot.keyClick(practice, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: practice.pages.currentWidget() is practice.summary_page, timeout=10_000)
    first = practice.summary.text().splitlines()[0]
    assert re.fullmatch(r"You answered 1 question, 0 correct \(0%\), in \d{1,2} s\.", first), first


def test_every_practice_key_in_the_registry_does_what_the_help_says(
    app_controller, qtbot, tmp_path
):
    """Each key the shortcuts registry lists for practice works: the choice keys toggle
    their option, G marks a guess, each Enter submits, each next key goes on, Ctrl+Z
    undoes, Esc ends the session."""
    c = app_controller
    others = [q for q in ("itm-001", "itm-002", "itm-003", "itm-004") if q != LONG][:3]
    _only_questions(c, qtbot, tmp_path, [LONG, *others])
    practice = _start_session(c, qtbot)
    cards = practice.cards
    for seq in shortcuts.PRACTICE_CHOOSE.sequences():
        text = seq.toString()
        index = int(text) - 1 if text.isdigit() else "ABCDEFGH".index(text)
        if index >= len(cards):
            continue
        before = cards[index].checked
        _press(qtbot, practice, seq)
        multiple = practice.current.question.type == "multiple"
        assert cards[index].checked is (not before if multiple else True), text
    for seq in shortcuts.PRACTICE_GUESSED.sequences():
        before = practice.guessed.isChecked()
        _press(qtbot, practice, seq)
        assert practice.guessed.isChecked() is not before
    if not any(card.checked for card in cards):  # a multiple question toggled on and off
        _press(qtbot, practice, shortcuts.PRACTICE_CHOOSE.sequences()[0])
    submits = shortcuts.PRACTICE_SUBMIT.sequences()
    nexts = shortcuts.PRACTICE_NEXT.sequences()
    assert len(submits) == 2 and len(nexts) == 3
    for step, submit in enumerate(submits):
        if step:
            practice.choose(0)
        _press(qtbot, practice, submit)
        qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
        asked = practice.index
        _press(qtbot, practice, nexts[step])
        qtbot.waitUntil(lambda a=asked: practice.index == a + 1, timeout=10_000)
    practice.choose(0)
    qtbot.keyClick(practice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
    last = practice.current
    _press(qtbot, practice, shortcuts.PRACTICE_UNDO.sequences()[0])
    qtbot.waitUntil(lambda: practice.result is None and len(practice.log.answers) == 2)
    assert practice.current.qid == last.qid
    _press(qtbot, practice, nexts[2])  # Space before answering does not go on
    assert practice.result is None and practice.current.qid == last.qid
    _press(qtbot, practice, shortcuts.PRACTICE_END.sequences()[0])
    qtbot.waitUntil(lambda: practice.pages.currentWidget() is practice.summary_page, timeout=10_000)


def _clipped(page) -> list[str]:
    """Visible text on ``page`` that does not fit its widget, and sideways scroll bars."""
    problems = []
    for w in [page, *page.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        name = f"{type(w).__name__} {w.objectName() or ''}"
        if isinstance(w, QScrollArea) and w.horizontalScrollBar().isVisible():
            problems.append(f"{name}: sideways scroll bar")
        elif isinstance(w, QAbstractButton):
            hint = w.sizeHint()
            if hint.width() > w.width() or hint.height() > w.height():
                problems.append(f"{name} {w.text()!r}: {hint} in {w.size()}")
        elif isinstance(w, QComboBox):
            if w.fontMetrics().horizontalAdvance(w.currentText()) + 30 > w.width():
                problems.append(f"{name} {w.currentText()!r} in {w.width()}")
        elif isinstance(w, FittedText):
            if w.heightForWidth(w.width()) > w.height() + 2:
                problems.append(f"{name}: {w.heightForWidth(w.width())} in {w.height()}")
        elif isinstance(w, QLabel) and w.text():
            room = w.contentsRect()
            if w.wordWrap():
                if w.heightForWidth(room.width()) > room.height() + 1:
                    problems.append(f"{name} {w.text()[:40]!r}: wraps taller than its room")
            elif w.textFormat() == Qt.TextFormat.PlainText:
                wide = max(w.fontMetrics().horizontalAdvance(t) for t in w.text().splitlines())
                if wide > room.width():
                    problems.append(f"{name} {w.text()[:40]!r}: {wide} in {room.width()}")
    return problems


@pytest.mark.parametrize("points", [14, 18])
def test_practice_text_fits_at_the_minimum_window(app_controller, qtbot, tmp_path, points):
    """At 880x600 and a 14 or 18 pt font, no text is clipped and nothing scrolls sideways on
    the start page, a long 5-option question, its feedback and the summary."""
    c = app_controller
    _only_questions(c, qtbot, tmp_path, [LONG])
    c.set_theme("light", points)
    c.window.resize(880, 600)
    practice = _open_practice(c, qtbot)
    qtbot.wait(50)
    assert _clipped(practice.start_page) == []
    practice = _start_session(c, qtbot)
    qtbot.wait(50)
    assert _clipped(practice.question_page) == []
    _answer_wrong(practice, qtbot)
    qtbot.wait(50)
    assert _clipped(practice.question_page) == []
    qtbot.keyClick(practice, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: practice.pages.currentWidget() is practice.summary_page, timeout=10_000)
    qtbot.wait(50)
    assert _clipped(practice.summary_page) == []


def test_only_web_addresses_become_reference_links():
    """http and https references are links; file, javascript and malformed addresses stay
    plain text, and titles are shown as text, never as markup."""
    from studyapp.domain.question import Reference
    from studyapp.ui.widgets.rendered import references_html

    html = references_html(
        [
            Reference("Guide <b>bold</b>", url="https://example.org/a b"),
            Reference("Local", url="file:///etc/passwd"),
            Reference("Script", url="javascript:alert(1)"),
            Reference("Plain", section="Part 2"),
        ]
    )
    assert html.count("<a ") == 1
    assert 'href="https://example.org/a%20b"' in html
    assert "Guide &lt;b&gt;bold&lt;/b&gt;" in html
    assert "file:///etc/passwd" in html and "javascript:alert(1)" in html  # shown, not linked
    assert references_html([]) == ""


def test_session_size_follows_the_daily_goal_and_a_short_session_says_why(
    app_controller, qtbot, paths
):
    """The size box starts at what the daily goal holds; a session planned shorter than
    asked says why on the question page; its answers belong to a recorded study session."""
    from studyapp.services.settings import SettingsService
    from studyapp.services.study.service import StudyService

    c = app_controller
    SettingsService(c.profile).update(daily_goal_minutes=10)
    expected = StudyService(c.profile).suggested_size().questions
    practice = _open_practice(c, qtbot)
    qtbot.waitUntil(lambda: practice.size_box.value() == expected, timeout=30_000)
    assert "daily goal" in practice.size_box.toolTip()

    practice.mode_box.setCurrentIndex(practice.mode_box.findData("skill"))
    settle(qtbot, c)
    practice.skill_box.setCurrentIndex(practice.skill_box.findData("data-management"))
    practice.size_box.setValue(150)
    qtbot.mouseClick(practice.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: practice.pages.currentWidget() is practice.question_page, timeout=30_000
    )
    planned_items = len(practice.items)
    assert planned_items < 150
    assert practice.session_note.isVisible()
    assert "You asked for 150 questions" in practice.session_note.text()

    practice.setFocus()
    qtbot.keyClick(practice, Qt.Key.Key_1)
    qtbot.keyClick(practice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
    qtbot.mouseClick(practice.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: practice.pages.currentWidget() is practice.summary_page, timeout=30_000)
    settle(qtbot, c)
    with closing(sqlite3.connect(paths.database)) as conn:
        sessions = conn.execute(
            "SELECT id, mode, skill_key, planned, ended_at FROM study_session"
        ).fetchall()
        linked = conn.execute(
            "SELECT COUNT(*) FROM review_log WHERE session_id = ?", (sessions[0][0],)
        ).fetchone()
    assert len(sessions) == 1
    _sid, mode, skill, planned, ended = sessions[0]
    assert (mode, skill, planned) == ("skill", "data-management", planned_items)
    assert ended is not None
    assert linked == (1,)
