"""The Group screen: the facilitator's view of a study group (and a member's own line).

What it shows comes from :meth:`GroupService.status` (read off the GUI thread, as every
query): members × skill areas (mastery with its 80% range, or "too few answers"), the
suggested agenda for the next meeting (the group's weakest heavily weighted areas), and
the list of scheduled mock exams with how many members sat each, and for ONE of them (the
one chosen in that list; at first the most recent) the score distribution and the item
analysis, with the questions that look flawed marked: one exam is read and analysed per
refresh (:meth:`GroupService.screen`), which keeps a 1,000-member group under a second.
Words and figures come from
:mod:`studyapp.services.groups.report`, so the screen, ``group status`` and the group
report say the same thing.

Under the summary, one line says when this profile last synced, or when and why its last
sync failed (:func:`~studyapp.services.groups.report.sync_line`). A hub password libpq
cannot find is asked for (:mod:`studyapp.ui.screens.group_password`).

The menu ``File → Study group`` and the sync at start-up are in
:mod:`studyapp.ui.group_menu`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from studyapp.domain.group import GroupError, HubPasswordError
from studyapp.domain.words import plural
from studyapp.services.changes import Change, Outcome
from studyapp.services.groups import (
    GroupService,
    GroupStatus,
    SyncReport,
    last_failure,
    read_membership,
)
from studyapp.services.groups.report import (
    agenda_lines,
    distribution,
    flag_words,
    pct,
    skill_cell,
    skill_columns,
    skipped_line,
    sync_line,
    write_group_report,
)
from studyapp.services.settings import local_tz
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.screens.group_join import JoinDialog
from studyapp.ui.screens.group_password import HubPasswordDialog, ask_password, run_group_op
from studyapp.ui.theme import colours
from studyapp.ui.widgets.labels import plain

if TYPE_CHECKING:
    from studyapp.services.profile import Profile
    from studyapp.services.reports.service import ExportedFile
    from studyapp.ui.context import ScreenContext

Synced = TypeVar("Synced", bound=SyncReport | None)


Loaded = tuple[str, GroupStatus | GroupError] | None


def _load(profile: Profile, code: str | None = None) -> Loaded:
    """(the line on the last sync, the screen's status with the analysis of ``code`` (None:
    the most recent exam) or the reason it cannot be read), or None when in no group
    (worker: reading a hub or a network folder may take a while)."""
    membership = read_membership(profile)
    if membership is None:
        return None
    line = sync_line(membership, last_failure(profile), profile.clock.now(), local_tz())
    try:
        return line, GroupService(profile).screen(code)
    except GroupError as exc:
        return line, exc


def _table(headers: list[str], object_name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def _fit_height(table: QTableWidget) -> None:
    """Show every row: the page scrolls, not the table."""
    table.resizeRowsToContents()
    header = table.horizontalHeader()
    height = header.sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    # Room for the horizontal scroll bar a wide table needs, so no row is hidden by it.
    height += table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(height + 2)


HEADER_CHARS = 18  # a skill area's title wraps in its column header at about this width


class GroupScreen(Screen):
    """Members, skill areas, the agenda and the item analysis of the group's mock exams."""

    title = "Group"
    depends_on = Change.SETTINGS | Change.EXAMS | Change.REVIEWS | Change.PACKS

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__(controller)
        self.status: GroupStatus | None = None
        layout = scroll_page(self)
        self.heading = plain("Study group", bold=True, size_delta=5, wrap=True)
        self.heading.setObjectName("groupHeading")
        layout.addWidget(self.heading)
        self.summary = plain("", wrap=True)
        self.summary.setObjectName("groupSummary")
        layout.addWidget(self.summary)
        self.sync_state = plain("", wrap=True)
        self.sync_state.setObjectName("groupSyncState")
        self.sync_state.setAccessibleName("Last sync")
        layout.addWidget(self.sync_state)
        buttons = QHBoxLayout()
        self.join_button = QPushButton("&Join a group…")
        self.join_button.setObjectName("groupJoin")
        self.join_button.clicked.connect(self.open_join)
        self.sync_button = QPushButton("S&ync now")
        self.sync_button.setObjectName("groupSync")
        self.sync_button.clicked.connect(self.sync_now)
        self.export_button = QPushButton("E&xport group report…")
        self.export_button.setObjectName("groupExport")
        self.export_button.clicked.connect(self.choose_export)
        for button in (self.join_button, self.sync_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.members_title = self._section(layout, "Members and skill areas")
        self.members = _table(["Member"], "groupMembers")
        layout.addWidget(self.members)
        self.members_note = plain(
            "Mastery: the estimated chance of answering an exam question of the area right, "
            "with its 80% range. Fewer than 10 answers: too few to tell.",
            wrap=True,
        )
        layout.addWidget(self.members_note)
        self.agenda_title = self._section(layout, "Suggested agenda for the next meeting")
        self.agenda = plain("", wrap=True)
        self.agenda.setObjectName("groupAgenda")
        layout.addWidget(self.agenda)
        self.exams_title = self._section(layout, "Mock exams")
        self.exam_pick = QComboBox()
        self.exam_pick.setObjectName("groupExamPick")
        self.exam_pick.setAccessibleName("Mock exam to analyse")
        self.exam_pick.activated.connect(self._pick_exam)
        layout.addWidget(self.exam_pick)
        self.exam_code: str | None = None
        self.exams_box = QVBoxLayout()
        layout.addLayout(self.exams_box)
        layout.addStretch(1)
        self.join_dialog: JoinDialog | None = None
        self.password_dialog: HubPasswordDialog | None = None
        self._show(None)

    @staticmethod
    def _section(layout: QVBoxLayout, text: str) -> QLabel:
        label = plain(text, bold=True, size_delta=2, wrap=True)
        layout.addWidget(label)
        return label

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        self.stale = False
        code = self.exam_code
        self.controller.query(lambda profile: _load(profile, code), self._show)

    def _pick_exam(self, index: int) -> None:
        """The user chose another exam in the list: read and analyse that one."""
        code = self.exam_pick.itemData(index)
        if isinstance(code, str) and code != self.exam_code:
            self.exam_code = code
            self.refresh()

    def _show(self, loaded: Loaded) -> None:
        line, result = loaded if loaded is not None else ("", None)
        self.sync_state.setText(line)
        self.sync_state.setVisible(bool(line))
        self.status = result if isinstance(result, GroupStatus) else None
        joined = result is not None
        self.join_button.setVisible(not joined)
        self.sync_button.setVisible(joined)
        self.export_button.setVisible(
            isinstance(result, GroupStatus) and result.role == "facilitator"
        )
        details = isinstance(result, GroupStatus)
        for widget in (
            self.members_title,
            self.members,
            self.members_note,
            self.agenda_title,
            self.agenda,
            self.exams_title,
        ):
            widget.setVisible(details)
        self.exam_pick.setVisible(isinstance(result, GroupStatus) and bool(result.counts))
        self._clear_exams()
        if result is None:
            self.heading.setText("Study group")
            self.summary.setText(
                "This profile is in no study group. Join the folder your group shares (a "
                "network share, a cloud-synced folder or a USB stick) to get the group's "
                "packs and mock exams. A facilitator creates a group with "
                "'studyapp group create'."
            )
            return
        if isinstance(result, GroupError):
            self.heading.setText("Study group")
            told = str(result).casefold() in line.casefold()  # the sync line says why
            reason = "." if told else f": {result}"
            self.summary.setText(f"The group cannot be shown right now{reason}")
            if isinstance(result, HubPasswordError) and not result.refused:
                self._ask_password(result)
            return
        self._show_status(result)

    def _show_status(self, status: GroupStatus) -> None:
        self.heading.setText(status.name)
        sharing = ", ".join(c.name for c in status.members) or "nobody yet"
        skipped = f" {skipped_line(len(status.skipped))}" if status.skipped else ""
        who = "You lead this group" if status.role == "facilitator" else "You are a member"
        self.summary.setText(
            f"{who}; the facilitator is {status.facilitator}. Members who share: "
            f"{sharing}.{skipped}"
        )
        self._fill_members(status)
        lines = agenda_lines(status)
        self.agenda.setText("\n".join(lines))
        self._fill_pick(status)
        for exam in status.exams:
            self._add_exam(exam.analysis, exam.date)
        if not status.counts:
            self._add_label("No mock exam is scheduled.")

    def _fill_pick(self, status: GroupStatus) -> None:
        """Every scheduled exam with how many sat it; the analysed one selected."""
        pick = self.exam_pick
        pick.blockSignals(True)
        pick.clear()
        for count in status.counts:
            when = f", {count.date}" if count.date else ""
            pick.addItem(f"{count.code}{when}: sat by {plural(count.sat, 'member')}", count.code)
        at = pick.findData(status.selected)
        pick.setCurrentIndex(max(at, 0))
        pick.blockSignals(False)
        self.exam_code = status.selected

    def _fill_members(self, status: GroupStatus) -> None:
        columns = skill_columns(status)
        table = self.members
        table.clear()
        table.setColumnCount(2 + len(columns))
        headers = [
            "\n".join([*textwrap.wrap(t, HEADER_CHARS), f"{pct(w)} of the exam"])
            for _i, t, w in columns
        ]
        table.setHorizontalHeaderLabels(["Member", "Readiness", *headers])
        table.setRowCount(len(status.members))
        muted = colours(self.controller.theme)["muted"]
        for row, card in enumerate(status.members):
            table.setItem(row, 0, QTableWidgetItem(card.name))
            ready = "–" if card.readiness is None else pct(card.readiness)
            table.setItem(row, 1, QTableWidgetItem(ready))
            for col, (skill_id, _t, _w) in enumerate(columns, 2):
                text = skill_cell(card, skill_id)
                item = QTableWidgetItem(text)
                if not text[:1].isdigit():
                    item.setForeground(self._brush(muted))
                table.setItem(row, col, item)
        header = table.horizontalHeader()
        metrics = header.fontMetrics()
        cell_metrics = table.fontMetrics()
        for col, text in enumerate(headers, 2):
            cells = [it.text() for r in range(table.rowCount()) if (it := table.item(r, col))]
            width = max(
                max((metrics.horizontalAdvance(w) for w in text.split("\n")), default=0),
                max((cell_metrics.horizontalAdvance(c) for c in cells), default=0),
            )
            width += 16
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            table.setColumnWidth(col, width)
        _fit_height(table)

    @staticmethod
    def _brush(colour: str) -> Any:
        from PySide6.QtGui import QBrush, QColor

        return QBrush(QColor(colour))

    def _clear_exams(self) -> None:
        while self.exams_box.count():
            item = self.exams_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _add_label(self, text: str, bold: bool = False) -> QLabel:
        label = plain(text, bold=bold, wrap=True)
        self.exams_box.addWidget(label)
        return label

    def _add_exam(self, analysis: Any, day: str | None) -> None:
        when = f" — scheduled for {day}" if day else ""
        self._add_label(f"{analysis.code}{when}", bold=True)
        self._add_label(distribution(analysis))
        if not analysis.items:
            return
        flagged = len(analysis.flagged)
        self._add_label(
            f"{plural(flagged, 'question')} look flawed."
            if flagged != 1
            else "1 question looks flawed."
        )
        table = _table(
            ["Question", "Right", "Discrimination", "Options chosen", "Looks flawed?"],
            "groupItems",
        )
        table.setRowCount(len(analysis.items))
        bad = colours(self.controller.theme)["bad"]
        for row, item in enumerate(analysis.items):
            disc = "–" if item.discrimination is None else f"{item.discrimination:+.2f}"
            chosen = ", ".join(f"{o}: {n}" for o, n in item.choices.items()) or "–"
            cells = (str(row + 1), pct(item.p_correct), disc, chosen, flag_words(item.flags))
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(f"Question {row + 1} of the exam ({item.id})")
                if col == 4 and item.flags:
                    cell.setForeground(self._brush(bad))
                table.setItem(row, col, cell)
        table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        _fit_height(table)
        self.exams_box.addWidget(table)

    def on_theme_changed(self) -> None:
        self.stale = True
        if self.isVisible():
            self.refresh()

    # ------------------------------------------------------------------ actions
    def open_join(self) -> None:
        """File → Study group → Join…: the Join dialog (non-blocking)."""
        if self.join_dialog is not None:
            self.join_dialog.raise_()
            return
        dialog = JoinDialog(self.window())
        self.join_dialog = dialog
        dialog.accepted.connect(lambda: self._join(dialog))
        dialog.finished.connect(lambda _r: self._join_closed(dialog))
        dialog.open()

    def _join_closed(self, dialog: JoinDialog) -> None:
        if self.join_dialog is dialog:
            self.join_dialog = None
        dialog.deleteLater()

    def _join(self, dialog: JoinDialog) -> None:
        folder, name, share = dialog.values()
        self._run(lambda p: GroupService(p).join_and_sync(folder, name, share))

    def sync_now(self) -> None:
        """Sync with the group on the worker thread; the outcome goes to the status bar."""
        self._message("Syncing with the study group…")
        self._run(lambda p: GroupService(p).sync())

    def _run(self, fn: Callable[[Profile], Outcome[Synced]]) -> None:
        """A join or sync off the GUI thread, asking for a hub password if one is needed."""
        run_group_op(self.controller, self.window(), fn, self._synced, self._sync_failed)

    def _sync_failed(self, exc: BaseException) -> None:
        """One clear line in the error dialog; the screen's last-sync line says it too."""
        self.stale = True
        if self.isVisible():
            self.refresh()
        self._message("")
        self.controller.report_error(exc)

    def _ask_password(self, need: HubPasswordError) -> None:
        """The screen could not read the hub without a password: ask, then read again."""
        if self.password_dialog is not None or not self.isVisible():
            return

        def closed() -> None:
            self.password_dialog = None

        def then() -> None:
            closed()
            self.refresh()

        self.password_dialog = ask_password(self.window(), need, then, closed)

    def _synced(self, report: SyncReport | None) -> None:
        self.stale = True
        if self.isVisible():
            self.refresh()
        if report is None:
            return
        problems = f" {report.problems[0]}" if report.problems else ""
        more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
        self._message(report.summary() + problems + more)

    def _message(self, text: str) -> None:
        window = self.controller.window
        window.statusBar().showMessage(text, 20_000)

    def choose_export(self) -> None:
        """Ask where to save the group report, then write it off the GUI thread."""
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export group report", "group-report.pdf", "PDF (*.pdf);;HTML (*.html)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the group report to ``path`` (HTML or PDF by its extension)."""
        from studyapp.ui.pdf import write_pdf

        def work(profile: Profile) -> Outcome[ExportedFile]:
            status = GroupService(profile).status()
            return write_group_report(status, path, None, local_tz(), write_pdf)

        self.controller.run_op(
            work, lambda made: self._message(f"Saved the group report to {made.path}.")
        )
