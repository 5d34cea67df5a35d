"""What the worker is given is freed on the GUI thread (issue 19).

PySide disconnects a signal from a bound method through a weak-reference callback when the
method's object dies; run on the worker thread, that callback deadlocked against the GUI
thread closing a progress dialog (a ``threading.Event`` whose ``set`` was the Cancel slot,
freed with the task's function). The runner keeps a reference to every submitted function
on the GUI thread until the result is delivered, so the worker never drops the last one.
"""

from __future__ import annotations

import threading
from functools import partial

import pytest

from studyapp.ui.application import make_application
from studyapp.ui.tasks import TaskRunner


class _Marker:
    """Records on which thread it is freed."""

    def __init__(self, freed_on: list[str]) -> None:
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def _succeed(_marker: _Marker) -> int:
    return 1


def _fail(_marker: _Marker) -> int:
    raise ValueError("simulated failure")


def _report(_marker: _Marker, progress) -> int:
    progress(1, 2, "half")
    return 2


@pytest.fixture
def runner(qtbot):
    make_application()
    errors: list[BaseException] = []
    runner = TaskRunner(errors.append)
    yield runner
    runner.wait_idle(10_000)
    runner.deleteLater()


@pytest.mark.parametrize("kind", ["success", "failure", "progress"])
def test_the_last_reference_to_a_submitted_function_goes_on_the_gui_thread(runner, qtbot, kind):
    """Succeeding, failing or reporting progress, the task's function is freed on the GUI
    thread, after its result arrived."""
    for _ in range(20):  # the race it guards against needs no luck to show
        freed_on: list[str] = []
        results: list[object] = []
        marker = _Marker(freed_on)
        if kind == "success":
            runner.run(partial(_succeed, marker), results.append)
        elif kind == "failure":
            runner.run(partial(_fail, marker), results.append, results.append)
        else:
            runner.run_with_progress(partial(_report, marker), lambda *_a: None, results.append)
        del marker
        qtbot.waitUntil(lambda: bool(results) and bool(freed_on), timeout=10_000)  # noqa: B023
        assert freed_on == [threading.main_thread().name]
        if kind == "failure":
            assert isinstance(results[0], ValueError)
