"""Per-day figures through the study service: the exam countdown and the study day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studyapp.domain.clock import FixedClock
from studyapp.services.profile import Profile
from studyapp.services.settings import local_tz
from studyapp.services.study.service import StudyService
from studyapp.storage.settings import write_settings

NY = ZoneInfo("America/New_York")


@pytest.fixture
def profile(paths):
    p = Profile.open(paths, FixedClock(datetime(2026, 12, 7, 6, 0, tzinfo=UTC)), "test")
    yield p
    p.close()


def test_exam_45_days_ahead_shows_45_days_before_the_rollover(profile):
    """At 01:00 local (still yesterday's study day) the countdown reads the calendar: 45."""
    exam = date(2026, 12, 7) + timedelta(days=45)
    with profile.db.unit_of_work() as session:
        write_settings(session, {"exam_date": exam.isoformat()})
    study = StudyService(profile, tz=NY)
    assert study.study_day(profile.clock.now()) == date(2026, 12, 6)
    assert study.stats().days_to_exam == 45


def test_local_zone_is_a_real_zone_that_follows_daylight_saving(monkeypatch):
    """The default zone comes from TZ as a zoneinfo zone, not today's fixed offset."""
    monkeypatch.setenv("TZ", "America/New_York")
    zone = local_tz()
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset()
    winter = datetime(2026, 12, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset()
    assert summer == timedelta(hours=-4) and winter == timedelta(hours=-5)


def test_the_planner_reads_the_exam_countdown_on_the_local_calendar(paths):
    """At 21:00 on 6 December in New York (02:00 UTC on the 7th) the planner's 'today' is
    the 6th, so an exam on the 7th is still ahead (it was read on the UTC date)."""
    clock = FixedClock(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    p = Profile.open(paths, clock, "test")
    try:
        with p.db.unit_of_work() as session:
            write_settings(session, {"exam_date": "2026-12-07"})
        study = StudyService(p, tz=NY)
        inp = study.plan_input(study.snapshot())
        assert inp.today == date(2026, 12, 6)
        plan = study.plan(10)[0]
        # The exam is ahead, so the day before it caps intervals at one day (on the UTC
        # date it had passed: no cap, 36,500 days).
        assert plan.max_interval_days == 1
    finally:
        p.close()
