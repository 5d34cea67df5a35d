"""Leeches: questions failed again and again.

A question becomes a leech at its ``LEECH_THRESHOLD``-th wrong answer (practice, drill or
exam; cram answers do not count). A leech leaves the normal review queue; the planner
offers at most one per session, with its explanation shown first. Answering it correctly
clears the flag and sets the count back to ``LEECH_RESET``, so two more failures make it a
leech again (Anki's half-threshold habit, at a smaller scale suited to a few hundred items).
"""

from __future__ import annotations

LEECH_THRESHOLD = 5
LEECH_RESET = 3


def after_answer(correct: bool, wrong_count: int, leech: bool) -> tuple[int, bool]:
    """(new wrong count, new leech flag) after one counted answer."""
    if correct:
        if leech:
            return LEECH_RESET, False
        return wrong_count, False
    wrong = wrong_count + 1
    return wrong, leech or wrong >= LEECH_THRESHOLD
