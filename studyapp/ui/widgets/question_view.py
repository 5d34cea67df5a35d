"""One question on screen, for practice and the mock exam alike.

A :class:`QuestionView` shows a question's stem (rendered Markdown), an instruction and
its options as :class:`~studyapp.ui.widgets.option_card.OptionCard` targets, in a
scroll area that never scrolls sideways. It takes the answer by mouse (a click on a
card, Space on a focused card) and by keyboard (the choice keys 1–9 and A–H, see
:meth:`QuestionView.handle_key`), keeps one choice on single-answer questions and
toggles on multiple-answer ones, and emits :attr:`QuestionView.selection_changed`
with the chosen option ids whenever the learner changes the choice.

Practice also shows feedback here (:meth:`QuestionView.show_feedback`): a verdict banner,
the explanation and the references between the question and the options, where the eye
is, each option marked right or wrong with its rationale, and the page scrolled so the
feedback is in view. The exam never calls it; its flag, review and navigation stay in
the sitting page. What the screen shows above the stem (progress, notes) it adds with
:meth:`QuestionView.add_header`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from studyapp.domain.question import Reference
from studyapp.ui import shortcuts
from studyapp.ui.widgets.option_card import KEYS, OptionCard, VerdictBanner
from studyapp.ui.widgets.rendered import FittedText, ReferenceList


@dataclass(frozen=True, slots=True)
class ShownOption:
    """One option as shown: its id (what the answer records) and its Markdown text."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class ShownQuestion:
    """What the view shows of a question, options in display order (the order the
    letters and numbers follow). ``chosen``: option ids already chosen (a revisited exam
    question); ``instruction``: the line under the stem ("Choose one answer.")."""

    stem: str
    options: tuple[ShownOption, ...]
    multiple: bool
    instruction: str
    media: Mapping[str, bytes] = field(default_factory=dict)
    chosen: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Feedback:
    """The graded answer, for :meth:`QuestionView.show_feedback`.

    ``keyed``: the correct option ids; ``chosen``: the learner's; ``rationales``: why
    each option is right or wrong, by id; ``detail``: an optional line under the verdict.
    """

    correct: bool
    chosen: frozenset[str]
    keyed: frozenset[str]
    rationales: Mapping[str, str]
    explanation: str
    references: tuple[Reference, ...] = ()
    detail: str = ""


