"""The Packs tab of the library: installed packs, and import, update, export, remove.

Imports and exports run with ``controller.run_long`` (progress, and Cancel for imports,
which write in one transaction: a cancelled or failed import changes nothing). A GIFT,
Moodle XML, Aiken or CSV file is first read without writing (``preview_import``) and the
category mapping dialog is shown; only its Import button starts the write.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.errors import PackError
from studyapp.domain.pack import ImportReport, InstalledPack
from studyapp.domain.words import plural
from studyapp.services.changes import Outcome
from studyapp.services.packs.export import ExportReport
from studyapp.services.packs.library import (
    USER_PACK_ID,
    ImportPreview,
    LibraryService,
)
from studyapp.services.packs.service import PackService
from studyapp.ui.screens.library.mapping import MappingDialog
from studyapp.ui.widgets.buttons import action_button
from studyapp.ui.widgets.flow import FlowLayout
from studyapp.ui.widgets.labels import plain

if TYPE_CHECKING:
    from studyapp.ui.context import ScreenContext

PACK_COLUMNS = ("Title", "Version", "Imported", "Questions")
TITLE_COLUMN, FIRST_NUMBER_COLUMN = 0, 3
IMPORT_FILTER = (
    "Question files (*.studypack *.gift *.txt *.xml *.csv);;StudyApp packs (*.studypack);;"
    "GIFT (*.gift *.txt);;Moodle XML (*.xml);;Aiken (*.txt);;CSV (*.csv);;All files (*)"
)
EXPORT_FORMATS = (
    ("StudyApp pack (*.studypack)", "studypack", ".studypack"),
    ("GIFT (*.gift)", "gift", ".gift"),
    ("Moodle XML (*.xml)", "moodle-xml", ".xml"),
)


class PacksPanel(QWidget):
    """Installed packs with their actions."""

    def __init__(self, controller: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.packs: list[InstalledPack] = []
        self.last_report: ImportReport | None = None
        self.mapping_dialog: MappingDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        bar_box = QWidget()
        bar = FlowLayout(bar_box)
        self.import_button = action_button(
            "Import…", "Import a pack or question file", "_pack_button"
        )
        self.folder_button = action_button(
            "Import folder…", "Import (or update) a pack kept as a folder", "_pack_button"
        )
        self.update_button = action_button(
            "Update…", "Update the selected pack from a newer file", "_pack_button"
        )
        self.export_button = action_button("Export…", "Export the selected pack", "_pack_button")
        self.remove_button = action_button(
            "Remove…", "Remove the selected pack (Delete)", "_pack_button"
        )
        for b in (
            self.import_button,
            self.folder_button,
            self.update_button,
            self.export_button,
            self.remove_button,
        ):
            bar.addWidget(b)
        layout.addWidget(bar_box)
        self.table = QTableWidget(0, len(PACK_COLUMNS))
        self.table.setObjectName("packTable")
        self.table.setAccessibleName("Installed packs")
        self.table.setHorizontalHeaderLabels(list(PACK_COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # The title takes the width the short columns leave and wraps onto more lines
        # (rows grow to fit), so a long title stays readable at the minimum window size
        # or a large font and the table never needs to scroll sideways.
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.details = plain("", wrap=True)
        self.details.setObjectName("packDetails")
        self.details.setAccessibleName("About the selected pack")
        layout.addWidget(self.details)
        self.note = plain(
            "Removing a pack keeps your answers to its questions in your history and statistics. "
            "My questions holds the questions you write or revise; it exports like any pack.",
            wrap=True,
        )
        layout.addWidget(self.note)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        self.import_button.clicked.connect(self.choose_import)
        self.folder_button.clicked.connect(self.choose_folder)
        self.update_button.clicked.connect(self.choose_update)
        self.export_button.clicked.connect(self.choose_export)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update_actions)
        self._update_actions()

    # ------------------------------------------------------------------ list
    def refresh(self) -> None:
        self.controller.query(lambda p: PackService(p).list(), self._show)

    def _show(self, packs: list[InstalledPack]) -> None:
        selected = self.selected()
        self.packs = packs
        self.table.setRowCount(len(packs))
        for row, p in enumerate(packs):
            values = (p.title, p.display_version, imported_text(p), f"{p.questions:,}")
            tip = pack_details(p)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column >= FIRST_NUMBER_COLUMN:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
        keep = next((i for i, p in enumerate(packs) if selected and p.id == selected.id), None)
        if keep is not None:
            self.table.selectRow(keep)
        elif packs and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self._update_actions()

    def selected(self) -> InstalledPack | None:
        row = self.table.currentRow()
        rows = {i.row() for i in self.table.selectedItems()}
        return self.packs[row] if 0 <= row < len(self.packs) and row in rows else None

    def select_pack(self, pack_id: str) -> None:
        for row, p in enumerate(self.packs):
            if p.id == pack_id:
                self.table.selectRow(row)

    def _update_actions(self) -> None:
        pack = self.selected()
        self.details.setText(pack_details(pack) if pack is not None else "")
        self.details.setVisible(pack is not None)
        self.update_button.setEnabled(pack is not None and pack.id != USER_PACK_ID)
        self.export_button.setEnabled(pack is not None and pack.questions > 0)
        self.remove_button.setEnabled(pack is not None)

    # ------------------------------------------------------------------ import
    def choose_import(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, "Import a pack or question file", str(Path.home()), IMPORT_FILTER
        )
        if path:
            self.import_path(Path(path))

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Import a pack folder", str(Path.home()))
        if path:
            self.import_path(Path(path))

    def choose_update(self) -> None:
        pack = self.selected()
        if pack is None:
            return
        path, _f = QFileDialog.getOpenFileName(
            self, f"Update {pack.title} from a newer file", str(Path.home()), IMPORT_FILTER
        )
        if path:
            self.import_path(Path(path), expected=pack.id)

    def import_path(self, path: Path, expected: str | None = None) -> None:
        """Recognise the file (off the GUI thread), map categories if needed, import."""
        self.controller.query(
            lambda p: LibraryService(p).preview_import(path),
            lambda preview: self._previewed(preview, expected),
        )

    def _previewed(self, preview: ImportPreview, expected: str | None) -> None:
        if expected is not None and preview.needs_mapping and preview.pack_id != expected:
            self.controller.report_error(
                PackError(
                    f"{preview.path.name} holds the pack {preview.pack_id!r}, not {expected!r}; "
                    "nothing was changed. Use Import to add it as a pack of its own."
                )
            )
            return
        if not preview.needs_mapping:
            self._run_import(preview, expected, None)
            return
        dialog = MappingDialog(preview, self, update=expected is not None)
        self.mapping_dialog = dialog
        dialog.accepted.connect(lambda: self._run_import(preview, expected, dialog.mapping()))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def _run_import(
        self, preview: ImportPreview, expected: str | None, mapping: dict[str, str | None] | None
    ) -> None:
        self.mapping_dialog = None
        path, fmt = preview.path, preview.format
        self.controller.run_long(
            f"Importing {path.name}",
            lambda p, progress: LibraryService(p).import_file(
                path,
                format=fmt,
                expected_pack=expected,
                category_skills=mapping,
                progress=progress,
            ),
            self._imported,
        )

    def _imported(self, report: ImportReport) -> None:
        self.last_report = report
        self.controller.window.statusBar().showMessage(report.summary(), 20_000)
        box = QMessageBox(self)
        box.setObjectName("importReport")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Import finished")
        box.setAccessibleName("Import finished")
        box.setText(report.summary())
        details = [*report.warnings, *report.skipped_items]
        if details:
            box.setDetailedText("\n".join(details))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------------ export, remove
    def choose_export(self) -> None:
        pack = self.selected()
        if pack is None:
            return
        filters = ";;".join(f for f, _n, _s in EXPORT_FORMATS)
        start = Path.home() / f"{pack.id}.studypack"
        path, chosen = QFileDialog.getSaveFileName(
            self, f"Export {pack.title}", str(start), filters
        )
        if not path:
            return
        _f, fmt, suffix = next((e for e in EXPORT_FORMATS if e[0] == chosen), EXPORT_FORMATS[0])
        out = Path(path)
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        pack_id = pack.id
        self.controller.run_long(
            f"Exporting {pack.title}",
            lambda p, _progress: Outcome(PackService(p).export(out, pack_id=pack_id, format=fmt)),
            self._exported,
            cancellable=False,
        )

    def _exported(self, report: ExportReport) -> None:
        self.controller.window.statusBar().showMessage(
            f"Exported {plural(report.questions, 'question')} to {report.path}", 20_000
        )

    def remove_selected(self) -> None:
        """Ask, naming the pack and its question count, then remove it."""
        pack = self.selected()
        if pack is None:
            return
        n = pack.questions + pack.retired
        answer = QMessageBox.question(
            self,
            "Remove pack",
            f"Remove the pack “{pack.title}” (version {pack.display_version}) and its "
            f"{plural(n, 'question')}?\n\n"
            "Your answers to them stay in your history and statistics. A backup is made first.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        pack_id, title = pack.id, pack.title
        self.controller.run_op(
            lambda p: PackService(p).remove(pack_id),
            lambda count: self.controller.window.statusBar().showMessage(
                f"Removed “{title}” ({plural(count, 'question')}); your history is kept.", 15_000
            ),
        )


def pack_details(pack: InstalledPack) -> str:
    """Everything about a pack in one sentence for people (title, version, date, size)."""
    by = f"; by {', '.join(pack.authors)}" if pack.authors else ""
    retired = f" ({pack.retired:,} retired)" if pack.retired else ""
    return (
        f"{pack.title}: version {pack.display_version}, imported "
        f"{imported_text(pack)}; {plural(pack.questions, 'question')}{retired}{by}."
    )


def imported_text(pack: InstalledPack) -> str:
    """The day this version was imported, in the user's time zone ("7 Dec 2026")."""
    if pack.imported_at is None:
        return "—"
    local = pack.imported_at.astimezone()
    return f"{local.day} {local:%b %Y}"
