"""Start-up (issue 9): persisted Home first, heavy modules after the first paint, the damage
check after Home shows and its failure still reported in a dialog."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from studyapp.services.profile import Profile
from studyapp.services.study.home_summary import HomeSummary, summary_path
from studyapp.ui.application import make_application
from studyapp.ui.main_window import SCREENS, build_app, screen_class
from studyapp.ui.screens.home import HomeScreen
from tests import shipped
from tests.conftest import REPO
from tests.dbtools import damage_table_pages, fill, sha
from tests.ui.conftest import open_app, start_app, stop_app


def test_home_shows_the_persisted_figures_first_then_fresh_ones(qtbot, paths, clock, monkeypatch):
    """Second start: Home's first figures are the persisted ones, marked updating; the
    fresh ones follow and are the same figures, without the mark."""
    first = open_app(qtbot, paths, clock)
    qtbot.waitUntil(lambda: first.window.home.report is not None, timeout=30_000)
    stop_app(first)
    assert summary_path(paths).is_file()

    shown: list[tuple[object, str, bool]] = []
    original = HomeScreen.show_figures

    def record(self: HomeScreen, report: object) -> None:
        original(self, report)  # type: ignore[arg-type]
        shown.append((report, self._updating.text(), self.controller.profile is None))

    monkeypatch.setattr(HomeScreen, "show_figures", record)
    second = start_app(qtbot, paths, clock)
    try:
        second.open_profile()
        qtbot.waitUntil(lambda: len(shown) >= 2, timeout=60_000)
        persisted, mark, not_open_yet = shown[0]
        assert isinstance(persisted, HomeSummary) and persisted.persisted
        assert mark == "Updating…" and not_open_yet
        fresh, mark_after, _ = shown[1]
        assert not isinstance(fresh, HomeSummary)  # a StatsReport from the worker
        assert mark_after == ""
        assert second.window.home.summary is not None
        assert second.window.home.summary.to_json() == persisted.to_json()
        texts = [label.text() for label in second.window.home.findChildren(QLabel)]
        assert sum(t.endswith("of exam") for t in texts) == 10
    finally:
        stop_app(second)


def test_start_practice_pressed_on_persisted_figures_starts_once_open(
    qtbot, paths, clock, monkeypatch
):
    """Start practice pressed (keyboard) before the profile is open is remembered."""
    from studyapp.ui.screens.practice import PracticeScreen

    first = open_app(qtbot, paths, clock)
    qtbot.waitUntil(lambda: first.window.home.report is not None, timeout=30_000)
    stop_app(first)

    c = start_app(qtbot, paths, clock)
    try:
        home = c.window.home
        shown_early: list[bool] = []
        original = c._summary_loaded

        def summary_loaded(summary: object) -> None:
            original(summary)  # type: ignore[arg-type]
            if summary is not None and c.profile is None:
                shown_early.append(home.start_button.isEnabled())
                home.start_button.setFocus()
                qtbot.keyClick(home.start_button, Qt.Key.Key_Space)

        c._summary_loaded = summary_loaded  # type: ignore[method-assign]
        c.open_profile()
        qtbot.waitUntil(lambda: bool(shown_early), timeout=60_000)
        assert shown_early == [True]
        qtbot.waitUntil(
            lambda: (
                c.window.stack.currentIndex() == 1
                and c.window.screen_of(PracticeScreen).current is not None
            ),
            timeout=60_000,
        )
    finally:
        monkeypatch.setattr(PracticeScreen, "leave_allowed", lambda self: True)
        stop_app(c)


def test_damage_found_after_home_showed_is_reported_in_the_dialog(qtbot, paths, clock):
    """The check runs after the profile opened; damage still moves the file aside (bytes
    unchanged), shows the dialog with the restore command, and Home says so."""
    from studyapp.services.backups import BackupService
    from studyapp.services.packs.service import PackService

    p = Profile.open(paths, clock, "test")
    try:
        PackService(p).seed_shipped()  # as the GUI's first start left it
        fill(p, 150)

        backup = BackupService(p).backup().value.path
    finally:
        p.close()
    damage_table_pages(paths.database, "option")  # a table opening does not read
    damaged = sha(paths.database)
    app = make_application()
    c = start_app(qtbot, paths, clock)
    opened: list[bool] = []
    c.profile_opened.connect(
        lambda: opened.append(c.profile is not None and c.profile.check is not None)
    )
    try:
        with qtbot.waitSignal(c.profile_failed, timeout=60_000) as failed:
            c.open_profile()
        dialogs = [w for w in app.topLevelWidgets() if w.objectName() == "errorDialog"]
        assert opened == [True], "the profile opened before its check, as the GUI does"
        assert "is damaged" in str(failed.args[0])
        assert "could not be opened" in c.window.home._heading.text()
        assert len(dialogs) == 1 and "is damaged" in dialogs[0].text()
        assert backup.name in dialogs[0].informativeText(), "the dialog offers that backup"
        moved = failed.args[0].moved_to
        assert moved.parent == paths.data_dir and sha(moved) == damaged
        assert c.profile is None
    finally:
        for d in [w for w in app.topLevelWidgets() if w.objectName() == "errorDialog"]:
            d.close()
        stop_app(c)


def test_the_window_paints_before_sqlalchemy_or_alembic_load(tmp_path):
    """In a fresh process, the controller and the window with Home come up, shown and
    painted, with neither SQLAlchemy nor Alembic imported."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studyapp.config import AppPaths\n"
        "from studyapp.services.system_clock import SystemClock\n"
        "from studyapp.ui.application import make_application\n"
        "from studyapp.ui.main_window import build_app\n"
        "app = make_application()\n"
        f"paths = AppPaths(data_dir=Path({str(tmp_path / 'p')!r}),"
        f" log_dir=Path({str(tmp_path)!r}))\n"
        "c = build_app(app, paths, SystemClock())\n"
        "c.window.show()\n"
        "c.window.grab()\n"
        "app.processEvents()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    ).stdout
    assert out.strip() == "[]"


