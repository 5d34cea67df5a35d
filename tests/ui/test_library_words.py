"""Words in the Library a user should never see: content hashes in versions, command-line
options in dialogs, "1 questions". Driven through the real buttons on a real profile."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from studyapp.ui.screens.library.packs import PACK_COLUMNS
from tests import shipped
from tests.ui import test_library as base
from tests.ui.test_library import GIFT, dialogs, idle

controller = base.controller  # the Library's fixtures: a real profile, the screen shown
library = base.library


def _cell(panel, pack_id: str, column: str) -> str:
    row = next(i for i, p in enumerate(panel.packs) if p.id == pack_id)
    return panel.table.item(row, PACK_COLUMNS.index(column)).text()


def test_imported_gift_file_shows_a_plain_version_and_its_import_date(
    library, controller, qtbot, tmp_path, monkeypatch
):
    """After a GIFT import: no '--skill' in the dialog, no 'sha' in the report or the table."""
    path = tmp_path / "district-bank.gift"
    path.write_bytes(GIFT.read_bytes())
    idle(controller, qtbot)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    library.tabs.setCurrentWidget(library.packs)
    qtbot.mouseClick(library.packs.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs("mappingDialog")), timeout=20_000)
    [dialog] = dialogs("mappingDialog")
    notes = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
    assert any("Unassigned" in n for n in notes)
    assert not any("--" in n or "studyapp " in n for n in notes)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs("importReport")), timeout=20_000)
    [box] = dialogs("importReport")
    assert box.text().startswith("Installed district-bank, imported edition: ")
    assert "sha" not in box.text()
    panel = library.packs
    qtbot.waitUntil(lambda: any(p.id == "district-bank" for p in panel.packs), timeout=10_000)
    assert panel.packs[[p.id for p in panel.packs].index("district-bank")].version.startswith(
        "1.0.0-sha."
    )  # the stored version is unchanged; only the screen shows it plainly
    local = controller.profile.clock.now().astimezone()
    day = controller.profile.clock.now().date().isoformat()
    assert _cell(panel, "district-bank", "Version") == f"edition of {day}"
    assert _cell(panel, "district-bank", "Imported") == f"{local.day} {local:%b %Y}"
    assert _cell(panel, "district-bank", "Title") == "District bank"
    headers = [panel.table.horizontalHeaderItem(c).text() for c in range(len(PACK_COLUMNS))]
    assert "ID" not in headers


def test_tag_filter_finds_a_tag_by_any_part_typed_and_picked_by_keyboard(
    library, controller, qtbot
):
    """Typing 'VS-OP' in the tag filter lists capital-vs-operating; Down, Enter filters by it."""
    from studyapp.services.packs.library import LibraryQuery, LibraryService

    panel = library.questions
    qtbot.waitUntil(lambda: panel.tag.count() > 100, timeout=10_000)
    edit = panel.tag.lineEdit()
    edit.setFocus()
    edit.selectAll()
    for ch in "VS-OP":
        qtbot.keyClick(edit, ch)
    popup = panel.tag.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    shown = [popup.model().index(i, 0).data() for i in range(popup.model().rowCount())]
    assert "capital-vs-operating" in shown and all("vs-op" in t.lower() for t in shown)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.tag.currentData() == shown[0], timeout=5_000)
    expected = LibraryService(controller.profile).count(LibraryQuery(tag=shown[0]))
    label = f"{expected} question{'s' if expected != 1 else ''}"
    qtbot.waitUntil(lambda: panel.count_label.text() == label, timeout=10_000)
    assert expected < shipped.QUESTIONS


def test_tag_filter_puts_back_text_that_names_no_tag(library, qtbot):
    """Typing a word that is no tag and pressing Enter keeps the current choice (Any tag)."""
    panel = library.questions
    qtbot.waitUntil(lambda: panel.tag.count() > 100, timeout=10_000)
    edit = panel.tag.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "zzqx")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert panel.tag.currentIndex() == 0 and panel.tag.currentData() is None
    assert edit.text() == "Any tag"
    assert panel.count_label.text() == f"{shipped.QUESTIONS:,} questions"
