"""Scoring a submitted mock exam: raw score, breakdowns, and the estimated scaled score.

The raw score counts questions answered exactly right (all-or-nothing, as in practice);
an unanswered question is wrong. The real exam reports a scaled score on 0–800 with a
pass at 600 but does not publish the raw cut, so the scaled score here is an *estimate*:
the assumed raw cut (a share of the questions, the ``assumed_raw_cut`` setting or the
framework's default) maps to the pass mark, linearly on each side
(:func:`studyapp.domain.mastery.scaled_from_raw`). The cut for an exam of ``n`` questions
is ``ceil(cut_fraction × n)``, the same rule readiness uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studyapp.domain.mastery import scaled_from_raw


@dataclass(frozen=True, slots=True)
class ScoredItem:
    """One question's outcome, for scoring."""

    skill: str
    answered: bool
    correct: bool
    time_ms: int


@dataclass(frozen=True, slots=True)
class Tally:
    """Correct out of total for a category or skill area."""

    id: str
    title: str
    correct: int
    total: int

    @property
    def share(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class ExamScore:
    """What a sitting scored, labelled as an estimate where it is one."""

    raw: int
    length: int
    answered: int
    cut_raw: int
    cut_fraction: float
    scaled: int
    scale_max: int
    pass_scaled: int
    passed: bool
    by_category: tuple[Tally, ...]
    by_skill: tuple[Tally, ...]
    total_time_ms: int
    mean_time_ms: int

    @property
    def percent(self) -> float:
        return 100.0 * self.raw / self.length if self.length else 0.0


def cut_for(length: int, cut_fraction: float) -> int:
    """Raw questions needed to pass an exam of ``length`` under the assumed cut."""
    return math.ceil(cut_fraction * length - 1e-9)


def score_exam(
    items: Sequence[ScoredItem],
    *,
    skills: Sequence[tuple[str, str, str]],
    categories: Sequence[tuple[str, str]],
    cut_fraction: float,
    scale_max: int,
    pass_scaled: int,
) -> ExamScore:
    """Score ``items``; ``skills`` is (id, title, category id) and ``categories`` (id, title),
    both in the order the report shows them. Skills and categories with no question in
    the exam are left out of the breakdowns.
    """
    length = len(items)
    raw = sum(1 for i in items if i.correct)
    cut = cut_for(length, cut_fraction)
    scaled = scaled_from_raw(raw, length, cut, scale_max, pass_scaled)
    per_skill: dict[str, list[int]] = {}
    for item in items:
        tally = per_skill.setdefault(item.skill, [0, 0])
        tally[0] += int(item.correct)
        tally[1] += 1
    category_of: Mapping[str, str] = {sid: cat for sid, _t, cat in skills}
    by_skill = tuple(
        Tally(sid, title, *per_skill[sid]) for sid, title, _c in skills if sid in per_skill
    )
    known = {sid for sid, _t, _c in skills}
    extra = tuple(Tally(sid, sid, *per_skill[sid]) for sid in sorted(set(per_skill) - known))
    per_cat: dict[str, list[int]] = {}
    for sid, (correct, total) in per_skill.items():
        cat = category_of.get(sid)
        if cat is not None:
            tally = per_cat.setdefault(cat, [0, 0])
            tally[0] += correct
            tally[1] += total
    by_category = tuple(
        Tally(cid, title, *per_cat[cid]) for cid, title in categories if cid in per_cat
    )
    total_time = sum(i.time_ms for i in items)
    return ExamScore(
        raw=raw,
        length=length,
        answered=sum(1 for i in items if i.answered),
        cut_raw=cut,
        cut_fraction=cut_fraction,
        scaled=scaled,
        scale_max=scale_max,
        pass_scaled=pass_scaled,
        passed=scaled >= pass_scaled,
        by_category=by_category,
        by_skill=by_skill + extra,
        total_time_ms=total_time,
        mean_time_ms=round(total_time / length) if length else 0,
    )


def trend(values: Sequence[float]) -> float | None:
    """Least-squares slope per exam of ``values`` (oldest first); None for fewer than 2."""
    n = len(values)
    if n < 2:
        return None
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    sxx = sum((x - mean_x) ** 2 for x in range(n))
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(range(n), values, strict=True))
    return sxy / sxx
