"""The practice planner: which questions to ask next, and why.

:func:`plan_session` is pure: a snapshot of the learner (:class:`PlanInput`), the moment,
a size and a ``random.Random`` go in; a :class:`Plan` comes out. The same function drives
the app, ``studyapp drill`` and the simulation that compares it with baselines.

Default mode, in order:
1. due reviews (not leeches, not suspended), lowest retrievability first, at most
   ``REVIEW_SHARE`` of the session while new questions may still be introduced, so a
   backlog cannot crowd out new material;
2. new questions, allocated across skill areas by expected gain on the exam:
   ``weight × (1 − mastery) × unseen share``, with diminishing returns as a skill's unseen
   pool is used; easier questions of a skill first;
3. at most one leech, shown with its explanation first;
4. the session is interleaved so that consecutive questions come from different skill
   areas where possible, and no question appears twice.

With an exam date ahead (the exam asks questions that are in no bank, so what counts is
what studying transfers to each skill area): unseen questions first. The questions there
is time for before the exam (the daily goal's session size × days left × ``NEW_SHARE``)
are shared out among the skill areas for the most exam points on each area's learning
curve (:func:`horizon_targets`: a weak area's gains come late, so a greedy choice would
starve it); each session then gives its slots to the areas still short of their share
where one more question gains most (exam weight × the curve's slope at the learner's
ability), the areas with fewer than ``ENOUGH_ANSWERS`` answers first, and no area more than
``SESSION_SKILL_SHARE`` of a session. A review only for a question missed or probably
forgotten, and while unseen questions remain only when it is worth more than the most
valuable new question (``REPEAT_VALUE``); the daily new limit binds only while such
reviews wait; once everything is seen, the reviews that teach most
(``skill value × (1 − R)``). New questions are paced to be all introduced ``BUFFER_DAYS``
before the exam at the latest, and the target retention rises over the last ``RAMP_DAYS``
days while intervals are capped to end before exam day.

The planner's input comes from :func:`build_plan_input`, the one builder the app
(``StudyService.plan_input``) and ``studyapp simulate`` share.

Big banks: the default mode needs, of the never-answered questions, only a few per skill
area. :class:`UnseenIndex` holds them grouped by skill and difficulty (the study service
keeps one per profile and updates it as questions get answered), and new questions are
drawn lazily (:class:`_Drawer`), so planning costs what it takes, not the bank's size. The
plain path builds the same groups from the candidates and draws the same way: with the
same random generator both give the same plan (tested).

Why this module is longer than 500 lines: it is one algorithm. The steps above are private
functions that only :func:`plan_session` calls, sharing the candidate types, the lazy
drawer and the thresholds at the top; split across modules they would be read out of the
order this docstring gives, and the plain and indexed paths, which must draw identically,
would no longer sit side by side.
"""

from __future__ import annotations

import math
import random
from bisect import insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, NamedTuple

from studyapp.domain.blueprint import allocate
from studyapp.domain.evidence import ENOUGH_ANSWERS
from studyapp.domain.mastery import GROWTH_PER_QUESTION, GUESS, REPEAT_VALUE, Mastery
from studyapp.domain.memory import DEFAULT_PARAMETERS, MemoryState

Mode = Literal["default", "skill", "missed", "unseen", "cram"]
MODES: tuple[Mode, ...] = ("default", "skill", "missed", "unseen", "cram")
REVIEW_SHARE = 0.7
BUFFER_DAYS = 7
RAMP_DAYS = 30
PEAK_RETENTION = 0.95
FRONT_LOAD = 0.5
# With an exam date: the share of a session reviews may take while unseen questions remain,
# and the retrievability under which a seen question counts as forgotten.
EXAM_REVIEW_SHARE = 0.3
REVIEW_BELOW = 0.8
# With an exam date: at most this share of a session's new questions from one skill area, so
# sessions interleave even while one area is worth most (measured: it costs no exam score).
SESSION_SKILL_SHARE = 0.4
# With an exam date: the share of the daily goal's questions that can go to questions new
# to the learner, for the plan up to the exam (the pace counts answering time only; reading
# the feedback, reviews and mock exams take the rest).
NEW_SHARE = 0.75


