"""What the figures mean to the learner: one rule for each sentence every surface shows.

Home, Statistics, the progress report and ``stats --json`` show the same words for the
same state because they all come from here: a skill area's mastery text
(:func:`mastery_text`), the weakest area (:func:`weakest`), the suggested focus
(:func:`suggested_focus`) and readiness with its reasons (:func:`readiness_view`).
Evidence comes first (:mod:`studyapp.domain.evidence`): no percentage is shown for a
skill area with too few answers, and readiness waits until every area has enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from studyapp.domain.evidence import (
    ENOUGH_ANSWERS,
    EvidenceLevel,
    answers_needed,
    evidence_level,
)
from studyapp.domain.words import plural

# How many of the latest mock exams are weighed against the estimate.
RECENT_MOCKS = 2
# Readiness is estimated once the skill areas with enough answers carry this share of the
# exam and every area has at least one answer: the rest is then a small part of the sum.
READINESS_WEIGHT_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class SkillFigure:
    """One skill area as the rules need it."""

    id: str
    title: str
    weight: float
    answers: int
    mean: float
    low: float
    high: float
    questions: int | None = None  # in the bank; 0: nothing to practise (None: unknown)

    @property
    def evidence(self) -> EvidenceLevel:
        return evidence_level(self.answers)

    @property
    def practicable(self) -> bool:
        """False for an area the installed packs bring no question for."""
        return self.questions is None or self.questions > 0 or self.answers > 0


@dataclass(frozen=True, slots=True)
class MockResult:
    """A submitted mock exam (``raw`` None: not scored)."""

    code: str
    raw: int | None
    length: int
    finished_at: datetime
    scaled: int | None
    passed: bool | None


@dataclass(frozen=True, slots=True)
class Focus:
    """The suggested focus: a skill area and the plain reason for it."""

    skill_id: str
    text: str


@dataclass(frozen=True, slots=True)
class WhyLine:
    """One reason behind readiness. ``kind``: evidence, skill, needs, mock."""

    kind: str
    text: str
    skill: str | None = None


@dataclass(frozen=True, slots=True)
class ReadinessView:
    """Readiness as it may be shown: an estimate only when ``estimated``.

    ``needed``: answers still needed before an estimate (0 once estimated);
    ``needed_areas``: titles of the areas that need them; ``mocks_below``: the latest
    mock exams are all below the pass line (shown beside the estimate, never hidden).
    """

    estimated: bool
    needed: int
    needed_areas: tuple[str, ...]
    mocks_below: bool
    why: tuple[WhyLine, ...]


def _areas(titles: Sequence[str], of: int) -> str:
    """Area titles in a sentence, shortened when there are many."""
    if len(titles) == of and of > 3:
        return f"all {of} skill areas"
    if len(titles) > 4:
        return ", ".join(titles[:3]) + f" and {len(titles) - 3} more skill areas"
    return ", ".join(titles)


def mastery_text(s: SkillFigure) -> str:
    """The skill's mastery as a learner reads it: a percentage only with enough answers."""
    level = s.evidence
    if level == "none":
        return "not practised yet"
    if level == "few":
        return f"too few answers ({s.answers} of {ENOUGH_ANSWERS})"
    return f"{s.mean:.0%} ({s.low:.0%}–{s.high:.0%})"


def category_mastery(members: Sequence[SkillFigure]) -> float | None:
    """A category's mastery: its areas' estimates weighted by exam weight, or None unless
    every area in it has enough answers."""
    if not members or any(s.evidence != "enough" for s in members):
        return None
    weight = sum(s.weight for s in members) or 1.0
    return sum(s.weight * s.mean for s in members) / weight


def category_text(members: Sequence[SkillFigure]) -> str:
    """A category's mastery as Home's heading says it: a percentage only when every area in
    it has enough answers (:func:`category_mastery`), else why not ("not practised yet"
    when none of its areas has an answer, "too few answers yet" otherwise)."""
    mean = category_mastery(members)
    if mean is not None:
        return f"mastery {mean:.0%}"
    if all(s.answers == 0 for s in members):
        return "not practised yet"
    return "too few answers yet"


def weakest(skills: Sequence[SkillFigure]) -> str | None:
    """The id of the weakest skill area, or None while fewer than two have enough answers.

    Weakest = the lowest estimated mastery among areas with enough answers; comparing
    an estimate with a prior would only name the area with the least practice.
    """
    measured = [s for s in skills if s.evidence == "enough"]
    if len(measured) < 2:
        return None
    return min(measured, key=lambda s: (s.mean, -s.weight)).id


