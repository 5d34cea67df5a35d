"""Mastery, readiness and blueprint allocation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain.blueprint import allocate
from studyapp.domain.mastery import SkillEvidence, estimate_mastery, readiness, scaled_from_raw

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


def test_retention_of_studied_questions_lifts_mastery():
    """Remembered, well-covered material raises mastery above first-attempt ability."""
    first = [(True, 0.0, 20), (False, 0.0, 20)]
    low = estimate_mastery(SkillEvidence("lv", 0.15, 40, 40, first_attempts=first))
    high = estimate_mastery(
        SkillEvidence("lv", 0.15, 40, 40, first_attempts=first, retrievabilities=[0.95] * 40)
    )
    assert high.mean > low.mean


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
                    first_attempts=[(True, 0, int(p * 100)), (False, 0, 100 - int(p * 100))],
                )
            )
            for k, w in CETL.items()
        }
        return readiness(ms, CETL, length=100, cut_fraction=0.7, scale_max=800, pass_scaled=600)

    weak, strong = at(0.5), at(0.9)
    assert weak.probability < 0.05 < 0.95 < strong.probability
    assert scaled_from_raw(70, 100, 70, 800, 600) == 600
    assert scaled_from_raw(100, 100, 70, 800, 600) == 800
    assert scaled_from_raw(35, 100, 70, 800, 600) == 300
