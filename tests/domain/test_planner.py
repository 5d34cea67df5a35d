"""The planner: allocation, limits, pacing, leeches, modes; invariants by hypothesis."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.domain.leech import LEECH_THRESHOLD, after_answer
from studyapp.domain.memory import MemoryState
from studyapp.domain.planner import (
    BUFFER_DAYS,
    MODES,
    Candidate,
    PlanInput,
    exam_schedule,
    horizon_targets,
    new_question_allowance,
    plan_session,
)

NOW = datetime(2026, 11, 23, 18, tzinfo=UTC)
WEIGHTS = {"lv": 0.15, "sp": 0.15, "ep": 0.10, "dm": 0.07}


def bank(per_skill=20, seen_every=0, due=True):
    out, qid = [], 0
    for skill in WEIGHTS:
        for i in range(per_skill):
            qid += 1
            seen = bool(seen_every) and i % seen_every == 0
            mem = (
                MemoryState(2, None, 3.0, 5.0, NOW - timedelta(days=1), NOW - timedelta(days=4))
                if seen
                else None
            )
            out.append(
                Candidate(
                    qid,
                    skill,
                    seen,
                    (NOW - timedelta(hours=1))
                    if seen and due
                    else (NOW + timedelta(days=3) if seen else None),
                    0.6 if seen else 0.0,
                    memory=mem,
                )
            )
    return out


def test_due_first_lowest_retrievability_first_and_capped():
    """Due reviews lead, weakest memory first, but leave room for new material."""
    cands = [
        Candidate(i, "lv", True, NOW - timedelta(hours=1), r)
        for i, r in enumerate([0.9, 0.2, 0.5] * 10)
    ]
    cands += [Candidate(100 + i, "sp", False, None, 0.0) for i in range(20)]
    plan = plan_session(PlanInput(cands, WEIGHTS, {}), NOW, 10, random.Random(1))
    reasons = Counter(i.reason for i in plan.items)
    assert reasons["due"] == 7 and reasons["new"] == 3
    due_r = [
        next(c.retrievability for c in cands if c.qid == i.qid)
        for i in plan.items
        if i.reason == "due"
    ]
    assert sorted(due_r) == [0.2] * 7


def test_new_questions_go_to_heavy_weak_areas():
    """Allocation follows weight × weakness × unseen share, and still spreads across areas."""
    plan = plan_session(
        PlanInput(
            bank(), WEIGHTS, {"lv": 0.3, "sp": 0.8, "ep": 0.45, "dm": 0.45}, daily_new_limit=40
        ),
        NOW,
        20,
        random.Random(2),
    )
    by_skill = Counter(i.skill for i in plan.items)
    assert by_skill["lv"] > by_skill["sp"] and by_skill["lv"] > by_skill["dm"]
    assert len(by_skill) == 4, "every area with gain appears"


def test_interleaving_avoids_runs_of_one_skill():
    """Consecutive questions come from different areas where possible."""
    plan = plan_session(
        PlanInput(bank(), WEIGHTS, {}, daily_new_limit=40), NOW, 16, random.Random(3)
    )
    skills = [i.skill for i in plan.items]
    runs = sum(1 for a, b in pairwise(skills) if a == b)
    assert runs <= 2


def test_daily_new_limit_is_respected():
    """No more new questions than today's remaining allowance."""
    plan = plan_session(
        PlanInput(bank(), WEIGHTS, {}, new_today=17, daily_new_limit=20), NOW, 20, random.Random(4)
    )
    assert sum(i.reason == "new" for i in plan.items) == 3
    assert any(
        "limit" in n
        for n in plan_session(
            PlanInput(bank(), WEIGHTS, {}, new_today=20), NOW, 20, random.Random(4)
        ).notes
    )


