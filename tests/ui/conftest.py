"""GUI fixtures: a real AppController on a real profile in tmp, opened off the GUI thread."""

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


@pytest.fixture
def app_controller(qtbot, paths, clock):
    """The whole app on a fresh profile (the CETL pack imported), window shown."""
    app = make_application()
    c = build_app(app, paths, clock)
    qtbot.addWidget(c.window)
    c.window.show()
    with qtbot.waitSignal(c.profile_opened, timeout=60_000):
        c.open_profile()
    qtbot.waitUntil(lambda: not c.runner.is_busy(), timeout=30_000)
    yield c
    c.window.close()
    c.shutdown()


def settle(qtbot, controller, timeout: int = 30_000) -> None:
    """Wait until every queued operation has finished and its result was delivered."""
    qtbot.waitUntil(lambda: not controller.runner.is_busy(), timeout=timeout)
    qtbot.wait(10)
