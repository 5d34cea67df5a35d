"""Grading one answer as a pure rule: options, correctness, rating, memory and leech count."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Rating
from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain.errors import StudyAppError
from studyapp.domain.grading import (
    Graded,
    PriorState,
    ScheduleContext,
    grade_answer,
    question_words,
    update_after_answer,
)
from studyapp.domain.leech import LEECH_RESET, LEECH_THRESHOLD
from studyapp.domain.memory import DEFAULT_PARAMETERS, review
from tests.packs.factory import question

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
CONTEXT = ScheduleContext(date(2026, 12, 7), None, 0.9, DEFAULT_PARAMETERS)
Q = question("q1")  # single answer, "a" is right


def grade(chosen=("a",), seconds=30.0, *, guessed=False, mode="practice", prior=None, **kw):
    return grade_answer(
        kw.pop("q", Q),
        chosen,
        seconds,
        guessed=guessed,
        mode=mode,
        prior=prior or PriorState(),
        now=kw.pop("now", NOW),
        schedule=kw.pop("schedule", CONTEXT),
        ref="test-pack/q1",
    )


def test_unknown_or_no_options_are_refused_naming_the_question():
    """An answer naming no option, or an option the question lacks, raises a clear error."""
    with pytest.raises(StudyAppError, match=r"Answer for test-pack/q1 names options"):
        grade(("z",))
    with pytest.raises(StudyAppError, match="do not exist: \\(\\)"):
        grade(())


def test_repeated_options_count_once_in_the_order_given():
    """Choosing the same option twice is one choice; the order of first mention is kept."""
    multi = question("m", multiple=True)  # a and b are right
    graded = grade(("b", "a", "b"), q=multi)
    assert graded.chosen == ("b", "a") and graded.correct


def test_first_wrong_answer_is_again_and_counts_toward_a_leech():
    """A wrong answer rates Again, schedules a review and adds one to the wrong count."""
    graded = grade(("b",))
    assert (graded.correct, graded.rating, graded.wrong_count, graded.leech) == (
        False,
        Rating.Again,
        1,
        False,
    )
    assert graded.after is not None and graded.after.reps == 1


def test_the_threshold_wrong_answer_makes_a_leech_and_a_right_one_clears_it():
    """The LEECH_THRESHOLD-th wrong answer flags a leech; answering it right resets the count."""
    leech = grade(("b",), prior=PriorState(None, LEECH_THRESHOLD - 1, False))
    assert (leech.wrong_count, leech.leech) == (LEECH_THRESHOLD, True)
    cleared = grade(("a",), prior=PriorState(leech.after, leech.wrong_count, True))
    assert (cleared.wrong_count, cleared.leech) == (LEECH_RESET, False)


def test_cram_answers_leave_memory_and_leech_count_alone():
    """A cram answer is graded and rated but changes neither memory nor the leech count."""
    prior = PriorState(None, 2, False)
    graded = grade(("b",), mode="cram", prior=prior)
    assert graded == Graded(("b",), False, Rating.Again, None, 2, False)


def test_a_state_without_repetitions_counts_as_never_answered():
    """A memory state with reps 0 gives the same result as no memory state."""
    fresh = grade()
    assert fresh.after is not None
    empty = replace(fresh.after, reps=0)
    assert grade(prior=PriorState(empty, 0, False)) == fresh


def test_the_exam_date_caps_the_next_interval():
    """With the exam four days away, the next review falls before the exam day."""
    near = replace(CONTEXT, exam_date=CONTEXT.study_day + timedelta(days=4))
    strong = grade(seconds=2.0).after
    assert strong is not None
    later = NOW + timedelta(days=30)
    graded = grade(
        seconds=2.0,
        prior=PriorState(strong, 0, False),
        now=later,
        schedule=replace(near, study_day=later.date(), exam_date=later.date() + timedelta(days=4)),
    )
    assert graded.after is not None
    assert graded.after.due.date() <= later.date() + timedelta(days=3)


@given(
    st.sampled_from([("a",), ("b",), ("c",), ("a", "b")]),
    st.booleans(),
    st.floats(0.5, 120.0),
    st.integers(0, 8),
    st.booleans(),
)
def test_grading_is_the_documented_composition(chosen, guessed, seconds, wrong, leech):
    """Rating then review then leech rule: the rating follows speed, guess and correctness."""
    graded = grade(chosen, seconds, guessed=guessed, prior=PriorState(None, wrong, leech))
    correct = chosen == ("a",)
    fast = seconds <= max(4.0, 0.5 * (8.0 + question_words(Q) / 3.5))
    expected = (
        Rating.Again
        if not correct
        else Rating.Hard
        if guessed
        else Rating.Easy
        if fast
        else Rating.Good
    )
    assert (graded.correct, graded.rating) == (correct, expected)
    assert graded.after == review(None, expected, NOW, desired_retention=0.9)
    if correct:
        assert graded.wrong_count == (LEECH_RESET if leech else wrong) and not graded.leech
    else:
        assert graded.wrong_count == wrong + 1
        assert graded.leech == (leech or wrong + 1 >= LEECH_THRESHOLD)


def test_question_words_counts_stem_and_option_texts():
    """The speed rule's length is the words of the stem plus every option's text."""
    assert question_words(Q) == len(Q.stem.split()) + sum(len(o.text.split()) for o in Q.options)


def test_an_answer_of_known_correctness_updates_as_a_graded_one():
    """update_after_answer (used by the simulation) gives what grade_answer records."""
    prior = PriorState(grade().after, 2, False)
    graded = grade(("b",), 40.0, prior=prior)
    update = update_after_answer(
        False,
        guessed=False,
        seconds=40.0,
        words=question_words(Q),
        reschedule=True,
        prior=prior,
        now=NOW,
        retention=0.9,
        max_interval_days=36_500,
    )
    assert (update.rating, update.after, update.wrong_count, update.leech) == (
        graded.rating,
        graded.after,
        graded.wrong_count,
        graded.leech,
    )
