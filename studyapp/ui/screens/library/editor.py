"""The question editor: every field of the pack format, a live preview, and validation
messages as you type.

Validation is :func:`studyapp.services.packs.library.check_question`, i.e. the pack
validator's own ``parse_question``, so the editor can never accept what a pack import
would refuse. Saving runs on the worker thread and writes to My questions; editing a
question of an imported pack saves the user's own revision (the service decides, and the
notice at the top says which will happen).
"""

from __future__ import annotations

import re
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

from studyapp.domain.words import plural
from studyapp.services.packs.library import (
    EditorContext,
    LibraryService,
    Problem,
    SavedQuestion,
    check_question,
    describe_problem,
)
from studyapp.ui.screens.library.markdown import OptionView, question_markdown
from studyapp.ui.screens.library.options import FieldError, OptionsEditor, TextBox
from studyapp.ui.widgets.flow import fit_to_screen
from studyapp.ui.widgets.labels import plain
from studyapp.ui.widgets.rendered import RenderedText

if TYPE_CHECKING:
    from studyapp.ui.context import ScreenContext

CHECK_DELAY_MS = 150
#: The editor's preferred size; it is clamped to the screen so that it fits a 1366x768
#: laptop with its taskbar (the form scrolls inside).
PREFERRED_SIZE = (1100, 660)
_OPTION_WHERE = re.compile(r"^options\[(\d+)\](?:[.:] ?(\w+))?$")
_REFERENCE_WHERE = re.compile(r"^references\[\d+\]")
_FORM_FIELDS = ("skill", "type", "difficulty", "stem", "explanation", "tags", "references")


