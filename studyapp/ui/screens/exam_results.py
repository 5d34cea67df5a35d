"""A handed-in mock exam: the score, the breakdown, and a master-detail review.

The page keeps its parts in view at the minimum window size: the score stays on top; the
breakdown by area and the review are two tabs; in the review the list of questions (number,
mark, flag, skill area; wrapped, never cut) sits beside the selected question (stem, each
option with the learner's choice, the key and its rationale, then the explanation). Up and
Down walk the list, Page Up / Page Down scroll the question, and "Show" filters all, wrong or
flagged questions (in exam order). One row of buttons serves the whole page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.exam_sitting import EndedBy
from studyapp.domain.words import duration
from studyapp.services.changes import Outcome
from studyapp.services.exams.report import write_exam_report
from studyapp.services.exams.service import ExamService
from studyapp.services.exams.views import ExamResult, ResultItem
from studyapp.ui.widgets.flow import FlowLayout
from studyapp.ui.widgets.labels import plain
from studyapp.ui.widgets.mastery_bar import MasteryBar
from studyapp.ui.widgets.option_card import OptionCard
from studyapp.ui.widgets.rendered import FittedText

if TYPE_CHECKING:
    from studyapp.ui.context import ScreenContext

FILTERS = (("All questions", "all"), ("Wrong answers", "wrong"), ("Flagged", "flagged"))
TIMED_OUT = "The time ran out, so the exam was handed in automatically."


def verdict(item: ResultItem) -> Literal["right", "wrong", "not answered"]:
    """How the learner did on one question, in the words the review uses."""
    if not item.chosen:
        return "not answered"
    return "right" if item.correct else "wrong"


def list_text(item: ResultItem) -> str:
    """A review list line: number, mark and flag, then the skill area on its own line."""
    mark = {"right": "✓ right", "wrong": "✗ wrong", "not answered": "– not answered"}
    flag = " · ⚑ flagged" if item.flagged else ""
    return f"{item.position + 1}. {mark[verdict(item)]}{flag}\n{item.skill_title or item.skill}"


class ResultsPage(QWidget):
    """Shows one :class:`ExamResult`; emits ``back`` when the learner is done."""

    back = Signal()

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__()
        self.c = controller
        self.result: ExamResult | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 18, 28, 12)
        outer.setSpacing(8)
        self.title = plain("", bold=True, size_delta=3, wrap=True)
        outer.addWidget(self.title)
        self.score = plain("", bold=True, wrap=True)
        self.score.setObjectName("examScore")
        outer.addWidget(self.score)
        self.ended = plain("", bold=True, wrap=True)
        self.ended.setObjectName("examEnded")
        self.ended.hide()
        outer.addWidget(self.ended)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_breakdown(), "Scores by &area")
        self.tabs.addTab(self._build_review(), "&Review the questions")
        # On the review tab Up / Down walk the list at once.
        self.tabs.currentChanged.connect(lambda i: self.list.setFocus() if i == 1 else None)
        outer.addWidget(self.tabs, 1)
        buttons = FlowLayout()
        self.export_button = QPushButton("Export report…")
        self.export_button.setAccessibleName("Export the result as a report")
        self.export_button.clicked.connect(lambda: self._export())
        self.back_button = QPushButton("Back to mock exams")
        self.back_button.clicked.connect(lambda: self.back.emit())
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.back_button)
        buttons.right_from = 0
        outer.addLayout(buttons)

    # ------------------------------------------------------------------ building
    def _build_breakdown(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.breakdown = QVBoxLayout(body)
        self.breakdown.setContentsMargins(0, 8, 8, 8)
        self.caption = plain("", wrap=True)
        self.breakdown.addWidget(self.caption)
        self.table = QWidget()
        self.breakdown.addWidget(self.table)
        self.breakdown.addStretch(1)
        scroll.setWidget(body)
        return scroll

    def _build_review(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 8, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        master = QWidget()
        left = QVBoxLayout(master)
        left.setContentsMargins(0, 0, 6, 0)
        filter_row = QVBoxLayout()  # label above: the list column stays narrow
        filter_row.setSpacing(2)
        show = plain("&Show:")
        filter_row.addWidget(show)
        self.filter = QComboBox()
        for label, value in FILTERS:
            self.filter.addItem(label, value)
        self.filter.setAccessibleName("Which questions to review")
        self.filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        show.setBuddy(self.filter)
        filter_row.addWidget(self.filter)
        left.addLayout(filter_row)
        self.list = QListWidget()
        self.list.setAccessibleName("Questions to review")
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMinimumWidth(150)
        self.list.setAlternatingRowColors(True)  # two-line items stay apart
        self.list.currentRowChanged.connect(self._show_item)
        left.addWidget(self.list, 1)
        split.addWidget(master)

        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        detail = QWidget()
        d = QVBoxLayout(detail)
        d.setContentsMargins(8, 0, 8, 8)
        d.setSpacing(8)
        self.heading = plain("", bold=True, wrap=True)
        d.addWidget(self.heading)
        self.stem = FittedText()
        self.stem.setAccessibleName("Question")
        d.addWidget(self.stem)
        self.options = QVBoxLayout()
        self.options.setSpacing(8)
        d.addLayout(self.options)
        self.explanation = FittedText()
        self.explanation.setAccessibleName("Explanation")
        d.addWidget(self.explanation)
        d.addStretch(1)
        self.detail_scroll.setWidget(detail)
        self.detail_scroll.setMinimumWidth(260)
        split.addWidget(self.detail_scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        row.addWidget(split)
        for keys, step in (
            (QKeySequence.StandardKey.MoveToNextPage, 1),
            (QKeySequence.StandardKey.MoveToPreviousPage, -1),
        ):
            scroll = QShortcut(QKeySequence(keys), page)
            scroll.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            scroll.activated.connect(lambda s=step: self._scroll_detail(s))
        return page

    # ------------------------------------------------------------------ showing
    def show_result(self, result: ExamResult) -> None:
        """Show ``result`` from the top: breakdown tab first, review filter back to all."""
        self.result = result
        s, e = result.score, result.exam
        self.title.setText(f"Result of exam {e.code}")
        line = "at or above" if s.passed else "below"
        self.score.setText(
            f"{s.raw} of {s.length} correct ({s.percent:.0f}%) · estimated "
            f"scaled score {s.scaled} of {s.scale_max}, {line} the pass line of {s.pass_scaled}"
        )
        timed_out = e.ended_by == EndedBy.TIME
        self.ended.setText(TIMED_OUT if timed_out else "")
        self.ended.setVisible(timed_out)
        self.caption.setText(
            f"The scaled score is an estimate: CoSN does not publish the raw cut; this assumes "
            f"{s.cut_raw} of {s.length} ({s.cut_fraction:.0%}). "
            f"Time used: {duration(s.total_time_ms / 1000)}, "
            f"{duration(s.mean_time_ms / 1000)} per question "
            "on average. These answers now count toward your mastery."
        )
        self._fill_table()
        self.filter.blockSignals(True)
        self.filter.setCurrentIndex(0)
        self.filter.blockSignals(False)
        self._fill_list(keep=None)
        self.tabs.setCurrentIndex(0)

    def _fill_table(self) -> None:
        assert self.result is not None
        s = self.result.score
        table = QWidget()
        grid = QGridLayout(table)
        grid.setContentsMargins(0, 6, 0, 6)
        r = 0
        for heading, tallies in (("By category", s.by_category), ("By skill area", s.by_skill)):
            grid.addWidget(plain(heading, bold=True), r, 0, 1, 3)
            r += 1
            for t in tallies:
                share = t.correct / t.total if t.total else 0.0
                bar = MasteryBar(self.c.theme)
                bar.set_values(share, share, share, s.cut_fraction, share < s.cut_fraction)
                bar.setAccessibleName(f"{t.title}: {t.correct} of {t.total}")
                grid.addWidget(plain(t.title, wrap=True), r, 0)
                grid.addWidget(bar, r, 1)
                grid.addWidget(plain(f"{t.correct} / {t.total}"), r, 2)
                r += 1
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 4)
        self.breakdown.replaceWidget(self.table, table)
        self.table.deleteLater()
        self.table = table

    def _filter_changed(self) -> None:
        result = self.result
        if result is None:
            return
        which = self.filter.currentData()
        keep = self._current_position()
        self.c.query(
            lambda p: ExamService(p).result(result.exam.id, which),
            lambda r: self._refiltered(r, keep),
        )

    def _refiltered(self, result: ExamResult, keep: int | None) -> None:
        self.result = result
        self._fill_list(keep)

    def _current_position(self) -> int | None:
        if self.result is None:
            return None
        row = self.list.currentRow()
        return self.result.items[row].position if 0 <= row < len(self.result.items) else None

    def _fill_list(self, keep: int | None) -> None:
        """Fill the list; select question ``keep`` if it is in this view, else the first."""
        assert self.result is not None
        self.list.blockSignals(True)
        self.list.clear()
        row = 0
        for i, item in enumerate(self.result.items):
            line = QListWidgetItem(list_text(item))
            line.setData(Qt.ItemDataRole.UserRole, item.position)
            self.list.addItem(line)
            if item.position == keep:
                row = i
        self.list.blockSignals(False)
        if self.result.items:
            self.list.setCurrentRow(row)
            self._show_item(row)
        else:
            self._clear_options()
            self.heading.setText("No questions in this view.")
            self.stem.set_markdown("")
            self.explanation.set_markdown("")

    def _clear_options(self) -> None:
        while self.options.count():
            item = self.options.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _show_item(self, row: int) -> None:
        if self.result is None or not 0 <= row < len(self.result.items):
            return
        item = self.result.items[row]
        self._clear_options()
        flag = " · flagged" if item.flagged else ""
        self.heading.setText(
            f"Question {item.position + 1} of {self.result.exam.length} · "
            f"{item.skill_title or item.skill}\nYour answer: {verdict(item)}{flag} · "
            f"{duration(item.time_ms / 1000)} spent"
        )
        q = item.question
        if q is None:
            self.stem.set_markdown("_This question's pack has been removed since the exam._")
            self.explanation.set_markdown("")
            return
        self.stem.set_markdown(q.stem)
        by_id = {o.id: o for o in q.options}
        for i, oid in enumerate(item.option_order):
            option = by_id.get(oid)
            if option is None:
                continue
            card = OptionCard(i, oid)
            card.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to choose here
            card.setCursor(Qt.CursorShape.ArrowCursor)
            card.set_theme(self.c.theme)
            card.set_content(option.text, {}, option.text)
            card.show_feedback(option.correct, oid in item.chosen, option.rationale, {})
            card.verdict.setWordWrap(True)  # a narrow detail column wraps it, never cuts it
            self.options.addWidget(card)
        self.explanation.set_markdown(f"**Explanation.** {q.explanation}")
        self.detail_scroll.verticalScrollBar().setValue(0)

    def _scroll_detail(self, step: int) -> None:
        bar = self.detail_scroll.verticalScrollBar()
        bar.setValue(bar.value() + step * bar.pageStep())

    def open_review(self) -> None:
        """Switch to the review tab (its list takes the focus, for Up / Down)."""
        self.tabs.setCurrentIndex(1)
        self.list.setFocus()

    def on_theme_changed(self) -> None:
        for bar in self.findChildren(MasteryBar):
            bar.theme = self.c.theme
            bar.update()
        for card in self.findChildren(OptionCard):
            card.set_theme(self.c.theme)

    # ------------------------------------------------------------------ export
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
        name = self.c.paths.data_dir.name

        def done(path: Path) -> None:
            self.c.window.statusBar().showMessage(f"Report written to {path}", 15_000)

        self.c.run_op(lambda _p: Outcome(write_exam_report(result, name, Path(target))), done)
