"""Starting the GUI, and ``studyapp selftest``.

``selftest`` starts the real application headless (offscreen when there is no display),
waits for the profile to open and Home to fill, walks every screen in the light and the
dark theme (:func:`studyapp.ui.tour.walk`, the same route the layout audit takes; one PNG
per state and theme when asked), and exits 0. With ``--screenshots`` (a demo profile) it
also writes Home, practice feedback, exam sitting and exam results at 880x600 and at
18 pt (``home-880x600-light.png``, ``home-18pt-dark.png``, ...). A profile that cannot
open exits with its error's :class:`~studyapp.domain.errors.ExitCode` (``PROFILE``, 3); a
screen that fails, an unexpected exception or a time-out exits ``UNEXPECTED`` (70: the app
is broken); each with one line on stderr.

Every GUI start also claims its profile's single-instance channel (a second start on the
same profile raises this window and exits; :mod:`studyapp.ui.single_instance`) and
installs a ``sys.excepthook`` that turns an unexpected exception on the GUI thread into a
log entry and an error dialog, never a silent exit or a traceback nobody sees.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp import __version__
from studyapp.config import APP_NAME, AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import ExitCode, ProfileInUseError, StudyAppError
from studyapp.ui.errors import show_error
from studyapp.ui.gc_thread import collect_on_gui_thread
from studyapp.ui.single_instance import InstanceServer, ask_running_instance_to_raise, raise_window
from studyapp.ui.tasks import share_interpreter_with_gui

if TYPE_CHECKING:
    from studyapp.ui.controller import AppController

log = logging.getLogger(__name__)

SELFTEST_TIMEOUT_MS = 240_000

# Extra screenshots of the states a user reads most, at the smallest window and the
# largest font (name, window size or None, font size or None); see docs/screenshots/.
VARIANTS: tuple[tuple[str, QSize | None, int | None], ...] = (
    ("880x600", QSize(880, 600), None),
    ("18pt", None, 18),
)
VARIANT_STATES = ("home", "practice-feedback", "exam-sitting", "exam-results")


def _ensure_platform(headless: bool) -> None:
    """Headless runs use Qt's offscreen platform unless one was chosen explicitly."""
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_application() -> QApplication:
    """The QApplication, created once; the process's switch interval set for a GUI with a
    worker thread (decision 0017), and cyclic garbage collected on the GUI thread only
    (decision 0018)."""
    share_interpreter_with_gui()
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        collect_on_gui_thread(existing)
        return existing
    app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("studyapp")
    collect_on_gui_thread(app)
    return app


def run_gui(
    paths: AppPaths,
    clock: Clock,
    *,
    selftest: bool = False,
    screenshots: str | None = None,
    demo: bool = False,
) -> ExitCode:
    """Run the app until its window closes; returns the exit code.

    The event loop ends with ``OK`` when the window closes, or with the selftest's
    :class:`ExitCode`; any other number (never expected) is reported as ``UNEXPECTED``.
    """
    session = start_gui(paths, clock, selftest=selftest, screenshots=screenshots, demo=demo)
    try:
        code = session.controller.app.exec()
    finally:
        session.close()
    known = {member.value for member in ExitCode}
    return ExitCode(code) if code in known else ExitCode.UNEXPECTED


@dataclass
class GuiSession:
    """A started GUI: its controller, its single-instance channel, the hook it replaced."""

    controller: AppController
    server: InstanceServer
    previous_excepthook: Callable[..., object]

    def close(self) -> None:
        """Stop listening, close the window and the profile, restore the hook (idempotent)."""
        self.server.close()
        if self.controller.window.isVisible():
            self.controller.window.close()
        self.controller.shutdown()
        sys.excepthook = self.previous_excepthook


def start_gui(
    paths: AppPaths,
    clock: Clock,
    *,
    selftest: bool = False,
    screenshots: str | None = None,
    demo: bool = False,
) -> GuiSession:
    """Everything before the event loop: one window per profile, the exception hook, the
    window, and the profile opening off the GUI thread.

    When another StudyApp window already has this profile, that window is asked to come
    to the front and :class:`ProfileInUseError` is raised here (the caller prints it and
    exits 3) instead of opening a second window that could only show the same refusal.
    """
    _ensure_platform(selftest)
    app = make_application()
    holder = ask_running_instance_to_raise(paths)
    if holder is not None:
        raise ProfileInUseError(
            f"The profile {paths.data_dir} is in use by another StudyApp (process {holder}); "
            "its window was brought to the front. Use that one.",
            other_folder=True,
        )
    from studyapp.ui.main_window import build_app  # after the platform is set

    controller = build_app(app, paths, clock)
    server = InstanceServer(paths, controller)
    server.raise_requested.connect(lambda: raise_window(controller.window))
    controller.profile_opened.connect(server.start)
    test = (
        SelfTest(controller, Path(screenshots) if screenshots else None, demo) if selftest else None
    )
    previous = install_excepthook(controller, test)
    controller.window.show()
    if test is not None:
        test.start()
    controller.open_profile()
    return GuiSession(controller, server, previous)


