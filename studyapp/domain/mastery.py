"""Mastery per skill area, readiness (probability of passing) and the estimated score.

The model is documented in ``docs/learning-model.md``. In short, for a skill area:

- ``p`` is the chance of answering a question of the skill that the learner has not
  studied: a Beta posterior from first attempts (each question's first answer), weighted
  by recency (half-life 60 days), prior mean 0.45; later answers to a question measure
  memory of that question, so they do not count (``LATER_WEIGHT`` 0). The first answers
  were given along the way, so ``p`` is carried forward by ``GROWTH_PER_QUESTION`` logits
  for half the questions seen since.
- Mock exams set the level: their answers to questions new to the learner shift every
  skill's ``p`` by one fitted amount (:func:`mock_level_shift`), practice keeps the profile.
- The real exam's questions are not in the bank (``EXAM_OVERLAP`` 0), so mastery is ``p``:
  ``m = p + overlap · c · R̄ · (1 - p)`` with coverage ``c`` and mean retrievability ``R̄``
  reduces to ``p``. The 80% range comes from the posterior of ``p`` (and the shift's).

Readiness rolls the skills up by the blueprint: the raw score is a sum of independent
Bernoulli items (normal approximation with the mastery uncertainty added), and
``P(raw >= cut)`` is the probability of passing.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from statistics import NormalDist

from studyapp.domain.blueprint import allocate

# Share of real exam questions that a bank question asks again (so that recall of the bank
# question answers it). The CETL exam's items are secret and not in any bank: 0. Only what
# transfers to the skill (``p``) counts; see docs/learning-model.md.
EXAM_OVERLAP = 0.0
PRIOR_MEAN = 0.45
PRIOR_STRENGTH = 3.0
FIRST_HALF_LIFE_DAYS = 60.0
# How far one learner's true retention may sit from FSRS's estimate before personal
# parameters are fitted (1 sd, in retrievability): part of the mastery range.
RETRIEVABILITY_SD = 0.1
# Later answers to a question measure memory of that very question, not the skill: the
# exam's questions are new, so they do not count toward ``p``.
LATER_WEIGHT = 0.0
# A mock exam answer is evidence about today's skill: full weight, shorter half-life.
MOCK_WEIGHT = 2.0
MOCK_HALF_LIFE_DAYS = 14.0
MOCK_SHIFT_PRIOR_SD = 1.5
# Logits a skill's ability on new questions is assumed to grow per question of it studied
# since the first answers (set with the simulation: it covers first studies and the repeats
# between them; mock exams correct the level).
GROWTH_PER_QUESTION = 0.03
# What a repeat of a question teaches the skill, relative to a first study (the testing and
# spacing literature; an assumption, docs/learning-model.md). The planner weighs reviews by
# it, and growth since an answer counts repeats at this share.
REPEAT_VALUE = 0.25
# A blind guess at a four-option question: what an answer gets right with nothing known.
GUESS = 0.25
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
    # Their mean, when the caller keeps it (services.study.recall); else from the sequence.
    retention: float | None = None
    # Answers to mock exam questions of this skill: (correct, age in days, count). A mock
    # exam is the closest thing to the real one, so they count at ``MOCK_WEIGHT``.
    mock_attempts: Sequence[tuple[bool, float, int]] = ()


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
    # The part of ``sd`` that every skill area shares (the mock exams' level shift is one
    # shift for all areas): :func:`readiness` adds these up across areas instead of in
    # quadrature, since they err together.
    shared_sd: float = 0.0


def estimate_mastery(e: SkillEvidence) -> Mastery:
    """The mastery estimate for one skill area; pure function of its evidence."""
    alpha = PRIOR_MEAN * PRIOR_STRENGTH
    beta = (1 - PRIOR_MEAN) * PRIOR_STRENGTH
    for attempts, scale, half_life in (
        (e.first_attempts, 1.0, FIRST_HALF_LIFE_DAYS),
        (e.later_attempts, LATER_WEIGHT, FIRST_HALF_LIFE_DAYS),
        (e.mock_attempts, MOCK_WEIGHT, MOCK_HALF_LIFE_DAYS),
    ):
        for correct, age, count in attempts:
            w = count * scale * 0.5 ** (max(age, 0.0) / half_life)
            alpha, beta = (alpha + w, beta) if correct else (alpha, beta + w)
    n = alpha + beta
    p = alpha / n
    p_sd = math.sqrt(p * (1 - p) / (n + 1))
    if e.first_attempts and GROWTH_PER_QUESTION:
        # The first answers were given along the way, and each question studied since
        # taught the skill a little: carry ``p`` forward by the growth since the answers it
        # rests on (their weighted mean).
        since = growth_since(e.first_attempts, e.later_attempts)
        total = shift = 0.0
        for _correct, age, count in e.first_attempts:
            w = count * 0.5 ** (max(age, 0.0) / FIRST_HALF_LIFE_DAYS)
            total += w
            shift += w * since(age)
        if total > 0 and shift > 0:
            grown = _grow(p, shift / total)
            p_sd *= _slope(grown) / max(_slope(p), 1e-6)
            p = grown
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


Evidence = Mapping[str, Mapping[bool, Sequence[tuple[bool, float, int]]]]


def growth_since(
    first: Sequence[tuple[bool, float, int]], later: Sequence[tuple[bool, float, int]]
) -> Callable[[float], float]:
    """The skill's growth in logits since an answer ``age`` days old: ``GROWTH_PER_QUESTION``
    for each question studied since (a repeat at ``REPEAT_VALUE``), half for the answers of
    the same day (on average, half of them came after)."""
    studies: dict[float, float] = {}
    for answers, value in ((first, 1.0), (later, REPEAT_VALUE)):
        for _correct, age, count in answers:
            studies[age] = studies.get(age, 0.0) + value * count
    ages = sorted(studies)
    before = list(accumulate((studies[a] for a in ages), initial=0.0))  # before[i]: ages[:i]

    def since(age: float) -> float:
        n = before[bisect_left(ages, age)] + 0.5 * studies.get(age, 0.0)
        return GROWTH_PER_QUESTION * n

    return since


def estimate_masteries(
    skills: Sequence[tuple[str, float]],
    totals: Mapping[str | None, int],
    seen: Mapping[str, int],
    retention: Mapping[str, float],
    evidence: Evidence,
    mocks: Mapping[str, Sequence[tuple[bool, float, int]]] | None = None,
) -> dict[str, Mastery]:
    """Mastery of every skill ``(id, weight)``: the one roll-up the app and the simulation use.

    ``totals``: questions per skill; ``seen``: answered at least once; ``retention``: mean
    retrievability of the seen ones; ``evidence``: skill -> first attempt? -> (correct, age
    in days, count); ``mocks``: skill -> mock exam answers in the same shape.
    """
    out = {}
    for skill_id, weight in skills:
        ev = evidence.get(skill_id, {})
        out[skill_id] = estimate_mastery(
            SkillEvidence(
                skill_id=skill_id,
                weight=weight,
                questions=totals.get(skill_id, 0),
                seen=seen.get(skill_id, 0),
                first_attempts=ev.get(True, ()),
                later_attempts=ev.get(False, ()),
                retention=retention.get(skill_id, 0.0),
            )
        )
    if mocks:
        since = {
            skill_id: growth_since(
                evidence.get(skill_id, {}).get(True, ()), evidence.get(skill_id, {}).get(False, ())
            )
            for skill_id, _weight in skills
        }
        delta, delta_sd = mock_level_shift(out, mocks, since)
        out = {k: _shifted(m, delta, delta_sd) for k, m in out.items()}
    return out


def _known(p: float) -> float:
    """The share of ``p`` above the guessing floor ``GUESS``, kept off 0 and 1 (an
    estimate at or below chance still has somewhere to grow)."""
    return min(max((p - GUESS) / (1 - GUESS), 0.01), 0.99)


def _beyond_guess(p: float) -> float:
    """The logit of :func:`_known`: where growth and the mock exams' shift act."""
    return _logit(_known(p))


