"""The study service on a real profile: answers, undo, cram, leeches, stats, optimize."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing

import pytest
from fsrs import Rating

from studyapp.domain.errors import StudyAppError
from studyapp.domain.memory import review
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.study.parameters import MIN_REVIEWS_TO_FIT
from studyapp.services.study.service import StudyService
from tests.packs.factory import pack, question, write_dir


@pytest.fixture
def study(paths, clock, tmp_path):
    profile = Profile.open(paths, clock, "test")
    qs = [
        question(f"q{i}", skill)
        for i, skill in enumerate(
            ["leadership-vision", "strategic-planning", "ethics-policies", "data-management"] * 5
        )
    ]
    PackService(profile).import_pack(write_dir(pack(qs), tmp_path / "p"))
    from datetime import UTC

    service = StudyService(profile, tz=UTC)
    yield service
    profile.close()


def rows(service):
    with closing(sqlite3.connect(service.profile.paths.database)) as conn:
        return [line for line in conn.iterdump() if line.startswith("INSERT")]


def test_answer_commits_log_and_memory(study):
    """An answer is in the log and moves the schedule, committed when it returns."""
    _plan, items = study.plan(5, rng=random.Random(1))
    item = items[0]
    result = study.answer(item.qid, ["a"], 30.0).value
    assert result.correct and result.rating == Rating.Good and result.next_due is not None
    with closing(sqlite3.connect(study.profile.paths.database)) as conn:
        assert conn.execute("SELECT COUNT(*), first_attempt FROM review_log").fetchone() == (1, 1)
        assert conn.execute("SELECT reps, last_correct FROM memory_state").fetchone() == (1, 1)


def test_undo_restores_memory_and_log_exactly(study):
    """Undo of the last answer leaves every row as it was before that answer."""
    _plan, items = study.plan(5, rng=random.Random(2))
    study.answer(items[0].qid, ["a"], 30.0)
    study.profile.clock.advance(3 * 86400)
    before = rows(study)
    study.answer(items[0].qid, ["b"], 12.0)
    assert rows(study) != before
    assert study.undo_last().value == items[0].qid
    assert rows(study) == before
    assert study.undo_last().value == items[0].qid
    assert study.undo_last().value is None


def test_cram_does_not_move_the_schedule(study):
    """Cram answers are logged but leave memory states alone."""
    _plan, items = study.plan(3, rng=random.Random(3))
    study.answer(items[0].qid, ["a"], 30.0)
    with closing(sqlite3.connect(study.profile.paths.database)) as conn:
        state = conn.execute("SELECT * FROM memory_state").fetchall()
    study.answer(items[0].qid, ["b"], 30.0, mode="cram")
    with closing(sqlite3.connect(study.profile.paths.database)) as conn:
        assert conn.execute("SELECT * FROM memory_state").fetchall() == state
        assert conn.execute("SELECT COUNT(*) FROM review_log WHERE mode='cram'").fetchone() == (1,)


def test_repeated_failures_make_a_leech_that_leaves_the_queue(study):
    """Five wrong answers flag a leech; it leaves normal reviews and returns explained."""
    _plan, items = study.plan(1, rng=random.Random(4))
    qid = items[0].qid
    for _ in range(5):
        result = study.answer(qid, ["b"], 20.0).value
        study.profile.clock.advance(2 * 86400)
    assert result.leech and result.became_leech
    _plan, planned = study.plan(20, rng=random.Random(5))
    leech_items = [p for p in planned if p.qid == qid]
    assert (
        leech_items and leech_items[0].reason == "leech" and leech_items[0].show_explanation_first
    )
    stats = study.stats()
    assert sum(s.leeches for s in stats.skills) == 1


def test_bad_answers_are_refused_and_change_nothing(study):
    """Unknown option ids are a clear error and write nothing."""
    _plan, items = study.plan(1, rng=random.Random(6))
    before = rows(study)
    with pytest.raises(StudyAppError, match="do not exist"):
        study.answer(items[0].qid, ["zz"], 10.0)
    assert rows(study) == before


def test_stats_counts_streak_and_forecast(study):
    """Stats count answers, seen questions, streak over days and a 14-day forecast."""
    for day in range(3):
        _plan, items = study.plan(4, rng=random.Random(day))
        for item in items:
            study.answer(item.qid, ["a"], 25.0)
        study.profile.clock.advance(86400)
    report = study.stats()
    doc = report.to_json()
    assert doc["reviews"] == 12 and report.streak == 3
    assert sum(s["seen"] for s in doc["skills"]) >= 4
    assert len(doc["forecast"]) == 14 and sum(f["due"] for f in doc["forecast"]) >= 1
    # 12 answers are too few for an estimate: readiness and mastery wait for evidence.
    assert doc["readiness"] is None and doc["readiness_why"]
    for s in doc["skills"]:
        assert s["evidence"] in ("none", "few") and s["mastery"] is None


def test_optimize_needs_enough_answers_then_fits_parameters_fsrs_uses(study):
    """Below the threshold defaults stay; above it fitted parameters schedule through py-fsrs."""
    report = study.optimize().value
    assert not report.fitted and str(MIN_REVIEWS_TO_FIT) in report.message
    rng = random.Random(7)
    qids = [item.qid for item in study.plan(20, rng=rng, new_limit=100)[1]]
    for _day in range(60):
        for qid in rng.sample(qids, 8):
            study.answer(qid, ["a"] if rng.random() < 0.8 else ["b"], 20.0)
        study.profile.clock.advance(86400 * rng.choice([1, 2, 3]))
    report = study.optimize().value
    assert report.fitted and len(report.parameters) == 21
    assert study.parameters() == report.parameters
    state = review(None, Rating.Good, study.profile.clock.now(), parameters=report.parameters)
    assert state.stability == pytest.approx(report.parameters[2])
