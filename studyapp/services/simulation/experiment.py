"""``studyapp simulate``: does the planner beat what learners do without it?

Simulated learners study the shipped CETL pack for ``days`` days, ``minutes`` a day, and
then sit an exam of questions that are **not** in the bank (``exam_overlap`` of them are,
default 0), so the exam-day score depends on what studying transferred to each skill
area, not on memorised bank items. Four policies get the same time and the same learners:

- ``planner``: this app's planner (:func:`studyapp.domain.planner.plan_session`) with the
  exam date set, its input built by :func:`studyapp.domain.planner.build_plan_input` from
  the learner's record exactly as the app builds it (:meth:`.learner.Run.plan_input`, tested equal
  to :meth:`studyapp.services.study.service.StudyService.plan_input` on the same answers);
- ``uniform``: a question drawn uniformly at random each time (no repeat within a day);
- ``due_first``: a flashcard app (FSRS): due reviews first, then new questions in pack
  order up to a daily limit, then "review ahead"; its limit is tuned for its best result;
- ``shuffled``: every question once, in random order, before any repeat.

Every learner also sits a short mock exam of new questions once a week (as the app is
meant to be used: a mock exam every week or so); it takes time from that day's budget for
every policy and feeds the readiness estimate. The learner model, each parameter and its
source: ``docs/learning-model.md``. The truth is never shown to the policies or to the
readiness estimate; they see only answers, as the app does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from studyapp.domain.framework import Framework
from studyapp.domain.planner import (
    exam_schedule,
)
from studyapp.domain.settings import Settings
from studyapp.services.simulation.learner import (
    START,
    Learner,
    Model,
    Outcome,
    Run,
    SimQuestion,
    make_learner,
)
from studyapp.services.simulation.policies import (
    Policy,
    due_first,
    planner_policy,
    shuffled_policy,
    uniform_policy,
)

BOOTSTRAP = 1000


def _simulate_learner(
    questions: Sequence[SimQuestion],
    fw: Framework,
    learner: Learner,
    model: Model,
    policy: Policy,
    days: int,
    minutes: float,
    rng: random.Random,
    planner_aware: bool,
) -> Outcome:
    run = Run(questions, fw, learner, model, days, rng)
    run.goal_minutes = max(1, round(minutes))
    used = 0.0
    reached: int | None = None
    reached_minutes: float | None = None
    pairs: list[tuple[float, float]] = []
    cut = run.cut_fraction * fw.exam.length
    prev_score, used_before = run.true_exam(0.0)[0], 0.0
    for day in range(days):
        now = START + timedelta(days=day)
        retention, max_days = (
            exam_schedule(now.date(), run.exam_day, 0.9) if planner_aware else (0.9, 36_500)
        )
        budget = minutes * 60.0
        if model.mock_every_days and day % model.mock_every_days == model.mock_every_days - 1:
            spent = run.sit_mock(now)
            budget -= spent
            used += spent / 60
            now += timedelta(seconds=spent)
        done_today: set[int] = set()
        while budget > 0:
            batch = policy(run, now, done_today)
            if not batch:
                break
            for q, reschedule in batch:
                if budget <= 0:
                    break
                spent = run.study(
                    q, now, reschedule=reschedule, retention=retention, max_days=max_days
                )
                budget -= spent
                used += spent / 60
                now += timedelta(seconds=spent)
                done_today.add(q.index)
        end = START + timedelta(days=day + 1) - timedelta(hours=1)
        at = (end - START).total_seconds()
        if reached is None:
            score, _p = run.true_exam(at)
            if score >= cut:
                # The line was crossed during this day's study: the minutes by then, with
                # the score taken to rise evenly over the day's minutes.
                share = (cut - prev_score) / (score - prev_score) if score > prev_score else 1.0
                reached = day + 1
                reached_minutes = used_before + min(max(share, 0.0), 1.0) * (used - used_before)
            prev_score, used_before = score, used
        if day % 10 == 9 or day == days - 1:
            _score, truth = run.true_exam(at)
            pairs.append((run.estimated_readiness(end), truth))
    exam_at = (START + timedelta(days=days, hours=-9) - START).total_seconds()
    score, prob = run.true_exam(exam_at)
    unseen = sum(1 for it in run.items if it.mem is None)
    return Outcome(prob, score, reached, reached_minutes, pairs, unseen)


def _median(values: Sequence[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _finite(x: float, digits: int) -> float | None:
    return round(x, digits) if math.isfinite(x) else None


def _interval(samples: list[float]) -> tuple[float, float]:
    """The 95% percentile interval of ``BOOTSTRAP`` resampled statistics."""
    ordered = sorted(samples)
    return ordered[int(0.025 * BOOTSTRAP)], ordered[int(0.975 * BOOTSTRAP) - 1]


def _summary(outcomes: Sequence[Outcome], rng: random.Random) -> dict[str, Any]:
    """The policy's figures; 95% intervals by a bootstrap over learners (never reached
    the pass line: infinite minutes, so the median is honest about them)."""
    n = len(outcomes)
    passes = [o.pass_probability for o in outcomes]
    minutes = [math.inf if o.minutes_to_pass is None else o.minutes_to_pass for o in outcomes]
    days = [math.inf if o.days_to_pass is None else float(o.days_to_pass) for o in outcomes]
    rates, medians = [], []
    for _ in range(BOOTSTRAP):
        pick = [rng.randrange(n) for _ in range(n)]
        rates.append(sum(passes[i] for i in pick) / n)
        medians.append(_median([minutes[i] for i in pick]))
    rate_lo, rate_hi = _interval(rates)
    min_lo, min_hi = _interval(medians)
    return {
        "pass_rate": round(sum(passes) / n, 4),
        "pass_rate_ci": [round(rate_lo, 4), round(rate_hi, 4)],
        "expected_score": round(sum(o.expected_score for o in outcomes) / n, 2),
        "days_to_pass": _finite(_median(days), 1),
        "minutes_to_pass": _finite(_median(minutes), 1),
        "minutes_to_pass_ci": [_finite(min_lo, 1), _finite(min_hi, 1)],
        "reached_pass_line": round(sum(1 for m in minutes if math.isfinite(m)) / n, 4),
        "unseen_on_exam_day": _median([float(o.unseen_on_exam_day) for o in outcomes]),
    }


def expected_brier(pairs: Sequence[tuple[float, float]]) -> float | None:
    """``E[(estimate − pass)²]`` when a pass happens with the true probability ``p``."""
    return sum((e - p) ** 2 + p * (1 - p) for e, p in pairs) / len(pairs) if pairs else None


def reliability(pairs: Sequence[tuple[float, float]]) -> list[dict[str, Any]]:
    """By decile of the estimate: mean estimate, the true pass rate, how many points."""
    bins: list[list[tuple[float, float]]] = [[] for _ in range(10)]
    for e, p in pairs:
        bins[min(int(e * 10), 9)].append((e, p))
    return [
        {
            "predicted": round(sum(e for e, _p in b) / len(b), 4),
            "observed": round(sum(p for _e, p in b) / len(b), 4),
            "n": len(b),
        }
        for b in bins
        if b
    ]


def simulate(
    questions: Sequence[SimQuestion],
    fw: Framework,
    *,
    learners: int,
    days: int,
    minutes: float,
    seed: int,
    model: Model | None = None,
) -> dict[str, Any]:
    """Run every policy for the same learners; returns the ``simulate --json`` document."""
    model = model or Model()
    tuned = tune_due_first(questions, fw, model, days, minutes, seed)
    outcomes: dict[str, list[Outcome]] = {name: [] for name in POLICIES}
    for i in range(learners):
        for name, outcome in simulate_learner(
            questions, fw, model, i, days=days, minutes=minutes, seed=seed, tuned=tuned
        ).items():
            outcomes[name].append(outcome)
    return document(outcomes, fw, model, tuned, days=days, minutes=minutes, seed=seed)


POLICIES = ("planner", "uniform", "due_first", "shuffled")


def simulate_learner(
    questions: Sequence[SimQuestion],
    fw: Framework,
    model: Model,
    i: int,
    *,
    days: int,
    minutes: float,
    seed: int,
    tuned: int | None,
) -> dict[str, Outcome]:
    """Learner ``i`` of a run under every policy (the same learner, the same dice)."""
    policies: dict[str, tuple[Policy, bool]] = {
        "planner": (planner_policy, True),
        "uniform": (uniform_policy, False),
        "due_first": (due_first(tuned), False),
        "shuffled": (shuffled_policy, False),
    }
    learner_seed = seed * 1_000_003 + i
    out = {}
    for name, (policy, aware) in policies.items():
        learner = make_learner(questions, fw, model, random.Random(learner_seed))
        out[name] = _simulate_learner(
            questions,
            fw,
            learner,
            model,
            policy,
            days,
            minutes,
            random.Random(learner_seed + 7),
            aware,
        )
    return out


def document(
    outcomes: dict[str, list[Outcome]],
    fw: Framework,
    model: Model,
    tuned: int | None,
    *,
    days: int,
    minutes: float,
    seed: int,
) -> dict[str, Any]:
    """The ``simulate --json`` document of the learners' outcomes under every policy."""
    boot = random.Random(seed)
    planner_pairs = [p for o in outcomes["planner"] for p in o.readiness_pairs]
    all_pairs = [p for v in outcomes.values() for o in v for p in o.readiness_pairs]
    brier = expected_brier(planner_pairs)
    pooled = expected_brier(all_pairs)
    return {
        "learners": len(outcomes["planner"]),
        "days": days,
        "minutes_per_day": minutes,
        "seed": seed,
        "policies": {name: _summary(v, boot) for name, v in outcomes.items()},
        "readiness_brier": round(brier, 4) if brier is not None else None,
        "readiness_brier_all_policies": round(pooled, 4) if pooled is not None else None,
        "readiness_points": len(planner_pairs),
        # The part of the Brier score no estimate can remove: mean p(1 - p) of the truth.
        "readiness_brier_irreducible": round(
            sum(p * (1 - p) for _e, p in planner_pairs) / len(planner_pairs), 4
        )
        if planner_pairs
        else None,
        "reliability": reliability(planner_pairs),
        "planner_vs": {
            name: paired_difference(outcomes["planner"], v, random.Random(seed + 1))
            for name, v in outcomes.items()
            if name != "planner"
        },
        "model": {
            **asdict(model),
            "due_first_new_per_day": tuned if tuned is not None else "unlimited",
            "desired_retention": Settings().desired_retention,
            "planner_daily_new_limit": Settings().daily_new_limit,
            "assumed_raw_cut": fw.exam.assumed_raw_cut,
        },
        # Kept from earlier versions (keys only grow): the same values as in ``model``.
        "settings": {
            "due_first_new_per_day": tuned if tuned is not None else "unlimited",
            "desired_retention": Settings().desired_retention,
            "assumed_raw_cut": fw.exam.assumed_raw_cut,
            "exam_overlap": model.exam_overlap,
        },
    }


