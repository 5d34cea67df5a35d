"""Home: where the user stands, and the one obvious next step.

Mastery per skill area grouped by the three categories, with exam weight, uncertainty and
the weakest area highlighted; readiness and estimated score with an honest caption; due
today, streak, days to the exam; "Start practice" and a suggestion of what to work on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from studyapp.services.changes import Change
from studyapp.services.study import StatsReport, StudyService
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.widgets.mastery_bar import MasteryBar

if TYPE_CHECKING:
    from studyapp.ui.controller import AppController


def plain(text: str, *, bold: bool = False, size_delta: int = 0, wrap: bool = False) -> QLabel:
    """A label that shows ``text`` literally (data is never interpreted as markup)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if bold or size_delta:
        # Remembered, so :func:`refresh_fonts` can follow the font-size setting.
        label.setProperty("size_delta", size_delta)
        label.setProperty("bold", bold)
        apply_font(label, label.font().pointSize())
    return label


def apply_font(label: QLabel, base_size: int) -> None:
    """Give a :func:`plain` label its bold and relative size over ``base_size``."""
    font = QFont(label.font())
    font.setBold(bool(label.property("bold")))
    font.setPointSize(max(6, base_size + int(label.property("size_delta") or 0)))
    label.setFont(font)


def refresh_fonts(root: QWidget, base_size: int) -> None:
    """After a font-size change: headings keep their size relative to the new base."""
    for label in root.findChildren(QLabel):
        if label.property("size_delta") is not None:
            apply_font(label, base_size)


class HomeScreen(Screen):
    """The first screen."""

    title = "Home"
    depends_on = Change.REVIEWS | Change.PACKS | Change.QUESTIONS | Change.SETTINGS | Change.EXAMS

    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self._layout = scroll_page(self, 12)
        self._heading = plain("Opening your profile…", bold=True, size_delta=5, wrap=True)
        self._heading.setObjectName("homeHeading")
        self._layout.addWidget(self._heading)

        top = QHBoxLayout()
        self.start_button = QPushButton("Start practice")
        self.start_button.setObjectName("startPractice")
        self.start_button.setAccessibleName("Start practice")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(40)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self._start_practice)
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
        self._caption = plain("", wrap=True)
        self._caption.setObjectName("homeCaption")
        self._layout.addWidget(self._caption)
        self._content = QWidget()
        self._layout.addWidget(self._content)
        self._layout.addStretch(1)
        self.report: StatsReport | None = None

    def refresh(self) -> None:
        self.stale = False
        self.controller.query(lambda profile: StudyService(profile).stats(), self._show)

    def show_message(self, text: str) -> None:
        """Replace the heading with a message (opening, importing, or a failure)."""
        self._heading.setText(text)

    def on_theme_changed(self) -> None:
        for bar in self._content.findChildren(MasteryBar):
            bar.theme = self.controller.theme
            bar.update()

    def _start_practice(self) -> None:
        from studyapp.ui.screens.practice import PracticeScreen  # avoids a cycle

        window = self.controller.window
        window.show_screen(PracticeScreen)
        window.screen_of(PracticeScreen).start()

    def _show(self, report: StatsReport) -> None:
        self.report = report
        r = report.readiness
        seen = sum(s.seen for s in report.skills)
        total = sum(s.questions for s in report.skills)
        due = sum(s.due for s in report.skills)
        self._heading.setText("Welcome back" if report.reviews else "Welcome to StudyApp")
        exam = (
            f"{report.days_to_exam} days to your exam · "
            if report.days_to_exam is not None and report.days_to_exam >= 0
            else ""
        )
        self._summary.setText(
            f"{exam}{due} due now · {seen} of {total} questions seen · "
            f"streak {report.streak} day{'s' if report.streak != 1 else ''} · "
            f"{report.today_answers} answered today"
        )
        self.start_button.setEnabled(total > 0)
        weakest = (
            min(report.skills, key=lambda s: s.mastery.mean - s.weight) if report.skills else None
        )
        if weakest is not None:
            why = (
                f"it carries {weakest.weight:.0%} of the exam and your estimated mastery there is "
                f"{weakest.mastery.mean:.0%}"
            )
            if weakest.seen == 0:
                why = (
                    f"it carries {weakest.weight:.0%} of the exam and you have not practised it yet"
                )
            self._suggestion.setText(
                f"Suggested focus: {weakest.title}, because {why}. "
                "Practice sessions lean toward it automatically."
            )
        if report.reviews == 0:
            self._readiness.setText("Readiness: not enough answers yet")
        else:
            early = (
                f" (early estimate from {report.reviews} answers)" if report.reviews < 50 else ""
            )
            self._readiness.setText(
                f"Readiness: {r.probability:.0%} chance of passing · estimated score "
                f"{r.expected_scaled} (likely {r.scaled_low}–{r.scaled_high}) of 800{early}"
            )
        self._caption.setText(
            f"An estimate from your answers so far, assuming a raw pass mark of {r.cut} of "
            f"{r.length} questions. CoSN publishes the pass line (600 of 800) but not the raw "
            "cut; you can change the assumption in Settings."
        )
        self._rebuild_skills(report, weakest.id if weakest else None)

    def _rebuild_skills(self, report: StatsReport, weakest: str | None) -> None:
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 8, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        row = 0
        target = report.readiness.cut / max(report.readiness.length, 1)
        for cat in report.framework.categories:
            members = [s for s in report.skills if s.category == cat.id]
            mean = sum(s.weight * s.mastery.mean for s in members) / max(
                sum(s.weight for s in members), 1e-9
            )
            head = plain(
                f"{cat.title} — {cat.weight:.0%} of the exam · mastery {mean:.0%}", bold=True
            )
            head.setContentsMargins(0, 10, 0, 0)
            grid.addWidget(head, row, 0, 1, 4)
            row += 1
            for s in members:
                name = plain(
                    f"{s.title}{'  ← weakest' if s.id == weakest else ''}", bold=s.id == weakest
                )
                name.setToolTip(
                    f"{s.seen} of {s.questions} questions seen, {s.due} due, {s.leeches} leeches"
                )
                bar = MasteryBar(self.controller.theme)
                bar.set_values(
                    s.mastery.mean, s.mastery.low, s.mastery.high, target, s.id == weakest
                )
                bar.setAccessibleName(f"{s.title} mastery")
                value = plain(f"{s.mastery.mean:.0%} ({s.mastery.low:.0%}–{s.mastery.high:.0%})")
                weight = plain(f"{s.weight:.0%} of exam")
                grid.addWidget(name, row, 0)
                grid.addWidget(bar, row, 1)
                grid.addWidget(value, row, 2)
                grid.addWidget(weight, row, 3)
                row += 1
        grid.setColumnStretch(1, 1)
        old = self._content
        self._layout.replaceWidget(old, content)
        old.deleteLater()
        self._content = content
