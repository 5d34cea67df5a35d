"""Statistics as of one snapshot: per-skill mastery, readiness, streak, forecast, time.

:class:`StatsReport` is the one source of every figure ``studyapp stats``, Home, the
Statistics screen and the progress report show; :func:`stats_of` computes it from a
:class:`~studyapp.services.study.snapshot.Snapshot` and the study cache's answer times.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

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
from studyapp.domain.mastery import Mastery, Readiness
from studyapp.domain.study_calendar import DAY_MS, Shift, StudyCalendar, day_number, streak
from studyapp.services.study import cache as study_cache
from studyapp.services.study.snapshot import Snapshot
from studyapp.storage.database import Database
from studyapp.storage.exams import submitted_exams
from studyapp.storage.types import to_millis


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


def forecast(calendar: StudyCalendar, snap: Snapshot, days: int) -> tuple[tuple[date, int], ...]:
    """Questions due on each of ``days`` study days from today; overdue ones today.

    The one forecast: ``stats`` (14 days) and the Statistics screen (30) read it.
    """
    cal = calendar
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


def stats_of(db: Database, calendar: StudyCalendar, tz: tzinfo, snap: Snapshot) -> StatsReport:
    """The statistics of a snapshot already read (``tz``: the learner's, for mock exams'
    finishing times)."""
    now = snap.now
    cal = calendar
    today = cal.day_of(now)
    fw = snap.framework
    questions = snap.unseen.totals
    seen, due, leeches = snap.recall.seen, snap.recall.due, snap.recall.leeches
    unassigned = questions.get(None, 0)
    since = now - timedelta(days=400)
    shifts = cal.shifts(since, now + timedelta(days=1))
    cut = snap.settings.assumed_raw_cut or fw.exam.assumed_raw_cut
    with db.reader() as session:
        cache = study_cache.current(db, session)
        reviews = cache.count
        per_day = answers_per_day(cache, since, shifts)
        answers = answers_per_skill(cache)
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
    ahead = forecast(calendar, snap, 14)
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
        [replace(m, finished_at=m.finished_at.astimezone(tz)) for m in mocks],
        reviews=reviews,
        target=cut,
    )
    return StatsReport(
        framework=fw,
        skills=skills,
        readiness=snap.readiness,
        reviews=reviews,
        streak=streak({d: n for d, (n, _c) in per_day.items()}, day_number(today)),
        forecast=ahead,
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


def answers_per_day(
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


def answers_per_skill(cache: study_cache.StudyCache) -> dict[str, int]:
    """Skill area id -> every answer given in it (the evidence count)."""
    out: dict[str, int] = {}
    for (skill, _first, _correct), group in cache.times.items():
        out[skill] = out.get(skill, 0) + len(group)
    return out