def paired_difference(
    planner: Sequence[Outcome], other: Sequence[Outcome], rng: random.Random
) -> dict[str, Any]:
    """The planner minus a baseline over the same learners, with paired 95% intervals.

    Each learner sits under every policy with the same dice, so the difference is measured
    learner by learner: the bootstrap resamples learners once for both policies, which is
    far tighter (and the right question) than comparing two separately bootstrapped
    intervals. Minutes: the difference of the medians (a learner who never reaches the pass
    line counts as never: an infinite difference is reported as ``None``). ``learners_ahead``
    counts learners whose exam-day pass probability is higher under the planner,
    ``learners_sooner`` those who reach the pass line in fewer minutes (or at all).
    """
    n = len(planner)
    passes = [a.pass_probability - b.pass_probability for a, b in zip(planner, other, strict=True)]
    mins_a = [math.inf if o.minutes_to_pass is None else o.minutes_to_pass for o in planner]
    mins_b = [math.inf if o.minutes_to_pass is None else o.minutes_to_pass for o in other]
    rates, medians = [], []
    for _ in range(BOOTSTRAP):
        pick = [rng.randrange(n) for _ in range(n)]
        rates.append(sum(passes[i] for i in pick) / n)
        medians.append(_gap(_median([mins_a[i] for i in pick]), _median([mins_b[i] for i in pick])))
    rate_lo, rate_hi = _interval(rates)
    min_lo, min_hi = _interval(medians)
    minutes = _gap(_median(mins_a), _median(mins_b))
    return {
        "pass_rate_difference": round(sum(passes) / n, 4),
        "pass_rate_difference_ci": [round(rate_lo, 4), round(rate_hi, 4)],
        "minutes_to_pass_difference": _finite(minutes, 1),
        "minutes_to_pass_difference_ci": [_finite(min_lo, 1), _finite(min_hi, 1)],
        "learners_ahead": sum(1 for d in passes if d > 0),
        "learners_sooner": sum(1 for a, b in zip(mins_a, mins_b, strict=True) if a < b),
        "learners": n,
    }


