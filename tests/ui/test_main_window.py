"""The main window on a real profile: opens off the GUI thread, Home fills, menus work."""

from __future__ import annotations

from html import escape

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from studyapp.ui import shortcuts
from studyapp.ui.main_window import SCREENS
from studyapp.ui.shortcuts import ShortcutsDialog
from tests.ui.conftest import settle, start_app, stop_app


@pytest.fixture
def controller(app_controller, qtbot):
    """The shared app (tests/ui/conftest.py) with Home's fresh figures in."""
    qtbot.waitUntil(lambda: app_controller.window.home.report is not None, timeout=30_000)
    return app_controller


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


def _press(qtbot, widget, sequence: QKeySequence) -> None:
    """Press the one key combination of ``sequence`` on ``widget``."""
    combo = sequence[0]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def _dialog(controller):
    return controller.window.findChild(ShortcutsDialog, "shortcutsDialog")


def test_f1_lists_every_registered_shortcut_in_a_dialog_that_fits_the_screen(controller, qtbot):
    """F1 opens the shortcuts list: every registry binding and every screen key is in it,
    and at an 18 pt font it still fits a 1366x768 screen (the list scrolls inside)."""
    controller.set_theme("light", 18)
    controller.window.activateWindow()
    qtbot.waitUntil(controller.window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(controller.window, Qt.Key.Key_F1)
    dialog = _dialog(controller)
    assert dialog is not None and dialog.isVisible()
    try:
        text = dialog.text.text()
        for binding in shortcuts.REGISTRY:
            assert escape(binding.shown) in text and escape(binding.does) in text, binding.name
        for number, (title, _m, _n) in enumerate(SCREENS, 1):
            assert f"Ctrl+{number}" in text and f"Go to {title}" in text
        frame = dialog.frameGeometry()
        assert frame.width() <= 1366 and frame.height() <= 768 - 40
        assert dialog.scroll_area.verticalScrollBar().maximum() > 0  # scrolls, not grows
    finally:
        dialog.close()


def test_ctrl_q_quits_from_any_screen(controller, qtbot):
    """Ctrl+Q closes the window from any screen."""
    window = controller.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Practice
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


def test_ctrl_q_quits_where_the_platform_has_no_quit_key(qtbot, paths, clock, monkeypatch):
    """On a platform whose standard Quit key is empty (Windows), Ctrl+Q still quits: it is
    bound explicitly besides QKeySequence.Quit."""
    real = shortcuts.platform_keys
    monkeypatch.setattr(
        shortcuts,
        "platform_keys",
        lambda standard: [] if standard == QKeySequence.StandardKey.Quit else real(standard),
    )
    c = start_app(qtbot, paths, clock)
    try:
        assert c.window.quit_action.shortcuts() == [QKeySequence("Ctrl+Q")]
        c.window.activateWindow()
        qtbot.waitUntil(c.window.isActiveWindow, timeout=5_000)
        qtbot.keyClick(c.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not c.window.isVisible(), timeout=5_000)
    finally:
        c.window.close()
        c.shutdown()


def test_window_wide_shortcuts_are_the_registry_s(controller, qtbot):
    """Each window-wide binding in the registry is a window action with exactly those keys,
    and pressing each screen key shows its screen."""
    window = controller.window
    for binding in (shortcuts.IMPORT_PACK, shortcuts.EXPORT_PACK, shortcuts.HELP, shortcuts.QUIT):
        [action] = [a for a in window.actions() if binding.sequences()[0] in a.shortcuts()]
        assert action.shortcuts() == binding.sequences(), binding.name
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    for number in range(len(SCREENS), 0, -1):
        _press(qtbot, window, QKeySequence(shortcuts.SCREEN_KEY.format(number=number)))
        assert window.stack.currentIndex() == number - 1


def test_library_and_statistics_keys_in_the_registry_are_bound(controller, qtbot):
    """The Library's and Statistics' registered keys are bound on those screens: Ctrl+F
    focuses the search, Ctrl+N opens the editor whose Save has Ctrl+S, the statistics
    buttons carry Ctrl+P and Alt+S."""
    from studyapp.ui.screens.library.screen import LibraryScreen
    from studyapp.ui.screens.statistics import StatisticsScreen

    window = controller.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    library = window.screen_of(LibraryScreen)
    window.show_screen(LibraryScreen)
    settle(qtbot, controller)
    _press(qtbot, window, shortcuts.LIBRARY_SEARCH.sequences()[0])
    assert QApplication.focusWidget() is library.questions.search
    _press(qtbot, window, shortcuts.LIBRARY_NEW.sequences()[0])
    qtbot.waitUntil(lambda: library.editor is not None, timeout=10_000)
    editor = library.editor
    try:
        assert editor.save_button.shortcut() in shortcuts.EDITOR_SAVE.sequences()
    finally:
        editor.reject()
    statistics = window.screen_of(StatisticsScreen)
    keys = {
        QKeySequence.mnemonic(b.text()) if "&" in b.text() else b.shortcut()
        for b in statistics.findChildren(QPushButton)
    }
    for binding in (shortcuts.STATISTICS_REPORT, shortcuts.STATISTICS_CSV):
        assert set(binding.sequences()) <= keys, binding.name


def test_exam_keys_in_the_registry_are_bound(controller, qtbot):
    """Each exam-sitting key in the registry does what the help says in a real sitting."""
    from studyapp.ui.screens.exam import ExamScreen

    c = controller
    c.window.show_screen(ExamScreen)
    screen = c.window.screen_of(ExamScreen)
    qtbot.waitUntil(lambda: screen.info is not None, timeout=20_000)
    settle(qtbot, c)
    screen.length.setValue(10)
    screen._start_new()
    sitting = screen.sitting
    qtbot.waitUntil(
        lambda: sitting.question is not None and sitting.view.status == "running", timeout=20_000
    )
    sitting.setFocus()

    def position():
        return sitting.question.position

    for seq in shortcuts.EXAM_NEXT.sequences():
        before = position()
        _press(qtbot, sitting, seq)
        qtbot.waitUntil(lambda b=before: position() == b + 1, timeout=10_000)
    for seq in shortcuts.EXAM_PREVIOUS.sequences():
        before = position()
        _press(qtbot, sitting, seq)
        qtbot.waitUntil(lambda b=before: position() == b - 1, timeout=10_000)
    for seq in shortcuts.EXAM_CHOOSE.sequences()[:1] + shortcuts.EXAM_CHOOSE.sequences()[9:10]:
        _press(qtbot, sitting, seq)  # "1" then "A": the first option
        settle(qtbot, c)
        assert sitting.cards[0].checked is (seq.toString() == "1")
    _press(qtbot, sitting, shortcuts.EXAM_FLAG.sequences()[0])
    qtbot.waitUntil(lambda: sitting.view.flagged == 1, timeout=10_000)
    _press(qtbot, sitting, shortcuts.EXAM_PAUSE.sequences()[0])
    qtbot.waitUntil(lambda: sitting.view.status == "paused", timeout=10_000)
    _press(qtbot, sitting, shortcuts.EXAM_PAUSE.sequences()[0])
    qtbot.waitUntil(lambda: sitting.view.status == "running", timeout=10_000)
    sitting.setFocus()
    _press(qtbot, sitting, shortcuts.EXAM_REVIEW.sequences()[0])
    qtbot.waitUntil(lambda: sitting.body.currentWidget() is sitting.review_page, timeout=10_000)
    sitting.submit(confirm=False)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.results_page, timeout=30_000)


