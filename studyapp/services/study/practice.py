"""What a practice session is made of: the planner's input, the planned questions ready
to show, and the plan with the sentences that explain it.

:class:`~studyapp.services.study.service.StudyService` plans through these;
:func:`plan_input` is the planner's view of a snapshot (``studyapp simulate`` builds its
own through the same :func:`~studyapp.domain.planner.build_plan_input`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from studyapp.domain.planner import Plan, PlanInput, QuestionState, build_plan_input
from studyapp.domain.question import Question
from studyapp.domain.study_calendar import StudyCalendar
from studyapp.services.study import cache as study_cache
from studyapp.services.study.session_size import SessionSize, session_size
from studyapp.services.study.snapshot import Snapshot
from studyapp.storage.database import Database
from studyapp.storage.question_rows import StoredQuestion, load_questions, load_referenced_media
from studyapp.storage.study import PlanningRow

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECOND = timedelta(milliseconds=1)


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


def plan_input(
    snap: Snapshot, calendar: StudyCalendar, *, indexed: bool = False, all_seen: bool = False
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
        questions = [question_state(snap, row) for row in rows]
    unseen_elsewhere = 0
    if indexed:
        now_ms = (now - EPOCH) // MILLISECOND  # floor: due_ms <= now_ms iff due <= now
        due_of = unseen.due_ms
        for at in unseen.others:
            row = rows[at]
            mem = row.memory
            if mem is not None and mem.reps > 0:
                if all_seen or due_of[at] <= now_ms:
                    questions.append(question_state(snap, row))
            else:
                unseen_elsewhere += 1
                questions.append(question_state(snap, row))
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
        today=calendar.local_date(now),
        daily_questions=session_size(settings.daily_goal_minutes, snap.pace).questions,
    )


def question_state(snap: Snapshot, row: PlanningRow) -> QuestionState:
    """A planning row as the planner sees it as of the snapshot (a burial counts as a
    suspension while it lasts)."""
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


def load_items(db: Database, plan: Plan, rng: random.Random) -> list[PracticeItem]:
    """The planned questions as stored, with their media, options shuffled by ``rng``
    (questions removed since planning are left out); the study cache remembers them, so
    answering one needs no read."""
    items = []
    with db.reader() as session:
        loaded = load_questions(session, (planned.qid for planned in plan.items))
        study_cache.remember_questions(db, loaded.values())
        for planned in plan.items:
            stored = loaded.get(planned.qid)
            if stored is None:
                continue
            order = [o.id for o in stored.question.options]
            rng.shuffle(order)
            data = load_referenced_media(session, stored)
            items.append(
                practice_item(
                    stored, tuple(order), planned.reason, planned.show_explanation_first, data
                )
            )
    return items


def practice_item(
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
