"""The study cache answers exactly what the SQL it replaces answered, and stays in step."""

from __future__ import annotations

import random
from datetime import UTC, timedelta

import pytest

from benchmarks.generator import BENCH_NOW, build_profile, open_profile
from studyapp.domain.memory import forgetting_curve
from studyapp.domain.planner import plan_session
from studyapp.services.study import cache as study_cache
from studyapp.services.study.service import StudyService
from studyapp.storage.study import load_evidence
from tests.study_oracles import (
    answers_per_day,
    count_reviews,
    due_counts_by_day,
    load_planning_rows,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A profile with 150 questions and 1,500 answers over two years (generated once)."""
    return build_profile(tmp_path_factory.mktemp("cache") / "p", 150, 1_500, seed=12)


@pytest.fixture
def profile(built, tmp_path):
    import shutil

    target = tmp_path / "copy"
    shutil.copytree(built.data_dir, target)
    p = open_profile(target)
    yield p
    p.close()


def _sql_view(profile, now):
    with profile.db.reader() as session:
        return (
            load_evidence(session, now),
            tuple(load_planning_rows(session)),
            count_reviews(session),
            {
                d: (n, c)
                for d, (n, c, _ms) in answers_per_day(
                    session, now - timedelta(400), -3_600_000
                ).items()
            },
            due_counts_by_day(session, now + timedelta(days=14), -3_600_000),
        )


def _cached_view(profile, now):
    with profile.db.reader() as session:
        cache = study_cache.current(profile.db, session)
        return (
            cache.evidence(now),
            tuple(cache.rows),
            cache.count,
            cache.answers_per_day(now - timedelta(400), -3_600_000),
            cache.recall(now, forgetting_curve()).due_counts_by_day(
                now + timedelta(days=14), -3_600_000
            ),
        )


@pytest.mark.parametrize("shift_days", [0, -30, -400])
def test_cache_matches_the_sql_exactly(profile, shift_days):
    """Evidence (order and floats), rows, counts and days equal the SQL's, also for a --now
    before some answers (negative ages)."""
    now = BENCH_NOW + timedelta(days=shift_days, minutes=shift_days * 7)
    assert _cached_view(profile, now) == _sql_view(profile, now)


def test_answers_update_the_cache_in_place_and_stats_stay_identical(profile):
    """After answers through the service the cached state equals a fresh load, and stats
    reports are the same with and without the cache."""
    service = StudyService(profile, tz=UTC)
    rng = random.Random(3)
    service.stats()  # fills the cache
    for _ in range(3):
        _plan, items = service.plan(5, rng=rng, new_limit=100)
        for item in items:
            chosen = sorted(item.question.correct_ids) if rng.random() < 0.7 else ["a"]
            service.answer(item.qid, chosen, 12.0)
            profile.clock.advance(600)
    with profile.db.reader() as session:
        cache = study_cache.current(profile.db, session)
    assert cache.count == count_reviews_of(profile)
    now = profile.clock.now()
    assert _cached_view(profile, now) == _sql_view(profile, now)
    warm = service.stats().to_json()
    study_cache.forget(profile.db)
    assert service.stats().to_json() == warm


def test_other_writes_make_the_cache_reload(profile):
    """Undo and suspension (writes the cache does not follow) are seen at the next read."""
    service = StudyService(profile, tz=UTC)
    _plan, items = service.plan(3, rng=random.Random(5), new_limit=100)
    service.answer(items[0].qid, ["a"], 10.0)
    before = service.stats()
    service.undo_last()
    service.set_suspended(items[1].qid, True)
    after = service.stats()
    assert after.reviews == before.reviews - 1
    now = profile.clock.now()
    assert _cached_view(profile, now) == _sql_view(profile, now)


def count_reviews_of(profile) -> int:
    with profile.db.reader() as session:
        return count_reviews(session)


def test_indexed_plans_equal_plain_ones_and_stay_equal_after_answers(profile):
    """The default mode planned from the cache's unseen index gives the plan the plain path
    gives (every candidate built), before and after answers have updated the index."""
    service = StudyService(profile, tz=UTC)
    rng = random.Random(21)
    for round_ in range(4):
        snap = service.snapshot()
        indexed = service.plan_input(snap, indexed=True)
        plain = service.plan_input(snap)
        assert indexed.index is not None and plain.index is None
        assert len(indexed.candidates) < len(plain.candidates)
        exclude = frozenset(c.qid for c in plain.candidates[:: 7 + round_])
        for mode in ("default", "unseen"):
            a = plan_session(
                indexed, snap.now, 12, random.Random(round_), mode=mode, exclude=exclude
            )
            b = plan_session(plain, snap.now, 12, random.Random(round_), mode=mode, exclude=exclude)
            assert a == b and a.items
        _plan, items = service.plan(6, rng=rng, new_limit=100)
        for item in items:
            service.answer(item.qid, sorted(item.question.correct_ids), 9.0)
            profile.clock.advance(3600 * 7)
    with profile.db.reader() as session:
        warm = study_cache.current(profile.db, session).unseen_index()
    study_cache.forget(profile.db)
    with profile.db.reader() as session:
        fresh = study_cache.current(profile.db, session).unseen_index()
    assert _nonempty(warm.groups) == _nonempty(fresh.groups) and warm.members == fresh.members
    assert warm.others == fresh.others and warm.totals == fresh.totals


def _nonempty(groups):
    """Groups without the emptied difficulty levels answers leave behind."""
    return {s: [(d, list(qids)) for d, qids in levels if qids] for s, levels in groups.items()}


def test_planning_rows_read_on_the_driver_equal_the_orm_ones(profile):
    """The compiled statement run on the driver reads exactly what the ORM query reads."""
    from studyapp.storage.study import load_planning_table

    with profile.db.reader() as session:
        raw = list(load_planning_table(session))
        orm = load_planning_rows(session)
    assert raw == orm and any(r.memory for r in raw) and any(r.memory is None for r in raw)
    assert {type(r.last_correct) for r in raw} <= {bool, type(None)}


def test_a_mock_exam_keeps_the_cache_until_it_is_submitted(profile):
    """Creating, answering and flagging a sitting writes only exam tables: the study cache
    (and the exam pool derived from it) stays; submitting logs answers and reloads it."""
    from studyapp.services.exams.service import ExamService
    from studyapp.services.exams.views import ExamRequest

    service = StudyService(profile, tz=UTC)
    service.stats()
    with profile.db.reader() as session:
        before = study_cache.current(profile.db, session)
    exams = ExamService(profile, rng=random.Random(4))
    view = exams.create(ExamRequest("cetl", length=10, seed=3)).value
    exams.start(view.id, mono=0.0)
    question = exams.question(view.id, 0)
    exams.answer(view.id, 0, [question.options[0].id], mono=5.0)
    exams.flag(view.id, 1, mono=6.0)
    with profile.db.reader() as session:
        assert study_cache.current(profile.db, session) is before
    exams.submit(view.id, mono=20.0)
    with profile.db.reader() as session:
        after = study_cache.current(profile.db, session)
    assert after is not before and after.count == before.count + 1  # the one answered
    now = profile.clock.now()
    assert _cached_view(profile, now) == _sql_view(profile, now)


def test_recall_kept_up_to_date_equals_one_computed_afresh(profile):
    """Moving forward in time (retrievabilities expiring day by day) and answering
    (contributions replaced), the kept figures equal those of a fresh pass; going back in
    time rebuilds them."""
    from studyapp.services.study.recall import RecallState

    service = StudyService(profile, tz=UTC)
    curve = forgetting_curve()
    rng = random.Random(8)

    def check() -> None:
        now = profile.clock.now()
        with profile.db.reader() as session:
            cache = study_cache.current(profile.db, session)
        kept = cache.recall(now, curve)
        others = cache.unseen_index().others
        fresh = RecallState(list(cache.rows), curve).at(now, others)
        assert kept.retrievability == fresh.retrievability
        assert (kept.seen, kept.due, kept.leeches) == (fresh.seen, fresh.due, fresh.leeches)
        assert list(kept.due_ms) == list(fresh.due_ms)
        assert kept.retention.keys() == fresh.retention.keys()
        assert all(abs(kept.retention[s] - fresh.retention[s]) < 1e-12 for s in kept.retention)

    service.stats()
    for _ in range(6):
        _plan, items = service.plan(4, rng=rng, new_limit=100)
        for item in items:
            chosen = sorted(item.question.correct_ids) if rng.random() < 0.6 else ["a"]
            service.answer(item.qid, chosen, 11.0)
        profile.clock.advance(3600 * 17)  # days roll over for some, not all
        check()
    profile.clock.current = profile.clock.now() - timedelta(days=3)  # back in time
    check()
