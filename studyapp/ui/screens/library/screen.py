"""Library: the questions (search, filters, preview with history, editor) and the packs
(import, update, export, remove).

Keys: Ctrl+F search, Ctrl+N new question, Enter edits the selected question, Delete in
the pack list asks to remove the pack. The pieces live beside this module (see the
package's docstring); the data comes from :class:`studyapp.services.packs.library.LibraryService`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from studyapp.services.changes import Change
from studyapp.services.packs.library import EditorContext, LibraryService, SavedQuestion
from studyapp.ui.screens.base import Screen
from studyapp.ui.screens.library.editor import EditorDialog
from studyapp.ui.screens.library.packs import PacksPanel
from studyapp.ui.screens.library.questions import QuestionsPanel

if TYPE_CHECKING:
    from studyapp.ui.context import ScreenContext


class LibraryScreen(Screen):
    """Questions and packs."""

    title = "Library"
    depends_on = Change.PACKS | Change.QUESTIONS | Change.REVIEWS | Change.FRAMEWORKS

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__(controller)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("libraryTabs")
        self.tabs.setAccessibleName("Library sections")
        self.questions = QuestionsPanel(controller)
        self.questions.setAccessibleName("Questions")
        self.packs = PacksPanel(controller)
        self.packs.setAccessibleName("Packs")
        self.tabs.addTab(self.questions, "&Questions")
        self.tabs.addTab(self.packs, "&Packs")
        self.tabs.setTabToolTip(0, "Search, preview and edit questions")
        self.tabs.setTabToolTip(1, "Import, update, export and remove packs")
        layout.addWidget(self.tabs)
        self.editor: EditorDialog | None = None
        self.questions.edit_requested.connect(self.open_editor)
        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.New, lambda: self.open_editor(None)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    def refresh(self) -> None:
        self.stale = False
        self.questions.refresh()
        self.packs.refresh()

    def on_theme_changed(self) -> None:
        detail = self.questions.preview.detail
        if detail is not None:
            self.questions.preview.show_detail(detail)
        self.questions.table.fit_columns()  # the font size may have changed with the theme
        self.update()

    def focus_search(self) -> None:
        """Ctrl+F: show the questions and put the cursor in the search box."""
        self.tabs.setCurrentWidget(self.questions)
        self.questions.focus_search()

    def open_editor(self, qid: int | None) -> None:
        """Open the editor on question ``qid`` (None: a new question)."""
        if self.editor is not None or self.controller.profile is None:
            return
        self.controller.query(lambda p: LibraryService(p).editor_context(qid), self._show_editor)

    def _show_editor(self, context: EditorContext) -> None:
        if self.editor is not None:
            return
        editor = EditorDialog(self.controller, context, self)
        self.editor = editor
        editor.saved.connect(self._saved)
        editor.finished.connect(lambda _r: self._editor_closed(editor))
        editor.open()
        editor.stem.setFocus()

    def _editor_closed(self, editor: EditorDialog) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()

    def _saved(self, saved: SavedQuestion) -> None:
        what = "Saved" if not saved.created else "Added"
        if saved.revises:
            what = f"Saved your revision of {saved.revises} as"
        message = f"{what} {saved.ref}." if saved.changed else "No changes to save."
        self.controller.window.statusBar().showMessage(message, 15_000)
        self.tabs.setCurrentWidget(self.questions)
        self.questions.select_qid(saved.qid)
