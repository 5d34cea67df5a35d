"""The Questions tab of the library: filters, the lazily paged table, the preview, and
actions (new, edit, suspend, delete one's own question).

Filters become a :class:`LibraryQuery` evaluated in SQL on the worker thread; typing in
the search box waits for a short pause before asking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.words import plural
from studyapp.services.packs.library import (
    UNASSIGNED,
    USER_PACK_ID,
    LibraryChoices,
    LibraryQuery,
    LibraryService,
    QuestionDetail,
)
from studyapp.services.study.service import StudyService
from studyapp.ui.screens.library.model import COLUMNS, QuestionTableModel
from studyapp.ui.screens.library.preview import PreviewPane
from studyapp.ui.widgets.buttons import action_button
from studyapp.ui.widgets.flow import FlowLayout
from studyapp.ui.widgets.labels import plain

if TYPE_CHECKING:
    from studyapp.ui.context import ScreenContext

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
QUESTION_COLUMN = 2
#: Typical width of each short column, in average characters of the table's font.
COLUMN_CHARS = {0: 9, 1: 20, 3: 14, 4: 10, 5: 13}
#: Columns given up, in this order, when the table is too narrow (the preview shows them).
HIDE_ORDER = (5, 4, 0, 1)
QUESTION_MIN_CHARS = 22


class QuestionTable(QTableView):
    """The table; Enter asks to open the editor on the current question.

    The columns always fit the width (no sideways scrolling): the question column takes
    what the short columns leave, and when even that is too little the least needed
    columns are hidden (pack, difficulty, id, skill area; the preview shows them all).
    Cell text that does not fit is elided; its tooltip has it whole.
    """

    open_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  # Qt override
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Choose the visible columns and their widths for the current width and font."""
        header = self.horizontalHeader()
        bold = QFont(header.font())
        bold.setBold(True)
        head, body = QFontMetrics(bold), self.fontMetrics()
        pad = 3 * self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12
        need = {
            c: max(body.averageCharWidth() * chars, head.horizontalAdvance(COLUMNS[c]) + pad)
            for c, chars in COLUMN_CHARS.items()
        }
        scroll = self.verticalScrollBar().sizeHint().width()
        room = self.width() - 2 * self.frameWidth() - scroll
        shown = dict(need)
        question = max(
            body.averageCharWidth() * QUESTION_MIN_CHARS,
            head.horizontalAdvance(COLUMNS[QUESTION_COLUMN]) + pad,
        )
        for column in HIDE_ORDER:
            if sum(shown.values()) + question <= room:
                break
            del shown[column]
        for column, width in need.items():
            self.setColumnHidden(column, column not in shown)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(QUESTION_COLUMN, QHeaderView.ResizeMode.Stretch)


class FilterCombo(QComboBox):
    """A filter drop-down as wide as its current choice (so its text is never clipped);
    the bar it sits in wraps when the choices need more room than one line."""

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        edit = self.lineEdit()
        text = edit.text() if self.isEditable() and edit is not None else self.currentText()
        metrics = self.fontMetrics()
        width = max(metrics.horizontalAdvance(text), metrics.averageCharWidth() * 8)
        if self.isEditable():  # the line edit's frame and its clear button
            width += metrics.height() + 16
        size = QSize(width + 4, super().sizeHint().height())
        return (
            self.style()
            .sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, size, self)
            .expandedTo(QSize(0, super().sizeHint().height()))
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return self.sizeHint()


def _combo(name: str, tip: str) -> FilterCombo:
    combo = FilterCombo()
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    combo.setObjectName(name.replace(" ", "_").lower())
    combo.currentIndexChanged.connect(lambda _i: combo.updateGeometry())
    return combo


def _searchable(combo: QComboBox) -> None:
    """Let the user type part of a choice: a pop-up lists every choice containing it
    (any case), and Enter or a click picks one. Text that names no choice is put back."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    edit = combo.lineEdit()
    assert edit is not None  # the combo box is editable
    edit.setClearButtonEnabled(True)
    edit.textEdited.connect(lambda _t: combo.updateGeometry())

    def settle() -> None:
        text = edit.text().strip()
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString) if text else 0
        if index < 0:
            index = combo.currentIndex()
        if index != combo.currentIndex():
            combo.setCurrentIndex(index)
        edit.setText(combo.itemText(combo.currentIndex()))
        combo.updateGeometry()

    edit.editingFinished.connect(settle)
    completer.activated.connect(lambda text: combo.setCurrentIndex(max(combo.findText(text), 0)))


class QuestionsPanel(QWidget):
    """Filters, table, preview and actions."""

    edit_requested = Signal(object)  # a question row id, or None for a new question

    def __init__(self, controller: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._detail_generation = 0
        self._select_after_load: int | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)

        filter_bar = QWidget()
        filters = FlowLayout(filter_bar)
        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setAccessibleName("Search questions")
        self.search.setPlaceholderText("Search question and option text (Ctrl+F)")
        self.search.setToolTip("Words to find in the question, its options or its id (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 18)
        filters.addWidget(self.search)
        self.skill = _combo("Skill area filter", "Show one skill area")
        self.status = _combo(
            "Status filter", "Show questions with one status (retired ones only when chosen)"
        )
        self.tag = _combo("Tag filter", "Show questions with one tag: type part of it to find it")
        self.pack = _combo("Pack filter", "Show the questions of one pack")
        for label, value in STATUS_CHOICES:
            self.status.addItem(label, value)
        _searchable(self.tag)
        for combo in (self.skill, self.status, self.tag, self.pack):
            filters.addWidget(combo)
        outer.addWidget(filter_bar)

        action_bar = QWidget()
        actions = FlowLayout(action_bar)
        self.new_button = action_button("New question", "Write a new question (Ctrl+N)")
        self.edit_button = action_button("Edit…", "Edit the selected question (Enter)")
        self.suspend_button = action_button("Suspend", "Take the question out of practice")
        self.delete_button = action_button(
            "Delete my question", "Delete a question of My questions (history is kept)"
        )
        for b in (self.new_button, self.edit_button, self.suspend_button, self.delete_button):
            actions.addWidget(b)
        self.count_label = plain("")
        self.count_label.setObjectName("libraryCount")
        self.count_label.setAccessibleName("Number of matching questions")
        actions.addWidget(self.count_label)
        outer.addWidget(action_bar)

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
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.fit_columns()
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
        packs = [("Any pack", None)] + [(p.title, p.id) for p in choices.packs]
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
        self.count_label.setText(plural(total, "question"))

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
    combo.updateGeometry()
    return current is not None and index < 0
