"""Python's cyclic garbage collector runs on the GUI thread only (decision 0018).

The collector runs in whichever thread's allocation crosses its threshold, often the
worker's. Whatever it frees then is finalized on the worker: for a Qt object made on the
GUI thread (or a Python object holding one) that is a destruction Qt does not allow off
its thread, and CI caught the result once, a segmentation fault in a collection that a
worker task's allocation started while the GUI thread ran its event loop. Decision 0016
removed the pause around worker tasks and checks that the screens leave no Qt object in
cyclic garbage; that check covers the flows it runs, not every object a test or a user
could leave in a cycle.

So a GUI process turns automatic collection off and collects here instead, from a timer on
the GUI thread, generation by generation as the automatic collector would (the same
thresholds, :func:`gc.get_threshold`). Reference counting frees everything acyclic at once,
on any thread, as before; only cycles wait for the next tick (a second at most). Bulk work
that pauses the collector (:mod:`studyapp.services.gcpause`) pauses this one too (a
collection in the middle of an import only costs time, here on the GUI thread) and restores
the state it found, so it leaves automatic collection off.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from studyapp.services.gcpause import bulk_work_running

INTERVAL_MS = 1000

_collector: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    """Collects cyclic garbage on the thread it lives in (the GUI thread), on a timer."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose counts passed their thresholds; how many objects
        were unreachable."""
        if bulk_work_running():
            return 0
        first, second, third = gc.get_threshold()
        count0, count1, count2 = gc.get_count()
        if count0 <= first:
            return 0
        generation = 0
        if count1 > second:
            generation = 2 if count2 > third else 1
        return gc.collect(generation)


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Turn automatic collection off and collect on ``app``'s (the GUI) thread instead;
    idempotent (one collector per process)."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector(app)
    gc.disable()
    return _collector
