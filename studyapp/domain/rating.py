"""From an answer to an FSRS rating, so the learner never grades themselves.

The rule (documented in ``docs/learning-model.md``):

- wrong → **Again**;
- right but marked "I guessed" → **Hard**;
- right, not guessed, and fast → **Easy**; "fast" means within half the time a careful
  reader needs for the question: ``0.5 × (8 s + words / 3.5)`` (reading at 210 words a
  minute), at least 4 s;
- otherwise right → **Good**.
"""

from __future__ import annotations

from fsrs import Rating

BASE_SECONDS = 8.0
WORDS_PER_SECOND = 3.5
FAST_FRACTION = 0.5
MIN_FAST_SECONDS = 4.0


def expected_seconds(words: int) -> float:
    """Time a careful reader needs for a question of ``words`` words."""
    return BASE_SECONDS + max(words, 0) / WORDS_PER_SECOND


def rate_answer(correct: bool, guessed: bool, seconds: float, words: int) -> Rating:
    """The FSRS rating for one answer."""
    if not correct:
        return Rating.Again
    if guessed:
        return Rating.Hard
    fast = max(MIN_FAST_SECONDS, FAST_FRACTION * expected_seconds(words))
    return Rating.Easy if seconds <= fast else Rating.Good