def _above_guess(z: float) -> float:
    """``P(right)`` at ``z`` logits of knowledge: the guess floor plus the known part."""
    return GUESS + (1 - GUESS) * _sigmoid(z)


def _grow(p: float, dz: float) -> float:
    """``p`` moved by ``dz`` logits of knowledge (growth is on what is known, not on the
    lucky guesses); continuous where :func:`_known` clamps."""
    z = _beyond_guess(p)
    return min(max(p + (_above_guess(z + dz) - _above_guess(z)), 0.0), 1.0)


def _slope(p: float) -> float:
    """``dp/dz`` of :func:`_above_guess` at ``p``."""
    q = _known(p)
    return (1 - GUESS) * q * (1 - q)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def mock_level_shift(
    masteries: Mapping[str, Mastery],
    mocks: Mapping[str, Sequence[tuple[bool, float, int]]],
    since: Mapping[str, Callable[[float], float]] | None = None,
) -> tuple[float, float]:
    """(shift, its sd) in logits that makes the practice estimates agree with the mock exams.

    Practice measures each skill when its questions were first met; ability keeps growing
    with study after that, and a mock exam of questions the learner has not studied is the
    closest thing to the real exam. So mock answers set the **level** (one shift for all
    skills, a maximum a posteriori fit with a normal prior of sd ``MOCK_SHIFT_PRIOR_SD``),
    and practice keeps the **profile** across skills. Answers weigh less with age
    (half-life ``MOCK_HALF_LIFE_DAYS``), and an older mock is read against the skill as it
    was then: today's estimate less the growth since (``since``: skill -> growth in logits
    since an answer of that age, :func:`growth_since`), so studying after a mock exam is
    not undone by it.
    """
    points = []
    for skill, answers in mocks.items():
        m = masteries.get(skill)
        if m is None:
            continue
        base = _beyond_guess(m.p_unstudied)
        grown = since.get(skill) if since else None
        for correct, age, count in answers:
            w = MOCK_WEIGHT * count * 0.5 ** (max(age, 0.0) / MOCK_HALF_LIFE_DAYS)
            then = base - grown(age) if grown else base
            points.append((then, 1.0 if correct else 0.0, w))
    if not points:
        return 0.0, 0.0
    # Newton's method on the log posterior (concave: a few steps suffice).
    prior = 1.0 / MOCK_SHIFT_PRIOR_SD**2
    delta, hess = 0.0, prior
    for _ in range(30):
        grad, hess = -prior * delta, prior
        for base, y, w in points:
            # An answer is right with P = GUESS + (1 − GUESS)·σ(z): the gradient and the
            # curvature of its log likelihood in the shift.
            s = _sigmoid(base + delta)
            q = GUESS + (1 - GUESS) * s
            dq = (1 - GUESS) * s * (1 - s)
            grad += w * dq * (y - q) / max(q * (1 - q), 1e-9)
            hess += w * dq * dq / max(q * (1 - q), 1e-9)
        step = grad / hess
        delta += step
        if abs(step) < 1e-9:
            break
    return delta, math.sqrt(1.0 / hess)


