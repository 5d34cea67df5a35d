"""The Library's screens and dialogs at the minimum window size (880x600) and at 11 and
18 pt, light and dark, with a 50-character pack title: no label or button text clipped,
no sideways scrolling, no overlapping siblings, every dialog inside a 1366x768 screen."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from studyapp.services.packs.service import PackService
from tests.packs.factory import pack, question
from tests.ui import test_library as base
from tests.ui.test_library import GIFT, dialogs, idle

controller = base.controller  # the Library's fixtures: a real profile, the screen shown
library = base.library
LONG_TITLE = "Regional Consortium Technology Leadership Bank 2026"[:50]
CHECKED = (QLabel, QAbstractButton, QLineEdit, QComboBox, QAbstractScrollArea)


def _shown(w: QWidget, root: QWidget) -> bool:
    return w.isVisibleTo(root) and w.width() > 0 and w.height() > 0


def layout_faults(root: QWidget) -> list[str]:
    """Clipped label/button text, sideways scroll bars and overlapping siblings."""
    faults: list[str] = []
    for w in root.findChildren(QWidget):
        if not _shown(w, root):
            continue
        name = f"{type(w).__name__} {w.objectName() or w.accessibleName()!r}"
        if isinstance(w, QLabel) and w.text() and w.textFormat() == Qt.TextFormat.PlainText:
            room = w.contentsRect()
            if w.wordWrap():
                if w.heightForWidth(room.width()) > room.height() + 1:
                    faults.append(f"{name}: wrapped text taller than its label")
            elif w.fontMetrics().horizontalAdvance(w.text().split("\n")[0]) > room.width() + 1:
                faults.append(f"{name}: text {w.text()!r} wider than its label")
        clipped = w.sizeHint().width() > w.width() + 1
        if isinstance(w, (QPushButton, QCheckBox)) and w.text() and clipped:
            faults.append(f"{name}: text {w.text()!r} clipped")
        if isinstance(w, QComboBox) and not w.isEditable() and w.currentText():
            option = QStyleOptionComboBox()
            w.initStyleOption(option)
            field = w.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                option,
                QStyle.SubControl.SC_ComboBoxEditField,
                w,
            )
            if w.fontMetrics().horizontalAdvance(w.currentText()) > field.width():
                faults.append(f"{name}: choice {w.currentText()!r} clipped")
        if isinstance(w, QScrollArea) and w.horizontalScrollBar().isVisibleTo(root):
            faults.append(f"{name}: scrolls sideways")
    for parent in [root, *root.findChildren(QWidget)]:
        kids = [
            k
            for k in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if isinstance(k, CHECKED) and not k.isWindow() and _shown(k, root)
        ]
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > 1 and overlap.height() > 1:
                    faults.append(
                        f"{a.objectName() or type(a).__name__} overlaps "
                        f"{b.objectName() or type(b).__name__}"
                    )
    return faults


def _settle(qtbot) -> None:
    qtbot.wait(150)
    QApplication.processEvents()


@pytest.mark.parametrize("font", [11, 14, 18])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_library_screens_and_dialogs_fit_at_the_minimum_size(
    library, controller, qtbot, tmp_path, monkeypatch, theme, font
):
    """Questions and Packs tabs, the editor (empty, with problems) and the mapping dialog."""
    p = pack([question("u1"), question("u2")])
    PackService(controller.profile).apply(
        replace(p, manifest=replace(p.manifest, title=LONG_TITLE))
    )
    controller.set_theme(theme, font)
    controller.window.resize(880, 600)
    library.refresh()
    idle(controller, qtbot)
    _settle(qtbot)
    for tab in (library.questions, library.packs):
        library.tabs.setCurrentWidget(tab)
        _settle(qtbot)
        assert layout_faults(library) == [], tab.accessibleName()
    library.tabs.setCurrentWidget(library.questions)
    library.open_editor(None)
    qtbot.waitUntil(lambda: library.editor is not None, timeout=10_000)
    editor = library.editor
    _settle(qtbot)
    assert layout_faults(editor) == []
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert layout_faults(editor) == []
    assert editor.frameGeometry().width() <= 1366 and editor.frameGeometry().height() <= 768
    editor.done(0)
    path = tmp_path / "district-bank.gift"
    path.write_bytes(GIFT.read_bytes())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    library.tabs.setCurrentWidget(library.packs)
    qtbot.mouseClick(library.packs.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs("mappingDialog")), timeout=20_000)
    [dialog] = dialogs("mappingDialog")
    _settle(qtbot)
    assert layout_faults(dialog) == []
    assert dialog.frameGeometry().width() <= 1366 and dialog.frameGeometry().height() <= 768
    dialog.done(0)
