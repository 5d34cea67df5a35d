"""Study sessions (``study_session`` rows) and the learner's recent answer times."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.storage.models import ReviewLogRow, StudySessionRow
from studyapp.storage.types import to_millis


def start_session(
    session: Session, *, mode: str, skill: str | None, planned: int, started_at: datetime
) -> int:
    """Insert a session row and return its id (answers then name it)."""
    row = StudySessionRow(mode=mode, skill_key=skill, started_at=started_at, planned=planned)
    session.add(row)
    session.flush()
    return row.id


def start_session_direct(
    conn: sqlite3.Connection, *, mode: str, skill: str | None, planned: int, started_at: datetime
) -> int:
    """:func:`start_session` on a driver connection inside its transaction
    (``Database.direct_write``): the same row, one prepared statement."""
    cursor = conn.execute(
        "INSERT INTO study_session (mode, skill_key, started_at, ended_at, planned) "
        "VALUES (?, ?, ?, NULL, ?)",
        (mode, skill, to_millis(started_at), planned),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def end_session(session: Session, session_id: int, ended_at: datetime) -> bool:
    """Mark a session ended; False if it does not exist (a restore may have dropped it)."""
    row = session.get(StudySessionRow, session_id)
    if row is None:
        return False
    row.ended_at = ended_at
    session.flush()
    return True


def recent_response_ms(session: Session, limit: int) -> list[int]:
    """Response times of the newest ``limit`` practice answers (mock exams excluded)."""
    stmt = (
        select(ReviewLogRow.response_ms)
        .where(ReviewLogRow.mode != "exam")
        .order_by(ReviewLogRow.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
