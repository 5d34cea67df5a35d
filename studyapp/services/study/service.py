"""Study use cases: plan practice, record answers, undo, statistics, FSRS fitting.

Everything is computed as of ``profile.clock.now()``. A study day runs from 04:00 to
04:00 local time (as in Anki), so an evening session after midnight counts for the
evening's day and daily limits do not reset at a UTC midnight.
"""

from __future__ import annotations

import logging
import random
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from studyapp.domain.errors import StudyAppError
from studyapp.domain.evidence import EvidenceLevel, evidence_level
from studyapp.domain.exam_score import cut_for
from studyapp.domain.figures import (
    MockResult,
    ReadinessView,
    SkillFigure,
    category_mastery,
    readiness_view,
)
from studyapp.domain.framework import Framework
from studyapp.domain.grading import PriorState, ScheduleContext, grade_answer
from studyapp.domain.mastery import Mastery, Readiness, estimate_masteries, readiness
from studyapp.domain.memory import (
    DEFAULT_PARAMETERS,
    forgetting_curve,
)
from studyapp.domain.planner import (
    Mode,
    Plan,
    PlanInput,
    QuestionState,
    build_plan_input,
    new_question_allowance,
    plan_session,
)
from studyapp.domain.question import Question
from studyapp.domain.settings import Settings
from studyapp.domain.study_calendar import (
    DAY_MS,
    ROLLOVER_HOURS,
    Shift,
    StudyCalendar,
    day_number,
    streak,
)
from studyapp.services.changes import Change, Outcome
from studyapp.services.profile import Profile
from studyapp.services.settings import local_tz, target_framework_key
from studyapp.services.study import cache as study_cache
from studyapp.services.study.recall import Recall
from studyapp.services.study.session_size import (
    PACE_WINDOW,
    Pace,
    SessionSize,
    pace_of,
    pacing_note,
    session_size,
    shortfall_reason,
)
from studyapp.services.study.target_scope import scope_to_framework
from studyapp.storage.exams import DbSession, load_exam, submitted_exams
from studyapp.storage.frameworks import load_framework, load_frameworks
from studyapp.storage.sessions import (
    end_session,
    recent_response_ms,
    start_session,
    start_session_direct,
)
from studyapp.storage.settings import read_settings, write_settings
from studyapp.storage.study import (
    AnswerRecord,
    PlanningRow,
    RecordedAnswer,
    StoredQuestion,
    load_planning_row,
    load_question,
    load_questions,
    load_referenced_media,
    new_introduced_since,
    newest_review_id,
    next_due_after,
    record_answer,
    record_answer_direct,
    review_log_for_fitting,
    row_after_answer,
    set_suspended,
    undo_last_answer,
)
from studyapp.storage.types import to_millis

log = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECOND = timedelta(milliseconds=1)
PARAMETERS_KEY = "fsrs_parameters"
MIN_REVIEWS_TO_FIT = 400
ANSWER_MODES = ("practice", "cram", "drill", "exam")
UNDOABLE_MODES = ("practice", "cram", "drill")
# How long a plan made ahead may stand for one made now (see StudyService.plan_is_current).
AHEAD_LIMIT = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class PracticeItem:
    """A planned question, ready to show: options in the order to display them."""

    qid: int
    ref: str
    skill: str | None
    skill_title: str | None
    question: Question
    media: tuple[str, ...]
    option_order: tuple[str, ...]
    reason: str
    show_explanation_first: bool = False
    media_data: dict[str, bytes] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What answering did, for feedback."""

    review_id: int
    qid: int
    correct: bool
    chosen: tuple[str, ...]
    correct_ids: tuple[str, ...]
    rating: int
    next_due: datetime | None
    leech: bool
    became_leech: bool


@dataclass(frozen=True, slots=True)
class SkillStat:
    """One skill area's line in ``studyapp stats``.

    ``answers``: every answer given in the area (practice and mock exams); ``evidence``
    follows from it (:func:`studyapp.domain.evidence.evidence_level`). The mastery
    estimate is kept whatever the evidence, but shown (and written to JSON) only with
    ``enough``.
    """

    id: str
    title: str
    category: str
    weight: float
    questions: int
    seen: int
    mastery: Mastery
    due: int
    leeches: int
    answers: int = 0

    @property
    def evidence(self) -> EvidenceLevel:
        return evidence_level(self.answers)

    @property
    def figure(self) -> SkillFigure:
        """The skill as :mod:`studyapp.domain.figures` reads it."""
        m = self.mastery
        return SkillFigure(
            self.id, self.title, self.weight, self.answers, m.mean, m.low, m.high, self.questions
        )

    def to_json(self) -> dict[str, Any]:
        shown = self.evidence == "enough"
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "weight": self.weight,
            "questions": self.questions,
            "seen": self.seen,
            "answers": self.answers,
            "evidence": self.evidence,
            "mastery": round(self.mastery.mean, 4) if shown else None,
            "mastery_low": round(self.mastery.low, 4) if shown else None,
            "mastery_high": round(self.mastery.high, 4) if shown else None,
            "due": self.due,
            "leeches": self.leeches,
        }


@dataclass(frozen=True, slots=True)
class StatsReport:
    """Mastery, readiness and progress as of one moment: the one source of every figure.

    ``per_day``: study day number -> answers, the last 400 days (streak and "today"
    come from it). ``view``: whether readiness may be shown, and why
    (:func:`studyapp.domain.figures.readiness_view`). ``mock_exams``: latest first.
    """

    framework: Framework
    skills: tuple[SkillStat, ...]
    readiness: Readiness
    reviews: int
    streak: int
    forecast: tuple[tuple[date, int], ...]
    today_answers: int
    today_correct: int
    minutes_total: float
    exam_date: date | None
    days_to_exam: int | None
    unassigned: int = 0
    notes: tuple[str, ...] = field(default=())
    view: ReadinessView | None = None
    mock_exams: tuple[MockResult, ...] = ()
    target: float = 0.7
    today: date | None = None

    def category_mastery(self, category: str) -> float | None:
        """Weighted mastery of a category's skill areas, None unless all have enough answers."""
        return category_mastery([s.figure for s in self.skills if s.category == category])

    def to_json(self) -> dict[str, Any]:
        r = self.readiness
        estimated = self.view.estimated if self.view else bool(self.reviews)
        categories = []
        for cat in self.framework.categories:
            mean = self.category_mastery(cat.id)
            categories.append(
                {
                    "id": cat.id,
                    "title": cat.title,
                    "weight": round(cat.weight, 4),
                    "mastery": None if mean is None else round(mean, 4),
                }
            )
        return {
            "framework": self.framework.id,
            "reviews": self.reviews,
            "readiness": round(r.probability, 4) if estimated else None,
            "readiness_why": [
                {"kind": w.kind, "text": w.text, **({"skill": w.skill} if w.skill else {})}
                for w in (self.view.why if self.view else ())
            ],
            "readiness_needs": self.view.needed if self.view else 0,
            "mock_exams_below_pass": self.view.mocks_below if self.view else False,
            "estimated_raw": round(r.expected_raw, 1) if estimated else None,
            "estimated_scaled": r.expected_scaled if estimated else None,
            "estimated_scaled_range": [r.scaled_low, r.scaled_high] if estimated else None,
            "pass_raw_assumed": r.cut,
            "exam_length": r.length,
            "skills": [s.to_json() for s in self.skills],
            "categories": categories,
            "mock_exams": [
                {
                    "code": m.code,
                    "raw": m.raw,
                    "length": m.length,
                    "finished_at": m.finished_at.isoformat(),
                    "scaled": m.scaled,
                    "passed": m.passed,
                }
                for m in self.mock_exams
            ],
            "totals": {
                "questions": sum(s.questions for s in self.skills) + self.unassigned,
                "seen": sum(s.seen for s in self.skills),
                "due": sum(s.due for s in self.skills),
                "leeches": sum(s.leeches for s in self.skills),
                "unassigned": self.unassigned,
            },
            "streak": self.streak,
            "today": {"answers": self.today_answers, "correct": self.today_correct},
            "minutes_total": round(self.minutes_total, 1),
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
            "exam_date": self.exam_date.isoformat() if self.exam_date else None,
            "days_to_exam": self.days_to_exam,
        }


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The learner as of one moment: what planning and statistics start from."""

    now: datetime
    settings: Settings
    framework: Framework
    rows: Sequence[PlanningRow]  # the study cache's: valid until the next answer
    unseen: study_cache.Unseen  # which of ``rows`` were never answered, per skill counts
    masteries: dict[str, Mastery]
    readiness: Readiness
    parameters: tuple[float, ...]
    new_today: int
    retrievability: dict[int, float]
    recall: Recall
    pace: Pace  # seconds per answer, for the daily goal's session size


class StudyService:
    """Practice and statistics on one profile."""

    def __init__(self, profile: Profile, tz: tzinfo | None = None) -> None:
        self.profile = profile
        self.tz = tz or local_tz()
        # exam id -> (question id, correct) per position of a submitted mock exam
        self._exam_items: dict[int, tuple[tuple[int | None, bool | None], ...]] = {}

    # ------------------------------------------------------------------ time
    @property
    def calendar(self) -> StudyCalendar:
        """The study-day calendar of this service's time zone (the one day rule)."""
        return StudyCalendar(self.tz, ROLLOVER_HOURS)

    def study_day(self, moment: datetime) -> date:
        """The study day ``moment`` belongs to (04:00 local rollover, daylight saving aware)."""
        return self.calendar.day_of(moment)

    def day_start(self, day: date) -> datetime:
        """The UTC instant a study day begins."""
        return self.calendar.start_of(day)

    # ------------------------------------------------------------------ snapshot
    def framework(self) -> Framework:
        """The framework the profile studies toward (setting ``target_framework``, CETL by
        default): what practice, readiness and statistics refer to. If the target is no
        longer installed, the first installed framework stands in."""
        with self.profile.db.reader() as session:
            key = target_framework_key(session)
            fw = load_framework(session, key) or next(iter(load_frameworks(session)), None)
        if fw is None:
            raise StudyAppError("This profile has no framework; import a pack first.")
        return fw

    def parameters(self) -> tuple[float, ...]:
        """Personal FSRS parameters if fitted, else the defaults."""
        with self.profile.db.reader() as session:
            stored = read_settings(session).get(PARAMETERS_KEY)
        return _fitted_parameters(stored)

    def snapshot(self) -> Snapshot:
        """Read everything planning and statistics need, in one reader session."""
        now = self.profile.clock.now()
        fw = self.framework()
        params = self.parameters()
        curve = forgetting_curve(params)
        with self.profile.db.reader() as session:
            cache = study_cache.current(self.profile.db, session)
            # Read through the cache, so the next answer finds the settings there.
            settings = Settings.from_stored(cache.settings(session))
            rows = cache.rows
            unseen = cache.unseen_index()
            evidence = cache.evidence(now)
            new_today = new_introduced_since(session, self.day_start(self.study_day(now)))
            mocks = self._mock_evidence(session, now, fw.id, cache)
            pace = pace_of(recent_response_ms(session, PACE_WINDOW))
        recall = cache.recall(now, curve)
        retr = recall.retrievability
        masteries = self._masteries(fw, unseen.totals, recall, evidence, mocks)
        cut = settings.assumed_raw_cut or fw.exam.assumed_raw_cut
        ready = readiness(
            masteries,
            {s.id: s.weight for s in fw.skill_areas},
            length=fw.exam.length,
            cut_fraction=cut,
            scale_max=fw.exam.scale_max,
            pass_scaled=fw.exam.pass_scaled,
        )
        return Snapshot(
            now, settings, fw, rows, unseen, masteries, ready, params, new_today, retr, recall, pace
        )

    @staticmethod
    def _masteries(
        fw: Framework,
        totals: Mapping[str | None, int],
        recall: Recall,
        evidence: dict[str, dict[bool, list[tuple[bool, float, int]]]],
        mocks: Mapping[str, list[tuple[bool, float, int]]] | None = None,
    ) -> dict[str, Mastery]:
        return estimate_masteries(
            [(s.id, s.weight) for s in fw.skill_areas],
            totals,
            recall.seen,
            recall.retention,
            evidence,
            mocks,
        )

    def _mock_evidence(
        self, session: DbSession, now: datetime, framework_id: str, cache: study_cache.StudyCache
    ) -> dict[str, list[tuple[bool, float, int]]]:
        """skill -> [(correct, age in days, count)] of submitted mock exams' questions that
        were new to the learner when the exam began and that the learner answered: the
        closest thing to the real exam's unseen questions. Questions already studied are
        left out (answering them measures recall of that question, not the skill), and so
        are unanswered ones: an exam handed in early, or left to run out, says nothing about
        what the learner knows (on the real exam they score zero; as evidence they are
        silence). Each exam's items are read once per service."""
        counts: dict[tuple[str, bool, int], int] = {}
        for header in submitted_exams(session):
            if header.blueprint != framework_id or header.submitted_at is None:
                continue
            items = self._exam_items.get(header.id)
            if items is None:
                stored = load_exam(session, header.id)
                if stored is None:
                    continue
                items = tuple(
                    (qid, correct)
                    for qid, correct, state in zip(
                        stored.question_ids, stored.correct, stored.sitting.items, strict=True
                    )
                    if state.answered
                )
                self._exam_items[header.id] = items
            age = max(0, (now - header.submitted_at) // timedelta(days=1))
            for qid, correct in items:
                row = cache.row(qid) if qid is not None else None
                if row is None or row.skill is None:
                    continue
                if row.first_seen is not None and row.first_seen < header.created_at:
                    continue
                key = (row.skill, bool(correct), age)
                counts[key] = counts.get(key, 0) + 1
        out: dict[str, list[tuple[bool, float, int]]] = {}
        for (skill, correct, age), n in sorted(counts.items()):
            out.setdefault(skill, []).append((correct, float(age), n))
        return out

    def plan_input(
        self, snap: Snapshot, *, indexed: bool = False, all_seen: bool = False
    ) -> PlanInput:
        """The planner's view of a snapshot, through :func:`build_plan_input` (the one
        builder ``studyapp simulate`` uses too): memory state of every seen question, each
        skill's mastery and ability, personal FSRS parameters when fitted.

        ``indexed`` (default and unseen modes): never-answered questions come as the
        cache's :class:`~studyapp.domain.planner.UnseenIndex`, and of the others only those
        the mode can choose (never answered, or seen and due now; every seen one with
        ``all_seen``, as an exam date ahead needs), so planning does not touch every
        question of a big bank.
        """
        now = snap.now
        questions: list[QuestionState] = []
        rows, unseen = snap.rows, snap.unseen
        if not indexed:
            questions = [self._question_state(snap, row) for row in rows]
        unseen_elsewhere = 0
        if indexed:
            now_ms = (now - EPOCH) // MILLISECOND  # floor: due_ms <= now_ms iff due <= now
            due_of = unseen.due_ms
            for at in unseen.others:
                row = rows[at]
                mem = row.memory
                if mem is not None and mem.reps > 0:
                    if all_seen or due_of[at] <= now_ms:
                        questions.append(self._question_state(snap, row))
                else:
                    unseen_elsewhere += 1
                    questions.append(self._question_state(snap, row))
        settings = snap.settings
        return build_plan_input(
            questions,
            snap.masteries,
            {s.id: s.weight for s in snap.framework.skill_areas},
            new_today=snap.new_today,
            daily_new_limit=settings.daily_new_limit,
            desired_retention=settings.desired_retention,
            exam_date=date.fromisoformat(settings.exam_date) if settings.exam_date else None,
            parameters=snap.parameters,
            index=unseen.index(unseen_elsewhere) if indexed else None,
            today=self.calendar.local_date(now),
            daily_questions=session_size(settings.daily_goal_minutes, snap.pace).questions,
        )

    @staticmethod
    def _question_state(snap: Snapshot, row: PlanningRow) -> QuestionState:
        buried = row.buried_until is not None and row.buried_until > snap.now
        return QuestionState(
            qid=row.qid,
            skill=row.skill,
            difficulty=row.difficulty,
            memory=row.memory,
            retrievability=snap.retrievability.get(row.qid, 0.0),
            leech=row.leech,
            suspended=row.suspended or buried,
            last_correct=row.last_correct,
        )

    # ------------------------------------------------------------------ practice
    def plan(
        self,
        size: int | None = None,
        *,
        mode: Mode = "default",
        skill: str | None = None,
        exclude: frozenset[int] = frozenset(),
        rng: random.Random | None = None,
        new_limit: int | None = None,
    ) -> tuple[Plan, list[PracticeItem]]:
        """Plan a session and load its questions, options shuffled for display.

        :meth:`plan_practice` with its result as a pair; the reason for a short session
        and the exam-pace note (if any) come first in the plan's notes.
        """
        practice = self.plan_practice(
            size, mode=mode, skill=skill, exclude=exclude, rng=rng, new_limit=new_limit
        )
        extra = tuple(n for n in (practice.shortfall, practice.pacing) if n)
        plan = replace(practice.plan, notes=(*extra, *practice.plan.notes))
        return plan, practice.items

    def plan_practice(
        self,
        size: int | None = None,
        *,
        mode: Mode = "default",
        skill: str | None = None,
        exclude: frozenset[int] = frozenset(),
        rng: random.Random | None = None,
        new_limit: int | None = None,
    ) -> PracticePlan:
        """Plan a session of ``size`` questions (default: what the daily goal holds, see
        :mod:`~studyapp.services.study.session_size`) within the target framework, load its
        questions, and say why it holds fewer than asked, if it does.

        ``new_limit`` overrides the daily limit of new questions (the drill uses it).
        """
        rng = rng or random.Random()
        state = self.study_state()
        snap = self.snapshot()
        if size is None:
            size = self.suggested_size(snap.settings).questions
        if skill is not None and snap.framework.find_skill(skill) is None:
            raise StudyAppError(
                f"{skill!r} is not a skill area of {snap.framework.id}; use one of: "
                + ", ".join(s.id for s in snap.framework.skill_areas)
                + "."
            )
        skill_id = snap.framework.find_skill(skill).id if skill else None  # type: ignore[union-attr]
        exam_iso = snap.settings.exam_date
        exam_ahead = (
            exam_iso is not None
            and self.calendar.days_until(date.fromisoformat(exam_iso), snap.now) > 0
        )
        inp = self.plan_input(
            snap, indexed=mode in ("default", "unseen"), all_seen=mode == "default" and exam_ahead
        )
        inp = scope_to_framework(inp, [s.id for s in snap.framework.skill_areas])
        if new_limit is not None:
            inp = replace(inp, daily_new_limit=new_limit)
        plan = plan_session(inp, snap.now, size, rng, mode=mode, skill=skill_id, exclude=exclude)
        shortfall = shortfall_reason(
            size,
            plan,
            mode=mode,
            unseen_left=unseen_count(inp, skill_id),
            daily_limit=inp.daily_new_limit,
            where=snap.framework.find_skill(skill_id).title if skill_id else None,  # type: ignore[union-attr]
        )
        items = []
        with self.profile.db.reader() as session:
            loaded = load_questions(session, (planned.qid for planned in plan.items))
            study_cache.remember_questions(self.profile.db, loaded.values())
            for planned in plan.items:
                stored = loaded.get(planned.qid)
                if stored is None:
                    continue
                order = [o.id for o in stored.question.options]
                rng.shuffle(order)
                data = load_referenced_media(session, stored)
                items.append(
                    _practice_item(
                        stored, tuple(order), planned.reason, planned.show_explanation_first, data
                    )
                )
        pacing = None
        if mode == "default" and plan.pace is not None and snap.settings.exam_date:
            goal = self.suggested_size(snap.settings)
            due_now = sum(snap.recall.due.get(s.id, 0) for s in snap.framework.skill_areas)
            pacing = pacing_note(plan.pace, goal, due_now, snap.settings.exam_date)
        return PracticePlan(plan, items, size, shortfall, pacing, snap.now, state)

    def plan_ahead(
        self,
        size: int | None = None,
        *,
        mode: Mode = "default",
        skill: str | None = None,
        rng: random.Random | None = None,
        new_limit: int | None = None,
    ) -> PracticePlan:
        """:meth:`plan_practice` for the next session, made while the learner still reads
        the last feedback (on the worker thread, off the learner's path), then the WAL
        checkpoint the answers put off (``Database.checkpoint``). Shown later only while
        :meth:`plan_is_current` holds."""
        practice = self.plan_practice(size, mode=mode, skill=skill, rng=rng, new_limit=new_limit)
        self.profile.db.checkpoint()
        return practice

    def study_state(self) -> tuple[int, int]:
        """What identifies the study data practice reads: the database's count of commits
        that touch it (this process) and the review log's newest id (any process)."""
        db = self.profile.db
        if db.direct_writes:
            return db.study_writes, db.newest_review_id()
        with db.reader() as session:
            return db.study_writes, newest_review_id(session)

    def plan_is_current(self, practice: PracticePlan) -> bool:
        """Whether a plan made ahead may be shown now in place of one made now.

        What "as of now" means for a plan made a few seconds early (the practice screen
        plans the next session on the worker thread while the learner reads the last
        feedback; docs/performance.md): the plan is the one :meth:`plan_practice` gave at
        its ``as_of`` instant, and it stands for a plan made now while

        - nothing practice reads has changed since (no answer, undo, suspension, import or
          settings change, in this process or another: :meth:`study_state` is the same),
        - it is still the same study day, and at most :data:`AHEAD_LIMIT` has passed.

        Within those bounds the two can differ only by what the clock alone moves: a
        question falling due, or a burial ending, in between (it comes in the next plan),
        and whole-day ages (retrievability, mastery evidence) that turn over in between.
        Given the same state and the same instant, a plan made ahead and one made on time
        are identical (``tests/services/test_plan_ahead.py``).
        """
        if practice.as_of is None or practice.state is None:
            return False
        now = self.profile.clock.now()
        if not practice.as_of <= now <= practice.as_of + AHEAD_LIMIT:
            return False
        if self.study_day(now) != self.study_day(practice.as_of):
            return False
        return practice.state == self.study_state()

    def pace(self) -> Pace:
        """The learner's seconds per answer (measured, or the default until there is data)."""
        with self.profile.db.reader() as session:
            return pace_of(recent_response_ms(session, PACE_WINDOW))

    def suggested_size(self, settings: Settings | None = None) -> SessionSize:
        """The session size the daily goal asks for at the learner's pace."""
        settings = settings or self.profile.settings()
        return session_size(settings.daily_goal_minutes, self.pace())

    def goal_advice(self) -> GoalAdvice:
        """What the daily goal means now: the session size, and with an exam date whether
        the pace of new questions it needs fits in the goal (one sentence if not)."""
        snap = self.snapshot()
        size = self.suggested_size(snap.settings)
        inp = scope_to_framework(
            self.plan_input(snap, indexed=True), [s.id for s in snap.framework.skill_areas]
        )
        _allowed, pace = new_question_allowance(
            inp, self.calendar.local_date(snap.now), unseen_count(inp, None)
        )
        due = sum(snap.recall.due.get(s.id, 0) for s in snap.framework.skill_areas)
        note = pacing_note(pace, size, due, snap.settings.exam_date)
        return GoalAdvice(size, pace, note)

    def start_session(self, mode: str, skill: str | None, planned: int) -> int:
        """Record the start of a study session; answers given with its id belong to it."""
        db = self.profile.db
        if db.direct_writes:  # on the path from a click to the first question: kept lean
            with db.direct_write(study=False) as conn:
                return start_session_direct(
                    conn,
                    mode=mode,
                    skill=skill,
                    planned=planned,
                    started_at=self.profile.clock.now(),
                )
        with db.unit_of_work(study=False) as session:
            return start_session(
                session,
                mode=mode,
                skill=skill,
                planned=planned,
                started_at=self.profile.clock.now(),
            )

    def end_session(self, session_id: int) -> None:
        """Record the end of a study session (nothing happens if it is gone)."""
        with self.profile.db.unit_of_work(study=False) as session:
            end_session(session, session_id, self.profile.clock.now())

    def next_due_after(self, moment: datetime) -> datetime | None:
        """The earliest due date after ``moment`` of an active, unsuspended question."""
        with self.profile.db.reader() as session:
            return next_due_after(session, moment)

    def question(self, qid: int) -> StoredQuestion:
        """One question as stored (for review screens)."""
        with self.profile.db.reader() as session:
            stored = load_question(session, qid)
        if stored is None:
            raise StudyAppError(
                f"Question {qid} no longer exists (its pack may have been removed)."
            )
        return stored

    def answer(
        self,
        qid: int,
        chosen: Sequence[str],
        seconds: float,
        *,
        guessed: bool = False,
        mode: str = "practice",
        session_id: int | None = None,
        exam_id: int | None = None,
    ) -> Outcome[AnswerResult]:
        """Grade, reschedule and commit one answer (cram answers leave the schedule alone).

        With a study cache as of the last commit that knows the question (a planned one),
        nothing is read through SQLAlchemy: the question, its planning row and the settings
        come from the cache, the answer is written in one direct transaction
        (:meth:`~studyapp.storage.database.Database.direct_write`: the write gate,
        ``synchronous=FULL``, four driver statements) and applied to the cache in place.
        Otherwise it goes through a unit of work, reading what it needs.
        """
        db = self.profile.db
        cache = study_cache.fresh(db)
        direct = cache is not None and db.direct_writes and mode in ANSWER_MODES
        stored = study_cache.known_question(db, qid) if direct else None
        row = cache.row(qid) if cache is not None and stored is not None else None
        if cache is not None and row is not None and stored is not None:
            stored_settings = cache.stored_settings
            if stored_settings is None:
                with db.reader() as session:
                    stored_settings = cache.settings(session)
            prepared = self._prepare(
                stored,
                row,
                stored_settings,
                chosen,
                seconds,
                guessed=guessed,
                mode=mode,
                session_id=session_id,
                exam_id=exam_id,
                now=self.profile.clock.now(),
            )
            with db.direct_write() as conn:
                recorded = record_answer_direct(conn, prepared)
            pending = _pending(cache, row, prepared, recorded)
            study_cache.apply_answer(db, pending)  # only once the answer is committed
            return Outcome(_result(prepared, row, recorded, stored), Change.REVIEWS)
        with db.unit_of_work() as session:
            result, pending_answer = self._record(
                session,
                qid,
                chosen,
                seconds,
                guessed=guessed,
                mode=mode,
                session_id=session_id,
                exam_id=exam_id,
                now=None,
                cache=cache,
            )
        study_cache.apply_answer(db, pending_answer)  # only once the answer is committed
        return Outcome(result, Change.REVIEWS)

    def record_answer_in(
        self,
        session: DbSession,
        qid: int,
        chosen: Sequence[str],
        seconds: float,
        *,
        guessed: bool = False,
        mode: str = "practice",
        exam_id: int | None = None,
        now: datetime | None = None,
    ) -> AnswerResult:
        """:meth:`answer` inside the caller's unit of work, reading through it too.

        A submitted mock exam writes all its answers and its result in one transaction
        (``services.exams.service``); ``now`` (default: the clock) is when the answer counts.
        """
        result, _pending = self._record(
            session,
            qid,
            chosen,
            seconds,
            guessed=guessed,
            mode=mode,
            session_id=None,  # mock exam answers belong to their exam, not a study session
            exam_id=exam_id,
            now=now,
            cache=None,
        )
        return result

    def _record(
        self,
        session: DbSession,
        qid: int,
        chosen: Sequence[str],
        seconds: float,
        *,
        guessed: bool,
        mode: str,
        session_id: int | None,
        exam_id: int | None,
        now: datetime | None,
        cache: study_cache.StudyCache | None,
    ) -> tuple[AnswerResult, study_cache.PendingAnswer | None]:
        """Record one answer; with ``cache`` (fresh as of this unit of work's start), read
        the row and settings from it and return what to apply to it after the commit."""
        if mode not in ANSWER_MODES:
            raise ValueError(f"unknown answer mode {mode!r}")
        now = now or self.profile.clock.now()
        stored = study_cache.known_question(self.profile.db, qid) or load_question(session, qid)
        if stored is None:
            raise StudyAppError(
                f"Question {qid} no longer exists (its pack may have been removed)."
            )
        stored_settings = cache.settings(session) if cache else read_settings(session)
        row = cache.row(qid) if cache else None
        row = row or load_planning_row(session, qid)
        rec = self._prepare(
            stored,
            row,
            stored_settings,
            chosen,
            seconds,
            guessed=guessed,
            mode=mode,
            session_id=session_id,
            exam_id=exam_id,
            now=now,
        )
        recorded = record_answer(session, rec)
        pending = None
        if cache is not None and row is not None:
            pending = _pending(cache, row, rec, recorded)
        return _result(rec, row, recorded, stored), pending

    def _prepare(
        self,
        stored: StoredQuestion,
        row: PlanningRow | None,
        stored_settings: dict[str, Any],
        chosen: Sequence[str],
        seconds: float,
        *,
        guessed: bool,
        mode: str,
        session_id: int | None,
        exam_id: int | None,
        now: datetime,
    ) -> AnswerRecord:
        """What an answer writes: graded, rated, rescheduled (the one grading path of both
        ways of recording). ``row``: the question's planning row before it (None: unknown).

        The grading rule itself is :func:`studyapp.domain.grading.grade_answer`; this method
        gathers its inputs (settings, fitted parameters, the study day) and shapes the row.
        """
        snap_settings = Settings.from_stored(stored_settings)
        exam_date = date.fromisoformat(snap_settings.exam_date) if snap_settings.exam_date else None
        graded = grade_answer(
            stored.question,
            chosen,
            seconds,
            guessed=guessed,
            mode=mode,
            prior=PriorState(row.memory, row.wrong_count, row.leech) if row else PriorState(),
            now=now,
            schedule=ScheduleContext(
                self.study_day(now),
                exam_date,
                snap_settings.desired_retention,
                _fitted_parameters(stored_settings.get(PARAMETERS_KEY)),
            ),
            ref=stored.ref,
        )
        return AnswerRecord(
            qid=stored.qid,
            question_ref=stored.ref,
            skill_key=stored.skill or "unassigned",
            answered_at=now,
            chosen=graded.chosen,
            correct=graded.correct,
            response_ms=int(seconds * 1000),
            mode=mode,
            rating=int(graded.rating),
            guessed=guessed,
            after=graded.after,
            wrong_count=graded.wrong_count,
            leech=graded.leech,
            session_id=session_id,
            exam_id=exam_id,
        )

    def undo_last(self) -> Outcome[int | None]:
        """Undo the newest practice answer exactly; the value is its question id or None."""
        with self.profile.db.unit_of_work() as session:
            undone = undo_last_answer(session, UNDOABLE_MODES)
        return Outcome(undone[1] if undone else None, Change.REVIEWS if undone else Change.NONE)

    def set_suspended(self, qid: int, suspended: bool) -> Outcome[None]:
        """Take a question out of practice, or put it back."""
        with self.profile.db.unit_of_work() as session:
            set_suspended(session, qid, suspended, self.profile.clock.now())
        return Outcome(None, Change.QUESTIONS)

    # ------------------------------------------------------------------ statistics
    def stats(self) -> StatsReport:
        """Per-skill mastery, readiness, streak, forecast and time, as of now."""
        return self.stats_of(self.snapshot())

    def forecast(self, snap: Snapshot, days: int) -> tuple[tuple[date, int], ...]:
        """Questions due on each of ``days`` study days from today; overdue ones today.

        The one forecast: ``stats`` (14 days) and the Statistics screen (30) read it.
        """
        cal = self.calendar
        today = cal.day_of(snap.now)
        until = cal.start_of(today + timedelta(days=days))
        shifts = cal.shifts(snap.now - timedelta(days=1), until + timedelta(days=1))
        due_days = snap.recall.due_per_study_day(until, shifts)
        today_n = day_number(today)
        overdue = sum(n for d, n in due_days.items() if d < today_n)
        return tuple(
            (today + timedelta(days=i), due_days.get(today_n + i, 0) + (overdue if i == 0 else 0))
            for i in range(days)
        )

    def stats_of(self, snap: Snapshot) -> StatsReport:
        """:meth:`stats` of a snapshot already read."""
        now = snap.now
        cal = self.calendar
        today = cal.day_of(now)
        fw = snap.framework
        questions = snap.unseen.totals
        seen, due, leeches = snap.recall.seen, snap.recall.due, snap.recall.leeches
        unassigned = questions.get(None, 0)
        since = now - timedelta(days=400)
        shifts = cal.shifts(since, now + timedelta(days=1))
        cut = snap.settings.assumed_raw_cut or fw.exam.assumed_raw_cut
        with self.profile.db.reader() as session:
            cache = study_cache.current(self.profile.db, session)
            reviews = cache.count
            per_day = _answers_per_day(cache, since, shifts)
            answers = _answers_per_skill(cache)
            mocks = tuple(
                MockResult(
                    e.code,
                    e.raw_correct,
                    e.length,
                    e.submitted_at,
                    e.scaled_score,
                    None if e.raw_correct is None else e.raw_correct >= cut_for(e.length, cut),
                )
                for e in reversed(submitted_exams(session))
                if e.submitted_at is not None
            )
        forecast = self.forecast(snap, 14)
        today_n = per_day.get(day_number(today), (0, 0))
        minutes = cache.ms_total / 60_000
        exam_date = date.fromisoformat(snap.settings.exam_date) if snap.settings.exam_date else None
        skills = tuple(
            SkillStat(
                id=s.id,
                title=s.title,
                category=s.category_id,
                weight=s.weight,
                questions=questions.get(s.id, 0),
                seen=seen.get(s.id, 0),
                mastery=snap.masteries[s.id],
                due=due.get(s.id, 0),
                leeches=leeches.get(s.id, 0),
                answers=answers.get(s.id, 0),
            )
            for s in fw.skill_areas
        )
        view = readiness_view(
            [s.figure for s in skills],
            [replace(m, finished_at=m.finished_at.astimezone(self.tz)) for m in mocks],
            reviews=reviews,
            target=cut,
        )
        return StatsReport(
            framework=fw,
            skills=skills,
            readiness=snap.readiness,
            reviews=reviews,
            streak=streak({d: n for d, (n, _c) in per_day.items()}, day_number(today)),
            forecast=forecast,
            today_answers=today_n[0],
            today_correct=today_n[1],
            minutes_total=minutes,
            exam_date=exam_date,
            days_to_exam=cal.days_until(exam_date, now) if exam_date else None,
            unassigned=unassigned,
            view=view,
            mock_exams=mocks,
            target=cut,
            today=today,
        )

    # ------------------------------------------------------------------ optimizer
    def optimize(self) -> Outcome[OptimizeReport]:
        """Fit personal FSRS parameters from the review log (fsrs-rs-python)."""
        from studyapp.services.study.optimizer import (
            fit_parameters,
        )  # loads a native library only when fitting

        with self.profile.db.reader() as session:
            history = review_log_for_fitting(session)
        if len(history) < MIN_REVIEWS_TO_FIT:
            return Outcome(
                OptimizeReport(
                    False,
                    len(history),
                    DEFAULT_PARAMETERS,
                    f"Personal parameters need at least {MIN_REVIEWS_TO_FIT} "
                    f"answers; there are {len(history)}. The defaults stay.",
                )
            )
        params = fit_parameters(history, self.tz)
        with self.profile.db.unit_of_work() as session:
            write_settings(session, {PARAMETERS_KEY: list(params)})
        return Outcome(
            OptimizeReport(True, len(history), params, "Personal FSRS parameters fitted."),
            Change.SETTINGS,
        )


@dataclass(frozen=True, slots=True)
class PracticePlan:
    """A planned session: the plan, its loaded questions, the size asked for and, when
    it holds fewer, one sentence saying why (for the session screen)."""

    plan: Plan
    items: list[PracticeItem]
    asked: int
    shortfall: str | None
    # With an exam date: set when the pace of new questions it needs, with today's
    # reviews, does not fit in the daily goal (see ``session_size.pacing_note``).
    pacing: str | None = None
    # The instant it was planned as of, and the study data it saw (see
    # ``StudyService.plan_is_current``): a plan made ahead is shown only while both hold.
    as_of: datetime | None = None
    state: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class GoalAdvice:
    """The daily goal in questions and, with an exam date, the pace it must hold."""

    size: SessionSize
    exam_pace: int | None  # new questions a day the exam date needs (None: no exam date)
    note: str | None  # set when that pace and today's reviews do not fit in the goal


def unseen_count(inp: PlanInput, skill: str | None) -> int:
    """Never-answered, unsuspended questions the planner could introduce (of ``skill``)."""
    loose = sum(
        1
        for c in inp.candidates
        if not c.seen and not c.suspended and (skill is None or c.skill == skill)
    )
    if inp.index is None:
        return loose
    groups = inp.index.groups
    chosen = [groups[skill]] if skill is not None and skill in groups else []
    if skill is None:
        chosen = list(groups.values())
    return loose + sum(len(qids) for levels in chosen for _d, qids in levels)


def _pending(
    cache: study_cache.StudyCache,
    row: PlanningRow,
    rec: AnswerRecord,
    recorded: RecordedAnswer,
) -> study_cache.PendingAnswer:
    """What a recorded answer changes in the study cache, to apply once it is committed."""
    return study_cache.PendingAnswer(
        rec.qid,
        row_after_answer(row, rec),
        (
            (
                recorded.review_id,
                rec.skill_key,
                int(recorded.first_attempt),
                int(rec.correct),
                to_millis(rec.answered_at),
                rec.response_ms,
            ),
        ),
        cache.version,
    )


def _result(
    rec: AnswerRecord, row: PlanningRow | None, recorded: RecordedAnswer, stored: StoredQuestion
) -> AnswerResult:
    """The feedback of a recorded answer."""
    return AnswerResult(
        review_id=recorded.review_id,
        qid=rec.qid,
        correct=rec.correct,
        chosen=rec.chosen,
        correct_ids=tuple(o.id for o in stored.question.options if o.correct),
        rating=rec.rating,
        next_due=rec.after.due if rec.after else None,
        leech=rec.leech,
        became_leech=rec.leech and not (row.leech if row else False),
    )


def _answers_per_day(
    cache: study_cache.StudyCache, since: datetime, shifts: Sequence[Shift]
) -> dict[int, tuple[int, int]]:
    """Study day number -> (answers, correct) since ``since``, each answer counted with the
    UTC offset in force when it was given (``shifts``, ascending).

    One pass over the cache's sorted answer times, jumping a study day at a time with a
    bisection, so the cost grows with the days that have answers, not with the answers.
    """
    since_ms = to_millis(since)
    out: dict[int, list[int]] = {}
    bounds = [
        (max(s.start_ms, since_ms), shifts[i + 1].start_ms if i + 1 < len(shifts) else None, s)
        for i, s in enumerate(shifts)
    ]
    for (_skill, _first, correct), group in cache.times.items():
        for lo_ms, hi_ms, shift in bounds:
            if hi_ms is not None and hi_ms <= lo_ms:
                continue
            at = bisect_left(group, lo_ms)
            end = len(group) if hi_ms is None else bisect_left(group, hi_ms, at)
            offset = shift.shift_ms
            while at < end:
                day = (group[at] + offset) // DAY_MS
                nxt = bisect_left(group, (day + 1) * DAY_MS - offset, at, end)
                entry = out.setdefault(day, [0, 0])
                entry[0] += nxt - at
                if correct:
                    entry[1] += nxt - at
                at = nxt
    return {day: (n, c) for day, (n, c) in out.items()}


def _answers_per_skill(cache: study_cache.StudyCache) -> dict[str, int]:
    """Skill area id -> every answer given in it (the evidence count)."""
    out: dict[str, int] = {}
    for (skill, _first, _correct), group in cache.times.items():
        out[skill] = out.get(skill, 0) + len(group)
    return out


def _fitted_parameters(stored: Any) -> tuple[float, ...]:
    """Stored personal FSRS parameters if they are well formed, else the defaults."""
    if isinstance(stored, list) and len(stored) == len(DEFAULT_PARAMETERS):
        return tuple(float(x) for x in stored)
    return DEFAULT_PARAMETERS


@dataclass(frozen=True, slots=True)
class OptimizeReport:
    """Whether parameters were fitted, from how many answers, and which."""

    fitted: bool
    reviews: int
    parameters: tuple[float, ...]
    message: str


def _practice_item(
    stored: StoredQuestion,
    order: tuple[str, ...],
    reason: str,
    explain: bool,
    media: dict[str, bytes] | None = None,
) -> PracticeItem:
    return PracticeItem(
        qid=stored.qid,
        ref=stored.ref,
        skill=stored.skill,
        skill_title=stored.skill_title,
        question=stored.question,
        media=stored.media,
        option_order=order,
        reason=reason,
        show_explanation_first=explain,
        media_data=media or {},
    )
