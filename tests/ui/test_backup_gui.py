"""The GUI offers backup and restore (File menu), and backs up on close after changes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studyapp.services.backups import BackupService, list_backups
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from tests.dbtools import damage_middle_pages, fill, rows_of
from tests.ui.conftest import start_app, stop_app


@pytest.fixture
def controller(app_controller):
    """The shared app (tests/ui/conftest.py); error dialogs a test left open are closed."""
    yield app_controller
    for w in app_controller.app.topLevelWidgets():
        if w.objectName() == "errorDialog":
            w.close()


def _action(controller, name: str) -> QAction:
    action = controller.window.findChild(QAction, name)
    assert action is not None, name
    return action


def test_back_up_now_writes_a_manual_backup(controller, qtbot, paths):
    """File > Back up now writes a manual backup and says where."""
    _action(controller, "backupNowAction").trigger()
    qtbot.waitUntil(lambda: any(b.kind == "manual" for b in list_backups(paths)), timeout=30_000)
    qtbot.waitUntil(lambda: "Backed up to" in controller.window.statusBar().currentMessage())


def test_restore_from_menu_replaces_the_database_and_reopens(controller, qtbot, paths, monkeypatch):
    """File > Restore: the chosen backup replaces the database and the profile reopens."""
    done = []
    controller.backup_now(done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    backup = done[0].path
    expected = rows_of(backup)
    controller.query(lambda p: p.update_settings(daily_new_limit=3), lambda _r: None)
    qtbot.waitUntil(lambda: not controller.runner.is_busy(), timeout=30_000)
    assert rows_of(paths.database) != expected
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(controller.profile_opened, timeout=60_000):
        _action(controller, "restoreAction").trigger()
    assert controller.profile is not None
    assert controller.profile.settings().daily_new_limit != 3
    assert rows_of(paths.database) == expected
    assert any(b.kind == "pre-restore" for b in list_backups(paths))


def test_refused_restore_reopens_unchanged_and_shows_why(
    controller, qtbot, paths, tmp_path, monkeypatch
):
    """A file that is not a backup: the profile reopens as it was and a dialog says why."""
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"junk" * 4000)
    qtbot.waitUntil(lambda: not controller.runner.is_busy(), timeout=30_000)
    before = rows_of(paths.database)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(controller.profile_opened, timeout=60_000):
        _action(controller, "restoreAction").trigger()
    app = controller.app
    qtbot.waitUntil(
        lambda: any(w.objectName() == "errorDialog" for w in app.topLevelWidgets()),
        timeout=10_000,
    )
    [dialog] = [w for w in app.topLevelWidgets() if w.objectName() == "errorDialog"]
    assert "failed its integrity check" in dialog.text()
    assert rows_of(paths.database) == before
    assert controller.profile is not None


def test_closing_after_a_change_makes_a_close_backup(controller, paths):
    """Shutting down after the session wrote something leaves an automatic 'close' backup."""
    controller.query(lambda p: p.update_settings(daily_new_limit=4), lambda _r: None)
    controller.runner.wait_idle(30_000)
    controller.window.close()
    controller.shutdown()
    closes = [b for b in list_backups(paths) if b.reason == "close"]
    assert len(closes) == 1
    assert rows_of(closes[0].path) == rows_of(paths.database)


def test_restore_after_a_damaged_start_opens_the_backup(qtbot, paths, clock, monkeypatch):
    """When the profile failed to open as damaged, File > Restore still brings the backup in."""
    p = Profile.open(paths, clock, "test")
    fill(p, 150)
    backup = BackupService(p).backup().value.path
    p.close()
    damage_middle_pages(paths.database)
    c = start_app(qtbot, paths, clock)
    app = c.app
    try:
        with qtbot.waitSignal(c.profile_failed, timeout=60_000):
            c.open_profile()
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        qtbot.waitUntil(lambda: not c.runner.is_busy(), timeout=10_000)
        with qtbot.waitSignal(c.profile_opened, timeout=60_000):
            _action(c, "restoreAction").trigger()
        assert c.profile is not None
        assert "test-pack" in [x.id for x in PackService(c.profile).list()]
    finally:
        for w in app.topLevelWidgets():
            if w.objectName() == "errorDialog":
                w.close()
        stop_app(c)
