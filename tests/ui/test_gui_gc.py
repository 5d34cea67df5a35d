"""Cyclic garbage is collected on the GUI thread, by the timer, and not during imports."""

from __future__ import annotations

import gc
import threading
import weakref

from studyapp.services.gcpause import gc_paused
from studyapp.ui import gui_gc
from studyapp.ui.application import make_application


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def _garbage_cycle() -> weakref.ref[_Node]:
    node = _Node()
    ref = weakref.ref(node)
    del node
    return ref


def _fill_young_generation() -> list[list[int]]:
    """New tracked objects past the young generation's threshold (kept alive by the caller:
    freeing them would take the count back down)."""
    return [[] for _ in range(gc.get_threshold()[0] + 10)]


def test_automatic_collection_is_off_and_the_timer_collects_on_the_gui_thread(qtbot):
    make_application()
    collector = gui_gc.install(make_application())
    assert not gc.isenabled()
    threads: list[str] = []
    original = collector.check

    def check() -> None:
        threads.append(threading.current_thread().name)
        original()

    collector.timer.timeout.disconnect()
    collector.timer.timeout.connect(check)
    try:
        ref = _garbage_cycle()
        young = _fill_young_generation()
        qtbot.waitUntil(lambda: ref() is None, timeout=5_000)
        del young
        assert threads and set(threads) == {threading.main_thread().name}
    finally:
        collector.timer.timeout.disconnect()
        collector.timer.timeout.connect(collector.check)


def test_nothing_is_collected_while_an_import_pauses_collection(qtbot):
    collector = gui_gc.install(make_application())
    with gc_paused():
        ref = _garbage_cycle()
        young = _fill_young_generation()
        collector.check()
        assert ref() is not None
        assert not gc.isenabled()
    assert not gc.isenabled()  # the pause restores "off", not the automatic collector
    collector.check()
    assert ref() is None
    del young
