"""Mastery per skill area, readiness (probability of passing) and the estimated score.

The model is documented in ``docs/learning-model.md``. In short, for a skill area:

- ``p`` is the chance of answering a question of the skill that the learner has not
  studied: a Beta posterior from first attempts (each question's first answer), weighted
  by recency (half-life 60 days), plus later attempts at a quarter weight; prior mean 0.45.
- A studied question is answered from memory with FSRS retrievability ``R``, and otherwise
  from general ability: ``R + (1 - R) p``.
- An exam question tests a concept the bank teaches with probability ``EXAM_OVERLAP``
  (an assumption). With coverage ``c`` (share of the skill's questions seen) and mean
  retrievability ``R̄`` of the seen ones, mastery is ``m = p + overlap · c · R̄ · (1 - p)``;
  its 80% range comes from the posterior of ``p``.

Readiness rolls the skills up by the blueprint: the raw score is a sum of independent
Bernoulli items (normal approximation with the mastery uncertainty added), and
``P(raw >= cut)`` is the probability of passing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

from studyapp.domain.blueprint import allocate

# Share of real exam questions whose concept a question of the bank teaches. Unknown (the
# exam's items are secret); an assumption, documented in docs/learning-model.md.
EXAM_OVERLAP = 0.5
PRIOR_MEAN = 0.45
PRIOR_STRENGTH = 3.0
FIRST_HALF_LIFE_DAYS = 60.0
# How far one learner's true retention may sit from FSRS's estimate before personal
# parameters are fitted (1 sd, in retrievability): part of the mastery range.
RETRIEVABILITY_SD = 0.1
LATER_WEIGHT = 0.25
Z80 = NormalDist().inv_cdf(0.9)


@dataclass(frozen=True, slots=True)
class SkillEvidence:
    """What the log and memory say about one skill area."""

    skill_id: str
    weight: float
    questions: int
    seen: int
    first_attempts: Sequence[tuple[bool, float, int]] = ()  # (correct, age in days, count)
    later_attempts: Sequence[tuple[bool, float, int]] = ()
    retrievabilities: Sequence[float] = ()  # of the seen questions, now
    # Their mean, when the caller keeps it (services.recall); else from the sequence.
    retention: float | None = None


@dataclass(frozen=True, slots=True)
class Mastery:
    """Estimated chance of answering an exam question of the skill correctly today."""

    skill_id: str
    mean: float
    low: float
    high: float
    sd: float
    p_unstudied: float
    retention: float
    coverage: float


def estimate_mastery(e: SkillEvidence) -> Mastery:
    """The mastery estimate for one skill area; pure function of its evidence."""
    alpha = PRIOR_MEAN * PRIOR_STRENGTH
    beta = (1 - PRIOR_MEAN) * PRIOR_STRENGTH
    for attempts, scale in ((e.first_attempts, 1.0), (e.later_attempts, LATER_WEIGHT)):
        for correct, age, count in attempts:
            w = count * scale * 0.5 ** (max(age, 0.0) / FIRST_HALF_LIFE_DAYS)
            alpha, beta = (alpha + w, beta) if correct else (alpha, beta + w)
    n = alpha + beta
    p = alpha / n
    p_sd = math.sqrt(p * (1 - p) / (n + 1))
    coverage = min(1.0, e.seen / e.questions) if e.questions else 0.0
    if e.retention is not None:
        r_mean = e.retention
    else:
        r_mean = sum(e.retrievabilities) / len(e.retrievabilities) if e.retrievabilities else 0.0
    lift = EXAM_OVERLAP * coverage * r_mean
    mean = p + lift * (1 - p)
    sd = math.hypot((1 - lift) * p_sd, EXAM_OVERLAP * coverage * (1 - p) * RETRIEVABILITY_SD)
    return Mastery(
        skill_id=e.skill_id,
        mean=mean,
        low=max(0.0, mean - Z80 * sd),
        high=min(1.0, mean + Z80 * sd),
        sd=sd,
        p_unstudied=p,
        retention=r_mean,
        coverage=coverage,
    )


@dataclass(frozen=True, slots=True)
class Readiness:
    """Probability of passing and the expected score on the blueprint exam."""

    probability: float
    expected_raw: float
    raw_sd: float
    length: int
    cut: int
    expected_scaled: int
    scaled_low: int
    scaled_high: int


def scaled_from_raw(raw: float, length: int, cut: int, scale_max: int, pass_scaled: int) -> int:
    """Estimated scaled score: the assumed raw cut maps to the pass mark, linear on each side."""
    raw = min(max(raw, 0.0), float(length))
    if raw < cut:
        return round(pass_scaled * raw / cut) if cut else 0
    span = max(length - cut, 1)
    return round(pass_scaled + (scale_max - pass_scaled) * (raw - cut) / span)


def readiness(
    masteries: Mapping[str, Mastery],
    weights: Mapping[str, float],
    *,
    length: int,
    cut_fraction: float,
    scale_max: int,
    pass_scaled: int,
) -> Readiness:
    """Roll skill masteries up by the blueprint into a pass probability."""
    counts = allocate(weights, length)
    mean = var = 0.0
    for skill, n in counts.items():
        m = masteries.get(skill)
        p, sd = (m.mean, m.sd) if m else (PRIOR_MEAN, 0.25)
        mean += n * p
        var += n * p * (1 - p) + (n * sd) ** 2
    cut = math.ceil(cut_fraction * length - 1e-9)
    sd_total = math.sqrt(max(var, 1e-9))
    probability = 1 - NormalDist(mean, sd_total).cdf(cut - 0.5)
    low = mean - Z80 * sd_total
    high = mean + Z80 * sd_total
    return Readiness(
        probability=min(max(probability, 0.0), 1.0),
        expected_raw=mean,
        raw_sd=sd_total,
        length=length,
        cut=cut,
        expected_scaled=scaled_from_raw(mean, length, cut, scale_max, pass_scaled),
        scaled_low=scaled_from_raw(low, length, cut, scale_max, pass_scaled),
        scaled_high=scaled_from_raw(high, length, cut, scale_max, pass_scaled),
    )