def _gap(a: float, b: float) -> float:
    """``a − b`` of two medians that may be infinite (never reached); two infinities
    compare as ``+inf`` (unknown, reported as ``None``) so the bootstrap list still sorts."""
    d = a - b
    return math.inf if math.isnan(d) else d


def tune_due_first(
    questions: Sequence[SimQuestion],
    fw: Framework,
    model: Model,
    days: int,
    minutes: float,
    seed: int,
) -> int | None:
    """The due-first daily new limit that scores best on a separate calibration seed."""
    best: tuple[float, int | None] = (-1.0, None)
    for limit in (10, 20, 40, None):
        total = 0.0
        for i in range(6):
            s = (seed + 99_991) * 1_000_003 + i
            learner = make_learner(questions, fw, model, random.Random(s))
            o = _simulate_learner(
                questions,
                fw,
                learner,
                model,
                due_first(limit),
                days,
                minutes,
                random.Random(s + 7),
                False,
            )
            total += o.expected_score
        if total > best[0]:
            best = (total, limit)
    return best[1]


def shipped_questions() -> tuple[list[SimQuestion], Framework]:
    """The shipped CETL pack's questions, as the simulation sees them."""
    from studyapp.config import shipped_banks_dir
    from studyapp.domain.errors import StudyAppError
    from studyapp.packs.studypack import load_pack
    from studyapp.services.packs.files import shipped_frameworks

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


