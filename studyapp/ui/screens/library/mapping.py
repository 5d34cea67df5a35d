"""Before a GIFT / Moodle XML / Aiken / CSV import writes anything: each category found,
how many questions it holds, and the skill area it will map to (changeable, "Unassigned"
allowed), plus what will be skipped and why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.words import plural
from studyapp.services.packs.library import ImportPreview
from studyapp.ui.widgets.flow import fit_to_screen
from studyapp.ui.widgets.labels import plain

#: Preferred size; clamped to the screen (see :func:`fit_to_screen`).
PREFERRED_SIZE = (900, 600)


def category_label(category: str) -> str:
    return category or "(no category)"


class MappingDialog(QDialog):
    """Shows an :class:`ImportPreview`; :meth:`mapping` is the user's choice."""

    def __init__(self, preview: ImportPreview, parent: QWidget, *, update: bool = False) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setObjectName("mappingDialog")
        verb = "Update from" if update else "Import"
        self.setWindowTitle(f"{verb} {preview.path.name}")
        self.setAccessibleName(self.windowTitle())
        self.setWindowModality(Qt.WindowModality.WindowModal)
        fit_to_screen(self, *PREFERRED_SIZE)
        layout = QVBoxLayout(self)
        n = preview.questions
        installed = (
            f" It updates the installed pack {preview.pack_id} "
            f"(version {preview.installed_version}); "
            "progress on unchanged questions is kept."
            if preview.installed_version
            else ""
        )
        summary = plain(
            f"{plural(n, 'question')} found in this {preview.format_label} file; "
            f"they become the pack {preview.pack_id}.{installed} Nothing has been written yet. "
            "Choose the skill area for each category, then import.",
            wrap=True,
        )
        summary.setObjectName("mappingSummary")
        layout.addWidget(summary)

        # One block per category: its name (wrapped, never cut) and question count, with
        # the skill-area drop-down under it at full width, so even the longest skill
        # title is readable at the minimum size or a large font. Many categories scroll.
        layout.addWidget(plain("Categories and the skill areas they map to", bold=True))
        self.categories = QScrollArea()
        self.categories.setObjectName("mappingCategories")
        self.categories.setWidgetResizable(True)
        self.categories.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        rows = QVBoxLayout(inner)
        self.combos: dict[str, QComboBox] = {}
        for cat in preview.categories:
            name = category_label(cat.category)
            label = plain(f"{name} · {plural(cat.questions, 'question')}", wrap=True)
            combo = QComboBox()
            combo.setAccessibleName(f"Skill area for {name}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
            combo.addItem("Unassigned", None)
            for skill in preview.skills:
                combo.addItem(skill.title, skill.id)
            combo.setCurrentIndex(max(combo.findData(cat.skill), 0))
            label.setBuddy(combo)
            rows.addWidget(label)
            rows.addWidget(combo)
            rows.addSpacing(6)
            self.combos[cat.category] = combo
        rows.addStretch(1)
        self.categories.setWidget(inner)
        self.categories.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        layout.addWidget(self.categories, 2)

        skipped = plain(
            f"Skipped ({len(preview.skipped)}): not imported, with the reason"
            if preview.skipped
            else "Skipped: nothing",
            bold=True,
        )
        layout.addWidget(skipped)
        self.skipped = QListWidget()
        self.skipped.setObjectName("mappingSkipped")
        self.skipped.setAccessibleName("Skipped items")
        self.skipped.setWordWrap(True)
        self.skipped.addItems(list(preview.skipped))
        self.skipped.setVisible(bool(preview.skipped))
        layout.addWidget(self.skipped, 1)
        if preview.warnings:
            layout.addWidget(plain("Notes", bold=True))
            self.notes = QListWidget()
            self.notes.setObjectName("mappingNotes")
            self.notes.setAccessibleName("Notes about the file")
            self.notes.setWordWrap(True)
            self.notes.addItems(list(preview.warnings))
            layout.addWidget(self.notes, 1)

        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(
            "Update" if update else "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("mappingImport")
        self.import_button.setAccessibleName(f"{verb} with this mapping")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel the import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def mapping(self) -> dict[str, str | None]:
        """Category -> chosen skill-area id (None: Unassigned)."""
        return {category: combo.currentData() for category, combo in self.combos.items()}
