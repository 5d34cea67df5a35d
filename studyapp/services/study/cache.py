"""An in-process cache of what planning and statistics read, per open database.

With 100,000 questions and a million answers, reading every planning row and grouping the
whole review log took seconds on each Home refresh and each planned session
(docs/performance.md). The cache keeps, per :class:`~studyapp.storage.database.Database`:

- the planning rows (one per active question), and
- for each (skill, first attempt, correct) the sorted answer times of the review log, with
  the count and the total time spent,

- the planner's index of never-answered questions (:class:`Unseen`), built on first use,

and answers the same questions the SQL did, exactly: evidence ages are whole days counted
as SQLite counted them (integer division truncating toward zero), entries in the same
order, so mastery sums the same floats in the same order and reports identical figures.

Validity: the cache records ``Database.study_writes`` (a counter of committed changes,
less those of units of work that promise not to touch study data, such as a mock exam's
sitting) when it is filled. Any other write makes it stale and the next read reloads it,
except a practice answer given through :meth:`StudyService.answer`, which is applied in
place once committed: the question's row as the answer left it
(:func:`~studyapp.storage.review_log.row_after_answer`, nothing read back), the new log fact
appended, the question out of the unseen index. It also remembers the questions the last
plans loaded, so answering them reads no question again.
The review log's newest id is checked on every use as well (one index lookup).
"""

from __future__ import annotations

import linecache
import weakref
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from studyapp.domain.planner import Levels, UnseenIndex
from studyapp.services.gcpause import release_gently
from studyapp.services.study.age_counts import AgeCounts
from studyapp.services.study.recall import Recall, RecallState
from studyapp.storage.database import Database
from studyapp.storage.exams import DbSession
from studyapp.storage.question_rows import StoredQuestion
from studyapp.storage.review_log import newest_review_id, review_log_groups
from studyapp.storage.settings import read_settings
from studyapp.storage.study import DAY_MS, PlanningRow, PlanningTable, load_planning_table
from studyapp.storage.types import to_millis

T = TypeVar("T")
NO_TIME = -(2**62)  # "no such time" in the integer time arrays
Evidence = dict[str, dict[bool, list[tuple[bool, float, int]]]]
_Key = tuple[str, bool, bool]  # (skill key, first attempt, correct)


