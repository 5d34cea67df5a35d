"""Cyclic garbage is collected on the GUI thread, never on the worker (decision 0018)."""

from __future__ import annotations

import gc
import threading

from studyapp.services.changes import Outcome
from studyapp.ui.application import make_application
from studyapp.ui.gc_thread import INTERVAL_MS
from tests.ui.conftest import settle


class _Cycle:
    """An object in a reference cycle that records the thread that finalizes it."""

    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def test_the_gui_process_turns_automatic_collection_off() -> None:
    """A GUI process collects on its own timer, not automatically in any thread."""
    make_application()
    assert not gc.isenabled()


def test_a_cycle_is_finalized_on_the_gui_thread_after_worker_allocation(app_controller, qtbot):
    """Garbage made before a worker task that allocates far past the collector's threshold
    is finalized on the GUI thread by the timer, not on the worker by the allocation."""
    c = app_controller
    seen: list[str] = []
    gc.collect()
    _Cycle(seen)  # unreachable at once: only a cyclic collection frees it

    def allocate(_profile: object) -> Outcome[list[list[int]]]:
        # 200,000 containers, ~285 thresholds' worth, kept alive (by ``done``) so the count
        # of tracked objects stays above the threshold until the GUI thread's next tick
        return Outcome([[i] for i in range(200_000)])

    done: list[list[list[int]]] = []
    c.run_op(allocate, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    settle(qtbot, c)
    qtbot.waitUntil(lambda: bool(seen), timeout=INTERVAL_MS * 5)
    assert seen == [threading.main_thread().name]


def test_the_gui_collector_waits_while_bulk_work_pauses_collection() -> None:
    """During an import (the collector paused for bulk work) the GUI thread's timer does
    not collect either; afterwards it collects what is due."""
    from studyapp.services.gcpause import gc_paused
    from studyapp.ui.gc_thread import GuiThreadCollector

    app = make_application()
    collector = GuiThreadCollector(app, interval_ms=60_000)
    seen: list[str] = []
    try:
        with gc_paused():
            _Cycle(seen)
            keep = [[i] for i in range(10_000)]  # far past the first threshold
            assert collector.collect_due() == 0
            assert not seen
        assert collector.collect_due() > 0
        assert seen == [threading.main_thread().name]
        del keep
    finally:
        collector.timer.stop()
        collector.deleteLater()
