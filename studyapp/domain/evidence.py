"""How much evidence a figure rests on: the one rule for "not practised yet" / "too few answers".

A skill area's mastery starts from a prior (45%) and moves with answers; with a handful
of answers the 80% range still spans most of the scale, and a percentage shown then
would look measured when it is mostly the prior. So every surface (Home, Statistics, the
progress report, ``stats --json``) asks :func:`evidence_level` first:

- ``none``: no answer in the skill area yet: "not practised yet";
- ``few``: 1 to ``ENOUGH_ANSWERS - 1`` answers: "too few answers";
- ``enough``: ``ENOUGH_ANSWERS`` or more: the estimate is shown with its range.

Why 10: with 10 answers the Beta posterior of the chance on an unstudied question has a
standard deviation of about 0.13 (prior strength 3), so the 80% range is about ±17
points: wide, but it no longer just restates the prior. 10 answers per area is also
about one session spread over the exam's areas. Documented in docs/learning-model.md.
"""

from __future__ import annotations

from typing import Literal

EvidenceLevel = Literal["none", "few", "enough"]
ENOUGH_ANSWERS = 10


def evidence_level(answers: int) -> EvidenceLevel:
    """The evidence a skill area's mastery rests on, from its number of answers."""
    if answers <= 0:
        return "none"
    return "enough" if answers >= ENOUGH_ANSWERS else "few"


def answers_needed(answers: int) -> int:
    """How many more answers a skill area needs before its mastery is shown."""
    return max(0, ENOUGH_ANSWERS - answers)
