"""The review log: recording an answer (and undoing it) with the memory state it moves,
and reading the log back (for fitting, for the study cache's facts, for its newest id).

An answer is written one of two ways with the same result: through the session
(:func:`record_answer`) or, on the path from a click to the next question, as four
driver statements (:func:`record_answer_direct`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from studyapp.domain.memory import MemoryState
from studyapp.storage.models import MemoryStateRow, ReviewLogRow
from studyapp.storage.study import PlanningRow, memory_of
from studyapp.storage.types import dump_json, from_millis, to_millis


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """Everything an answer writes."""

    qid: int
    question_ref: str
    skill_key: str
    answered_at: datetime
    chosen: tuple[str, ...]
    correct: bool
    response_ms: int
    mode: str
    rating: int
    guessed: bool
    after: MemoryState | None  # None: the schedule does not move (cram)
    wrong_count: int
    leech: bool
    session_id: int | None = None
    exam_id: int | None = None


def _snapshot(mem: Any) -> dict[str, Any] | None:
    """The memory state row ``mem`` (ORM object or Core row) as ``memory_before`` keeps it."""
    if mem is None:
        return None
    return {
        "memory": memory_of(mem).to_dict(),
        "suspended": mem.suspended,
        "buried_until": mem.buried_until.isoformat() if mem.buried_until else None,
        "leech": mem.leech,
        "first_seen": mem.first_seen.isoformat(),
        "last_correct": mem.last_correct,
        "wrong_count": mem.wrong_count,
    }


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    """What :func:`record_answer` wrote: the log row's id and whether it is a first attempt."""

    review_id: int
    first_attempt: bool


def record_answer(session: Session, rec: AnswerRecord) -> RecordedAnswer:
    """Write one answer and the memory it leaves.

    The memory state it replaces is stored in the log row, so :func:`undo_last_answer`
    restores it exactly. :func:`row_after_answer` tells, without reading it back, what the
    question's planning row is once this is committed.
    """
    # Core statements, not ORM objects: an answer is the hot path (docs/performance.md),
    # and nothing here needs the unit of work's bookkeeping.
    table = cast(Table, MemoryStateRow.__table__)
    mem = session.execute(select(table).where(table.c.question_id == rec.qid)).one_or_none()
    first = (
        mem is None
        and session.scalar(
            select(func.count())
            .select_from(ReviewLogRow)
            .where(ReviewLogRow.question_id == rec.qid)
        )
        == 0
    )
    inserted = session.execute(
        insert(ReviewLogRow).values(
            question_id=rec.qid,
            question_ref=rec.question_ref,
            skill_key=rec.skill_key,
            answered_at=rec.answered_at,
            chosen=list(rec.chosen),
            correct=rec.correct,
            response_ms=rec.response_ms,
            mode=rec.mode,
            rating=rec.rating,
            guessed=rec.guessed,
            first_attempt=bool(first),
            session_id=rec.session_id,
            exam_id=rec.exam_id,
            memory_before=_snapshot(mem),
        )
    )
    key = cast(CursorResult[Any], inserted).inserted_primary_key
    assert key is not None
    review_id = int(key[0])
    if rec.after is not None:
        a = rec.after
        values = {
            "fsrs_state": a.state,
            "step": a.step,
            "stability": a.stability,
            "difficulty": a.difficulty,
            "due": a.due,
            "last_review": a.last_review,
            "reps": a.reps,
            "lapses": a.lapses,
            "last_correct": rec.correct,
            "wrong_count": rec.wrong_count,
            "leech": rec.leech,
            "buried_until": None,
        }
        if mem is None:
            session.execute(
                insert(table).values(
                    question_id=rec.qid, first_seen=rec.answered_at, suspended=False, **values
                )
            )
        else:
            session.execute(update(table).where(table.c.question_id == rec.qid).values(**values))
    return RecordedAnswer(review_id, bool(first))


class _StoredMemory(NamedTuple):
    """A ``memory_state`` row read on the driver, with the values the ORM types give."""

    fsrs_state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    buried_until: datetime | None
    leech: bool
    first_seen: datetime
    last_correct: bool | None
    wrong_count: int


