"""Numbers in the words a user reads: plurals and durations.

One place for them, so that no screen, report or CLI line says "1 questions" or
"0 min spent" when 15 seconds were spent.
"""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """``count`` with its noun in the right number: "1 question", "2 questions", "1,200 questions".

    ``words`` is the plural when it is not ``word`` + "s" ("1 category", "2 categories").
    """
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def span_text(ms: int) -> str:
    """A duration as people read it, honest under a minute: "45 s", "3 min 05 s", "1 h 02 min"."""
    seconds = max(ms, 0) // 1000
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
