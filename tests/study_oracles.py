"""SQL reference implementations the study cache is checked against (test oracles).

The app reads these figures from its in-process study cache
(:mod:`studyapp.services.study.cache`); these grouped queries say the same thing straight
from the tables, so tests can compare the two. They are not used by the app.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, and_, case, func, select, type_coerce
from sqlalchemy.orm import Session

from studyapp.storage.library import superseded_ids
from studyapp.storage.models import MemoryStateRow, QuestionRow, ReviewLogRow
from studyapp.storage.study import (
    DAY_MS,
    PlanningRow,
    active_planning_select,
    planning_rows_of,
)


def load_planning_rows(session: Session) -> list[PlanningRow]:
    """Every active question with its skill key and memory state, through the ORM (the
    app reads the same rows on the driver: :func:`studyapp.storage.study.load_planning_table`)."""
    return planning_rows_of(session, active_planning_select())


def answers_per_day(
    session: Session, since: datetime, day_offset_ms: int
) -> dict[int, tuple[int, int, int]]:
    """Local day number (days since the epoch, shifted by ``day_offset_ms``) ->
    (answers, correct, milliseconds spent), for answers since ``since``."""
    day = ((type_coerce(ReviewLogRow.answered_at, Integer) + day_offset_ms) // DAY_MS).label("day")
    stmt = (
        select(
            day,
            func.count(),
            func.sum(case((ReviewLogRow.correct, 1), else_=0)),
            func.sum(ReviewLogRow.response_ms),
        )
        .where(ReviewLogRow.answered_at >= since)
        .group_by(day)
    )
    return {int(d): (int(n), int(c or 0), int(ms or 0)) for d, n, c, ms in session.execute(stmt)}


def due_counts_by_day(session: Session, until: datetime, day_offset_ms: int) -> dict[int, int]:
    """Local day number -> questions falling due that day (overdue ones on their due day)."""
    day = ((type_coerce(MemoryStateRow.due, Integer) + day_offset_ms) // DAY_MS).label("day")
    stmt = (
        select(day, func.count())
        .join(QuestionRow, QuestionRow.id == MemoryStateRow.question_id)
        .where(
            and_(
                MemoryStateRow.due < until,
                QuestionRow.retired.is_(False),
                QuestionRow.id.not_in(superseded_ids()),
                MemoryStateRow.suspended.is_(False),
            )
        )
        .group_by(day)
    )
    return {int(d): int(n) for d, n in session.execute(stmt)}


def count_reviews(session: Session) -> int:
    """All answers in the log."""
    return int(session.scalar(select(func.count()).select_from(ReviewLogRow)) or 0)