_MEMORY_SQL = (
    "SELECT fsrs_state, step, stability, difficulty, due, last_review, reps, lapses, "
    "suspended, buried_until, leech, first_seen, last_correct, wrong_count "
    "FROM memory_state WHERE question_id = ?"
)
_ANSWERED_SQL = "SELECT 1 FROM review_log WHERE question_id = ? LIMIT 1"
_LOG_INSERT_SQL = (
    "INSERT INTO review_log (question_id, question_ref, skill_key, answered_at, chosen, "
    "correct, response_ms, mode, rating, guessed, first_attempt, session_id, exam_id, "
    "memory_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_MEMORY_INSERT_SQL = (
    "INSERT INTO memory_state (question_id, first_seen, suspended, fsrs_state, step, "
    "stability, difficulty, due, last_review, reps, lapses, last_correct, wrong_count, "
    "leech, buried_until) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"
)
_MEMORY_UPDATE_SQL = (
    "UPDATE memory_state SET fsrs_state = ?, step = ?, stability = ?, difficulty = ?, "
    "due = ?, last_review = ?, reps = ?, lapses = ?, last_correct = ?, wrong_count = ?, "
    "leech = ?, buried_until = NULL WHERE question_id = ?"
)


def record_answer_direct(conn: sqlite3.Connection, rec: AnswerRecord) -> RecordedAnswer:
    """:func:`record_answer` on a driver connection inside its transaction
    (:meth:`~studyapp.storage.database.Database.direct_write`): the same rows, byte for
    byte (``tests/storage/test_direct_answer.py`` compares both), in four statements the
    driver compiles once per connection (at most: the first-attempt lookup runs only for a
    question with no memory state)."""
    raw = conn.execute(_MEMORY_SQL, (rec.qid,)).fetchone()
    mem = None
    if raw is not None:
        mem = _StoredMemory(
            raw[0],
            raw[1],
            raw[2],
            raw[3],
            from_millis(raw[4]),
            None if raw[5] is None else from_millis(raw[5]),
            raw[6],
            raw[7],
            bool(raw[8]),
            None if raw[9] is None else from_millis(raw[9]),
            bool(raw[10]),
            from_millis(raw[11]),
            None if raw[12] is None else bool(raw[12]),
            raw[13],
        )
    first = mem is None and conn.execute(_ANSWERED_SQL, (rec.qid,)).fetchone() is None
    before = _snapshot(mem)
    cursor = conn.execute(
        _LOG_INSERT_SQL,
        (
            rec.qid,
            rec.question_ref,
            rec.skill_key,
            to_millis(rec.answered_at),
            dump_json(list(rec.chosen)),
            int(rec.correct),
            rec.response_ms,
            rec.mode,
            rec.rating,
            int(rec.guessed),
            int(first),
            rec.session_id,
            rec.exam_id,
            None if before is None else dump_json(before),
        ),
    )
    review_id = cursor.lastrowid
    assert review_id is not None
    a = rec.after
    if a is not None:
        values = (
            a.state,
            a.step,
            a.stability,
            a.difficulty,
            to_millis(a.due),
            None if a.last_review is None else to_millis(a.last_review),
            a.reps,
            a.lapses,
            int(rec.correct),
            rec.wrong_count,
            int(rec.leech),
        )
        if mem is None:
            conn.execute(_MEMORY_INSERT_SQL, (rec.qid, to_millis(rec.answered_at), *values))
        else:
            conn.execute(_MEMORY_UPDATE_SQL, (*values, rec.qid))
    return RecordedAnswer(int(review_id), bool(first))


def as_stored(moment: datetime) -> datetime:
    """``moment`` as it reads back from the database (whole milliseconds)."""
    return from_millis(to_millis(moment))


