"""``studyapp simulate``: does the planner beat what learners do without it?

Simulated learners study the shipped CETL pack for ``days`` days, ``minutes`` a day, and
then sit an exam of questions that are **not** in the bank (``exam_overlap`` of them are,
default 0), so the exam-day score depends on what studying transferred to each skill
area, not on memorised bank items. Four policies get the same time and the same learners:

- ``planner``: this app's planner (:func:`studyapp.domain.planner.plan_session`) with the
  exam date set, its input built by :func:`studyapp.domain.planner.build_plan_input` from
  the learner's record exactly as the app builds it (:meth:`_Run.plan_input`, tested equal
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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import NormalDist
from typing import Any

from fsrs import Rating

from studyapp.domain.blueprint import allocate
from studyapp.domain.framework import Framework
from studyapp.domain.grading import PriorState, update_after_answer
from studyapp.domain.mastery import Mastery, estimate_masteries, readiness
from studyapp.domain.memory import (
    DEFAULT_PARAMETERS,
    MemoryState,
    forgetting_curve,
    retrievability_after,
    review,
)
from studyapp.domain.planner import (
    PlanInput,
    QuestionState,
    build_plan_input,
    exam_schedule,
    plan_session,
)
from studyapp.domain.settings import Settings
from studyapp.services.study.session_size import PACE_WINDOW, pace_of, session_size

START = datetime(2027, 1, 4, 18, 0, tzinfo=UTC)
DAY_SECONDS = 86_400.0
DIFFICULTY_SHIFT = {1: 0.6, 2: 0.0, 3: -0.6}
FEEDBACK_SECONDS = 12.0
BOOTSTRAP = 1000


@dataclass(frozen=True, slots=True)
class Model:
    """The simulated learner and exam; every field is documented with its source in
    ``docs/learning-model.md`` (section 5)."""

    guess: float = 0.25
    ability_mean: float = -0.1
    ability_spread_learner: float = 0.6
    ability_spread_skill: float = 0.7
    item_sd: float = 0.3
    transfer_new: float = 0.025
    repeat_ratio: float = 1.0
    skill_half_life_days: float = 180.0
    memory_factor_mean: float = 1.0
    memory_factor_sd: float = 0.4
    exam_overlap: float = 0.0
    mock_every_days: int = 7
    mock_length: int = 40


@dataclass(frozen=True, slots=True)
class SimQuestion:
    """What the simulation needs of a question (``qid``: the id the planner sees)."""

    index: int
    skill: str
    difficulty: int
    words: int
    qid: int = -1

    @property
    def id(self) -> int:
        return self.qid if self.qid >= 0 else self.index


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@dataclass
class _Learner:
    skill_logit: dict[str, float]
    item_shift: list[float]
    memory_factor: float
    transfer: dict[str, float] = field(default_factory=dict)
    transfer_at: dict[str, float] = field(default_factory=dict)  # seconds since START

    def gained(self, skill: str, at: float, half_life_days: float) -> float:
        """The skill's transfer stock at ``at``, decayed since its last update."""
        stock = self.transfer.get(skill, 0.0)
        if not stock:
            return 0.0
        days = max(at - self.transfer_at.get(skill, at), 0.0) / DAY_SECONDS
        return float(stock * 0.5 ** (days / half_life_days))

    def add_transfer(self, skill: str, amount: float, at: float, half_life_days: float) -> None:
        self.transfer[skill] = self.gained(skill, at, half_life_days) + amount
        self.transfer_at[skill] = at


@dataclass
class _Item:
    mem: MemoryState | None = None  # what the scheduler believes
    truth: MemoryState | None = None  # the learner's real memory (FSRS dynamics, own factor)
    last_correct: bool | None = None
    wrong: int = 0
    leech: bool = False


_CURVE = forgetting_curve()


def _recall(mem: MemoryState | None, at: float, factor: float = 1.0) -> float:
    """The learner's true recall of ``mem`` at ``at`` (seconds since START): FSRS's curve
    (its constants from :func:`forgetting_curve`) in continuous time, stabilities scaled by
    the learner's own ``factor``; the truth, not the app's estimate
    (:func:`retrievability_after`, whole days, is what the app sees)."""
    if mem is None or not mem.stability or mem.last_review is None:
        return 0.0
    days = max(at - (mem.last_review - START).total_seconds(), 0.0) / DAY_SECONDS
    decay, curve_factor = _CURVE
    return float((1 + curve_factor * days / (mem.stability * factor)) ** decay)


