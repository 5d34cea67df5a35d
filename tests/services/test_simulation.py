"""``studyapp simulate``: the app's planner input, the honest exam, the baselines, the JSON."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, timedelta

import pytest

from studyapp.domain.planner import exam_schedule
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.simulation import experiment as sim
from studyapp.services.simulation import learner as sim_learner
from studyapp.services.simulation import policies
from studyapp.services.study.service import StudyService
from studyapp.storage.settings import write_settings
from tests.packs.factory import SKILLS, pack, question, write_dir

EXAM = date(2026, 12, 20)


@pytest.fixture
def study(paths, clock, tmp_path):
    profile = Profile.open(paths, clock, "test")
    qs = [question(f"q{i}", SKILLS[i % 4]) for i in range(24)]
    PackService(profile).import_pack(write_dir(pack(qs), tmp_path / "p"))
    with profile.db.unit_of_work() as session:
        write_settings(session, {"exam_date": EXAM.isoformat()})
    yield StudyService(profile, tz=UTC)
    profile.close()


def _mirror(service: StudyService) -> sim_learner.Run:
    """A simulation run over the profile's questions (same ids, words and exam date)."""
    snap = service.snapshot()
    questions = []
    for i, row in enumerate(snap.rows):
        q = service.question(row.qid).question
        words = len(" ".join([q.stem, *(o.text for o in q.options)]).split())
        questions.append(
            sim_learner.SimQuestion(i, row.skill or "", row.difficulty, words, row.qid)
        )
    learner = sim_learner.make_learner(
        questions, snap.framework, sim_learner.Model(), random.Random(1)
    )
    days = (EXAM - sim_learner.START.date()).days
    return sim_learner.Run(
        questions, snap.framework, learner, sim_learner.Model(), days, random.Random(2)
    )


def test_plan_input_is_the_same_in_the_app_and_the_simulation(study):
    """The same answers give the same planner input through StudyService and simulate."""
    run = _mirror(study)
    assert run.exam_day == EXAM
    by_qid = {q.id: q for q in run.qs}
    rng = random.Random(7)
    for day in range(6):
        for _ in range(3):
            _plan, items = study.plan(4, rng=random.Random(rng.random()))
            for item in items[:2]:
                correct = rng.random() < 0.6
                seconds = rng.uniform(8, 60)
                now = study.profile.clock.now()
                study.answer(item.qid, ["a" if correct else "b"], seconds)
                retention, max_days = exam_schedule(now.date(), EXAM, 0.9)
                run.record(
                    by_qid[item.qid], now, correct, seconds, retention=retention, max_days=max_days
                )
                study.profile.clock.advance(600)
        study.profile.clock.advance(86_400 - 3 * 2 * 600 + 3_600 * (day % 2))
    snap = study.snapshot()
    app = study.plan_input(snap)
    mirrored = run.plan_input(snap.now, mocks=False)
    assert any(c.seen and c.memory is not None for c in app.candidates)
    assert app.candidates == mirrored.candidates
    assert app.mastery == pytest.approx(mirrored.mastery, abs=1e-12)
    assert app.ability == pytest.approx(mirrored.ability, abs=1e-12)
    assert replace(app, candidates=(), mastery={}, ability={}) == replace(
        mirrored, candidates=(), mastery={}, ability={}
    )


def test_app_plan_input_carries_memory_ability_and_parameters(study):
    """The app's planner input has every seen question's memory, ability per skill and
    the FSRS parameters (before, it passed none of them)."""
    _plan, items = study.plan(3, rng=random.Random(1))
    study.answer(items[0].qid, ["b"], 20.0)
    inp = study.plan_input(study.snapshot())
    seen = [c for c in inp.candidates if c.seen]
    assert len(seen) == 1 and seen[0].memory is not None and seen[0].last_correct is False
    assert set(inp.ability) == set(inp.mastery) and inp.ability[seen[0].skill] < 0.45
    assert inp.parameters == study.parameters()


def _run(days=30, model=None):
    questions, fw = sim.shipped_questions()
    model = model or sim_learner.Model()
    learner = sim_learner.make_learner(questions, fw, model, random.Random(3))
    return sim_learner.Run(questions, fw, learner, model, days, random.Random(4))


def test_shuffled_covers_every_question_once_before_any_repeat():
    """The shuffled baseline asks each question once, in random order, then starts over."""
    run = _run()
    first = [policies.shuffled_policy(run, sim_learner.START, set())[0][0].index for _ in run.qs]
    assert sorted(first) == list(range(len(run.qs)))
    assert first != sorted(first)
    second = [policies.shuffled_policy(run, sim_learner.START, set())[0][0].index for _ in run.qs]
    assert sorted(second) == sorted(first) and second != first


