"""A mock exam being sat: its state machine, with time as data.

::

    not_started --start--> running <--pause/resume--> paused
                              |  (time runs out: submitted by itself)
                              +--submit--> submitted <--submit-- paused

The truth behind the countdown is ``elapsed_ms``, the active time so far. It grows only
from monotonic readings passed in (:func:`advance`); nothing here reads a clock. ``anchor``
is the reading up to which ``elapsed_ms`` is accounted. It means something only inside
the process that took it, so it is never stored: a sitting loaded after a crash or a
restart has no anchor, is ``interrupted``, and counts no time until :func:`resume` gives it
a new one. Wall time while the app was closed therefore never counts.

A gap between two readings longer than ``max_gap_s`` counts as nothing: the front end
reads the clock every few seconds, so such a gap means the machine slept or the process
was stopped (on some systems the monotonic clock runs on during sleep).

Each transition returns a new :class:`Sitting` and leaves its input as it was. Active time
is also charged to the question on screen (``current``), which is the "time per question"
of the result.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from studyapp.domain.exam_code import ExamError

DEFAULT_MAX_GAP_S = 60.0


class ExamStatus(enum.StrEnum):
    """Where a sitting is in its life."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    SUBMITTED = "submitted"


class EndedBy(enum.StrEnum):
    """Why a submitted sitting ended; stored as this text, and read back through it."""

    LEARNER = "learner"
    TIME = "time"


class ExamStateError(ExamError):
    """The exam is not in a state that allows what was asked."""


@dataclass(frozen=True, slots=True)
class ItemState:
    """One question of a sitting as the learner has left it."""

    position: int
    ref: str
    skill: str
    option_order: tuple[str, ...]
    chosen: tuple[str, ...] = ()
    flagged: bool = False
    time_ms: int = 0
    answered_at: datetime | None = None

    @property
    def answered(self) -> bool:
        return bool(self.chosen)


@dataclass(frozen=True, slots=True)
class Sitting:
    """The whole state of a sitting: clock, position and answers."""

    status: ExamStatus
    elapsed_ms: int
    limit_ms: int
    current: int
    items: tuple[ItemState, ...]
    anchor: float | None = None
    ended_by: str | None = None  # an EndedBy value once submitted

    @property
    def remaining_ms(self) -> int:
        return max(0, self.limit_ms - self.elapsed_ms)

    @property
    def interrupted(self) -> bool:
        """Running when the app stopped: no time counts until it is resumed."""
        return self.status is ExamStatus.RUNNING and self.anchor is None

    @property
    def counting(self) -> bool:
        return self.status is ExamStatus.RUNNING and self.anchor is not None

    @property
    def answered(self) -> int:
        return sum(item.answered for item in self.items)

    @property
    def flagged(self) -> int:
        return sum(item.flagged for item in self.items)

    def changed_items(self, before: Sitting) -> list[ItemState]:
        """The items that differ from ``before`` (what a store must write)."""
        return [new for old, new in zip(before.items, self.items, strict=True) if old != new]


def new_sitting(
    option_orders: Sequence[tuple[str, str, tuple[str, ...]]], limit_ms: int
) -> Sitting:
    """A sitting not yet started; ``option_orders`` is (ref, skill, option order) by position."""
    if limit_ms <= 0:
        raise ExamError("An exam needs a time limit of at least one minute.")
    items = tuple(
        ItemState(position=i, ref=ref, skill=skill, option_order=tuple(order))
        for i, (ref, skill, order) in enumerate(option_orders)
    )
    if not items:
        raise ExamError("An exam needs at least one question.")
    return Sitting(ExamStatus.NOT_STARTED, 0, limit_ms, 0, items)


def advance(s: Sitting, mono: float, max_gap_s: float = DEFAULT_MAX_GAP_S) -> Sitting:
    """Account active time up to the reading ``mono``; at the limit the exam submits itself.

    A sitting that is not counting is returned unchanged. A reading earlier than the
    anchor (another clock) or more than ``max_gap_s`` after it (sleep) counts nothing
    and becomes the new anchor.
    """
    if not s.counting:
        return s
    assert s.anchor is not None
    delta = mono - s.anchor
    counted = int(delta * 1000) if 0 <= delta <= max_gap_s else 0
    counted = min(counted, s.remaining_ms)
    # Keep the fraction of a millisecond not yet counted in the anchor, so many small
    # readings add up to exactly the time that passed.
    anchor = s.anchor + counted / 1000 if 0 <= delta <= max_gap_s else mono
    items = _charge(s.items, s.current, counted)
    s = replace(s, elapsed_ms=s.elapsed_ms + counted, anchor=anchor, items=items)
    if s.elapsed_ms >= s.limit_ms:
        return replace(s, status=ExamStatus.SUBMITTED, anchor=None, ended_by=EndedBy.TIME)
    return s


