"""The learner as of one moment: what planning and statistics start from.

:func:`read_snapshot` reads it in one reader session, through the study cache
(:mod:`.cache`): the planning rows, the never-answered index, the evidence of answers
and of mock exams, the pace, and the masteries and readiness they give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from studyapp.domain.framework import Framework
from studyapp.domain.mastery import Mastery, Readiness, estimate_masteries, readiness
from studyapp.domain.memory import forgetting_curve
from studyapp.domain.settings import Settings
from studyapp.domain.study_calendar import StudyCalendar
from studyapp.services.study import cache as study_cache
from studyapp.services.study.recall import Recall
from studyapp.services.study.session_size import PACE_WINDOW, Pace, pace_of
from studyapp.storage.database import Database
from studyapp.storage.exams import DbSession, load_exam, submitted_exams
from studyapp.storage.sessions import recent_response_ms
from studyapp.storage.study import PlanningRow, new_introduced_since

# exam id -> (question id, correct) per answered position of a submitted mock exam
ExamItems = dict[int, tuple[tuple[int | None, bool | None], ...]]


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


def read_snapshot(
    db: Database,
    calendar: StudyCalendar,
    now: datetime,
    fw: Framework,
    params: tuple[float, ...],
    exam_items: ExamItems,
) -> Snapshot:
    """Read everything planning and statistics need as of ``now``, in one reader session.

    ``exam_items`` keeps each submitted mock exam's items once read (the caller's, so a
    service reads each exam once).
    """
    curve = forgetting_curve(params)
    with db.reader() as session:
        cache = study_cache.current(db, session)
        # Read through the cache, so the next answer finds the settings there.
        settings = Settings.from_stored(cache.settings(session))
        rows = cache.rows
        unseen = cache.unseen_index()
        evidence = cache.evidence(now)
        new_today = new_introduced_since(session, calendar.start_of(calendar.day_of(now)))
        mocks = mock_evidence(session, now, fw.id, cache, exam_items)
        pace = pace_of(recent_response_ms(session, PACE_WINDOW))
    recall = cache.recall(now, curve)
    retr = recall.retrievability
    masteries = skill_masteries(fw, unseen.totals, recall, evidence, mocks)
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


def skill_masteries(
    fw: Framework,
    totals: Mapping[str | None, int],
    recall: Recall,
    evidence: dict[str, dict[bool, list[tuple[bool, float, int]]]],
    mocks: Mapping[str, list[tuple[bool, float, int]]] | None = None,
) -> dict[str, Mastery]:
    """Each skill area's mastery from its questions, the recall of those seen, the
    evidence of answers and (when given) of mock exams."""
    return estimate_masteries(
        [(s.id, s.weight) for s in fw.skill_areas],
        totals,
        recall.seen,
        recall.retention,
        evidence,
        mocks,
    )


def mock_evidence(
    session: DbSession,
    now: datetime,
    framework_id: str,
    cache: study_cache.StudyCache,
    exam_items: ExamItems,
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
        items = exam_items.get(header.id)
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
            exam_items[header.id] = items
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