def test_exam_items_are_new_at_overlap_zero():
    """With exam_overlap 0, memorising bank questions does not raise the exam score;
    with overlap, it does."""
    run = _run()
    at = 86_400.0 * 5
    before = run.true_exam(at)
    for i, q in enumerate(run.qs):
        for day in range(4):
            run.study(
                q, sim_learner.START + timedelta(days=day, seconds=i), reschedule=True,
                retention=0.9, max_days=36_500,
            )  # fmt: skip
    run.learner.transfer.clear()  # what transferred to the skills, taken away again
    assert run.true_exam(at) == pytest.approx(before)
    overlapping = _run(model=sim_learner.Model(exam_overlap=0.5))
    overlapping.items = run.items
    overlapping.learner = run.learner
    assert overlapping.true_exam(at)[0] > before[0] + 5


def test_first_study_transfers_more_than_a_repeat():
    """Studying a question the first time raises the skill more than re-studying it."""
    run = _run()
    q = run.qs[0]
    run.study(q, sim_learner.START, reschedule=True, retention=0.9, max_days=36_500)
    first = run.learner.gained(q.skill, 0.0, 1e9)
    run.study(
        q, sim_learner.START + timedelta(hours=1), reschedule=True, retention=0.9, max_days=36_500
    )
    assert 0 < run.learner.gained(q.skill, 3600.0, 1e9) - first < first


def test_planner_leaves_no_question_unseen_when_time_allows():
    """With enough time before the exam, the planner shows every question of the bank."""
    questions, fw = sim.shipped_questions()
    model = sim_learner.Model()
    learner = sim_learner.make_learner(questions, fw, model, random.Random(5))
    outcome = sim._simulate_learner(
        questions, fw, learner, model, policies.planner_policy, 40, 30.0, random.Random(6), True
    )
    assert outcome.unseen_on_exam_day == 0


def test_simulate_json_has_every_policy_intervals_and_calibration():
    """The JSON has the four policies with 95% intervals, the Brier score, a reliability
    table and the model's parameters."""
    questions, fw = sim.shipped_questions()
    doc = sim.simulate(questions, fw, learners=2, days=8, minutes=10, seed=3)
    assert set(doc["policies"]) == {"planner", "uniform", "due_first", "shuffled"}
    for p in doc["policies"].values():
        assert set(p) >= {
            "pass_rate",
            "pass_rate_ci",
            "expected_score",
            "days_to_pass",
            "minutes_to_pass",
            "minutes_to_pass_ci",
        }
        lo, hi = p["pass_rate_ci"]
        assert 0 <= lo <= p["pass_rate"] <= hi <= 1
    assert 0 <= doc["readiness_brier"] <= 1
    assert doc["reliability"] and sum(r["n"] for r in doc["reliability"]) == 2
    for row in doc["reliability"]:
        assert set(row) == {"predicted", "observed", "n"}
    assert doc["model"]["exam_overlap"] == 0.0 and "transfer_new" in doc["model"]


def _outcome(p: float, minutes: float | None) -> sim_learner.Outcome:
    return sim_learner.Outcome(p, 70.0, None if minutes is None else 1, minutes, [])


def test_paired_difference_is_learner_by_learner():
    """The planner-vs-baseline difference pairs each learner with themself: its interval
    is tight when every learner gains the same, and never-reached minutes are reported as
    unknown, not as a number."""
    planner = [_outcome(0.5 + i / 100, 100.0 + i) for i in range(40)]
    other = [_outcome(0.4 + i / 100, 130.0 + i) for i in range(40)]
    d = sim.paired_difference(planner, other, random.Random(1))
    assert d["pass_rate_difference"] == pytest.approx(0.1)
    assert d["pass_rate_difference_ci"] == [pytest.approx(0.1), pytest.approx(0.1)]
    assert d["minutes_to_pass_difference"] == pytest.approx(-30.0)
    assert d["learners_ahead"] == 40 and d["learners_sooner"] == 40 and d["learners"] == 40
    never = [_outcome(0.1, None) for _ in range(40)]
    d2 = sim.paired_difference(planner, never, random.Random(1))
    assert d2["minutes_to_pass_difference"] is None
    assert d2["learners_sooner"] == 40
    d3 = sim.paired_difference(never, never, random.Random(1))
    assert d3["minutes_to_pass_difference"] is None and d3["learners_sooner"] == 0


def test_simulate_json_compares_the_planner_with_each_baseline_paired():
    """`planner_vs` holds a paired comparison with each of the three baselines."""
    questions, fw = sim.shipped_questions()
    doc = sim.simulate(questions, fw, learners=2, days=8, minutes=10, seed=3)
    assert set(doc["planner_vs"]) == {"uniform", "due_first", "shuffled"}
    for d in doc["planner_vs"].values():
        lo, hi = d["pass_rate_difference_ci"]
        assert lo <= d["pass_rate_difference"] <= hi and d["learners"] == 2
