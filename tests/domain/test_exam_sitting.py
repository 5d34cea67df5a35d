"""The sitting state machine with time as data: readings in, elapsed time out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from studyapp.domain import exam_sitting as sm
from studyapp.domain.exam_code import ExamError
from studyapp.domain.exam_sitting import ExamStateError, ExamStatus

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def sitting(n: int = 5, limit_s: int = 600) -> sm.Sitting:
    return sm.new_sitting([(f"p/q{i}", "s", ("a", "b", "c")) for i in range(n)], limit_s * 1000)


def test_time_counts_only_while_running():
    """Elapsed time grows from readings while running, not before start or while paused."""
    s = sitting()
    assert sm.advance(s, 50.0) == s  # not started: nothing counts
    s = sm.start(s, 100.0)
    s = sm.advance(s, 130.0)
    assert s.elapsed_ms == 30_000 and s.remaining_ms == 570_000
    s = sm.pause(s, 140.0)
    assert s.status is ExamStatus.PAUSED and s.elapsed_ms == 40_000
    assert sm.advance(s, 900.0) == s
    s = sm.resume(s, 1000.0)
    s = sm.advance(s, 1005.5)
    assert s.elapsed_ms == 45_500


def test_inputs_are_left_as_they_were():
    """Transitions return new sittings; the one passed in is unchanged."""
    s = sm.start(sitting(), 0.0)
    copy = replace(s)
    sm.answer(s, 1, ["b"], 5.0, NOW)
    assert s == copy


def test_many_small_readings_add_up_exactly():
    """Sub-millisecond remainders are carried, so 1000 readings 0.0123 s apart sum right."""
    s = sm.start(sitting(), 0.0)
    for k in range(1, 1001):
        s = sm.advance(s, k * 0.0123)
    assert abs(s.elapsed_ms - 12_300) <= 1


def test_a_sitting_without_anchor_is_interrupted_and_counts_nothing():
    """Loaded after a crash (no anchor): paused in effect until resumed, then counts on."""
    s = sm.start(sitting(), 0.0)
    for t in (50.0, 100.0, 150.0, 200.0):
        s = sm.advance(s, t)
    crashed = replace(s, anchor=None)
    assert crashed.interrupted and not crashed.counting
    assert sm.advance(crashed, 99_999.0) == crashed
    with pytest.raises(ExamStateError, match="paused; resume"):
        sm.answer(crashed, 0, ["a"], 10.0, NOW)
    resumed = sm.resume(crashed, 5.0)  # another process: another clock origin
    assert sm.advance(resumed, 65.0).elapsed_ms == 260_000


def test_a_long_gap_counts_as_sleep_and_a_backwards_reading_as_another_clock():
    """A gap over max_gap_s and a reading before the anchor count nothing and re-anchor."""
    s = sm.start(sitting(), 100.0)
    s = sm.advance(s, 161.0, max_gap_s=60.0)
    assert s.elapsed_ms == 0 and s.anchor == 161.0
    s = sm.advance(s, 50.0)
    assert s.elapsed_ms == 0 and s.anchor == 50.0
    s = sm.advance(s, 110.0, max_gap_s=60.0)
    assert s.elapsed_ms == 60_000


def test_running_out_of_time_submits_by_itself():
    """At the limit the sitting becomes submitted by time, with elapsed = limit."""
    s = sm.start(sitting(limit_s=60), 0.0)
    for t in range(10, 70, 10):
        s = sm.advance(s, float(t))
    assert s.status is ExamStatus.SUBMITTED and s.ended_by == "time"
    assert s.elapsed_ms == 60_000 and s.remaining_ms == 0 and s.anchor is None


def test_an_answer_after_the_time_ran_out_is_not_taken():
    """The transition that crosses the limit submits and ignores the late answer."""
    s = sm.start(sitting(limit_s=60), 0.0)
    s = sm.advance(s, 55.0)
    late = sm.answer(s, 2, ["a"], 61.0, NOW)
    assert late.status is ExamStatus.SUBMITTED and not late.items[2].answered


def test_time_is_charged_to_the_question_on_screen():
    """Navigating charges the time so far to the question being left."""
    s = sm.start(sitting(), 0.0)
    s = sm.go_to(s, 3, 12.0)
    s = sm.answer(s, 3, ["c"], 20.0, NOW)
    s = sm.go_to(s, 0, 25.0)
    s = sm.flag(s, 0, True, 30.0)
    s = sm.submit(s, 31.0)
    assert [i.time_ms for i in s.items] == [18_000, 0, 0, 13_000, 0]
    assert s.elapsed_ms == 31_000 and s.ended_by == "learner"


def test_answers_change_clear_and_keep_the_shown_order():
    """Answers may be changed freely and cleared; chosen ids follow the shown order."""
    s = sm.start(sm.new_sitting([("p/q", "s", ("c", "a", "b"))], 60_000), 0.0)
    s = sm.answer(s, 0, ["b", "c"], 1.0, NOW)
    assert s.items[0].chosen == ("c", "b") and s.items[0].answered_at == NOW
    s = sm.answer(s, 0, ["a"], 2.0, NOW)
    assert s.items[0].chosen == ("a",)
    s = sm.answer(s, 0, [], 3.0, NOW)
    assert not s.items[0].answered and s.items[0].answered_at is None and s.answered == 0


def test_bad_positions_options_and_states_are_refused():
    """Errors name the question, the option or the state."""
    s = sitting(3)
    with pytest.raises(ExamStateError, match="not been started"):
        sm.answer(s, 0, ["a"], 0.0, NOW)
    s = sm.start(s, 0.0)
    with pytest.raises(ExamError, match="no question 4"):
        sm.go_to(s, 3, 1.0)
    with pytest.raises(ExamError, match="no option z"):
        sm.answer(s, 0, ["z"], 1.0, NOW)
    with pytest.raises(ExamStateError, match="running"):
        sm.start(s, 1.0)
    done = sm.submit(sm.pause(s, 2.0), 3.0)
    assert done.status is ExamStatus.SUBMITTED and done.elapsed_ms == 2_000
    with pytest.raises(ExamStateError, match="submitted"):
        sm.resume(done, 4.0)
    with pytest.raises(ExamError, match="time limit"):
        sm.new_sitting([("p/q", "s", ("a",))], 0)


def test_changed_items_lists_what_a_store_must_write():
    """Only the items an operation touched are reported as changed."""
    s = sm.start(sitting(), 0.0)
    after = sm.flag(s, 2, True, 0.0)
    assert [i.position for i in after.changed_items(s)] == [2]