def _shifted(m: Mastery, delta: float, delta_sd: float) -> Mastery:
    """``m`` with its ``p`` moved by ``delta`` logits of knowledge (:func:`_grow`), and the
    shift's uncertainty added to ``sd`` and kept as ``shared_sd`` (one shift for all areas)."""
    p = _grow(m.p_unstudied, delta)
    lift = EXAM_OVERLAP * m.coverage * m.retention
    mean = p + lift * (1 - p)
    scale = _slope(p) / max(_slope(m.p_unstudied), 1e-6)
    shared = math.hypot(m.shared_sd * scale, (1 - lift) * _slope(p) * delta_sd)
    sd = math.hypot(math.sqrt(max(m.sd**2 - m.shared_sd**2, 0.0)) * scale, shared)
    return replace(
        m,
        mean=mean,
        low=max(0.0, mean - Z80 * sd),
        high=min(1.0, mean + Z80 * sd),
        sd=sd,
        p_unstudied=p,
        shared_sd=shared,
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
    mean = var = shared = 0.0
    for skill, n in counts.items():
        m = masteries.get(skill)
        p, sd, common = (m.mean, m.sd, m.shared_sd) if m else (PRIOR_MEAN, 0.25, 0.0)
        mean += n * p
        # Each area's own uncertainty is independent of the others'; the shared part
        # (one level shift for all areas) errs the same way everywhere, so it adds up.
        var += n * p * (1 - p) + n**2 * max(sd**2 - common**2, 0.0)
        shared += n * common
    var += shared**2
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
