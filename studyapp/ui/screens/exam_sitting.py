"""Sitting a mock exam: question, options, navigator, countdown, flag, pause, review.

The truth is the sitting stored by :class:`~studyapp.services.exams.service.ExamService`; this
page redraws the countdown from the last stored view and a monotonic clock, commits the
elapsed time every few seconds (``tick``), and commits every answer and flag as it is
given. Nothing is graded until the exam is handed in.

Keys: 1–9 / A–H choose; ← / → (or Page Up / Page Down) previous / next; F flag;
P pause or resume; R the review before submitting. They are shortcuts of the whole page,
so they mean the same whatever has focus; the bar's buttons never take focus (a mouse
click on "Flag" must not make → and Space act on the button next to it). While paused,
everything that cannot act is disabled and the note under the clock says why.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.services.changes import Outcome
from studyapp.services.exams.service import ExamService
from studyapp.services.exams.views import ExamQuestion, ExamView, ReviewList
from studyapp.ui import shortcuts
from studyapp.ui.screens.exam_review import ReviewPage, confirm_hand_in
from studyapp.ui.widgets.flow import FlowLayout
from studyapp.ui.widgets.labels import plain, refresh_fonts
from studyapp.ui.widgets.navigator import Navigator
from studyapp.ui.widgets.option_card import KEYS, OptionCard
from studyapp.ui.widgets.question_view import QuestionView, ShownOption, ShownQuestion

if TYPE_CHECKING:
    from studyapp.services.profile import Profile
    from studyapp.ui.context import ScreenContext

T = TypeVar("T")

TICK_MS = 5_000
REDRAW_MS = 250
PAUSED_NOTE = (
    "Paused: the clock is stopped. Questions, flags, the navigator and the review wait "
    "until you resume (P)."
)


def clock_text(ms: int) -> str:
    """h:mm:ss (or m:ss under an hour)."""
    seconds = max(ms, 0) // 1000
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class SittingPage(QWidget):
    """The exam in progress; emits ``finished`` with the result after submission."""

    finished = Signal(object)  # ExamResult

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """The countdown and headings follow the font-size setting whenever the sitting
        shows: a page built before a font change (screens are built in the background)
        could otherwise keep the size it was built with (seen once in CI: 17 pt at 18)."""
        refresh_fonts(self, QApplication.font().pointSize())
        super().showEvent(event)

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__()
        self.c = controller
        self.view: ExamView | None = None
        self.question: ExamQuestion | None = None
        self.busy = False
        self._anchor = QElapsedTimer()
        self._redraw = QTimer(self)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self._draw_clock)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)

        root = QHBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        main = QVBoxLayout()
        main.setContentsMargins(24, 14, 12, 12)
        top = QHBoxLayout()
        self.position = plain("", bold=True, wrap=True)
        self.position.setObjectName("examPosition")
        top.addWidget(self.position, 1)
        # A plain() label, so it follows the font-size setting (a fixed QFont did not).
        self.clock = plain("", bold=True, size_delta=6)
        self.clock.setObjectName("examClock")
        self.clock.setAccessibleName("Time left")
        top.addWidget(self.clock)
        main.addLayout(top)
        self.clock_note = plain("", wrap=True)
        main.addWidget(self.clock_note)

        self.body = QStackedWidget()
        self.question_view = QuestionView(shortcuts.EXAM_CHOOSE, can_choose=self._can_answer)
        self.question_view.selection_changed.connect(self._answer)
        self.body.addWidget(self.question_view)
        self.paused_cover = QWidget()
        cover = QVBoxLayout(self.paused_cover)
        cover.addStretch(1)
        self.paused_label = plain(
            "Paused: the questions are hidden.", bold=True, size_delta=4, wrap=True
        )
        self.paused_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        cover.addWidget(self.paused_label)
        self.cover_resume = QPushButton("Resume (P)")
        self.cover_resume.setAccessibleName("Resume exam")
        self.cover_resume.clicked.connect(lambda: self.toggle_pause())
        cover.addWidget(self.cover_resume, 0, Qt.AlignmentFlag.AlignCenter)
        cover.addStretch(2)
        self.body.addWidget(self.paused_cover)
        self.review_page = ReviewPage()
        self.review_page.jump.connect(self.jump)
        self.review_page.back.connect(lambda: self._back_from_review())
        # Not ``connect(self.submit)``: a ``checked=False`` would land in ``confirm``
        # and hand the exam in without asking.
        self.review_page.hand_in.connect(lambda: self.submit())
        self.review_list = self.review_page.list
        self.submit_button = self.review_page.submit_button
        self.body.addWidget(self.review_page)
        main.addWidget(self.body, 1)

        bar = FlowLayout()
        self.prev_button = QPushButton("← Previous")
        self.prev_button.setToolTip("Left arrow or Page Up")
        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.next_button = QPushButton("Next →")
        self.next_button.setToolTip("Right arrow or Page Down")
        self.next_button.clicked.connect(lambda: self.go(1))
        self.flag_button = QPushButton("Flag (F)")
        self.flag_button.setCheckable(True)
        self.flag_button.setAccessibleName("Flag this question for review")
        self.flag_button.clicked.connect(lambda: self.toggle_flag())
        self.pause_button = QPushButton("Pause (P)")
        self.pause_button.setAccessibleName("Pause exam")
        self.pause_button.clicked.connect(lambda: self.toggle_pause())
        self.review_button = QPushButton("Review and hand in (R)")
        self.review_button.clicked.connect(lambda: self.show_review())
        self.bar_buttons = (
            self.prev_button,
            self.next_button,
            self.flag_button,
            self.pause_button,
            self.review_button,
        )
        for b in self.bar_buttons:
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            bar.addWidget(b)
        bar.right_from = len(self.bar_buttons) - 1
        main.addLayout(bar)
        self.body.currentChanged.connect(lambda _i: self._bar_for_page())
        root.addLayout(main, 1)

        side = QVBoxLayout()
        side.setContentsMargins(8, 14, 16, 12)
        side.addWidget(plain("Questions", bold=True))
        self.counts = plain("", wrap=True)
        self.counts.setObjectName("examCounts")
        side.addWidget(self.counts)
        self.navigator = Navigator()
        self.navigator.jump.connect(self.jump)
        nav_scroll = QScrollArea()
        nav_scroll.setWidget(self.navigator)
        nav_scroll.setFrameShape(QFrame.Shape.NoFrame)
        nav_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav_scroll = nav_scroll
        side.addWidget(nav_scroll, 1)
        self.legend = plain("Filled: answered · dot: flagged · ring: current", wrap=True)
        side.addWidget(self.legend)
        root.addLayout(side)
        self._fit_side()
        self._bind_keys()

    def _bar_for_page(self) -> None:
        """The review page has its own way back: only Pause stays below it (room at 18 pt)."""
        reviewing = self.body.currentWidget() is self.review_page
        for button in (self.prev_button, self.next_button, self.flag_button, self.review_button):
            button.setVisible(not reviewing)

    def _fit_side(self) -> None:
        """The navigator column is as wide as its cells (which follow the font); the
        review list shows at least four lines."""
        self.review_list.setMinimumHeight(4 * self.review_list.fontMetrics().height() + 12)
        width = self.navigator.sizeHint().width() + self.style().pixelMetric(
            self.style().PixelMetric.PM_ScrollBarExtent
        )
        self.nav_scroll.setFixedWidth(width)
        self.legend.setFixedWidth(width)
        self.counts.setFixedWidth(width)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802  # Qt override
        if event.type() == QEvent.Type.FontChange:
            self._fit_side()
        super().changeEvent(event)

    def _bind_keys(self) -> None:
        """The sitting's keys, as shortcuts of the whole page (see the module docstring)."""
        # The keys come from the one registry (studyapp/ui/shortcuts.py), which the help
        # dialog lists; F is one of the letters (see _letter).
        bindings: list[tuple[str, Callable[[], None]]] = []
        actions: list[tuple[shortcuts.Binding, Callable[[], None]]] = [
            (shortcuts.EXAM_NEXT, lambda: self.go(1)),
            (shortcuts.EXAM_PREVIOUS, lambda: self.go(-1)),
            (shortcuts.EXAM_PAUSE, self.toggle_pause),
            (shortcuts.EXAM_REVIEW, self.show_review),
        ]
        bindings += [(k, action) for binding, action in actions for k in binding.keys]
        for key in shortcuts.EXAM_CHOOSE.keys:
            bindings.append((key, self._choice_action(key)))
        self.shortcuts: dict[str, QShortcut] = {}
        for keys, action in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
            self.shortcuts[keys] = shortcut

    def _choice_action(self, key: str) -> Callable[[], None]:
        """What a choice key does: 1–9 choose by number, letters via :meth:`_letter`."""
        if key.isdigit():
            return lambda: self.choose(int(key) - 1)
        return lambda: self._letter(key)

    def _letter(self, key: str) -> None:
        """A–H choose an option; F flags when the question has no option F."""
        index = KEYS.index(key)
        if index < len(self.cards):
            self.question_view.choose(index)
        elif key == "F":
            self.toggle_flag()

    # ------------------------------------------------------------------ state
    def open(self, view: ExamView) -> None:
        """Show a sitting: start it if new, show it paused if paused or interrupted.

        The page is reused: nothing of an earlier sitting stays (its question would be
        taken for this one's at the same position, its review page shown first)."""
        self.view, self.question = view, None
        self.body.setCurrentWidget(self.question_view)
        self.navigator.theme = self.c.theme
        if view.status == "not_started":
            self._op(lambda s: s.start(view.id), self._after_change)
        else:
            self._apply_view(view)
            self._load_question(view.current)

    def stop_timers(self) -> None:
        self._redraw.stop()
        self._ticker.stop()

    def _apply_view(self, view: ExamView) -> None:
        self.view = view
        self._anchor.start()
        running = view.status == "running"
        if running:
            self._redraw.start()
            self._ticker.start()
        else:
            self.stop_timers()
        paused = view.status == "paused"
        self.pause_button.setText("Resume (P)" if paused else "Pause (P)")
        self.pause_button.setAccessibleName("Resume exam" if paused else "Pause exam")
        if view.interrupted and paused:
            self.clock_note.setText(
                "This exam was interrupted (the app closed or the computer slept). Your time "
                "left is as it was: the time while StudyApp was closed did not count. "
                "Questions, flags, the navigator and the review wait until you resume (P)."
            )
        elif paused:
            self.clock_note.setText(PAUSED_NOTE)
        else:
            self.clock_note.setText("")
        self.clock_note.setVisible(paused)
        hide = paused and view.hide_when_paused
        if self.body.currentWidget() is not self.review_page:
            self.body.setCurrentWidget(self.paused_cover if hide else self.question_view)
        for w in (self.flag_button, self.review_button, self.navigator, self.review_list):
            w.setEnabled(running)
        self.prev_button.setEnabled(running and view.current > 0)
        self.next_button.setEnabled(running and view.current < view.length - 1)
        self.question_view.set_options_enabled(
            running and self.question is not None and self.question.available
        )
        self.navigator.set_state(
            [i.answered for i in view.items], [i.flagged for i in view.items], view.current
        )
        self._fit_side()
        self.position.setText(f"Question {view.current + 1} of {view.length}")
        self.counts.setText(f"{view.answered} of {view.length} answered · {view.flagged} flagged")
        if paused and self.body.currentWidget() is not self.review_page:
            # Focus off the now disabled parts, onto the page (P resumes; Space does nothing).
            self.setFocus()
        self._draw_clock()

    def _draw_clock(self) -> None:
        view = self.view
        if view is None:
            return
        left = view.remaining_ms
        if view.status == "running":
            left -= self._anchor.elapsed()
        self.clock.setText(clock_text(left))
        self.clock.setAccessibleDescription(f"{clock_text(left)} left")
        if view.status == "running" and left <= 0:
            self._tick()

    # ------------------------------------------------------------------ operations
    def _op(self, fn: Callable[[ExamService], Outcome[T]], on_done: Callable[[T], None]) -> None:
        if self.busy:
            return
        self.busy = True

        def done(value: T) -> None:
            self.busy = False
            on_done(value)

        def failed(exc: BaseException) -> None:
            self.busy = False
            self.c.report_error(exc)

        self.c.run_op(partial(_on_exam_service, fn), done, failed)

    def _after_change(self, view: ExamView) -> None:
        if view.submitted:
            self._results()
            return
        moved = self.question is None or view.current != self.question.position
        self._apply_view(view)
        if moved:
            self._load_question(view.current)

    def _tick(self) -> None:
        view = self.view
        if view is None or view.status != "running" or self.busy:
            return
        self._op(lambda s: s.tick(view.id), self._after_change)

    def _load_question(self, position: int) -> None:
        view = self.view
        if view is None:
            return
        self.c.query(lambda p: ExamService(p).question(view.id, position), self._show_question)

    def _show_question(self, q: ExamQuestion) -> None:
        self.question = q
        self.question_view.set_theme(self.c.theme)
        self.question_view.show_question(
            ShownQuestion(
                stem=q.stem
                if q.available
                else "_This question's pack was removed; it counts as unanswered._",
                options=tuple(ShownOption(o.id, o.text) for o in q.options),
                multiple=q.multiple,
                instruction="Choose all that apply, then go on."
                if q.multiple
                else "Choose one answer.",
                media=q.media_data,
                chosen=frozenset(q.chosen),
            ),
            enabled=q.available and self.view is not None and self.view.status == "running",
        )
        self.flag_button.setChecked(q.flagged)
        self.setFocus()

    @property
    def cards(self) -> list[OptionCard]:
        """The option cards on screen, in display order."""
        return self.question_view.cards

    def _can_answer(self) -> bool:
        """Whether a choice may change now: the exam runs and nothing is being saved."""
        view = self.view
        return (
            self.question is not None
            and view is not None
            and view.status == "running"
            and not self.busy
        )

    def _answer(self, chosen: tuple[str, ...]) -> None:
        """Save the choice the learner just made (the view has already shown it)."""
        q, view = self.question, self.view
        if q is None or view is None:
            return
        position = q.position
        self._op(lambda s: s.answer(view.id, position, list(chosen)), self._after_change)

    def choose(self, index: int) -> None:
        """Toggle the option at ``index`` (keys 1–9 / A–H)."""
        self.question_view.choose(index)

    def go(self, step: int) -> None:
        """Previous (-1) or next (+1) question."""
        view = self.view
        if view is None or view.status != "running":
            return
        target = min(max(view.current + step, 0), view.length - 1)
        if target != view.current:
            self.jump(target)

    def jump(self, position: int) -> None:
        """Show question ``position`` (0-based)."""
        view = self.view
        if view is None or view.status != "running":
            return
        self.body.setCurrentWidget(self.question_view)
        self._op(lambda s: s.navigate(view.id, position), self._after_change)

    def toggle_flag(self) -> None:
        q, view = self.question, self.view
        if q is None or view is None or view.status != "running":
            return
        flagged = not q.flagged
        position = q.position
        # A click has already flipped the checkable button; it shows the stored state
        # until the flag is saved (or stays as it was if the click is dropped while busy).
        self.flag_button.setChecked(q.flagged)

        def done(new_view: ExamView) -> None:
            self.question = _with_flag(q, flagged)
            self.flag_button.setChecked(flagged)
            self._after_change(new_view)

        self._op(lambda s: s.flag(view.id, position, flagged), done)

    def toggle_pause(self) -> None:
        view = self.view
        if view is None or view.submitted:
            return
        if view.status == "running":
            self._op(lambda s: s.pause(view.id), self._after_change)
        else:
            self.body.setCurrentWidget(self.question_view)
            self._op(lambda s: s.resume(view.id), self._after_change)

    # ------------------------------------------------------------------ review and submit
    def show_review(self) -> None:
        view = self.view
        if view is None or view.status != "running":
            return
        self.c.query(lambda p: ExamService(p).review_list(view.id), self._show_review)

    def _show_review(self, review: ReviewList) -> None:
        view = self.view
        if view is None:
            return
        self.review_page.fill(view, review)
        self.body.setCurrentWidget(self.review_page)
        self.submit_button.setFocus()

    def _back_from_review(self) -> None:
        self.body.setCurrentWidget(self.question_view)

    def submit(self, confirm: bool = True) -> None:
        view = self.view
        if view is None or view.submitted:
            return
        if confirm and not confirm_hand_in(self, view):
            return
        self.stop_timers()
        self._op(lambda s: s.submit(view.id), self.finished.emit)

    def _results(self) -> None:
        view = self.view
        self.stop_timers()
        if view is not None:
            self.c.query(lambda p: ExamService(p).result(view.id), self.finished.emit)


def _on_exam_service(fn: Callable[[ExamService], Outcome[T]], profile: Profile) -> Outcome[T]:
    """``fn`` applied to the profile's exam service (worker thread; holds no widget)."""
    return fn(ExamService(profile))


def _with_flag(q: ExamQuestion, flagged: bool) -> ExamQuestion:
    from dataclasses import replace

    return replace(q, flagged=flagged)
