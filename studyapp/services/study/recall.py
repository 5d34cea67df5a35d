"""What the answered questions say as of a moment, kept up to date instead of recomputed.

Statistics and planning need, for the questions answered at least once: each one's
retrievability now, per skill area their count, the mean retrievability, how many are due
and how many are leeches, and every due time for the forecast. A pass over 20,000 answered
questions cost more than the rest of a Home refresh together, and almost nothing in it
changes between two refreshes: a retrievability changes once a day per question (it counts
whole days since the last review), and an answer changes one question.

:class:`RecallState` therefore keeps all of it, with each retrievability's expiry moment in
a heap. Going forward in time it recomputes only the values whose day count changed;
an answer removes the question's old contribution and adds the new one. A moment earlier
than the last one asked for (a profile opened with an earlier ``--now``) rebuilds it.
Sums of retrievabilities are kept per skill; they differ from a fresh sum in row order by
rounding only (far below the four decimals anything shows), and a rebuild every
``REBUILD_AFTER`` updates keeps even that from accumulating.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from studyapp.domain.study_calendar import Shift
from studyapp.storage.study import DAY_MS, PlanningRow
from studyapp.storage.types import to_millis

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
DAY_US = 86_400_000_000
NEVER = -(2**62)
REBUILD_AFTER = 100_000


@dataclass
class Recall:
    """The answered questions as of one moment (see :meth:`RecallState.at`).

    ``retrievability``: by question id, of every question with a memory state and a
    stability (the state's own dictionary: valid until the next answer). Per skill:
    ``seen`` questions answered at least once, ``retention`` their mean retrievability (0
    for one without a stability), ``due`` of those due now and neither suspended nor
    leeches, ``leeches``. ``due_ms``: due times of every question with a memory state that
    is not suspended, ascending (the forecast's source).
    """

    retrievability: dict[int, float]
    seen: dict[str, int] = field(default_factory=dict)
    retention: dict[str, float] = field(default_factory=dict)
    due: dict[str, int] = field(default_factory=dict)
    leeches: dict[str, int] = field(default_factory=dict)
    due_ms: Sequence[int] = ()

    def due_counts_by_day(self, until: datetime, day_offset_ms: int) -> dict[int, int]:
        """Local day number -> questions with a memory state, not suspended, falling due
        before ``until`` (what the SQL oracle ``due_counts_by_day`` in
        ``tests/study_oracles.py`` counts)."""
        dues = self.due_ms
        end = bisect_left(dues, to_millis(until))
        out: dict[int, int] = {}
        at = 0
        while at < end:
            day = (dues[at] + day_offset_ms) // DAY_MS
            nxt = min(bisect_left(dues, (day + 1) * DAY_MS - day_offset_ms, at, end), end)
            out[day] = nxt - at
            at = nxt
        return out

    def due_per_study_day(self, until: datetime, shifts: Sequence[Shift]) -> dict[int, int]:
        """Study day number -> questions falling due that day, before ``until``, each due
        time counted with the UTC offset in force at it (``shifts``: ascending, from
        :meth:`studyapp.domain.study_calendar.StudyCalendar.shifts`)."""
        out: dict[int, int] = {}
        dues = self.due_ms
        until_ms = to_millis(until)
        for i, shift in enumerate(shifts):
            lo = bisect_left(dues, shift.start_ms)
            end_ms = shifts[i + 1].start_ms if i + 1 < len(shifts) else until_ms
            hi = bisect_left(dues, min(end_ms, until_ms))
            at = lo
            while at < hi:
                day = (dues[at] + shift.shift_ms) // DAY_MS
                nxt = min(bisect_left(dues, (day + 1) * DAY_MS - shift.shift_ms, at, hi), hi)
                out[day] = out.get(day, 0) + nxt - at
                at = nxt
        return out


class RecallState:
    """:class:`Recall`'s figures for a list of planning rows, kept current (see module)."""

    def __init__(self, rows: Sequence[PlanningRow], curve: tuple[float, float]) -> None:
        self.rows = rows
        self.curve = curve
        self.now_us = NEVER
        self.updates = 0
        n = len(rows)
        self.r_value = array("d", [0.0]) * n
        self.r_hi = array("q", [0]) * n
        self.expiry: list[tuple[int, int]] = []
        self.retrievability: dict[int, float] = {}
        self.seen: dict[str, int] = {}
        self.r_sum: dict[str, float] = {}
        self.leeches: dict[str, int] = {}
        self.due_by_skill: dict[str, list[int]] = {}
        self.forecast: list[int] = []

    # ------------------------------------------------------------------ queries
    def at(self, now: datetime, others: Sequence[int]) -> Recall:
        """The figures as of ``now``; ``others``: positions of the rows with a memory."""
        now_us = (now - EPOCH) // MICROSECOND
        if now_us < self.now_us or self.updates > REBUILD_AFTER or self.now_us == NEVER:
            self._rebuild(now_us, others)
        else:
            self._advance(now_us)
        now_ms = now_us // 1000  # floor: due_ms <= now_ms iff due <= now
        due = {s: bisect_right(d, now_ms) for s, d in self.due_by_skill.items()}
        return Recall(  # skills with none left out, as a fresh pass would
            retrievability=self.retrievability,
            seen={s: n for s, n in self.seen.items() if n},
            retention={s: self.r_sum.get(s, 0.0) / n for s, n in self.seen.items() if n},
            due={s: n for s, n in due.items() if n},
            leeches={s: n for s, n in self.leeches.items() if n},
            due_ms=self.forecast,
        )

    # ------------------------------------------------------------------ upkeep
    def replace(self, at: int, old: PlanningRow | None, new: PlanningRow) -> None:
        """Row ``at`` changed from ``old`` (None: it had no memory) to ``new``."""
        if self.now_us == NEVER:
            return  # nothing built yet: the first query builds from the rows as they are
        if old is not None and old.memory is not None:
            self._remove(at, old)
        if new.memory is not None:
            self._add(at, new, self.now_us)
        self.updates += 1

    def _rebuild(self, now_us: int, others: Sequence[int]) -> None:
        self.now_us = now_us
        self.updates = 0
        self.expiry.clear()
        self.retrievability.clear()
        for d in (self.seen, self.r_sum, self.leeches, self.due_by_skill):
            d.clear()
        self.forecast.clear()
        rows = self.rows
        for at in others:
            self._add(at, rows[at], now_us, sort=False)
        self.forecast.sort()
        for dues in self.due_by_skill.values():
            dues.sort()
        heapq.heapify(self.expiry)

    def _advance(self, now_us: int) -> None:
        """Recompute the retrievabilities whose day count changed by ``now_us``."""
        self.now_us = now_us
        expiry, rows, r_hi = self.expiry, self.rows, self.r_hi
        while expiry and expiry[0][0] <= now_us:
            hi, at = heapq.heappop(expiry)
            if r_hi[at] != hi:
                continue  # superseded by an answer
            row = rows[at]
            mem = row.memory
            assert mem is not None and mem.stability and mem.last_review is not None
            old = self.r_value[at]
            r = self._compute(at, row, now_us)
            self.retrievability[row.qid] = r
            if mem.reps > 0 and row.skill is not None:
                self.r_sum[row.skill] = self.r_sum.get(row.skill, 0.0) + (r - old)

    def _compute(self, at: int, row: PlanningRow, now_us: int, *, push: bool = True) -> float:
        """Row ``at``'s retrievability at ``now_us``, recorded with its expiry (pushed on
        the heap, or appended to it unordered when ``push`` is false: a rebuild)."""
        mem = row.memory
        assert mem is not None and mem.stability and mem.last_review is not None
        decay, factor = self.curve
        last_us = (mem.last_review - EPOCH) // MICROSECOND
        days = max(0, (now_us - last_us) // DAY_US)
        # retrievability_after(), inlined (it runs for every answered question on a rebuild)
        r = float((1 + factor * days / mem.stability) ** decay)
        self.r_value[at] = r
        hi = last_us + (days + 1) * DAY_US
        self.r_hi[at] = hi
        if push:
            heapq.heappush(self.expiry, (hi, at))
        else:
            self.expiry.append((hi, at))
        return r

    def _add(self, at: int, row: PlanningRow, now_us: int, *, sort: bool = True) -> None:
        mem = row.memory
        assert mem is not None
        skill = row.skill
        r = 0.0
        if mem.stability and mem.last_review is not None:
            r = self._compute(at, row, now_us, push=sort)  # a rebuild heapifies at the end
            self.retrievability[row.qid] = r
        else:
            self.r_hi[at] = 0
        due_ms = to_millis(mem.due)
        if not row.suspended:
            (insort if sort else list.append)(self.forecast, due_ms)
        if skill is None:
            return
        if row.leech:
            self.leeches[skill] = self.leeches.get(skill, 0) + 1
        if mem.reps > 0:
            self.seen[skill] = self.seen.get(skill, 0) + 1
            self.r_sum[skill] = self.r_sum.get(skill, 0.0) + r
            if not row.suspended and not row.leech:
                dues = self.due_by_skill.setdefault(skill, [])
                (insort if sort else list.append)(dues, due_ms)

    def _remove(self, at: int, row: PlanningRow) -> None:
        mem = row.memory
        assert mem is not None
        skill = row.skill
        r = 0.0
        if mem.stability and mem.last_review is not None:
            r = self.r_value[at]
            self.retrievability.pop(row.qid, None)
        self.r_hi[at] = 0  # its heap entry no longer counts
        due_ms = to_millis(mem.due)
        if not row.suspended:
            _remove_sorted(self.forecast, due_ms)
        if skill is None:
            return
        if row.leech:
            self.leeches[skill] -= 1
        if mem.reps > 0:
            self.seen[skill] -= 1
            self.r_sum[skill] -= r
            if not row.suspended and not row.leech:
                _remove_sorted(self.due_by_skill[skill], due_ms)


def _remove_sorted(values: list[int], value: int) -> None:
    i = bisect_left(values, value)
    if i < len(values) and values[i] == value:
        del values[i]
