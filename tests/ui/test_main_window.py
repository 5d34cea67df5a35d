"""The main window on a real profile: opens off the GUI thread, Home fills, menus work."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from studyapp.ui.application import make_application
from studyapp.ui.controller import AppController


@pytest.fixture
def controller(qtbot, paths, clock):
    app = make_application()
    c = AppController(app, paths, clock)
    qtbot.addWidget(c.window)
    c.window.show()
    with qtbot.waitSignal(c.profile_opened, timeout=30_000):
        c.open_profile()
    qtbot.waitUntil(lambda: c.window.home.report is not None, timeout=30_000)
    yield c
    c.window.close()
    c.shutdown()


def test_home_lists_every_cetl_skill_area_with_weight(controller):
    """Home shows the 10 CETL skill areas and their weights once the profile is open."""
    texts = [label.text() for label in controller.window.home.findChildren(QLabel)]
    assert "Strategic Planning" in texts
    assert "Data Management" in texts
    assert any(t.startswith("Leadership & Vision — 40% of the exam") for t in texts)
    assert sum(t.endswith("of exam") for t in texts) == 10
    # A new profile: no weakest area and no estimate before any answer (issue 15).
    assert not any("← weakest" in t for t in texts)
    assert sum("not practised yet · " in t for t in texts) == 10
    assert any(t.startswith("Readiness will be estimated from your answers") for t in texts)
    assert controller.profile is not None


def test_profile_database_is_created_under_data_dir(controller, paths):
    """The GUI creates the profile where the paths say."""
    assert paths.database.is_file()


def test_f1_shows_keyboard_shortcuts(controller, qtbot, monkeypatch):
    """F1 opens the keyboard-shortcut list."""
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[1]))
    controller.window.activateWindow()
    qtbot.keyClick(controller.window, Qt.Key.Key_F1)
    assert shown == ["Keyboard shortcuts"]


def test_error_opening_profile_shows_dialog_not_crash(qtbot, paths, clock):
    """A profile that cannot open shows a plain message and a dialog, and the app stays up."""
    paths.data_dir.mkdir(parents=True)
    paths.database.write_bytes(b"garbage" * 50)
    app = make_application()
    c = AppController(app, paths, clock)
    qtbot.addWidget(c.window)
    c.window.show()
    with qtbot.waitSignal(c.profile_failed, timeout=30_000):
        c.open_profile()
    assert "could not be opened" in c.window.home._heading.text()
    dialogs = [w for w in app.topLevelWidgets() if w.objectName() == "errorDialog"]
    assert dialogs and "is damaged (file is not a database)" in dialogs[0].text()
    for d in dialogs:
        d.close()
    c.window.close()
    c.shutdown()
    [moved] = paths.data_dir.glob("studyapp.sqlite3.damaged-*")  # moved aside, not rewritten
    assert moved.read_bytes() == b"garbage" * 50