def _charge(items: tuple[ItemState, ...], position: int, ms: int) -> tuple[ItemState, ...]:
    if ms <= 0:
        return items
    item = items[position]
    return (*items[:position], replace(item, time_ms=item.time_ms + ms), *items[position + 1 :])


def _require(s: Sitting, *allowed: ExamStatus, doing: str) -> None:
    if s.status in allowed and not (s.interrupted and ExamStatus.PAUSED not in allowed):
        return
    if s.status is ExamStatus.SUBMITTED:
        raise ExamStateError(f"This exam has been submitted, so it cannot be {doing}.")
    if s.status is ExamStatus.NOT_STARTED:
        raise ExamStateError(f"This exam has not been started, so it cannot be {doing}.")
    if s.status is ExamStatus.PAUSED or s.interrupted:
        raise ExamStateError(f"This exam is paused; resume it before it can be {doing}.")
    raise ExamStateError(f"This exam is running, so it cannot be {doing}.")


def start(s: Sitting, mono: float) -> Sitting:
    """Begin the countdown."""
    _require(s, ExamStatus.NOT_STARTED, doing="started")
    return replace(s, status=ExamStatus.RUNNING, anchor=mono)


def pause(s: Sitting, mono: float, max_gap_s: float = DEFAULT_MAX_GAP_S) -> Sitting:
    """Stop the countdown (after accounting time up to ``mono``)."""
    if s.status is ExamStatus.PAUSED or s.interrupted:
        return replace(s, status=ExamStatus.PAUSED, anchor=None)
    _require(s, ExamStatus.RUNNING, doing="paused")
    s = advance(s, mono, max_gap_s)
    if s.status is ExamStatus.SUBMITTED:
        return s
    return replace(s, status=ExamStatus.PAUSED, anchor=None)


def resume(s: Sitting, mono: float) -> Sitting:
    """Restart the countdown from ``mono`` (a paused or interrupted sitting)."""
    if s.counting:
        return s
    _require(s, ExamStatus.PAUSED, ExamStatus.RUNNING, doing="resumed")
    return replace(s, status=ExamStatus.RUNNING, anchor=mono)


def _position(s: Sitting, position: int) -> int:
    if not 0 <= position < len(s.items):
        raise ExamError(
            f"This exam has questions 1 to {len(s.items)}; there is no question {position + 1}."
        )
    return position


def go_to(s: Sitting, position: int, mono: float, max_gap_s: float = DEFAULT_MAX_GAP_S) -> Sitting:
    """Show another question (time so far is charged to the one being left)."""
    _require(s, ExamStatus.RUNNING, doing="navigated")
    _position(s, position)
    s = advance(s, mono, max_gap_s)
    if s.status is ExamStatus.SUBMITTED:
        return s
    return replace(s, current=position)


def answer(
    s: Sitting,
    position: int,
    chosen: Sequence[str],
    mono: float,
    now: datetime,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
) -> Sitting:
    """Set (or, with nothing chosen, clear) the answer to a question; it becomes current.

    Option ids must be the question's; they are kept in the order the learner saw them.
    An answer given after the time ran out is not taken: the sitting comes back submitted.
    """
    _require(s, ExamStatus.RUNNING, doing="answered")
    _position(s, position)
    item = s.items[position]
    unknown = sorted(set(chosen) - set(item.option_order))
    if unknown:
        raise ExamError(f"Question {position + 1} of this exam has no option {', '.join(unknown)}.")
    s = advance(s, mono, max_gap_s)
    if s.status is ExamStatus.SUBMITTED:
        return s
    picked = tuple(o for o in item.option_order if o in set(chosen))
    item = s.items[position]
    new = replace(item, chosen=picked, answered_at=now if picked else None)
    items = (*s.items[:position], new, *s.items[position + 1 :])
    return replace(s, items=items, current=position)


def flag(
    s: Sitting, position: int, flagged: bool, mono: float, max_gap_s: float = DEFAULT_MAX_GAP_S
) -> Sitting:
    """Mark a question for review before submitting (or unmark it)."""
    _require(s, ExamStatus.RUNNING, doing="flagged")
    _position(s, position)
    s = advance(s, mono, max_gap_s)
    if s.status is ExamStatus.SUBMITTED:
        return s
    item = replace(s.items[position], flagged=flagged)
    return replace(s, items=(*s.items[:position], item, *s.items[position + 1 :]))


def submit(s: Sitting, mono: float, max_gap_s: float = DEFAULT_MAX_GAP_S) -> Sitting:
    """Hand the exam in (running, interrupted or paused)."""
    _require(s, ExamStatus.RUNNING, ExamStatus.PAUSED, doing="submitted")
    s = advance(s, mono, max_gap_s)
    if s.status is ExamStatus.SUBMITTED:
        return s
    return replace(s, status=ExamStatus.SUBMITTED, anchor=None, ended_by=EndedBy.LEARNER)