class Candidate(NamedTuple):
    """One active question as the planner sees it (immutable; a named tuple because big
    banks build tens of thousands per plan, and a frozen dataclass is slow to build)."""

    qid: int
    skill: str | None
    seen: bool
    due: datetime | None
    retrievability: float
    difficulty: int = 2
    leech: bool = False
    suspended: bool = False
    last_correct: bool | None = None
    memory: MemoryState | None = None


# (difficulty, question ids ascending), easiest first. A never-answered question is known
# by its id, skill and difficulty alone, so a big bank's unseen pool is a few int arrays.
Levels = tuple[tuple[int, Sequence[int]], ...]


@dataclass(frozen=True, slots=True)
class UnseenIndex:
    """Never-answered questions ready to introduce, kept apart from the candidates.

    ``groups``: skill -> levels: (difficulty, question ids ascending), easiest first; only
    questions with no memory at all, not suspended and not buried. ``totals``: active
    questions per skill among *all* candidates (indexed or not); ``unseen``: how many of
    all candidates have never been answered (suspended ones included, as the pace counts).
    With an index, :attr:`PlanInput.candidates` needs to hold only the other questions the
    default mode can choose: unseen ones outside the index, and the seen ones due now (all
    seen ones with an exam date ahead, where any memory may be worth a review). ``members``:
    qid -> skill of every indexed question.
    """

    groups: Mapping[str | None, Levels]
    totals: Mapping[str | None, int]
    unseen: int
    members: Mapping[int, str | None]  # qid -> skill of every question in ``groups``


@dataclass(frozen=True, slots=True)
class PlanInput:
    """A snapshot of the learner for planning.

    ``index`` (default and unseen modes): see :class:`UnseenIndex`.
    """

    candidates: Sequence[Candidate]
    weights: Mapping[str, float]
    mastery: Mapping[str, float]
    new_today: int = 0
    daily_new_limit: int = 20
    desired_retention: float = 0.90
    exam_date: date | None = None
    # Chance of answering an unstudied question of each skill (mastery's ``p``); falls back
    # to ``mastery`` where absent.
    ability: Mapping[str, float] = field(default_factory=dict)
    parameters: tuple[float, ...] = DEFAULT_PARAMETERS
    index: UnseenIndex | None = None
    # The learner's local calendar date, against which the exam countdown and pacing are
    # read (the app's study calendar gives it); None: the date of ``now`` in UTC.
    today: date | None = None
    # Questions the learner's daily goal holds (the session size it asks for): with the
    # exam countdown, how many more questions there is time for before the exam.
    daily_questions: int | None = None


class QuestionState(NamedTuple):
    """What the learner's record holds about one question: the one shape both the app
    (:meth:`studyapp.services.study.service.StudyService.plan_input`) and ``studyapp simulate``
    hand to :func:`build_plan_input`. ``retrievability``: FSRS's R now (0 if never seen)."""

    qid: int
    skill: str | None
    difficulty: int
    memory: MemoryState | None
    retrievability: float
    leech: bool = False
    suspended: bool = False
    last_correct: bool | None = None


def candidate_of(q: QuestionState) -> Candidate:
    """The planner's view of one question (memory only once it has been reviewed)."""
    mem = q.memory
    if mem is None or mem.reps <= 0:
        return Candidate(q.qid, q.skill, False, None, 0.0, q.difficulty, q.leech, q.suspended)
    return Candidate(
        q.qid,
        q.skill,
        True,
        mem.due,
        q.retrievability,
        q.difficulty,
        q.leech,
        q.suspended,
        q.last_correct,
        mem,
    )


