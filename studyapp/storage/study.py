"""Study data: what the planner and mastery read, and recording (and undoing) answers.

Every read here is one grouped query, never a scan into Python of the whole review log:
evidence is aggregated by skill, first attempt, correctness and day.
"""

from __future__ import annotations

import re
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, cast, overload

from sqlalchemy import (
    Integer,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from studyapp.domain.memory import MemoryState
from studyapp.domain.question import Question
from studyapp.storage.library import superseded_ids
from studyapp.storage.models import (
    MediaRow,
    MemoryStateRow,
    PackRow,
    QuestionRow,
    ReviewLogRow,
    SkillAreaRow,
)
from studyapp.storage.question_rows import options_and_tags, question_of
from studyapp.storage.types import dump_json, from_millis, to_millis

DAY_MS = 86_400_000


class PlanningRow(NamedTuple):
    """One active question with its memory, for the planner.

    A named tuple rather than a frozen dataclass: the study cache holds one per active
    question (100,000 in a merged bank), and a frozen dataclass took ten times as long to
    build (its ``__init__`` sets each field through ``object.__setattr__``).
    """

    qid: int
    skill: str | None
    difficulty: int
    memory: MemoryState | None
    suspended: bool
    leech: bool
    buried_until: datetime | None
    last_correct: bool | None
    wrong_count: int
    first_seen: datetime | None


def _memory(row: Any) -> MemoryState:
    return MemoryState(
        state=row.fsrs_state,
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
    )


def _planning_select() -> Any:
    # Plain columns, instants as raw milliseconds: building ORM objects and converting
    # every instant cost seconds at 100,000 questions (docs/performance.md); only the
    # seen questions' instants are converted, below.
    m = MemoryStateRow
    return (
        select(
            QuestionRow.id,
            SkillAreaRow.key,
            QuestionRow.difficulty,
            m.question_id,
            m.fsrs_state,
            m.step,
            m.stability,
            m.difficulty,
            type_coerce(m.due, Integer),
            type_coerce(m.last_review, Integer),
            m.reps,
            m.lapses,
            m.suspended,
            type_coerce(m.buried_until, Integer),
            m.leech,
            type_coerce(m.first_seen, Integer),
            m.last_correct,
            m.wrong_count,
        )
        .outerjoin(SkillAreaRow, SkillAreaRow.id == QuestionRow.skill_area_id)
        .outerjoin(m, m.question_id == QuestionRow.id)
    )


def load_planning_row(session: Session, qid: int) -> PlanningRow | None:
    """The planning row of one question, retired or not."""
    rows = planning_rows_of(session, _planning_select().where(QuestionRow.id == qid))
    return rows[0] if rows else None


class PlanningTable(Sequence[PlanningRow]):
    """Every active question's planning row, kept compactly (the study cache's rows).

    A merged bank is mostly questions never answered (80,000 of 100,000 in the large
    benchmark profile), whose row is fully given by id, skill and difficulty. Those are
    kept as three arrays (8 + 2 + 2 bytes a question) and their :class:`PlanningRow` is
    built when asked for; rows with a memory state are kept as rows. Together with the
    position index (an array when ids are dense) this took the cache of the large profile
    from about 55 to about 30 MB (docs/performance.md). Reads as a sequence of
    :class:`PlanningRow` in row order; ``table[at] = row`` replaces one (an answer).
    """

    __slots__ = ("_difficulty", "_index", "_qids", "_skill_at", "_skills", "_stored", "_where")

    def __init__(self) -> None:
        self._qids = array("q")
        self._skill_at = array("H")
        self._difficulty = array("h")
        self._skills: list[str | None] = []
        self._index: dict[str | None, int] = {}
        self._stored: dict[int, PlanningRow] = {}  # position -> row, rows with a memory
        self._where: array[int] | dict[int, int] = {}

    def append(self, row: PlanningRow) -> None:
        """Add a row at the end (only while loading: then :meth:`index_positions`)."""
        at = len(self._qids)
        self._qids.append(row.qid)
        index = self._index.get(row.skill)
        if index is None:
            index = self._index[row.skill] = len(self._skills)
            self._skills.append(row.skill)
        self._skill_at.append(index)
        self._difficulty.append(row.difficulty)
        if row.memory is not None:
            self._stored[at] = row

    def append_blank(self, qid: int, skill: str | None, difficulty: int) -> None:
        """Add the row of a question with no memory state, building no row object."""
        index = self._index.get(skill)
        if index is None:
            index = self._index[skill] = len(self._skills)
            self._skills.append(skill)
        self._qids.append(qid)
        self._skill_at.append(index)
        self._difficulty.append(difficulty)

    def index_positions(self) -> None:
        """Build the question id -> position index (after the last append)."""
        qids = self._qids
        top = max(qids, default=0)
        if min(qids, default=0) >= 0 and top < 4 * len(qids) + 1024:
            where = array("q", [-1]) * (top + 1)
            for at, qid in enumerate(qids):
                where[qid] = at
            self._where = where
        else:  # sparse ids (not seen in practice): a dictionary
            self._where = {qid: at for at, qid in enumerate(qids)}

    def position(self, qid: int) -> int | None:
        """The position of question ``qid`` (None: not an active question)."""
        where = self._where
        if isinstance(where, dict):
            return where.get(qid)
        if 0 <= qid < len(where):
            at = where[qid]
            return at if at >= 0 else None
        return None

    def blanks(self) -> Iterator[tuple[int, int, str | None, int]]:
        """(position, question id, skill, difficulty) of every row with no memory state,
        by position, without building rows."""
        stored, skills = self._stored, self._skills
        for at, (qid, skill_at, difficulty) in enumerate(
            zip(self._qids, self._skill_at, self._difficulty, strict=True)
        ):
            if at not in stored:
                yield at, qid, skills[skill_at], difficulty

    def skill_counts(self) -> dict[str | None, int]:
        """Rows per skill, skills in order of first appearance (as counting row by row)."""
        counts = [0] * len(self._skills)
        for index in self._skill_at:
            counts[index] += 1
        return {skill: counts[i] for i, skill in enumerate(self._skills) if counts[i]}

    def is_blank(self, at: int) -> bool:
        """True when row ``at`` has no memory state (kept as arrays only)."""
        return at not in self._stored

    def blank_count(self) -> int:
        """How many rows have no memory state."""
        return len(self._qids) - len(self._stored)

    def stored(self) -> list[tuple[int, PlanningRow]]:
        """(position, row) of every row with a memory state, by position."""
        return sorted(self._stored.items())

    def __len__(self) -> int:
        return len(self._qids)

    def _row(self, at: int) -> PlanningRow:
        row = self._stored.get(at)
        if row is not None:
            return row
        return PlanningRow(
            self._qids[at],
            self._skills[self._skill_at[at]],
            self._difficulty[at],
            None,
            False,
            False,
            None,
            None,
            0,
            None,
        )

    @overload
    def __getitem__(self, at: int) -> PlanningRow: ...

    @overload
    def __getitem__(self, at: slice) -> list[PlanningRow]: ...

    def __getitem__(self, at: int | slice) -> PlanningRow | list[PlanningRow]:
        if isinstance(at, slice):
            return [self._row(i) for i in range(*at.indices(len(self._qids)))]
        if at < 0:
            at += len(self._qids)
        if not 0 <= at < len(self._qids):
            raise IndexError(at)
        return self._row(at)

    def __setitem__(self, at: int, row: PlanningRow) -> None:
        if row.qid != self._qids[at]:
            raise ValueError(f"row {at} is question {self._qids[at]}, not {row.qid}")
        if row.memory is None and row == self._row(at):
            self._stored.pop(at, None)
        else:
            self._stored[at] = row

    def __iter__(self) -> Iterator[PlanningRow]:
        row = self._row
        return (row(at) for at in range(len(self._qids)))


def load_planning_table(session: Session) -> PlanningTable:
    """:func:`load_planning_rows` as a :class:`PlanningTable` (equal row for row)."""
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    table = PlanningTable()
    rows = _planning_rows(dbapi.execute(_active_rows_sql()), table)
    assert rows is table
    table.index_positions()
    return table


def load_planning_rows(session: Session) -> list[PlanningRow]:
    """Every active question with its skill key and memory state.

    Active: not retired, and not replaced by the user's own revision (which is practised
    instead; see :func:`studyapp.storage.library.superseded_ids`).
    """
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    # Streamed from the cursor: a list of 100,000 raw rows first would double the peak.
    return _planning_rows(dbapi.execute(_active_rows_sql()))


@cache
def _active_rows_sql() -> str:
    """:func:`load_planning_rows`' statement, compiled once and then run on the driver:
    SQLAlchemy's per-row result processing was most of the cost of loading 100,000 rows
    (the columns need none: instants are read as integers, flags converted below)."""
    return str(
        active_planning_select().compile(
            dialect=sqlite_dialect(), compile_kwargs={"literal_binds": True}
        )
    )


def active_planning_select() -> Any:
    """The planning rows of every active question, as a statement."""
    return _planning_select().where(
        QuestionRow.retired.is_(False), QuestionRow.id.not_in(superseded_ids())
    )


def planning_rows_of(session: Session, stmt: Any) -> list[PlanningRow]:
    """The planning rows ``stmt`` (a :func:`_planning_select` query) selects, through the ORM."""
    return _planning_rows(session.execute(stmt))


@overload
def _planning_rows(result: Iterable[Any]) -> list[PlanningRow]: ...


@overload
def _planning_rows(result: Iterable[Any], into: PlanningTable) -> PlanningTable: ...


def _planning_rows(
    result: Iterable[Any], into: PlanningTable | None = None
) -> list[PlanningRow] | PlanningTable:
    out: list[PlanningRow] | PlanningTable = [] if into is None else into
    append = out.append
    blank = into.append_blank if into is not None else None
    skills: dict[str, str] = {}  # one string per skill key, not one per row
    for (
        qid,
        skill,
        difficulty,
        mem_qid,
        state,
        step,
        stability,
        mem_difficulty,
        due,
        last_review,
        reps,
        lapses,
        suspended,
        buried_until,
        leech,
        first_seen,
        last_correct,
        wrong_count,
    ) in result:
        if skill is not None:
            skill = skills.setdefault(skill, skill)
        if mem_qid is None:
            if blank is not None:
                blank(qid, skill, difficulty)
            else:
                append(PlanningRow(qid, skill, difficulty, None, False, False, None, None, 0, None))
            continue
        memory = MemoryState(
            state=state,
            step=step,
            stability=stability,
            difficulty=mem_difficulty,
            due=from_millis(due),
            last_review=None if last_review is None else from_millis(last_review),
            reps=reps,
            lapses=lapses,
        )
        append(
            PlanningRow(
                qid=qid,
                skill=skill,
                difficulty=difficulty,
                memory=memory,
                suspended=bool(suspended),
                leech=bool(leech),
                buried_until=None if buried_until is None else from_millis(buried_until),
                last_correct=None if last_correct is None else bool(last_correct),
                wrong_count=wrong_count,
                first_seen=from_millis(first_seen),
            )
        )
    return out


def load_evidence(
    session: Session, now: datetime
) -> dict[str, dict[bool, list[tuple[bool, float, int]]]]:
    """skill -> {is first attempt: [(correct, age in whole days, count)]}.

    Grouped in SQL by skill, first attempt, correctness and age in days, so a million
    answers come back as a few thousand rows.
    """
    now_ms = to_millis(now)
    answered_ms = type_coerce(ReviewLogRow.answered_at, Integer)  # stored as UTC milliseconds
    age = ((now_ms - answered_ms) // DAY_MS).label("age")
    stmt = select(
        ReviewLogRow.skill_key, ReviewLogRow.first_attempt, ReviewLogRow.correct, age, func.count()
    ).group_by(ReviewLogRow.skill_key, ReviewLogRow.first_attempt, ReviewLogRow.correct, age)
    out: dict[str, dict[bool, list[tuple[bool, float, int]]]] = {}
    for skill, first, correct, age_days, count in session.execute(stmt):
        bucket = out.setdefault(skill, {True: [], False: []})
        bucket[bool(first)].append((bool(correct), float(max(age_days, 0)), int(count)))
    return out


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    """A question as practice shows it: content, pack and skill, and its media names."""

    qid: int
    pack_id: str
    skill: str | None
    skill_title: str | None
    question: Question
    media: tuple[str, ...]

    @property
    def ref(self) -> str:
        return f"{self.pack_id}/{self.question.id}"


def load_question(session: Session, qid: int) -> StoredQuestion | None:
    """One question with its options (authored order), tags, pack and skill."""
    return load_questions(session, [qid]).get(qid)


def load_questions(session: Session, qids: Iterable[int]) -> dict[int, StoredQuestion]:
    """Questions by row id (those that exist), each as :func:`load_question` gives it.

    Four statements for any number of questions (a planned session loads twenty: one
    statement per table instead of four per question).
    """
    wanted = sorted(set(qids))
    if not wanted:
        return {}
    rows = session.execute(
        select(QuestionRow, PackRow.key, PackRow.id, SkillAreaRow.key, SkillAreaRow.title)
        .join(PackRow, PackRow.id == QuestionRow.pack_id)
        .outerjoin(SkillAreaRow, SkillAreaRow.id == QuestionRow.skill_area_id)
        .where(QuestionRow.id.in_(wanted))
    ).all()
    if not rows:
        return {}
    options, tags = options_and_tags(session, wanted)
    media: dict[int, list[str]] = {}
    for pack_pk, name in session.execute(
        select(MediaRow.pack_id, MediaRow.name).where(
            MediaRow.pack_id.in_({row[2] for row in rows})
        )
    ):
        media.setdefault(pack_pk, []).append(name)
    out: dict[int, StoredQuestion] = {}
    for q, pack_key, pack_pk, skill_key, skill_title in rows:
        question = question_of(q, skill_key, options, tags)
        out[q.id] = StoredQuestion(
            q.id, pack_key, skill_key, skill_title, question, tuple(media.get(pack_pk, ()))
        )
    return out


_IMAGE_REF = re.compile(r"(?:!\[[^\]]*\]\(|src=[\"'])(media/[^)\"'\s]+)")


def load_referenced_media(session: Session, stored: StoredQuestion) -> dict[str, bytes]:
    """The bytes of the pack images a question's texts refer to (and only those)."""
    q = stored.question
    texts = [q.stem, q.explanation, *(o.text for o in q.options), *(o.rationale for o in q.options)]
    names = {m for t in texts for m in _IMAGE_REF.findall(t) if m in stored.media}
    if not names:
        return {}
    stmt = (
        select(MediaRow.name, MediaRow.data)
        .join(PackRow, PackRow.id == MediaRow.pack_id)
        .where(PackRow.key == stored.pack_id, MediaRow.name.in_(names))
    )
    return {name: data for name, data in session.execute(stmt)}


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
        "memory": _memory(mem).to_dict(),
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


def next_due_after(session: Session, moment: datetime) -> datetime | None:
    """Earliest due date after ``moment`` among active, unsuspended questions."""
    stmt = (
        select(func.min(MemoryStateRow.due))
        .join(QuestionRow, QuestionRow.id == MemoryStateRow.question_id)
        .where(
            MemoryStateRow.due > moment,
            QuestionRow.retired.is_(False),
            QuestionRow.id.not_in(superseded_ids()),
            MemoryStateRow.suspended.is_(False),
        )
    )
    value = session.scalar(stmt)
    return value if isinstance(value, datetime) else None


def new_introduced_since(session: Session, since: datetime) -> int:
    """Questions seen for the first time at or after ``since``."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(MemoryStateRow)
            .where(MemoryStateRow.first_seen >= since)
        )
        or 0
    )


def set_suspended(session: Session, qid: int, suspended: bool, now: datetime) -> None:
    """Suspend or unsuspend a question (an unseen one gets a memory row to carry the flag)."""
    mem = session.get(MemoryStateRow, qid)
    if mem is None:
        mem = MemoryStateRow(
            question_id=qid,
            fsrs_state=1,
            step=0,
            due=now,
            reps=0,
            lapses=0,
            first_seen=now,
            leech=False,
            wrong_count=0,
        )
        session.add(mem)
    mem.suspended = suspended
    session.flush()


def review_log_for_fitting(session: Session) -> list[tuple[int, datetime, int]]:
    """(question id, time, rating) of every scheduling answer, by question then time."""
    stmt = (
        select(ReviewLogRow.question_id, ReviewLogRow.answered_at, ReviewLogRow.rating)
        .where(ReviewLogRow.question_id.is_not(None), ReviewLogRow.mode != "cram")
        .order_by(ReviewLogRow.question_id, ReviewLogRow.answered_at, ReviewLogRow.id)
    )
    return [(q, t, r) for q, t, r in session.execute(stmt) if q is not None]


def count_reviews(session: Session) -> int:
    """All answers in the log."""
    return int(session.scalar(select(func.count()).select_from(ReviewLogRow)) or 0)


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
