"""The GUI leaves no Qt object in cyclic garbage (decision 0016).

Python's cyclic collector runs in whichever thread crosses its threshold, often the
worker. A Qt object in a garbage cycle would then be destroyed on the worker thread, which
Qt does not allow (a timer's owner destroyed there: "Timers cannot be stopped from another
thread"). The worker no longer pauses the collector, so this precondition is checked: a GUI
session through every screen, a progress dialog, an error dialog and the editor, with the
collector saving what it finds (``gc.DEBUG_SAVEALL``), yields no Qt object.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp.services.changes import Outcome
from studyapp.ui.screens.group import GroupScreen
from studyapp.ui.screens.home import HomeScreen
from studyapp.ui.screens.library.screen import LibraryScreen
from studyapp.ui.screens.settings import SettingsScreen
from tests.ui.conftest import settle
from tests.ui.test_ops_closures import (
    _click_nav,
    _library,
    _mock_exam_start,
    _practice_a_short_session,
    _statistics,
)


def qt_objects_in_cyclic_garbage(action: Callable[[], None]) -> list[str]:
    """Run ``action``; the Qt objects Python's cyclic collector found unreachable meanwhile
    (kept by ``DEBUG_SAVEALL`` instead of freed, then released)."""
    gc.collect()
    gc.garbage.clear()
    previous = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        return [type(o).__name__ for o in gc.garbage if isinstance(o, QObject)]
    finally:
        gc.set_debug(previous)
        gc.garbage.clear()


def _close_message_boxes(qtbot) -> None:
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=30_000,
    )
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible():
            w.close()


def test_a_gui_session_leaves_no_qt_object_in_cyclic_garbage(app_controller, qtbot):
    """Every screen, a long operation's dialog, an error dialog, the editor: no Qt garbage."""
    c = app_controller

    def failing(_profile: object) -> Outcome[None]:
        raise ZeroDivisionError("simulated bug in an operation")

    def session() -> None:
        _practice_a_short_session(c, qtbot)
        _statistics(c, qtbot)
        _library(c, qtbot)
        _mock_exam_start(c, qtbot)
        for title in ("Settings", "Group", "Home"):
            _click_nav(c, qtbot, title)
        assert c.window.screen_of(SettingsScreen) and c.window.screen_of(GroupScreen)
        assert c.window.screen_of(HomeScreen).isVisible()
        for _ in range(3):
            c.run_long("Working", lambda _p, progress: Outcome(progress(1, 2, "half")))
            settle(qtbot, c)
        c.run_op(failing)
        _close_message_boxes(qtbot)
        c.backup_now()
        settle(qtbot, c)
        editor = c.window.screen_of(LibraryScreen)
        editor.questions.select_row(4)
        editor.questions.edit_current()
        settle(qtbot, c)
        qtbot.waitUntil(lambda: editor.editor is not None, timeout=30_000)
        editor.editor.reject()
        qtbot.wait(100)  # deleteLater'd widgets go
        settle(qtbot, c)

    assert qt_objects_in_cyclic_garbage(session) == []


def test_the_check_sees_a_qt_object_in_a_garbage_cycle(qtbot):
    """The check can fail: a parentless timer in a reference cycle is reported."""

    def action() -> None:
        cycle: list[object] = [QTimer()]
        cycle.append(cycle)

    assert qt_objects_in_cyclic_garbage(action) == ["QTimer"]
