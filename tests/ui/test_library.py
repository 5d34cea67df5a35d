"""The Library screen through real widgets on a real profile (the shipped CETL bank):
filters and search, lazy paging, the preview with rationales and history, suspend,
imports (a broken pack, a GIFT file with its category mapping), export, remove with
confirmation, and the editor (validation as you type, My questions, revisions)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from studyapp.packs.studypack import write_pack_zip
from studyapp.services.packs.library import USER_PACK_ID, LibraryQuery, LibraryService
from studyapp.services.packs.service import PackService
from studyapp.services.study.service import StudyService
from studyapp.ui.screens.library.editor import EditorDialog
from studyapp.ui.screens.library.mapping import MappingDialog
from studyapp.ui.screens.library.screen import LibraryScreen
from tests import shipped
from tests.conftest import REPO
from tests.dbtools import rows_of
from tests.packs.factory import pack, question

GIFT = REPO / "tests" / "packs" / "fixtures" / "district-bank.gift"
DIALOG_NAMES = ("errorDialog", "importReport", "mappingDialog", "questionEditor")


def dialogs(name: str) -> list:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


@pytest.fixture
def controller(app_controller):
    """The shared app (tests/ui/conftest.py); dialogs a test left open are closed."""
    yield app_controller
    for name in DIALOG_NAMES:
        for w in dialogs(name):
            w.done(0) if hasattr(w, "done") else w.close()


@pytest.fixture
def library(controller, qtbot) -> LibraryScreen:
    controller.window.show_screen(LibraryScreen)
    screen = controller.window.screen_of(LibraryScreen)
    qtbot.waitUntil(lambda: screen.questions.model.loaded() > 0, timeout=20_000)
    qtbot.waitUntil(lambda: screen.questions.preview.detail is not None, timeout=20_000)
    return screen


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text``; characters QTest cannot map to a key go as key events with text."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
                QApplication.sendEvent(widget, event)


def idle(controller, qtbot) -> None:
    qtbot.waitUntil(lambda: not controller.runner.is_busy(), timeout=30_000)


def service(controller) -> LibraryService:
    return LibraryService(controller.profile)


def test_search_and_filters_narrow_the_table(library, controller, qtbot):
    """Typing a search and choosing a skill area or status reloads the table from SQL."""
    panel = library.questions
    qtbot.waitUntil(
        lambda: panel.count_label.text() == f"{shipped.QUESTIONS:,} questions", timeout=10_000
    )
    panel.skill.setCurrentIndex(panel.skill.findData("data-management"))
    expected = service(controller).count(LibraryQuery(skill="data-management"))
    qtbot.waitUntil(lambda: panel.count_label.text() == f"{expected} questions", timeout=10_000)
    titles = {panel.model.row_at(i).skill_title for i in range(panel.model.loaded())}
    assert titles == {"Data Management"}
    panel.skill.setCurrentIndex(0)
    qtbot.keyClicks(panel.search, "bm-00")
    qtbot.waitUntil(lambda: panel.count_label.text() == "9 questions", timeout=10_000)
    panel.search.clear()
    type_text(qtbot, panel.search, "zzqé")
    qtbot.waitUntil(lambda: panel.count_label.text() == "0 questions", timeout=10_000)
    assert panel.model.loaded() == 0


def test_table_fetches_more_rows_only_when_scrolled(library, qtbot):
    """The first page holds 200 of the bank's rows; each scroll to the end fetches the next
    page, until every row is there."""
    panel = library.questions
    assert panel.model.loaded() == 200
    for _page in range(shipped.QUESTIONS // 200 + 1):
        before = panel.model.loaded()
        panel.table.scrollToBottom()
        qtbot.waitUntil(
            lambda before=before: (
                panel.model.loaded() > before or panel.model.loaded() == shipped.QUESTIONS
            ),
            timeout=10_000,
        )
    assert panel.model.loaded() == shipped.QUESTIONS


def test_status_filter_and_suspend_button(library, controller, qtbot):
    """Suspend takes the selected question out of practice; the Suspended filter finds it."""
    panel = library.questions
    panel.select_row(3)
    qid = panel.current_qid()
    qtbot.mouseClick(panel.suspend_button, Qt.MouseButton.LeftButton)
    idle(controller, qtbot)
    panel.status.setCurrentIndex(panel.status.findData("suspended"))
    qtbot.waitUntil(lambda: panel.count_label.text() == "1 question", timeout=10_000)
    qtbot.waitUntil(lambda: panel.current_qid() == qid, timeout=10_000)
    assert panel.suspend_button.text() == "Unsuspend"
    qtbot.mouseClick(panel.suspend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.count_label.text() == "0 questions", timeout=10_000)


def test_preview_shows_rationales_explanation_and_history(library, controller, qtbot):
    """The preview renders each option's rationale and lists every past answer."""
    panel = library.questions
    detail = panel.preview.detail
    text = panel.preview.text.toPlainText()
    assert detail.question.options[1].rationale.split()[0] in text
    assert "Why:" in text and "correct" in text
    first_words = " ".join(detail.question.explanation.split()[:4])
    assert first_words in " ".join(text.split())
    assert panel.preview.history.rowCount() == 0
    wrong = next(o.id for o in detail.question.options if not o.correct)
    controller.run_op(lambda p: StudyService(p).answer(detail.qid, [wrong], 7))
    qtbot.waitUntil(lambda: panel.preview.history.rowCount() == 1, timeout=10_000)
    cells = [panel.preview.history.item(0, c).text() for c in range(5)]
    assert cells[2] == "Wrong" and cells[3] == "practice" and cells[4] == "7.0 s"


