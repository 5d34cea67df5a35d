"""Readiness in the app takes mock exam results into account, as the simulation measures."""

from __future__ import annotations

import random
from datetime import UTC

from studyapp.services.exams.service import ExamService
from studyapp.services.exams.views import ExamRequest
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.study import cache as study_cache
from studyapp.services.study.service import StudyService
from studyapp.services.study.snapshot import mock_evidence, skill_masteries
from tests.packs.factory import SKILLS, pack, question, write_dir


def test_a_mock_exam_below_the_pass_line_pulls_readiness_down(paths, clock, tmp_path):
    """After strong practice, a mock exam whose new questions were all missed lowers every
    skill's mastery and the readiness beyond what those answers do as practice evidence;
    questions studied before the exam are not mock evidence."""
    profile = Profile.open(paths, clock, "test")
    try:
        qs = [question(f"q{s[:2]}{i}", s) for s in SKILLS for i in range(15)]
        PackService(profile).import_pack(write_dir(pack(qs), tmp_path / "p"))
        study = StudyService(profile, tz=UTC)
        _plan, items = study.plan(30, rng=random.Random(1))
        for item in items:
            study.answer(item.qid, ["a"], 25.0)
            clock.advance(30)
        practised = {item.qid for item in items}
        clock.advance(86_400)
        exams = ExamService(profile)
        view = exams.create(ExamRequest(length=20, seed=3)).value
        exams.start(view.id)
        new_items = 0
        for position in range(20):
            exams.navigate(view.id, position)
            q = exams.question(view.id, position)
            new_items += q.qid not in practised
            wrong = next(o.id for o in q.options if o.id != "a")
            exams.answer(view.id, position, [wrong])
        exams.submit(view.id)
        clock.advance(3_600)
        snap = study.snapshot()
        with profile.db.reader() as session:
            cache = study_cache.current(profile.db, session)
            mocks = mock_evidence(session, snap.now, snap.framework.id, cache, {})
            evidence = cache.evidence(snap.now)
        assert new_items > 0
        assert sum(n for answers in mocks.values() for _c, _a, n in answers) == new_items
        assert all(not correct for answers in mocks.values() for correct, _a, _n in answers)
        without = skill_masteries(snap.framework, snap.unseen.totals, snap.recall, evidence)
        for skill in SKILLS:
            assert snap.masteries[skill].mean < without[skill].mean
    finally:
        profile.close()


def test_a_mock_exam_handed_in_unanswered_is_no_evidence(paths, clock, tmp_path):
    """A mock exam handed in with no answer (a learner trying the screen, or walking away)
    leaves every skill's mastery as it was: unanswered questions say nothing about what
    the learner knows (it used to count them all as wrong and drop readiness to 0%)."""
    profile = Profile.open(paths, clock, "test")
    try:
        qs = [question(f"q{s[:2]}{i}", s) for s in SKILLS for i in range(15)]
        PackService(profile).import_pack(write_dir(pack(qs), tmp_path / "p"))
        study = StudyService(profile, tz=UTC)
        _plan, items = study.plan(30, rng=random.Random(1))
        for item in items:
            study.answer(item.qid, ["a"], 25.0)
            clock.advance(30)
        clock.advance(86_400)
        before = {k: m.mean for k, m in study.snapshot().masteries.items()}
        exams = ExamService(profile)
        view = exams.create(ExamRequest(length=20, seed=3)).value
        exams.start(view.id)
        exams.submit(view.id)
        after = {k: m.mean for k, m in study.snapshot().masteries.items()}
        assert after == before
    finally:
        profile.close()
