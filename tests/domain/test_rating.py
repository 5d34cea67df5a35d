"""The answer-to-rating rule."""

from __future__ import annotations

from fsrs import Rating

from studyapp.domain.rating import rate_answer


def test_rules():
    """Wrong is Again; guessed is Hard; fast is Easy; otherwise Good."""
    assert rate_answer(False, False, 5, 60) == Rating.Again
    assert rate_answer(False, True, 5, 60) == Rating.Again
    assert rate_answer(True, True, 5, 60) == Rating.Hard
    assert rate_answer(True, False, 5, 60) == Rating.Easy
    assert rate_answer(True, False, 40, 60) == Rating.Good


def test_fast_depends_on_length():
    """What counts as fast grows with the question's length."""
    assert rate_answer(True, False, 14, 140) == Rating.Easy
    assert rate_answer(True, False, 14, 20) == Rating.Good