def build_plan_input(
    questions: Iterable[QuestionState],
    masteries: Mapping[str, Mastery],
    weights: Mapping[str, float],
    *,
    new_today: int,
    daily_new_limit: int,
    desired_retention: float,
    exam_date: date | None,
    parameters: tuple[float, ...] = DEFAULT_PARAMETERS,
    index: UnseenIndex | None = None,
    today: date | None = None,
    daily_questions: int | None = None,
) -> PlanInput:
    """The one way a learner's state becomes the planner's input.

    Every seen question carries its memory state; each skill its mastery (``mastery``) and
    its ability on unstudied questions (``ability``: mastery's ``p_unstudied``, the part
    that transfers to new exam questions); the personal FSRS parameters when fitted.
    """
    return PlanInput(
        candidates=[candidate_of(q) for q in questions],
        weights=dict(weights),
        mastery={k: m.mean for k, m in masteries.items()},
        new_today=new_today,
        daily_new_limit=daily_new_limit,
        desired_retention=desired_retention,
        exam_date=exam_date,
        ability={k: m.p_unstudied for k, m in masteries.items()},
        parameters=tuple(parameters),
        index=index,
        today=today,
        daily_questions=daily_questions,
    )


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """A question to ask, and why it was chosen."""

    qid: int
    skill: str | None
    reason: str  # due | new | leech | missed | unseen | cram
    show_explanation_first: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """The planned session and the pacing that shaped it."""

    items: tuple[PlannedItem, ...]
    new_allowed: int
    pace: int | None
    desired_retention: float
    max_interval_days: int
    notes: tuple[str, ...] = field(default=())


def exam_schedule(today: date, exam_date: date | None, base_retention: float) -> tuple[float, int]:
    """(target retention, longest interval in days) as of ``today``.

    Far from the exam: the learner's setting and no cap. Within ``RAMP_DAYS`` the target
    rises linearly to ``PEAK_RETENTION``, and intervals never run past the day before the
    exam, so every question gets a review shortly before it.
    """
    if exam_date is None:
        return base_retention, 36_500
    days_left = (exam_date - today).days
    if days_left <= 0:
        return base_retention, 36_500
    ramp = min(max((RAMP_DAYS - days_left) / RAMP_DAYS, 0.0), 1.0)
    target = base_retention + (max(PEAK_RETENTION, base_retention) - base_retention) * ramp
    return round(target, 4), max(1, days_left - 1)


def new_question_allowance(inp: PlanInput, today: date, unseen: int) -> tuple[int, int | None]:
    """(new questions still allowed today, exam pace per day or None)."""
    limit = inp.daily_new_limit
    pace: int | None = None
    if inp.exam_date is not None and unseen > 0:
        days_left = (inp.exam_date - today).days
        if days_left > BUFFER_DAYS:
            # Front-load: everything seen within the first half of the time before the
            # buffer, so each question gets several spaced reviews before exam day.
            pace = math.ceil(unseen / max(1.0, (days_left - BUFFER_DAYS) * FRONT_LOAD))
        elif days_left > 0:
            pace = math.ceil(unseen / days_left)
        if pace is not None:
            limit = max(limit, pace)
    return max(0, limit - inp.new_today), pace


class _Drawer:
    """A skill's unseen questions, easiest first and in random order within a difficulty.

    Lazy: a partial Fisher-Yates shuffle of the current level, so drawing ``k`` of ``n``
    questions costs ``k`` random numbers, not ``n``. Questions in ``skip`` are passed over
    (``skipped`` of them are in the levels; ``available`` does not count them).
    """

    def __init__(self, levels: Levels, skip: frozenset[int], skipped: int) -> None:
        self.levels = levels
        self.skip = skip
        self.level = 0
        self.work: list[int] | None = None
        self.at = 0
        self.available = sum(len(qids) for _d, qids in levels) - skipped

    def take(self, n: int, rng: random.Random) -> list[int]:
        out: list[int] = []
        while len(out) < n and self.level < len(self.levels):
            if self.work is None:
                self.work, self.at = list(self.levels[self.level][1]), 0
            work = self.work
            if self.at >= len(work):
                self.level, self.work = self.level + 1, None
                continue
            j = rng.randrange(self.at, len(work))
            work[self.at], work[j] = work[j], work[self.at]
            picked = work[self.at]
            self.at += 1
            if picked not in self.skip:
                out.append(picked)
        self.available -= len(out)
        return out


