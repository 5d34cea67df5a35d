"""Answers per age kept as the moment moves equal a full recount, whatever the steps."""

from __future__ import annotations

from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.services.study.age_counts import DAY_MS, AgeCounts
from studyapp.services.study.cache import _ages

HOUR = 3_600_000
NOW0 = 1_790_000_000_000

# Times on a coarse grid (hours, nudged by 0 or 1 ms) so that answers sit exactly on day
# boundaries as often as possible; steps of the moment likewise.
offsets = st.integers(0, 24 * 40).map(lambda h: h * HOUR) | st.integers(0, 40 * DAY_MS)
nudges = st.sampled_from([0, 1, -1])
steps = st.one_of(
    st.integers(0, 3).map(lambda d: d * DAY_MS),
    st.integers(0, 30).map(lambda h: h * HOUR),
    st.integers(0, 2 * DAY_MS),
    st.integers(-2 * HOUR, 0),  # sometimes the moment goes back: counted afresh
).map(int)


@settings(max_examples=300, deadline=None)
@given(
    start=st.lists(st.tuples(offsets, nudges), max_size=60),
    moves=st.lists(
        st.tuples(steps, nudges, st.lists(st.integers(0, 3 * DAY_MS), max_size=4)), max_size=12
    ),
)
def test_kept_counts_equal_a_full_recount(start, moves):
    """After any sequence of moments and new answers (never after the moment), the kept
    counts are exactly those of a recount from scratch."""
    now = NOW0
    times = array("q", sorted(now - off + nudge for off, nudge in start))
    counts = AgeCounts(times, now)
    first = counts.at(times, now)
    assert first is None if times and times[-1] > now else first == _ages(times, now)
    for step, nudge, new in moves:
        now += step + nudge
        for back in sorted(new, reverse=True):
            t = now - back
            if not times or t >= times[-1]:
                times.append(t)  # new answers come in time order
        got = counts.at(times, now)
        if times and times[-1] > now:
            assert got is None
        else:
            assert got == _ages(times, now)


def test_an_answer_after_the_moment_is_left_to_the_caller():
    """Answers after the moment (a clock set back) give None, not a wrong count."""
    times = array("q", [NOW0 - DAY_MS, NOW0 + 5])
    assert AgeCounts(times, NOW0).at(times, NOW0) is None