# The sensitivity table of docs/learning-model.md: (label, model changes, minutes per day).
SENSITIVITY: tuple[tuple[str, dict[str, float], float], ...] = (
    ("the default model", {}, 30.0),
    ("weaker transfer (0.015 per first study)", {"transfer_new": 0.015}, 30.0),
    ("stronger transfer (0.04 per first study)", {"transfer_new": 0.04}, 30.0),
    (
        "faster forgetting (memories x0.5, skill half-life 60 days)",
        {"memory_factor_mean": 0.5, "skill_half_life_days": 60.0},
        30.0,
    ),
    (
        "slower forgetting (memories x2, skill half-life 365 days)",
        {"memory_factor_mean": 2.0, "skill_half_life_days": 365.0},
        30.0,
    ),
    ("weaker start (ability mean -0.6: about 51% unprepared)", {"ability_mean": -0.6}, 30.0),
    ("stronger start (ability mean +0.4: about 67% unprepared)", {"ability_mean": 0.4}, 30.0),
    ("15 minutes a day", {}, 15.0),
    ("60 minutes a day", {}, 60.0),
    ("half the exam from the bank (exam_overlap 0.5)", {"exam_overlap": 0.5}, 30.0),
)


def sensitivity(
    questions: Sequence[SimQuestion], fw: Framework, *, learners: int, days: int, seed: int
) -> list[dict[str, Any]]:
    """One :func:`simulate` per row of :data:`SENSITIVITY`: how the comparison and the
    calibration move when the model's judgement calls move."""
    rows = []
    for label, changes, minutes in SENSITIVITY:
        model = Model(**changes)  # type: ignore[arg-type]
        doc = simulate(
            questions, fw, learners=learners, days=days, minutes=minutes, seed=seed, model=model
        )
        rows.append({"label": label, "minutes_per_day": minutes, **doc})
    return rows
