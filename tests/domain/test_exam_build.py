"""Building exams: blueprint proportions, selections, determinism, option orders."""

from __future__ import annotations

import hashlib
import math
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studyapp.domain.exam import (
    ExamPlan,
    ExamPool,
    History,
    PoolQuestion,
    blueprint_counts,
    draw_exam,
    pool_fingerprint,
    question_bucket,
    skill_mask,
    skills_of_mask,
)
from studyapp.domain.exam_code import SELECTIONS, ExamCode, ExamError

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


OPTIONS = ("a", "b", "c", "d")


def pool(per_skill: int = 40, packs: tuple[str, ...] = ("core",)) -> list[PoolQuestion]:
    return [
        PoolQuestion(pack, f"{skill[:4]}-{i:03d}", skill)
        for pack in packs
        for skill in CETL
        for i in range(per_skill)
    ]


def build_exam(
    code: ExamCode,
    weights: dict[str, float],
    questions: list[PoolQuestion],
    versions: dict[str, str],
    history: dict[str, History] | None = None,
    bucket_count: int = 4096,
) -> ExamPlan:
    """Draw from a pool of ``questions`` (packs at ``versions``, others at "1"), each
    question with options a-d."""
    packs = {q.pack_id: "1" for q in questions} | versions
    exam_pool = ExamPool.of(questions, packs, bucket_count)
    return draw_exam(code, weights, exam_pool, history).plan({q.ref: OPTIONS for q in questions})


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
    extra = PoolQuestion("core", "zz-new", "data-management")
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
    questions = [PoolQuestion("p", f"q{i}", "data-management") for i in range(6)]
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


# ------------------------------------------------------------------ bucketed draw
def reference_draw(
    code: ExamCode,
    weights: dict[str, float],
    questions: list[PoolQuestion],
    history: dict[str, History],
    bucket_count: int,
) -> tuple[str, ...]:
    """The draw as docs/exams.md defines it: every question of a skill area sorted by
    (priority, sha256(seed|pick-bucket|bucket), sha256(seed|pick|ref), ref), the first
    ones kept, then all of them ordered by (sha256(seed|order|ref), ref)."""

    def sha(text: str) -> bytes:
        return hashlib.sha256(text.encode()).digest()

    def priority(ref: str) -> tuple[int, int]:
        h = history.get(ref, History(seen=False))
        if code.selection == "unseen-first":
            return (1 if h.seen else 0, 0)
        if code.selection == "weak-focus":
            if h.seen and h.last_correct is False:
                return (0, -h.wrong_count)
            return (2 if h.seen else 1, 0)
        return (0, 0)

    skills = skills_of_mask(code.skill_mask, list(weights))
    unique = {q.ref: q for q in questions}
    by_skill = {s: [q for q in unique.values() if q.skill == s] for s in skills}
    counts = blueprint_counts(
        {s: weights[s] for s in skills}, code.length, {s: len(v) for s, v in by_skill.items()}
    )
    picked = []
    for skill in skills:
        ranked = sorted(
            by_skill[skill],
            key=lambda q: (
                priority(q.ref),
                sha(f"{code.seed}|pick-bucket|{question_bucket(q.ref, bucket_count)}"),
                sha(f"{code.seed}|pick|{q.ref}"),
                q.ref,
            ),
        )
        picked += ranked[: counts[skill]]
    picked.sort(key=lambda q: (sha(f"{code.seed}|order|{q.ref}"), q.ref))
    return tuple(q.ref for q in picked)


SMALL = {"a": 0.5, "b": 0.3, "c": 0.2}


@st.composite
def draws(draw):  # type: ignore[no-untyped-def]
    """A small pool with few buckets (so buckets hold many questions), a history, a code."""
    bucket_count = draw(st.sampled_from([1, 2, 3, 5, 8, 64]))
    names = draw(
        st.lists(
            st.tuples(st.sampled_from(["p", "q"]), st.text("xyz0123", min_size=1, max_size=4)),
            min_size=1,
            max_size=60,
            unique=True,
        )
    )
    questions = [PoolQuestion(p, n, draw(st.sampled_from(list(SMALL)))) for p, n in names]
    history = {}
    for q in questions:
        kind = draw(st.integers(0, 3))
        if kind == 1:
            history[q.ref] = History(seen=True, last_correct=True)
        elif kind == 2:
            history[q.ref] = History(True, False, draw(st.integers(0, 3)))
    mask = draw(st.integers(0, 7))
    skills = skills_of_mask(mask, list(SMALL))
    available = sum(1 for q in questions if q.skill in skills)
    assume(available > 0)
    length = draw(st.integers(1, available))
    selection = draw(st.sampled_from(SELECTIONS))
    seed = draw(st.integers(0, 4095))
    return code(length, seed, selection, mask), questions, history, bucket_count


