"""Statistics queries: the review log and mock exams, aggregated in SQL.

Everything the Statistics screen, the progress report and the CSV export show comes from
a handful of grouped queries, so a log of a million answers comes back as a few thousand
rows (one per study day, skill area, first-attempt flag and correctness), never as a scan
into Python.

Study days: an instant ``t`` (UTC milliseconds) belongs to the local study day
``(t + shift) // DAY_MS`` (days since 1970-01-01), where ``shift`` is the local UTC offset
minus the 04:00 rollover. The offset changes at daylight-saving transitions, so callers
pass :class:`DayShift` periods and the day is computed with the offset that applied at
``t`` (a single offset would move a 04:30 summer answer into the previous day in winter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, case, func, select, type_coerce
from sqlalchemy.orm import Session

from studyapp.storage.models import ExamRow, ReviewLogRow

DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class DayShift:
    """From ``start_ms`` on (until the next shift), study day = (t + shift_ms) // DAY_MS."""

    start_ms: int
    shift_ms: int


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """Answers of one study day and skill area, split by first attempt and correctness."""

    day: int  # days since 1970-01-01 (local study day)
    skill: str
    first_attempt: bool
    correct: bool
    answers: int
    response_ms: int


@dataclass(frozen=True, slots=True)
class ExamResultRow:
    """A submitted mock exam, as the ``exam`` table stores it."""

    code: str
    length: int
    submitted_at: datetime
    raw_correct: int | None
    scaled_score: int | None


def study_day_of(column: Any, shifts: Sequence[DayShift]) -> Any:
    """SQL expression: the study day number of an instant column stored as UTC ms."""
    if not shifts:
        raise ValueError("at least one DayShift is needed")
    ms = type_coerce(column, Integer)
    ordered = sorted(shifts, key=lambda s: s.start_ms)
    if len(ordered) == 1:
        return (ms + ordered[0].shift_ms) // DAY_MS
    whens = [(ms >= s.start_ms, (ms + s.shift_ms) // DAY_MS) for s in reversed(ordered[1:])]
    return case(*whens, else_=(ms + ordered[0].shift_ms) // DAY_MS)


def activity_by_day(
    session: Session, shifts: Sequence[DayShift], since: datetime | None = None
) -> list[ActivityRow]:
    """Every answer (since ``since``) grouped by study day, skill, first attempt, correct.

    One pass over the log; the result has at most days x skills x 4 rows.
    """
    day = study_day_of(ReviewLogRow.answered_at, shifts).label("day")
    stmt = select(
        day,
        ReviewLogRow.skill_key,
        ReviewLogRow.first_attempt,
        ReviewLogRow.correct,
        func.count(),
        func.coalesce(func.sum(ReviewLogRow.response_ms), 0),
    ).group_by(day, ReviewLogRow.skill_key, ReviewLogRow.first_attempt, ReviewLogRow.correct)
    if since is not None:
        stmt = stmt.where(ReviewLogRow.answered_at >= since)
    return [
        ActivityRow(int(d), str(skill), bool(first), bool(correct), int(n), int(ms))
        for d, skill, first, correct, n, ms in session.execute(stmt)
    ]


def first_answer_at(session: Session) -> datetime | None:
    """When the first answer in the log was given (None for an empty log)."""
    value = session.scalar(select(func.min(ReviewLogRow.answered_at)))
    return value if isinstance(value, datetime) else None


def submitted_exams(session: Session) -> list[ExamResultRow]:
    """Submitted mock exams, oldest first (an exam still running is not a result)."""
    stmt = (
        select(
            ExamRow.code,
            ExamRow.length,
            ExamRow.submitted_at,
            ExamRow.raw_correct,
            ExamRow.scaled_score,
        )
        .where(ExamRow.submitted_at.is_not(None))
        .order_by(ExamRow.submitted_at, ExamRow.id)
    )
    return [
        ExamResultRow(str(code), int(length), at, raw, scaled)
        for code, length, at, raw, scaled in session.execute(stmt)
        if at is not None
    ]
