"""Pausing Python's cyclic garbage collector during bulk work on the worker thread.

Building a large pack creates about a million small objects; that triggers full cyclic
collections, each holding the interpreter for 100-300 ms, which freezes the GUI thread.
Those objects are acyclic and are freed by reference counting, so pausing the cyclic
collector while an import runs loses nothing. Nested and concurrent uses are counted;
the collector resumes when the last one ends (it was never forced to run afterwards).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
