"""The study-day calendar: rollover, daylight saving, countdown, streak."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from studyapp.domain.study_calendar import (
    StudyCalendar,
    day_number,
    number_of_ms,
    streak,
)

NY = StudyCalendar(ZoneInfo("America/New_York"))


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def test_day_rolls_over_at_four_local_in_summer_and_winter():
    """03:59 local belongs to the day before, 04:00 to the day itself, on both sides of DST."""
    assert NY.day_of(datetime(2026, 10, 20, 7, 59, tzinfo=UTC)) == date(2026, 10, 19)  # 03:59 EDT
    assert NY.day_of(datetime(2026, 10, 20, 8, 0, tzinfo=UTC)) == date(2026, 10, 20)  # 04:00 EDT
    assert NY.day_of(datetime(2026, 11, 20, 8, 59, tzinfo=UTC)) == date(2026, 11, 19)  # 03:59 EST
    assert NY.day_of(datetime(2026, 11, 20, 9, 0, tzinfo=UTC)) == date(2026, 11, 20)  # 04:00 EST


def test_day_start_follows_the_offset_of_that_day():
    """A summer day starts at 08:00 UTC, a winter day at 09:00 UTC."""
    assert NY.start_of(date(2026, 10, 20)) == datetime(2026, 10, 20, 8, tzinfo=UTC)
    assert NY.start_of(date(2026, 11, 20)) == datetime(2026, 11, 20, 9, tzinfo=UTC)
    day = date(2026, 10, 31)  # its study day holds the 02:00 change on 1 November: 25 hours
    assert NY.start_of(day + timedelta(days=1)) - NY.start_of(day) == timedelta(hours=25)


def test_countdown_counts_calendar_days_before_the_rollover():
    """At 01:00 local an exam 45 calendar days ahead is 45 days away, not 46 (issue 18)."""
    now = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # 01:00 EST, study day still 6 December
    exam = date(2026, 12, 7) + timedelta(days=45)
    assert NY.day_of(now) == date(2026, 12, 6)
    assert NY.days_until(exam, now) == 45


def test_shifts_place_every_instant_on_its_own_days_offset():
    """Bulk day numbers from shifts equal day_of for instants on both sides of the change."""
    start, end = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    shifts = NY.shifts(start, end)
    assert len(shifts) == 2
    assert abs(shifts[1].start_ms - _ms(datetime(2026, 11, 1, 6, tzinfo=UTC))) < 1000
    moment = start
    while moment < end:
        assert number_of_ms(_ms(moment), shifts) == day_number(NY.day_of(moment))
        moment += timedelta(hours=7, minutes=13)


def test_next_change_is_the_earlier_of_midnight_and_rollover():
    """In the evening the countdown changes first (midnight); after midnight the rollover."""
    evening = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)  # 18:00 EST
    assert NY.next_change(evening) == datetime(2026, 12, 8, 5, tzinfo=UTC)  # local midnight
    night = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)  # 01:00 EST
    assert NY.next_change(night) == datetime(2026, 12, 8, 9, tzinfo=UTC)  # 04:00 EST


def test_streak_waits_for_today_and_breaks_on_a_missed_day():
    """A streak ends today or, before today's first answer, yesterday; a gap ends it."""
    assert streak({10: 3, 9: 1, 8: 2, 6: 1}, 10) == 3
    assert streak({9: 1, 8: 2}, 10) == 2
    assert streak({8: 2}, 10) == 0
    assert streak({}, 10) == 0
