"""Pausing Python's cyclic garbage collector during bulk work on the worker thread, and
freeing that work's objects in steps.

Building a large pack creates about a million small objects; that triggers full cyclic
collections, each holding the interpreter for 100-300 ms, which freezes the GUI thread.
Those objects are acyclic and are freed by reference counting, so pausing the cyclic
collector while an import runs loses nothing. Nested and concurrent uses are counted;
the collector resumes when the last one ends (it was never forced to run afterwards).
The GUI's worker thread does not pause it around every task (decision 0016); bulk work
that needs the pause takes it itself.

Reference counting has its own pause: the last reference to 100,000 parsed questions
going away frees two million objects in one C call (~0.5 s, ~50 ms per 10,000 questions)
that no other thread can interrupt. :func:`release_gently` frees such a list in steps.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (restored afterwards)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def bulk_work_running() -> bool:
    """Whether some bulk work has paused the collector now (the GUI thread's collector
    then waits too: a collection in the middle of an import only costs time)."""
    return _depth > 0


RELEASE_STEP = 1000


def release_gently(items: list[Any], step: int = RELEASE_STEP) -> None:
    """Empty ``items`` from the end, ``step`` items at a time (a few milliseconds each).

    Each step is its own bytecode, so between steps the interpreter hands the lock to a
    thread that waited for it a switch interval (5 ms), as it does in any Python loop;
    one ``del`` of everything would be a single C call that cannot be interrupted. Only
    what nothing else refers to is freed: the caller drops its other references to the
    items (and to the tuple or object that held them) first.
    """
    while items:
        del items[-step:]
