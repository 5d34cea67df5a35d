"""Statistics over time, the facilitator's progress report, and the statistics export.

:meth:`ReportService.statistics` is what the Statistics screen shows: reviews per study
day (a year, for the calendar heatmap), accuracy, answers and time per week (overall and
per skill area), a 30-day due forecast, and mastery history. Study days roll over at
04:00 local time, as in :class:`~studyapp.services.study.service.StudyService`.

**Mastery history** is recomputed at the end of every week with
:func:`studyapp.domain.mastery.estimate_mastery`, from the log as it stood then. Two of
its three ingredients are exact (first-attempt evidence with its recency weighting, and
coverage, the share of the skill's questions seen by then). The third, the mean FSRS
retrievability of the seen questions at that moment, would need every question's memory
replayed through FSRS; instead it is approximated by the recall rate of review answers
(not first attempts) in the 28 days before the point, smoothed toward the desired
retention. FSRS schedules a review when retrievability has fallen to about the desired
retention, so this slightly understates the average between reviews, and a long pause
shows up only once reviews resume. The question counts are today's bank. The last point
(now) is Home's estimate itself (:meth:`StudyService.stats`), as are the forecast and the
streak: one source for each figure. See ``docs/learning-model.md``.

:meth:`ReportService.write_report` writes the progress report as a self-contained HTML
file, or as PDF through a :data:`PdfWriter` the caller supplies (the PDF engine is Qt's,
and only the UI layer may import Qt). :meth:`ReportService.write_csv` exports answers per
study day and skill area. Files are written atomically: a failed export leaves nothing.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from studyapp import fsutil
from studyapp.domain.errors import StudyAppError
from studyapp.domain.mastery import Mastery, SkillEvidence, estimate_mastery
from studyapp.domain.study_calendar import ROLLOVER_HOURS, StudyCalendar, streak
from studyapp.services.changes import Change, Outcome
from studyapp.services.profile import Profile
from studyapp.services.reports.html import render_report_html
from studyapp.services.reports.model import (
    DayActivity,
    ExamResult,
    MasteryPoint,
    ProgressReport,
    SkillSeries,
    Statistics,
    WeekActivity,
)
from studyapp.services.study.service import StudyService
from studyapp.services.study.snapshot import Snapshot
from studyapp.services.study.stats import StatsReport
from studyapp.storage.reports import (
    ActivityRow,
    DayShift,
    activity_by_day,
    first_answer_at,
    submitted_exams,
)
from studyapp.storage.settings import read_settings

EPOCH = date(1970, 1, 1)
HEATMAP_DAYS = 365
FORECAST_DAYS = 30
MAX_WEEKS = 52
MIN_WEEKS = 8
RECALL_WINDOW_DAYS = 28
RECALL_PRIOR_WEIGHT = 5.0
REPORT_FORMATS = ("html", "pdf")

# Writes HTML as a PDF file at the path (the UI layer provides Qt's engine).
PdfWriter = Callable[[str, Path], None]
Progress = Callable[..., None]


class ReportError(StudyAppError):
    """A report or export could not be written."""


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """A file an export wrote."""

    path: Path
    format: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "size": self.size}


def day_shifts(tz: tzinfo, start: datetime, end: datetime) -> tuple[DayShift, ...]:
    """The study-day shifts between ``start`` and ``end`` for the SQL queries: one per UTC
    offset in force (:meth:`studyapp.domain.study_calendar.StudyCalendar.shifts`)."""
    return tuple(
        DayShift(max(s.start_ms, 0), s.shift_ms)
        for s in StudyCalendar(tz, ROLLOVER_HOURS).shifts(start, end)
    )


def report_format(path: Path, requested: str | None) -> str:
    """The report format: as requested, else by the file's extension (default HTML)."""
    if requested is not None:
        if requested not in REPORT_FORMATS:
            raise ReportError(
                f"{requested!r} is not a report format; use one of: {', '.join(REPORT_FORMATS)}."
            )
        return requested
    return "pdf" if path.suffix.lower() == ".pdf" else "html"


def _day(n: int) -> date:
    return EPOCH + timedelta(days=n)


