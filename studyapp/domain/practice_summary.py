"""What a practice session's summary says: the rules behind the words, apart from the widget.

The practice screen keeps the session's answers and, when the learner ends it, shows
:func:`summary_lines`. The rules live here so they can be read and tested without a
screen, and so any other place that sums up a session says it the same way:

- the count of answers, how many were right (and the share), and the time taken;
- a tally per skill area, areas in alphabetical order ("Unassigned" for a question
  without one);
- the areas whose mastery moved by at least :data:`MASTERY_CHANGE_SHOWN`, among those
  measured before and after (only an area with enough answers has a mastery to show:
  :func:`measured_masteries`, :mod:`studyapp.domain.evidence`);
- readiness now, or that it is not estimated yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from studyapp.domain.figures import SkillFigure
from studyapp.domain.words import duration, plural

# Half a percentage point: a smaller move would print as "45% → 45%".
MASTERY_CHANGE_SHOWN = 0.005
UNASSIGNED = "Unassigned"


@dataclass(frozen=True, slots=True)
class SessionAnswer:
    """One answer of the session, as the summary needs it."""

    skill_title: str | None
    correct: bool
    seconds: float


def measured_masteries(skills: Iterable[SkillFigure]) -> dict[str, float]:
    """Skill-area title -> mastery, for the areas with enough answers to show one."""
    return {s.title: s.mean for s in skills if s.evidence == "enough"}


def tally_by_skill(answers: Iterable[SessionAnswer]) -> dict[str, tuple[int, int]]:
    """Skill-area title -> (right, answered), in the order areas were first met."""
    out: dict[str, tuple[int, int]] = {}
    for a in answers:
        key = a.skill_title or UNASSIGNED
        right, total = out.get(key, (0, 0))
        out[key] = (right + int(a.correct), total + 1)
    return out


def mastery_moves(
    before: Mapping[str, float], after: Mapping[str, float]
) -> list[tuple[str, float, float]]:
    """(title, before, after) of the areas measured both times that moved visibly, in the
    order of ``after``."""
    return [
        (title, before[title], now)
        for title, now in after.items()
        if title in before and abs(now - before[title]) >= MASTERY_CHANGE_SHOWN
    ]


def summary_lines(
    answers: Sequence[SessionAnswer],
    mastery_before: Mapping[str, float],
    mastery_after: Mapping[str, float],
    readiness: float | None,
) -> list[str]:
    """The summary's lines. ``answers`` must not be empty (there is no summary without an
    answer); ``readiness`` is the chance of passing, or None when not estimated yet."""
    if not answers:
        raise ValueError("a session summary needs at least one answer")
    right = sum(a.correct for a in answers)
    seconds = sum(a.seconds for a in answers)
    lines = [
        f"You answered {plural(len(answers), 'question')}, {right} correct "
        f"({right / len(answers):.0%}), in {duration(seconds)}.",
        "",
        "By skill area:",
    ]
    for skill, (ok, n) in sorted(tally_by_skill(answers).items()):
        lines.append(f"  {skill}: {ok} of {n}")
    moved = mastery_moves(mastery_before, mastery_after)
    if moved:
        lines += ["", "Mastery changed:"]
        # No-break spaces: "45% → 67%" never splits over two lines.
        lines += [f"  {t}: {a:.0%}\u00a0→\u00a0{b:.0%}" for t, a, b in moved]
    lines += [
        "",
        f"Readiness now: {readiness:.0%} chance of passing (an estimate; see Home)."
        if readiness is not None
        else "Readiness: not estimated yet, too few answers (see Home for what it needs).",
    ]
    return lines
