"""The Questions tab of the library: filters, the lazily paged table, the preview, and
actions (new, edit, suspend, delete one's own question).

Filters become a :class:`LibraryQuery` evaluated in SQL on the worker thread; typing in
the search box waits for a short pause before asking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyapp.services.library import (
    UNASSIGNED,
    USER_PACK_ID,
    LibraryChoices,
    LibraryQuery,
    LibraryService,
    QuestionDetail,
)
from studyapp.services.study import StudyService
from studyapp.ui.screens.home import plain
from studyapp.ui.screens.library_model import QuestionTableModel
from studyapp.ui.screens.library_preview import PreviewPane
from studyapp.ui.widgets.buttons import action_button

if TYPE_CHECKING:
    from studyapp.ui.controller import AppController

STATUS_CHOICES = (
    ("Any status", None),
    ("New", "new"),
    ("Learning/review", "learning"),
    ("Due", "due"),
    ("Leech", "leech"),
    ("Suspended", "suspended"),
    ("Retired", "retired"),
    ("My revision used", "revised"),
)
SEARCH_DELAY_MS = 250


class QuestionTable(QTableView):
    """The table; Enter asks to open the editor on the current question."""

    open_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


def _combo(name: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    combo.setObjectName(name.replace(" ", "_").lower())
    combo.setMinimumContentsLength(9)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


class QuestionsPanel(QWidget):
    """Filters, table, preview and actions."""

    edit_requested = Signal(object)  # a question row id, or None for a new question

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._detail_generation = 0
        self._select_after_load: int | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setAccessibleName("Search questions")
        self.search.setPlaceholderText("Search question and option text (Ctrl+F)")
        self.search.setToolTip("Words to find in the question, its options or its id (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        filters.addWidget(self.search, 3)
        self.skill = _combo("Skill area filter", "Show one skill area")
        self.status = _combo(
            "Status filter", "Show questions with one status (retired ones only when chosen)"
        )
        self.tag = _combo("Tag filter", "Show questions with one tag")
        self.pack = _combo("Pack filter", "Show the questions of one pack")
        for label, value in STATUS_CHOICES:
            self.status.addItem(label, value)
        for combo in (self.skill, self.status, self.tag, self.pack):
            filters.addWidget(combo, 1)
        outer.addLayout(filters)

        actions = QHBoxLayout()
        self.new_button = action_button("New question", "Write a new question (Ctrl+N)")
        self.edit_button = action_button("Edit…", "Edit the selected question (Enter)")
        self.suspend_button = action_button("Suspend", "Take the question out of practice")
        self.delete_button = action_button(
            "Delete my question", "Delete a question of My questions (history is kept)"
        )
        for b in (self.new_button, self.edit_button, self.suspend_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        self.count_label = plain("")
        self.count_label.setObjectName("libraryCount")
        self.count_label.setAccessibleName("Number of matching questions")
        actions.addWidget(self.count_label)
        outer.addLayout(actions)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.model = QuestionTableModel(controller)
        self.table = QuestionTable()
        self.table.setObjectName("questionTable")
        self.table.setAccessibleName("Questions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 90), (1, 180), (3, 135), (4, 95), (5, 110)):
            self.table.setColumnWidth(column, width)
        split.addWidget(self.table)
        self.preview = PreviewPane()
        split.addWidget(self.preview)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        outer.addWidget(split, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        for combo in (self.skill, self.status, self.tag, self.pack):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.open_requested.connect(self.edit_current)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.model.count_changed.connect(self._show_count)
        self.model.page_loaded.connect(self._page_loaded)
        self.new_button.clicked.connect(lambda: self.edit_requested.emit(None))
        self.edit_button.clicked.connect(self.edit_current)
        self.suspend_button.clicked.connect(self.toggle_suspended)
        self.delete_button.clicked.connect(self.delete_mine)
        self._update_actions()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Reload the filter choices and the table (keeping filters and selection)."""
        current = self.current_qid()
        if current is not None and self._select_after_load is None:
            self._select_after_load = current
        self.controller.query(lambda p: LibraryService(p).choices(), self._fill_choices)
        self.model.reload()

    def _fill_choices(self, choices: LibraryChoices) -> None:
        skills = [("All skill areas", None), ("Unassigned", UNASSIGNED)]
        skills += [(s.title, s.id) for s in choices.skills]
        tags = [("Any tag", None)] + [(t, t) for t in choices.tags]
        packs = [("Any pack", None)] + [(f"{p.title} ({p.id})", p.id) for p in choices.packs]
        changed = False
        for combo, items in ((self.skill, skills), (self.tag, tags), (self.pack, packs)):
            changed |= _refill(combo, items)
        if changed:
            self.apply_filters()

    def query(self) -> LibraryQuery:
        """The filters as a query."""
        return LibraryQuery(
            search=self.search.text().strip(),
            skill=self.skill.currentData(),
            status=self.status.currentData(),
            tag=self.tag.currentData(),
            pack=self.pack.currentData(),
        )

    def apply_filters(self) -> None:
        self._timer.stop()
        query = self.query()
        if query != self.model.query or self.model.loaded() == 0:
            self.preview.clear()
            self.model.set_query(query)
            self._update_actions()

    def _show_count(self, total: int) -> None:
        self.count_label.setText(f"{total:,} question{'s' if total != 1 else ''}")

    def _page_loaded(self) -> None:
        wanted = self._select_after_load
        if wanted is None:
            if not self.table.currentIndex().isValid() and self.model.loaded():
                self.select_row(0)  # something to preview from the start
            return
        row = self.model.row_of(wanted)
        self._select_after_load = None
        if row is not None:
            self.select_row(row)
        else:
            self._load_detail(wanted)

    def select_qid(self, qid: int) -> None:
        """Select question ``qid`` once it is loaded (or preview it anyway)."""
        row = self.model.row_of(qid)
        if row is not None:
            self.select_row(row)
        else:
            self._select_after_load = qid
            self._load_detail(qid)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def current_qid(self) -> int | None:
        row = self.model.row_at(self.table.currentIndex().row())
        return row.qid if row is not None else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row())
        self._update_actions()
        if row is not None:
            self._load_detail(row.qid)

    def _load_detail(self, qid: int) -> None:
        self._detail_generation += 1
        generation = self._detail_generation

        def show(detail: QuestionDetail) -> None:
            if generation == self._detail_generation:
                self.preview.show_detail(detail)
                self._update_actions()

        self.controller.query(lambda p: LibraryService(p).detail(qid), show)

    def _update_actions(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        self.edit_button.setEnabled(row is not None)
        self.suspend_button.setEnabled(row is not None and row.status != "retired")
        self.suspend_button.setText("Unsuspend" if row and row.status == "suspended" else "Suspend")
        self.suspend_button.setAccessibleName(self.suspend_button.text())
        self.delete_button.setEnabled(row is not None and row.pack == USER_PACK_ID)

    # ------------------------------------------------------------------ actions
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def edit_current(self) -> None:
        qid = self.current_qid()
        if qid is not None:
            self.edit_requested.emit(qid)

    def toggle_suspended(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        if row is None:
            return
        suspend = row.status != "suspended"
        self._select_after_load = row.qid
        self.controller.run_op(lambda p: StudyService(p).set_suspended(row.qid, suspend))

    def delete_mine(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        if row is None or row.pack != USER_PACK_ID:
            return
        answer = QMessageBox.question(
            self,
            "Delete your question",
            f"Delete your question {row.key} (“{row.first_line[:80]}”)?\n\n"
            "Your answers to it stay in your history. If it is your revision of an imported "
            "question, that question is practised again.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.controller.run_op(
            lambda p: LibraryService(p).delete_mine(row.qid),
            lambda original: self.controller.window.statusBar().showMessage(
                f"Deleted {row.key}" + (f"; {original} is practised again." if original else "."),
                10_000,
            ),
        )


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> bool:
    """Replace a combo's items, keeping its choice; True if the choice had to change."""
    current = combo.currentData()
    if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == items:
        return False
    combo.blockSignals(True)
    combo.clear()
    for text, value in items:
        combo.addItem(text, value)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    return current is not None and index < 0
