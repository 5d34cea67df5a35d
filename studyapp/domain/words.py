"""Counts and durations in the words a user reads: "1 question", "15 s", "3 min 05 s".

The one place for these rules, so every screen, report and command says them the same
way (no "1 questions", no "0 min" for 15 seconds). Pure functions of their arguments.
"""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and the noun in the right number: ``plural(1, "question")`` is
    "1 question", ``plural(2, "question")`` "2 questions"; ``many`` gives an irregular
    plural (``plural(3, "analysis", "analyses")``). Thousands get separators."""
    word = noun if count == 1 else (many if many is not None else f"{noun}s")
    return f"{count:,} {word}"


def duration(seconds: float) -> str:
    """A span of time as people read it, honest under a minute: "15 s", "3 min 05 s",
    "12 min", "1 h 05 min". Whole seconds (rounded), hours drop the seconds; never negative."""
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
