"""Unexpected errors in the GUI: a dialog in plain words naming the log, never a silent exit."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp import app as app_module
from studyapp.ui.application import start_gui
from tests.ui.conftest import settle


@pytest.fixture
def app_log(paths):
    """StudyApp's log handler pointed at this test's log folder, removed afterwards."""
    app_module.setup_logging(paths)
    yield paths.log_file
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_studyapp", False)]:
        root.removeHandler(handler)
        handler.close()


def _error_dialogs() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "errorDialog" and w.isVisible()
    ]


def _close_dialogs() -> None:
    for dialog in _error_dialogs():
        dialog.close()


def _assert_plain_dialog(dialog: QMessageBox, log_file) -> None:
    text = dialog.text()
    assert "unexpected problem" in text and "progress is safe" in text
    assert "Traceback" not in text and "Error" not in text, "plain words, not a traceback"
    assert str(log_file) in dialog.informativeText(), "the dialog says where the log is"


def test_unexpected_error_in_an_operation_shows_plain_words_and_the_log(
    app_controller, qtbot, paths, app_log
):
    """A bug inside an operation (worker thread): a dialog in plain words with the log's
    place, the traceback in that log, and the app keeps working."""
    assert app_controller.paths.log_file == app_log

    def buggy(_profile):
        raise ZeroDivisionError("simulated bug in an operation")

    app_controller.run_op(buggy)
    qtbot.waitUntil(lambda: bool(_error_dialogs()), timeout=30_000)
    (dialog,) = _error_dialogs()
    _assert_plain_dialog(dialog, app_log)
    assert dialog.detailedText() == "", "no traceback in the dialog, even on request"
    log_text = app_log.read_text("utf-8")
    assert "Traceback" in log_text and "simulated bug in an operation" in log_text
    dialog.close()
    answers = []
    app_controller.query(lambda p: p.info().counts["questions"], answers.append)
    settle(qtbot, app_controller)
    assert app_controller.window.isVisible() and answers and answers[0] > 0


@pytest.mark.qt_no_exception_capture  # the app's own hook is what is under test
def test_exception_in_a_gui_slot_reaches_the_apps_hook_dialog_and_log(qtbot, paths, clock, app_log):
    """An exception raised in a slot on the GUI thread goes to the sys.excepthook the app
    installs: logged with its traceback, shown in plain words naming the log; the window
    stays up; further errors while the dialog is open are logged, not stacked."""
    before = sys.excepthook
    session = start_gui(paths, clock)
    try:
        qtbot.addWidget(session.controller.window)
        qtbot.waitUntil(lambda: session.controller.profile is not None, timeout=60_000)
        settle(qtbot, session.controller)
        assert sys.excepthook is not before, "the GUI installs its own exception hook"

        def slot():
            raise RuntimeError("simulated bug in a slot")

        QTimer.singleShot(0, slot)
        qtbot.waitUntil(lambda: bool(_error_dialogs()), timeout=10_000)
        (dialog,) = _error_dialogs()
        _assert_plain_dialog(dialog, app_log)
        QTimer.singleShot(0, slot)
        qtbot.wait(50)
        assert len(_error_dialogs()) == 1, "a repeating error does not stack dialogs"
        log_text = app_log.read_text("utf-8")
        assert log_text.count("RuntimeError: simulated bug in a slot") == 2
        assert session.controller.window.isVisible(), "never a silent exit"
    finally:
        _close_dialogs()
        session.close()
    assert sys.excepthook is before, "closing the session restores the previous hook"
