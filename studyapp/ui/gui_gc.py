"""Python's cyclic garbage collector, run on the GUI thread only.

A Qt object must be destroyed on the thread that owns it. Python runs its cyclic collector
in whichever thread happens to allocate when a threshold is crossed, and StudyApp's worker
thread allocates most (database reads, imports): a reference cycle holding a widget or a
dialog could then be destroyed on the worker, which crashes Qt (seen once in the test
suite: a segmentation fault while the worker ran a migration). So the automatic collector
is turned off and a timer on the GUI thread runs it, generation by generation, when the
counts pass the thresholds the automatic collector would have used: the pattern
pyqtgraph's ``GarbageCollector`` follows.

While an import pauses collection (:mod:`studyapp.services.gcpause`, which keeps the
GUI responsive while a million short-lived objects come and go), the timer waits too. A
full collection runs at most once a minute, as the automatic one also skips most of them.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

from studyapp.services import gcpause

INTERVAL_MS = 500
FULL_EVERY_S = 60.0


class GuiThreadCollector(QObject):
    """Owns the cyclic collector while it lives (one per application)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.last_full = time.monotonic()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds."""
        if gcpause.paused():
            return
        young, middle, old = gc.get_count()
        if young <= self.threshold[0]:
            return
        gc.collect(0)
        if middle <= self.threshold[1]:
            return
        gc.collect(1)
        now = time.monotonic()
        if old > self.threshold[2] and now - self.last_full >= FULL_EVERY_S:
            self.last_full = now
            gc.collect(2)


_installed: GuiThreadCollector | None = None


def install(app: QObject) -> GuiThreadCollector:
    """Start the GUI-thread collector for ``app`` (once; later calls return it)."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(app)
    return _installed
