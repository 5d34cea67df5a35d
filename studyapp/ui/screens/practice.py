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

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QElapsedTimer, Qt
from PySide6.QtGui import QKeyEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.planner import Mode
from studyapp.domain.practice_summary import measured_masteries
from studyapp.services.changes import Change
from studyapp.services.study.answers import AnswerResult
from studyapp.services.study.practice import PracticeItem
from studyapp.services.study.service import StudyService
from studyapp.services.study.session_size import MAX_SESSION, MIN_SESSION, SessionSize
from studyapp.services.study.stats import StatsReport
from studyapp.ui import shortcuts
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.screens.practice_plan import (
    MODES,
    Ahead,
    Planned,
    SessionLog,
    StartKey,
    feedback_on,
    plan_ahead,
    plan_session,
    shown_question,
)
from studyapp.ui.widgets.labels import plain
from studyapp.ui.widgets.option_card import OptionCard
from studyapp.ui.widgets.question_view import QuestionView

if TYPE_CHECKING:
    from studyapp.services.changes import Outcome
    from studyapp.services.profile import Profile
    from studyapp.ui.context import ScreenContext


class PracticeScreen(Screen):
    """Mode choice → question → feedback → … → summary."""

    title = "Practice"
    depends_on: ClassVar[Change] = Change.PACKS | Change.QUESTIONS | Change.SETTINGS

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__(controller)
        self.items: list[PracticeItem] = []
        self.index = 0
        self.current: PracticeItem | None = None
        self.result: AnswerResult | None = None
        self.log = SessionLog()
        self.session_id: int | None = None  # the study session being practised
        self.mode: Mode = "default"
        self.timer = QElapsedTimer()
        self.busy = False
        self._ahead: Ahead | None = None
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
        self.question_view = QuestionView(
            shortcuts.PRACTICE_CHOOSE, margins=(28, 18, 28, 12), spacing=10
        )
        self.question_view.selection_changed.connect(self._chosen)
        outer.addWidget(self.question_view, 1)
        self.progress = plain("", wrap=True)
        self.progress.setObjectName("practiceProgress")
        # Why this session holds fewer questions than asked, or that an exam date's pace
        # does not fit in the daily goal: shown for the whole session.
        self.session_note = plain("", wrap=True)
        self.session_note.setObjectName("practiceSessionNote")
        self.session_note.hide()
        self.leech_note = plain("", wrap=True)
        self.leech_note.hide()
        for note in (self.progress, self.session_note, self.leech_note):
            self.question_view.add_header(note)

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

    def _start_key(self) -> StartKey:
        """(mode, skill, size) as the start page's controls ask for them now."""
        mode: Mode = self.mode_box.currentData()
        skill = self.skill_box.currentData() if mode == "skill" else None
        return mode, skill, self.size_box.value()

    def _plan_ahead(self) -> None:
        """Plan the next session on the worker while the learner reads (issue 21).

        Queued after the last answer of a session (and when a session is ended early), so
        it sees every answer. Each call replaces the slot: after an undo and a new answer
        the newest plan is the one kept (see :func:`plan_ahead`, :func:`plan_session`).
        """
        if self.controller.profile is None:
            return
        self._ahead = Ahead(self._start_key())
        self.controller.query(partial(plan_ahead, self._ahead), lambda _none: None)

    def start(self) -> None:
        """Show the next session's first question: the one planned ahead if it still
        stands, else a session planned now with the chosen mode."""
        if self.busy or self.controller.profile is None:
            return
        self.busy = True
        key = self._start_key()
        self.mode = key[0]
        slot = self._ahead if self._ahead is not None and self._ahead.key == key else None
        self._ahead = None
        self.start_note.setText("Planning your session…")
        self.controller.query(partial(plan_session, key, slot), self._planned)

    def _planned(self, result: Planned) -> None:
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
        self.progress.setText(
            f"Question {self.index + 1} of {len(self.items)} · {item.skill_title or 'Unassigned'}"
            + (" · cram: your schedule is not changed" if self.mode == "cram" else "")
        )
        self.question_view.set_theme(self.controller.theme)
        self.question_view.show_question(shown_question(item))
        self.leech_note.setVisible(item.show_explanation_first)
        if item.show_explanation_first:
            self.leech_note.setText(
                "You have missed this question several times. Read the "
                "explanation first, then answer."
            )
            self.question_view.show_explanation(item.question.explanation)
        self.guessed.setChecked(False)
        self.guessed.setEnabled(True)
        self.submit_button.show()
        self.submit_button.setEnabled(False)
        self.next_button.hide()
        self.setFocus()
        self.timer.start()

    @property
    def cards(self) -> list[OptionCard]:
        """The option cards on screen, in display order."""
        return self.question_view.cards

    def _chosen(self, chosen: tuple[str, ...]) -> None:
        self.submit_button.setEnabled(bool(chosen) and self.result is None)

    def choose(self, index: int) -> None:
        """Toggle the option shown at ``index`` (what keys 1–9 and A–H do)."""
        self.question_view.choose(index)

    def submit(self) -> None:
        """Grade and commit the chosen options, then show the feedback."""
        item = self.current
        chosen = list(self.question_view.chosen())
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
        self.question_view.set_theme(self.controller.theme)
        self.question_view.show_feedback(feedback_on(item, result))
        self.guessed.setEnabled(False)
        self.submit_button.hide()
        self.next_button.show()
        self.next_button.setFocus()

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
        self.summary.setText("\n".join(self.log.summary(stats)))
        self.items, self.current, self.result = [], None, None
        self.pages.setCurrentWidget(self.summary_page)

    def _go_home(self) -> None:
        self.pages.setCurrentWidget(self.start_page)
        self.controller.window.show_home()

    # ---------------------------------------------------------------- keys
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  # Qt override
        if self.pages.currentWidget() is not self.question_page:
            super().keyPressEvent(event)
            return
        if self.result is None:
            if self.question_view.handle_key(event):
                return
            if shortcuts.matches(shortcuts.PRACTICE_SUBMIT, event):
                self.submit()
                return
            # G chooses on 7- and 8-option questions (the view took it): else it marks a guess.
            if shortcuts.matches(shortcuts.PRACTICE_GUESSED, event):
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
        self.question_view.set_theme(self.controller.theme)