def _group_unseen(candidates: Sequence[Candidate]) -> dict[str | None, Levels]:
    """The :class:`UnseenIndex` groups of ``candidates`` (already filtered by the caller)."""
    by_skill: dict[str | None, dict[int, list[int]]] = {}
    for c in candidates:
        by_skill.setdefault(c.skill, {}).setdefault(c.difficulty, []).append(c.qid)
    return {
        skill: tuple((d, sorted(levels[d])) for d in sorted(levels))
        for skill, levels in by_skill.items()
    }


def _merge_groups(
    groups: Mapping[str | None, Levels], extra: Sequence[Candidate]
) -> dict[str | None, Levels]:
    """``groups`` with ``extra`` candidates added in their places (by difficulty, then qid)."""
    out: dict[str | None, Levels] = dict(groups)
    for c in extra:
        levels = dict(out.get(c.skill, ()))
        members = list(levels.get(c.difficulty, ()))
        insort(members, c.qid)
        levels[c.difficulty] = members
        out[c.skill] = tuple(sorted(levels.items()))
    return out


def _allocate_new(
    pool: NewPool,
    inp: PlanInput,
    slots: int,
    rng: random.Random,
    skip: frozenset[int] = frozenset(),
) -> list[tuple[int, str | None]]:
    """Pick ``slots`` unseen questions (id, skill) across skills in proportion to expected
    exam gain.

    A skill's expected gain per new question is ``weight × (1 − mastery) × unseen share``:
    heavily weighted, weak, little-seen areas get more of the session. Slots are shared in
    proportion to it (largest remainder), so every area with gain appears and the session
    interleaves, rather than the single best area taking everything. Within a skill the
    easiest questions come first, in random order (:class:`_Drawer`).
    """
    skipped = pool.skipped(skip)
    drawers = {s: _Drawer(levels, skip, skipped.get(s, 0)) for s, levels in pool.groups.items()}
    drawers = {s: d for s, d in drawers.items() if d.available > 0}
    totals = pool.totals
    gain: dict[str, float] = {}
    keys: dict[str, str | None] = {}
    for skill, drawer in drawers.items():
        weight = (inp.weights.get(skill, 0.0) if skill else 0.0) or 0.01
        weakness = 1.0 - inp.mastery.get(skill or "", 0.45)
        label = skill if skill is not None else "\0unassigned"
        share = drawer.available / max(totals.get(skill, 1), 1)
        gain[label] = weight * max(weakness, 0.02) * share
        keys[label] = skill
    chosen: list[tuple[int, str | None]] = []
    remaining = slots
    while remaining > 0 and gain:
        share_of = allocate(gain, remaining)
        progress = 0
        for label, n in share_of.items():
            taken = drawers[keys[label]].take(n, rng)
            chosen.extend((qid, keys[label]) for qid in taken)
            progress += len(taken)
        remaining -= progress
        gain = {k: v for k, v in gain.items() if drawers[keys[k]].available > 0}
        if progress == 0:
            break
    return chosen


def _marginal_gain(weight: float, z: float) -> float:
    """Exam points one more study of a skill is worth (up to a constant): the skill's share
    of the exam times the slope of its logistic learning curve at ability ``z`` (logits
    above chance). Practice moves ability by about the same number of logits per question
    (docs/learning-model.md), so a study is worth most where the learner is halfway, and
    in the areas that carry the most exam questions."""
    slope = 1.0 / (1.0 + math.exp(-z))
    return (weight or 0.01) * slope * (1.0 - slope)


def _ability_logit(inp: PlanInput, skill: str | None) -> float:
    """The learner's ability in ``skill`` in logits above chance (from mastery's ``p``)."""
    p = inp.ability.get(skill or "", inp.mastery.get(skill or "", 0.45))
    q = min(max((p - GUESS) / (1.0 - GUESS), 0.02), 0.98)
    return math.log(q / (1.0 - q))