@settings(max_examples=300, deadline=None)
@given(draws())
def test_the_bucket_walk_draws_exactly_what_a_full_sort_draws(case):
    """For every selection, walking the buckets and ranking only the questions reached
    gives the questions (and order) of sorting every question by the whole key."""
    exam_code, questions, history, bucket_count = case
    built = build_exam(exam_code, SMALL, questions, {}, history, bucket_count)
    assert tuple(i.ref for i in built.items) == reference_draw(
        exam_code, SMALL, questions, history, bucket_count
    )


@pytest.mark.parametrize("selection", SELECTIONS)
def test_the_bucket_walk_matches_the_full_sort_on_a_larger_pool(selection):
    """2,000 questions over 50 buckets (40 a bucket), with history: the same draw."""
    questions = pool(per_skill=200)
    history = {
        q.ref: History(True, i % 3 != 0, i % 4) for i, q in enumerate(questions) if i % 5 < 2
    }
    for seed in (0, 7, 4095):
        c = code(100, seed, selection)
        built = build_exam(c, CETL, questions, {}, history, bucket_count=50)
        assert tuple(i.ref for i in built.items) == reference_draw(c, CETL, questions, history, 50)


def test_buckets_are_fixed_by_the_reference_alone():
    """A question's bucket is the first 4 bytes of sha256(pack/question) mod 4096."""
    ref = "cetl-core/lv-001"
    digest = hashlib.sha256(ref.encode()).digest()
    assert question_bucket(ref) == int.from_bytes(digest[:4], "big") % 4096
    assert {question_bucket(f"p/{i}") for i in range(50_000)} == set(range(4096))


def test_every_question_is_about_equally_likely_to_be_drawn():
    """Over every seed, each of 40 questions is drawn about a quarter of the time (10 of
    40), with questions sharing 16 buckets."""
    weights = {"data-management": 1.0}
    questions = [PoolQuestion("p", f"q{i:02d}", "data-management") for i in range(40)]
    exam_pool = ExamPool.of(questions, {"p": "1"}, bucket_count=16)
    drawn: dict[str, int] = dict.fromkeys((q.ref for q in questions), 0)
    for seed in range(4096):
        for q in draw_exam(code(10, seed), weights, exam_pool).questions:
            drawn[q.ref] += 1
    assert sum(drawn.values()) == 4096 * 10
    assert all(850 < n < 1200 for n in drawn.values()), drawn


def test_a_pool_restricted_to_some_packs_draws_as_a_pool_of_those_packs():
    """Restricting the cached pool to a subset of packs equals building it from them."""
    questions = pool(per_skill=20, packs=("core", "extra", "mine"))
    whole = ExamPool.of(questions, {"core": "1", "extra": "2", "mine": "3"})
    alone = ExamPool.of([q for q in questions if q.pack_id != "mine"], whole.versions)
    restricted = whole.restricted({"core", "extra"})
    assert restricted == alone
    assert restricted.versions == {"core": "1", "extra": "2"}
    assert draw_exam(code(60, 3), CETL, restricted) == draw_exam(code(60, 3), CETL, alone)


def test_the_pool_knows_its_pack_versions_per_skill_area():
    """Only the packs with a question in the chosen skill areas count for the code."""
    questions = [
        *pool(per_skill=2, packs=("core",)),
        PoolQuestion("extra", "x1", "data-management", qid=7),
    ]
    exam_pool = ExamPool.of(questions, {"core": "1.0.0", "extra": "0.3"})
    assert exam_pool.versions_for(["ethics-policies"]) == {"core": "1.0.0"}
    assert exam_pool.versions_for(["data-management"]) == {"core": "1.0.0", "extra": "0.3"}
    assert exam_pool.available()["data-management"] == 3
    assert exam_pool.by_ref["extra/x1"].qid == 7


def test_option_orders_follow_the_authored_ids_only():
    """The shown order is a function of the seed, the ref and the option ids."""
    questions = pool(per_skill=5)
    exam_pool = ExamPool.of(questions, {"core": "1"})
    drawn = draw_exam(code(20, 4), CETL, exam_pool)
    first = drawn.plan({q.ref: ("a", "b", "c", "d") for q in questions})
    again = drawn.plan({q.ref: ("d", "c", "b", "a") for q in questions})
    assert [i.option_order for i in first.items] == [i.option_order for i in again.items]