def test_error_opening_profile_shows_dialog_not_crash(qtbot, paths, clock):
    """A profile that cannot open shows a plain message and a dialog, and the app stays up."""
    paths.data_dir.mkdir(parents=True)
    paths.database.write_bytes(b"garbage" * 50)
    c = start_app(qtbot, paths, clock)
    app = c.app
    with qtbot.waitSignal(c.profile_failed, timeout=30_000):
        c.open_profile()
    assert "could not be opened" in c.window.home._heading.text()
    dialogs = [w for w in app.topLevelWidgets() if w.objectName() == "errorDialog"]
    assert dialogs and "is damaged (file is not a database)" in dialogs[0].text()
    for d in dialogs:
        d.close()
    stop_app(c)
    [moved] = paths.data_dir.glob("studyapp.sqlite3.damaged-*")  # moved aside, not rewritten
    assert moved.read_bytes() == b"garbage" * 50


def test_screen_building_still_queued_when_the_window_is_deleted_never_runs(app_controller, qtbot):
    """build_rest_later's queued turn dies with its window (it raised 'already deleted' in
    the next test's setup when a window closed with screens still to build)."""
    import shiboken6

    from studyapp.ui.main_window import MainWindow

    window = MainWindow(app_controller)
    settle(qtbot, app_controller)  # its Home's first figures are in
    window.build_rest_later()
    shiboken6.delete(window)  # the C++ window goes, as at a test's teardown
    qtbot.wait(50)  # pytest-qt fails the test on an exception in the event loop