def horizon_targets(
    skills: Mapping[str | None, tuple[float, float, int]], capacity: int, growth: float
) -> dict[str | None, int]:
    """How many new questions of each skill to study before the exam, for the most exam
    points: skill -> (exam weight, ability in logits above chance, unseen questions).

    Each skill's expected exam score follows its learning curve, ``weight × σ(z + growth·k)``
    after ``k`` more questions. The curve is S-shaped, so the best plan is not greedy (a weak
    area gains slowly at first and most later): for a price ``λ`` per question each skill
    takes the ``k`` that maximises ``weight × σ(z + growth·k) − λk`` (none, all, or the
    point on the concave side where the slope equals ``λ``), and ``λ`` is searched so that
    the total fits ``capacity``. Returns whole questions, at most ``capacity`` in all.
    """
    total = sum(unseen for _w, _z, unseen in skills.values())
    if capacity >= total:
        return {s: unseen for s, (_w, _z, unseen) in skills.items()}
    if capacity <= 0:
        return dict.fromkeys(skills, 0)

    def sig(x: float) -> float:
        return 1.0 / (1.0 + math.exp(-x))

    def best_k(weight: float, z: float, cap: int, price: float) -> float:
        options = [0.0, float(cap)]
        c = price / (weight * growth)
        if c < 0.25:
            hi = (1.0 + math.sqrt(1.0 - 4.0 * c)) / 2.0
            k = (math.log(hi / (1.0 - hi)) - z) / growth
            if 0.0 < k < cap:
                options.append(k)
        return max(options, key=lambda k: weight * sig(z + growth * k) - price * k)

    lo, hi = 0.0, max(w for w, _z, _u in skills.values()) * growth
    for _ in range(60):
        mid = (lo + hi) / 2.0
        used = sum(best_k(w, z, u, mid) for w, z, u in skills.values())
        lo, hi = (mid, hi) if used > capacity else (lo, mid)
    out = {s: int(best_k(w, z, u, hi)) for s, (w, z, u) in skills.items()}
    # What rounding (or a skill's jump from none to many) left over goes, one question at
    # a time, where the next one gains most.
    for _ in range(capacity - sum(out.values())):
        open_ = [s for s in out if out[s] < skills[s][2]]
        if not open_:
            break
        best = max(
            open_, key=lambda s: _marginal_gain(skills[s][0], skills[s][1] + growth * out[s])
        )
        out[best] += 1
    return out


def _allocate_by_gain(
    pool: NewPool,
    inp: PlanInput,
    slots: int,
    rng: random.Random,
    skip: frozenset[int],
    today: date,
) -> list[tuple[int, str | None]]:
    """Pick ``slots`` unseen questions (id, skill) for an exam of new questions.

    With the daily goal known (``daily_questions``), the questions there is time for before
    the exam are first shared out among the skills by :func:`horizon_targets`, and only
    skills still short of their share are picked from (a weak area's gains come late on
    its learning curve: a greedy choice alone would starve it). Each slot goes to the skill
    where one more study gains most on the exam (:func:`_marginal_gain`), its ability
    projected forward by ``GROWTH_PER_QUESTION`` for each question it already got in this
    session, so gains diminish and the next area takes over. Two rules keep the plan
    honest while evidence is thin and keep sessions mixed: skills with fewer than
    ``ENOUGH_ANSWERS`` answered questions come first, the one with the fewest first (the
    estimates the plan rests on need them, so a new profile's first sessions visit every
    area), and no skill takes more than ``SESSION_SKILL_SHARE`` of the slots while another
    has questions. Within a skill the easiest questions come first, in random order.
    """
    skipped = pool.skipped(skip)
    drawers = {s: _Drawer(levels, skip, skipped.get(s, 0)) for s, levels in pool.groups.items()}
    drawers = {s: d for s, d in drawers.items() if d.available > 0}
    z = {s: _ability_logit(inp, s) for s in drawers}
    weight = {s: (inp.weights.get(s, 0.0) if s else 0.0) or 0.01 for s in drawers}
    # Answered so far: the skill's active questions minus those never answered.
    seen = {
        s: max(0, pool.totals.get(s, 0) - d.available - skipped.get(s, 0))
        for s, d in drawers.items()
    }
    taken = dict.fromkeys(drawers, 0)
    cap = max(1, math.ceil(slots * SESSION_SKILL_SHARE))
    chosen: list[tuple[int, str | None]] = []
    target: dict[str | None, int] | None = None
    days_left = (inp.exam_date - today).days if inp.exam_date else 0
    if inp.daily_questions and days_left > 0:
        target = horizon_targets(
            {s: (weight[s], z[s], d.available) for s, d in drawers.items()},
            math.floor(inp.daily_questions * days_left * NEW_SHARE),
            GROWTH_PER_QUESTION,
        )
    while len(chosen) < slots:
        open_ = [s for s, d in drawers.items() if d.available > 0]
        if target is not None:
            open_ = [s for s in open_ if taken[s] < target[s]] or open_
        if not open_:
            break
        under_cap = [s for s in open_ if taken[s] < cap] or open_
        best = max(
            under_cap,
            key=lambda s: (
                # Evidence first: the area with the fewest answers, while under ENOUGH.
                -min(seen[s] + taken[s], ENOUGH_ANSWERS),
                _marginal_gain(weight[s], z[s] + GROWTH_PER_QUESTION * taken[s]),
                str(s),
            ),
        )
        picked = drawers[best].take(1, rng)
        if not picked:
            continue
        taken[best] += 1
        chosen.append((picked[0], best))
    return chosen


