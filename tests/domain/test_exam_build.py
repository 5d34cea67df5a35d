"""Building exams: blueprint proportions, selections, determinism, option orders."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain.exam import (
    History,
    PoolQuestion,
    blueprint_counts,
    build_exam,
    pool_fingerprint,
    skill_mask,
    skills_of_mask,
)
from studyapp.domain.exam_code import ExamCode, ExamError

CETL = {
    "leadership-vision": 0.15,
    "strategic-planning": 0.15,
    "ethics-policies": 0.10,
    "instructional-focus": 0.12,
    "team-building": 0.09,
    "stakeholder-focus": 0.09,
    "it-management": 0.09,
    "communication-systems": 0.07,
    "business-management": 0.07,
    "data-management": 0.07,
}
PLENTY = dict.fromkeys(CETL, 500)


def pool(per_skill: int = 40, packs: tuple[str, ...] = ("core",)) -> list[PoolQuestion]:
    return [
        PoolQuestion(pack, f"{skill[:4]}-{i:03d}", skill, ("a", "b", "c", "d"))
        for pack in packs
        for skill in CETL
        for i in range(per_skill)
    ]


def code(length: int = 100, seed: int = 1, selection: str = "mixed", mask: int = 0) -> ExamCode:
    return ExamCode("cetl", length, seed, selection, mask, 0)  # type: ignore[arg-type]


def test_cetl_100_is_15_15_10_12_9_9_9_7_7_7():
    """The full CETL exam follows the published weights exactly."""
    counts = blueprint_counts(CETL, 100, PLENTY)
    assert list(counts.values()) == [15, 15, 10, 12, 9, 9, 9, 7, 7, 7]


@pytest.mark.parametrize("length", [1, 7, 10, 20, 25, 40, 50, 60, 75, 99, 150])
def test_shorter_and_longer_exams_keep_the_proportions(length):
    """Counts add up and each is the floor or ceiling of its exact share."""
    counts = blueprint_counts(CETL, length, PLENTY)
    assert sum(counts.values()) == length
    for skill, n in counts.items():
        exact = CETL[skill] * length
        assert math.floor(exact) <= n <= math.ceil(exact), (skill, n, exact)


@given(st.integers(1, 300), st.lists(st.integers(0, 40), min_size=10, max_size=10))
def test_a_short_skill_gives_all_it_has_and_the_rest_is_shared(length, sizes):
    """With limited pools the counts never exceed a pool and still add up to the length."""
    available = dict(zip(CETL, sizes, strict=True))
    if sum(sizes) < length:
        with pytest.raises(ExamError, match="Only"):
            blueprint_counts(CETL, length, available)
        return
    counts = blueprint_counts(CETL, length, available)
    assert sum(counts.values()) == length
    assert all(counts[s] <= available[s] for s in CETL)
    for s in CETL:
        if counts[s] < available[s]:  # not exhausted: at least its share of the whole length
            assert counts[s] >= math.floor(CETL[s] * length), (s, counts, available)


def test_subset_of_skill_areas_resplits_the_length_by_their_weights():
    """Two skill areas of weights 0.10 and 0.07 split 17 questions 10/7."""
    mask = skill_mask(["ethics-policies", "data-management"], list(CETL))
    plan = build_exam(code(17, mask=mask), CETL, pool(), {"core": "1"})
    assert plan.counts == {"data-management": 7, "ethics-policies": 10}
    assert {i.skill for i in plan.items} == {"data-management", "ethics-policies"}
    assert skills_of_mask(mask, list(CETL)) == ("data-management", "ethics-policies")


def test_skill_mask_refuses_unknown_skills_and_empty_choices():
    """Naming a skill the blueprint lacks, or none, is a clear error."""
    with pytest.raises(ExamError, match="not a skill area"):
        skill_mask(["underwater-basket-weaving"], list(CETL))
    with pytest.raises(ExamError, match="at least one"):
        skill_mask([], list(CETL))
    with pytest.raises(ExamError, match="another version"):
        skills_of_mask(1 << 10, list(CETL))


def test_the_exam_does_not_depend_on_the_pool_order():
    """Shuffling the pool (install order, row ids) changes nothing in the built exam."""
    questions = pool()
    first = build_exam(code(60, seed=9), CETL, questions, {"core": "1"})
    random.Random(4).shuffle(questions)
    assert build_exam(code(60, seed=9), CETL, questions, {"core": "1"}) == first


def test_different_seeds_give_different_exams():
    """Two seeds draw different questions or orders."""
    a = build_exam(code(30, seed=1), CETL, pool(), {"core": "1"})
    b = build_exam(code(30, seed=2), CETL, pool(), {"core": "1"})
    assert [i.ref for i in a.items] != [i.ref for i in b.items]


def test_adding_a_question_moves_few_others():
    """A question added to a skill replaces at most one question of the exam."""
    questions = pool()
    before = build_exam(code(50, seed=3), CETL, questions, {"core": "1"})
    extra = PoolQuestion("core", "zz-new", "data-management", ("a", "b"))
    after = build_exam(code(50, seed=3), CETL, [*questions, extra], {"core": "1"})
    assert len({i.ref for i in before.items} - {i.ref for i in after.items}) <= 1


def test_option_orders_are_permutations_and_vary():
    """Each question's shown order is a permutation of its options, not always authored."""
    plan = build_exam(code(100, seed=5), CETL, pool(), {"core": "1"})
    assert all(sorted(i.option_order) == ["a", "b", "c", "d"] for i in plan.items)
    assert len({i.option_order for i in plan.items}) > 5
    assert [i.position for i in plan.items] == list(range(100))