def test_exam_pace_raises_the_limit_to_finish_before_the_buffer():
    """With an exam date near, the pace raises the daily limit so all is seen in time."""
    inp = PlanInput(
        bank(per_skill=50),
        WEIGHTS,
        {},
        daily_new_limit=5,
        exam_date=NOW.date() + timedelta(days=17),
    )
    allowed, pace = new_question_allowance(inp, NOW.date(), 200)
    assert pace is not None and pace * ((17 - BUFFER_DAYS) * 0.5) >= 200 and allowed == pace
    inside = PlanInput(
        bank(), WEIGHTS, {}, daily_new_limit=5, exam_date=NOW.date() + timedelta(days=3)
    )
    assert new_question_allowance(inside, NOW.date(), 30) == (10, 10)


def test_retention_target_rises_and_intervals_stop_before_exam():
    """Far from the exam: the setting; near it: higher target, capped intervals."""
    assert exam_schedule(date(2026, 1, 1), None, 0.9) == (0.9, 36_500)
    far = exam_schedule(date(2026, 1, 1), date(2026, 6, 1), 0.9)
    near = exam_schedule(date(2026, 5, 22), date(2026, 6, 1), 0.9)
    assert far == (0.9, 150) and 0.9 < near[0] <= 0.95 and near[1] == 9


def test_exam_targeted_plan_prefers_weak_memories_and_unseen():
    """With an exam date ahead, the plan holds new and weakly remembered questions."""
    inp = PlanInput(
        bank(seen_every=2),
        WEIGHTS,
        {},
        daily_new_limit=20,
        exam_date=(NOW + timedelta(days=30)).date(),
    )
    plan = plan_session(inp, NOW, 12, random.Random(5))
    assert len(plan.items) == 12 and {i.reason for i in plan.items} <= {
        "new",
        "due",
        "exam",
        "leech",
    }
    assert any(i.reason == "new" for i in plan.items)


def _cetl_bank(per_skill=30):
    skills = [f"s{i}" for i in range(10)]
    weights = dict(
        zip(skills, [0.15, 0.15, 0.10, 0.12, 0.09, 0.09, 0.09, 0.07, 0.07, 0.07], strict=True)
    )
    cands = [
        Candidate(k * 100 + i, skill, False, None, 0.0, difficulty=1 + i % 3)
        for k, skill in enumerate(skills)
        for i in range(per_skill)
    ]
    return cands, weights


def test_first_session_of_a_new_profile_interleaves_skills_with_an_exam_date():
    """A new profile with an exam date gets its first session from many skill areas, with
    no two neighbours from the same area (not 20 questions of the first two areas)."""
    cands, weights = _cetl_bank()
    for seed in range(10):
        inp = PlanInput(cands, weights, {}, exam_date=(NOW + timedelta(days=60)).date())
        plan = plan_session(inp, NOW, 20, random.Random(seed))
        skills = [i.skill for i in plan.items]
        assert len(skills) == 20 and len(set(skills)) >= 8
        assert all(a != b for a, b in pairwise(skills))


def _exam_score(skills, ks, growth=0.03):
    """Expected exam points (up to a constant) after ``ks`` more questions per skill."""
    import math

    return sum(w * (1 / (1 + math.exp(-(z + growth * ks[s])))) for s, (w, z, _u) in skills.items())


def test_horizon_targets_cover_everything_when_time_allows_and_fit_the_capacity():
    """With time for the whole bank every unseen question is planned; with less, the plan
    uses exactly the capacity and never more of a skill than it has."""
    skills = {"a": (0.15, 0.0, 150), "b": (0.07, -1.0, 70), "c": (0.10, 1.0, 100)}
    assert horizon_targets(skills, 1000, 0.03) == {"a": 150, "b": 70, "c": 100}
    assert horizon_targets(skills, 0, 0.03) == {"a": 0, "b": 0, "c": 0}
    for capacity in (1, 37, 120, 200, 319):
        out = horizon_targets(skills, capacity, 0.03)
        assert sum(out.values()) == capacity
        assert all(0 <= out[s] <= skills[s][2] for s in skills)


