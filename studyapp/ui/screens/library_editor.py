"""The question editor: every field of the pack format, a live preview, and validation
messages as you type.

Validation is :func:`studyapp.services.library.check_question`, i.e. the pack
validator's own ``parse_question``, so the editor can never accept what a pack import
would refuse. Saving runs on the worker thread and writes to My questions; editing a
question of an imported pack saves the user's own revision (the service decides, and the
notice at the top says which will happen).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studyapp.services.library import (
    EditorContext,
    LibraryService,
    SavedQuestion,
    check_question,
    describe_problem,
)
from studyapp.ui.screens.home import plain
from studyapp.ui.screens.library_markdown import OptionView, question_markdown
from studyapp.ui.screens.library_options import OptionsEditor, TextBox
from studyapp.ui.widgets.rendered import RenderedText

if TYPE_CHECKING:
    from studyapp.ui.controller import AppController

CHECK_DELAY_MS = 150


def _combo(name: str, items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setObjectName(name.replace(" ", "_").lower())
    for text, value in items:
        combo.addItem(text, value)
    return combo


class EditorDialog(QDialog):
    """Create or edit one question."""

    saved = Signal(object)  # SavedQuestion

    def __init__(self, controller: AppController, context: EditorContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.context = context
        self._saving = False
        self.errors: list[str] = []
        self.setObjectName("questionEditor")
        editing = context.question is not None
        self.setWindowTitle("Edit question" if editing else "New question")
        self.setAccessibleName(self.windowTitle())
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(1180, 760)
        outer = QVBoxLayout(self)
        self.notice = plain(context.notice, wrap=True)
        self.notice.setObjectName("editorNotice")
        self.notice.setAccessibleName("Where this question is saved")
        outer.addWidget(self.notice)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self._build_form())
        split.addWidget(self._build_side())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("editorSave")
        self.save_button.setAccessibleName("Save question")
        self.save_button.setToolTip("Save to My questions (Ctrl+S)")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel editing")
        self.cancel_button.setToolTip("Close without saving (Esc)")
        self.cancel_button.setAutoDefault(False)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        outer.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self._load(context)
        self._initial = self.item()
        self.check()
        self.options.changed.connect(self._fix_tab_order)
        self._fix_tab_order()

    # ------------------------------------------------------------------ building
    def _build_form(self) -> QWidget:
        fw = self.context.framework
        self.skill = _combo(
            "Skill area", [("Unassigned", None)] + [(s.title, s.id) for s in fw.skill_areas]
        )
        self.qtype = _combo(
            "Question type",
            [("Single answer (exactly one correct)", "single"), ("Multiple answers", "multiple")],
        )
        self.difficulty = _combo(
            "Difficulty", [("1 · easy", 1), ("2 · medium", 2), ("3 · hard", 3)]
        )
        self.stem = TextBox("Question text", 5, placeholder="The question (Markdown)")
        self.options = OptionsEditor()
        self.explanation = TextBox(
            "Explanation", 4, placeholder="The principle behind the answer (Markdown)"
        )
        self.tags = QLineEdit()
        self.tags.setAccessibleName("Tags")
        self.tags.setObjectName("tags")
        self.tags.setPlaceholderText("Comma-separated, e.g. budget, e-rate")
        self.references = TextBox(
            "References", 3, placeholder="One per line: title | section | https://address"
        )
        body = QWidget()
        form = QFormLayout(body)
        form.addRow("Skill area", self.skill)
        form.addRow("Type", self.qtype)
        form.addRow("Difficulty", self.difficulty)
        form.addRow("Question", self.stem)
        form.addRow("Options", self.options)
        form.addRow("Explanation", self.explanation)
        form.addRow("Tags", self.tags)
        form.addRow("References", self.references)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        for combo in (self.skill, self.qtype, self.difficulty):
            combo.currentIndexChanged.connect(lambda _i: self._changed())
        for box in (self.stem, self.explanation, self.references):
            box.textChanged.connect(self._changed)
        self.tags.textChanged.connect(lambda _t: self._changed())
        self.options.changed.connect(self._changed)
        return scroll

    def _build_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(plain("Preview", bold=True))
        self.preview = RenderedText()
        self.preview.setObjectName("editorPreview")
        self.preview.setAccessibleName("Live preview of the question")
        layout.addWidget(self.preview, 3)
        row = QHBoxLayout()
        row.addWidget(plain("Checks", bold=True))
        self.summary = plain("")
        self.summary.setObjectName("editorSummary")
        self.summary.setAccessibleName("Validation summary")
        row.addWidget(self.summary, 1)
        layout.addLayout(row)
        self.problems = QListWidget()
        self.problems.setObjectName("editorProblems")
        self.problems.setAccessibleName("Validation messages")
        self.problems.setWordWrap(True)
        self.problems.setMaximumHeight(self.fontMetrics().lineSpacing() * 9)
        layout.addWidget(self.problems, 1)
        return side

    def _load(self, context: EditorContext) -> None:
        q = context.question
        if q is None:
            self.options.set_options(())
            self.difficulty.setCurrentIndex(self.difficulty.findData(2))
            return
        self.skill.setCurrentIndex(max(self.skill.findData(q.skill), 0))
        self.qtype.setCurrentIndex(max(self.qtype.findData(q.type), 0))
        self.difficulty.setCurrentIndex(max(self.difficulty.findData(q.difficulty), 0))
        self.stem.setPlainText(q.stem)
        self.options.set_options(q.options)
        self.explanation.setPlainText(q.explanation)
        self.tags.setText(", ".join(q.tags))
        self.references.setPlainText(
            "\n".join(
                " | ".join([r.title, r.section, r.url] if r.url else [r.title, r.section]).rstrip(
                    " |"
                )
                for r in q.references
            )
        )

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = [self.skill, self.qtype, self.difficulty, self.stem]
        for row in self.options.rows:
            chain += [row.text, row.correct, row.rationale, row.remove]
        chain += [self.options.add_button, self.explanation, self.tags, self.references]
        chain += [self.save_button, self.cancel_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ checking
    def item(self) -> dict[str, Any]:
        """The edited question in pack-file form."""
        references = []
        for line in self.references.text().splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            references.append(
                {
                    "title": parts[0],
                    "section": parts[1] if len(parts) > 1 else "",
                    "url": "|".join(parts[2:]).strip() if len(parts) > 2 else "",
                }
            )
        return {
            "skill": self.skill.currentData(),
            "type": self.qtype.currentData(),
            "stem": self.stem.text(),
            "options": self.options.values(),
            "explanation": self.explanation.text(),
            "difficulty": self.difficulty.currentData(),
            "tags": [t.strip() for t in self.tags.text().split(",") if t.strip()],
            "references": references,
        }

    def _changed(self) -> None:
        self._timer.start()

    def check(self) -> None:
        """Validate and re-render now (normally a moment after the last keystroke)."""
        self._timer.stop()
        item = self.item()
        _q, problems = check_question(item, self.context.framework, list(self.context.media))
        self.problems.clear()
        self.errors = [describe_problem(p) for p in problems if p.severity == "error"]
        warnings = [describe_problem(p) for p in problems if p.severity == "warning"]
        for text in self.errors + warnings:
            self.problems.addItem(text)
        if self.errors:
            n = len(self.errors)
            self.summary.setText(f"{n} problem{'s' if n != 1 else ''} to fix before saving")
        else:
            self.summary.setText("Ready to save" + (" (see the notes)" if warnings else ""))
        self.save_button.setEnabled(not self.errors and not self._saving)
        self.preview.set_markdown(
            question_markdown(
                stem=item["stem"],
                multiple=item["type"] == "multiple",
                options=[
                    OptionView(o["text"], o["correct"], o["rationale"]) for o in item["options"]
                ],
                explanation=item["explanation"],
                references=[(r["title"], r["section"], r["url"]) for r in item["references"]],
            ),
            self.context.media,
        )

    # ------------------------------------------------------------------ saving
    def dirty(self) -> bool:
        return self.item() != self._initial

    def save(self) -> None:
        """Save on the worker thread; the dialog closes when it is stored."""
        self.check()
        if self.errors or self._saving:
            return
        item, qid = self.item(), self.context.qid
        self._saving = True
        self.save_button.setEnabled(False)
        self.controller.run_op(
            lambda p: LibraryService(p).save(item, qid), self._saved, self._save_failed
        )

    def _saved(self, saved: SavedQuestion) -> None:
        self._saving = False
        self.saved.emit(saved)
        super().accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(not self.errors)
        self.controller.report_error(exc)

    def reject(self) -> None:
        """Close; unsaved changes are discarded only after asking."""
        if self._saving:
            return
        if self.dirty():
            answer = QMessageBox.question(
                self,
                "Discard changes?",
                "Close the editor and discard your changes to this question?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
