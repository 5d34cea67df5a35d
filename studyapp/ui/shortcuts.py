"""Every keyboard shortcut in one registry: what binds a key reads it here, and so does
the Help ▸ Keyboard shortcuts list, so the list can never drift from the bindings.

A :class:`Binding` is data: the key sequences that trigger it, how the help writes them,
what they do and on which screen. The main window makes its menu actions from it, the
practice screen reads its keys from it (:func:`matches`), and the exam sitting, the
Library and Statistics bindings are recorded here for their screens to read (a test
checks that each one is really bound where it says).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

StandardKey = QKeySequence.StandardKey


def platform_keys(standard: StandardKey) -> list[QKeySequence]:
    """This platform's keys for a standard action (none for Quit on Windows)."""
    return list(QKeySequence.keyBindings(standard))


@dataclass(frozen=True)
class Binding:
    """One thing the keyboard does.

    ``keys`` are portable key sequences (``"Ctrl+Q"``, ``"Return"``); ``standard`` are
    platform standard keys added to them (Quit is Ctrl+Q on Linux, none on Windows, so
    Quit lists both). ``shown`` is how the help writes the keys; ``where`` names the
    screen (a section of the help).
    """

    name: str
    where: str
    shown: str
    does: str
    keys: tuple[str, ...] = ()
    standard: tuple[StandardKey, ...] = ()

    def sequences(self) -> list[QKeySequence]:
        """The key sequences that trigger this binding on this platform, without repeats."""
        out: list[QKeySequence] = []
        for standard in self.standard:
            out += platform_keys(standard)
        out += [QKeySequence(k) for k in self.keys]
        unique: list[QKeySequence] = []
        for seq in out:
            if not seq.isEmpty() and seq not in unique:
                unique.append(seq)
        return unique


def _letters(count: int) -> tuple[str, ...]:
    return tuple("ABCDEFGH"[:count])


def _digits() -> tuple[str, ...]:
    return tuple(str(d) for d in range(1, 10))


ANYWHERE = "Anywhere"
PRACTICE = "Practice"
EXAM = "Mock exam"
LIBRARY = "Library"
STATISTICS = "Statistics"

SCREEN_KEY = "Ctrl+{number}"  # Ctrl+1 … Ctrl+7 go to the navigation's screens, in order

IMPORT_PACK = Binding("import_pack", ANYWHERE, "Ctrl+I", "Import a pack", ("Ctrl+I",))
EXPORT_PACK = Binding("export_pack", ANYWHERE, "Ctrl+Shift+E", "Export a pack", ("Ctrl+Shift+E",))
HELP = Binding("help", ANYWHERE, "F1", "This list of keyboard shortcuts", ("F1",))
QUIT = Binding("quit", ANYWHERE, "Ctrl+Q", "Quit StudyApp", ("Ctrl+Q",), (StandardKey.Quit,))

PRACTICE_CHOOSE = Binding(
    "practice_choose",
    PRACTICE,
    "1–9 or A–H",
    "Choose an option (again to undo the choice on multiple-answer questions)",
    _digits() + _letters(8),
)
PRACTICE_SUBMIT = Binding(
    "practice_submit", PRACTICE, "Enter", "Submit the answer", ("Return", "Enter")
)
PRACTICE_GUESSED = Binding(
    "practice_guessed", PRACTICE, "G", "Mark “I guessed” before submitting", ("G",)
)
PRACTICE_NEXT = Binding(
    "practice_next",
    PRACTICE,
    "Enter or Space",
    "Next question, after the feedback",
    ("Return", "Enter", "Space"),
)
PRACTICE_UNDO = Binding(
    "practice_undo", PRACTICE, "Ctrl+Z", "Undo the last answer", ("Ctrl+Z",), (StandardKey.Undo,)
)
PRACTICE_END = Binding(
    "practice_end", PRACTICE, "Esc", "End the session and see its summary", ("Esc",)
)

# The exam sitting's keys (studyapp/ui/screens/exam_sitting.py binds them).
EXAM_CHOOSE = Binding(
    "exam_choose", EXAM, "1–9 or A–H", "Choose an option", _digits() + _letters(8)
)
EXAM_NEXT = Binding("exam_next", EXAM, "→ or Page Down", "Next question", ("Right", "PgDown"))
EXAM_PREVIOUS = Binding(
    "exam_previous", EXAM, "← or Page Up", "Previous question", ("Left", "PgUp")
)
EXAM_FLAG = Binding("exam_flag", EXAM, "F", "Flag the question for review", ("F",))
EXAM_PAUSE = Binding("exam_pause", EXAM, "P", "Pause or resume the exam", ("P",))
EXAM_REVIEW = Binding("exam_review", EXAM, "R", "Review your answers and hand in", ("R",))