def _number(d: date) -> int:
    return (d - EPOCH).days


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


class ReportService:
    """Statistics over time and reports, on one profile."""

    def __init__(self, profile: Profile, tz: tzinfo | None = None) -> None:
        self.profile = profile
        self.study = StudyService(profile, tz)
        self.tz = self.study.tz

    # ------------------------------------------------------------------ statistics
    def statistics(self) -> Statistics:
        """The Statistics screen's data, as of now; a few grouped queries."""
        snap = self.study.snapshot()
        return self._statistics(snap, self.study.stats_of(snap))

    def _statistics(self, snap: Snapshot, stats: StatsReport) -> Statistics:
        """:meth:`statistics` beside the figures of ``stats`` (the one source): the forecast,
        the streak and the newest mastery point are read from it, never recomputed."""
        now = snap.now
        today = self.study.study_day(now)
        fw = snap.framework
        settings = snap.settings
        with self.profile.db.reader() as session:
            first = first_answer_at(session)
            start = min(first, now) if first else now
            shifts = day_shifts(
                self.tz,
                min(start, now - timedelta(days=HEATMAP_DAYS + 7)) - timedelta(days=1),
                now + timedelta(days=2),
            )
            activity = activity_by_day(session, shifts)

        per_day: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for a in activity:
            entry = per_day[a.day]
            entry[0] += a.answers
            entry[1] += a.answers if a.correct else 0
            entry[2] += a.response_ms
        days = tuple(
            DayActivity(d, *self._day_values(per_day, d))
            for d in (today - timedelta(days=i) for i in range(HEATMAP_DAYS - 1, -1, -1))
        )
        today_n = _number(today)
        forecast = self.study.forecast(snap, FORECAST_DAYS)
        first_day = min(per_day) if per_day else None
        weeks = self._weeks(today, first_day=_day(first_day) if first_day is not None else None)
        questions = snap.unseen.totals
        now_masteries = {s.id: s.mastery for s in stats.skills}
        by_skill: dict[str, list[ActivityRow]] = defaultdict(list)
        for a in activity:
            by_skill[a.skill].append(a)
        skills = tuple(
            self._series(
                s.id,
                s.title,
                s.weight,
                by_skill.get(s.id, []),
                weeks,
                today,
                learner_first_day=first_day,
                questions=questions.get(s.id, 0),
                now_mastery=now_masteries.get(s.id),
                retention=settings.desired_retention,
            )
            for s in fw.skill_areas
        )
        return Statistics(
            now=now,
            today=today,
            days=days,
            overall=_overall(activity, weeks, skills),
            skills=skills,
            forecast=forecast,
            total_answers=sum(v[0] for v in per_day.values()),
            total_minutes=sum(v[2] for v in per_day.values()) / 60_000,
            streak=streak({d: v[0] for d, v in per_day.items()}, today_n),
            target=stats.target,
            figures=tuple(s.figure for s in stats.skills),
            estimated=stats.view.estimated if stats.view else False,
        )

    # ------------------------------------------------------------------ report
    def report(self) -> ProgressReport:
        """The facilitator's progress report, as of now."""
        snap = self.study.snapshot()
        stats = self.study.stats_of(snap)
        statistics = self._statistics(snap, stats)
        with self.profile.db.reader() as session:
            exams = tuple(
                ExamResult(e.code, e.length, e.submitted_at, e.raw_correct, e.scaled_score)
                for e in submitted_exams(session)
            )
            name = read_settings(session).get("display_name")
        return ProgressReport(
            generated_at=statistics.now,
            tz=self.tz,
            app_version=self.profile.app_version,
            stats=stats,
            statistics=statistics,
            exams=exams,
            learner=name.strip() if isinstance(name, str) else "",
        )

    def write_report(
        self,
        path: Path,
        fmt: str | None = None,
        *,
        pdf_writer: PdfWriter | None = None,
        progress: Progress | None = None,
    ) -> Outcome[ExportedFile]:
        """Write the progress report as HTML or PDF (``fmt``, else by extension).

        The HTML is one self-contained file: inline CSS, no scripts, images or links, so
        it opens the same anywhere, offline. PDF needs ``pdf_writer``.
        """
        kind = report_format(path, fmt)
        if kind == "pdf" and pdf_writer is None:
            raise ReportError(
                f"This StudyApp cannot write PDF here; save {path.name} as HTML instead "
                "(--format html) and print it from a browser."
            )
        step = progress or (lambda *_args: None)
        step(0, 3, "Reading your progress…")
        document = render_report_html(self.report())
        step(1, 3, "Writing the report…")
        if kind == "html":
            write_report_file(path, document.encode("utf-8"))
        else:
            assert pdf_writer is not None
            write_report_pdf(path, document, pdf_writer)
        step(3, 3, "Done")
        return Outcome(ExportedFile(path, kind, path.stat().st_size), Change.NONE)

    def statistics_csv(self) -> str:
        """Answers per study day and skill area, all time, as CSV text.

        Columns: ``date`` (the study day, ISO), ``skill`` (id; "unassigned" for questions
        without one), ``skill_title``, ``answers``, ``correct``, ``minutes`` (time spent
        answering, one decimal).
        """
        fw = self.study.framework()
        now = self.profile.clock.now()
        with self.profile.db.reader() as session:
            first = first_answer_at(session) or now
            shifts = day_shifts(self.tz, min(first, now) - timedelta(days=1), now)
            activity = activity_by_day(session, shifts)
        totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for a in activity:
            entry = totals[(a.day, a.skill)]
            entry[0] += a.answers
            entry[1] += a.answers if a.correct else 0
            entry[2] += a.response_ms
        order = {s.id: i for i, s in enumerate(fw.skill_areas)}
        titles = {s.id: s.title for s in fw.skill_areas}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "skill", "skill_title", "answers", "correct", "minutes"])
        for (day, skill), (n, c, ms) in sorted(
            totals.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], len(order)), kv[0][1])
        ):
            title = titles.get(skill, "Unassigned" if skill == "unassigned" else skill)
            writer.writerow(
                [_day(day).isoformat(), _cell(skill), _cell(title), n, c, f"{ms / 60_000:.1f}"]
            )
        return out.getvalue()

    def write_csv(self, path: Path) -> Outcome[ExportedFile]:
        """Export :meth:`statistics_csv` to ``path`` (UTF-8), atomically."""
        write_report_file(path, self.statistics_csv().encode("utf-8"))
        return Outcome(ExportedFile(path, "csv", path.stat().st_size), Change.NONE)

    @staticmethod
    def _day_values(per_day: dict[int, list[int]], d: date) -> tuple[int, int, float]:
        n, c, ms = per_day.get(_number(d), (0, 0, 0))
        return n, c, ms / 60_000

    @staticmethod
    def _weeks(today: date, first_day: date | None) -> list[date]:
        current = _monday(today)
        earliest = current - timedelta(weeks=MAX_WEEKS - 1)
        start = _monday(first_day) if first_day else current
        start = min(max(start, earliest), current - timedelta(weeks=MIN_WEEKS - 1))
        return [start + timedelta(weeks=i) for i in range((current - start).days // 7 + 1)]

    def _series(
        self,
        skill_id: str,
        title: str,
        weight: float,
        activity: Sequence[ActivityRow],
        weeks: Sequence[date],
        today: date,
        *,
        learner_first_day: int | None,
        questions: int,
        now_mastery: Mastery | None,
        retention: float,
    ) -> SkillSeries:
        by_week = _weekly(activity, weeks)
        firsts = sorted((a.day, a.correct, a.answers) for a in activity if a.first_attempt)
        laters = sorted((a.day, a.correct, a.answers) for a in activity if not a.first_attempt)
        first_days = [d for d, _c, _n in firsts]
        later_days = [d for d, _c, _n in laters]
        points: list[MasteryPoint | None] = []
        today_n = _number(today)
        for week in weeks:
            end = min(_number(week) + 7, today_n + 1)  # exclusive: the point's study day + 1
            if learner_first_day is None or learner_first_day >= end:
                points.append(None)
                continue
            first = [
                (c, float(end - 1 - d), n) for d, c, n in firsts[: bisect_left(first_days, end)]
            ]
            upto = bisect_left(later_days, end)
            later = [(c, float(end - 1 - d), n) for d, c, n in laters[:upto]]
            seen = min(sum(n for _c, _a, n in first), questions) if questions else 0
            if end == today_n + 1 and now_mastery is not None:
                m = now_mastery  # now: Home's estimate itself, not a second computation
                points.append(MasteryPoint(week, m.mean, m.low, m.high))
                continue
            recent = laters[bisect_left(later_days, end - RECALL_WINDOW_DAYS) : upto]
            answered = sum(n for _d, _c, n in recent)
            right = sum(n for _d, c, n in recent if c)
            recall = (right + retention * RECALL_PRIOR_WEIGHT) / (answered + RECALL_PRIOR_WEIGHT)
            retr = [recall] if seen else []
            m = estimate_mastery(
                SkillEvidence(
                    skill_id=skill_id,
                    weight=weight,
                    questions=questions,
                    seen=seen,
                    first_attempts=first,
                    later_attempts=later,
                    retrievabilities=retr,
                )
            )
            points.append(MasteryPoint(week, m.mean, m.low, m.high))
        return SkillSeries(skill_id, title, weight, by_week, tuple(points))


def _weekly(activity: Sequence[ActivityRow], weeks: Sequence[date]) -> tuple[WeekActivity, ...]:
    """Answers, right answers and minutes per week (weeks outside the range are dropped)."""
    totals: dict[date, list[int]] = {w: [0, 0, 0] for w in weeks}
    for a in activity:
        entry = totals.get(_monday(_day(a.day)))
        if entry is not None:
            entry[0] += a.answers
            entry[1] += a.answers if a.correct else 0
            entry[2] += a.response_ms
    return tuple(WeekActivity(w, n, c, ms / 60_000) for w, (n, c, ms) in totals.items())


def _overall(
    activity: Sequence[ActivityRow], weeks: Sequence[date], skills: Sequence[SkillSeries]
) -> SkillSeries:
    """Every answer (unassigned ones too); mastery averaged with the blueprint weights.

    The overall points carry no range (low = high = mean): the skills' ranges are not
    independent pieces that could simply be added up.
    """
    total = sum(s.weight for s in skills) or 1.0
    points: list[MasteryPoint | None] = []
    for i, week in enumerate(weeks):
        pts = [(s.weight, s.mastery[i]) for s in skills]
        known = [(w, p) for w, p in pts if p is not None]
        if not known:
            points.append(None)
            continue
        mean = sum(w * p.mean for w, p in known) / (sum(w for w, _p in known) or total)
        points.append(MasteryPoint(week, mean, mean, mean))
    return SkillSeries("all", "All skill areas", 1.0, _weekly(activity, weeks), tuple(points))


def _streak(per_day: dict[int, list[int]], today: int) -> int:
    """Consecutive study days with answers, ending today (or yesterday, if none today)."""
    day = today if per_day.get(today, [0])[0] else today - 1
    streak = 0
    while per_day.get(day, [0])[0] > 0:
        streak += 1
        day -= 1
    return streak


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (titles may come from packs)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_failed(path: Path, exc: OSError) -> ReportError:
    return ReportError(
        f"Could not write {path}: {exc.strerror or exc}. Nothing was saved; choose another "
        "folder or file name."
    )


def write_report_file(path: Path, data: bytes) -> None:
    """Write ``data`` whole (:func:`studyapp.fsutil.write_atomically`); a ReportError if not."""
    try:
        fsutil.write_atomically(path, data)
    except OSError as exc:
        raise _write_failed(path, exc) from exc


def write_report_pdf(path: Path, document: str, pdf_writer: PdfWriter) -> None:
    """Let the PDF engine write beside ``path``; only a real PDF replaces the file."""

    def produce(tmp: Path) -> None:
        pdf_writer(document, tmp)
        with tmp.open("rb") as stream:
            head = stream.read(5)
        if head != b"%PDF-":
            raise ReportError(
                f"The PDF engine did not produce a PDF for {path}. Nothing was saved; "
                "save the report as HTML instead."
            )

    try:
        fsutil.write_atomically_with(path, produce)
    except OSError as exc:
        raise _write_failed(path, exc) from exc
