"""The study-day calendar: which study day a moment belongs to, with daylight saving.

A study day runs from the rollover hour (04:00, as in Anki) to the next day's rollover in
the learner's time zone, so an evening session that runs past midnight counts for the
evening's day. Every figure that is "per day" — answers today, the streak, answers per
day, the due forecast, the daily new-question limit, days to the exam — takes its days
from :class:`StudyCalendar`, the one rule. The zone must be a real zone (``zoneinfo``)
for daylight saving to be followed: a fixed UTC offset read at one moment would move a
04:30 summer answer into the previous day in winter.

Pure: no clock reads. Moments are UTC-aware datetimes; bulk callers (SQL, the study
cache) work in UTC milliseconds and use :meth:`StudyCalendar.shifts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

ROLLOVER_HOURS = 4
DAY_MS = 86_400_000
EPOCH_DAY = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Shift:
    """From ``start_ms`` on (until the next shift): study day number = (t + shift_ms) // DAY_MS."""

    start_ms: int
    shift_ms: int


@dataclass(frozen=True, slots=True)
class StudyCalendar:
    """Study days in time zone ``tz`` with the day rolling over at ``rollover_hours``."""

    tz: tzinfo
    rollover_hours: int = ROLLOVER_HOURS

    def day_of(self, moment: datetime) -> date:
        """The study day ``moment`` (aware) belongs to."""
        return (moment.astimezone(self.tz) - timedelta(hours=self.rollover_hours)).date()

    def start_of(self, day: date) -> datetime:
        """The UTC instant study day ``day`` begins (its rollover hour, local time)."""
        local = datetime(day.year, day.month, day.day, self.rollover_hours, tzinfo=self.tz)
        return local.astimezone(UTC)

    def local_date(self, moment: datetime) -> date:
        """``moment``'s date on the wall calendar (not the study day: no rollover)."""
        return moment.astimezone(self.tz).date()

    def days_until(self, day: date, moment: datetime) -> int:
        """Whole calendar days from ``moment``'s local date to ``day`` (a countdown).

        A countdown is read against the wall calendar: at 01:00 on 7 December an exam on
        21 January is 45 days away, although the study day is still 6 December.
        """
        return (day - self.local_date(moment)).days

    def next_change(self, moment: datetime) -> datetime:
        """The next moment after ``moment`` at which a per-day figure changes: the next
        rollover (study day) or the next local midnight (the exam countdown)."""
        day = self.day_of(moment)
        rollover = self.start_of(day + timedelta(days=1))
        local = moment.astimezone(self.tz).date() + timedelta(days=1)
        midnight = datetime(local.year, local.month, local.day, tzinfo=self.tz).astimezone(UTC)
        return min(rollover, midnight)

    def shift_at(self, moment: datetime) -> int:
        """Milliseconds to add to a UTC instant near ``moment`` to count study days."""
        offset = moment.astimezone(self.tz).utcoffset() or timedelta(0)
        return (offset - timedelta(hours=self.rollover_hours)) // timedelta(milliseconds=1)

    def shifts(self, start: datetime, end: datetime) -> tuple[Shift, ...]:
        """The shifts in force between ``start`` and ``end``: one per UTC offset.

        The first applies from the beginning of time; each daylight-saving transition
        found (to the second) starts a new one, which applies after ``end`` too. The span
        is widened to whole UTC days and the answer kept (statistics ask for the same
        span many times a day).
        """
        first = start.astimezone(UTC).date() - timedelta(days=1)
        last = end.astimezone(UTC).date() + timedelta(days=1)
        return _shifts(self, first, last)


@lru_cache(maxsize=64)
def _shifts(calendar: StudyCalendar, first: date, last: date) -> tuple[Shift, ...]:
    """:meth:`StudyCalendar.shifts` from midnight UTC of ``first`` to that of ``last``."""
    moment = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)
    shifts = [Shift(-(2**62), calendar.shift_at(moment))]
    while moment < end:
        following = moment + timedelta(days=1)
        if calendar.shift_at(following) != shifts[-1].shift_ms:
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if calendar.shift_at(middle) == shifts[-1].shift_ms:
                    low = middle
                else:
                    high = middle
            start_ms = (high - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
            shifts.append(Shift(start_ms, calendar.shift_at(high)))
        moment = following
    return tuple(shifts)


def day_number(day: date) -> int:
    """Days since 1970-01-01: how bulk counts key their study days."""
    return (day - EPOCH_DAY).days


def day_from_number(number: int) -> date:
    """The date of a :func:`day_number`."""
    return EPOCH_DAY + timedelta(days=number)


def number_of_ms(ms: int, shifts: tuple[Shift, ...]) -> int:
    """The study day number of UTC milliseconds ``ms`` under ``shifts`` (ascending)."""
    shift = shifts[0].shift_ms
    for s in shifts[1:]:
        if ms >= s.start_ms:
            shift = s.shift_ms
        else:
            break
    return (ms + shift) // DAY_MS


def streak(answers_per_day: Mapping[int, int], today: int) -> int:
    """Consecutive study days with answers ending today, or yesterday if none yet today.

    ``answers_per_day``: study day number -> answers. A day not yet practised does not
    break the streak until it is over.
    """
    day = today if answers_per_day.get(today, 0) else today - 1
    count = 0
    while answers_per_day.get(day, 0) > 0:
        count += 1
        day -= 1
    return count