LIBRARY_SEARCH = Binding(
    "library_search", LIBRARY, "Ctrl+F", "Search the questions", (), (StandardKey.Find,)
)
LIBRARY_NEW = Binding(
    "library_new", LIBRARY, "Ctrl+N", "Write a new question", (), (StandardKey.New,)
)
EDITOR_SAVE = Binding(
    "editor_save", LIBRARY, "Ctrl+S", "Save the question (in the editor)", (), (StandardKey.Save,)
)
STATISTICS_REPORT = Binding(
    "statistics_report", STATISTICS, "Ctrl+P", "Export the progress report", ("Ctrl+P",)
)
STATISTICS_CSV = Binding(
    "statistics_csv", STATISTICS, "Alt+S", "Export statistics as CSV", ("Alt+S",)
)

REGISTRY: tuple[Binding, ...] = (
    IMPORT_PACK,
    EXPORT_PACK,
    HELP,
    QUIT,
    PRACTICE_CHOOSE,
    PRACTICE_SUBMIT,
    PRACTICE_GUESSED,
    PRACTICE_NEXT,
    PRACTICE_UNDO,
    PRACTICE_END,
    EXAM_CHOOSE,
    EXAM_NEXT,
    EXAM_PREVIOUS,
    EXAM_FLAG,
    EXAM_PAUSE,
    EXAM_REVIEW,
    LIBRARY_SEARCH,
    LIBRARY_NEW,
    EDITOR_SAVE,
    STATISTICS_REPORT,
    STATISTICS_CSV,
)


def event_sequence(event: QKeyEvent) -> QKeySequence:
    """The key sequence of a key press (keypad Enter counts as Enter, Shift on letters is
    ignored so Caps Lock does not change what a letter key does)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    key = Qt.Key(event.key())
    if Qt.Key.Key_A.value <= key.value <= Qt.Key.Key_Z.value:
        modifiers &= ~Qt.KeyboardModifier.ShiftModifier
    return QKeySequence(key.value | modifiers.value)


def matches(binding: Binding, event: QKeyEvent) -> bool:
    """Whether the key press ``event`` is one of ``binding``'s keys."""
    return event_sequence(event) in binding.sequences()


def index_of(binding: Binding, event: QKeyEvent) -> int | None:
    """For a choosing binding (1–9, A–H): the option index the key stands for."""
    seq = event_sequence(event).toString(QKeySequence.SequenceFormat.PortableText)
    if seq in binding.keys:
        text = seq
        return int(text) - 1 if text.isdigit() else "ABCDEFGH".index(text)
    return None


def sections(
    screens: Iterable[str], registry: Iterable[Binding] = REGISTRY
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help's sections, in order: (title, [(keys, what they do)]). ``screens`` are the
    navigation's titles, reachable with Ctrl+1, Ctrl+2, …"""
    navigation = [
        (SCREEN_KEY.format(number=n), f"Go to {title}") for n, title in enumerate(screens, 1)
    ]
    out: list[tuple[str, list[tuple[str, str]]]] = [("Screens", navigation)]
    order: list[str] = []
    rows: dict[str, list[tuple[str, str]]] = {}
    for binding in registry:
        if binding.where not in rows:
            order.append(binding.where)
            rows[binding.where] = []
        rows[binding.where].append((binding.shown, binding.does))
    return out + [(where, rows[where]) for where in order]


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: the registry as a table, one section per screen.

    It fits a 1366×768 screen whatever the font size: the list scrolls inside the dialog.
    """

    MAX_HEIGHT = 560  # below 768 minus taskbar and title bar

    def __init__(self, parent: QWidget | None, content: list[tuple[str, list[tuple[str, str]]]]):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        # One table, so the key column lines up across sections.
        parts = ["<table cellpadding=3 width='100%'>"]
        for title, rows in content:
            parts.append(f"<tr><td colspan=2><h3>{escape(title)}</h3></td></tr>")
            parts += [
                f"<tr><td width='36%'><b>{escape(keys)}</b></td><td>{escape(does)}</td></tr>"
                for keys, does in rows
            ]
        parts.append("</table>")
        self.text = QLabel("".join(parts))
        self.text.setObjectName("shortcutsList")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setContentsMargins(8, 0, 8, 8)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.text)
        layout.addWidget(self.scroll_area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        width = 640
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        limit = self.MAX_HEIGHT if screen is None else min(self.MAX_HEIGHT, screen.height() - 80)
        wanted = self.text.heightForWidth(width - 40) + buttons.sizeHint().height() + 48
        self.resize(width, max(240, min(wanted, limit)))