def suggested_focus(skills: Sequence[SkillFigure]) -> Focus | None:
    """What Home suggests working on, and why.

    While some area has too few answers, the suggestion follows the exam weights: the
    heaviest such area, said plainly. Once every area has enough answers, it is the area
    where the exam loses the most points: weight × (1 − mastery).
    """
    weighted = [s for s in skills if s.weight > 0 and s.practicable]
    if not weighted:
        return None
    unmeasured = [s for s in weighted if s.evidence != "enough"]
    if unmeasured:
        s = max(unmeasured, key=lambda s: (s.weight, -s.answers))
        state = (
            "you have not practised it yet"
            if s.evidence == "none"
            else f"you have answered only {plural(s.answers, 'question')} there"
        )
        return Focus(
            s.id,
            f"Suggested focus: {s.title}, because it carries {s.weight:.0%} of the exam and "
            f"{state}. Until every area has {ENOUGH_ANSWERS} answers, suggestions follow the "
            "exam weights.",
        )
    s = max(weighted, key=lambda s: (s.weight * (1 - s.mean), -s.mean))
    return Focus(
        s.id,
        f"Suggested focus: {s.title}, because it carries {s.weight:.0%} of the exam and "
        f"your estimated mastery there is {s.mean:.0%}.",
    )


def mock_warning(mocks_below: bool, estimated: bool, probability: float) -> str:
    """What Home says beside readiness about the mock exams ("" when nothing to say).

    When the latest mock exams are below the pass line, it is said; when the practice
    estimate is the more hopeful of the two, the warning says that too, so the two never
    silently contradict each other.
    """
    if not mocks_below:
        return ""
    if estimated and probability >= 0.5:
        return (
            "Careful: your latest mock exam results are below the pass line, although the "
            "estimate from your practice answers is higher. A mock exam is the closest thing "
            "to the real one."
        )
    return "Your latest mock exam results are below the pass line."


def mock_below(m: MockResult) -> bool:
    """True when a mock exam was scored below the pass line."""
    return m.passed is False


def readiness_view(
    skills: Sequence[SkillFigure],
    mocks: Sequence[MockResult],
    *,
    reviews: int,
    target: float,
) -> ReadinessView:
    """Whether readiness may be shown, and the reasons behind it.

    Shown once the areas with enough answers carry ``READINESS_WEIGHT_SHARE`` of the exam
    and no area is unpractised; before that, the view says how many answers it needs.

    ``mocks``: latest first. ``target``: the mastery a pass needs on average (the assumed
    raw cut as a share). Areas without questions in the bank are left out: no answer
    can be asked for there. Reasons: what it rests on, which areas pull it down (mastery
    below the target, biggest loss of exam points first, at most three), the areas still
    short of answers, and the latest mock exams.
    """
    weighted = [s for s in skills if s.weight > 0 and s.practicable]
    short = [s for s in weighted if s.evidence != "enough"]
    needed = sum(answers_needed(s.answers) for s in short)
    total_weight = sum(s.weight for s in weighted) or 1.0
    share = sum(s.weight for s in weighted if s.evidence == "enough") / total_weight
    estimated = share >= READINESS_WEIGHT_SHARE - 1e-9 and all(
        s.evidence != "none" for s in weighted
    )
    why: list[WhyLine] = []
    measured = len(weighted) - len(short)
    if reviews:
        why.append(
            WhyLine(
                "evidence",
                f"Based on {plural(reviews, 'answer')}; {measured} of "
                f"{plural(len(weighted), 'skill area')} "
                f"{'has' if measured == 1 else 'have'} enough answers for an estimate.",
            )
        )
    if short:
        why.append(
            WhyLine(
                "needs",
                f"Answer about {plural(needed, 'more question')} across "
                + _areas([s.title for s in short], len(weighted))
                + (" to measure every area." if estimated else " for an estimate."),
            )
        )
    pulling = sorted(
        (s for s in weighted if s.evidence == "enough" and s.mean < target),
        key=lambda s: s.weight * (target - s.mean),
        reverse=True,
    )[:3]
    for s in pulling:
        why.append(
            WhyLine(
                "skill",
                f"{s.title} pulls it down: estimated mastery {s.mean:.0%}, a pass needs about "
                f"{target:.0%} on average ({s.weight:.0%} of the exam).",
                s.id,
            )
        )
    recent = [m for m in mocks if m.raw is not None][:RECENT_MOCKS]
    for m in recent:
        line = f"Mock exam {m.finished_at.day} {m.finished_at:%B}: {m.raw} of {m.length} right"
        if m.scaled is not None:
            line += f", estimated score {m.scaled}"
        line += " (below the pass line)." if mock_below(m) else " (at or above the pass line)."
        why.append(WhyLine("mock", line))
    mocks_below = bool(recent) and all(mock_below(m) for m in recent)
    return ReadinessView(
        estimated=estimated,
        needed=needed,
        needed_areas=tuple(s.title for s in short),
        mocks_below=mocks_below,
        why=tuple(why),
    )
