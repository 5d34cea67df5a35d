"""The daily goal sets the session size; a short session says why."""

from __future__ import annotations

import random
from datetime import UTC

import pytest

from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.study.service import StudyService
from studyapp.services.study.session_size import DEFAULT_SECONDS, Pace, pace_of, session_size
from tests.packs.factory import pack, question, write_dir


@pytest.fixture
def study(paths, clock, tmp_path):
    profile = Profile.open(paths, clock, "test")
    qs = [question(f"q{i}", ["leadership-vision", "ethics-policies"][i % 2]) for i in range(12)]
    PackService(profile).import_pack(write_dir(pack(qs), tmp_path / "p"))
    yield StudyService(profile, tz=UTC)
    profile.close()


def test_pace_is_the_default_until_enough_answers_then_the_median():
    """Fewer than 20 usable answer times: the default; then their median (outliers out)."""
    assert pace_of([30_000] * 19) == Pace(DEFAULT_SECONDS, False, 19)
    measured = pace_of([20_000] * 15 + [40_000] * 10 + [3_600_000] * 5)
    assert measured.measured and measured.seconds_per_answer == 20.0 and measured.answers == 25


def test_session_size_fills_the_goal_within_bounds():
    """30 minutes at 45 s an answer is 40 questions; tiny and huge goals are bounded."""
    assert session_size(30, Pace(45.0, False, 0)).questions == 40
    assert session_size(5, Pace(120.0, True, 50)).questions == 5
    assert session_size(600, Pace(10.0, True, 50)).questions == 200
    text = session_size(30, Pace(45.0, False, 0)).explanation()
    assert "30 minutes is about 40 questions" in text


def test_default_plan_size_follows_the_daily_goal(study):
    """With no size given, a session holds what the daily goal holds (capped by the bank)."""
    study.profile.update_settings(daily_goal_minutes=5, daily_new_limit=100)
    practice = study.plan_practice(rng=random.Random(1))
    assert practice.asked == 6 and len(practice.items) == 6 and practice.shortfall is None


def test_short_session_says_the_daily_limit_is_why(study):
    """Asked for 10 with a limit of 4 new questions a day: the reason names the limit."""
    study.profile.update_settings(daily_new_limit=4)
    practice = study.plan_practice(10, rng=random.Random(1))
    assert len(practice.items) == 4
    assert practice.shortfall == (
        "You asked for 10 questions; this session has 4: today's limit of 4 new questions "
        "is reached (New questions per day, in Settings), and no review is due now."
    )
    plan, _items = study.plan(10, rng=random.Random(1))
    assert plan.notes[0] == practice.shortfall, "plan() carries it first in the notes"


def test_short_session_says_the_bank_is_seen(study):
    """Every question answered and none due: the reason says so, in plain words."""
    study.profile.update_settings(daily_new_limit=100)
    for item in study.plan_practice(20, rng=random.Random(1)).items:
        study.answer(item.qid, sorted(item.question.correct_ids), 20.0)
    practice = study.plan_practice(15, rng=random.Random(2))
    assert practice.items == []
    assert practice.shortfall == (
        "You asked for 15 questions; this session has 0: every question has been seen, "
        "and no review is due now."
    )


def test_pacing_note_when_the_exam_pace_does_not_fit_the_goal(study):
    """A 5-minute goal cannot hold the new questions an exam date 10 days ahead needs."""
    study.profile.update_settings(daily_goal_minutes=5, exam_date="2026-12-03")
    advice = study.goal_advice()
    assert advice.size.questions == 6 and advice.exam_pace is not None
    assert advice.note is not None
    assert advice.note.startswith("To see every question before your exam on 3 December 2026")
    study.profile.update_settings(daily_goal_minutes=120)
    assert study.goal_advice().note is None, "a goal that holds the pace needs no note"
