"""Statistics: how practice went over time, and the progress report for a facilitator.

Reviews per day as a calendar heatmap (a year of study days, 04:00 rollover), accuracy
and mastery history per week (all skill areas, or one chosen in "Skill area"), the due
forecast for the next 30 days and time spent answering (per day or per week). Everything
comes from one ``controller.query`` (:meth:`ReportService.statistics`); switching the
skill area or the time scale redraws from that result without touching the database.

"Export report…" (Ctrl+P) writes the progress report as HTML or PDF and "Export
statistics…" (Alt+S) writes answers per day and skill area as CSV, both off the
GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QKeySequence, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.evidence import ENOUGH_ANSWERS
from studyapp.domain.figures import mastery_text
from studyapp.domain.words import duration, plural
from studyapp.services.changes import Change
from studyapp.services.reports.model import Statistics
from studyapp.services.reports.service import ExportedFile, ReportService
from studyapp.ui.pdf import write_pdf
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.widgets.charts import (
    BarChart,
    CalendarHeatmap,
    Chart,
    LineChart,
    Series,
    day_label,
    week_label,
)
from studyapp.ui.widgets.flow import FlowLayout
from studyapp.ui.widgets.labels import plain

if TYPE_CHECKING:
    from studyapp.ui.context import ScreenContext

REPORT_FILTERS = {"html": "Web page (*.html)", "pdf": "PDF document (*.pdf)"}
TIME_DAYS = 30
TIME_WEEKS = 26


def _card(title: str, chart: Chart, caption: QLabel, extra: QWidget | None = None) -> QFrame:
    """A titled frame around one chart and its caption."""
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setAccessibleName(title)
    box = QVBoxLayout(frame)
    box.setContentsMargins(14, 10, 14, 10)
    box.setSpacing(6)
    head = QHBoxLayout()
    head.addWidget(plain(title, bold=True), 1)
    if extra is not None:
        head.addWidget(extra)
    box.addLayout(head)
    box.addWidget(chart)
    box.addSpacing(4)
    box.addWidget(caption)
    box.addStretch(1)
    return frame


def _caption() -> QLabel:
    label = plain("", wrap=True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # the theme's muted colour
    return label


class StatisticsScreen(Screen):
    """Charts of practice over time, and the exports."""

    title = "Statistics"
    depends_on: ClassVar[Change] = (
        Change.REVIEWS | Change.QUESTIONS | Change.PACKS | Change.SETTINGS | Change.EXAMS
    )

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__(controller)
        self.data: Statistics | None = None
        self.last_export: ExportedFile | None = None
        self._folder: Path | None = None
        layout = scroll_page(self, 12)
        self._page = layout
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(plain("Statistics", bold=True, size_delta=5), 1)
        self.report_button = self._button(
            "Export report…",
            "exportReport",
            "Save a progress report for your study-group facilitator as HTML or PDF (Ctrl+P)",
            "Ctrl+P",
        )
        self.report_button.clicked.connect(self.export_report)
        head.addWidget(self.report_button)
        self.csv_button = self._button(
            "Export &statistics…",
            "exportStatistics",
            "Save answers per day and skill area as a CSV file for a spreadsheet (Alt+S)",
        )
        self.csv_button.clicked.connect(self.export_csv)
        head.addWidget(self.csv_button)
        layout.addLayout(head)
        self.summary = plain("Loading…", wrap=True)
        self.summary.setObjectName("statisticsSummary")
        self.summary.setAccessibleName("Statistics summary")
        layout.addWidget(self.summary)

        theme = controller.theme
        self.heatmap = CalendarHeatmap("Reviews per day, last 12 months", theme)
        self.heatmap.setObjectName("reviewsHeatmap")
        self.heatmap_caption = _caption()
        layout.addWidget(
            _card("Reviews per day — last 12 months", self.heatmap, self.heatmap_caption)
        )

        bar = FlowLayout(spacing=8)  # the choice goes under its label when they do not fit
        skill_label = plain("Accuracy and mastery for:")
        bar.addWidget(skill_label)
        self.skill = QComboBox()
        self.skill.setObjectName("statisticsSkill")
        self.skill.setAccessibleName("Skill area shown in accuracy and mastery")
        self.skill.setToolTip("Show accuracy and mastery for all skill areas or for one")
        self.skill.setMinimumHeight(34)
        self.skill.setMinimumContentsLength(20)
        self.skill.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.skill.addItem("All skill areas", "all")
        self.skill.currentIndexChanged.connect(self._redraw_skill)
        skill_label.setBuddy(self.skill)
        bar.addWidget(self.skill)
        layout.addLayout(bar)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        self.accuracy = LineChart("Accuracy per week", theme)
        self.accuracy.setObjectName("accuracyChart")
        self.accuracy_caption = _caption()
        self.mastery = LineChart("Mastery history", theme)
        self.mastery.setObjectName("masteryChart")
        self.mastery_caption = _caption()
        self.forecast = BarChart("Due in the next 30 days", theme)
        self.forecast.setObjectName("forecastChart")
        self.forecast_caption = _caption()
        self.time = BarChart("Time spent answering", theme)
        self.time.setObjectName("timeChart")
        self.time_caption = _caption()
        self.time_scale = QComboBox()
        self.time_scale.setObjectName("timeScale")
        self.time_scale.setAccessibleName("Time spent per day or per week")
        self.time_scale.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.time_scale.addItem("Per day", "day")
        self.time_scale.addItem("Per week", "week")
        self.time_scale.currentIndexChanged.connect(self._redraw_time)
        self._cards = (
            _card("Accuracy per week", self.accuracy, self.accuracy_caption),
            _card("Mastery history", self.mastery, self.mastery_caption),
            _card("Time spent answering", self.time, self.time_caption, self.time_scale),
            _card("Due in the next 30 days", self.forecast, self.forecast_caption),
        )
        self._grid = grid
        self._columns = 0
        self._arrange_cards(2)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.tab_order: tuple[QWidget, ...] = (
            self.report_button,
            self.csv_button,
            self.heatmap,
            self.skill,
            self.accuracy,
            self.mastery,
            self.time_scale,
            self.time,
            self.forecast,
        )
        for first, second in zip(self.tab_order, self.tab_order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _button(self, text: str, name: str, tip: str, keys: str | None = None) -> QPushButton:
        """A large button; ``keys`` is its shortcut (else the & mnemonic in ``text``)."""
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(tip)
        if keys is not None:
            button.setShortcut(QKeySequence(keys))
        button.setMinimumHeight(36)
        button.setEnabled(False)
        return button

    # ------------------------------------------------------------------ data
    def _arrange_cards(self, columns: int) -> None:
        """Lay the chart cards out in ``columns`` columns (two side by side, or one under
        the other when the page is too narrow for two: never a sideways scroll bar)."""
        if columns == self._columns:
            return
        self._columns = columns
        for card in self._cards:
            self._grid.removeWidget(card)
        for n, card in enumerate(self._cards):
            self._grid.addWidget(card, n // columns, n % columns)
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  # Qt override
        """Two columns of charts only where each row's two cards fit side by side."""
        cards = [card.minimumSizeHint().width() for card in self._cards]
        pair = max(cards[0] + cards[1], cards[2] + cards[3])
        margins = self._page.contentsMargins()
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        need = pair + self._grid.horizontalSpacing() + margins.left() + margins.right()
        self._arrange_cards(2 if event.size().width() - scroll_bar >= need else 1)
        super().resizeEvent(event)

    def refresh(self) -> None:
        self.stale = False
        self.controller.query(lambda profile: ReportService(profile).statistics(), self._show)

    def on_theme_changed(self) -> None:
        for chart in self.findChildren(Chart):
            chart.set_theme(self.controller.theme)

    def _show(self, data: Statistics) -> None:
        self.data = data
        self.report_button.setEnabled(True)
        self.csv_button.setEnabled(True)
        last30 = data.days[-30:]
        studied = sum(1 for d in last30 if d.answers)
        self.summary.setText(
            f"{plural(data.total_answers, 'answer')} · {duration(data.total_minutes * 60)} spent "
            f"answering · streak {plural(data.streak, 'day')} · studied on {studied} "
            "of the last 30 days"
        )
        current = self.skill.currentData() or "all"
        self.skill.blockSignals(True)
        self.skill.clear()
        self.skill.addItem("All skill areas", "all")
        for s in data.skills:
            self.skill.addItem(s.title, s.id)
        index = self.skill.findData(current)
        self.skill.setCurrentIndex(max(index, 0))
        self.skill.blockSignals(False)
        self._redraw_heatmap()
        self._redraw_skill()
        self._redraw_time()
        self._redraw_forecast()

    def _redraw_heatmap(self) -> None:
        data = self.data
        if data is None:
            return
        self.heatmap.set_data([(d.day, d.answers) for d in data.days])
        active = [d for d in data.days if d.answers]
        if not active:
            text = "No answers in the last 12 months yet."
        else:
            busiest = max(active, key=lambda d: d.answers)
            text = (
                f"{sum(d.answers for d in active):,} answers on {len(active)} "
                f"day{'s' if len(active) != 1 else ''} in the last "
                f"12 months; busiest day {day_label(busiest.day)} {busiest.day.year} with "
                f"{busiest.answers}. Today is outlined."
            )
        self.heatmap.set_summary(text)
        self.heatmap_caption.setText(text)

    def _redraw_skill(self) -> None:
        data = self.data
        if data is None:
            return
        series = data.series(self.skill.currentData() or "all")
        labels = [week_label(w.week) for w in series.weeks]
        accuracy = [w.accuracy for w in series.weeks]
        self.accuracy.set_data(
            labels,
            [Series("Accuracy", accuracy)],
            tips=[
                f"Week of {week_label(w.week)}: "
                + (f"{w.accuracy:.0%} right of {w.answers}" if w.accuracy is not None else "none")
                for w in series.weeks
            ],
        )
        known = [(w, a) for w, a in zip(series.weeks, accuracy, strict=True) if a is not None]
        who = "all skill areas" if series.id == "all" else series.title
        if known:
            (w0, a0), (w1, a1) = known[0], known[-1]
            text = f"Accuracy in {who}: {a1:.0%} in the week of {week_label(w1.week)}" + (
                f", from {a0:.0%} in the week of {week_label(w0.week)}." if w0 != w1 else "."
            )
        else:
            text = f"No answers in {who} in these weeks."
        self.accuracy.set_summary(text)
        self.accuracy_caption.setText(text)

        points = series.mastery
        short = self._too_few(series.id)
        self.mastery.empty_text = "Too few answers yet." if short else "No answers yet."
        if short:
            # Too few answers: no line that would look measured (see domain.evidence).
            points = tuple(None for _p in points)
        band = None
        if series.id != "all":
            band = ([m.low if m else None for m in points], [m.high if m else None for m in points])
        self.mastery.set_data(
            labels,
            [Series("Mastery", [m.mean if m else None for m in points])],
            band=band,
            target=data.target,
            target_label=f"pass ≈ {data.target:.0%}",
            tips=[
                f"End of the week of {week_label(w.week)}: "
                + (f"{m.mean:.0%}" if m else "no answers yet")
                + (f" (80% range {m.low:.0%}–{m.high:.0%})" if m and band else "")
                for w, m in zip(series.weeks, points, strict=True)
            ],
        )
        marks = [m for m in points if m is not None]
        if marks:
            text = (
                f"Estimated mastery of {who}: {marks[-1].mean:.0%} now"
                + (
                    f", {marks[0].mean:.0%} in the week of {week_label(marks[0].week)}."
                    if len(marks) > 1
                    else "."
                )
                + f" The dashed line is the {data.target:.0%} a pass needs on average."
                + (" Shaded: the 80% range." if band is not None else "")
            )
        elif short:
            text = f"Mastery of {who}: {short}."
        else:
            text = f"No mastery history for {who} yet."
        self.mastery.set_summary(text)
        self.mastery_caption.setText(text)

    def _too_few(self, skill_id: str) -> str:
        """Why mastery of ``skill_id`` ("all": every area) is not shown yet, or ""."""
        data = self.data
        if data is None or not data.figures:
            return ""
        if skill_id != "all":
            figure = data.figure(skill_id)
            return mastery_text(figure) if figure and figure.evidence != "enough" else ""
        if data.estimated:
            return ""
        enough = len([f for f in data.figures if f.evidence == "enough"])
        return (
            f"shown with readiness, once most skill areas have {ENOUGH_ANSWERS} answers "
            f"({enough} of {len(data.figures)} have)"
        )

    def _redraw_time(self) -> None:
        data = self.data
        if data is None:
            return
        if self.time_scale.currentData() == "week":
            weeks = data.overall.weeks[-TIME_WEEKS:]
            labels = [week_label(w.week) for w in weeks]
            minutes = [w.minutes for w in weeks]
            tips = [f"Week of {week_label(w.week)}: {duration(w.minutes * 60)}" for w in weeks]
            span = f"the last {len(weeks)} weeks"
        else:
            days = data.days[-TIME_DAYS:]
            labels = [day_label(d.day) for d in days]
            minutes = [d.minutes for d in days]
            tips = [f"{d.day:%a} {day_label(d.day)}: {duration(d.minutes * 60)}" for d in days]
            span = f"the last {TIME_DAYS} days"
        self.time.set_data(labels, minutes, tips=tips, unit=" min")
        total = sum(minutes)
        text = f"{duration(total * 60)} spent answering in {span}" + (
            f"; most in one {'week' if len(labels) != TIME_DAYS else 'day'}: "
            f"{duration(max(minutes) * 60)}."
            if total
            else "."
        )
        self.time.set_summary(text)
        self.time_caption.setText(text)

    def _redraw_forecast(self) -> None:
        data = self.data
        if data is None:
            return
        values = [float(n) for _d, n in data.forecast]
        self.forecast.set_data(
            [day_label(d) for d, _n in data.forecast],
            values,
            tips=[
                f"{d:%a} {day_label(d)}: {n} due" + (" (with the overdue ones)" if i == 0 else "")
                for i, (d, n) in enumerate(data.forecast)
            ],
            emphasis=0,
        )
        total = sum(n for _d, n in data.forecast)
        today = data.forecast[0][1] if data.forecast else 0
        text = (
            f"{today} due today (overdue included, highlighted), {total} in the next "
            f"{len(data.forecast)} days."
        )
        if not total:
            self.forecast.empty_text = "Nothing due in the next 30 days."
            text = "Nothing due in the next 30 days."
        self.forecast.set_summary(text)
        self.forecast_caption.setText(text)

    # ------------------------------------------------------------------ exports
    def _start_folder(self) -> Path:
        if self._folder is not None:
            return self._folder
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs else Path.home()

    def export_report(self) -> None:
        """Ask where to save the progress report (HTML or PDF), then write it off-thread."""
        if self.data is None:
            return
        default = self._start_folder() / f"studyapp-progress-{self.data.today.isoformat()}.html"
        chosen, selected = QFileDialog.getSaveFileName(
            self,
            "Export progress report",
            str(default),
            ";;".join(REPORT_FILTERS.values()),
            REPORT_FILTERS["html"],
        )
        if not chosen:
            return
        path = Path(chosen)
        fmt = "pdf" if selected == REPORT_FILTERS["pdf"] else "html"
        if path.suffix.lower() in (".html", ".htm", ".pdf"):
            fmt = "pdf" if path.suffix.lower() == ".pdf" else "html"
        else:
            path = path.with_name(f"{path.name}.{fmt}")
        self._folder = path.parent
        self.controller.run_long(
            "Exporting the progress report",
            lambda profile, progress: ReportService(profile).write_report(
                path, fmt, pdf_writer=write_pdf, progress=progress
            ),
            self._exported,
            cancellable=False,
        )

    def export_csv(self) -> None:
        """Ask where to save answers per day and skill area as CSV, then write it."""
        if self.data is None:
            return
        default = self._start_folder() / f"studyapp-statistics-{self.data.today.isoformat()}.csv"
        chosen, _selected = QFileDialog.getSaveFileName(
            self, "Export statistics", str(default), "CSV file (*.csv)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(f"{path.name}.csv")
        self._folder = path.parent
        self.controller.run_op(
            lambda profile: ReportService(profile).write_csv(path), self._exported
        )

    def _exported(self, exported: ExportedFile) -> None:
        self.last_export = exported
        kind = {"csv": "Statistics", "pdf": "Report", "html": "Report"}[exported.format]
        self.controller.window.statusBar().showMessage(f"{kind} saved to {exported.path}", 15_000)
