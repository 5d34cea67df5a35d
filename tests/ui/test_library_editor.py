"""The question editor as a new user meets it: no faults listed before anything is typed,
each problem beside its field once touched (or once Save is pressed), a disabled Save that
says why, and a window that fits a 1366x768 laptop screen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from studyapp.services.packs.library import USER_PACK_ID
from studyapp.services.packs.service import PackService
from tests.ui import test_library as base

controller = base.controller  # the Library's fixtures: a real profile, the screen shown
library = base.library


def _new_editor(library, controller, qtbot):
    controller.window.activateWindow()
    library.questions.table.setFocus()
    qtbot.keyClick(library.questions.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: library.editor is not None, timeout=10_000)
    editor = library.editor
    qtbot.waitUntil(editor.isVisible, timeout=5_000)
    return editor


def _visible_errors(editor) -> dict[str, str]:
    shown = {k: e.text() for k, e in editor.field_errors.items() if e.isVisibleTo(editor)}
    for i, row in enumerate(editor.options.rows):
        for part, label in (
            ("text", row.text_error),
            ("rationale", row.rationale_error),
            ("", row.error),
        ):
            if label.isVisibleTo(editor):
                shown[f"option {i} {part}".strip()] = label.text()
    return shown


def test_an_empty_editor_opens_without_a_list_of_problems(library, controller, qtbot):
    """Ctrl+N: nothing typed yet, so no problem is shown and Save is not blocked."""
    editor = _new_editor(library, controller, qtbot)
    assert len(editor.errors) >= 5  # the draft is far from valid ...
    assert _visible_errors(editor) == {}  # ... but nothing has been touched
    assert editor.problems.count() == 0 and "problem" not in editor.summary.text()
    assert editor.save_button.isEnabled() and editor.save_reason.isHidden()


def test_a_problem_shows_beside_the_field_that_was_touched(library, controller, qtbot):
    """Typing then erasing the question text shows its problem under it, and only that."""
    editor = _new_editor(library, controller, qtbot)
    qtbot.keyClicks(editor.stem, "W")
    qtbot.keyClick(editor.stem, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: bool(_visible_errors(editor)), timeout=5_000)
    assert _visible_errors(editor) == {"stem": "Question: must be non-empty text."}
    assert not editor.save_button.isEnabled()
    assert editor.save_reason.isVisibleTo(editor)
    assert "fix the 1 problem shown in red" in editor.save_reason.text()
    assert "Question: must be non-empty text." in editor.save_button.toolTip()
    qtbot.keyClicks(editor.stem, "Who approves the budget?")
    qtbot.waitUntil(editor.save_button.isEnabled, timeout=5_000)
    assert _visible_errors(editor) == {} and editor.save_reason.isHidden()


def test_save_on_an_unfinished_question_shows_every_problem_and_saves_nothing(
    library, controller, qtbot
):
    """Pressing Save early: each problem beside its field, the cursor at the first, no write."""
    editor = _new_editor(library, controller, qtbot)
    qtbot.keyClicks(editor.stem, "Who approves the budget?")
    qtbot.waitUntil(lambda: not any(e.startswith("Question:") for e in editor.errors))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    shown = _visible_errors(editor)
    assert shown["option 0 text"] == "Option A text: must be non-empty text."
    assert shown["option 0 rationale"].startswith("Option A rationale: is empty")
    assert shown["option 1 text"] == "Option B text: must be non-empty text."
    assert shown["options"].startswith("Options: a question with one correct answer needs")
    assert "stem" not in shown and "'single'" not in " ".join(shown.values())
    assert editor.options.rows[0].text.hasFocus()
    assert not editor.save_button.isEnabled()
    n = len(editor.errors)
    assert f"fix the {n} problems shown in red" in editor.save_reason.text()
    assert f"{n} problems to fix before saving" == editor.summary.text()
    assert library.editor is editor and editor.isVisible()
    assert USER_PACK_ID not in [p.id for p in PackService(controller.profile).list()]


def test_the_editor_fits_a_1366x768_screen_with_its_taskbar(library, controller, qtbot):
    """At most 1300x700, and its smallest size fits too (the form scrolls inside)."""
    editor = _new_editor(library, controller, qtbot)
    assert editor.width() <= 1300 and editor.height() <= 700
    smallest = editor.minimumSizeHint()
    assert smallest.width() <= 1300 and smallest.height() <= 700
