"""The question table's model: pages of rows fetched lazily off the GUI thread.

Qt asks :meth:`canFetchMore` / :meth:`fetchMore` as the view scrolls towards the end;
each fetch asks the worker for the next page after the last loaded row id (keyset
paging in SQL), so only what has been scrolled to is ever held, and 100,000 questions
cost no more to open than 200. Every new query bumps a generation number and results
of an older generation are dropped, so typing fast never shows stale rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from studyapp.services.packs.library import PAGE_SIZE, LibraryQuery, LibraryRow, LibraryService

if TYPE_CHECKING:
    from studyapp.ui.context import ScreenContext

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("ID", "Skill area", "Question", "Status", "Difficulty", "Pack")
STATUS_TEXT = {
    "new": "new",
    "learning": "learning/review",
    "due": "due",
    "leech": "leech",
    "suspended": "suspended",
    "retired": "retired",
    "revised": "my revision used",
}
DIFFICULTY_TEXT = {1: "1 · easy", 2: "2 · medium", 3: "3 · hard"}


class QuestionTableModel(QAbstractTableModel):
    """Rows of the library's question table."""

    count_changed = Signal(int)
    page_loaded = Signal()

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__()
        self.controller = controller
        self._rows: list[LibraryRow] = []
        self._query = LibraryQuery()
        self._generation = 0
        self._more = False
        self._fetching = False
        self.total: int | None = None

    # ------------------------------------------------------------------ loading
    @property
    def query(self) -> LibraryQuery:
        return self._query

    def set_query(self, query: LibraryQuery) -> None:
        """Forget the loaded rows and load the first page (and the count) of ``query``."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._query, self._rows, self._more, self.total = query, [], False, None
        self._fetching = True
        self.endResetModel()
        self.controller.query(
            lambda p: LibraryService(p).page(query),
            lambda rows: self._arrived(generation, rows),
        )
        self.controller.query(
            lambda p: LibraryService(p).count(query),
            lambda n: self._counted(generation, n),
        )

    def reload(self) -> None:
        """Run the current query again (after data changed)."""
        self.set_query(self._query)

    def _arrived(self, generation: int, rows: list[LibraryRow]) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._more = len(rows) == PAGE_SIZE
        self.page_loaded.emit()

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.total = total
            self.count_changed.emit(total)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not self.canFetchMore(parent) or not self._rows:
            return
        self._fetching = True
        generation, query, after = self._generation, self._query, self._rows[-1].qid
        self.controller.query(
            lambda p: LibraryService(p).page(query, after),
            lambda rows: self._arrived(generation, rows),
        )

    # ------------------------------------------------------------------ access
    def row_at(self, row: int) -> LibraryRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, qid: int) -> int | None:
        """The table row showing question ``qid``, if loaded."""
        for index, r in enumerate(self._rows):
            if r.qid == qid:
                return index
        return None

    def loaded(self) -> int:
        return len(self._rows)

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 2:
                return row.first_line
            if index.column() == 0:
                return f"{row.pack}/{row.key}"
            return self._text(row, index.column())  # the whole text of an elided cell
        return None

    @staticmethod
    def _text(row: LibraryRow, column: int) -> str:
        if column == 0:
            return row.key
        if column == 1:
            return row.skill_title or "Unassigned"
        if column == 2:
            return row.first_line
        if column == 3:
            return STATUS_TEXT.get(row.status, row.status)
        if column == 4:
            return DIFFICULTY_TEXT.get(row.difficulty, str(row.difficulty))
        return row.pack

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None