def _combo(name: str, items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setObjectName(name.replace(" ", "_").lower())
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _field_of(problem: Problem) -> str:
    """The part of the question a problem is about: "stem", "options", "options[1].text"…"""
    parts = problem.where.split(": ", 2)
    where = parts[2] if len(parts) == 3 else ""
    if _REFERENCE_WHERE.match(where):
        return "references"
    return where


class EditorDialog(QDialog):
    """Create or edit one question.

    Problems are shown beside the field they are about, and only for fields the user has
    touched, so an empty editor does not open with a list of faults. Save stays enabled
    while the unfinished parts are untouched; pressing it then shows every problem and
    moves to the first. While problems are shown, Save is disabled and the line beside it
    (and its tooltip) says why.
    """

    saved = Signal(object)  # SavedQuestion

    def __init__(self, controller: ScreenContext, context: EditorContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.context = context
        self._saving = False
        self._loading = True
        #: Every error of the current text (what Save refuses) ...
        self.errors: list[str] = []
        #: ... and those shown now (on touched fields, or all after Save was pressed).
        self.shown_errors: list[str] = []
        self.touched: set[str] = set()
        editing = context.question is not None
        # An existing question's problems are real from the start; a new one's are not.
        self.show_all = editing
        self.setObjectName("questionEditor")
        self.setWindowTitle("Edit question" if editing else "New question")
        self.setAccessibleName(self.windowTitle())
        self.setWindowModality(Qt.WindowModality.WindowModal)
        fit_to_screen(self, *PREFERRED_SIZE)
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
        split.setSizes([self.width() * 3 // 5, self.width() * 2 // 5])  # the form first
        outer.addWidget(split, 1)
        bottom = QHBoxLayout()
        self.save_reason = plain("", wrap=True)
        self.save_reason.setObjectName("editorSaveReason")
        self.save_reason.setAccessibleName("Why Save is not available")
        bottom.addWidget(self.save_reason, 1)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("editorSave")
        self.save_button.setAccessibleName("Save question")
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
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self._load(context)
        self._loading = False
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
            [("One correct answer", "single"), ("Several correct answers", "multiple")],
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
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.field_errors: dict[str, FieldError] = {}
        fields: tuple[tuple[str, str, QWidget], ...] = (
            ("skill", "Skill area", self.skill),
            ("type", "Type", self.qtype),
            ("difficulty", "Difficulty", self.difficulty),
            ("stem", "Question", self.stem),
            ("options", "Options", self.options),
            ("explanation", "Explanation", self.explanation),
            ("tags", "Tags", self.tags),
            ("references", "References", self.references),
        )
        self._fields = fields
        self._problem_targets: list[QWidget] = []
        for key, label, widget in fields:
            error = FieldError(label)
            self.field_errors[key] = error
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(label, cell)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.form_scroll = scroll
        for key, combo in (("skill", self.skill), ("type", self.qtype)):
            combo.currentIndexChanged.connect(lambda _i, key=key: self._touch(key))
        self.difficulty.currentIndexChanged.connect(lambda _i: self._touch("difficulty"))
        for key, text_box in (
            ("stem", self.stem),
            ("explanation", self.explanation),
            ("references", self.references),
        ):
            text_box.textChanged.connect(lambda key=key: self._touch(key))
        self.tags.textChanged.connect(lambda _t: self._touch("tags"))
        self.options.touched.connect(self._touch)
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
        layout.addWidget(plain("Checks", bold=True))
        self.summary = plain("", wrap=True)
        self.summary.setObjectName("editorSummary")
        self.summary.setAccessibleName("Validation summary")
        layout.addWidget(self.summary)
        self.problems = QListWidget()
        self.problems.setObjectName("editorProblems")
        self.problems.setAccessibleName("Validation messages")
        self.problems.setWordWrap(True)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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

    def _touch(self, key: str) -> None:
        if not self._loading:
            self.touched.add(key)
        self._changed()

    def _changed(self) -> None:
        self._timer.start()

    def _visible(self, field: str) -> bool:
        """Whether the problem about ``field`` is shown yet (touched, or Save pressed)."""
        if self.show_all or field in self.touched:
            return True
        if field == "options":  # how many are correct: once a tick or the type changed
            return "type" in self.touched or any(t.endswith(":correct") for t in self.touched)
        match = _OPTION_WHERE.match(field)
        if match and int(match.group(1)) < len(self.options.rows):
            oid = self.options.rows[int(match.group(1))].oid
            part = match.group(2)
            if part in ("text", "rationale", "correct"):
                return f"{oid}:{part}" in self.touched
            return any(t.startswith(f"{oid}:") for t in self.touched)
        return False

    def check(self) -> None:
        """Validate and re-render now (normally a moment after the last keystroke)."""
        self._timer.stop()
        item = self.item()
        _q, problems = check_question(item, self.context.framework, list(self.context.media))
        self.errors = [describe_problem(p) for p in problems if p.severity == "error"]
        shown = [p for p in problems if self._visible(_field_of(p))]
        self.shown_errors = [describe_problem(p) for p in shown if p.severity == "error"]
        warnings = [describe_problem(p) for p in shown if p.severity == "warning"]
        self._place_errors([p for p in shown if p.severity == "error"])
        self.problems.clear()
        for text in self.shown_errors + warnings:
            self.problems.addItem(text)
        self.problems.setVisible(bool(self.shown_errors or warnings))
        n = len(self.shown_errors)
        if n:
            self.summary.setText(f"{plural(n, 'problem')} to fix before saving")
        elif self.errors:
            self.summary.setText("Problems show here as you fill in the fields.")
        else:
            self.summary.setText("Ready to save" + (" (see the notes)" if warnings else ""))
        self._update_save()
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

    def _place_errors(self, errors: list[Problem]) -> None:
        """Each shown error under its field: an option's under that option."""
        by_field: dict[str, list[str]] = {key: [] for key in self.field_errors}
        by_row: dict[int, dict[str, list[str]]] = {}
        for p in errors:
            field = _field_of(p)
            match = _OPTION_WHERE.match(field)
            if match and int(match.group(1)) < len(self.options.rows):
                part = match.group(2) if match.group(2) in ("text", "rationale") else ""
                parts = by_row.setdefault(int(match.group(1)), {})
                parts.setdefault(part or "", []).append(describe_problem(p))
            else:
                key = field if field in _FORM_FIELDS else "options"
                if field not in _FORM_FIELDS and not field.startswith("options"):
                    key = "stem"  # anything else (e.g. an image) is about the text
                by_field[key].append(describe_problem(p))
        widgets = {key: w for key, _label, w in self._fields}
        self._problem_targets = []
        for key, label in self.field_errors.items():
            label.show_messages(by_field[key])
            if key != "options":
                if by_field[key]:
                    self._problem_targets.append(widgets[key])
                continue
            for index, row in enumerate(self.options.rows):
                parts = by_row.get(index, {})
                row.show_problems(parts)
                if parts:
                    first = row.rationale if set(parts) == {"rationale"} else row.text
                    self._problem_targets.append(first)
            if by_field[key] and self.options.rows:  # how many are correct: the first tick
                self._problem_targets.append(self.options.rows[0].correct)

    def _update_save(self) -> None:
        blocked = bool(self.shown_errors)
        self.save_button.setEnabled(not blocked and not self._saving)
        if blocked:
            n = len(self.shown_errors)
            reason = (
                f"Save is not available yet: fix the {plural(n, 'problem')} shown in red "
                "beside the fields."
            )
            self.save_reason.setText(reason)
            self.save_button.setToolTip(reason + "\n\n" + "\n".join(self.shown_errors))
        else:
            self.save_reason.setText("")
            self.save_button.setToolTip("Save to My questions (Ctrl+S)")
        self.save_reason.setVisible(blocked)

    # ------------------------------------------------------------------ saving
    def dirty(self) -> bool:
        return self.item() != self._initial

    def save(self) -> None:
        """Save on the worker thread; the dialog closes when it is stored.

        With problems not shown yet, show them all and go to the first instead.
        """
        self.show_all = True
        self.check()
        if self.errors or self._saving:
            self._focus_first_problem()
            return
        item, qid = self.item(), self.context.qid
        self._saving = True
        self.save_button.setEnabled(False)
        self.controller.run_op(
            lambda p: LibraryService(p).save(item, qid), self._saved, self._save_failed
        )

    def _focus_first_problem(self) -> None:
        """Scroll to the first field with a problem and put the cursor in it."""
        if not self._problem_targets:
            return
        target = self._problem_targets[0]
        self.form_scroll.ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _saved(self, saved: SavedQuestion) -> None:
        self._saving = False
        self.saved.emit(saved)
        super().accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._update_save()
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
