"""FSRS adapter: pure, UTC-only, and the fast formulas agree with py-fsrs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from studyapp.domain.memory import (
    DEFAULT_PARAMETERS,
    MemoryState,
    forgetting_curve,
    retrievability,
    retrievability_after,
    review,
    stability_after_review,
)

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_review_returns_new_state_and_never_mutates():
    """review() returns a new state; the input is unchanged."""
    first = review(None, Rating.Good, T0)
    copy = MemoryState.from_dict(first.to_dict())
    second = review(first, Rating.Good, T0 + timedelta(days=3))
    assert first == copy and second != first and second.reps == 2


def test_naive_datetimes_are_refused():
    """A naive datetime would silently shift due dates: refused."""
    with pytest.raises(ValueError, match="UTC-aware"):
        review(None, Rating.Good, datetime(2026, 1, 1))


def test_no_learning_steps_first_good_is_scheduled_days_ahead():
    """Without sub-day steps a first Good goes straight to days-long intervals."""
    state = review(None, Rating.Good, T0)
    assert state.due - T0 >= timedelta(days=1)


def test_lapses_count_failures_of_learned_questions():
    """Again on a question in review state is a lapse; on a new one it is not."""
    s = review(None, Rating.Again, T0)
    assert s.lapses == 0
    s = review(review(s, Rating.Good, T0 + timedelta(days=1)), Rating.Again, T0 + timedelta(days=9))
    assert s.lapses == 1


def test_fast_formulas_match_py_fsrs():
    """retrievability_after and stability_after_review equal py-fsrs's own results."""
    curve = forgetting_curve()
    s = review(review(None, Rating.Good, T0), Rating.Good, T0 + timedelta(days=2))
    later = T0 + timedelta(days=11)
    r = retrievability(s, later)
    assert retrievability_after(s.stability, (later - s.last_review).days, curve) == pytest.approx(
        r
    )
    for rating, recalled in ((Rating.Good, True), (Rating.Again, False)):
        expected = review(s, rating, later).stability
        got = stability_after_review(s.difficulty, s.stability, r, recalled, DEFAULT_PARAMETERS)
        assert got == pytest.approx(expected, rel=1e-9)


def test_max_interval_keeps_reviews_before_exam():
    """A cap on the interval keeps the next review inside it."""
    s = review(review(None, Rating.Easy, T0), Rating.Easy, T0 + timedelta(days=5))
    capped = review(s, Rating.Easy, T0 + timedelta(days=30), max_interval_days=4)
    assert capped.due - (T0 + timedelta(days=30)) <= timedelta(days=4)
