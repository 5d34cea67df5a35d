"""Answers per age in whole days, kept up to date as the moment moves on and answers come.

Mastery's evidence counts each group of answers (skill, first attempt, correct) by age in
whole days, ``(now - answered_at) // day``, as SQLite computed it (``storage.study``'s
``load_evidence``). Recounting means one bisection per (group, age): ~16,000 for the large
profile's million answers, about 25 ms each time a plan or Home asked (docs/performance.md).

:class:`AgeCounts` keeps, for one sorted array of answer times, the boundaries between
ages: ``bounds[k]`` = answers at least ``k + 1`` days old. When the moment moves forward,
only the boundaries some answer has crossed move: each boundary waits in a heap for the
instant its next answer crosses it (that answer's time plus ``k + 1`` days), so an update
costs one bisection per boundary crossed since the last one, not one per age. Answers
appended (a new answer) are age 0 and move no boundary. The counts are exactly those of a
full recount (``tests/services/test_age_counts.py``, a property test against it). A moment
earlier than the last, a jump of more than a day, or answers after the moment (a clock set
back) start again from a full count.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from heapq import heappop, heappush

DAY_MS = 86_400_000
_K = 1 << 20  # an event is time * _K + boundary, one int: ages below 2**20 days


class AgeCounts:
    """Per-age answer counts of one sorted, growing array of answer times (see module)."""

    __slots__ = ("bounds", "events", "now_ms", "size")

    def __init__(self, times: array[int], now_ms: int) -> None:
        self._count(times, now_ms)

    def _count(self, times: array[int], now_ms: int) -> None:
        """Every boundary from scratch (one bisection per age, as a recount)."""
        bounds = array("q")
        events: list[int] = []
        n = len(times)
        k = 0
        while True:
            b = bisect_right(times, now_ms - (k + 1) * DAY_MS)
            bounds.append(b)
            if b < n:
                events.append((times[b] + (k + 1) * DAY_MS) * _K + k)
            if b == 0:
                break
            k += 1
        events.sort()  # a sorted list is a heap
        self.bounds, self.events, self.now_ms, self.size = bounds, events, now_ms, n

    def at(self, times: array[int], now_ms: int) -> list[tuple[int, int]] | None:
        """(age in days, answers) as of ``now_ms``, ages ascending, empty ages left out;
        None when some answer lies after ``now_ms`` (the caller counts those its own way).

        ``times`` is the array this was made from, sorted, possibly with answers appended.
        """
        n = len(times)
        if n and times[-1] > now_ms:
            return None
        if now_ms < self.now_ms or n < self.size or now_ms - self.now_ms > DAY_MS:
            self._count(times, now_ms)
        else:
            self._advance(times, now_ms)
        out = []
        above = n
        for age, b in enumerate(self.bounds):
            if above > b:
                out.append((age, above - b))
            above = b
        return out

    def _advance(self, times: array[int], now_ms: int) -> None:
        bounds, events = self.bounds, self.events
        n = len(times)
        if n > self.size:
            # Boundaries every answer had crossed had no event: the new answers give one.
            k = 0
            while k < len(bounds) and bounds[k] == self.size:
                heappush(events, (times[bounds[k]] + (k + 1) * DAY_MS) * _K + k)
                k += 1
            self.size = n
        limit = (now_ms + 1) * _K  # every event at or before now_ms
        while events and events[0] < limit:
            k = heappop(events) % _K
            b = bisect_right(times, now_ms - (k + 1) * DAY_MS, bounds[k])
            bounds[k] = b
            if k == len(bounds) - 1 and b > 0:  # the oldest answers reach a new age
                bounds.append(0)
                heappush(events, (times[0] + (k + 2) * DAY_MS) * _K + k + 1)
            if b < n:
                heappush(events, (times[b] + (k + 1) * DAY_MS) * _K + k)
        self.now_ms = now_ms