def row_after_answer(row: PlanningRow, rec: AnswerRecord) -> PlanningRow:
    """The planning row :func:`load_planning_row` would read after ``rec`` was recorded
    over ``row`` (what :func:`record_answer` writes, times rounded as stored)."""
    a = rec.after
    if a is None:  # cram: the memory state is left alone
        return row
    memory = MemoryState(
        state=a.state,
        step=a.step,
        stability=a.stability,
        difficulty=a.difficulty,
        due=as_stored(a.due),
        last_review=None if a.last_review is None else as_stored(a.last_review),
        reps=a.reps,
        lapses=a.lapses,
    )
    return PlanningRow(
        qid=row.qid,
        skill=row.skill,
        difficulty=row.difficulty,
        memory=memory,
        suspended=row.suspended if row.memory is not None else False,
        leech=rec.leech,
        buried_until=None,
        last_correct=rec.correct,
        wrong_count=rec.wrong_count,
        first_seen=row.first_seen if row.memory is not None else as_stored(rec.answered_at),
    )


def undo_last_answer(session: Session, mode_in: tuple[str, ...]) -> tuple[int, int] | None:
    """Delete the newest answer whose mode is in ``mode_in`` and restore the memory it
    replaced; returns (review id, question id), or None when there is nothing to undo."""
    log = session.scalar(
        select(ReviewLogRow)
        .where(ReviewLogRow.mode.in_(mode_in))
        .order_by(ReviewLogRow.id.desc())
        .limit(1)
    )
    if log is None or log.question_id is None:
        return None
    qid, rid = log.question_id, log.id
    before = log.memory_before
    mem = session.get(MemoryStateRow, qid)
    if log.mode != "cram":
        if before is None:
            if mem is not None:
                session.delete(mem)
        else:
            m = MemoryState.from_dict(before["memory"])
            if mem is None:
                mem = MemoryStateRow(question_id=qid)
                session.add(mem)
            mem.fsrs_state, mem.step, mem.stability, mem.difficulty = (
                m.state,
                m.step,
                m.stability,
                m.difficulty,
            )
            mem.due, mem.last_review, mem.reps, mem.lapses = m.due, m.last_review, m.reps, m.lapses
            mem.suspended = bool(before["suspended"])
            mem.buried_until = (
                datetime.fromisoformat(before["buried_until"]) if before["buried_until"] else None
            )
            mem.leech = bool(before["leech"])
            mem.first_seen = datetime.fromisoformat(before["first_seen"])
            mem.last_correct = before["last_correct"]
            mem.wrong_count = int(before["wrong_count"])
    session.execute(delete(ReviewLogRow).where(ReviewLogRow.id == rid))
    session.flush()
    return rid, qid


def review_log_for_fitting(session: Session) -> list[tuple[int, datetime, int]]:
    """(question id, time, rating) of every scheduling answer, by question then time."""
    stmt = (
        select(ReviewLogRow.question_id, ReviewLogRow.answered_at, ReviewLogRow.rating)
        .where(ReviewLogRow.question_id.is_not(None), ReviewLogRow.mode != "cram")
        .order_by(ReviewLogRow.question_id, ReviewLogRow.answered_at, ReviewLogRow.id)
    )
    return [(q, t, r) for q, t, r in session.execute(stmt) if q is not None]


def newest_review_id(session: Session) -> int:
    """The newest review-log id, 0 for an empty log (one index lookup)."""
    return int(session.scalar(select(func.max(ReviewLogRow.id))) or 0)


REVIEW_LOG_GROUPS_SQL = (
    "SELECT skill_key, first_attempt, correct, group_concat(answered_at), count(*), "
    "sum(response_ms) FROM review_log GROUP BY skill_key, first_attempt, correct"
)


def review_log_groups(session: Session) -> Iterator[tuple[str, int, int, str, int, int]]:
    """Per (skill key, first attempt 0/1, correct 0/1): the answer times (milliseconds,
    comma-separated, in no particular order), how many, and the milliseconds spent.

    Forty-odd rows for a million answers, yielded one by one: the study cache parses the
    times in C (``map(int, ...)``) instead of building a Python tuple per answer. The covering index
    ``ix_review_log_facts`` (revision 0003) holds exactly these columns in this order, so
    SQLite reads the index alone, already grouped, and never the table's JSON columns.
    """
    result = session.connection().exec_driver_sql(REVIEW_LOG_GROUPS_SQL)
    # One group at a time (streamed while ``session`` is open): the comma-separated times
    # of a million answers are ~14 MB of text, parsed and dropped group by group.
    for r in result:
        yield (r[0], int(r[1]), int(r[2]), r[3] or "", int(r[4]), int(r[5] or 0))
