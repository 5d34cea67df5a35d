"""Counts and durations in the words a user reads: "1 question", "15 s", "1 h 05 min".

The one place for these rules, so every screen, report and command says them the same
way (no "1 questions", no "0 min" for 15 seconds). Pure functions of their arguments.
"""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and the noun in the right number: ``plural(1, "question")`` is
    "1 question", ``plural(2, "question")`` "2 questions"; ``many`` gives an irregular
    plural (``plural(3, "study day", "study days")``). Thousands get separators."""
    word = noun if count == 1 else (many if many is not None else f"{noun}s")
    return f"{count:,} {word}"


def duration(seconds: float) -> str:
    """A span of time as people say it: "15 s" under a minute, "12 min" under an hour,
    "1 h 05 min" beyond. Rounded to the nearest second or minute; never negative."""
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole} s"
    minutes = round(whole / 60)  # 3599 s is "1 h 00 min", not "60 min"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