def _totals(candidates: Sequence[Candidate]) -> dict[str | None, int]:
    totals: dict[str | None, int] = {}
    for c in candidates:
        totals[c.skill] = totals.get(c.skill, 0) + 1
    return totals


@dataclass(frozen=True, slots=True)
class NewPool:
    """The unseen questions that may be introduced now, grouped, and questions per skill."""

    groups: Mapping[str | None, Levels]
    totals: Mapping[str | None, int]
    members: Mapping[int, str | None]
    loose: Mapping[int, str | None]

    def skipped(self, skip: frozenset[int]) -> dict[str | None, int]:
        """Per skill, how many of ``skip`` are in the groups."""
        out: dict[str | None, int] = {}
        for qid in skip:
            for where in (self.members, self.loose):
                if qid in where:
                    out[where[qid]] = out.get(where[qid], 0) + 1
                    break
        return out

    def available(self, skip: frozenset[int]) -> int:
        total = sum(len(qids) for levels in self.groups.values() for _d, qids in levels)
        return total - sum(self.skipped(skip).values())


def _new_pool(inp: PlanInput, skill: str | None) -> NewPool:
    """The unseen questions that may be introduced (of ``skill`` if given).

    Excluded questions stay in the groups (the drawer passes over them), so the index and
    the plain path consume the same random numbers and give the same plan.
    """
    loose = [
        c
        for c in inp.candidates
        if not c.seen and not c.suspended and (skill is None or c.skill == skill)
    ]
    loose_members = {c.qid: c.skill for c in loose}
    if inp.index is None:
        return NewPool(_group_unseen(loose), _totals(inp.candidates), {}, loose_members)
    index = inp.index
    indexed = index.groups
    members = index.members
    if skill is not None:
        indexed = {skill: indexed[skill]} if skill in indexed else {}
        members = {q: s for q, s in members.items() if s == skill} if indexed else {}
    return NewPool(_merge_groups(indexed, loose), index.totals, members, loose_members)


def _skill_value(inp: PlanInput, skill: str | None) -> float:
    """What one study of ``skill`` is worth on an exam of new questions
    (:func:`_marginal_gain` at the learner's ability now)."""
    return _marginal_gain(inp.weights.get(skill or "", 0.0), _ability_logit(inp, skill))


def worth_reviewing(c: Candidate, now: datetime) -> bool:
    """With an exam of new questions ahead, a seen question is worth asking again when it
    was missed (and is due) or is probably forgotten (``R < REVIEW_BELOW``); re-asking a
    question the learner still remembers teaches the skill little."""
    if not c.seen or c.leech:
        return False
    due = c.due is not None and c.due <= now
    return (due and c.last_correct is False) or c.retrievability < REVIEW_BELOW