@dataclass
class StudyCache:
    """Planning rows and review-log facts as of ``version`` (``Database.study_writes``)."""

    version: int
    rows: PlanningTable  # replaced in place as answers come (a snapshot's view of them)
    times: dict[_Key, array[int]] = field(default_factory=dict)
    count: int = 0
    last_id: int = 0
    ms_total: int = 0
    unseen: Unseen | None = None
    questions: dict[int, StoredQuestion] = field(default_factory=dict)
    stored_settings: dict[str, Any] | None = None
    recall_state: RecallState | None = None
    # Values computed from the question set alone (not from answers): see derived().
    extras: dict[str, object] = field(default_factory=dict)
    # Per group, its answers by age in days, kept as the moment moves (services.study.age_counts).
    ages: dict[_Key, AgeCounts] = field(default_factory=dict)

    def add_facts(self, facts: Iterable[tuple[int, str, int, int, int, int]]) -> None:
        """Append review-log rows (newer ids than any seen), keeping each group sorted."""
        for rid, skill, first, correct, at_ms, ms in facts:
            key = (skill, bool(first), bool(correct))
            group = self.times.get(key)
            if group is None:
                group = self.times[key] = array("q")
            if group and at_ms < group[-1]:  # a clock set back: keep the times sorted
                insort(group, at_ms)
                self.ages.pop(key, None)  # not an append: count this group afresh
            else:
                group.append(at_ms)
            self.count += 1
            self.ms_total += ms
            self.last_id = max(self.last_id, rid)

    def row(self, qid: int) -> PlanningRow | None:
        """The cached planning row of an active question (None: not active or unknown)."""
        at = self.rows.position(qid)
        return None if at is None else self.rows[at]

    def settings(self, session: DbSession) -> dict[str, Any]:
        """The stored settings (read through ``session`` once per cache fill)."""
        if self.stored_settings is None:
            self.stored_settings = read_settings(session)
        return self.stored_settings

    def unseen_index(self) -> Unseen:
        """The index of never-answered rows (:class:`Unseen`), built on first use."""
        if self.unseen is None:
            by_skill: dict[str | None, dict[int, array[int]]] = {}
            for _at, qid, skill, difficulty in self.rows.blanks():
                level = by_skill.setdefault(skill, {}).get(difficulty)
                if level is None:
                    level = by_skill[skill][difficulty] = array("q")
                level.append(qid)
            others = [at for at, _row in self.rows.stored()]
            totals = self.rows.skill_counts()
            groups: dict[str | None, Levels] = {}
            for skill, levels in by_skill.items():
                groups[skill] = tuple((d, array("q", sorted(levels[d]))) for d in sorted(levels))
            unseen = Unseen(groups, _Members(self.rows), others, totals)
            unseen.due_ms = array("q", [NO_TIME]) * len(self.rows)
            for at in others:
                unseen.set_times(at, self.rows[at])
            self.unseen = unseen
        return self.unseen

    def recall(self, now: datetime, curve: tuple[float, float]) -> Recall:
        """The answered questions as of ``now`` (:class:`~studyapp.services.study.recall.Recall`),
        from a :class:`~studyapp.services.study.recall.RecallState` kept with the cache."""
        unseen = self.unseen_index()
        if self.recall_state is None or self.recall_state.curve != curve:
            self.recall_state = RecallState(self.rows, curve)
        return self.recall_state.at(now, unseen.others)

    def evidence(self, now: datetime) -> Evidence:
        """What :func:`studyapp.storage.study.load_evidence` returns for ``now``.

        Each group's counts by age are kept (:class:`~studyapp.services.study.age_counts.AgeCounts`)
        and moved on from the last moment asked, so a plan or a Home refresh costs one
        bisection per age boundary some answer crossed since, not one per age.
        """
        now_ms = to_millis(now)
        out: Evidence = {}
        for key in sorted(self.times, key=lambda k: (k[0], k[1], k[2])):
            skill, first, correct = key
            group = self.times[key]
            if not group:
                continue
            counts = self.ages.get(key)
            if counts is None:
                counts = self.ages[key] = AgeCounts(group, now_ms)
            ages = counts.at(group, now_ms)
            if ages is None:  # answers after now (an earlier --now): counted plainly
                ages = _ages(group, now_ms)
            bucket = out.setdefault(skill, {True: [], False: []})
            bucket[first].extend((correct, float(max(age, 0)), n) for age, n in ages)
        return out

    def answers_per_day(self, since: datetime, day_offset_ms: int) -> dict[int, tuple[int, int]]:
        """Local day number -> (answers, correct) since ``since``, as the SQL oracle
        ``answers_per_day`` in ``tests/study_oracles.py`` counts them."""
        since_ms = to_millis(since)
        out: dict[int, list[int]] = {}
        for (_skill, _first, correct), group in self.times.items():
            start = bisect_left(group, since_ms)
            if start == len(group):
                continue
            # Whole local days, as SQLite's integer division (never negative here).
            first_day = (group[start] + day_offset_ms) // DAY_MS
            last_day = (group[-1] + day_offset_ms) // DAY_MS
            lo = start
            for day in range(first_day, last_day + 1):
                hi = bisect_left(group, (day + 1) * DAY_MS - day_offset_ms, lo)
                if hi > lo:
                    entry = out.setdefault(day, [0, 0])
                    entry[0] += hi - lo
                    if correct:
                        entry[1] += hi - lo
                lo = hi
        return {day: (n, c) for day, (n, c) in out.items()}