def test_horizon_targets_beat_a_proportional_split_and_do_not_starve_a_weak_heavy_area():
    """The targets score at least as well on the exam as sharing the time in proportion to
    the bank (what shuffled coverage does), and a weak but heavily weighted area, whose
    gains come late on its learning curve, still gets a large share."""
    skills = {
        "heavy-weak": (0.15, -2.0, 150),
        "heavy-mid": (0.15, 0.0, 150),
        "light-strong": (0.07, 1.5, 70),
        "light-weak": (0.07, -1.5, 70),
    }
    total = sum(u for _w, _z, u in skills.values())
    for capacity in (100, 200, 300):
        out = horizon_targets(skills, capacity, 0.03)
        proportional = {s: capacity * u / total for s, (_w, _z, u) in skills.items()}
        assert _exam_score(skills, out) >= _exam_score(skills, proportional) - 1e-9
    out = horizon_targets(skills, 300, 0.03)
    assert out["heavy-weak"] >= 60
    assert out["heavy-weak"] > out["light-strong"]


def test_exam_mode_after_the_first_answers_favours_heavy_areas_and_keeps_sessions_mixed():
    """Once every area has enough answers, new questions go mostly to the areas worth most
    on the exam (weight, ability halfway), yet no area takes more than 40% of a session."""
    cands, weights = _cetl_bank(per_skill=40)
    answered = {c.qid for c in cands if c.qid % 100 < 10}
    cands = [
        c._replace(seen=True, due=NOW + timedelta(days=5), retrievability=0.97)
        if c.qid in answered
        else c
        for c in cands
    ]
    ability = dict.fromkeys(weights, 0.6)
    inp = PlanInput(
        cands,
        weights,
        dict(ability),
        ability=ability,
        exam_date=(NOW + timedelta(days=20)).date(),
        daily_questions=10,
        daily_new_limit=50,
    )
    counts: Counter[str] = Counter()
    for seed in range(5):
        plan = plan_session(inp, NOW, 20, random.Random(seed))
        per = Counter(i.skill for i in plan.items)
        assert max(per.values()) <= 8
        counts.update(per)
    heavy = counts["s0"] + counts["s1"]
    light = counts["s7"] + counts["s8"] + counts["s9"]
    assert heavy >= 0.6 * sum(counts.values()) and heavy >= 3 * light


def test_exam_mode_does_not_reask_remembered_questions_while_unseen_remain():
    """With an exam ahead, questions still remembered (R 0.9, due) wait while unseen ones
    remain; once all are seen, the most forgotten ones in the weakest areas come first."""
    seen = [
        Candidate(
            i,
            "lv",
            True,
            NOW - timedelta(hours=1),
            0.9,
            memory=MemoryState(
                2, None, 10.0, 5.0, NOW - timedelta(hours=1), NOW - timedelta(days=9)
            ),
        )
        for i in range(30)
    ]
    unseen = [Candidate(100 + i, "sp", False, None, 0.0) for i in range(30)]
    exam = (NOW + timedelta(days=40)).date()
    plan = plan_session(
        PlanInput(seen + unseen, WEIGHTS, {}, exam_date=exam), NOW, 10, random.Random(1)
    )
    assert [i.reason for i in plan.items] == ["new"] * 10
    forgotten = [c._replace(qid=200 + c.qid, retrievability=0.3) for c in seen[:3]]
    plan = plan_session(
        PlanInput(seen + forgotten, WEIGHTS, {}, exam_date=exam), NOW, 5, random.Random(1)
    )
    assert {i.qid for i in plan.items[:3]} | {i.qid for i in plan.items} >= {200, 201, 202}


