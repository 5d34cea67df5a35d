"""Study data: what the planner and mastery read (planning rows, evidence, memory state).

Recording and undoing answers, and reading the review log, is
:mod:`studyapp.storage.review_log`; questions as practice shows them are
:mod:`studyapp.storage.question_rows`.

Every read here is one grouped query, never a scan into Python of the whole review log:
evidence is aggregated by skill, first attempt, correctness and day.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, overload

from sqlalchemy import (
    Integer,
    func,
    select,
    type_coerce,
)
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.orm import Session

from studyapp.domain.memory import MemoryState
from studyapp.storage.library import superseded_ids
from studyapp.storage.models import (
    MemoryStateRow,
    QuestionRow,
    ReviewLogRow,
    SkillAreaRow,
)
from studyapp.storage.types import from_millis, to_millis

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


def memory_of(row: Any) -> MemoryState:
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
    """Every active question with its skill key and memory state, as a
    :class:`PlanningTable`.

    Active: not retired, and not replaced by the user's own revision (which is practised
    instead; see :func:`studyapp.storage.library.superseded_ids`). Streamed from the
    driver's cursor: a list of 100,000 raw rows first would double the peak.
    """
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    table = PlanningTable()
    rows = _planning_rows(dbapi.execute(_active_rows_sql()), table)
    assert rows is table
    table.index_positions()
    return table


@cache
def _active_rows_sql() -> str:
    """:func:`load_planning_table`'s statement, compiled once and then run on the driver:
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
