"""``studyapp simulate``: does the planner beat what learners do without it?

Simulated learners study the shipped CETL pack for ``days`` days, ``minutes`` a day,
under three policies with the same time budget and the same FSRS:

- ``planner``: this app's planner (:func:`studyapp.domain.planner.plan_session`) with the
  exam date set, mastery estimated from the learner's own answers as in the app;
- ``uniform``: a question drawn uniformly at random each time;
- ``due_first``: a flashcard app: due reviews first (earliest due first), then new
  questions in pack order up to a daily limit, then "review ahead". Its daily limit is
  tuned on a separate seed among 10, 20, 40 and unlimited, and the best one is used.

The learner model, its parameters and their sources are in ``docs/learning-model.md``.
The truth (what the learner really knows) is never shown to the policies; they see only
answers, as the app does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from statistics import NormalDist, median
from typing import Any

from fsrs import Rating

from studyapp.domain.blueprint import allocate
from studyapp.domain.framework import Framework
from studyapp.domain.leech import after_answer
from studyapp.domain.mastery import EXAM_OVERLAP, SkillEvidence, estimate_mastery, readiness
from studyapp.domain.memory import MemoryState, forgetting_curve, retrievability_after, review
from studyapp.domain.planner import Candidate, PlanInput, exam_schedule, plan_session
from studyapp.domain.rating import rate_answer

# ---- learner model parameters (see docs/learning-model.md for where each comes from)
GUESS = 0.25  # four options
ABILITY_MEAN = -0.1  # logit of the non-guess part: unprepared accuracy about 0.59
ABILITY_SPREAD_LEARNER = 0.6
ABILITY_SPREAD_SKILL = 0.7
DIFFICULTY_SHIFT = {1: 0.6, 2: 0.0, 3: -0.6}
TRANSFER_PER_QUESTION = 0.01  # logit gained in a skill per new question studied
MEMORY_FACTOR_SD = 0.4  # lognormal spread of a learner's stabilities around FSRS's defaults
FEEDBACK_SECONDS = 12.0
START = datetime(2027, 1, 4, 18, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SimQuestion:
    """What the simulation needs of a question."""

    index: int
    skill: str
    difficulty: int
    words: int


@dataclass
class _Learner:
    skill_logit: dict[str, float]
    item_shift: list[float]
    memory_factor: float = 1.0
    transfer: dict[str, float] = field(default_factory=dict)

    def ability(self, q: SimQuestion) -> float:
        z = self.skill_logit[q.skill] + self.transfer.get(q.skill, 0.0) + self.item_shift[q.index]
        return GUESS + (1 - GUESS) / (1 + math.exp(-z))

    def skill_ability(self, skill: str) -> float:
        z = self.skill_logit[skill] + self.transfer.get(skill, 0.0)
        return GUESS + (1 - GUESS) / (1 + math.exp(-z))


@dataclass
class _Item:
    mem: MemoryState | None = None  # what the scheduler believes
    truth: MemoryState | None = None  # the learner's real memory (FSRS dynamics, own factor)
    last_correct: bool | None = None
    wrong: int = 0
    leech: bool = False


_CURVE = forgetting_curve()


def _true_recall(item: _Item, now: datetime, factor: float) -> float:
    t = item.truth
    if t is None or t.stability is None or t.last_review is None:
        return 0.0
    days = max((now - t.last_review).total_seconds() / 86400, 0.0)
    decay, curve_factor = _CURVE
    return float((1 + curve_factor * days / (t.stability * factor)) ** decay)


@dataclass
class PolicyResult:
    """Outcome of one policy over all learners."""

    pass_probabilities: list[float] = field(default_factory=list)
    expected_scores: list[float] = field(default_factory=list)
    days_to_pass: list[int | None] = field(default_factory=list)
    minutes_to_pass: list[float | None] = field(default_factory=list)
    readiness_pairs: list[tuple[float, float]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        reached_days = [d for d in self.days_to_pass if d is not None]
        reached_min = [m for m in self.minutes_to_pass if m is not None]
        n = len(self.pass_probabilities)
        return {
            "pass_rate": round(sum(self.pass_probabilities) / n, 4) if n else None,
            "expected_score": round(sum(self.expected_scores) / n, 2) if n else None,
            "days_to_pass": median(reached_days) if reached_days else None,
            "minutes_to_pass": round(median(reached_min), 1) if reached_min else None,
            "reached_pass_line": round(len(reached_days) / n, 4) if n else None,
        }


class _Run:
    """One learner under one policy."""

    def __init__(
        self,
        questions: Sequence[SimQuestion],
        fw: Framework,
        learner: _Learner,
        days: int,
        minutes: float,
        rng: random.Random,
    ) -> None:
        self.qs = questions
        self.fw = fw
        self.learner = learner
        self.days = days
        self.minutes = minutes
        self.rng = rng
        self.items = [_Item() for _ in questions]
        self.exam_day = (START + timedelta(days=days)).date()
        self.evidence: dict[str, dict[bool, dict[tuple[bool, int], int]]] = {}
        self.curve = forgetting_curve()
        self.weights = {s.id: s.weight for s in fw.skill_areas}
        self.cut_fraction = fw.exam.assumed_raw_cut

    # -- truth
    def answer_probability(self, q: SimQuestion, now: datetime) -> float:
        r = _true_recall(self.items[q.index], now, self.learner.memory_factor)
        return r + (1 - r) * self.learner.ability(q)

    def true_exam(self, now: datetime) -> tuple[float, float]:
        """(expected raw score, probability of passing) on the real exam at ``now``."""
        counts = allocate(self.weights, self.fw.exam.length)
        mean = var = 0.0
        by_skill: dict[str, list[SimQuestion]] = {}
        for q in self.qs:
            by_skill.setdefault(q.skill, []).append(q)
        for skill, n in counts.items():
            bank = by_skill.get(skill, [])
            known = sum(self.answer_probability(q, now) for q in bank) / len(bank) if bank else 0.0
            p = EXAM_OVERLAP * known + (1 - EXAM_OVERLAP) * self.learner.skill_ability(skill)
            mean += n * p
            var += n * p * (1 - p)
        cut = math.ceil(self.cut_fraction * self.fw.exam.length - 1e-9)
        prob = 1 - NormalDist(mean, math.sqrt(max(var, 1e-9))).cdf(cut - 0.5)
        return mean, prob

    # -- what the app can know
    def estimated_readiness(self, now: datetime) -> float:
        masteries = {}
        for skill in self.fw.skill_areas:
            ev = self.evidence.get(skill.id, {True: {}, False: {}})
            retr = [
                retrievability_after(it.mem.stability, (now - it.mem.last_review).days, self.curve)
                for q, it in zip(self.qs, self.items, strict=True)
                if q.skill == skill.id
                and it.mem is not None
                and it.mem.stability
                and it.mem.last_review
            ]
            masteries[skill.id] = estimate_mastery(
                SkillEvidence(
                    skill_id=skill.id,
                    weight=skill.weight,
                    questions=sum(1 for q in self.qs if q.skill == skill.id),
                    seen=len(retr),
                    first_attempts=[(c, age, n) for (c, age), n in self._aged(ev[True], now)],
                    later_attempts=[(c, age, n) for (c, age), n in self._aged(ev[False], now)],
                    retrievabilities=retr,
                )
            )
        return readiness(
            masteries,
            self.weights,
            length=self.fw.exam.length,
            cut_fraction=self.cut_fraction,
            scale_max=self.fw.exam.scale_max,
            pass_scaled=self.fw.exam.pass_scaled,
        ).probability

    def _aged(
        self, groups: dict[tuple[bool, int], int], now: datetime
    ) -> list[tuple[tuple[bool, int], int]]:
        today = (now - START).days
        return [((c, today - day), n) for (c, day), n in groups.items()]

    def masteries_for_planning(self, now: datetime) -> dict[str, float]:
        out = {}
        for skill in self.fw.skill_areas:
            ev = self.evidence.get(skill.id, {True: {}, False: {}})
            out[skill.id] = estimate_mastery(
                SkillEvidence(
                    skill_id=skill.id,
                    weight=skill.weight,
                    questions=1,
                    seen=0,
                    first_attempts=[(c, age, n) for (c, age), n in self._aged(ev[True], now)],
                    later_attempts=[(c, age, n) for (c, age), n in self._aged(ev[False], now)],
                )
            ).mean
        return out

    # -- doing
    def study(
        self, q: SimQuestion, now: datetime, *, reschedule: bool, retention: float, max_days: int
    ) -> float:
        """Answer and study one question; returns the seconds it took."""
        item = self.items[q.index]
        p = self.answer_probability(q, now)
        correct = self.rng.random() < p
        seconds = max(6.0, self.rng.gauss(10 + q.words / 3.0, 6.0))
        first = item.truth is None
        day = (now - START).days
        bucket = self.evidence.setdefault(q.skill, {True: {}, False: {}})[first]
        bucket[(correct, day)] = bucket.get((correct, day), 0) + 1
        if reschedule:
            rating = rate_answer(correct, False, seconds, q.words)
            seen = item.mem if item.mem is not None and item.mem.reps > 0 else None
            item.mem = review(
                seen, rating, now, desired_retention=retention, max_interval_days=max_days
            )
            item.wrong, item.leech = after_answer(correct, item.wrong, item.leech)
        item.last_correct = correct
        # Truth: studying the answer and its rationale builds the learner's memory the way
        # FSRS's default model says memories grow (recalled: Good, not recalled: Again).
        recalled = self.rng.random() < _true_recall(item, now, self.learner.memory_factor)
        item.truth = review(
            item.truth, Rating.Good if recalled or (first and correct) else Rating.Again, now
        )
        if first:
            self.learner.transfer[q.skill] = (
                self.learner.transfer.get(q.skill, 0.0) + TRANSFER_PER_QUESTION
            )
        return seconds + FEEDBACK_SECONDS


Policy = Callable[[_Run, datetime, set[int]], list[tuple[SimQuestion, bool]]]


def _planner_policy(
    run: _Run, now: datetime, done_today: set[int]
) -> list[tuple[SimQuestion, bool]]:
    today = now.date()
    cands = []
    for q, it in zip(run.qs, run.items, strict=True):
        mem = it.mem
        seen = mem is not None and mem.reps > 0
        r = (
            retrievability_after(mem.stability, (now - mem.last_review).days, run.curve)
            if (seen and mem and mem.stability and mem.last_review)
            else 0.0
        )
        cands.append(
            Candidate(
                qid=q.index,
                skill=q.skill,
                seen=seen,
                due=mem.due if seen and mem else None,
                retrievability=r,
                difficulty=q.difficulty,
                leech=it.leech,
                last_correct=it.last_correct,
                memory=mem if seen else None,
            )
        )
    new_today = getattr(run, "new_today", {}).get(today, 0)
    ability = run.masteries_for_planning(now)
    inp = PlanInput(
        candidates=cands,
        weights=run.weights,
        mastery=ability,
        ability=ability,
        new_today=new_today,
        daily_new_limit=20,
        exam_date=run.exam_day,
    )
    plan = plan_session(inp, now, 10, run.rng, exclude=frozenset(done_today))
    if plan.items:
        return [(run.qs[i.qid], True) for i in plan.items]
    cram = plan_session(inp, now, 10, run.rng, mode="cram", exclude=frozenset(done_today))
    return [(run.qs[i.qid], False) for i in cram.items]


def _uniform_policy(
    run: _Run, now: datetime, done_today: set[int]
) -> list[tuple[SimQuestion, bool]]:
    pool = [q for q in run.qs if q.index not in done_today] or list(run.qs)
    return [(run.rng.choice(pool), True)]


def _due_first(limit: int | None) -> Policy:
    def policy(run: _Run, now: datetime, done_today: set[int]) -> list[tuple[SimQuestion, bool]]:
        due = sorted(
            (it.mem.due, q.index)
            for q, it in zip(run.qs, run.items, strict=True)
            if it.mem is not None and it.mem.due <= now and q.index not in done_today
        )
        if due:
            return [(run.qs[i], True) for _d, i in due[:10]]
        today = now.date()
        introduced = getattr(run, "new_today", {}).get(today, 0)
        if limit is None or introduced < limit:
            new = [q for q, it in zip(run.qs, run.items, strict=True) if it.mem is None]
            if new:
                return [(new[0], True)]
        ahead = sorted(
            (it.mem.due, q.index)
            for q, it in zip(run.qs, run.items, strict=True)
            if it.mem is not None and q.index not in done_today
        )
        return [(run.qs[i], True) for _d, i in ahead[:10]]

    return policy


def _simulate_learner(
    questions: Sequence[SimQuestion],
    fw: Framework,
    learner: _Learner,
    policy: Policy,
    days: int,
    minutes: float,
    rng: random.Random,
    result: PolicyResult,
    planner_aware: bool,
) -> None:
    run = _Run(questions, fw, learner, days, minutes, rng)
    run.new_today = {}  # type: ignore[attr-defined]
    used = 0.0
    reached: int | None = None
    reached_minutes: float | None = None
    for day in range(days):
        now = START + timedelta(days=day)
        retention, max_days = (
            exam_schedule(now.date(), run.exam_day, 0.9) if planner_aware else (0.9, 36_500)
        )
        budget = minutes * 60.0
        done_today: set[int] = set()
        while budget > 0:
            batch = policy(run, now, done_today)
            if not batch:
                break
            for q, reschedule in batch:
                if budget <= 0:
                    break
                was_new = run.items[q.index].mem is None
                spent = run.study(
                    q, now, reschedule=reschedule, retention=retention, max_days=max_days
                )
                if was_new and run.items[q.index].mem is not None:
                    run.new_today[now.date()] = run.new_today.get(now.date(), 0) + 1  # type: ignore[attr-defined]
                budget -= spent
                used += spent / 60
                now += timedelta(seconds=spent)
                done_today.add(q.index)
        end = START + timedelta(days=day + 1) - timedelta(hours=1)
        if reached is None:
            score, _p = run.true_exam(end)
            if score >= run.cut_fraction * fw.exam.length:
                reached, reached_minutes = day + 1, used
        if day % 10 == 9 or day == days - 1:
            _score, truth = run.true_exam(end)
            result.readiness_pairs.append((run.estimated_readiness(end), truth))
    exam_at = START + timedelta(days=days, hours=-9)
    score, prob = run.true_exam(exam_at)
    result.expected_scores.append(score)
    result.pass_probabilities.append(prob)
    result.days_to_pass.append(reached)
    result.minutes_to_pass.append(reached_minutes)


def _make_learner(questions: Sequence[SimQuestion], fw: Framework, rng: random.Random) -> _Learner:
    base = rng.gauss(ABILITY_MEAN, ABILITY_SPREAD_LEARNER)
    skills = {s.id: base + rng.gauss(0.0, ABILITY_SPREAD_SKILL) for s in fw.skill_areas}
    shifts = [DIFFICULTY_SHIFT.get(q.difficulty, 0.0) + rng.gauss(0.0, 0.3) for q in questions]
    return _Learner(skills, shifts, memory_factor=math.exp(rng.gauss(0.0, MEMORY_FACTOR_SD)))


def simulate(
    questions: Sequence[SimQuestion],
    fw: Framework,
    *,
    learners: int,
    days: int,
    minutes: float,
    seed: int,
) -> dict[str, Any]:
    """Run every policy for the same learners; returns the ``simulate --json`` document."""
    tuned = _tune_due_first(questions, fw, days, minutes, seed)
    policies: dict[str, tuple[Policy, bool]] = {
        "planner": (_planner_policy, True),
        "uniform": (_uniform_policy, False),
        "due_first": (_due_first(tuned), False),
    }
    results = {name: PolicyResult() for name in policies}
    for i in range(learners):
        learner_seed = seed * 1_000_003 + i
        for name, (policy, aware) in policies.items():
            rng = random.Random(learner_seed)
            learner = _make_learner(questions, fw, rng)
            _simulate_learner(
                questions,
                fw,
                learner,
                policy,
                days,
                minutes,
                random.Random(learner_seed + 7),
                results[name],
                aware,
            )

    def expected_brier(pairs: list[tuple[float, float]]) -> float | None:
        # E[(estimate - outcome)^2] when the outcome is a pass with the true probability p.
        return sum((e - p) ** 2 + p * (1 - p) for e, p in pairs) / len(pairs) if pairs else None

    brier = expected_brier(results["planner"].readiness_pairs)
    pooled = expected_brier([p for r in results.values() for p in r.readiness_pairs])
    return {
        "learners": learners,
        "days": days,
        "minutes_per_day": minutes,
        "seed": seed,
        "policies": {name: r.to_json() for name, r in results.items()},
        "readiness_brier": round(brier, 4) if brier is not None else None,
        "readiness_brier_all_policies": round(pooled, 4) if pooled is not None else None,
        "readiness_points": len(results["planner"].readiness_pairs),
        "settings": {
            "due_first_new_per_day": tuned if tuned is not None else "unlimited",
            "desired_retention": 0.9,
            "assumed_raw_cut": fw.exam.assumed_raw_cut,
            "exam_overlap": EXAM_OVERLAP,
        },
    }


def _tune_due_first(
    questions: Sequence[SimQuestion], fw: Framework, days: int, minutes: float, seed: int
) -> int | None:
    """The due-first daily new limit that scores best on a separate calibration seed."""
    best: tuple[float, int | None] = (-1.0, None)
    for limit in (10, 20, 40, None):
        result = PolicyResult()
        for i in range(4):
            s = (seed + 99_991) * 1_000_003 + i
            rng = random.Random(s)
            learner = _make_learner(questions, fw, rng)
            _simulate_learner(
                questions,
                fw,
                learner,
                _due_first(limit),
                days,
                minutes,
                random.Random(s + 7),
                result,
                False,
            )
        score = sum(result.expected_scores) / len(result.expected_scores)
        if score > best[0]:
            best = (score, limit)
    return best[1]


def shipped_questions() -> tuple[list[SimQuestion], Framework]:
    """The shipped CETL pack's questions, as the simulation sees them."""
    from studyapp.config import shipped_banks_dir
    from studyapp.domain.errors import StudyAppError
    from studyapp.packs.studypack import load_pack
    from studyapp.services.packs import shipped_frameworks

    known = shipped_frameworks()
    result = load_pack(shipped_banks_dir() / "cetl-core", known.get)
    if result.pack is None:
        raise StudyAppError("The shipped CETL pack is missing or invalid; reinstall StudyApp.")
    questions = [
        SimQuestion(
            i,
            q.skill or "",
            q.difficulty,
            len(" ".join([q.stem, *(o.text for o in q.options)]).split()),
        )
        for i, q in enumerate(result.pack.questions)
    ]
    return questions, known["cetl"]
