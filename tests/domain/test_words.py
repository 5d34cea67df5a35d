"""The words for counts and durations (studyapp.domain.words)."""

from __future__ import annotations

import pytest

from studyapp.domain.words import duration, plural


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 questions"), (1, "1 question"), (2, "2 questions"), (1500, "1,500 questions")],
)
def test_plural_matches_the_count(count, expected):
    """One is singular; zero and many are plural; large counts get separators."""
    assert plural(count, "question") == expected


def test_plural_takes_an_irregular_form():
    """An irregular plural is given, not guessed."""
    assert plural(2, "study day", "study days") == "2 study days"
    assert plural(1, "analysis", "analyses") == "1 analysis"
    assert plural(3, "analysis", "analyses") == "3 analyses"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0 s"),
        (15, "15 s"),
        (59.4, "59 s"),
        (60, "1 min"),
        (15 * 60 + 20, "15 min 20 s"),
        (12 * 60, "12 min"),
        (3599, "59 min 59 s"),
        (3600, "1 h 00 min"),
        (3 * 3600 + 5 * 60, "3 h 05 min"),
        (-3, "0 s"),
    ],
)
def test_duration_in_the_unit_people_use(seconds, expected):
    """Seconds under a minute (never "0 min"), minutes and seconds under an hour, then hours."""
    assert duration(seconds) == expected