def test_importing_a_broken_pack_shows_a_dialog_and_changes_nothing(
    library, controller, qtbot, tmp_path, monkeypatch, paths
):
    """A damaged .studypack: a plain error dialog, and the database keeps every row."""
    broken = tmp_path / "broken.studypack"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip file" * 20)
    idle(controller, qtbot)
    before = rows_of(paths.database)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    library.tabs.setCurrentWidget(library.packs)
    qtbot.mouseClick(library.packs.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs("errorDialog")), timeout=20_000)
    [box] = dialogs("errorDialog")
    assert "broken.studypack" in box.text()
    assert "Traceback" not in box.text()
    idle(controller, qtbot)
    assert rows_of(paths.database) == before


def test_gift_import_mapping_dialog_sets_the_skill_of_imported_questions(
    library, controller, qtbot, tmp_path, monkeypatch, paths
):
    """The mapping dialog lists categories before any write; the user's choice is applied."""
    path = tmp_path / "district-bank.gift"
    path.write_bytes(GIFT.read_bytes())
    idle(controller, qtbot)
    before = rows_of(paths.database)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    library.tabs.setCurrentWidget(library.packs)
    qtbot.mouseClick(library.packs.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs("mappingDialog")), timeout=20_000)
    [dialog] = dialogs("mappingDialog")
    assert isinstance(dialog, MappingDialog)
    assert rows_of(paths.database) == before  # nothing written while the dialog is open
    assert len(dialog.combos) == 3 and dialog.skipped.count() >= 2
    misc = dialog.combos["Old Course Bank/Misc"]
    assert misc.currentData() is None
    misc.setCurrentIndex(misc.findData("ethics-policies"))
    plan = dialog.combos["CETL/Strategic Planning"]
    plan.setCurrentIndex(plan.findData(None))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs("importReport")), timeout=20_000)
    idle(controller, qtbot)
    lib = service(controller)
    assert lib.count(LibraryQuery(pack="district-bank", skill="ethics-policies")) == 1
    assert lib.count(LibraryQuery(pack="district-bank", skill="strategic-planning")) == 0
    assert lib.count(LibraryQuery(pack="district-bank")) == library.packs.last_report.added
    qtbot.waitUntil(lambda: any(p.id == "district-bank" for p in library.packs.packs))


def test_remove_asks_first_and_no_keeps_the_pack(library, controller, qtbot, monkeypatch):
    """Delete in the pack list asks, naming the pack and its questions; No keeps it."""
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(*args, **_kw):
        asked.append(args[2])
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    library.tabs.setCurrentWidget(library.packs)
    qtbot.waitUntil(lambda: bool(library.packs.packs), timeout=10_000)
    library.packs.select_pack("cetl-core")
    library.packs.table.setFocus()
    qtbot.keyClick(library.packs.table, Qt.Key.Key_Delete)
    assert len(asked) == 1
    assert f"“CETL Core Question Bank” (version {shipped.VERSION})" in asked[0]
    assert f"{shipped.QUESTIONS:,} questions" in asked[0] and "history" in asked[0]
    idle(controller, qtbot)
    assert [p.id for p in PackService(controller.profile).list()] == ["cetl-core"]
    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(library.packs.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: library.packs.packs == [], timeout=30_000)
    assert PackService(controller.profile).list() == []