def _exam_targeted(
    inp: PlanInput,
    now: datetime,
    size: int,
    rng: random.Random,
    active: Sequence[Candidate],
    allowed: int,
    pool: NewPool,
    skip: frozenset[int],
) -> tuple[list[PlannedItem], list[PlannedItem], list[str]]:
    """Default mode with an exam date ahead: (reviews, new questions, notes).

    The exam asks questions the learner has never seen, so what counts is transfer to each
    skill area. A first study of a question teaches a skill more than a repeat, so unseen
    questions come first, shared across skills for the most exam points
    (:func:`_allocate_by_gain`). A missed or forgotten question (:func:`worth_reviewing`)
    comes back while unseen ones remain only if ``REPEAT_VALUE × skill value × (1 − R)``
    beats a new question of the most valuable skill that still has some (the one it would
    displace), and then within
    ``EXAM_REVIEW_SHARE`` of the session, most valuable first. The daily new limit binds
    only while reviews worth doing wait:
    re-asking a remembered question to fill a session is worth less than a new one. Once
    every question is seen, the session is the reviews with the largest
    ``skill value × (1 − R)``.
    """

    def value(c: Candidate) -> float:
        return _skill_value(inp, c.skill) * (1.0 - c.retrievability)

    unseen_now = pool.available(skip)
    worth = sorted((c for c in active if worth_reviewing(c, now)), key=value, reverse=True)
    if unseen_now:
        # While unseen questions remain, a review must be worth more than a new question
        # of the least valuable skill that still has some.
        floor = max(
            (_skill_value(inp, s) for s, levels in pool.groups.items() if levels),
            default=0.0,
        )
        worth = [c for c in worth if REPEAT_VALUE * value(c) > floor]
    review_cap = min(size, math.ceil(size * EXAM_REVIEW_SHARE)) if unseen_now else size
    reviews = worth[:review_cap]
    room = size - len(reviews)
    new_cap = min(room, unseen_now, max(allowed, room - (len(worth) - len(reviews))))
    news = _allocate_by_gain(pool, inp, max(0, new_cap), rng, skip, inp.today or now.date())
    new_items = [PlannedItem(qid, sk, "new") for qid, sk in news]
    picked = [
        PlannedItem(c.qid, c.skill, "due" if c.due and c.due <= now else "exam") for c in reviews
    ]
    room = size - len(picked) - len(new_items)
    if room > 0:
        chosen = {c.qid for c in reviews}
        ahead = [c for c in active if c.seen and not c.leech and c.qid not in chosen]
        # Equal values in random order, so repeats spread over the bank.
        ahead.sort(key=lambda c: (value(c), rng.random()), reverse=True)
        picked += [PlannedItem(c.qid, c.skill, "exam") for c in ahead[:room]]
    notes = (
        ["Chosen for what they teach toward an exam of new questions."]
        if picked or new_items
        else []
    )
    return picked, new_items, notes


def _interleave(groups: Sequence[Sequence[PlannedItem]]) -> tuple[PlannedItem, ...]:
    """Merge priority-ordered groups, spreading them evenly and avoiding same-skill runs."""
    streams = [list(g) for g in groups if g]
    total = sum(len(s) for s in streams)
    merged: list[PlannedItem] = []
    used = [0] * len(streams)
    while len(merged) < total:
        # The stream furthest behind its fair share goes next.
        order = sorted(
            range(len(streams)),
            key=lambda i: used[i] / len(streams[i]) if used[i] < len(streams[i]) else 2.0,
        )
        stream = next(i for i in order if used[i] < len(streams[i]))
        merged.append(streams[stream][used[stream]])
        used[stream] += 1
    out: list[PlannedItem] = []
    rest = merged
    while rest:
        prev = out[-1].skill if out else object()
        pick = next((i for i, it in enumerate(rest[:6]) if it.skill != prev), 0)
        out.append(rest.pop(pick))
    return tuple(out)


