"""How big a session the daily goal asks for, and why a session came out smaller.

The daily goal (minutes, asked in the welcome dialog and in Settings) is turned into
questions with the learner's own pace: the median seconds per answer over the latest
practice answers, or :data:`DEFAULT_SECONDS` until there are :data:`MIN_ANSWERS_FOR_PACE`
of them (CETL items are scenario questions of 60-120 words: about 45 s to read, choose
and glance at the feedback). The same figure tells whether an exam date's pace of new
questions fits in the goal.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from studyapp.domain.planner import Plan
from studyapp.domain.settings import long_date
from studyapp.domain.words import plural

DEFAULT_SECONDS = 45.0
MIN_ANSWERS_FOR_PACE = 20
PACE_WINDOW = 200  # latest answers the median is taken over
MIN_SESSION, MAX_SESSION = 5, 200
# Answer times outside these bounds (a learner who walked away) do not set the pace.
FASTEST_S, SLOWEST_S = 3.0, 600.0


@dataclass(frozen=True, slots=True)
class Pace:
    """Seconds per answer and whether it was measured (else the default)."""

    seconds_per_answer: float
    measured: bool
    answers: int  # how many answers it rests on

    def questions_in(self, minutes: float) -> int:
        """How many questions fit in ``minutes`` at this pace (at least one)."""
        return max(1, math.floor(minutes * 60 / self.seconds_per_answer))


def pace_of(response_ms: Sequence[int]) -> Pace:
    """The pace from the latest answers' response times (milliseconds)."""
    usable = [ms / 1000 for ms in response_ms if FASTEST_S <= ms / 1000 <= SLOWEST_S]
    if len(usable) < MIN_ANSWERS_FOR_PACE:
        return Pace(DEFAULT_SECONDS, False, len(usable))
    return Pace(round(statistics.median(usable), 1), True, len(usable))


@dataclass(frozen=True, slots=True)
class SessionSize:
    """The session size the daily goal asks for, with the figures behind it."""

    questions: int
    goal_minutes: int
    pace: Pace

    def explanation(self) -> str:
        """One plain sentence, e.g. for a tooltip or the Settings screen."""
        how = (
            f"your median of {self.pace.seconds_per_answer:g} seconds per answer"
            if self.pace.measured
            else f"about {self.pace.seconds_per_answer:g} seconds per answer until you have "
            f"answered {MIN_ANSWERS_FOR_PACE} questions"
        )
        return (
            f"Your daily goal of {plural(self.goal_minutes, 'minute')} is about "
            f"{plural(self.questions, 'question')} at {how}."
        )


def session_size(goal_minutes: int, pace: Pace) -> SessionSize:
    """The number of questions that fill ``goal_minutes`` at ``pace``, within bounds."""
    n = min(MAX_SESSION, max(MIN_SESSION, pace.questions_in(goal_minutes)))
    return SessionSize(n, goal_minutes, pace)


def pacing_note(
    pace_per_day: int | None, goal: SessionSize, due_today: int, exam_date: str | None
) -> str | None:
    """With an exam date: does the needed pace of new questions fit in the daily goal?

    ``pace_per_day`` is the planner's exam pace (new questions a day to see the whole bank
    in time); ``due_today`` the reviews due now, which share the same minutes.
    """
    if exam_date is None or pace_per_day is None:
        return None
    needed = pace_per_day + due_today
    if needed <= goal.questions:
        return None
    minutes = math.ceil(needed * goal.pace.seconds_per_answer / 60)
    besides = f" besides today's {plural(due_today, 'review')}" if due_today else ""
    return (
        f"To see every question before your exam on {long_date(date.fromisoformat(exam_date))}"
        f", about {pace_per_day} new questions a day are needed{besides}: about "
        f"{plural(minutes, 'minute')} a day, more than your goal of "
        f"{plural(goal.goal_minutes, 'minute')}."
    )


def shortfall_reason(
    asked: int,
    plan: Plan,
    *,
    mode: str,
    unseen_left: int,
    daily_limit: int,
    where: str | None = None,
) -> str | None:
    """Why ``plan`` holds fewer than ``asked`` questions, in one sentence; None if it does
    not. ``unseen_left``: never-answered questions that could be introduced (in ``where``,
    a skill area's title, when the session is limited to one)."""
    got = len(plan.items)
    if got >= asked:
        return None
    scope = f" in {where}" if where else ""
    head = f"You asked for {plural(asked, 'question')}; this session has {got}: "
    if mode == "missed":
        return head + f"only {got} you last answered wrong {'is' if got == 1 else 'are'} waiting."
    if mode == "unseen":
        return head + f"only {got} {'is' if got == 1 else 'are'} new{scope}."
    if mode == "cram":
        return head + f"only {got} {'is' if got == 1 else 'are'} active{scope}."
    new = sum(1 for it in plan.items if it.reason in ("new", "unseen"))
    reviews = got - new
    due = (
        "no review is due now"
        if reviews == 0
        else f"only {plural(reviews, 'review')} {'is' if reviews == 1 else 'are'} due now"
    )
    if unseen_left <= new:
        return head + f"every question{scope} has been seen, and {due}."
    if plan.new_allowed <= new:
        limit = max(daily_limit, plan.pace or 0)
        return (
            head + f"today's limit of {plural(limit, 'new question')} is reached (New "
            f"questions per day, in Settings), and {due}."
        )
    return head + f"{due}, and no other question is worth asking yet."
