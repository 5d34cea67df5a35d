"""A plan made ahead equals a plan made on time for the same state and instant, and is
shown only while it still stands for one made now."""

from __future__ import annotations

import random
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.generator import build_profile, open_profile
from studyapp.services.study import cache as study_cache
from studyapp.services.study.practice import PracticePlan
from studyapp.services.study.service import AHEAD_LIMIT, StudyService
from studyapp.storage.settings import write_settings


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A profile with 150 questions and 1,500 answers over two years (generated once)."""
    return build_profile(tmp_path_factory.mktemp("ahead") / "p", 150, 1_500, seed=21)


@pytest.fixture
def profile(built, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(built.data_dir, target)
    p = open_profile(target)
    yield p
    p.close()


def _view(practice: PracticePlan) -> tuple:
    """Everything a plan shows the learner."""
    return (
        [(i.qid, i.reason, i.option_order, i.show_explanation_first) for i in practice.items],
        practice.plan.notes,
        practice.shortfall,
        practice.pacing,
        practice.as_of,
    )


def _answer_session(service: StudyService, rng: random.Random) -> None:
    practice = service.plan_practice(20, rng=rng, new_limit=1000)
    for item in practice.items:
        wrong = [o.id for o in item.question.options if not o.correct]
        chosen = sorted(item.question.correct_ids) if rng.random() < 0.7 else [wrong[0]]
        service.answer(item.qid, chosen, rng.uniform(5, 30))
        service.profile.clock.advance(rng.uniform(5, 40))


@pytest.mark.parametrize("exam_in_days", [None, 30])
@pytest.mark.parametrize("mode", ["default", "unseen", "missed"])
def test_a_plan_made_ahead_equals_one_made_on_time(profile, exam_in_days, mode):
    """Right after a session's answers (cache updated in place), planning ahead gives the
    plan that planning on time gives from a fresh read of the same state at the same
    instant with the same random generator."""
    service = StudyService(profile, tz=UTC)
    if exam_in_days is not None:
        exam = (profile.clock.now() + timedelta(days=exam_in_days)).date().isoformat()
        with profile.db.unit_of_work() as session:
            write_settings(session, {"exam_date": exam})
    _answer_session(service, random.Random(3))
    ahead = service.plan_ahead(20, mode=mode, rng=random.Random(9), new_limit=1000)
    assert ahead.items
    study_cache.forget(profile.db)  # the on-time plan reads everything afresh
    on_time = service.plan_practice(20, mode=mode, rng=random.Random(9), new_limit=1000)
    assert _view(ahead) == _view(on_time)
    assert service.plan_is_current(ahead)


def test_a_plan_made_ahead_stands_only_while_nothing_changed(profile):
    """Current right after; not after an answer, after the limit, across the study-day
    rollover, or after another process wrote an answer."""
    service = StudyService(profile, tz=UTC)
    clock = profile.clock
    rng = random.Random(4)
    _answer_session(service, rng)
    ahead = service.plan_ahead(20, rng=rng, new_limit=1000)
    clock.advance(30)
    assert service.plan_is_current(ahead)
    item = ahead.items[0]
    service.answer(item.qid, sorted(item.question.correct_ids), 9.0)
    assert not service.plan_is_current(ahead)  # an answer since

    ahead = service.plan_ahead(20, rng=rng, new_limit=1000)
    clock.advance((AHEAD_LIMIT - timedelta(seconds=1)).total_seconds())
    assert service.plan_is_current(ahead) == (
        service.study_day(clock.now()) == service.study_day(ahead.as_of)
    )
    clock.advance(2)
    assert not service.plan_is_current(ahead)  # too old

    # Five seconds before the 04:00 rollover (UTC here): current, then not once it passes.
    now = clock.now()
    clock.current = datetime(now.year, now.month, now.day, 3, 59, 55, tzinfo=UTC) + timedelta(
        days=1
    )
    ahead = service.plan_ahead(20, rng=rng, new_limit=1000)
    assert service.plan_is_current(ahead)
    clock.advance(10)
    assert not service.plan_is_current(ahead)  # another study day

    ahead = service.plan_ahead(20, rng=rng, new_limit=1000)
    assert service.plan_is_current(ahead)
    with closing(sqlite3.connect(profile.db.path)) as conn, conn:  # another process answers
        conn.execute(
            "INSERT INTO review_log (question_id, question_ref, skill_key, answered_at, chosen,"
            " correct, response_ms, mode, rating, guessed, first_attempt, session_id, exam_id,"
            " memory_before) SELECT question_id, question_ref, skill_key, answered_at, chosen,"
            " correct, response_ms, mode, rating, guessed, 0, NULL, NULL, memory_before"
            " FROM review_log ORDER BY id DESC LIMIT 1"
        )
    assert not service.plan_is_current(ahead)
