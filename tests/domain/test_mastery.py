"""Mastery, readiness and blueprint allocation."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain.blueprint import allocate
from studyapp.domain.mastery import (
    GROWTH_PER_QUESTION,
    GUESS,
    SkillEvidence,
    estimate_masteries,
    estimate_mastery,
    mock_level_shift,
    readiness,
    scaled_from_raw,
)

CETL = {
    "lv": 0.15,
    "sp": 0.15,
    "ep": 0.10,
    "if": 0.12,
    "tb": 0.09,
    "sf": 0.09,
    "itm": 0.09,
    "cs": 0.07,
    "bm": 0.07,
    "dm": 0.07,
}


def test_blueprint_100_is_the_published_split():
    """CETL at 100 items: 15/15/10/12/9/9/9/7/7/7."""
    assert list(allocate(CETL, 100).values()) == [15, 15, 10, 12, 9, 9, 9, 7, 7, 7]


@given(st.integers(0, 400))
def test_allocation_sums_and_stays_within_one(length):
    """Any length: counts add up and each is within one item of its exact share."""
    counts = allocate(CETL, length)
    assert sum(counts.values()) == length
    assert all(abs(counts[k] - length * w) < 1 for k, w in CETL.items())


def test_no_evidence_is_the_prior_with_a_wide_range():
    """With no answers, mastery is the prior and its range is wide."""
    m = estimate_mastery(SkillEvidence("lv", 0.15, 47, 0))
    assert abs(m.mean - 0.45) < 1e-9 and m.high - m.low > 0.5


def test_more_correct_first_attempts_raise_mastery_and_narrow_range():
    """Evidence moves the estimate and shrinks its uncertainty."""
    few = estimate_mastery(SkillEvidence("lv", 0.15, 47, 4, first_attempts=[(True, 0, 4)]))
    many = estimate_mastery(
        SkillEvidence("lv", 0.15, 47, 40, first_attempts=[(True, 0, 36), (False, 0, 4)])
    )
    assert many.mean > few.mean > 0.45
    assert (many.high - many.low) < (few.high - few.low)


def test_old_evidence_counts_less():
    """Recent failures outweigh old successes."""
    m = estimate_mastery(
        SkillEvidence("lv", 0.15, 47, 20, first_attempts=[(True, 300, 10), (False, 0, 10)])
    )
    assert m.p_unstudied < 0.4


def test_recall_of_bank_questions_does_not_count_as_exam_mastery():
    """The exam asks new questions: remembering bank questions does not raise mastery
    (EXAM_OVERLAP 0); only what transfers to the skill does."""
    first = [(True, 0.0, 20), (False, 0.0, 20)]
    low = estimate_mastery(SkillEvidence("lv", 0.15, 40, 40, first_attempts=first))
    high = estimate_mastery(
        SkillEvidence("lv", 0.15, 40, 40, first_attempts=first, retrievabilities=[0.95] * 40)
    )
    assert high.mean == low.mean
    right, wrong = (
        estimate_mastery(
            SkillEvidence("lv", 0.15, 40, 40, first_attempts=first, later_attempts=[(ok, 0.0, 200)])
        )
        for ok in (True, False)
    )
    assert right.mean == wrong.mean  # how well repeats are remembered does not count


def test_studying_after_the_first_answers_carries_the_estimate_forward():
    """Ability grows with study: answers given before many later questions read as the
    learner was then, so the same record with more study since reads higher; repeats count
    at REPEAT_VALUE of a first study, and answers of the same day half way (on average half
    of them came after)."""
    early = [(True, 10.0, 10), (False, 10.0, 10)]
    alone = estimate_mastery(SkillEvidence("lv", 0.15, 60, 20, first_attempts=early))
    more_new = estimate_mastery(
        SkillEvidence(
            "lv", 0.15, 60, 40, first_attempts=[*early, (True, 2.0, 10), (False, 2.0, 10)]
        )
    )
    more_repeats = estimate_mastery(
        SkillEvidence("lv", 0.15, 60, 20, first_attempts=early, later_attempts=[(True, 2.0, 20)])
    )
    w = 10 * 0.5 ** (10 / 60)  # ten answers each way, ten days old (half-life 60 days)

    def grown(p: float, logits: float) -> float:
        # Growth acts on the known part above the guessing floor, in logits.
        known = (p - GUESS) / (1 - GUESS)
        odds = known / (1 - known) * math.exp(logits)
        return GUESS + (1 - GUESS) * odds / (1 + odds)

    base = (0.45 * 3 + w) / (3 + 2 * w)
    assert alone.p_unstudied == pytest.approx(grown(base, GROWTH_PER_QUESTION * 10))
    assert more_new.p_unstudied > more_repeats.p_unstudied > alone.p_unstudied
    today = estimate_mastery(SkillEvidence("lv", 0.15, 60, 1, first_attempts=[(True, 0.0, 1)]))
    assert today.p_unstudied == pytest.approx(grown((0.45 * 3 + 1) / 4, GROWTH_PER_QUESTION * 0.5))


@given(
    st.lists(st.tuples(st.booleans(), st.floats(0, 1000), st.integers(1, 50)), max_size=20),
    st.lists(st.floats(0, 1), max_size=50),
    st.integers(1, 60),
)
def test_mastery_within_unit_interval(first, retr, questions):
    """Mastery and its range always lie in [0, 1], in order."""
    m = estimate_mastery(
        SkillEvidence(
            "x",
            0.1,
            questions,
            min(len(retr), questions),
            first_attempts=first,
            retrievabilities=retr,
        )
    )
    assert 0 <= m.low <= m.mean <= m.high <= 1


def test_readiness_rises_with_mastery_and_scaled_score_is_anchored():
    """A strong learner is ready, a weak one is not; the raw cut maps to 600."""

    def at(p):
        ms = {
            k: estimate_mastery(
                SkillEvidence(
                    k,
                    w,
                    30,
                    30,
                    first_attempts=[(True, 0, round(p * 30)), (False, 0, 30 - round(p * 30))],
                )
            )
            for k, w in CETL.items()
        }
        return readiness(ms, CETL, length=100, cut_fraction=0.7, scale_max=800, pass_scaled=600)

    weak, strong = at(0.45), at(0.9)
    assert weak.probability < 0.05 < 0.95 < strong.probability
    assert scaled_from_raw(70, 100, 70, 800, 600) == 600
    assert scaled_from_raw(100, 100, 70, 800, 600) == 800
    assert scaled_from_raw(35, 100, 70, 800, 600) == 300


def _practice(p: float) -> dict[str, dict[bool, list[tuple[bool, float, int]]]]:
    right = int(p * 30)
    return {k: {True: [(True, 5.0, right), (False, 5.0, 30 - right)]} for k in CETL}


def _ready(masteries):
    return readiness(masteries, CETL, length=100, cut_fraction=0.7, scale_max=800, pass_scaled=600)


def test_readiness_drops_when_mock_results_are_below_the_pass_line():
    """Practice says ready; two mock exams of new questions at 55% pull readiness down
    (and mocks above the line pull it up from a weak practice record)."""
    skills = list(CETL.items())
    totals = dict.fromkeys(CETL, 30)
    seen = dict.fromkeys(CETL, 30)
    practice = estimate_masteries(skills, totals, seen, {}, _practice(0.85))
    assert _ready(practice).probability > 0.9
    low_mocks = {
        k: [(True, 3.0, 11), (False, 3.0, 9), (True, 10.0, 11), (False, 10.0, 9)] for k in CETL
    }
    with_mocks = estimate_masteries(skills, totals, seen, {}, _practice(0.85), low_mocks)
    assert _ready(with_mocks).probability < 0.2
    assert all(with_mocks[k].mean < practice[k].mean for k in CETL)
    weak = estimate_masteries(skills, totals, seen, {}, _practice(0.55))
    high_mocks = {k: [(True, 3.0, 18), (False, 3.0, 2)] for k in CETL}
    lifted = estimate_masteries(skills, totals, seen, {}, _practice(0.55), high_mocks)
    assert _ready(lifted).probability > _ready(weak).probability + 0.3


def test_no_mock_results_no_shift():
    """Without mock answers the level is practice's alone."""
    skills = list(CETL.items())
    ms = estimate_masteries(skills, dict.fromkeys(CETL, 30), {}, {}, _practice(0.7))
    assert mock_level_shift(ms, {}) == (0.0, 0.0)
    assert estimate_masteries(skills, dict.fromkeys(CETL, 30), {}, {}, _practice(0.7), {}) == ms


