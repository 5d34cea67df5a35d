"""Home: where the user stands, and the one obvious next step.

Mastery per skill area grouped by the categories, with exam weight and uncertainty, once
an area has enough answers ("not practised yet" / "too few answers" before); the weakest
area once there is evidence; readiness and estimated score with the reasons behind them
and, beside them, a warning when the latest mock exams are below the pass line; due
today, streak, days to the exam; "Start practice" (Enter) and the suggested focus. Every
rule behind these words is in :mod:`studyapp.domain.figures` and
:mod:`studyapp.domain.evidence`; the exam's figures (length, pass mark, scale) come from
the framework.

At start-up Home first shows the figures persisted at the end of the last computation
(:mod:`studyapp.services.study.home_summary`), when they still describe the profile, with a
quiet "Updating…" beside the heading; the fresh figures replace them when the worker has
computed them. Both are drawn by the same code from a
:class:`~studyapp.services.study.home_summary.HomeSummary`. This module imports no service that
loads SQLAlchemy: it is part of what loads before the first paint.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.evidence import ENOUGH_ANSWERS
from studyapp.domain.figures import (
    category_text,
    mastery_text,
    mock_warning,
    suggested_focus,
    weakest,
)
from studyapp.domain.group import ScheduledExam
from studyapp.domain.settings import long_date
from studyapp.domain.words import plural
from studyapp.services.changes import Change
from studyapp.services.study.home_summary import HomeSummary
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.widgets.labels import plain
from studyapp.ui.widgets.mastery_bar import MasteryBar

if TYPE_CHECKING:
    from studyapp.services.profile import Profile
    from studyapp.services.study.stats import StatsReport
    from studyapp.ui.context import ScreenContext


def _scheduled_group_exams(profile: Profile) -> tuple[ScheduledExam, ...]:
    """The group's scheduled mock exams (run on the worker: the group services are imported
    there, not on the GUI thread at start-up)."""
    from studyapp.services.groups import scheduled_exams

    return scheduled_exams(profile)


class HomeScreen(Screen):
    """The first screen."""

    title = "Home"
    depends_on = Change.REVIEWS | Change.PACKS | Change.QUESTIONS | Change.SETTINGS | Change.EXAMS

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__(controller)
        self._layout = scroll_page(self, 12)
        heading_row = QHBoxLayout()
        self._heading = plain("Opening your profile…", bold=True, size_delta=5, wrap=True)
        self._heading.setObjectName("homeHeading")
        heading_row.addWidget(self._heading, 1)
        self._updating = plain("")
        self._updating.setObjectName("homeUpdating")
        self._updating.setEnabled(False)  # drawn in the theme's muted colour
        self._updating.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        heading_row.addWidget(self._updating)
        self._layout.addLayout(heading_row)

        top = QHBoxLayout()
        self.start_button = QPushButton("Start practice")
        self.start_button.setObjectName("startPractice")
        self.start_button.setAccessibleName("Start practice")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(40)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self._start_practice)
        # Drawn as the default button, so Enter must start practice wherever the focus is
        # in the window while Home shows (a default button acts by itself only in dialogs).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self)
            enter.setContext(Qt.ShortcutContext.WindowShortcut)
            enter.activated.connect(self._enter_pressed)
        top.addWidget(self.start_button)
        self._summary = plain("", wrap=True)
        self._summary.setObjectName("homeSummary")
        top.addWidget(self._summary, 1)
        self._layout.addLayout(top)
        self._suggestion = plain("", wrap=True)
        self._suggestion.setObjectName("homeSuggestion")
        self._layout.addWidget(self._suggestion)
        self._readiness = plain("", bold=True, size_delta=2, wrap=True)
        self._readiness.setObjectName("homeReadiness")
        self._layout.addWidget(self._readiness)
        self._mock_warning = plain("", bold=True, wrap=True)
        self._mock_warning.setObjectName("homeMockWarning")
        self._mock_warning.setVisible(False)
        self._layout.addWidget(self._mock_warning)
        self._why = plain("", wrap=True)
        self._why.setObjectName("homeReadinessWhy")
        self._layout.addWidget(self._why)
        self._caption = plain("", wrap=True)
        self._caption.setObjectName("homeCaption")
        self._layout.addWidget(self._caption)
        # The study group's scheduled mock exams (as of the last sync; hidden without any).
        self.group_exams = QWidget()
        self.group_exams.setObjectName("homeGroupExams")
        group_layout = QVBoxLayout(self.group_exams)
        group_layout.setContentsMargins(0, 0, 0, 0)
        group_layout.addWidget(plain("Your study group's mock exams", bold=True))
        self._group_exam_list = plain("", wrap=True)
        group_layout.addWidget(self._group_exam_list)
        self.group_exam_button = QPushButton("Sit the next group exam")
        self.group_exam_button.setAccessibleName("Sit the next group mock exam")
        self.group_exam_button.clicked.connect(lambda: self._sit_group_exam())
        group_layout.addWidget(self.group_exam_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.group_exams.setVisible(False)
        self._layout.addWidget(self.group_exams)
        self._next_group_code: str | None = None
        self._content = QWidget()
        self._layout.addWidget(self._content)
        self._layout.addStretch(1)
        self.report: StatsReport | None = None
        self.summary: HomeSummary | None = None
        self._start_pending = False
        controller.profile_opened.connect(self._profile_opened)
        controller.profile_failed.connect(lambda _exc: self._cancel_pending_start())

    def refresh(self) -> None:
        self.stale = False
        from studyapp.services.study.home_summary import compute_and_save

        self.controller.query(compute_and_save, self.show_figures)
        self.controller.query(_scheduled_group_exams, self.show_group_exams)

    def show_group_exams(self, exams: Sequence[ScheduledExam]) -> None:
        """List the group's scheduled mock exams; the button opens the next one's code."""
        today = self.controller.clock.now().astimezone().date().isoformat()
        ahead = [e for e in exams if e.date is None or e.date >= today]
        lines = [
            f"{e.code}" + (f" on {long_date(date.fromisoformat(e.date))}" if e.date else "")
            for e in ahead
        ]
        self._group_exam_list.setText("\n".join(lines))
        self._next_group_code = ahead[0].code if ahead else None
        self.group_exams.setVisible(bool(ahead))

    def _sit_group_exam(self) -> None:
        """Go to Mock exam with the next group exam's code filled in (started from there)."""
        if self._next_group_code is None:
            return
        self.controller.window.prepare_exam(self._next_group_code)

    def show_message(self, text: str) -> None:
        """Replace the heading with a message (opening, importing, or a failure).

        Figures already shown (persisted ones at start-up) are cleared: they would
        otherwise stand beside a message that says the profile is not open.
        """
        self._heading.setText(text)
        if self.summary is not None:
            self.summary = None
            self.report = None
            for label in (
                self._summary,
                self._suggestion,
                self._readiness,
                self._mock_warning,
                self._why,
                self._caption,
            ):
                label.setText("")
            self._mock_warning.setVisible(False)
            self._updating.setText("")
            self._replace_content(QWidget())
            self.start_button.setEnabled(False)

    def on_theme_changed(self) -> None:
        for bar in self._content.findChildren(MasteryBar):
            bar.theme = self.controller.theme
            bar.update()

    def _enter_pressed(self) -> None:
        if self.isVisible() and self.start_button.isEnabled():
            self.start_button.animateClick()

    def _start_practice(self) -> None:
        if self.controller.profile is None:
            # Persisted figures are up while the profile opens: start as soon as it is open.
            self._start_pending = True
            self._updating.setText("Starting practice as soon as your profile is open…")
            return
        self.controller.window.start_practice()

    def _profile_opened(self) -> None:
        if self._start_pending:
            self._start_pending = False
            self._updating.setText("Updating…" if self._persisted() else "")
            self._start_practice()

    def _cancel_pending_start(self) -> None:
        self._start_pending = False

    def _persisted(self) -> bool:
        return self.summary is not None and self.summary.persisted

    def show_figures(self, report: StatsReport | HomeSummary) -> None:
        """Show fresh statistics (a ``StatsReport``) or persisted ones (a ``HomeSummary``)."""
        if isinstance(report, HomeSummary):
            summary = report
        else:
            self.report = report
            summary = HomeSummary.from_report(report, self.controller.clock.now())
            self.controller.window.build_rest_later()  # idle moments from now on
        self.summary = summary
        self._updating.setText("Updating…" if summary.persisted else "")
        self._updating.setToolTip(
            f"Figures from {summary.computed_at.astimezone():%H:%M}; fresh ones are on the way."
            if summary.persisted
            else ""
        )
        seen = sum(s.seen for s in summary.skills)
        total = sum(s.questions for s in summary.skills)
        due = sum(s.due for s in summary.skills)
        self._heading.setText("Welcome back" if summary.reviews else "Welcome to StudyApp")
        days = summary.days_to_exam
        exam = ""
        if days is not None and days >= 0:
            exam = {0: "Your exam is today · ", 1: "1 day to your exam · "}.get(
                days, f"{days} days to your exam · "
            )
        self._summary.setText(
            f"{exam}{due} due now · {seen} of {plural(total, 'question')} seen · "
            f"streak {plural(summary.streak, 'day')} · {summary.today_answers} answered today"
        )
        self.start_button.setEnabled(total > 0)
        figures = [s.figure for s in summary.skills]
        focus = suggested_focus(figures)
        self._suggestion.setText(
            f"{focus.text} Practice sessions lean toward it automatically." if focus else ""
        )
        r = summary
        if not r.estimated:
            self._readiness.setText("Readiness: not estimated yet, too few answers")
        else:
            self._readiness.setText(
                f"Readiness: {r.probability:.0%} chance of passing · estimated score "
                f"{r.expected_scaled} (likely {r.scaled_low}–{r.scaled_high}) of {r.scale_max}"
            )
        warning = mock_warning(r.mocks_below, r.estimated, r.probability)
        self._mock_warning.setText(warning)
        self._mock_warning.setVisible(bool(warning))
        why = list(r.why)
        self._why.setText("\n".join(f"• {w}" for w in why))
        self._why.setVisible(bool(why))
        self._caption.setText(
            (
                "An estimate from your answers so far"
                if r.estimated
                else "Readiness will be estimated from your answers"
            )
            + f", assuming a raw pass mark of {r.cut} of {r.length} questions. The pass line "
            f"is published ({r.pass_scaled} of {r.scale_max}), the raw cut is not; you can "
            "change the assumption in Settings. A skill area shows its mastery once it has "
            f"{ENOUGH_ANSWERS} answers."
        )
        self._rebuild_skills(summary, weakest(figures))

    def _rebuild_skills(self, report: HomeSummary, weakest_id: str | None) -> None:
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 8, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        row = 0
        target = report.cut / max(report.length, 1)
        for cat in report.categories:
            members = [s for s in report.skills if s.category == cat.id]
            shown = category_text([s.figure for s in members])
            head = plain(
                f"{cat.title} — {cat.weight:.0%} of the exam · {shown}", bold=True, wrap=True
            )
            head.setContentsMargins(0, 10, 0, 0)
            grid.addWidget(head, row, 0, 1, 3)
            row += 1
            for s in members:
                fig = s.figure
                is_weakest = s.id == weakest_id
                name = plain(
                    f"{s.title}{'  ← weakest' if is_weakest else ''}", bold=is_weakest, wrap=True
                )
                name.setToolTip(
                    f"{plural(s.answers, 'answer')}, {s.seen} of {plural(s.questions, 'question')} "
                    f"seen, {s.due} due, {plural(s.leeches, 'leech', 'leeches')}"
                )
                bar = MasteryBar(self.controller.theme)
                bar.set_values(s.mean, s.low, s.high, target, is_weakest)
                # No bar without enough answers: it would draw the prior as if measured.
                bar.setVisible(fig.evidence == "enough")
                bar.setAccessibleName(f"{s.title} mastery")
                bar.setAccessibleDescription(mastery_text(fig))
                value = plain(f"{mastery_text(fig)} · {s.weight:.0%} of exam", wrap=True)
                value.setObjectName(f"mastery-{s.id}")
                grid.addWidget(name, row, 0)
                grid.addWidget(bar, row, 1)
                grid.addWidget(value, row, 2)
                row += 1
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 3)
        self._replace_content(content)

    def _replace_content(self, content: QWidget) -> None:
        old = self._content
        self._layout.replaceWidget(old, content)
        old.setParent(None)  # gone from findChildren now, not at the next deferred delete
        old.deleteLater()
        self._content = content
