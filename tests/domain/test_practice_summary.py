"""The practice session summary's rules, without a screen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain.evidence import ENOUGH_ANSWERS
from studyapp.domain.figures import SkillFigure
from studyapp.domain.practice_summary import (
    MASTERY_CHANGE_SHOWN,
    SessionAnswer,
    mastery_moves,
    measured_masteries,
    summary_lines,
    tally_by_skill,
)


def test_summary_says_count_share_time_tally_moves_and_readiness():
    """A session's summary: totals with plural and share, areas sorted, moves, readiness."""
    answers = [
        SessionAnswer("Ethics", True, 20.0),
        SessionAnswer(None, False, 30.0),
        SessionAnswer("Ethics", False, 25.0),
    ]
    lines = summary_lines(answers, {"Ethics": 0.45, "Data": 0.5}, {"Ethics": 0.67}, 0.72)
    assert lines == [
        "You answered 3 questions, 1 correct (33%), in 1 min 15 s.",
        "",
        "By skill area:",
        "  Ethics: 1 of 2",
        "  Unassigned: 0 of 1",
        "",
        "Mastery changed:",
        "  Ethics: 45%\u00a0→\u00a067%",
        "",
        "Readiness now: 72% chance of passing (an estimate; see Home).",
    ]


def test_one_answer_and_no_estimate_read_plainly():
    """One answer says "1 question"; without an estimate readiness says why, no percentage."""
    lines = summary_lines([SessionAnswer("Data", True, 12.4)], {}, {}, None)
    assert lines[0] == "You answered 1 question, 1 correct (100%), in 12 s."
    assert "Mastery changed:" not in lines
    assert lines[-1] == (
        "Readiness: not estimated yet, too few answers (see Home for what it needs)."
    )


def test_a_summary_needs_an_answer():
    """There is no summary of a session without answers."""
    with pytest.raises(ValueError, match="at least one answer"):
        summary_lines([], {}, {}, 0.5)


def test_only_measured_areas_have_a_mastery():
    """Areas with fewer than ENOUGH_ANSWERS answers are left out of the masteries compared."""
    skills = [
        SkillFigure("a", "A", 0.5, ENOUGH_ANSWERS, 0.6, 0.5, 0.7),
        SkillFigure("b", "B", 0.5, ENOUGH_ANSWERS - 1, 0.9, 0.5, 0.99),
    ]
    assert measured_masteries(skills) == {"A": 0.6}


@given(
    st.dictionaries(st.sampled_from("ABCDE"), st.floats(0, 1), max_size=5),
    st.dictionaries(st.sampled_from("ABCDE"), st.floats(0, 1), max_size=5),
)
def test_moves_are_the_areas_measured_twice_that_moved_visibly(before, after):
    """A move is listed exactly when the area is in both maps and moved by the threshold."""
    moved = mastery_moves(before, after)
    expected = [t for t in after if t in before and abs(after[t] - before[t]) >= 0.005]
    assert [t for t, _a, _b in moved] == expected
    assert all((a, b) == (before[t], after[t]) for t, a, b in moved)
    assert MASTERY_CHANGE_SHOWN == 0.005


@given(st.lists(st.tuples(st.sampled_from(["X", "Y", None]), st.booleans()), max_size=30))
def test_tally_counts_every_answer_once(pairs):
    """Per-area tallies add up to the answers and the right ones; no area is lost."""
    tally = tally_by_skill([SessionAnswer(s, ok, 1.0) for s, ok in pairs])
    assert sum(n for _ok, n in tally.values()) == len(pairs)
    assert sum(ok for ok, _n in tally.values()) == sum(ok for _s, ok in pairs)
    assert set(tally) == {s or "Unassigned" for s, _ok in pairs}