def test_the_mock_shift_errs_the_same_way_in_every_area():
    """The mock exams' level shift is one shift for all areas, so its uncertainty adds up
    across areas in readiness instead of averaging out: the exam score's spread is wider
    than if each area's uncertainty were independent, and readiness is less sure."""
    skills = list(CETL.items())
    totals = dict.fromkeys(CETL, 30)
    mocks = {k: [(True, 3.0, 3), (False, 3.0, 1)] for k in CETL}
    shifted = estimate_masteries(skills, totals, totals, {}, _practice(0.7), mocks)
    assert all(0 < m.shared_sd <= m.sd for m in shifted.values())
    independent = {k: replace(m, shared_sd=0.0) for k, m in shifted.items()}
    counts = allocate(CETL, 100)
    own = sum(n**2 * (m.sd**2 - m.shared_sd**2) for n, m in ((counts[k], shifted[k]) for k in CETL))
    shared = sum(counts[k] * shifted[k].shared_sd for k in CETL)
    binomial = sum(counts[k] * m.mean * (1 - m.mean) for k, m in shifted.items())
    assert _ready(shifted).raw_sd == pytest.approx(math.sqrt(binomial + own + shared**2))
    assert _ready(shifted).raw_sd > _ready(independent).raw_sd
    assert abs(_ready(shifted).probability - 0.5) < abs(_ready(independent).probability - 0.5)


@given(st.floats(0.0, 1.0), st.floats(0.0, 3.0))
def test_growth_acts_on_the_known_part_and_never_jumps(p, dz):
    """Growth moves an estimate up, more in the middle than near the floor or the top, and
    an estimate at or under chance grows smoothly from where it is (no jump to the floor)."""
    from studyapp.domain.mastery import _grow

    g = _grow(p, dz)
    assert p <= g <= 1.0
    assert g - p <= 0.25 * dz + 1e-12  # the steepest slope: (1 - GUESS) / 4 per logit
    assert abs(_grow(p, dz / 1000) - p) <= 0.25 * dz / 1000 + 1e-12
