"""Operations off the GUI thread.

Every database or file operation runs on one worker thread (SQLite has one writer, and a
single queue keeps operations in the order the user gave them). The result comes back to
the GUI thread through a queued Qt signal; failures go to the error handler, which shows
a dialog. Nothing here touches widgets from the worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from studyapp.services.gcpause import gc_paused

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the GUI thread; its signals carry a task's outcome back there."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], relay: _Relay, with_progress: bool) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay
        self._with_progress = with_progress

    def run(self) -> None:
        # No cyclic collection while the worker runs: it would destroy garbage Qt objects
        # (closures around widgets, closed dialogs) on this thread, which crashed Qt
        # (segfaults in the suite while a migration ran). Collections then happen on the
        # GUI thread, as they always could.
        with gc_paused():
            self._run()

    def _run(self) -> None:
        try:
            if self._with_progress:
                result = self._fn(
                    lambda done, total, text="": self._relay.progressed.emit(done, total, text)
                )
            else:
                result = self._fn()
        except BaseException as exc:  # noqa: BLE001  # every failure must reach the GUI
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs callables on the single database worker thread."""

    busy_changed = Signal(bool)

    def __init__(
        self, on_error: Callable[[BaseException], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._on_error = on_error
        self._relays: set[_Relay] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn()`` off the GUI thread; ``on_done(result)`` runs on the GUI thread."""
        self._start(fn, on_done, on_error, None)

    def run_with_progress(
        self,
        fn: Callable[[Callable[..., None]], Any],
        on_progress: Callable[[int, int, str], None],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Like :meth:`run`; ``fn`` gets a ``progress(done, total, text)`` callback."""
        self._start(fn, on_done, on_error, on_progress)

    def _start(
        self,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[int, int, str], None] | None,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)
        if not self.is_busy():
            self.busy_changed.emit(True)

        def finish() -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if not self._relays:
                self.busy_changed.emit(False)

        def succeeded(result: Any) -> None:
            finish()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            (on_error or self._on_error)(exc)

        relay.succeeded.connect(succeeded)
        relay.failed.connect(failed)
        if on_progress is not None:
            relay.progressed.connect(on_progress)
        self._pool.start(_Task(fn, relay, on_progress is not None))

    def is_busy(self) -> bool:
        """True while any operation is queued or running."""
        return bool(self._relays)

    def wait_idle(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (only for shutdown and tests)."""
        return self._pool.waitForDone(msecs)