def test_leech_rule_and_single_leech_per_session():
    """The fifth wrong answer makes a leech; a right one clears it; one leech per session."""
    wrong, leech = 0, False
    for _ in range(LEECH_THRESHOLD):
        wrong, leech = after_answer(False, wrong, leech)
    assert leech and wrong == LEECH_THRESHOLD
    assert after_answer(True, wrong, leech) == (3, False)
    cands = [Candidate(i, "lv", True, NOW - timedelta(hours=1), 0.1, leech=True) for i in range(5)]
    plan = plan_session(PlanInput(cands, WEIGHTS, {}), NOW, 10, random.Random(6))
    assert [i.reason for i in plan.items] == ["leech"] and plan.items[0].show_explanation_first


def test_modes():
    """Skill, missed, unseen and cram modes select what they say."""
    cands = bank(seen_every=3)
    cands[0] = Candidate(cands[0].qid, "lv", True, NOW + timedelta(days=9), 0.4, last_correct=False)
    inp = PlanInput(cands, WEIGHTS, {}, daily_new_limit=0)
    skill = plan_session(inp, NOW, 10, random.Random(7), mode="skill", skill="ep")
    assert skill.items and {i.skill for i in skill.items} == {"ep"}
    missed = plan_session(inp, NOW, 10, random.Random(7), mode="missed")
    assert [i.qid for i in missed.items] == [cands[0].qid]
    unseen = plan_session(inp, NOW, 10, random.Random(7), mode="unseen")
    assert len(unseen.items) == 10 and all(
        not next(c for c in cands if c.qid == i.qid).seen for i in unseen.items
    )
    cram = plan_session(inp, NOW, 10, random.Random(7), mode="cram")
    assert len(cram.items) == 10 and all(i.reason == "cram" for i in cram.items)


candidates = st.lists(
    st.builds(
        Candidate,
        qid=st.integers(1, 10_000),
        skill=st.sampled_from(["lv", "sp", "ep", "dm", None]),
        seen=st.booleans(),
        due=st.one_of(
            st.none(),
            st.datetimes(
                min_value=datetime(2026, 1, 1),
                max_value=datetime(2027, 1, 1),
                timezones=st.just(UTC),
            ),
        ),
        retrievability=st.floats(0, 1),
        # Candidate is a named tuple: builds() would fill every field, memory included,
        # with naive datetimes no profile holds; memory-driven gains have their own tests.
        memory=st.none(),
        difficulty=st.integers(1, 3),
        leech=st.booleans(),
        suspended=st.booleans(),
        last_correct=st.one_of(st.none(), st.booleans()),
    ),
    max_size=80,
    unique_by=lambda c: c.qid,
)


@settings(max_examples=150, deadline=None)
@given(
    cands=candidates,
    size=st.integers(0, 40),
    mode=st.sampled_from(MODES),
    new_today=st.integers(0, 30),
    limit=st.integers(0, 30),
    exam=st.one_of(st.none(), st.integers(-5, 90)),
    seed=st.integers(0, 99),
)
def test_plan_invariants(cands, size, mode, new_today, limit, exam, seed):
    """No duplicates, at most ``size``, no suspended question, new within the allowance."""
    exam_date = None if exam is None else NOW.date() + timedelta(days=exam)
    inp = PlanInput(
        cands, WEIGHTS, {}, new_today=new_today, daily_new_limit=limit, exam_date=exam_date
    )
    plan = plan_session(
        inp, NOW, size, random.Random(seed), mode=mode, skill="lv" if mode == "skill" else None
    )
    ids = [i.qid for i in plan.items]
    assert len(ids) == len(set(ids)) and len(ids) <= size
    by_id = {c.qid: c for c in cands}
    assert all(not by_id[i].suspended for i in ids)
    if mode == "default":
        # Beyond the daily allowance only with an exam ahead: then re-asking remembered
        # questions teaches less than new ones (see _exam_targeted).
        exam_ahead = exam is not None and exam > 0
        assert sum(i.reason == "new" for i in plan.items) <= plan.new_allowed or exam_ahead