def plan_session(
    inp: PlanInput,
    now: datetime,
    size: int,
    rng: random.Random,
    *,
    mode: Mode = "default",
    skill: str | None = None,
    exclude: frozenset[int] = frozenset(),
) -> Plan:
    """Plan up to ``size`` questions; see the module docstring for the rules."""
    today = inp.today or now.date()
    retention, max_days = exam_schedule(today, inp.exam_date, inp.desired_retention)
    exam_ahead = inp.exam_date is not None and (inp.exam_date - today).days > 0
    index = inp.index
    if index is not None and mode not in ("default", "unseen"):
        raise ValueError("an UnseenIndex serves the default and unseen modes only")
    active = [
        c
        for c in inp.candidates
        if not c.suspended and c.qid not in exclude and (skill is None or c.skill == skill)
    ]
    total_unseen = index.unseen if index else len([c for c in inp.candidates if not c.seen])
    allowed, pace = new_question_allowance(inp, today, total_unseen)
    if size <= 0:
        return Plan((), allowed, pace, retention, max_days, ())
    notes: list[str] = []
    items: tuple[PlannedItem, ...]

    if mode == "missed":
        missed = sorted(
            (c for c in active if c.last_correct is False), key=lambda c: c.retrievability
        )
        items = _interleave([[PlannedItem(c.qid, c.skill, "missed") for c in missed[:size]]])
    elif mode == "unseen":
        chosen = _allocate_new(_new_pool(inp, skill), inp, size, rng, exclude)
        items = _interleave([[PlannedItem(qid, sk, "unseen") for qid, sk in chosen]])
    elif mode == "cram":

        def need(c: Candidate) -> float:
            weight = inp.weights.get(c.skill or "", 0.01)
            weakness = 1.0 - inp.mastery.get(c.skill or "", 0.45)
            return weight * weakness * (1.0 - c.retrievability) * (0.9 + 0.2 * rng.random())

        ranked = sorted(active, key=need, reverse=True)
        items = _interleave([[PlannedItem(c.qid, c.skill, "cram") for c in ranked[:size]]])
    elif exam_ahead:
        leeches = sorted(
            (c for c in active if c.seen and c.leech and c.due is not None and c.due <= now),
            key=lambda c: c.retrievability,
        )
        leech_item = (
            [PlannedItem(leeches[0].qid, leeches[0].skill, "leech", True)] if leeches else []
        )
        reviews, new_items, extra = _exam_targeted(
            inp, now, size - len(leech_item), rng, active, allowed, _new_pool(inp, skill), exclude
        )
        notes.extend(extra)
        items = _interleave([reviews, new_items, leech_item])
    else:
        due = sorted(
            (c for c in active if c.seen and not c.leech and c.due is not None and c.due <= now),
            key=lambda c: (c.retrievability, c.qid),
        )
        leeches = sorted(
            (c for c in active if c.seen and c.leech and c.due is not None and c.due <= now),
            key=lambda c: c.retrievability,
        )
        new_pool = _new_pool(inp, skill)
        unseen_now = new_pool.available(exclude)
        new_slots = min(allowed, unseen_now)
        review_cap = size if new_slots == 0 else min(size, max(1, math.ceil(size * REVIEW_SHARE)))
        leech_item = (
            [PlannedItem(leeches[0].qid, leeches[0].skill, "leech", True)] if leeches else []
        )
        reviews = [PlannedItem(c.qid, c.skill, "due") for c in due[: review_cap - len(leech_item)]]
        room = size - len(reviews) - len(leech_item)
        news = _allocate_new(new_pool, inp, max(0, min(room, new_slots)), rng, exclude)
        new_items = [PlannedItem(qid, sk, "new") for qid, sk in news]
        items = _interleave([reviews, new_items, leech_item])
        if len(due) > len(reviews):
            notes.append(f"{len(due) - len(reviews)} more reviews are due; they come next session.")
        if allowed == 0 and unseen_now:
            notes.append("Today's limit of new questions is reached.")
        if pace is not None and pace > inp.daily_new_limit:
            notes.append(
                f"To see every question {BUFFER_DAYS} days before the exam, about {pace} new "
                "questions a day are needed (more than your daily limit)."
            )
    return Plan(items, allowed, pace, retention, max_days, tuple(notes))
