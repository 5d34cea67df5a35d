"""Study use cases: plan practice, record answers, undo, statistics, FSRS fitting.

Everything is computed as of ``profile.clock.now()``. A study day runs from 04:00 to
04:00 local time (as in Anki), so an evening session after midnight counts for the
evening's day and daily limits do not reset at a UTC midnight.

:class:`StudyService` is the front ends' one entry point; the work is in the modules
beside it: what a session is made of (:mod:`.practice`), the learner as of a moment
(:mod:`.snapshot`), grading and recording an answer (:mod:`.answers`), the statistics
(:mod:`.stats`) and personal FSRS parameters (:mod:`.parameters`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo

from studyapp.domain.errors import QuestionGoneError, StudyAppError
from studyapp.domain.framework import Framework
from studyapp.domain.planner import Mode, Plan, PlanInput, new_question_allowance, plan_session
from studyapp.domain.settings import Settings
from studyapp.domain.study_calendar import ROLLOVER_HOURS, StudyCalendar
from studyapp.services.changes import Change, Outcome
from studyapp.services.profile import Profile
from studyapp.services.settings import local_tz, target_framework_key
from studyapp.services.study import answers
from studyapp.services.study import cache as study_cache
from studyapp.services.study.answers import AnswerResult, GivenAnswer
from studyapp.services.study.parameters import (
    PARAMETERS_KEY,
    OptimizeReport,
    fitted_parameters,
    optimize,
)
from studyapp.services.study.practice import (
    GoalAdvice,
    PracticeItem,
    PracticePlan,
    load_items,
    plan_input,
    unseen_count,
)
from studyapp.services.study.session_size import (
    PACE_WINDOW,
    Pace,
    SessionSize,
    pace_of,
    pacing_note,
    session_size,
    shortfall_reason,
)
from studyapp.services.study.snapshot import ExamItems, Snapshot, read_snapshot
from studyapp.services.study.stats import StatsReport, forecast, stats_of
from studyapp.services.study.target_scope import scope_to_framework
from studyapp.storage.exams import DbSession
from studyapp.storage.frameworks import load_framework, load_frameworks
from studyapp.storage.question_rows import StoredQuestion, load_question
from studyapp.storage.review_log import (
    AnswerRecord,
    RecordedAnswer,
    newest_review_id,
    record_answer,
    record_answer_direct,
    undo_last_answer,
)
from studyapp.storage.sessions import (
    end_session,
    recent_response_ms,
    start_session,
    start_session_direct,
)
from studyapp.storage.settings import read_settings
from studyapp.storage.study import next_due_after, set_suspended

# How long a plan made ahead may stand for one made now (see StudyService.plan_is_current).
AHEAD_LIMIT = timedelta(minutes=10)


class StudyService:
    """Practice and statistics on one profile."""

    def __init__(self, profile: Profile, tz: tzinfo | None = None) -> None:
        self.profile = profile
        self.tz = tz or local_tz()
        # exam id -> (question id, correct) per position of a submitted mock exam
        self._exam_items: ExamItems = {}

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
        return fitted_parameters(stored)

    def snapshot(self) -> Snapshot:
        """Read everything planning and statistics need, in one reader session."""
        now = self.profile.clock.now()
        fw, params = self.framework(), self.parameters()
        return read_snapshot(self.profile.db, self.calendar, now, fw, params, self._exam_items)

    def plan_input(
        self, snap: Snapshot, *, indexed: bool = False, all_seen: bool = False
    ) -> PlanInput:
        """The planner's view of a snapshot: :func:`~.practice.plan_input`."""
        return plan_input(snap, self.calendar, indexed=indexed, all_seen=all_seen)

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
        items = load_items(self.profile.db, plan, rng)
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
            raise QuestionGoneError(qid)
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
        given = GivenAnswer(qid, chosen, seconds, guessed, mode, session_id, exam_id)
        direct = answers.cached_sources(db, cache, qid, mode) if cache is not None else None
        if direct is not None:

            def write(rec: AnswerRecord) -> RecordedAnswer:
                with db.direct_write() as conn:
                    return record_answer_direct(conn, rec)

            now = self.profile.clock.now()
            result, pending = answers.record(direct, given, now, self.calendar, write, cache)
        else:
            with db.unit_of_work() as session:
                result, pending = self._record(session, given, None, cache)
        study_cache.apply_answer(db, pending)  # only once the answer is committed
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
        Mock exam answers belong to their exam, not a study session.
        """
        given = GivenAnswer(qid, chosen, seconds, guessed, mode, None, exam_id)
        result, _pending = self._record(session, given, now, None)
        return result

    def _record(
        self,
        session: DbSession,
        given: GivenAnswer,
        now: datetime | None,
        cache: study_cache.StudyCache | None,
    ) -> tuple[AnswerResult, study_cache.PendingAnswer | None]:
        """Record one answer through ``session``; with ``cache`` (fresh as of this unit of
        work's start), read the row and settings from it and return what to apply to it
        after the commit."""
        if given.mode not in answers.ANSWER_MODES:
            raise ValueError(f"unknown answer mode {given.mode!r}")
        now = now or self.profile.clock.now()
        sources = answers.session_sources(self.profile.db, session, given.qid, cache)

        def write(rec: AnswerRecord) -> RecordedAnswer:
            return record_answer(session, rec)

        return answers.record(sources, given, now, self.calendar, write, cache)

    def undo_last(self) -> Outcome[int | None]:
        """Undo the newest practice answer exactly; the value is its question id or None."""
        with self.profile.db.unit_of_work() as session:
            undone = undo_last_answer(session, answers.UNDOABLE_MODES)
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
        """Questions due on each of ``days`` study days from today: :func:`.stats.forecast`."""
        return forecast(self.calendar, snap, days)

    def stats_of(self, snap: Snapshot) -> StatsReport:
        """:meth:`stats` of a snapshot already read."""
        return stats_of(self.profile.db, self.calendar, self.tz, snap)

    # ------------------------------------------------------------------ optimizer
    def optimize(self) -> Outcome[OptimizeReport]:
        """Fit personal FSRS parameters from the review log: :func:`.parameters.optimize`."""
        return optimize(self.profile, self.tz)
