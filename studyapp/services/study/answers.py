"""Grading and recording one answer: the one path both ways of writing it share.

An answer is written one of two ways. While studying, with a study cache as of the last
commit that knows the question, nothing is read through SQLAlchemy: the question, its
planning row and the settings come from the cache and the answer is one direct
transaction. Otherwise (a cold cache, a mock exam's answers inside its own unit of work)
they are read through the session. Either way the same :class:`AnswerSources` go through
:func:`record`: graded (the rule is :func:`studyapp.domain.grading.grade_answer`), written
by the way's own writer, and turned into the feedback and the change the study cache
takes once the answer is committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from studyapp.domain.errors import QuestionGoneError
from studyapp.domain.grading import PriorState, ScheduleContext, grade_answer
from studyapp.domain.settings import Settings
from studyapp.domain.study_calendar import StudyCalendar
from studyapp.services.study import cache as study_cache
from studyapp.services.study.parameters import PARAMETERS_KEY, fitted_parameters
from studyapp.storage.database import Database
from studyapp.storage.exams import DbSession
from studyapp.storage.question_rows import StoredQuestion, load_question
from studyapp.storage.review_log import AnswerRecord, RecordedAnswer, row_after_answer
from studyapp.storage.settings import read_settings
from studyapp.storage.study import PlanningRow, load_planning_row
from studyapp.storage.types import to_millis

ANSWER_MODES = ("practice", "cram", "drill", "exam")
UNDOABLE_MODES = ("practice", "cram", "drill")


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
class GivenAnswer:
    """What the learner did: the options chosen, how long it took, and where it belongs
    (``session_id``: a study session; ``exam_id``: a mock exam)."""

    qid: int
    chosen: Sequence[str]
    seconds: float
    guessed: bool = False
    mode: str = "practice"
    session_id: int | None = None
    exam_id: int | None = None


@dataclass(frozen=True, slots=True)
class AnswerSources:
    """What grading an answer reads: the question, its planning row before the answer
    (None: unknown) and the stored settings (retention, exam date, fitted parameters)."""

    stored: StoredQuestion
    row: PlanningRow | None
    settings: dict[str, Any]


def cached_sources(
    db: Database, cache: study_cache.StudyCache, qid: int, mode: str
) -> AnswerSources | None:
    """The sources from a fresh study cache alone, or None when the answer must go through
    a unit of work (direct writes off, an unknown mode, a question the cache does not know)."""
    if not db.direct_writes or mode not in ANSWER_MODES:
        return None
    stored = study_cache.known_question(db, qid)
    row = cache.row(qid) if stored is not None else None
    if stored is None or row is None:
        return None
    stored_settings = cache.stored_settings
    if stored_settings is None:
        with db.reader() as session:
            stored_settings = cache.settings(session)
    return AnswerSources(stored, row, stored_settings)


def session_sources(
    db: Database, session: DbSession, qid: int, cache: study_cache.StudyCache | None
) -> AnswerSources:
    """The sources read through ``session``; with ``cache`` (fresh as of this unit of
    work's start) the row and settings come from it."""
    stored = study_cache.known_question(db, qid) or load_question(session, qid)
    if stored is None:
        raise QuestionGoneError(qid)
    stored_settings = cache.settings(session) if cache else read_settings(session)
    row = cache.row(qid) if cache else None
    row = row or load_planning_row(session, qid)
    return AnswerSources(stored, row, stored_settings)


def record(
    sources: AnswerSources,
    given: GivenAnswer,
    now: datetime,
    calendar: StudyCalendar,
    write: Callable[[AnswerRecord], RecordedAnswer],
    cache: study_cache.StudyCache | None,
) -> tuple[AnswerResult, study_cache.PendingAnswer | None]:
    """Grade ``given`` as of ``now``, write it with ``write``, and return its feedback and,
    with ``cache`` and a known row, what to apply to the cache once it is committed."""
    rec = prepare(sources, given, now, calendar)
    recorded = write(rec)
    row = sources.row
    pending = None
    if cache is not None and row is not None:
        pending = pending_answer(cache, row, rec, recorded)
    return answer_result(rec, row, recorded, sources.stored), pending


def prepare(
    sources: AnswerSources, given: GivenAnswer, now: datetime, calendar: StudyCalendar
) -> AnswerRecord:
    """What an answer writes: graded, rated, rescheduled.

    The grading rule itself is :func:`studyapp.domain.grading.grade_answer`; this gathers
    its inputs (settings, fitted parameters, the study day) and shapes the row.
    """
    stored, row = sources.stored, sources.row
    settings = Settings.from_stored(sources.settings)
    exam_date = date.fromisoformat(settings.exam_date) if settings.exam_date else None
    graded = grade_answer(
        stored.question,
        given.chosen,
        given.seconds,
        guessed=given.guessed,
        mode=given.mode,
        prior=PriorState(row.memory, row.wrong_count, row.leech) if row else PriorState(),
        now=now,
        schedule=ScheduleContext(
            calendar.day_of(now),
            exam_date,
            settings.desired_retention,
            fitted_parameters(sources.settings.get(PARAMETERS_KEY)),
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
        response_ms=int(given.seconds * 1000),
        mode=given.mode,
        rating=int(graded.rating),
        guessed=given.guessed,
        after=graded.after,
        wrong_count=graded.wrong_count,
        leech=graded.leech,
        session_id=given.session_id,
        exam_id=given.exam_id,
    )


def pending_answer(
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


def answer_result(
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
