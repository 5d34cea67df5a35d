"""Grading one answer: which options count, right or wrong, the FSRS rating, the new memory
state and the leech count, as one pure function.

``services.study.service`` records answers two ways (a lean direct write while studying, and the
ORM path for exams and cold starts); both call :func:`grade_answer`, so the rows they
write cannot drift apart. The pieces of the rule keep their own homes and documents
(:mod:`~studyapp.domain.rating`, :mod:`~studyapp.domain.leech`,
:func:`~studyapp.domain.memory.review`, :func:`~studyapp.domain.planner.exam_schedule`);
this module is the order in which they apply:

1. the chosen options, de-duplicated in the order given, must be options of the question
   (else :class:`~studyapp.domain.errors.StudyAppError`: nothing is recorded);
2. all-or-nothing correctness; the rating from correctness, "I guessed", the seconds
   taken and the question's length in words (stem and option texts);
3. unless the answer is a cram answer (which leaves the schedule and the leech count
   alone, so a last-minute run-through does not distort the memory model): the memory
   state after the review, with the retention target and longest interval the exam date
   sets, and the leech count and flag after the answer.

A memory state with no repetitions is treated as no state (a question never answered).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from fsrs import Rating

from studyapp.domain import leech as leech_rule
from studyapp.domain.errors import StudyAppError
from studyapp.domain.memory import DEFAULT_PARAMETERS, MemoryState, review
from studyapp.domain.planner import exam_schedule
from studyapp.domain.question import Question
from studyapp.domain.rating import rate_answer

# Answers that only rehearse: they are logged but change neither memory nor leech count.
UNSCHEDULED_MODES = frozenset({"cram"})


@dataclass(frozen=True, slots=True)
class PriorState:
    """The question's state before the answer: memory (None if never answered), leech count."""

    memory: MemoryState | None = None
    wrong_count: int = 0
    leech: bool = False


@dataclass(frozen=True, slots=True)
class ScheduleContext:
    """What sets the review's retention target and longest interval: the learner's study day,
    their exam date (if any), their desired retention and their fitted FSRS parameters."""

    study_day: date
    exam_date: date | None
    desired_retention: float
    parameters: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Graded:
    """What one answer comes to. ``after`` is None for an unscheduled (cram) answer."""

    chosen: tuple[str, ...]
    correct: bool
    rating: Rating
    after: MemoryState | None
    wrong_count: int
    leech: bool


def question_words(q: Question) -> int:
    """The question's length for the speed rule: words of its stem and option texts."""
    return len(" ".join([q.stem, *(o.text for o in q.options)]).split())


@dataclass(frozen=True, slots=True)
class MemoryUpdate:
    """What an answer of known correctness does to the question's state."""

    rating: Rating
    after: MemoryState | None
    wrong_count: int
    leech: bool


def update_after_answer(
    correct: bool,
    *,
    guessed: bool,
    seconds: float,
    words: int,
    reschedule: bool,
    prior: PriorState,
    now: datetime,
    retention: float,
    max_interval_days: int,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> MemoryUpdate:
    """Steps 2 and 3 of the rule for an answer whose correctness is known: the rating, then
    (when ``reschedule``; not for a cram answer) the review and the leech count.

    :func:`grade_answer` uses it for every answer the app records; the learning
    simulation (``services.simulation.experiment``), whose simulated learners answer right or wrong
    without choosing options, uses it too, so both follow the same rule.
    """
    rating = rate_answer(correct, guessed, seconds, words)
    if not reschedule:
        return MemoryUpdate(rating, None, prior.wrong_count, prior.leech)
    before = prior.memory if prior.memory is not None and prior.memory.reps > 0 else None
    after = review(
        before,
        rating,
        now,
        desired_retention=retention,
        parameters=parameters,
        max_interval_days=max_interval_days,
    )
    wrong, is_leech = leech_rule.after_answer(correct, prior.wrong_count, prior.leech)
    return MemoryUpdate(rating, after, wrong, is_leech)


def grade_answer(
    q: Question,
    chosen: Sequence[str],
    seconds: float,
    *,
    guessed: bool,
    mode: str,
    prior: PriorState,
    now: datetime,
    schedule: ScheduleContext,
    ref: str,
) -> Graded:
    """Grade one answer to ``q`` given at ``now`` (UTC-aware) after ``seconds``.

    ``ref`` names the question in the error raised when ``chosen`` is empty or names
    options ``q`` does not have. Pure: the inputs are not changed.
    """
    picked = tuple(dict.fromkeys(chosen))
    if not picked or not set(picked) <= {o.id for o in q.options}:
        raise StudyAppError(f"Answer for {ref} names options that do not exist: {picked}.")
    correct = q.is_correct(set(picked))
    retention, max_days = exam_schedule(
        schedule.study_day, schedule.exam_date, schedule.desired_retention
    )
    update = update_after_answer(
        correct,
        guessed=guessed,
        seconds=seconds,
        words=question_words(q),
        reschedule=mode not in UNSCHEDULED_MODES,
        prior=prior,
        now=now,
        retention=retention,
        max_interval_days=max_days,
        parameters=schedule.parameters,
    )
    return Graded(picked, correct, update.rating, update.after, update.wrong_count, update.leech)