def test_export_writes_the_chosen_format(library, controller, qtbot, tmp_path, monkeypatch):
    """Export… writes the selected pack in the format of the chosen filter."""
    out = tmp_path / "bank"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "GIFT (*.gift)"))
    library.tabs.setCurrentWidget(library.packs)
    qtbot.waitUntil(lambda: bool(library.packs.packs), timeout=10_000)
    library.packs.select_pack("cetl-core")
    qtbot.mouseClick(library.packs.export_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "bank.gift"
    qtbot.waitUntil(target.exists, timeout=30_000)
    assert "$CATEGORY:" in target.read_text("utf-8")


def _open_editor(library, qtbot, trigger) -> EditorDialog:
    trigger()
    qtbot.waitUntil(lambda: library.editor is not None, timeout=10_000)
    return library.editor


def test_ctrl_f_focuses_search(library, controller, qtbot):
    """Ctrl+F puts the cursor in the search box."""
    controller.window.activateWindow()
    library.questions.table.setFocus()
    qtbot.keyClick(library.questions.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: library.questions.search.hasFocus(), timeout=5_000)


def test_editor_validates_as_you_type_and_saves_to_my_questions(library, controller, qtbot):
    """Ctrl+N opens an empty editor; messages follow typing; Save creates My questions."""
    controller.window.activateWindow()
    library.questions.table.setFocus()
    editor = _open_editor(
        library,
        qtbot,
        lambda: qtbot.keyClick(
            library.questions.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
        ),
    )
    assert editor.shown_errors == [] and editor.problems.count() == 0
    assert any("Question: must be non-empty text" in e for e in editor.errors)
    type_text(qtbot, editor.stem, "Which body approves the district’s technology budget?")
    qtbot.waitUntil(lambda: not any(e.startswith("Question:") for e in editor.errors))
    a, b = editor.options.rows
    qtbot.keyClicks(a.text, "The school board")
    qtbot.keyClicks(b.text, "The vendor")
    qtbot.mouseClick(a.correct, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(a.rationale, "Boards approve budgets.")
    qtbot.waitUntil(
        lambda: (
            editor.errors
            == ["Option B rationale: is empty; say why this option is right or wrong."]
        )
    )
    assert editor.shown_errors == []  # B's rationale was never touched
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.shown_errors == editor.errors
    assert "1 problem to fix" in editor.summary.text()
    assert not editor.save_button.isEnabled()
    qtbot.keyClicks(b.rationale, "Vendors sell; they do not approve.")
    qtbot.waitUntil(lambda: editor.save_button.isEnabled(), timeout=5_000)
    assert "Boards approve budgets." in editor.preview.toPlainText()
    editor.skill.setCurrentIndex(editor.skill.findData("business-management"))
    qtbot.keyClicks(editor.tags, "budget, board")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: library.editor is None, timeout=10_000)
    idle(controller, qtbot)
    [mine] = [p for p in PackService(controller.profile).list() if p.id == USER_PACK_ID]
    assert (mine.title, mine.questions, mine.origin) == ("My questions", 1, "user")
    qtbot.waitUntil(
        lambda: (
            library.questions.preview.detail is not None
            and library.questions.preview.detail.pack_id == USER_PACK_ID
        ),
        timeout=10_000,
    )
    q = library.questions.preview.detail.question
    assert q.skill == "business-management" and q.tags == ("board", "budget")


def test_enter_edits_an_imported_question_as_my_revision(library, controller, qtbot):
    """Enter on a CETL question opens the editor; saving creates the user's revision."""
    panel = library.questions
    panel.select_row(0)
    original = panel.current_qid()
    panel.table.setFocus()
    editor = _open_editor(library, qtbot, lambda: qtbot.keyClick(panel.table, Qt.Key.Key_Return))
    assert "creates your own revision" in editor.notice.text()
    assert editor.save_button.isEnabled()
    editor.stem.moveCursor(editor.stem.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.stem, " (my wording)")
    qtbot.waitUntil(lambda: "(my wording)" in editor.preview.toPlainText(), timeout=5_000)
    editor.save_button.click()
    qtbot.waitUntil(lambda: library.editor is None, timeout=10_000)
    idle(controller, qtbot)
    detail = service(controller).detail(original)
    assert detail.status == "revised" and detail.links.revised_by is not None
    mine = service(controller).detail(detail.links.revised_by[0])
    assert mine.pack_id == USER_PACK_ID and mine.question.stem.endswith("(my wording)")
    assert mine.links.revises == (original, detail.ref)
    qtbot.waitUntil(lambda: panel.preview.detail.qid == mine.qid, timeout=10_000)
    assert "Your own revision of" in panel.preview.links.text()


def test_update_replaces_the_selected_pack_with_a_newer_file(
    library, controller, qtbot, tmp_path, monkeypatch
):
    """Update… with a newer .studypack of the selected pack updates it and keeps its id."""
    PackService(controller.profile).apply(pack([question("u1"), question("u2")]))
    newer = tmp_path / "test-pack-1.1.studypack"
    changed = replace(question("u1"), stem="A corrected stem?")
    write_pack_zip(pack([changed, question("u2")], version="1.1.0"), newer)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(newer), ""))
    library.packs.refresh()
    qtbot.waitUntil(lambda: any(p.id == "test-pack" for p in library.packs.packs), timeout=10_000)
    library.packs.select_pack("test-pack")
    qtbot.mouseClick(library.packs.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs("importReport")), timeout=20_000)
    report = library.packs.last_report
    assert (report.pack_id, report.status, report.updated) == ("test-pack", "updated", 1)
    library.packs.select_pack("cetl-core")
    qtbot.mouseClick(library.packs.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs("errorDialog")), timeout=20_000)
    assert "not 'cetl-core'" in dialogs("errorDialog")[0].text()
