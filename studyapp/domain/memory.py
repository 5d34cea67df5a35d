"""FSRS memory per question, through py-fsrs, without its clock or its randomness.

:func:`review` is the single place an answer changes a memory state. It returns a new
:class:`MemoryState` and never mutates its input. py-fsrs would read the wall clock for a
card's id and due date, and the global random generator for interval fuzz: here every card
gets an explicit id and due date, and fuzzing is off (the planner interleaves instead).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from studyapp.domain.clock import require_utc

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(Scheduler().parameters)
MAX_INTERVAL_DAYS = 36_500


@dataclass(frozen=True, slots=True)
class MemoryState:
    """What FSRS knows about the learner's memory of one question."""

    state: int  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored in the review log for exact undo)."""
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MemoryState:
        """Inverse of :meth:`to_dict`."""
        return cls(
            state=int(data["state"]),
            step=data["step"],
            stability=data["stability"],
            difficulty=data["difficulty"],
            due=datetime.fromisoformat(data["due"]),
            last_review=datetime.fromisoformat(data["last_review"])
            if data["last_review"]
            else None,
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
        )


@lru_cache(maxsize=64)
def _scheduler(parameters: tuple[float, ...], retention: float, max_days: int) -> Scheduler:
    # No sub-day learning steps: a question never returns within a session (the planner
    # interleaves and explains instead), so steps of 1 and 10 minutes would only turn into
    # extra next-day reviews. See docs/decisions/0006-fsrs-without-learning-steps.md.
    return Scheduler(
        parameters=parameters,
        desired_retention=retention,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=max_days,
        enable_fuzzing=False,
    )


def _card(state: MemoryState | None, now: datetime) -> Card:
    if state is None:
        return Card(card_id=1, state=State.Learning, step=0, due=now)
    return Card(
        card_id=1,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def review(
    state: MemoryState | None,
    rating: Rating,
    now: datetime,
    *,
    desired_retention: float = 0.9,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    max_interval_days: int = MAX_INTERVAL_DAYS,
) -> MemoryState:
    """The memory state after answering with ``rating`` at ``now`` (``None``: first sight).

    ``max_interval_days`` lets the planner keep the next review before the exam date.
    """
    require_utc(now, "now")
    sched = _scheduler(tuple(parameters), round(desired_retention, 4), max(1, max_interval_days))
    card, _log = sched.review_card(_card(state, now), rating, review_datetime=now)
    reps = (state.reps if state else 0) + 1
    lapses = (state.lapses if state else 0) + (
        1 if rating == Rating.Again and state is not None and state.state == State.Review else 0
    )
    return MemoryState(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=reps,
        lapses=lapses,
    )


def retrievability(
    state: MemoryState | None, now: datetime, parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> float:
    """Probability that the learner recalls the answer at ``now`` (0 for an unseen question)."""
    if state is None or state.stability is None or state.last_review is None:
        return 0.0
    sched = _scheduler(tuple(parameters), 0.9, MAX_INTERVAL_DAYS)
    return float(sched.get_card_retrievability(_card(state, now), current_datetime=now))


def with_due(state: MemoryState, due: datetime) -> MemoryState:
    """A copy with another due date (e.g. buried until tomorrow)."""
    return replace(state, due=due)


def days_between(a: datetime, b: datetime) -> float:
    """Signed days from ``a`` to ``b``."""
    return (b - a) / timedelta(days=1)


def forgetting_curve(parameters: Sequence[float] = DEFAULT_PARAMETERS) -> tuple[float, float]:
    """(decay, factor) of FSRS's power forgetting curve for these parameters."""
    decay = -float(parameters[20])
    factor = 0.9 ** (1 / decay) - 1
    return decay, factor


def retrievability_after(
    stability: float, elapsed_days: float, curve: tuple[float, float]
) -> float:
    """FSRS retrievability after ``elapsed_days`` whole days (as py-fsrs computes it).

    The same formula as :func:`retrievability` without building a card, for statistics over
    many questions at once.
    """
    decay, factor = curve
    return float((1 + factor * max(0, int(elapsed_days)) / stability) ** decay)


STABILITY_MIN = 0.001


def stability_after_review(
    difficulty: float,
    stability: float,
    retrievability: float,
    recalled: bool,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> float:
    """FSRS-6 stability after a review on a later day: "Good" if recalled, else "Again".

    The same formulas as py-fsrs's scheduler, as plain arithmetic: the planner evaluates
    thousands of hypothetical reviews per session and cannot afford a card object each.
    ``tests/domain/test_memory.py`` checks it against py-fsrs.
    """
    w = parameters
    if recalled:
        growth = (
            math.exp(w[8])
            * (11 - difficulty)
            * stability ** -w[9]
            * (math.exp((1 - retrievability) * w[10]) - 1)
        )
        return max(float(stability * (1 + growth)), STABILITY_MIN)
    long_term = (
        w[11]
        * difficulty ** -w[12]
        * ((stability + 1) ** w[13] - 1)
        * math.exp((1 - retrievability) * w[14])
    )
    short_term = stability / math.exp(w[17] * w[18])
    return max(float(min(long_term, short_term)), STABILITY_MIN)
