"""The CLI and the GUI open a profile through one function (services.opening.open_profile)
and present the same classification: the CLI as its error line and exit status, the GUI
as its dialog; a damaged profile with a good backup gets a working Restore button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from studyapp.config import AppPaths
from studyapp.domain.errors import ExitCode
from studyapp.services import opening
from studyapp.services.opening import OpenResult, OpenStatus
from studyapp.ui.application import make_application
from studyapp.ui.controller import AppController
from studyapp.ui.errors import screen_text
from tests.dbtools import count
from tests.profile_states import make_state
from tests.ui.conftest import settle, start_app, stop_app


@pytest.fixture
def results(monkeypatch) -> list[OpenResult]:
    """Every result the one open function returns (it still runs for real)."""
    seen: list[OpenResult] = []
    real = opening.open_profile

    def recording(*args, **kwargs) -> OpenResult:
        result = real(*args, **kwargs)
        seen.append(result)
        return result

    monkeypatch.setattr(opening, "open_profile", recording)
    return seen


def _dialogs() -> list[QMessageBox]:
    app = make_application()
    return [w for w in app.topLevelWidgets() if w.objectName() == "errorDialog" and w.isVisible()]


def _close_dialogs() -> None:
    for box in _dialogs():
        box.close()


def offers_restore(status: OpenStatus) -> bool:
    """The window offers a "Restore this backup" button for this refusal."""
    return status is OpenStatus.DAMAGED_WITH_BACKUP


def _gui_refusal(qtbot, paths, clock) -> tuple[AppController, BaseException]:
    """Start the GUI on ``paths``; returns the controller and the refusal it reported."""
    c = start_app(qtbot, paths, clock)
    with qtbot.waitSignal(c.profile_failed, timeout=60_000) as failed:
        c.open_profile()
    settle(qtbot, c)
    return c, failed.args[0]


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("damaged_with_backup", OpenStatus.DAMAGED_WITH_BACKUP),
        ("damaged_no_backup", OpenStatus.DAMAGED_NO_BACKUP),
        ("too_new", OpenStatus.TOO_NEW),
        ("in_use", OpenStatus.IN_USE),
    ],
)
def test_cli_and_gui_classify_a_profile_alike_through_one_function(
    kind, status, results, cli, qtbot, tmp_path, clock
):
    """The same unusable profile is classified the same by the CLI and the GUI, both
    through services.opening.open_profile, and each shows that result's own sentence."""
    cli_paths = AppPaths(data_dir=tmp_path / "cli", log_dir=tmp_path / "logs")
    held = make_state(kind, cli_paths, clock)
    try:
        ran = cli("info", data_dir_arg=cli_paths.data_dir)
    finally:
        if held is not None:
            held.close()
    assert [r.status for r in results] == [status]
    assert ran.code == results[0].exit_code == ExitCode.PROFILE
    assert ran.err == f"studyapp: error: {results[0].message}\n"
    results.clear()

    gui_paths = AppPaths(data_dir=tmp_path / "gui", log_dir=tmp_path / "logs")
    held = make_state(kind, gui_paths, clock)
    try:
        c, refusal = _gui_refusal(qtbot, gui_paths, clock)
        try:
            # A damaged file the GUI opened before its check passed is reopened the
            # ordinary way: the last result is the one presented.
            assert results[-1].status is status
            assert refusal is results[-1].error
            (box,) = _dialogs()
            error = results[-1].error
            shown = error.situation if offers_restore(status) else screen_text(error)
            assert box.text() == shown
            assert screen_text(error) in c.window.home._heading.text()
            # The window names its menus, never a command line to type.
            for text in (box.text(), box.informativeText(), c.window.home._heading.text()):
                assert "--data-dir" not in text and "studyapp " not in text
            offers = box.findChild(QPushButton, "restoreBackup") is not None
            assert offers == offers_restore(status)
            assert c.profile is None
        finally:
            _close_dialogs()
            stop_app(c)
    finally:
        if held is not None:
            held.close()


def test_restore_button_of_the_damage_dialog_brings_the_backup_back(qtbot, paths, clock):
    """Clicking "Restore this backup" restores the offered backup and opens the profile
    with its questions; the damaged file stays aside."""
    make_state("damaged_with_backup", paths, clock)
    c, refusal = _gui_refusal(qtbot, paths, clock)
    try:
        (box,) = _dialogs()
        button = box.findChild(QPushButton, "restoreBackup")
        assert button is not None and button.text() == "Restore this backup"
        with qtbot.waitSignal(c.profile_opened, timeout=60_000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        settle(qtbot, c)
        assert c.profile is not None
        questions = c.profile.info().counts["questions"]
        assert count(paths.database, "SELECT count(*) FROM question") >= 150
        assert questions >= 150
        assert c.window.statusBar().currentMessage() == "Backup restored."
        assert refusal.moved_to.exists()
    finally:
        _close_dialogs()
        stop_app(c)