def _bold_label(text: str) -> QLabel:
    """A bold plain-text label that follows the font-size setting (see ``refresh_fonts``)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setProperty("size_delta", 0)
    label.setProperty("bold", True)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def verdict_headline(correct: bool, keyed_letters: list[str]) -> str:
    """ "Correct", or "Not quite: the answer is B" / "the answers are A, C and D"."""
    if correct:
        return "Correct"
    if len(keyed_letters) == 1:
        return f"Not quite: the answer is {keyed_letters[0]}"
    listed = f"{', '.join(keyed_letters[:-1])} and {keyed_letters[-1]}"
    return f"Not quite: the answers are {listed}"


class QuestionView(QScrollArea):
    """A question, its options and (on request) the feedback, in a scroll area.

    ``keys``: the shortcut registry's choice binding the screen documents (1–9, A–H);
    ``can_choose``: asked before each change of the choice (the exam refuses while it is
    paused or saving); ``margins`` and ``spacing``: the page's own layout.
    """

    selection_changed = Signal(tuple)  # tuple[str, ...]: chosen option ids, display order

    def __init__(
        self,
        keys: shortcuts.Binding,
        *,
        can_choose: Callable[[], bool] | None = None,
        margins: tuple[int, int, int, int] = (0, 6, 0, 6),
        spacing: int = 8,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.keys = keys
        self.can_choose = can_choose or (lambda: True)
        self.question: ShownQuestion | None = None
        self.cards: list[OptionCard] = []
        self.answered = False  # feedback shown: the choice is final
        self.theme = "light"
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Everything wraps to the width it gets (the instruction too): never sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(*margins)
        self.body_layout.setSpacing(spacing)
        self.header = QVBoxLayout()
        self.header.setContentsMargins(0, 0, 0, 0)
        self.header.setSpacing(spacing)
        self.body_layout.addLayout(self.header)
        self.stem = FittedText()
        self.stem.setAccessibleName("Question")
        self.body_layout.addWidget(self.stem)
        self.instruction = _bold_label("")
        self.body_layout.addWidget(self.instruction)
        # The feedback sits between the question and the options, where the eye is.
        self.verdict = VerdictBanner()
        self.body_layout.addWidget(self.verdict)
        self.explanation_title = _bold_label("Explanation")
        self.explanation = FittedText()
        self.explanation.setAccessibleName("Explanation")
        self.references = ReferenceList()
        for w in (self.explanation_title, self.explanation, self.references):
            w.hide()
            self.body_layout.addWidget(w)
        self.options_box = QVBoxLayout()
        self.options_box.setSpacing(8)
        self.body_layout.addLayout(self.options_box)
        self.body_layout.addStretch(1)
        self.setWidget(body)

    def add_header(self, widget: QWidget) -> None:
        """Put ``widget`` above the stem (after any header added before)."""
        self.header.addWidget(widget)

    # ------------------------------------------------------------------ showing
    def show_question(self, question: ShownQuestion, *, enabled: bool = True) -> None:
        """Show ``question`` with its chosen options ticked (no signal) and no feedback,
        scrolled to the top; ``enabled`` False shows the options greyed out."""
        self.question = question
        self.answered = False
        self.stem.set_markdown(question.stem, question.media)
        self.instruction.setText(question.instruction)
        self.instruction.show()
        self.verdict.hide()
        for w in (self.explanation_title, self.explanation, self.references):
            w.hide()
        for card in self.cards:
            # Out of the layout and hidden now: deleteLater waits for the event loop, and
            # until then the last question's cards would still be laid out above these.
            self.options_box.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = []
        for i, option in enumerate(question.options):
            card = OptionCard(i, option.id)
            card.set_theme(self.theme)
            card.set_content(option.text, question.media, option.text)
            card.set_checked(option.id in question.chosen)
            card.toggled.connect(lambda c=card: self._toggle(c))
            card.setEnabled(enabled)
            self.options_box.addWidget(card)
            self.cards.append(card)
        self.verticalScrollBar().setValue(0)

    def show_explanation(self, markdown: str) -> None:
        """Show the explanation before the answer (practice does for a missed-often question)."""
        media = self.question.media if self.question is not None else {}
        self.explanation.set_markdown(markdown, media)
        self.explanation_title.show()
        self.explanation.show()

    def show_feedback(self, feedback: Feedback) -> None:
        """Lock the choice and show the verdict, the explanation, the references and each
        option's rationale; then scroll so the feedback is in view."""
        self.answered = True
        media = self.question.media if self.question is not None else {}
        for card in self.cards:
            card.show_feedback(
                card.option_id in feedback.keyed,
                card.option_id in feedback.chosen,
                feedback.rationales.get(card.option_id, ""),
                media,
            )
        letters = [KEYS[c.index] for c in self.cards if c.option_id in feedback.keyed]
        self.instruction.hide()
        self.verdict.set_theme(self.theme)
        self.verdict.show_verdict(
            feedback.correct, verdict_headline(feedback.correct, letters), feedback.detail
        )
        self.show_explanation(feedback.explanation or "_No explanation given._")
        self.references.setVisible(self.references.set_references(feedback.references))
        QTimer.singleShot(0, self, self._bring_feedback_into_view)

    def _bring_feedback_into_view(self) -> None:
        """Scroll so the verdict and the explanation are in view, keeping as much of the
        question above them as fits (on a short question nothing moves)."""
        if not self.answered:
            return
        self.body_layout.activate()
        bar = self.verticalScrollBar()
        viewport = self.viewport().height()
        last = self.references if self.references.isVisible() else self.explanation
        feedback_end = last.geometry().bottom() + 12
        top = max(self.verdict.geometry().top() - 12, 0)
        bar.setValue(min(max(feedback_end - viewport, 0), top))

    def set_options_enabled(self, enabled: bool) -> None:
        """Grey the options out (or back), e.g. while the exam is paused."""
        for card in self.cards:
            card.setEnabled(enabled)

    def set_theme(self, theme: str) -> None:
        """Repaint the cards and the verdict in ``theme`` ("light" or "dark")."""
        self.theme = theme
        for card in self.cards:
            card.set_theme(theme)
        self.verdict.set_theme(theme)

    # ------------------------------------------------------------------ choosing
    def chosen(self) -> tuple[str, ...]:
        """The chosen option ids, in display order."""
        return tuple(c.option_id for c in self.cards if c.checked)

    def choose(self, index: int) -> None:
        """Toggle the option shown at ``index`` as a click on it does: on a single-answer
        question it replaces the choice (or clears it when chosen again)."""
        if 0 <= index < len(self.cards):
            self._toggle(self.cards[index])

    def _toggle(self, card: OptionCard) -> None:
        question = self.question
        if question is None or self.answered or not self.can_choose():
            return
        if question.multiple:
            card.set_checked(not card.checked)
        else:
            for other in self.cards:
                other.set_checked(other is card and not other.checked)
        self.selection_changed.emit(self.chosen())

    def handle_key(self, event: QKeyEvent) -> bool:
        """Choose by a choice key (``keys``); True when the question has the option the
        key stands for (the key is then used up), False to let the screen give the key
        another meaning (G marks a guess in practice on questions without a 7th option)."""
        index = shortcuts.index_of(self.keys, event)
        if index is None or index >= len(self.cards):
            return False
        self.choose(index)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  # Qt override
        if self.answered or not self.handle_key(event):
            super().keyPressEvent(event)
