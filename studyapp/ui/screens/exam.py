"""Mock exam: set up (or resume, or join by code), sit, review, and see the results.

The setup page says what is assumed (the time limit CoSN does not publish, the raw cut),
offers an unfinished sitting first, and shows the history with its trend. Results give
the raw score, the estimated scaled score with the pass line, per category and per skill
area, time per question, and a review of all, wrong or flagged questions with each
option's rationale and the explanation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
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

from studyapp.services.changes import Change
from studyapp.services.exam_report import write_exam_report
from studyapp.services.exam_views import ExamHistory, ExamRequest, ExamResult, ExamView, SetupInfo
from studyapp.services.exams import ExamService, time_limit_seconds
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.screens.exam_sitting import SittingPage, clock_text
from studyapp.ui.screens.home import plain
from studyapp.ui.widgets.charts import LineChart, Series
from studyapp.ui.widgets.mastery_bar import MasteryBar
from studyapp.ui.widgets.option_card import OptionCard
from studyapp.ui.widgets.rendered import FittedText

if TYPE_CHECKING:
    from studyapp.ui.controller import AppController

SELECTIONS = (
    ("Mixed (same exam for everyone with the code)", "mixed"),
    ("Unseen questions first", "unseen-first"),
    ("Focus on my weak areas", "weak-focus"),
)


class ExamScreen(Screen):
    """The Mock exam screen: setup → sitting → results."""

    title = "Mock exam"
    depends_on: ClassVar[Change] = Change.EXAMS | Change.PACKS | Change.QUESTIONS | Change.SETTINGS

    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self.info: SetupInfo | None = None
        self.unfinished: ExamView | None = None
        self.result: ExamResult | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self._build_setup()
        self.sitting = SittingPage(controller)
        self.sitting.finished.connect(self._show_result)
        self.pages.addWidget(self.sitting)
        self._build_results()
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
        self.resume_button.clicked.connect(self._resume)
        discard = QPushButton("Discard it")
        discard.clicked.connect(self._discard)
        rrow.addWidget(self.resume_button)
        rrow.addWidget(discard)
        rrow.addStretch(1)
        rb.addLayout(rrow)
        self.resume_box.hide()
        layout.addWidget(self.resume_box)

        new = QGroupBox("A new exam on the CETL blueprint")
        form = QFormLayout(new)
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
        self.skills_box = QWidget()
        self.skill_checks: dict[str, QCheckBox] = {}
        self.skills_grid = QGridLayout(self.skills_box)
        self.skills_grid.setContentsMargins(0, 0, 0, 0)
        form.addRow("Skill areas:", self.skills_box)
        self.hide_paused = QCheckBox("Hide the questions while paused")
        self.hide_paused.setChecked(True)
        form.addRow("", self.hide_paused)
        self.time_note = plain("", wrap=True)
        form.addRow(self.time_note)
        self.start_button = QPushButton("Start the exam")
        self.start_button.setAccessibleName("Start the exam")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(38)
        self.start_button.clicked.connect(self._start_new)
        form.addRow("", self.start_button)
        layout.addWidget(new)

        join = QGroupBox("Sit the same exam as your study group")
        jrow = QHBoxLayout(join)
        self.code = QLineEdit()
        self.code.setPlaceholderText("Exam code, e.g. CETL-100-7KQ3MX")
        self.code.setAccessibleName("Exam code")
        self.code.returnPressed.connect(self._start_code)
        join_button = QPushButton("Start this exam")
        join_button.clicked.connect(self._start_code)
        jrow.addWidget(self.code, 1)
        jrow.addWidget(join_button)
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
        self.history.itemActivated.connect(self._open_history)
        hl.addWidget(self.history)
        layout.addWidget(hist)
        layout.addStretch(1)
        self.setup_page = page
        self.pages.addWidget(page)

    def refresh(self) -> None:
        self.stale = False

        def load(profile: Any) -> tuple[SetupInfo, ExamView | None, ExamHistory]:
            service = ExamService(profile)
            return service.setup_info(), service.unfinished(), service.history()

        self.controller.query(load, self._show_setup)

    def _show_setup(self, data: tuple[SetupInfo, ExamView | None, ExamHistory]) -> None:
        info, unfinished, history = data
        self.info, self.unfinished = info, unfinished
        if self.pages.currentWidget() is self.sitting and unfinished is not None:
            return  # a sitting is on screen; it keeps its own state
        if not self.skill_checks:
            for i, skill in enumerate(info.skills):
                # "&" would be taken as a keyboard mnemonic; "&&" shows one.
                box = QCheckBox(f"{skill.title.replace('&', '&&')} ({skill.weight:.0%})")
                box.setChecked(True)
                box.setAccessibleName(skill.title)
                self.skills_grid.addWidget(box, i, 0)
                self.skill_checks[skill.id] = box
            # Rows added after the form was laid out: claim the height they need.
            self.skills_box.setMinimumHeight(self.skills_grid.sizeHint().height())
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
            when = entry.submitted_at.strftime("%Y-%m-%d") if entry.submitted_at else ""
            item = QListWidgetItem(
                f"{when} · {entry.code} · {entry.raw}/{entry.length} ({entry.percent:.0f}%) · "
                f"est. {entry.scaled} {'≥' if entry.passed else '<'} 600"
            )
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.history.addItem(item)
        recent = history.entries[-12:]
        cut = self.info.assumed_cut if self.info else 0.7
        self.trend_chart.set_data(
            [e.submitted_at.strftime("%d %b") if e.submitted_at else "" for e in recent],
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
            f"Discard exam {view.code} and its {view.answered} answers? This cannot be undone.",
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
    def _build_results(self) -> None:
        page = QWidget()
        self.r_layout = scroll_page(page, 10)
        self.r_title = plain("", bold=True, size_delta=5)
        self.r_layout.addWidget(self.r_title)
        self.r_score = plain("", bold=True, size_delta=2, wrap=True)
        self.r_score.setObjectName("examScore")
        self.r_layout.addWidget(self.r_score)
        self.r_caption = plain("", wrap=True)
        self.r_layout.addWidget(self.r_caption)
        self.r_table = QWidget()
        self.r_layout.addWidget(self.r_table)
        row = QHBoxLayout()
        row.addWidget(plain("Review:", bold=True))
        self.r_filter = QComboBox()
        for label, value in (
            ("All questions", "all"),
            ("Wrong answers", "wrong"),
            ("Flagged", "flagged"),
        ):
            self.r_filter.addItem(label, value)
        self.r_filter.setAccessibleName("Which questions to review")
        self.r_filter.currentIndexChanged.connect(self._filter_changed)
        row.addWidget(self.r_filter)
        row.addStretch(1)
        export = QPushButton("Export report…")
        export.setAccessibleName("Export the result as a report")
        export.clicked.connect(self._export)
        row.addWidget(export)
        done = QPushButton("Back to mock exams")
        done.clicked.connect(self._back)
        row.addWidget(done)
        self.r_layout.addLayout(row)
        review = QHBoxLayout()
        self.r_list = QListWidget()
        self.r_list.setAccessibleName("Questions to review")
        self.r_list.setFixedWidth(300)
        self.r_list.currentRowChanged.connect(self._show_review_item)
        review.addWidget(self.r_list)
        detail = QVBoxLayout()
        self.r_stem = FittedText()
        self.r_stem.setAccessibleName("Question")
        detail.addWidget(self.r_stem)
        self.r_options = QVBoxLayout()
        detail.addLayout(self.r_options)
        self.r_explanation = FittedText()
        self.r_explanation.setAccessibleName("Explanation")
        detail.addWidget(self.r_explanation)
        detail.addStretch(1)
        review.addLayout(detail, 1)
        self.r_layout.addLayout(review)
        self.r_layout.addStretch(1)
        self.results_page = page
        self.pages.addWidget(page)

    def _show_result(self, result: ExamResult) -> None:
        self.result = result
        self.stale = True
        s, e = result.score, result.exam
        self.r_title.setText(f"Result — exam {e.code}")
        line = "at or above" if s.passed else "below"
        self.r_score.setText(
            f"{s.raw} of {s.length} correct ({s.percent:.0f}%) · estimated scaled score {s.scaled} "
            f"of {s.scale_max}, {line} the pass line of {s.pass_scaled}"
        )
        ended = (
            " The time ran out, so the exam was handed in automatically."
            if e.ended_by == "timeout"
            else ""
        )
        self.r_caption.setText(
            f"The scaled score is an estimate: CoSN does not publish the raw cut; this assumes "
            f"{s.cut_raw} of {s.length} ({s.cut_fraction:.0%}). "
            f"Time used {s.total_time_ms // 60_000} "
            f"minutes, {s.mean_time_ms / 1000:.0f} s per question on average. These answers now "
            f"count toward your mastery.{ended}"
        )
        table = QWidget()
        grid = QGridLayout(table)
        grid.setContentsMargins(0, 6, 0, 6)
        r = 0
        for heading, tallies in (("By category", s.by_category), ("By skill area", s.by_skill)):
            grid.addWidget(plain(heading, bold=True), r, 0, 1, 3)
            r += 1
            for t in tallies:
                share = t.correct / t.total if t.total else 0.0
                bar = MasteryBar(self.controller.theme)
                bar.set_values(share, share, share, s.cut_fraction, share < s.cut_fraction)
                bar.setAccessibleName(f"{t.title}: {t.correct} of {t.total}")
                grid.addWidget(plain(t.title), r, 0)
                grid.addWidget(bar, r, 1)
                grid.addWidget(plain(f"{t.correct} / {t.total}"), r, 2)
                r += 1
        grid.setColumnStretch(1, 1)
        self.r_layout.replaceWidget(self.r_table, table)
        self.r_table.deleteLater()
        self.r_table = table
        self._fill_review_list()
        self.pages.setCurrentWidget(self.results_page)
        self.controller.changes_happened.emit(Change.EXAMS | Change.REVIEWS)

    def _filter_changed(self) -> None:
        result = self.result
        if result is None:
            return
        which = self.r_filter.currentData()
        self.controller.query(
            lambda p: ExamService(p).result(result.exam.id, which), self._refilter
        )

    def _refilter(self, result: ExamResult) -> None:
        self.result = result
        self._fill_review_list()

    def _fill_review_list(self) -> None:
        assert self.result is not None
        self.r_list.clear()
        for item in self.result.items:
            mark = "✓" if item.correct else "✗"
            flag = " ⚑" if item.flagged else ""
            self.r_list.addItem(
                f"{mark} Question {item.position + 1}{flag} · {item.time_ms / 1000:.0f} s · "
                f"{item.skill_title or item.skill}"
            )
        if self.result.items:
            self.r_list.setCurrentRow(0)
        else:
            self.r_stem.set_markdown("_No questions in this view._")
            self._clear_options()
            self.r_explanation.set_markdown("")

    def _clear_options(self) -> None:
        while self.r_options.count():
            item = self.r_options.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _show_review_item(self, row: int) -> None:
        if self.result is None or not 0 <= row < len(self.result.items):
            return
        item = self.result.items[row]
        self._clear_options()
        q = item.question
        if q is None:
            self.r_stem.set_markdown("_This question's pack has been removed since the exam._")
            self.r_explanation.set_markdown("")
            return
        self.r_stem.set_markdown(q.stem)
        by_id = {o.id: o for o in q.options}
        for i, oid in enumerate(item.option_order):
            option = by_id.get(oid)
            if option is None:
                continue
            card = OptionCard(i, oid)
            card.set_theme(self.controller.theme)
            card.set_content(option.text, {}, option.text)
            card.show_feedback(option.correct, oid in item.chosen, option.rationale, {})
            self.r_options.addWidget(card)
        answered = "not answered" if not item.chosen else ("correct" if item.correct else "wrong")
        self.r_explanation.set_markdown(f"**Your answer: {answered}.** {q.explanation}")

    def _export(self) -> None:
        result = self.result
        if result is None:
            return
        default = str(Path.home() / f"mock-exam-{result.exam.code}.html")
        target, _ = QFileDialog.getSaveFileName(
            self, "Export the result", default, "HTML report (*.html)"
        )
        if not target:
            return
        name = self.controller.paths.data_dir.name

        def done(path: Path) -> None:
            self.controller.window.statusBar().showMessage(f"Report written to {path}", 15_000)

        self.controller.run_op(lambda _p: write_exam_report(result, name, Path(target)), done)

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
        for bar in self.findChildren(MasteryBar):
            bar.theme = self.controller.theme
            bar.update()
        for card in self.findChildren(OptionCard):
            card.set_theme(self.controller.theme)