@dataclass
class Outcome:
    """One learner under one policy."""

    pass_probability: float
    expected_score: float
    days_to_pass: int | None
    minutes_to_pass: float | None
    readiness_pairs: list[tuple[float, float]]
    unseen_on_exam_day: int = 0


class _Run:
    """One learner under one policy: the truth, and the record the app would hold."""

    def __init__(
        self,
        questions: Sequence[SimQuestion],
        fw: Framework,
        learner: _Learner,
        model: Model,
        days: int,
        rng: random.Random,
    ) -> None:
        self.qs = questions
        self.fw = fw
        self.learner = learner
        self.model = model
        self.rng = rng
        self.items = [_Item() for _ in questions]
        self.exam_day = (START + timedelta(days=days)).date()
        self.weights = {s.id: s.weight for s in fw.skill_areas}
        self.skills = [(s.id, s.weight) for s in fw.skill_areas]
        self.cut_fraction = fw.exam.assumed_raw_cut
        self.settings = Settings()
        self.by_skill: dict[str, list[SimQuestion]] = {}
        for q in questions:
            self.by_skill.setdefault(q.skill, []).append(q)
        self.totals: dict[str | None, int] = {s: len(v) for s, v in self.by_skill.items()}
        # (skill, first attempt?, correct) -> answer moments (seconds since START)
        self.answers: dict[tuple[str, bool, bool], list[float]] = {}
        self.mock_answers: dict[tuple[str, bool], list[float]] = {}
        self.new_on: dict[date, int] = {}
        # The learner's daily goal (the minutes they study) and answer times, from which
        # the app sizes sessions (:func:`studyapp.services.study.session_size.session_size`).
        self.goal_minutes = 30
        self.response_ms: list[int] = []

    # ---------------------------------------------------------------- truth
    def _ability(self, skill: str, shift: float, at: float) -> float:
        m = self.model
        z = (
            self.learner.skill_logit[skill]
            + self.learner.gained(skill, at, m.skill_half_life_days)
            + shift
        )
        return m.guess + (1 - m.guess) * _sigmoid(z)

    def answer_probability(self, q: SimQuestion, at: float) -> float:
        r = _recall(self.items[q.index].truth, at, self.learner.memory_factor)
        return r + (1 - r) * self._ability(q.skill, self.learner.item_shift[q.index], at)

    def new_item_probability(self, skill: str, at: float) -> float:
        """Chance of answering a question of ``skill`` never seen: the mean over items
        like the bank's (their difficulty mix and spread) of the learner's ability."""
        bank = self.by_skill.get(skill, [])
        if not bank:
            return self.model.guess
        shifts = self.learner.item_shift
        return sum(self._ability(skill, shifts[q.index], at) for q in bank) / len(bank)

    def true_exam(self, at: float) -> tuple[float, float]:
        """(expected raw score, probability of passing) on the real exam at ``at``."""
        counts = allocate(self.weights, self.fw.exam.length)
        overlap = self.model.exam_overlap
        mean = var = 0.0
        for skill, n in counts.items():
            p = self.new_item_probability(skill, at)
            bank = self.by_skill.get(skill, [])
            if overlap and bank:
                known = sum(self.answer_probability(q, at) for q in bank) / len(bank)
                p = overlap * known + (1 - overlap) * p
            mean += n * p
            var += n * p * (1 - p)
        cut = math.ceil(self.cut_fraction * self.fw.exam.length - 1e-9)
        prob = 1 - NormalDist(mean, math.sqrt(max(var, 1e-9))).cdf(cut - 0.5)
        return mean, prob

    # ---------------------------------------------------------------- the app's view
    def question_states(self, now: datetime) -> list[QuestionState]:
        """Every question as the app's study cache holds it (R over whole elapsed days)."""
        curve = forgetting_curve(DEFAULT_PARAMETERS)
        out = []
        for q, it in zip(self.qs, self.items, strict=True):
            mem = it.mem
            r = 0.0
            if mem is not None and mem.reps > 0 and mem.stability and mem.last_review:
                days = max(0, (now - mem.last_review) // timedelta(days=1))
                r = retrievability_after(mem.stability, days, curve)
            out.append(
                QuestionState(q.id, q.skill, q.difficulty, mem, r, it.leech, False, it.last_correct)
            )
        return out

    def _ages(self, moments: list[float], at: float) -> list[tuple[float, int]]:
        groups: dict[int, int] = {}
        for t in moments:
            age = int((at - t) // DAY_SECONDS) if at >= t else -int((t - at) // DAY_SECONDS)
            groups[age] = groups.get(age, 0) + 1
        return [(float(a), n) for a, n in sorted(groups.items())]

    def masteries(
        self, now: datetime, states: Sequence[QuestionState], *, mocks: bool = True
    ) -> dict[str, Mastery]:
        """Mastery per skill through the app's own roll-up (:func:`estimate_masteries`)."""
        at = (now - START).total_seconds()
        evidence: dict[str, dict[bool, list[tuple[bool, float, int]]]] = {}
        for (skill, first, correct), moments in sorted(self.answers.items()):
            bucket = evidence.setdefault(skill, {True: [], False: []})
            bucket[first].extend((correct, age, n) for age, n in self._ages(moments, at))
        mock_evidence: dict[str, list[tuple[bool, float, int]]] = {}
        if mocks:
            for (skill, correct), moments in sorted(self.mock_answers.items()):
                mock_evidence.setdefault(skill, []).extend(
                    (correct, age, n) for age, n in self._ages(moments, at)
                )
        seen: dict[str, int] = {}
        r_sum: dict[str, float] = {}
        for s in states:
            if s.memory is not None and s.memory.reps > 0 and s.skill is not None:
                seen[s.skill] = seen.get(s.skill, 0) + 1
                r_sum[s.skill] = r_sum.get(s.skill, 0.0) + s.retrievability
        retention = {k: r_sum[k] / n for k, n in seen.items()}
        return estimate_masteries(
            self.skills, self.totals, seen, retention, evidence, mock_evidence
        )

    def plan_input(self, now: datetime, *, mocks: bool = True) -> PlanInput:
        """The planner's input, built as :meth:`StudyService.plan_input` builds it."""
        states = self.question_states(now)
        return build_plan_input(
            states,
            self.masteries(now, states, mocks=mocks),
            self.weights,
            new_today=self.new_on.get(now.date(), 0),
            daily_new_limit=self.settings.daily_new_limit,
            desired_retention=self.settings.desired_retention,
            exam_date=self.exam_day,
            parameters=DEFAULT_PARAMETERS,
            today=now.date(),  # simulated learners live in UTC
            daily_questions=session_size(
                self.goal_minutes, pace_of(self.response_ms[-PACE_WINDOW:])
            ).questions,
        )

    def estimated_readiness(self, now: datetime) -> float:
        """The app's readiness from the learner's answers and mock exams."""
        masteries = self.masteries(now, self.question_states(now))
        return readiness(
            masteries,
            self.weights,
            length=self.fw.exam.length,
            cut_fraction=self.cut_fraction,
            scale_max=self.fw.exam.scale_max,
            pass_scaled=self.fw.exam.pass_scaled,
        ).probability

    # ---------------------------------------------------------------- doing
    def record(
        self,
        q: SimQuestion,
        now: datetime,
        correct: bool,
        seconds: float,
        *,
        reschedule: bool = True,
        retention: float = 0.9,
        max_days: int = 36_500,
    ) -> None:
        """What the app records of one answer (the scheduler's memory, leech, evidence)."""
        item = self.items[q.index]
        first = item.mem is None or item.mem.reps == 0
        at = (now - START).total_seconds()
        self.response_ms.append(round(seconds * 1000))
        self.answers.setdefault((q.skill, first, correct), []).append(at)
        if first:
            self.new_on[now.date()] = self.new_on.get(now.date(), 0) + 1
        if reschedule:
            update = update_after_answer(
                correct,
                guessed=False,
                seconds=seconds,
                words=q.words,
                reschedule=True,
                prior=PriorState(item.mem, item.wrong, item.leech),
                now=now,
                retention=retention,
                max_interval_days=max_days,
            )
            item.mem, item.wrong, item.leech = update.after, update.wrong_count, update.leech
        item.last_correct = correct

    def study(
        self, q: SimQuestion, now: datetime, *, reschedule: bool, retention: float, max_days: int
    ) -> float:
        """Answer and study one question; returns the seconds it took."""
        item = self.items[q.index]
        at = (now - START).total_seconds()
        correct = self.rng.random() < self.answer_probability(q, at)
        seconds = max(6.0, self.rng.gauss(10 + q.words / 3.0, 6.0))
        first_sight = item.truth is None
        recall = _recall(item.truth, at, self.learner.memory_factor)
        m = self.model
        # Transfer: a first study teaches the skill most; a repeat less, and the less the
        # better the question is still remembered.
        gain = m.transfer_new if first_sight else m.transfer_new * m.repeat_ratio * (1 - recall)
        self.learner.add_transfer(q.skill, gain, at, m.skill_half_life_days)
        self.record(
            q, now, correct, seconds, reschedule=reschedule, retention=retention, max_days=max_days
        )
        # Truth: studying the rationale builds the memory the way FSRS's default model says
        # memories grow (recalled: Good, not recalled: Again).
        recalled = self.rng.random() < recall
        good = recalled or (first_sight and correct)
        item.truth = review(item.truth, Rating.Good if good else Rating.Again, now)
        return seconds + FEEDBACK_SECONDS

    def sit_mock(self, now: datetime) -> float:
        """A short mock exam of new questions (by the blueprint); returns its seconds."""
        at = (now - START).total_seconds()
        seconds = 0.0
        for skill, n in allocate(self.weights, self.model.mock_length).items():
            bank = self.by_skill.get(skill, [])
            for _ in range(n):
                shift = self.learner.item_shift[self.rng.choice(bank).index] if bank else 0.0
                correct = self.rng.random() < self._ability(skill, shift, at)
                self.mock_answers.setdefault((skill, correct), []).append(at)
                seconds += max(6.0, self.rng.gauss(30.0, 6.0))
        return seconds


Policy = Callable[[_Run, datetime, set[int]], list[tuple[SimQuestion, bool]]]


def _planner_policy(
    run: _Run, now: datetime, done_today: set[int]
) -> list[tuple[SimQuestion, bool]]:
    inp = run.plan_input(now)
    by_id = {q.id: q for q in run.qs}
    exclude = frozenset(run.qs[i].id for i in done_today)
    plan = plan_session(inp, now, 10, run.rng, exclude=exclude)
    if plan.items:
        return [(by_id[i.qid], True) for i in plan.items]
    cram = plan_session(inp, now, 10, run.rng, mode="cram", exclude=exclude)
    return [(by_id[i.qid], False) for i in cram.items]


def _uniform_policy(
    run: _Run, now: datetime, done_today: set[int]
) -> list[tuple[SimQuestion, bool]]:
    pool = [q for q in run.qs if q.index not in done_today] or list(run.qs)
    return [(run.rng.choice(pool), True)]


def _shuffled_policy(
    run: _Run, now: datetime, done_today: set[int]
) -> list[tuple[SimQuestion, bool]]:
    """Every question once in random order, then again in a new random order, and so on."""
    order: list[int] = getattr(run, "order", [])
    if not order:
        order = list(range(len(run.qs)))
        run.rng.shuffle(order)
        run.order = order  # type: ignore[attr-defined]
    for at, index in enumerate(order):
        if index not in done_today:
            order.pop(at)
            return [(run.qs[index], True)]
    return []


def _due_first(limit: int | None) -> Policy:
    def policy(run: _Run, now: datetime, done_today: set[int]) -> list[tuple[SimQuestion, bool]]:
        due = sorted(
            (it.mem.due, q.index)
            for q, it in zip(run.qs, run.items, strict=True)
            if it.mem is not None and it.mem.due <= now and q.index not in done_today
        )
        if due:
            return [(run.qs[i], True) for _d, i in due[:10]]
        introduced = run.new_on.get(now.date(), 0)
        if limit is None or introduced < limit:
            new = next((q for q, it in zip(run.qs, run.items, strict=True) if it.mem is None), None)
            if new is not None:
                return [(new, True)]
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
    model: Model,
    policy: Policy,
    days: int,
    minutes: float,
    rng: random.Random,
    planner_aware: bool,
) -> Outcome:
    run = _Run(questions, fw, learner, model, days, rng)
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


def _make_learner(
    questions: Sequence[SimQuestion], fw: Framework, model: Model, rng: random.Random
) -> _Learner:
    base = rng.gauss(model.ability_mean, model.ability_spread_learner)
    skills = {s.id: base + rng.gauss(0.0, model.ability_spread_skill) for s in fw.skill_areas}
    shifts = [
        DIFFICULTY_SHIFT.get(q.difficulty, 0.0) + rng.gauss(0.0, model.item_sd) for q in questions
    ]
    factor = model.memory_factor_mean * math.exp(rng.gauss(0.0, model.memory_factor_sd))
    return _Learner(skills, shifts, memory_factor=factor)


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
        "planner": (_planner_policy, True),
        "uniform": (_uniform_policy, False),
        "due_first": (_due_first(tuned), False),
        "shuffled": (_shuffled_policy, False),
    }
    learner_seed = seed * 1_000_003 + i
    out = {}
    for name, (policy, aware) in policies.items():
        learner = _make_learner(questions, fw, model, random.Random(learner_seed))
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
            learner = _make_learner(questions, fw, model, random.Random(s))
            o = _simulate_learner(
                questions,
                fw,
                learner,
                model,
                _due_first(limit),
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
    from studyapp.services.packs.service import shipped_frameworks

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