def test_unseen_first_prefers_questions_never_answered():
    """With enough unseen questions, unseen-first draws no seen one."""
    questions = pool(per_skill=30)
    history = {q.ref: History(seen=True, last_correct=True) for q in questions[::2]}
    plan = build_exam(code(100, selection="unseen-first"), CETL, questions, {}, history)
    assert not any(i.ref in history for i in plan.items)
    mixed = build_exam(code(100, selection="mixed"), CETL, questions, {}, history)
    assert any(i.ref in history for i in mixed.items)


def test_weak_focus_puts_wrong_answers_first_then_unseen():
    """Questions last answered wrong come first (most wrong first), then unseen ones."""
    questions = [PoolQuestion("p", f"q{i}", "data-management", ("a", "b")) for i in range(6)]
    history = {
        "p/q0": History(True, True, 0),
        "p/q1": History(True, False, 1),
        "p/q2": History(True, False, 3),
        "p/q3": History(True, True, 2),
    }
    weights = {"data-management": 1.0}
    plan = build_exam(code(3, selection="weak-focus"), weights, questions, {}, history)
    refs = {i.ref for i in plan.items}
    assert {"p/q1", "p/q2"} <= refs and refs - {"p/q1", "p/q2"} <= {"p/q4", "p/q5"}
    two = build_exam(code(1, selection="weak-focus"), weights, questions, {}, history)
    assert [i.ref for i in two.items] == ["p/q2"]


def test_mixed_ignores_history():
    """The group mode gives the same exam whatever the learner has done."""
    questions = pool()
    history = {q.ref: History(True, False, 2) for q in questions[::3]}
    assert build_exam(code(40), CETL, questions, {}, history) == build_exam(
        code(40), CETL, questions, {}, {}
    )


def test_a_pool_too_small_is_refused_clearly():
    """Asking for more questions than the pool holds names both numbers."""
    with pytest.raises(ExamError, match="Only 20 questions"):
        build_exam(code(21), {"data-management": 1.0}, pool(per_skill=20), {})


def test_short_skills_are_noted():
    """A skill area that could not fill its share is named in the plan's notes."""
    questions = [
        q for q in pool(per_skill=20) if q.skill != "ethics-policies" or q.question_id < "ethi-003"
    ]
    plan = build_exam(code(100), CETL, questions, {})
    assert plan.counts["ethics-policies"] == 3 and sum(plan.counts.values()) == 100
    assert any(n.startswith("ethics-policies: 3 questions instead of") for n in plan.notes)


def test_pool_fingerprint_depends_on_versions_not_order():
    """The fingerprint changes with a version and ignores the order packs are listed in."""
    a = pool_fingerprint({"core": "1.0.0", "extra": "0.3"})
    assert a == pool_fingerprint({"extra": "0.3", "core": "1.0.0"})
    assert a != pool_fingerprint({"core": "1.0.1", "extra": "0.3"})
