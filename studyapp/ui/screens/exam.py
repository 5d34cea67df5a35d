"""Mock exam: set up (or resume, or join by code), sit, review, and see the results.

The setup page says what is assumed (the time limit CoSN does not publish, the raw cut),
offers an unfinished sitting first, and shows the history with its trend. Results give
the raw score, the estimated scaled score with the pass line, per category and per skill
area, time per question, and a review of all, wrong or flagged questions with each
option's rationale and the explanation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.exam_code import ExamCode
from studyapp.domain.words import plural
from studyapp.services.changes import Change
from studyapp.services.exams.service import ExamService, time_limit_seconds
from studyapp.services.exams.views import ExamHistory, ExamRequest, ExamResult, ExamView, SetupInfo
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.screens.exam_results import ResultsPage
from studyapp.ui.screens.exam_sitting import SittingPage, clock_text
from studyapp.ui.widgets.charts import LineChart, Series
from studyapp.ui.widgets.labels import plain

if TYPE_CHECKING:
    from studyapp.services.profile import Profile
    from studyapp.ui.context import ScreenContext

SELECTIONS = (
    ("Mixed", "mixed"),
    ("Unseen questions first", "unseen-first"),
    ("Focus on my weak areas", "weak-focus"),
)
# What each selection means, under the drop-down (docs/exams.md, "Selection").
SELECTION_NOTES = {
    "mixed": "Mixed ignores your history, so everyone who enters its code gets the same "
    "exam: use it for a study group.",
    "unseen-first": "Questions you have never answered come first. The exam depends on your "
    "history, so its code gives others a different exam.",
    "weak-focus": "Questions you last answered wrong come first, then unseen ones. The exam "
    "depends on your history, so its code gives others a different exam.",
}


# A real code (it decodes), so the example never teaches a format the parser refuses.
EXAMPLE_CODE = ExamCode("cetl", 100, 1, "mixed", 0, 0).text()


class SkillCheck(QWidget):
    """A check box whose long label wraps instead of widening the page.

    A QCheckBox never wraps its text, so at 880 px and 18 pt a long skill-area title would
    force a sideways scroll bar; the label here wraps, and clicking it ticks the box.
    """

    def __init__(self, text: str, name: str) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox()
        self.box.setChecked(True)
        self.box.setAccessibleName(name)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        self.label = plain(text, wrap=True)
        row.addWidget(self.label, 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802  # Qt override
        """A click on the label (it passes clicks through to here) toggles the box."""
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.toggle()
            self.box.setFocus()
            return
        super().mousePressEvent(event)


class ExamScreen(Screen):
    """The Mock exam screen: setup → sitting → results."""

    title = "Mock exam"
    depends_on: ClassVar[Change] = Change.EXAMS | Change.PACKS | Change.QUESTIONS | Change.SETTINGS

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__(controller)
        self.info: SetupInfo | None = None
        self.unfinished: ExamView | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self._build_setup()
        self.sitting = SittingPage(controller)
        self.sitting.finished.connect(self._show_result)
        self.pages.addWidget(self.sitting)
        self.results = ResultsPage(controller)
        self.results.back.connect(self._back)
        self.results_page = self.results
        self.pages.addWidget(self.results)
        self.pages.setCurrentWidget(self.setup_page)

    # ------------------------------------------------------------------ setup
    def _build_setup(self) -> None:
        page = QWidget()
        layout = scroll_page(page, 12)
        layout.addWidget(plain("Mock exam", bold=True, size_delta=5))
        self.resume_box = QGroupBox("Unfinished exam")
        rb = QVBoxLayout(self.resume_box)
        self.resume_text = plain("", wrap=True)
        rb.addWidget(self.resume_text)
        rrow = QHBoxLayout()
        self.resume_button = QPushButton("Resume")
        self.resume_button.setAccessibleName("Resume the unfinished exam")
        self.resume_button.clicked.connect(lambda: self._resume())
        self.discard_button = QPushButton("Discard it")
        self.discard_button.clicked.connect(lambda: self._discard())
        rrow.addWidget(self.resume_button)
        rrow.addWidget(self.discard_button)
        rrow.addStretch(1)
        rb.addLayout(rrow)
        self.resume_box.hide()
        layout.addWidget(self.resume_box)

        new = QGroupBox("A new exam on the CETL blueprint")
        new_layout = QVBoxLayout(new)
        form = QFormLayout()
        # A label above its field when both do not fit side by side (large fonts).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        new_layout.addLayout(form)
        self.length = QSpinBox()
        self.length.setRange(10, 100)
        self.length.setValue(100)
        self.length.setSingleStep(10)
        self.length.setAccessibleName("Number of questions")
        self.length.valueChanged.connect(self._length_changed)
        form.addRow("&Questions:", self.length)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 600)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Time limit")
        form.addRow("&Time limit:", self.minutes)
        self.selection = QComboBox()
        for label, value in SELECTIONS:
            self.selection.addItem(label, value)
        self.selection.setAccessibleName("Question selection")
        form.addRow("&Selection:", self.selection)
        self.selection_note = plain(SELECTION_NOTES["mixed"], wrap=True)
        self.selection.currentIndexChanged.connect(
            lambda _i: self.selection_note.setText(SELECTION_NOTES[self.selection.currentData()])
        )
        # Wrapped text goes outside the form: QFormLayout under-sizes wrapping labels.
        new_layout.addWidget(self.selection_note)
        self.hide_paused = QCheckBox("&Hide the questions while paused")
        self.hide_paused.setAccessibleName("Hide the questions while paused")
        self.hide_paused.setChecked(True)
        new_layout.addWidget(self.hide_paused)
        self.time_note = plain("", wrap=True)
        new_layout.addWidget(self.time_note)
        layout.addWidget(new)

        skills = QGroupBox("Skill areas in the exam")
        self.skills_layout = QVBoxLayout(skills)
        self.skills_layout.setSpacing(4)
        self.skill_checks: dict[str, QCheckBox] = {}
        choose = QHBoxLayout()
        every = QPushButton("All")
        every.setAccessibleName("Tick every skill area")
        every.clicked.connect(lambda: self._tick_skills(True))
        none = QPushButton("None")
        none.setAccessibleName("Untick every skill area")
        none.clicked.connect(lambda: self._tick_skills(False))
        choose.addWidget(every)
        choose.addWidget(none)
        choose.addStretch(1)
        self.skills_layout.addLayout(choose)
        layout.addWidget(skills)
        self.start_button = QPushButton("Start the exam")
        self.start_button.setAccessibleName("Start the exam")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(38)
        self.start_button.clicked.connect(lambda: self._start_new())
        layout.addWidget(self.start_button)

        join = QGroupBox("Sit the same exam as your study group")
        jl = QVBoxLayout(join)
        self.code_hint = plain(
            f"Type or paste the exam code someone shared, for example {EXAMPLE_CODE}.",
            wrap=True,
        )
        jl.addWidget(self.code_hint)
        jrow = QHBoxLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText(EXAMPLE_CODE)
        self.code.setAccessibleName("Exam code")
        self.code.returnPressed.connect(self._start_code)
        self.code_hint.setBuddy(self.code)
        join_button = QPushButton("Start this exam")
        join_button.clicked.connect(lambda: self._start_code())
        jrow.addWidget(self.code, 1)
        jrow.addWidget(join_button)
        jl.addLayout(jrow)
        layout.addWidget(join)

        hist = QGroupBox("Your mock exams")
        hl = QVBoxLayout(hist)
        self.trend = plain("", wrap=True)
        hl.addWidget(self.trend)
        self.trend_chart = LineChart("Mock exam scores over time", self.controller.theme)
        self.trend_chart.empty_text = "No mock exams yet."
        hl.addWidget(self.trend_chart)
        self.history = QListWidget()
        self.history.setAccessibleName("Exam history")
        self.history.setMinimumHeight(120)
        self.history.setWordWrap(True)  # long lines wrap: no sideways scrolling at 18 pt
        self.history.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.itemActivated.connect(self._open_history)
        hl.addWidget(self.history)
        layout.addWidget(hist)
        layout.addStretch(1)
        self.setup_page = page
        self.pages.addWidget(page)

    def refresh(self) -> None:
        self.stale = False

        def load(profile: Profile) -> tuple[SetupInfo, ExamView | None, ExamHistory]:
            service = ExamService(profile)
            return service.setup_info(), service.unfinished(), service.history()

        self.controller.query(load, self._show_setup)

    def _show_setup(self, data: tuple[SetupInfo, ExamView | None, ExamHistory]) -> None:
        info, unfinished, history = data
        self.info, self.unfinished = info, unfinished
        if self.pages.currentWidget() is self.sitting and unfinished is not None:
            return  # a sitting is on screen; it keeps its own state
        if not self.skill_checks:
            for skill in info.skills:
                row = SkillCheck(f"{skill.title} ({skill.weight:.0%} of the exam)", skill.title)
                self.skills_layout.addWidget(row)
                self.skill_checks[skill.id] = row.box
        self.length.setMaximum(info.full_length)
        self._length_changed()
        self.time_note.setText(info.time_note)
        if unfinished is not None:
            note = (
                " It was interrupted; the time while StudyApp was closed did not count."
                if unfinished.interrupted
                else ""
            )
            self.resume_text.setText(
                f"Exam {unfinished.code}: {unfinished.answered} of {unfinished.length} answered, "
                f"{clock_text(unfinished.remaining_ms)} left.{note}"
            )
            self.resume_box.show()
            self.start_button.setEnabled(False)
        else:
            self.resume_box.hide()
            self.start_button.setEnabled(True)
        self.history.clear()
        for entry in reversed(history.entries):
            # The learner's own time zone (stored times are UTC).
            when = f"{entry.submitted_at.astimezone():%d %b %Y} · " if entry.submitted_at else ""
            line = "at or above" if entry.passed else "below"
            item = QListWidgetItem(
                f"{when}exam {entry.code}: {entry.raw} of {entry.length} correct "
                f"({entry.percent:.0f}%), estimated {entry.scaled}, {line} the pass line"
            )
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.history.addItem(item)
        recent = history.entries[-12:]
        cut = self.info.assumed_cut if self.info else 0.7
        self.trend_chart.set_data(
            [f"{e.submitted_at.astimezone():%d %b}" if e.submitted_at else "" for e in recent],
            [Series("score", [e.percent / 100 for e in recent])],
            target=cut,
            target_label=f"pass needs about {cut:.0%}",
            tips=[
                f"{e.code}: {e.raw}/{e.length} ({e.percent:.0f}%), est. {e.scaled}" for e in recent
            ],
        )
        self.trend_chart.set_summary(
            "Scores of your last mock exams: " + ", ".join(f"{e.percent:.0f}%" for e in recent)
            if recent
            else "No mock exams yet."
        )
        if not history.entries:
            self.trend.setText("No mock exams yet. A full exam takes about two hours.")
        elif history.trend_scaled_per_exam is None:
            self.trend.setText("Sit one more to see your trend.")
        else:
            slope = history.trend_scaled_per_exam
            direction = "up" if slope > 0 else "down" if slope < 0 else "flat"
            self.trend.setText(
                f"Trend: {direction}, {slope:+.0f} scaled points per exam (over your recent exams)."
            )

    def _tick_skills(self, ticked: bool) -> None:
        for box in self.skill_checks.values():
            box.setChecked(ticked)

    def _length_changed(self) -> None:
        if self.info is None:
            return
        full = self.info.full_minutes
        self.minutes.setValue(
            time_limit_seconds(full, self.info.full_length, self.length.value()) // 60
        )

    def _request(self) -> ExamRequest:
        skills = tuple(k for k, box in self.skill_checks.items() if box.isChecked())
        every = len(skills) == len(self.skill_checks)
        return ExamRequest(
            length=self.length.value(),
            selection=self.selection.currentData(),
            skills=() if every else skills,
        )

    def _start_new(self) -> None:
        request = self._request()
        if (
            self.skill_checks
            and not request.skills
            and not all(b.isChecked() for b in self.skill_checks.values())
        ):
            QMessageBox.information(self, "Choose skill areas", "Choose at least one skill area.")
            return
        minutes, hide = self.minutes.value(), self.hide_paused.isChecked()
        self.controller.run_op(
            lambda p: ExamService(p).create(request, minutes=minutes, hide_when_paused=hide),
            self._sit,
        )

    def _start_code(self) -> None:
        code = self.code.text().strip()
        if not code:
            return
        hide = self.hide_paused.isChecked()
        self.controller.run_op(
            lambda p: ExamService(p).create(code, hide_when_paused=hide), self._sit
        )

    def _resume(self) -> None:
        if self.unfinished is not None:
            self._sit(self.unfinished)

    def _discard(self) -> None:
        view = self.unfinished
        if view is None:
            return
        answer = QMessageBox.question(
            self,
            "Discard the unfinished exam?",
            f"Discard exam {view.code} and its {plural(view.answered, 'answer')}? "
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.run_op(
                lambda p: ExamService(p).discard(view.id), lambda _v: self.refresh()
            )

    def _sit(self, view: ExamView) -> None:
        self.pages.setCurrentWidget(self.sitting)
        self.sitting.open(view)

    def leave_allowed(self) -> bool:
        """Leaving a running exam pauses it (its answers are already saved)."""
        view = self.sitting.view
        if (
            self.pages.currentWidget() is self.sitting
            and view is not None
            and view.status == "running"
        ):
            self.sitting.toggle_pause()
        return True

    # ------------------------------------------------------------------ results
    def _show_result(self, result: ExamResult) -> None:
        self.stale = True
        self.results.show_result(result)
        self.pages.setCurrentWidget(self.results_page)
        self.controller.changes_happened.emit(Change.EXAMS | Change.REVIEWS)

    @property
    def result(self) -> ExamResult | None:
        """The result on the results page (None before any)."""
        return self.results.result

    def _back(self) -> None:
        self.pages.setCurrentWidget(self.setup_page)
        self.refresh()

    def _open_history(self, item: QListWidgetItem) -> None:
        exam_id = int(item.data(Qt.ItemDataRole.UserRole))
        self.controller.query(lambda p: ExamService(p).result(exam_id), self._show_result)

    def on_theme_changed(self) -> None:
        self.trend_chart.set_theme(self.controller.theme)
        self.sitting.navigator.theme = self.controller.theme
        self.sitting.navigator.update()
        for card in self.sitting.cards:
            card.set_theme(self.controller.theme)
        self.results.on_theme_changed()