def _ages(group: array[int], now_ms: int) -> list[tuple[int, int]]:
    """(age in days, answers) of sorted answer times, ages ascending, as SQLite groups
    ``(now - answered_at) / 86400000`` (integer division truncating toward zero)."""
    split = bisect_right(group, now_ms)
    out: list[tuple[int, int]] = []
    if split < len(group):
        # Answers after now (a profile opened with an earlier --now): truncation toward
        # zero gives ages of 0 and below; rare, so counted plainly.
        ahead: dict[int, int] = {}
        for at in group[split:]:
            age = -((at - now_ms) // DAY_MS)
            ahead[age] = ahead.get(age, 0) + 1
        out = sorted(ahead.items())
    # Newest first: each step takes every answer of one age with one bisection, so the
    # ages come out ascending.
    past: list[tuple[int, int]] = []
    hi = split
    while hi > 0:
        age = (now_ms - group[hi - 1]) // DAY_MS
        lo = bisect_right(group, now_ms - (age + 1) * DAY_MS, 0, hi)
        past.append((age, hi - lo))
        hi = lo
    if out and past and out[-1][0] == past[0][0]:  # age 0 on both sides of now
        out[-1] = (0, out[-1][1] + past[0][1])
        past = past[1:]
    return out + past


_CACHES: weakref.WeakKeyDictionary[Database, StudyCache] = weakref.WeakKeyDictionary()


def current(db: Database, session: DbSession) -> StudyCache:
    """The cache for ``db``, reloaded through ``session`` when stale."""
    cache = _CACHES.get(db)
    if (
        cache is not None
        and cache.version == db.study_writes
        and cache.last_id == newest_review_id(session)
    ):
        return cache
    # Free the source lines Python's linecache holds before the largest allocation of a
    # session: in the GUI, PySide6's import hook reads the source of every module imported
    # after it (``inspect.getsource``, to look for its feature imports) and linecache keeps
    # it, about 20 MB of SQLAlchemy and app source that nothing reads again (tracebacks
    # read it back on demand). One file at a time: clearing it in one call freed 200,000
    # strings without letting the GUI thread run (the import stall benchmark saw 120 ms).
    _drop_source_lines()
    version = db.study_writes
    cache = StudyCache(version, load_planning_table(session))
    cache.last_id = newest_review_id(session)
    for skill, first, correct, times, count, ms in review_log_groups(session):
        group = array("q", sorted(map(int, times.split(",")))) if times else array("q")
        cache.times[(skill, bool(first), bool(correct))] = group
        cache.count += count
        cache.ms_total += ms
    _CACHES[db] = cache
    return cache


def _drop_source_lines() -> None:
    """Empty :mod:`linecache` file by file, each file's lines freed in steps."""
    for name in list(linecache.cache):
        entry = linecache.cache.pop(name, None)
        if entry is not None and len(entry) > 2 and isinstance(entry[2], list):
            lines = entry[2]
            del entry
            release_gently(lines)


@dataclass(frozen=True, slots=True)
class PendingAnswer:
    """What an answer changed, read inside its unit of work, applied once it committed."""

    qid: int
    row: PlanningRow | None
    facts: tuple[tuple[int, str, int, int, int, int], ...]
    writes_before: int


def fresh(db: Database) -> StudyCache | None:
    """The cache of ``db`` if it reflects every commit so far, else None."""
    cache = _CACHES.get(db)
    return cache if cache is not None and cache.version == db.study_writes else None


def apply_answer(db: Database, pending: PendingAnswer | None) -> None:
    """Apply an answer's changes after its commit, if nothing else wrote meanwhile.

    ``pending.writes_before`` is the cache version the answer started from: when anything
    else was written since, the cache is left stale (the next read reloads it).
    """
    cache = _CACHES.get(db)
    if pending is None or cache is None or cache.version != pending.writes_before:
        return
    at = cache.rows.position(pending.qid)
    if at is not None and pending.row is not None:
        old = cache.rows[at]
        if cache.unseen is not None and pending.row.memory is not None:
            # Before the row changes: whether it was in the index is read from the rows.
            cache.unseen.discard(pending.qid, at, old.difficulty, old.skill)
        cache.rows[at] = pending.row
        if cache.recall_state is not None:
            cache.recall_state.replace(at, old, pending.row)
        if cache.unseen is not None and pending.row.memory is not None:
            cache.unseen.set_times(at, pending.row)
    cache.add_facts(pending.facts)
    cache.version = db.study_writes


def remember_questions(db: Database, stored: Iterable[StoredQuestion]) -> None:
    """Keep the questions a plan just loaded, so answering them needs no second read."""
    cache = _CACHES.get(db)
    if cache is None or cache.version != db.study_writes:
        return
    if len(cache.questions) > 500:
        cache.questions.clear()
    for item in stored:
        cache.questions[item.qid] = item


def known_question(db: Database, qid: int) -> StoredQuestion | None:
    """A question remembered by :func:`remember_questions`, if nothing was written since."""
    cache = _CACHES.get(db)
    if cache is None or cache.version != db.study_writes:
        return None
    return cache.questions.get(qid)


@dataclass
class Unseen:
    """The planner's :class:`~studyapp.domain.planner.UnseenIndex` of the cached rows.

    Rows with no memory state at all (never answered, never suspended, never buried) are
    fully described by their id, skill and difficulty, so they are kept as arrays of ids
    per skill and difficulty, as the planner draws them. ``others`` lists, in row order,
    the positions of every other row: the only ones whose candidates depend on the moment.
    """

    groups: dict[str | None, Levels]
    members: Mapping[int, str | None]  # qid -> skill (a view of the rows: _Members)
    others: list[int]
    totals: dict[str | None, int]
    # By row position, for the rows in ``others``: the due time as integer milliseconds
    # (NO_TIME without a memory). Planning compares it with the moment for every answered
    # question; datetime comparisons there cost more than the rest of the pass.
    due_ms: array[int] = field(default_factory=lambda: array("q"))

    def set_times(self, at: int, row: PlanningRow) -> None:
        """Record row ``at``'s due time (after a load or an answer)."""
        self.due_ms[at] = NO_TIME if row.memory is None else to_millis(row.memory.due)

    def discard(self, qid: int, at: int, difficulty: int, skill: str | None) -> None:
        """The question at row ``at`` gets a memory state: it leaves the index. Called
        before its row is replaced (membership is read from the rows)."""
        if qid not in self.members:
            return
        for d, members in self.groups[skill]:
            if d == difficulty:
                assert isinstance(members, array)
                i = bisect_left(members, qid)
                if i < len(members) and members[i] == qid:
                    del members[i]
                break
        insort(self.others, at)

    def index(self, unseen_elsewhere: int) -> UnseenIndex:
        """The planner's view; ``unseen_elsewhere``: never-answered rows among ``others``."""
        return UnseenIndex(
            groups=self.groups,
            totals=self.totals,
            unseen=len(self.members) + unseen_elsewhere,
            members=self.members,
        )


class _Members(Mapping[int, "str | None"]):
    """Question id -> skill of every row with no memory state, read from the planning
    table itself (a dictionary of 80,000 ids took 5 MB in the large profile)."""

    __slots__ = ("_rows",)

    def __init__(self, rows: PlanningTable) -> None:
        self._rows = rows

    def __getitem__(self, qid: int) -> str | None:
        at = self._rows.position(qid)
        if at is None or not self._rows.is_blank(at):
            raise KeyError(qid)
        return self._rows[at].skill

    def __contains__(self, qid: object) -> bool:
        if not isinstance(qid, int):
            return False
        at = self._rows.position(qid)
        return at is not None and self._rows.is_blank(at)

    def __iter__(self) -> Iterator[int]:
        return (qid for _at, qid, _skill, _d in self._rows.blanks())

    def __len__(self) -> int:
        return self._rows.blank_count()

    def items(self) -> Any:
        """(question id, skill) pairs, by row position, without building rows."""
        return [(qid, skill) for _at, qid, skill, _d in self._rows.blanks()]


def derived(db: Database, session: DbSession, key: str, build: Callable[[DbSession], T]) -> T:
    """A value computed from the active questions only, built once per cache fill.

    For things like the mock-exam pool: answers (which update the cache in place) leave it
    as it is; any other write (an import, a retirement, a suspension) reloads the cache and
    with it every derived value. ``build`` reads through ``session``; ``key`` names the
    value (callers include what it depends on, such as a framework key).
    """
    cache = current(db, session)
    if key not in cache.extras:
        cache.extras[key] = build(session)
    return cast(T, cache.extras[key])


def forget(db: Database) -> None:
    """Drop the cache of ``db`` (tests compare a cached answer with a fresh one)."""
    _CACHES.pop(db, None)