def test_screen_table_matches_the_screen_classes():
    """The navigation's static titles are the classes' titles, in order."""
    assert [title for title, _m, _n in SCREENS] == [
        screen_class(i).title for i in range(len(SCREENS))
    ]


def test_shortcut_to_a_screen_not_built_yet_builds_and_shows_it(app_controller, qtbot):
    """Ctrl+5 reaches Statistics though it is built only when first asked for."""
    window = app_controller.window
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 4, timeout=10_000)
    assert window.stack.currentWidget() is window.screens[4]
    assert window.screens[4].title == "Statistics"
    assert window.nav.currentRow() == 4


def test_screens_are_not_built_in_the_background_while_a_long_operation_runs(paths, clock, qtbot):
    """While an import's progress dialog is up, idle screen building waits (each screen
    is 50-100 ms on the GUI thread); it resumes once the operation ends."""
    c = build_app(make_application(), paths, clock)  # the window is not shown
    qtbot.addWidget(c.window)
    window = c.window
    c.long_running = 1  # as run_long sets it
    try:
        window.build_rest_later()
        qtbot.wait(300)
        assert sum(s is None for s in window._built) == len(window._built) - 1  # Home only
        c.long_running = 0
        qtbot.waitUntil(lambda: all(s is not None for s in window._built), timeout=10_000)
    finally:
        c.long_running = 0
        stop_app(c)


def test_no_display_says_so_in_one_line(tmp_path):
    """Without DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM, `studyapp` prints one line
    saying a desktop session is missing (no Qt plugin message, no traceback) and fails."""
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(tmp_path / "p")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "needs a desktop session (no display found)" in lines[0]
    assert "studyapp --help" in lines[0]
    assert not (tmp_path / "p" / "studyapp.sqlite3").exists()


def test_first_start_shows_what_it_does_with_a_progress_bar(qtbot, paths, clock, monkeypatch):
    """A first start shows "Setting up your profile…", then the CETL import with a real bar
    (all of the bank's questions), while the GUI thread keeps running; the panel goes once
    the profile is open, and a second start shows none of it."""
    from PySide6.QtCore import QTimer

    from studyapp.ui.widgets.setup_panel import SetupPanel

    shown: list[tuple[str, int, int, bool]] = []
    original = SetupPanel.report

    def record(self, done, total, text):
        original(self, done, total, text)
        shown.append((text, self.bar.value(), self.bar.maximum(), self.isVisible()))

    monkeypatch.setattr(SetupPanel, "report", record)
    c = start_app(qtbot, paths, clock)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(len(shown)))
    timer.start(5)
    try:
        with qtbot.waitSignal(c.profile_opened, timeout=60_000):
            c.open_profile()
        timer.stop()
        texts = [text for text, *_ in shown]
        n = shipped.QUESTIONS
        assert texts[0] == "Setting up your profile…"
        assert "Importing the CETL question bank: checking the questions…" in texts
        assert texts[-1] == f"Importing the CETL question bank: {n} of {n}"
        assert shown[-1][1:] == (n, n, True)
        assert all(visible for *_, visible in shown)
        assert not c.window.setup_panel.isVisible()
        # The GUI thread kept turning while the worker did the set-up: the timer ticked
        # many times, and ticked after the first report came and before the profile opened.
        assert len(ticks) > 20 and any(n > 0 for n in ticks)
    finally:
        stop_app(c)
    shown.clear()
    again = start_app(qtbot, paths, clock)
    try:
        with qtbot.waitSignal(again.profile_opened, timeout=60_000):
            again.open_profile()
        assert shown == []
    finally:
        stop_app(again)