def install_excepthook(
    controller: AppController, test: SelfTest | None = None
) -> Callable[..., object]:
    """Route unexpected exceptions on the GUI thread to the log and an error dialog.

    PySide6 hands an exception raised in a slot or an event handler to ``sys.excepthook``
    and carries on; without this hook it would only reach stderr, which a desktop user
    never sees. The dialog says in plain words what happened and where the log is
    (:func:`studyapp.ui.errors.show_error`); while one such dialog is open, further
    exceptions (a failing paint event repeats) are only logged. In a selftest the test
    fails. Returns the hook it replaced.
    """
    previous = sys.excepthook
    shown: list[QMessageBox] = []

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if not isinstance(exc, Exception):
            previous(exc_type, exc, tb)  # KeyboardInterrupt, SystemExit: not ours to report
            return
        exc = exc.with_traceback(tb)
        try:
            if shown and shown[-1].isVisible():
                log.error("unexpected error on the GUI thread", exc_info=(exc_type, exc, tb))
            else:
                shown[:] = [show_error(controller.window, exc, controller.paths.log_file)]
        except Exception:  # the dialog itself failed: keep the traceback
            log.exception("could not show the error dialog")
            previous(exc_type, exc, tb)
        if test is not None:
            message = f"unexpected {type(exc).__name__} on the GUI thread: {exc}"
            QTimer.singleShot(0, lambda: test._finish(ExitCode.UNEXPECTED, message))

    sys.excepthook = hook
    return previous


class SelfTest:
    """Drives the started app through its screens, then quits with an exit code."""

    def __init__(self, controller: object, screenshots: Path | None, demo: bool = False) -> None:
        from studyapp.ui.controller import AppController

        assert isinstance(controller, AppController)
        self.c = controller
        self.demo = demo
        self.shots = screenshots
        self.written: list[Path] = []

    def start(self) -> None:
        """Arm the test: it runs when the profile has opened."""
        self.c.profile_opened.connect(lambda: QTimer.singleShot(0, self._seed_then_visit))
        self.c.profile_failed.connect(self._failed)
        QTimer.singleShot(
            SELFTEST_TIMEOUT_MS, lambda: self._finish(ExitCode.UNEXPECTED, "selftest timed out")
        )

    def _failed(self, exc: BaseException) -> None:
        """The profile did not open (or the demo history could not be added): a refusal
        exits with its own code (``PROFILE`` for an unusable profile), a bug ``UNEXPECTED``."""
        code = exc.exit_code if isinstance(exc, StudyAppError) else ExitCode.UNEXPECTED
        self._finish(code, f"the profile could not be opened: {exc}")

    def _seed_then_visit(self) -> None:
        """With a demo profile, add a month of practice first so screens have content."""
        if not self.demo:
            self._visit()
            return
        from studyapp.services.changes import Change, Outcome
        from studyapp.services.demo import seed_demo_history

        def seeded(_answers: object) -> None:
            self.c.window.refresh_current()
            self._visit()

        self.c.run_op(lambda p: Outcome(seed_demo_history(p), Change.REVIEWS), seeded, self._failed)

    def _dismiss_welcome(self, theme: str) -> None:
        self._settle()
        welcome = self.c.welcome
        if welcome is None:
            return
        if self.shots is not None:
            target = self.shots / f"welcome-{theme}.png"
            if not welcome.grab().save(str(target)):
                raise OSError(f"could not write {target}")
            self.written.append(target)
        welcome.reject()
        self._settle()

    def _visit(self) -> None:
        from studyapp.ui.tour import walk

        window = self.c.window
        try:
            if self.shots is not None:
                self.shots.mkdir(parents=True, exist_ok=True)
            self._dismiss_welcome("light")
            font = self.c.app.font().pointSize()
            for theme in ("light", "dark"):
                self.c.set_theme(theme)
                for name in walk(self.c, self._settle, demo=self.demo):
                    self._shot(f"{name}-{theme}")
            if self.demo and self.shots is not None:
                normal = window.size()
                for theme in ("light", "dark"):
                    for variant, size, points in VARIANTS:
                        window.resize(size or normal)
                        self.c.set_theme(theme, points or font)
                        for name in walk(self.c, self._settle, demo=True):
                            if name in VARIANT_STATES:
                                self._shot(f"{name}-{variant}-{theme}")
                window.resize(normal)
                self.c.set_theme("light", font)
        except Exception as exc:  # noqa: BLE001  # reported as the selftest's failure
            self._finish(ExitCode.UNEXPECTED, f"{type(exc).__name__}: {exc}")
            return
        self._finish(ExitCode.OK, "")

    def _shot(self, name: str) -> None:
        if self.shots is None:
            return
        self._settle()
        target = self.shots / f"{name}.png"
        if not self.c.window.grab().save(str(target)):
            raise OSError(f"could not write {target}")
        self.written.append(target)

    def _settle(self) -> None:
        """Let queued operations finish and their results paint."""
        app = self.c.app
        for _ in range(50):
            app.processEvents()
            if not self.c.runner.is_busy():
                app.processEvents()
                return
            self.c.runner.wait_idle(100)
        app.processEvents()

    def _finish(self, code: ExitCode, message: str) -> None:
        if message:
            sys.stderr.write(f"studyapp: selftest failed: {message}\n")
        else:
            extra = f", {len(self.written)} screenshots in {self.shots}" if self.shots else ""
            from studyapp.ui.main_window import MainWindow

            count = len(MainWindow.of(self.c).screens)
            sys.stdout.write(f"selftest passed: {count} screen(s){extra}\n")
        sys.stdout.flush()
        self.c.window.close()
        self.c.app.exit(code)
