"""The one worker thread that runs database and file work off the GUI thread.

Every database or file operation runs on one worker thread (SQLite has one writer, and a
single queue keeps operations in the order the user gave them). The result comes back to
the GUI thread through a queued Qt signal; failures go to the error handler, which shows
a dialog. Screens do not call this directly: they describe a typed operation
(:mod:`studyapp.ui.ops`) and the controller submits it here.

What crosses to the worker is only the submitted function (which must hold plain data,
never a Qt object: :mod:`studyapp.ui.ops` builds it, ``tests/ui/test_ops_closures.py``
checks it) and one long-lived relay whose signals carry results back. The callbacks and a
second reference to each submitted function stay on the GUI thread, in a table keyed by
task number; the worker lets go of the function before it reports, so the function and
everything it holds are freed on the GUI thread. That matters beyond Qt objects: PySide
disconnects a signal from a bound method through a weak-reference callback when the
method's object dies, and that callback running on the worker deadlocked against the GUI
thread closing a dialog (seen with a ``threading.Event`` whose ``set`` was a Cancel slot).

The worker and the GUI thread share one interpreter lock. While the worker computes in
Python, every time the GUI thread needs the interpreter (a slot, a timer, a Python
override such as ``heightForWidth`` during a layout: several per event-loop turn) it
waits until the worker hands the lock over, which CPython asks of it only after the
switch interval. :func:`share_interpreter_with_gui` shortens that interval for the GUI
process (decision 0017).
"""

from __future__ import annotations

import itertools
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")

Progress = Callable[..., None]
"""``progress(done, total, text="")``, called on the worker thread."""

GUI_SWITCH_INTERVAL_S = 0.001
"""How long a thread computing in Python may keep the interpreter lock once another thread
asks for it (CPython's default is 5 ms). The GUI thread asks several times per event-loop
turn, so with the worker computing in Python each turn cost a multiple of this; measured
in decision 0017. The worker loses nothing while the GUI thread is idle: the lock only
changes hands when another thread asks for it."""


def share_interpreter_with_gui() -> None:
    """Set the switch interval of a process with a GUI thread and a worker (idempotent)."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


class _Relay(QObject):
    """Lives in the GUI thread as long as the runner; its signals carry a task's number and
    outcome back there (emitting from the worker is thread-safe, delivery is queued)."""

    succeeded = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int, str)


@dataclass(frozen=True, slots=True)
class _Callbacks:
    """What to call on the GUI thread when a task reports (never sent to the worker)."""

    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None]
    on_progress: Callable[[int, int, str], None] | None
    fn: Callable[..., Any]  # held here so that its last reference goes on this thread


class _Task(QRunnable):
    def __init__(
        self, number: int, fn: Callable[..., Any], relay: _Relay, with_progress: bool
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._number = number
        self._fn = fn
        self._relay = relay
        self._with_progress = with_progress

    def run(self) -> None:
        # The cyclic collector runs here as anywhere (decision 0016): nothing sent to this
        # thread holds a Qt object (tests/ui/test_ops_closures.py) and the GUI leaves no Qt
        # object in cyclic garbage (tests/ui/test_gc_qt_garbage.py), so a collection this
        # thread starts has no Qt object to destroy.
        self._run()

    def _run(self) -> None:
        number, relay = self._number, self._relay
        fn, self._fn = self._fn, _done  # the runner's table keeps the other reference
        try:
            if self._with_progress:

                def progress(done: int, total: int, text: str = "") -> None:
                    relay.progressed.emit(number, done, total, text)

                result = fn(progress)
            else:
                result = fn()
        except BaseException as exc:  # noqa: BLE001  # every failure must reach the GUI
            del fn  # before reporting: the GUI thread drops the last reference
            # The traceback's frames keep what the work held; their names and lines stay
            # for the log and the dialog, their locals go here, before the GUI has it.
            traceback.clear_frames(exc.__traceback__)
            relay.failed.emit(number, exc)
        else:
            del fn
            relay.succeeded.emit(number, result)


def _done(*_args: object) -> None:
    """Stands in for a task's function once it has run."""


class TaskRunner(QObject):
    """Runs functions on the single database worker thread, in the order submitted."""

    busy_changed = Signal(bool)

    def __init__(
        self, on_error: Callable[[BaseException], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._on_error = on_error
        self._relay = _Relay(self)
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)
        self._relay.progressed.connect(self._progressed)
        self._pending: dict[int, _Callbacks] = {}
        self._numbers = itertools.count(1)

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn()`` off the GUI thread; ``on_done(result)`` runs on the GUI thread."""
        self._start(fn, _Callbacks(on_done, on_error or self._on_error, None, fn))

    def run_with_progress(
        self,
        fn: Callable[[Progress], T],
        on_progress: Callable[[int, int, str], None],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Like :meth:`run`; ``fn`` gets a ``progress(done, total, text)`` callback whose
        reports reach ``on_progress`` on the GUI thread."""
        self._start(fn, _Callbacks(on_done, on_error or self._on_error, on_progress, fn))

    def _start(self, fn: Callable[..., Any], callbacks: _Callbacks) -> None:
        number = next(self._numbers)
        was_busy = self.is_busy()
        self._pending[number] = callbacks
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(_Task(number, fn, self._relay, callbacks.on_progress is not None))

    def _finish(self, number: int) -> _Callbacks | None:
        callbacks = self._pending.pop(number, None)
        if not self._pending:
            self.busy_changed.emit(False)
        return callbacks

    def _succeeded(self, number: int, result: object) -> None:
        callbacks = self._finish(number)
        if callbacks is not None and callbacks.on_done is not None:
            callbacks.on_done(result)

    def _failed(self, number: int, exc: BaseException) -> None:
        callbacks = self._finish(number)
        (callbacks.on_error if callbacks is not None else self._on_error)(exc)

    def _progressed(self, number: int, done: int, total: int, text: str) -> None:
        callbacks = self._pending.get(number)
        if callbacks is not None and callbacks.on_progress is not None:
            callbacks.on_progress(done, total, text)

    def is_busy(self) -> bool:
        """True while any operation is queued or running."""
        return bool(self._pending)

    def wait_idle(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (only for shutdown and tests)."""
        return self._pool.waitForDone(msecs)
