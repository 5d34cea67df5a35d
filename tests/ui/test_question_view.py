"""The one question view of practice and the mock exam, driven by mouse and keys."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt

from studyapp.domain.question import Reference
from studyapp.ui import shortcuts
from studyapp.ui.screens.practice import PracticeScreen
from studyapp.ui.widgets.question_view import (
    Feedback,
    QuestionView,
    ShownOption,
    ShownQuestion,
)
from tests.ui.test_exam import start_exam
from tests.ui.test_practice import LONG, _only_questions, _start_session

OPTIONS = (
    ShownOption("a", "Appoint a data steward for each student information system"),
    ShownOption("b", "Let every teacher choose their own cloud storage for grades"),
    ShownOption("c", "Review third-party data sharing agreements every year"),
    ShownOption("d", "Delete the audit logs after every semester to save space"),
)


def _question(multiple: bool, stem: str = "Which of these belong in data governance?"):
    return ShownQuestion(
        stem=stem,
        options=OPTIONS,
        multiple=multiple,
        instruction="Choose 2 answers." if multiple else "Choose one answer.",
    )


def _view(qtbot, question: ShownQuestion, **kwargs) -> tuple[QuestionView, list[tuple]]:
    """A shown view with ``question``, and the list its selection signals land in."""
    view = QuestionView(shortcuts.PRACTICE_CHOOSE, **kwargs)
    qtbot.addWidget(view)
    view.resize(640, 480)
    view.show()
    qtbot.waitExposed(view)
    view.show_question(question)
    signals: list[tuple] = []
    view.selection_changed.connect(signals.append)
    qtbot.wait(10)
    return view, signals


def _click(qtbot, card) -> None:
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(20, 15))


def test_single_answer_click_replaces_the_choice_and_says_so(qtbot):
    """On a single-answer question a click on another card replaces the choice, a second
    click on the chosen card clears it, and each change is signalled with the ids."""
    view, signals = _view(qtbot, _question(multiple=False))
    _click(qtbot, view.cards[1])
    _click(qtbot, view.cards[2])
    assert [c.checked for c in view.cards] == [False, False, True, False]
    _click(qtbot, view.cards[2])
    assert signals == [("b",), ("c",), ()]
    assert view.chosen() == ()


def test_multiple_answer_keys_toggle_each_option(qtbot):
    """On a multiple-answer question 1 and C choose two options, 1 again lets go of the
    first; the signal carries the chosen ids in display order."""
    view, signals = _view(qtbot, _question(multiple=True))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_1)
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert view.chosen() == ("a", "c")
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert signals == [("a",), ("a", "c"), ("c",)]
    assert view.cards[2].key.text() == "✓C"  # the choice shows in words, not colour only


def test_a_key_past_the_last_option_chooses_nothing(qtbot):
    """G on a four-option question is not an option: nothing is chosen and the key is left
    for the screen (practice marks a guess with it)."""
    view, signals = _view(qtbot, _question(multiple=True))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_G)
    qtbot.keyClick(view, Qt.Key.Key_5)
    assert signals == [] and view.chosen() == ()


def test_a_refused_or_disabled_choice_changes_nothing(qtbot):
    """While ``can_choose`` says no (the exam saving or paused) neither a click nor a key
    changes the choice; disabled options ignore clicks."""
    allowed = [False]
    view, signals = _view(qtbot, _question(multiple=False), can_choose=lambda: allowed[0])
    _click(qtbot, view.cards[0])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert signals == [] and view.chosen() == ()
    allowed[0] = True
    view.set_options_enabled(False)
    _click(qtbot, view.cards[0])
    assert signals == []
    view.set_options_enabled(True)
    _click(qtbot, view.cards[0])
    assert signals == [("a",)]


def test_a_revisited_question_shows_its_choice_without_a_signal(qtbot):
    """Options already chosen (a revisited exam question) are ticked, and showing them is
    not reported as a change."""
    question = ShownQuestion("Stem", OPTIONS, True, "Choose.", chosen=frozenset({"b", "d"}))
    view, signals = _view(qtbot, _question(multiple=True))
    view.show_question(question)
    assert view.chosen() == ("b", "d") and signals == []


def test_feedback_after_a_wrong_multiple_answer_is_shown_and_in_view(qtbot):
    """After a wrong answer to a long multiple-answer question the verdict names the right
    letters, is scrolled into view, every option says right or wrong with its rationale,
    the explanation and references show, and the choice can no longer change."""
    stem = "A district must plan its data governance programme. " * 80
    view, signals = _view(qtbot, _question(multiple=True, stem=stem))
    view.resize(640, 360)
    qtbot.wait(20)
    _click(qtbot, view.cards[0])
    _click(qtbot, view.cards[1])
    assert signals == [("a",), ("a", "b")]
    view.show_feedback(
        Feedback(
            correct=False,
            chosen=frozenset({"a", "b"}),
            keyed=frozenset({"a", "c"}),
            rationales={o.id: f"Why {o.id}" for o in OPTIONS},
            explanation="Stewards and reviews are governance.",
            references=(Reference("CoSN Framework", url="https://www.cosn.org/framework"),),
        )
    )
    assert view.verdict.headline.text() == "✗ Not quite: the answers are A and C"
    viewport = view.viewport()

    def verdict_in_view() -> bool:
        spot = view.verdict.mapTo(viewport, QPoint(0, 0))
        return viewport.rect().contains(QRect(spot, view.verdict.size()))

    qtbot.waitUntil(verdict_in_view, timeout=5_000)
    assert view.verticalScrollBar().value() > 0  # the long stem was scrolled past
    words = [card.verdict.text() for card in view.cards]
    assert words == [
        "✓ Correct answer — you chose it",
        "✗ Your choice — not correct",
        "✓ Correct answer",
        "Not correct",
    ]
    assert all(card.rationale.isVisible() for card in view.cards)
    assert view.cards[1].rationale.toPlainText() == "Why b"
    assert view.explanation.isVisible() and view.references.isVisible()
    assert not view.instruction.isVisible()
    _click(qtbot, view.cards[3])
    qtbot.keyClick(view, Qt.Key.Key_4)
    assert signals == [("a",), ("a", "b")] and view.chosen() == ("a", "b")


def test_practice_shows_feedback_after_a_multiple_answer_chosen_by_mouse(
    app_controller, qtbot, tmp_path
):
    """In practice, the right options of a multiple-answer question clicked and Submit
    clicked: the view shows "Correct", each option's verdict and the explanation."""
    c = app_controller
    c.window.resize(880, 600)
    _only_questions(c, qtbot, tmp_path, [LONG])
    practice = _start_session(c, qtbot)
    question = practice.current.question
    assert question.type == "multiple"
    assert not practice.submit_button.isEnabled()
    for card in practice.cards:
        if card.option_id in question.correct_ids:
            practice.question_view.ensureWidgetVisible(card)
            _click(qtbot, card)
    assert practice.submit_button.isEnabled()
    qtbot.mouseClick(practice.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
    view = practice.question_view
    assert practice.result.correct
    assert view.verdict.isVisible() and view.verdict.headline.text() == "✓ Correct"
    assert view.explanation.isVisible()
    for card in practice.cards:
        right = card.option_id in question.correct_ids
        expected = "✓ Correct answer — you chose it" if right else "Not correct"
        assert card.verdict.text() == expected


def test_practice_and_the_exam_sitting_use_the_same_question_view(app_controller, qtbot):
    """Practice and the exam sitting show their questions in one widget class, and the
    cards on each screen are that view's."""
    c = app_controller
    c.window.show_screen(PracticeScreen)
    practice = c.window.screen_of(PracticeScreen)
    _screen, sitting = start_exam(c, qtbot)
    assert type(practice.question_view) is QuestionView
    assert type(sitting.question_view) is QuestionView
    assert sitting.cards and all(sitting.question_view.isAncestorOf(card) for card in sitting.cards)
    _click(qtbot, sitting.cards[0])
    qtbot.waitUntil(lambda: sitting.view.answered == 1, timeout=20_000)


def test_option_letters_follow_a_font_size_change(app_controller, qtbot, tmp_path):
    """The option letters stay 2 pt over the text when the font size is changed while a
    question is on screen (they kept the size they were built with)."""
    c = app_controller
    c.set_theme("light", 11)
    _only_questions(c, qtbot, tmp_path, [LONG])
    practice = _start_session(c, qtbot)
    assert {card.key.font().pointSize() for card in practice.cards} == {13}
    c.set_theme("dark", 18)
    assert {card.key.font().pointSize() for card in practice.cards} == {20}
    assert all(card.key.font().bold() for card in practice.cards)
