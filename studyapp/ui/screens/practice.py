"""Practice: planned questions, instant feedback with every option's rationale, undo.

Keys (from :mod:`studyapp.ui.shortcuts`): 1–9 or A–H choose an option (toggle for
multiple-answer questions); Enter submits; G marks "I guessed"; after the feedback Enter or
Space goes on; Ctrl+Z undoes the last answer (memory and log restored exactly, the question
asked again); Escape ends the session and shows its summary. Every answer is committed
when it is given.

After an answer the verdict banner, the explanation and the references sit between the
question and the options, and the page scrolls so that they are in view.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.planner import Mode
from studyapp.domain.practice_summary import SessionAnswer, measured_masteries, summary_lines
from studyapp.services.changes import Change
from studyapp.services.study.answers import AnswerResult
from studyapp.services.study.practice import PracticeItem, PracticePlan
from studyapp.services.study.service import StudyService
from studyapp.services.study.session_size import MAX_SESSION, MIN_SESSION, SessionSize
from studyapp.services.study.stats import StatsReport
from studyapp.ui import shortcuts
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.screens.home import plain
from studyapp.ui.widgets.option_card import KEYS, OptionCard, VerdictBanner
from studyapp.ui.widgets.rendered import FittedText, ReferenceList

if TYPE_CHECKING:
    from studyapp.services.changes import Outcome
    from studyapp.services.profile import Profile
    from studyapp.ui.controller import AppController

log = logging.getLogger(__name__)

# (label in the drop-down, planner mode, what it does: shown under the drop-down, so the
# labels stay short enough for the minimum window at large fonts)
MODES: tuple[tuple[str, Mode, str], ...] = (
    ("Recommended", "default", "Weak areas first, with due reviews, paced to your exam date."),
    ("One skill area", "skill", "Questions from the skill area you choose below."),
    ("Missed questions", "missed", "Only questions you have answered wrongly before."),
    ("Unseen questions", "unseen", "Only questions you have not answered yet."),
    ("Cram", "cram", "Practice without changing your review schedule."),
)


@dataclass(frozen=True, slots=True)
class _Planned:
    """What the worker hands back when a session is planned."""

    practice: PracticePlan
    stats: StatsReport
    session_id: int | None  # the recorded study session (None: nothing to practise)
    ahead: bool = False  # the session planned ahead was shown (see PracticeScreen.start)


@dataclass
class _Ahead:
    """The next session, planned on the worker thread while the learner reads the last
    feedback and the summary. Filled and read only on the worker thread (its one queue
    runs them in order), so "Practice more" finds it there without a round trip."""

    key: tuple[Mode, str | None, int]  # (mode, skill, size) it was planned for
    planned: tuple[PracticePlan, StatsReport] | None = None


@dataclass
class SessionLog:
    """What happened in this session, for the summary (whose rules are
    :mod:`studyapp.domain.practice_summary`)."""

    answers: list[tuple[PracticeItem, AnswerResult, float]] = field(default_factory=list)
    mastery_before: dict[str, float] = field(default_factory=dict)

    def summary_answers(self) -> list[SessionAnswer]:
        """The answers as the summary rules read them."""
        return [SessionAnswer(i.skill_title, r.correct, s) for i, r, s in self.answers]


class PracticeScreen(Screen):
    """Mode choice → question → feedback → … → summary."""

    title = "Practice"
    depends_on: ClassVar[Change] = Change.PACKS | Change.QUESTIONS | Change.SETTINGS

    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self.items: list[PracticeItem] = []
        self.index = 0
        self.current: PracticeItem | None = None
        self.result: AnswerResult | None = None
        self.cards: list[OptionCard] = []
        self.log = SessionLog()
        self.session_id: int | None = None  # the study session being practised
        self.mode: Mode = "default"
        self.timer = QElapsedTimer()
        self.busy = False
        self._ahead: _Ahead | None = None
        # Whether the session on screen is the one planned ahead (False: planned on click).
        self.ahead_used = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self._build_start()
        self._build_question()
        self._build_summary()
        self.pages.setCurrentWidget(self.start_page)
        undo = QShortcut(self)
        undo.setKeys(shortcuts.PRACTICE_UNDO.sequences())
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo)

    # ---------------------------------------------------------------- pages
    def _build_start(self) -> None:
        page = QWidget()
        layout = scroll_page(page, 8)
        layout.addWidget(plain("Practice", bold=True, size_delta=5))
        layout.addWidget(
            plain(
                "Each session mixes due reviews with new questions, leaning toward heavily "
                "weighted skill areas where you are weakest. With an exam date set in Settings, "
                "it paces new material and aims your memory at exam day.",
                wrap=True,
            )
        )
        form = QFormLayout()
        self.mode_box = QComboBox()
        self.mode_box.setAccessibleName("Practice mode")
        for label, mode, _ in MODES:
            self.mode_box.addItem(label, mode)
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        form.addRow("&Mode:", self.mode_box)
        self.mode_note = plain(MODES[0][2], wrap=True)
        self.mode_note.setObjectName("practiceModeNote")
        form.addRow("", self.mode_note)
        self.skill_box = QComboBox()
        self.skill_box.setAccessibleName("Skill area")
        self.skill_box.setEnabled(False)
        for box in (self.mode_box, self.skill_box):
            # Sized by the page, not by the longest entry: no sideways scrolling at 18 pt.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(14)
        form.addRow("&Skill area:", self.skill_box)
        self.size_box = QSpinBox()
        self.size_box.setRange(MIN_SESSION, MAX_SESSION)
        self.size_box.setValue(20)  # until the daily goal's size arrives (refresh)
        self.size_box.setAccessibleName("Questions in this session")
        self.size_box.valueChanged.connect(self._size_edited)
        self._size_from_goal = True
        form.addRow("&Questions:", self.size_box)
        layout.addLayout(form)
        self.start_button = QPushButton("Start session")
        self.start_button.setAccessibleName("Start session")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(40)
        self.start_button.clicked.connect(self.start)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.start_note = plain("", wrap=True)
        self.start_note.setObjectName("practiceNote")
        layout.addWidget(self.start_note)
        layout.addStretch(1)
        self.start_page = page
        self.pages.addWidget(page)

    def _build_question(self) -> None:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Everything wraps to the width it gets: never a sideways scroll bar.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll, 1)
        body = QWidget()
        self.q_layout = QVBoxLayout(body)
        self.q_layout.setContentsMargins(28, 18, 28, 12)
        self.q_layout.setSpacing(10)
        self.progress = plain("", wrap=True)
        self.progress.setObjectName("practiceProgress")
        self.q_layout.addWidget(self.progress)
        # Why this session holds fewer questions than asked, or that an exam date's pace
        # does not fit in the daily goal: shown for the whole session.
        self.session_note = plain("", wrap=True)
        self.session_note.setObjectName("practiceSessionNote")
        self.session_note.hide()
        self.q_layout.addWidget(self.session_note)
        self.leech_note = plain("", wrap=True)
        self.leech_note.hide()
        self.q_layout.addWidget(self.leech_note)
        self.stem = FittedText()
        self.stem.setAccessibleName("Question")
        self.q_layout.addWidget(self.stem)
        self.instruction = plain("", bold=True, wrap=True)
        self.q_layout.addWidget(self.instruction)
        # The feedback sits between the question and the options, where the eye is.
        self.verdict = VerdictBanner()
        self.q_layout.addWidget(self.verdict)
        self.explanation_title = plain("Explanation", bold=True)
        self.explanation = FittedText()
        self.explanation.setAccessibleName("Explanation")
        self.references = ReferenceList()
        for w in (self.explanation_title, self.explanation, self.references):
            w.hide()
            self.q_layout.addWidget(w)
        self.options_box = QVBoxLayout()
        self.options_box.setSpacing(8)
        self.q_layout.addLayout(self.options_box)
        self.q_layout.addStretch(1)
        scroll.setWidget(body)
        self.scroll_area = scroll

        bar = QHBoxLayout()
        bar.setContentsMargins(28, 6, 28, 12)
        self.guessed = QCheckBox("I &guessed")
        self.guessed.setAccessibleName("I guessed")
        self.guessed.setToolTip("Mark a lucky guess (G): it counts as Hard, not Good")
        bar.addWidget(self.guessed)
        bar.addStretch(1)
        self.end_button = QPushButton("End session")
        self.end_button.setToolTip("Show the summary (Esc)")
        self.end_button.clicked.connect(self.finish)
        bar.addWidget(self.end_button)
        self.submit_button = QPushButton("Submit")
        self.submit_button.setAccessibleName("Submit answer")
        self.submit_button.setToolTip("Enter")
        self.submit_button.setMinimumHeight(36)
        self.submit_button.clicked.connect(self.submit)
        bar.addWidget(self.submit_button)
        self.next_button = QPushButton("Next")
        self.next_button.setAccessibleName("Next question")
        self.next_button.setToolTip("Enter or Space")
        self.next_button.setMinimumHeight(36)
        self.next_button.clicked.connect(self.next_question)
        bar.addWidget(self.next_button)
        outer.addLayout(bar)
        self.question_page = page
        self.pages.addWidget(page)

    def _build_summary(self) -> None:
        page = QWidget()
        layout = scroll_page(page, 8)
        layout.addWidget(plain("Session summary", bold=True, size_delta=5))
        self.summary = plain("", wrap=True)
        self.summary.setObjectName("practiceSummary")
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        again = QPushButton("Practice more")
        again.setDefault(True)
        again.clicked.connect(self.start)
        home = QPushButton("Back to Home")
        home.clicked.connect(self._go_home)
        buttons.addWidget(again)
        buttons.addWidget(home)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.summary_page = page
        self.pages.addWidget(page)

    # ---------------------------------------------------------------- data
    def refresh(self) -> None:
        self.stale = False
        self.controller.query(lambda p: StudyService(p).framework(), self._fill_skills)
        self.controller.query(lambda p: StudyService(p).suggested_size(), self._goal_size)

    def _goal_size(self, size: SessionSize) -> None:
        """The daily goal's session size, unless the learner has chosen one here."""
        self.size_box.setToolTip(size.explanation())
        if self._size_from_goal:
            self.size_box.blockSignals(True)
            self.size_box.setValue(size.questions)
            self.size_box.blockSignals(False)

    def _size_edited(self) -> None:
        self._size_from_goal = False

    def _fill_skills(self, framework: Any) -> None:
        current = self.skill_box.currentData()
        self.skill_box.clear()
        for s in framework.skill_areas:
            self.skill_box.addItem(s.title, s.id)
        if current is not None:
            index = self.skill_box.findData(current)
            self.skill_box.setCurrentIndex(max(index, 0))

    def _mode_changed(self) -> None:
        self.skill_box.setEnabled(self.mode_box.currentData() == "skill")
        self.mode_note.setText(MODES[max(self.mode_box.currentIndex(), 0)][2])

    def _start_key(self) -> tuple[Mode, str | None, int]:
        """(mode, skill, size) as the start page's controls ask for them now."""
        mode: Mode = self.mode_box.currentData()
        skill = self.skill_box.currentData() if mode == "skill" else None
        return mode, skill, self.size_box.value()

    def _plan_ahead(self) -> None:
        """Plan the next session on the worker while the learner reads (issue 21).

        Queued after the last answer of a session (and when a session is ended early), so
        it sees every answer; "Practice more" shows it only if the service says it still
        stands for a plan made now (``StudyService.plan_is_current``). Each call replaces
        the slot: after an undo and a new answer the newest plan is the one kept.
        Speculative: a failure here is logged, and the plan made on click reports it.
        """
        if self.controller.profile is None:
            return
        slot = _Ahead(self._start_key())
        self._ahead = slot
        mode, skill, size = slot.key

        def work(profile: Profile) -> None:
            try:
                service = StudyService(profile)
                practice = service.plan_ahead(size, mode=mode, skill=skill)
                slot.planned = (practice, service.stats())
            except Exception:  # speculative work: the click plans again
                log.warning("planning the next session ahead failed", exc_info=True)

        self.controller.query(work, lambda _none: None)

    def start(self) -> None:
        """Show the next session's first question: the one planned ahead if it still
        stands, else a session planned now with the chosen mode."""
        if self.busy or self.controller.profile is None:
            return
        self.busy = True
        key = self._start_key()
        mode, skill, size = key
        self.mode = mode
        slot = self._ahead if self._ahead is not None and self._ahead.key == key else None
        self._ahead = None
        self.start_note.setText("Planning your session…")

        def work(profile: Profile) -> _Planned:
            service = StudyService(profile)
            ahead = slot.planned if slot is not None else None
            used = ahead is not None and service.plan_is_current(ahead[0])
            if ahead is not None and used:
                practice, stats = ahead
            else:
                stats = service.stats()
                practice = service.plan_practice(size, mode=mode, skill=skill)
            session = (
                service.start_session(mode, skill, len(practice.items)) if practice.items else None
            )
            return _Planned(practice, stats, session, used)

        self.controller.query(work, self._planned)

    def _planned(self, result: _Planned) -> None:
        self.busy = False
        practice = result.practice
        self.session_id = result.session_id
        self.ahead_used = result.ahead
        said = tuple(n for n in (practice.shortfall, practice.pacing) if n)
        self.begin(practice.items, result.stats, notes=practice.plan.notes, said=said)

    def begin(
        self,
        items: list[PracticeItem],
        stats: StatsReport,
        *,
        notes: tuple[str, ...] = (),
        said: tuple[str, ...] = (),
    ) -> None:
        """Show a planned session's first question (or why there is none).

        ``said``: sentences about the whole session (why it is shorter than asked, the
        exam pace), shown on the question page; ``notes``: the planner's notes.
        """
        self.session_note.setText(" ".join(said))
        self.session_note.setVisible(bool(said))
        self.log = SessionLog(mastery_before=measured_masteries(s.figure for s in stats.skills))
        if not items:
            self.pages.setCurrentWidget(self.start_page)
            message = "Nothing to practise in this mode right now."
            if self.mode == "default":
                message += " Everything due is done; try Unseen or Cram, or come back tomorrow."
            self.start_note.setText(" ".join([message, *said, *notes]))
            return
        self.start_note.setText(" ".join([*said, *notes]))
        self.items, self.index = items, 0
        self.pages.setCurrentWidget(self.question_page)
        self._show(items[0])

    # ---------------------------------------------------------------- asking
    def _show(self, item: PracticeItem) -> None:
        self.current, self.result = item, None
        q = item.question
        by_id = {o.id: o for o in q.options}
        self.progress.setText(
            f"Question {self.index + 1} of {len(self.items)} · {item.skill_title or 'Unassigned'}"
            + (" · cram: your schedule is not changed" if self.mode == "cram" else "")
        )
        self.stem.set_markdown(q.stem, item.media_data)
        keys = len(q.correct_ids)
        self.instruction.setText(
            f"Choose {keys} answers." if q.type == "multiple" else "Choose one answer."
        )
        self.instruction.show()
        self.verdict.hide()
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for i, option_id in enumerate(item.option_order):
            option = by_id[option_id]
            card = OptionCard(i, option_id)
            card.set_theme(self.controller.theme)
            card.set_content(option.text, item.media_data, option.text)
            card.toggled.connect(lambda c=card: self._toggle(c))
            self.options_box.addWidget(card)
            self.cards.append(card)
        for w in (self.explanation_title, self.explanation, self.references):
            w.hide()
        if item.show_explanation_first:
            self.leech_note.setText(
                "You have missed this question several times. Read the "
                "explanation first, then answer."
            )
            self.leech_note.show()
            self.explanation_title.show()
            self.explanation.set_markdown(q.explanation, item.media_data)
            self.explanation.show()
        else:
            self.leech_note.hide()
        self.guessed.setChecked(False)
        self.guessed.setEnabled(True)
        self.submit_button.show()
        self.submit_button.setEnabled(False)
        self.next_button.hide()
        self.scroll_area.verticalScrollBar().setValue(0)
        self.setFocus()
        self.timer.start()

    def _toggle(self, card: OptionCard) -> None:
        if self.result is not None or self.current is None:
            return
        if self.current.question.type == "single":
            for c in self.cards:
                c.set_checked(c is card and not c.checked)
        else:
            card.set_checked(not card.checked)
        self.submit_button.setEnabled(any(c.checked for c in self.cards))

    def choose(self, index: int) -> None:
        """Toggle the option shown at ``index`` (what keys 1–9 and A–H do)."""
        if 0 <= index < len(self.cards):
            self._toggle(self.cards[index])

    def submit(self) -> None:
        """Grade and commit the chosen options, then show the feedback."""
        item = self.current
        chosen = [c.option_id for c in self.cards if c.checked]
        if item is None or self.result is not None or not chosen or self.busy:
            return
        self.busy = True
        seconds = self.timer.elapsed() / 1000
        guessed = self.guessed.isChecked()
        mode = "cram" if self.mode == "cram" else "practice"
        session_id = self.session_id
        self.submit_button.setEnabled(False)

        def work(profile: Profile) -> Outcome[AnswerResult]:
            return StudyService(profile).answer(
                item.qid, chosen, seconds, guessed=guessed, mode=mode, session_id=session_id
            )

        def done(result: AnswerResult) -> None:
            self.busy = False
            self.log.answers.append((item, result, seconds))
            self._feedback(item, result)
            if self.index == len(self.items) - 1:
                self._plan_ahead()  # while the learner reads this last feedback

        def failed(exc: BaseException) -> None:
            self.busy = False
            self.submit_button.setEnabled(True)
            self.controller.report_error(exc)

        self.controller.run_op(work, done, failed)

    def _feedback(self, item: PracticeItem, result: AnswerResult) -> None:
        self.result = result
        q = item.question
        by_id = {o.id: o for o in q.options}
        for card in self.cards:
            option = by_id[card.option_id]
            card.show_feedback(
                option.correct, card.option_id in result.chosen, option.rationale, item.media_data
            )
        self.instruction.hide()
        self.verdict.set_theme(self.controller.theme)
        self.verdict.show_verdict(result.correct, *_verdict_words(result, self.cards, by_id))
        self.explanation_title.show()
        self.explanation.set_markdown(q.explanation or "_No explanation given._", item.media_data)
        self.explanation.show()
        self.references.setVisible(self.references.set_references(q.references))
        self.guessed.setEnabled(False)
        self.submit_button.hide()
        self.next_button.show()
        self.next_button.setFocus()
        QTimer.singleShot(0, self._bring_feedback_into_view)

    def _bring_feedback_into_view(self) -> None:
        """Scroll so the verdict and the explanation are in view, keeping as much of the
        question above them as fits (on a short question nothing moves)."""
        if self.result is None:
            return
        self.q_layout.activate()
        bar = self.scroll_area.verticalScrollBar()
        viewport = self.scroll_area.viewport().height()
        last = self.references if self.references.isVisible() else self.explanation
        feedback_end = last.geometry().bottom() + 12
        top = max(self.verdict.geometry().top() - 12, 0)
        bar.setValue(min(max(feedback_end - viewport, 0), top))

    def next_question(self) -> None:
        """Go on to the next question, or to the summary after the last."""
        if self.result is None or self.busy:
            return
        self.index += 1
        if self.index >= len(self.items):
            self.finish()
            return
        self._show(self.items[self.index])

    def undo(self) -> None:
        """Undo the last answer of this session and ask its question again."""
        if not self.log.answers or self.busy:
            return
        self.busy = True

        def done(qid: int | None) -> None:
            self.busy = False
            if qid is None:
                return
            item, _result, _secs = self.log.answers.pop()
            if item.qid != qid:
                return
            self.index = self.items.index(item)
            self.pages.setCurrentWidget(self.question_page)
            self._show(item)
            self.controller.window.statusBar().showMessage("Last answer undone.", 5000)

        def failed(exc: BaseException) -> None:
            self.busy = False
            self.controller.report_error(exc)

        self.controller.run_op(lambda p: StudyService(p).undo_last(), done, failed)

    def finish(self) -> None:
        """End the session and show what it did."""
        if self.busy:
            return
        if self.session_id is not None:
            ended, self.session_id = self.session_id, None
            self.controller.query(lambda p: StudyService(p).end_session(ended), lambda _r: None)
        if not self.log.answers:
            self.pages.setCurrentWidget(self.start_page)
            return
        if self._ahead is None:  # ended early: plan the next one while the summary shows
            self._plan_ahead()
        self.controller.query(lambda p: StudyService(p).stats(), self._summarise)

    def _summarise(self, stats: StatsReport) -> None:
        estimated = stats.view.estimated if stats.view else True
        lines = summary_lines(
            self.log.summary_answers(),
            self.log.mastery_before,
            measured_masteries(s.figure for s in stats.skills),
            stats.readiness.probability if estimated else None,
        )
        self.summary.setText("\n".join(lines))
        self.items, self.current, self.result = [], None, None
        self.pages.setCurrentWidget(self.summary_page)

    def _go_home(self) -> None:
        from studyapp.ui.screens.home import HomeScreen

        self.pages.setCurrentWidget(self.start_page)
        self.controller.window.show_screen(HomeScreen)

    # ---------------------------------------------------------------- keys
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  # Qt override
        if self.pages.currentWidget() is not self.question_page:
            super().keyPressEvent(event)
            return
        if self.result is None:
            index = shortcuts.index_of(shortcuts.PRACTICE_CHOOSE, event)
            if index is not None and index < len(self.cards):
                self.choose(index)
                return
            if shortcuts.matches(shortcuts.PRACTICE_SUBMIT, event):
                self.submit()
                return
            # G is a choice key on 7- and 8-option questions.
            if shortcuts.matches(shortcuts.PRACTICE_GUESSED, event) and len(self.cards) < 7:
                self.guessed.toggle()
                return
        elif shortcuts.matches(shortcuts.PRACTICE_NEXT, event):
            self.next_question()
            return
        if shortcuts.matches(shortcuts.PRACTICE_END, event):
            self.finish()
            return
        super().keyPressEvent(event)

    def on_theme_changed(self) -> None:
        for card in self.cards:
            card.set_theme(self.controller.theme)
        self.verdict.set_theme(self.controller.theme)


def _verdict_words(
    result: AnswerResult, cards: list[OptionCard], by_id: dict[str, Any]
) -> tuple[str, str]:
    """The verdict's headline ("Correct", "Not quite: the answer is B") and detail line."""
    letters = [KEYS[c.index] for c in cards if by_id[c.option_id].correct]
    if result.correct:
        headline = "Correct"
    elif len(letters) == 1:
        headline = f"Not quite: the answer is {letters[0]}"
    else:
        headline = f"Not quite: the answers are {', '.join(letters[:-1])} and {letters[-1]}"
    detail = ""
    if result.became_leech:
        detail = (
            "You have missed this question often; it will come back with its explanation first."
        )
    return headline, detail
