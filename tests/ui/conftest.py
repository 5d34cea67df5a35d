"""GUI fixtures: a real AppController on a real profile in tmp, opened off the GUI thread.

One way to start and stop the app in tests (issue 19: the same fixture was written in five
modules): :func:`start_app` builds the controller and its window and shows it,
:func:`open_app` also opens the profile, :func:`stop_app` closes both, and the
``app_controller`` fixture is the whole app on a fresh profile. Modules that need more
(dialogs closed after each test, Home's figures in) wrap ``app_controller``.
"""

from __future__ import annotations

import pytest

from studyapp.ui.application import make_application
from studyapp.ui.controller import AppController
from studyapp.ui.main_window import build_app


@pytest.fixture(autouse=True)
def _skip_first_run_welcome(request, monkeypatch):
    """Fresh profiles would greet every test; only tests marked ``welcome`` see it."""
    if "welcome" not in request.keywords:
        monkeypatch.setattr(AppController, "_welcome", lambda self, questions: None)


def start_app(qtbot, paths, clock) -> AppController:
    """The app's controller and window on ``paths``, the window shown; no profile opened."""
    c = build_app(make_application(), paths, clock)
    qtbot.addWidget(c.window)
    c.window.show()
    return c


def open_app(qtbot, paths, clock, timeout: int = 60_000) -> AppController:
    """:func:`start_app`, then open the profile and wait until it has opened."""
    c = start_app(qtbot, paths, clock)
    with qtbot.waitSignal(c.profile_opened, timeout=timeout):
        c.open_profile()
    return c


def stop_app(c: AppController) -> None:
    """Close the window and shut the controller down (close-time backup, profile closed)."""
    c.window.close()
    c.shutdown()


@pytest.fixture
def app_controller(qtbot, paths, clock):
    """The whole app on a fresh profile (the CETL pack imported), window shown."""
    c = open_app(qtbot, paths, clock)
    qtbot.waitUntil(lambda: not c.runner.is_busy(), timeout=30_000)
    yield c
    stop_app(c)


def settle(qtbot, controller, timeout: int = 30_000) -> None:
    """Wait until every queued operation has finished and its result was delivered."""
    qtbot.waitUntil(lambda: not controller.runner.is_busy(), timeout=timeout)
    qtbot.wait(10)
