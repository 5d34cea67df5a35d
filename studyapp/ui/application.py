"""Starting the GUI, and ``studyapp selftest``.

``selftest`` starts the real application headless (offscreen when there is no display),
waits for the profile to open and Home to fill, visits every screen in the light and the
dark theme (writing one PNG per screen and theme when asked), and exits 0. A profile that
cannot open, or a screen that fails, exits non-zero with one line on stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from studyapp import __version__
from studyapp.config import APP_NAME, AppPaths
from studyapp.domain.clock import Clock

SELFTEST_TIMEOUT_MS = 120_000


def _ensure_platform(headless: bool) -> None:
    """Headless runs use Qt's offscreen platform unless one was chosen explicitly."""
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_application() -> QApplication:
    """The QApplication, created once."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("studyapp")
    return app


def run_gui(
    paths: AppPaths,
    clock: Clock,
    *,
    selftest: bool = False,
    screenshots: str | None = None,
    demo: bool = False,
) -> int:
    """Run the app until its window closes; returns the exit code."""
    _ensure_platform(selftest)
    app = make_application()
    from studyapp.ui.controller import AppController  # after the platform is set

    controller = AppController(app, paths, clock)
    controller.window.show()
    if selftest:
        SelfTest(controller, Path(screenshots) if screenshots else None, demo).start()
    controller.open_profile()
    code = app.exec()
    controller.shutdown()
    return int(code)


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
        QTimer.singleShot(SELFTEST_TIMEOUT_MS, lambda: self._finish(1, "selftest timed out"))

    def _failed(self, exc: BaseException) -> None:
        self._finish(3, f"the profile could not be opened: {exc}")

    def _seed_then_visit(self) -> None:
        """With a demo profile, add a month of practice first so screens have content."""
        if not self.demo:
            self._visit()
            return
        from studyapp.services.demo import seed_demo_history

        def seeded(_answers: object) -> None:
            self.c.window.refresh_current()
            self._visit()

        self.c.run_op(seed_demo_history, seeded, self._failed)

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
        window = self.c.window
        try:
            if self.shots is not None:
                self.shots.mkdir(parents=True, exist_ok=True)
            self._dismiss_welcome("light")
            for theme in ("light", "dark"):
                self.c.set_theme(theme)
                for index, screen in enumerate(window.screens):
                    window.nav.setCurrentRow(index)
                    self._settle()
                    if self.shots is not None:
                        name = window.nav.item(index).text().lower().replace(" ", "-")
                        target = self.shots / f"{name}-{theme}.png"
                        if not window.grab().save(str(target)):
                            raise OSError(f"could not write {target}")
                        self.written.append(target)
                    if not screen.isVisible():
                        raise RuntimeError(f"screen {index} did not show")
        except Exception as exc:  # noqa: BLE001  # reported as the selftest's failure
            self._finish(1, f"{type(exc).__name__}: {exc}")
            return
        self._finish(0, "")

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

    def _finish(self, code: int, message: str) -> None:
        if message:
            sys.stderr.write(f"studyapp: selftest failed: {message}\n")
        else:
            extra = f", {len(self.written)} screenshots in {self.shots}" if self.shots else ""
            sys.stdout.write(f"selftest passed: {len(self.c.window.screens)} screen(s){extra}\n")
        sys.stdout.flush()
        self.c.window.close()
        self.c.app.exit(code)
