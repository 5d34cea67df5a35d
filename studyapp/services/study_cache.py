"""An in-process cache of what planning and statistics read, per open database.

With 100,000 questions and a million answers, reading every planning row and grouping the
whole review log took seconds on each Home refresh and each planned session
(docs/performance.md). The cache keeps, per :class:`~studyapp.storage.database.Database`:

- the planning rows (one per active question), and
- for each (skill, first attempt, correct) the sorted answer times of the review log, with
  the count and the total time spent,

and answers the same questions the SQL did, exactly: evidence ages are whole days counted
as SQLite counted them (integer division truncating toward zero), entries in the same
order, so mastery sums the same floats in the same order and reports identical figures.

Validity: the cache records ``Database.writes`` (a counter of committed changes) when it
is filled. Any other write makes it stale and the next read reloads it, except a practice
answer given through :meth:`StudyService.answer`, which updates it in place (one planning
row re-read and the new log rows appended, inside the answer's own transaction). It also
remembers the questions the last plans loaded, so answering them reads no question again.
The review log's newest id is checked on every use as well (one index lookup).
"""

from __future__ import annotations

import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from studyapp.domain.planner import Candidate
from studyapp.storage.database import Database
from studyapp.storage.exams import DbSession
from studyapp.storage.study import (
    DAY_MS,
    PlanningRow,
    StoredQuestion,
    load_planning_row,
    load_planning_rows,
    newest_review_id,
    review_log_facts,
    review_log_groups,
)
from studyapp.storage.types import to_millis

Evidence = dict[str, dict[bool, list[tuple[bool, float, int]]]]
_Key = tuple[str, bool, bool]  # (skill key, first attempt, correct)


