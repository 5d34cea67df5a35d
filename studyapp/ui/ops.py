"""Typed operations: what a screen asks of the profile, run on the worker thread.

Modelled on Anki's ``QueryOp`` / ``CollectionOp``. A screen describes the work as a
function of the open profile and says what to do with the answer:

- :class:`Query` reads: ``work(profile) -> T``; ``success(T)`` runs on the GUI thread.
- :class:`Op` writes: ``work(profile) -> Outcome[T]``; the outcome's
  :class:`~studyapp.services.changes.Change` flags are broadcast (screens go stale) and
  ``success(T)`` gets the value.
- :class:`LongOp` is an :class:`Op` with a progress dialog: ``work(profile, progress)``.

``failure(exc)`` runs on the GUI thread too (the error dialog when not given). The
controller (:class:`~studyapp.ui.controller.AppController`) runs them; its ``query``,
``run_op`` and ``run_long`` methods build them from a function and callbacks.

The rule that keeps the worker thread safe: ``work`` must hold only plain data (ids,
strings, frozen dataclasses), never a widget or another Qt object. A Qt object referenced
from the worker could be destroyed there when the last reference goes, and Qt objects must
die on their own thread. So read what the work needs from widgets *before* building the
operation, e.g. ``qid = self.current_qid()`` then ``Query(lambda p: detail(p, qid), ...)``
and never ``lambda p: detail(p, self.current_qid())``. The callbacks may use widgets: they
never leave the GUI thread. ``tests/ui/test_ops_closures.py`` walks every function sent to
the worker during a GUI session and fails on any Qt object.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Generic, TypeVar

from studyapp.services.changes import Outcome
from studyapp.ui.progress import ProgressReporter

if TYPE_CHECKING:
    from studyapp.services.profile import Profile
    from studyapp.ui.tasks import Progress

T = TypeVar("T")

OnError = Callable[[BaseException], None]


@dataclass(frozen=True, slots=True)
class Query(Generic[T]):
    """A read of the profile whose answer goes to ``success`` on the GUI thread."""

    work: Callable[[Profile], T]
    success: Callable[[T], None] | None = None
    failure: OnError | None = None

    def bind(self, profile: Profile) -> Callable[[], T]:
        """The function the worker runs: ``work`` and the profile, nothing else."""
        return partial(self.work, profile)


@dataclass(frozen=True, slots=True)
class Op(Generic[T]):
    """A change to the profile: ``work`` returns an :class:`Outcome` (value + changes)."""

    work: Callable[[Profile], Outcome[T]]
    success: Callable[[T], None] | None = None
    failure: OnError | None = None

    def bind(self, profile: Profile) -> Callable[[], Outcome[T]]:
        """The function the worker runs; it refuses a result that is not an Outcome."""
        return partial(_checked, self.work, profile)


@dataclass(frozen=True, slots=True)
class LongOp(Generic[T]):
    """An :class:`Op` that reports progress to a dialog titled ``title``.

    ``work(profile, progress)`` calls ``progress(done, total, text)``; after the user
    cancels (when ``cancellable``), that call raises ``CancelledError``.
    """

    title: str
    work: Callable[[Profile, ProgressReporter], Outcome[T]]
    success: Callable[[T], None] | None = None
    cancellable: bool = True
    cancelled: threading.Event = field(default_factory=threading.Event, compare=False)

    def bind(self, profile: Profile) -> Callable[[Progress], Outcome[T]]:
        """The function the worker runs with the runner's progress callback."""
        return partial(_with_reporter, self.work, profile, self.cancelled)


def _checked(work: Callable[[Profile], Outcome[T]], profile: Profile) -> Outcome[T]:
    return _outcome(work(profile))


def _with_reporter(
    work: Callable[[Profile, ProgressReporter], Outcome[T]],
    profile: Profile,
    cancelled: threading.Event,
    emit: Progress,
) -> Outcome[T]:
    return _outcome(work(profile, ProgressReporter(emit, cancelled)))


def _outcome(result: Outcome[T]) -> Outcome[T]:
    if not isinstance(result, Outcome):
        # A programming error: a write that does not say what it changed would leave
        # screens showing old figures. Reads are Queries.
        raise TypeError(f"an Op must return an Outcome, not {type(result).__name__}")
    return result
