"""Editor fields: compact Markdown text boxes and the list of 2–8 answer options.

Each option keeps its id while it is edited (answers in the history name options by id);
a new option gets the first free letter id.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.question import MAX_OPTIONS, MIN_OPTIONS, Option
from studyapp.ui.theme import colours
from studyapp.ui.widgets.labels import plain

_IDS = "abcdefgh"


class TextBox(QPlainTextEdit):
    """A Markdown text box of a few lines; Tab moves on (as everywhere else in a form)."""

    def __init__(self, name: str, lines: int, text: str = "", placeholder: str = "") -> None:
        super().__init__(text)
        self.setTabChangesFocus(True)
        self.setAccessibleName(name)
        self.setPlaceholderText(placeholder)
        self.setObjectName(name.replace(" ", "_").lower())
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setMinimumHeight(height)
        self.setMaximumHeight(height + self.fontMetrics().lineSpacing() * 2)

    def text(self) -> str:
        return self.toPlainText()


class FieldError(QLabel):
    """A validation message shown right under the field it is about (hidden when none).

    Drawn in the theme's "bad" colour, chosen from the palette in use when the message is
    set, so it follows a theme change at the next check.
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setObjectName("fieldError")
        self.setAccessibleName(f"Problem with {name}")
        self.hide()

    def show_messages(self, messages: list[str]) -> None:
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        pal = self.palette()
        pal.setColor(
            QPalette.ColorRole.WindowText, QColor(colours("dark" if dark else "light")["bad"])
        )
        self.setPalette(pal)
        self.setText("\n".join(messages))
        self.setVisible(bool(messages))


class OptionRow(QWidget):
    """One answer option: text, a correct flag, a rationale, and a remove button.

    ``touched`` names the part the user changed ("text", "correct" or "rationale"), so
    the editor shows a problem only once its field has been touched.
    """

    changed = Signal()
    touched = Signal(str)
    remove_requested = Signal(object)

    def __init__(
        self, oid: str, text: str = "", correct: bool = False, rationale: str = ""
    ) -> None:
        super().__init__()
        self.oid = oid
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 4)
        self.letter = plain("", bold=True)
        self.correct = QCheckBox("Correct")
        self.correct.setChecked(correct)
        self.text = TextBox("Option text", 2, text, "The answer option (Markdown)")
        self.rationale = TextBox(
            "Option rationale", 3, rationale, "Why this option is right or wrong"
        )
        self.remove = QPushButton("Remove")
        # The letter, Correct and Remove share the top line, so the two text boxes get
        # the whole width (a narrow window or a large font leaves them room to read).
        top = QHBoxLayout()
        top.addWidget(self.letter)
        top.addWidget(self.correct)
        top.addStretch(1)
        top.addWidget(self.remove)
        grid.addLayout(top, 0, 0, 1, 2)
        # Each part's problem sits right under it: text, rationale, anything else.
        self.text_error = FieldError("this option's text")
        self.rationale_error = FieldError("this option's rationale")
        self.error = FieldError("this option")
        grid.addWidget(plain("Answer"), 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.text, 1, 1)
        grid.addWidget(self.text_error, 2, 1)
        grid.addWidget(plain("Why"), 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.rationale, 3, 1)
        grid.addWidget(self.rationale_error, 4, 1)
        grid.addWidget(self.error, 5, 1)
        grid.setColumnStretch(1, 1)
        for part, signal in (
            ("correct", self.correct.toggled),
            ("text", self.text.textChanged),
            ("rationale", self.rationale.textChanged),
        ):
            signal.connect(lambda *_a, part=part: self._touch(part))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    def _touch(self, part: str) -> None:
        self.touched.emit(part)
        self.changed.emit()

    def set_letter(self, letter: str) -> None:
        self.letter.setText(f"{letter}.")
        self.error.setAccessibleName(f"Problem with option {letter}")
        self.text_error.setAccessibleName(f"Problem with the text of option {letter}")
        self.rationale_error.setAccessibleName(f"Problem with the rationale of option {letter}")
        self.text.setAccessibleName(f"Option {letter} text")
        self.rationale.setAccessibleName(f"Option {letter} rationale")
        self.correct.setAccessibleName(f"Option {letter} is correct")
        self.correct.setToolTip(f"Option {letter} is a correct answer")
        self.remove.setAccessibleName(f"Remove option {letter}")
        self.remove.setToolTip(f"Remove option {letter}")

    def show_problems(self, by_part: dict[str, list[str]]) -> None:
        """Show messages under their part: "text", "rationale", or "" (the option)."""
        self.text_error.show_messages(by_part.get("text", []))
        self.rationale_error.show_messages(by_part.get("rationale", []))
        self.error.show_messages(by_part.get("", []))

    def value(self) -> dict[str, Any]:
        return {
            "id": self.oid,
            "text": self.text.text(),
            "correct": self.correct.isChecked(),
            "rationale": self.rationale.text(),
        }


class OptionsEditor(QWidget):
    """The options of a question, with Add option.

    ``touched`` carries "<option id>:<part>" when the user changes a part of an option.
    """

    changed = Signal()
    touched = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Answer options")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._rows_box = QVBoxLayout()
        layout.addLayout(self._rows_box)
        bar = QHBoxLayout()
        self.add_button = QPushButton("Add option")
        self.add_button.setAccessibleName("Add option")
        self.add_button.setToolTip(f"Add an answer option (at most {MAX_OPTIONS})")
        self.add_button.clicked.connect(lambda: self.add_option(focus=True))
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.rows: list[OptionRow] = []

    def set_options(self, options: tuple[Option, ...]) -> None:
        for row in list(self.rows):
            self._drop(row)
        for o in options:
            self._append(OptionRow(o.id, o.text, o.correct, o.rationale))
        while len(self.rows) < MIN_OPTIONS:
            self.add_option()
        self._renumber()

    def add_option(self, *, focus: bool = False) -> None:
        if len(self.rows) >= MAX_OPTIONS:
            return
        used = {r.oid for r in self.rows}
        oid = next(c for c in _IDS if c not in used)
        row = OptionRow(oid)
        self._append(row)
        self._renumber()
        self.changed.emit()
        if focus:
            row.text.setFocus()

    def _append(self, row: OptionRow) -> None:
        row.changed.connect(self.changed.emit)
        row.touched.connect(lambda part, oid=row.oid: self.touched.emit(f"{oid}:{part}"))
        row.remove_requested.connect(self._remove)
        self._rows_box.addWidget(row)
        self.rows.append(row)

    def _remove(self, row: OptionRow) -> None:
        if len(self.rows) <= MIN_OPTIONS:
            return
        self._drop(row)
        self._renumber()
        self.changed.emit()

    def _drop(self, row: OptionRow) -> None:
        self.rows.remove(row)
        self._rows_box.removeWidget(row)
        row.hide()
        row.deleteLater()

    def _renumber(self) -> None:
        for index, row in enumerate(self.rows):
            row.set_letter(chr(ord("A") + index))
            row.remove.setEnabled(len(self.rows) > MIN_OPTIONS)
        self.add_button.setEnabled(len(self.rows) < MAX_OPTIONS)

    def values(self) -> list[dict[str, Any]]:
        return [row.value() for row in self.rows]