@dataclass
class StudyCache:
    """Planning rows and review-log facts as of ``version`` (``Database.writes``)."""

    version: int
    rows: tuple[PlanningRow, ...]
    position: dict[int, int]
    times: dict[_Key, array[int]] = field(default_factory=dict)
    count: int = 0
    last_id: int = 0
    ms_total: int = 0
    unseen: dict[int, tuple[PlanningRow, Candidate]] | None = None
    questions: dict[int, StoredQuestion] = field(default_factory=dict)

    def add_facts(self, facts: Iterable[tuple[int, str, int, int, int, int]]) -> None:
        """Append review-log rows (newer ids than any seen), keeping each group sorted."""
        touched: set[_Key] = set()
        for rid, skill, first, correct, at_ms, ms in facts:
            key = (skill, bool(first), bool(correct))
            group = self.times.get(key)
            if group is None:
                group = self.times[key] = array("q")
            if group and at_ms < group[-1]:
                touched.add(key)
            group.append(at_ms)
            self.count += 1
            self.ms_total += ms
            self.last_id = max(self.last_id, rid)
        for key in touched:
            self.times[key] = array("q", sorted(self.times[key]))

    def evidence(self, now: datetime) -> Evidence:
        """What :func:`studyapp.storage.study.load_evidence` returns for ``now``."""
        now_ms = to_millis(now)
        out: Evidence = {}
        for skill, first, correct in sorted(self.times, key=lambda k: (k[0], k[1], k[2])):
            group = self.times[(skill, first, correct)]
            if not group:
                continue
            bucket = out.setdefault(skill, {True: [], False: []})
            bucket[first].extend(
                (correct, float(max(age, 0)), n) for age, n in _ages(group, now_ms)
            )
        return out

    def answers_per_day(self, since: datetime, day_offset_ms: int) -> dict[int, tuple[int, int]]:
        """Local day number -> (answers, correct) since ``since``, as
        :func:`studyapp.storage.study.answers_per_day` counts them."""
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
    counts: dict[int, int] = {}
    # Answers after now (a profile opened with an earlier --now): truncation toward zero.
    for at in group[split:]:
        age = -((at - now_ms) // DAY_MS)
        counts[age] = counts.get(age, 0) + 1
    hi = split
    while hi > 0:
        age = (now_ms - group[hi - 1]) // DAY_MS
        lo = bisect_right(group, now_ms - (age + 1) * DAY_MS, 0, hi)
        counts[age] = counts.get(age, 0) + hi - lo
        hi = lo
    return sorted(counts.items())


_CACHES: weakref.WeakKeyDictionary[Database, StudyCache] = weakref.WeakKeyDictionary()


def current(db: Database, session: DbSession) -> StudyCache:
    """The cache for ``db``, reloaded through ``session`` when stale."""
    cache = _CACHES.get(db)
    if (
        cache is not None
        and cache.version == db.writes
        and cache.last_id == newest_review_id(session)
    ):
        return cache
    version = db.writes
    rows = tuple(load_planning_rows(session))
    cache = StudyCache(version, rows, {row.qid: i for i, row in enumerate(rows)})
    cache.last_id = newest_review_id(session)
    for skill, first, correct, times, count, ms in review_log_groups(session):
        group = array("q", sorted(map(int, times.split(",")))) if times else array("q")
        cache.times[(skill, bool(first), bool(correct))] = group
        cache.count += count
        cache.ms_total += ms
    _CACHES[db] = cache
    return cache


@dataclass(frozen=True, slots=True)
class PendingAnswer:
    """What an answer changed, read inside its unit of work, applied once it committed."""

    qid: int
    row: PlanningRow | None
    facts: tuple[tuple[int, str, int, int, int, int], ...]
    writes_before: int


def read_answer(
    db: Database, session: DbSession, qid: int, writes_before: int
) -> PendingAnswer | None:
    """Inside an answer's unit of work (after it wrote): the question's new planning row
    and the new log rows, or None when there is no fresh cache to bring up to date.

    ``writes_before`` is ``db.writes`` before the unit of work began: when anything else
    was written since the cache was filled, it is left stale (the next read reloads it).
    """
    cache = _CACHES.get(db)
    if cache is None or cache.version != writes_before:
        return None
    row = load_planning_row(session, qid) if qid in cache.position else None
    return PendingAnswer(qid, row, tuple(review_log_facts(session, cache.last_id)), writes_before)


def apply_answer(db: Database, pending: PendingAnswer | None) -> None:
    """Apply :func:`read_answer`'s result after the commit (nothing else wrote meanwhile)."""
    cache = _CACHES.get(db)
    if pending is None or cache is None or cache.version != pending.writes_before:
        return
    at = cache.position.get(pending.qid)
    if at is not None and pending.row is not None:
        rows = list(cache.rows)
        rows[at] = pending.row
        cache.rows = tuple(rows)
    cache.add_facts(pending.facts)
    cache.version = db.writes


def remember_questions(db: Database, stored: Iterable[StoredQuestion]) -> None:
    """Keep the questions a plan just loaded, so answering them needs no second read."""
    cache = _CACHES.get(db)
    if cache is None or cache.version != db.writes:
        return
    if len(cache.questions) > 500:
        cache.questions.clear()
    for item in stored:
        cache.questions[item.qid] = item


def known_question(db: Database, qid: int) -> StoredQuestion | None:
    """A question remembered by :func:`remember_questions`, if nothing was written since."""
    cache = _CACHES.get(db)
    if cache is None or cache.version != db.writes:
        return None
    return cache.questions.get(qid)


def unseen_candidates(db: Database) -> dict[int, tuple[PlanningRow, Candidate]]:
    """The planner's candidates of the cached rows that have no memory state at all.

    Such a row's candidate does not depend on the moment (never seen, never buried,
    retrievability 0), so it is built once per cache fill; ``StudyService.plan_input``
    uses it when the row object is still the cached one. Empty when nothing is cached.
    """
    cache = _CACHES.get(db)
    if cache is None:
        return {}
    if cache.unseen is None:
        cache.unseen = {
            row.qid: (
                row,
                Candidate(
                    qid=row.qid,
                    skill=row.skill,
                    seen=False,
                    due=None,
                    retrievability=0.0,
                    difficulty=row.difficulty,
                    leech=row.leech,
                    suspended=row.suspended,
                    last_correct=row.last_correct,
                ),
            )
            for row in cache.rows
            if row.memory is None and row.buried_until is None
        }
    return cache.unseen


def forget(db: Database) -> None:
    """Drop the cache of ``db`` (tests compare a cached answer with a fresh one)."""
    _CACHES.pop(db, None)
