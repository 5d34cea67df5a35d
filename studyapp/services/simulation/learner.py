"""The simulated learner of ``studyapp simulate``: the truth, and the record the app holds.

A :class:`Learner` has a true ability per skill area, a shift per question and a memory
of its own; a :class:`Run` is one learner under one policy, answering as the truth says
and keeping what the app would keep (answers, memory states, mock exam results), from
which it builds the planner's input and the readiness estimate exactly as the app does.
The model, each parameter and its source: ``docs/learning-model.md``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import NormalDist

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
)
from studyapp.domain.settings import Settings
from studyapp.services.study.session_size import PACE_WINDOW, pace_of, session_size

START = datetime(2027, 1, 4, 18, 0, tzinfo=UTC)
DAY_SECONDS = 86_400.0
DIFFICULTY_SHIFT = {1: 0.6, 2: 0.0, 3: -0.6}
FEEDBACK_SECONDS = 12.0


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
class Learner:
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


class Run:
    """One learner under one policy: the truth, and the record the app would hold."""

    def __init__(
        self,
        questions: Sequence[SimQuestion],
        fw: Framework,
        learner: Learner,
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


def make_learner(
    questions: Sequence[SimQuestion], fw: Framework, model: Model, rng: random.Random
) -> Learner:
    base = rng.gauss(model.ability_mean, model.ability_spread_learner)
    skills = {s.id: base + rng.gauss(0.0, model.ability_spread_skill) for s in fw.skill_areas}
    shifts = [
        DIFFICULTY_SHIFT.get(q.difficulty, 0.0) + rng.gauss(0.0, model.item_sd) for q in questions
    ]
    factor = model.memory_factor_mean * math.exp(rng.gauss(0.0, model.memory_factor_sd))
    return Learner(skills, shifts, memory_factor=factor)
