"""Home's figures persisted between sessions, so a start-up can show them at once.

Computing Home's statistics on a large profile takes seconds after a cold start (the study
cache is filled first). Every time they are computed (:func:`compute_and_save`), what Home
shows — per-skill mastery, readiness and estimated score, due counts, streak, today's
answers, days to the exam — is written to ``home-summary.json`` in the profile folder
with the fingerprint of the database state it describes
(:func:`studyapp.storage.fingerprint.database_fingerprint`) and the end of the study day
it was computed in. At the next start :func:`load_summary` returns it only when

- the file is of this format and whole (it is replaced atomically),
- the database's fingerprint now is the stored one (same answers, questions, packs,
  frameworks, settings, memory states), and
- the clock is inside the study day it was computed in, and before the next local
  midnight (streak and "today" are per study day, the exam countdown per calendar day;
  a clock a little behind, as with ``--now``, is still that day),

and Home shows it marked as updating until the fresh figures replace it. Anything else —
another profile's file, a change made by a CLI command or another tool, a restored
backup, a new day, a damaged or missing file — gives None and Home computes as before.
Due counts are as of the moment they were computed, at most one study day old, and
are replaced within seconds.

This module is imported before the main window shows: it must not import SQLAlchemy
(``load_summary`` reads with plain ``sqlite3``; the study service is imported only inside
:func:`compute_and_save`, on the worker thread).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp import fsutil
from studyapp.config import AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.figures import SkillFigure
from studyapp.storage.fingerprint import database_fingerprint

if TYPE_CHECKING:
    from studyapp.services.profile import Profile
    from studyapp.services.study.stats import StatsReport

log = logging.getLogger(__name__)

SUMMARY_FILE = "home-summary.json"
FORMAT = 2  # 2: evidence per skill area, readiness reasons, the exam's own figures


@dataclass(frozen=True, slots=True)
class CategoryLine:
    """A reporting category as Home lists it."""

    id: str
    title: str
    weight: float


@dataclass(frozen=True, slots=True)
class SkillLine:
    """One skill area's line on Home."""

    id: str
    title: str
    category: str
    weight: float
    questions: int
    seen: int
    due: int
    leeches: int
    mean: float
    low: float
    high: float
    answers: int = 0

    @property
    def figure(self) -> SkillFigure:
        """The line as :mod:`studyapp.domain.figures` reads it."""
        return SkillFigure(
            self.id,
            self.title,
            self.weight,
            self.answers,
            self.mean,
            self.low,
            self.high,
            self.questions,
        )


@dataclass(frozen=True, slots=True)
class HomeSummary:
    """What Home shows, and whether it was persisted (True) or just computed."""

    categories: tuple[CategoryLine, ...]
    skills: tuple[SkillLine, ...]
    reviews: int
    streak: int
    today_answers: int
    days_to_exam: int | None
    probability: float
    expected_scaled: int
    scaled_low: int
    scaled_high: int
    cut: int
    length: int
    computed_at: datetime
    # The exam's own scaled-score figures (the target framework's exam definition): no
    # default, so nothing can show a made-up "of 800" when a framework says otherwise.
    scale_max: int
    pass_scaled: int
    persisted: bool = False
    # Readiness may be shown only when ``estimated``; else ``needed`` more answers.
    estimated: bool = False
    needed: int = 0
    mocks_below: bool = False
    why: tuple[str, ...] = ()

    @classmethod
    def from_report(cls, report: StatsReport, computed_at: datetime) -> HomeSummary:
        """The part of ``report`` Home shows."""
        r = report.readiness
        return cls(
            categories=tuple(
                CategoryLine(c.id, c.title, c.weight) for c in report.framework.categories
            ),
            skills=tuple(
                SkillLine(
                    s.id,
                    s.title,
                    s.category,
                    s.weight,
                    s.questions,
                    s.seen,
                    s.due,
                    s.leeches,
                    s.mastery.mean,
                    s.mastery.low,
                    s.mastery.high,
                    s.answers,
                )
                for s in report.skills
            ),
            reviews=report.reviews,
            streak=report.streak,
            today_answers=report.today_answers,
            days_to_exam=report.days_to_exam,
            probability=r.probability,
            expected_scaled=r.expected_scaled,
            scaled_low=r.scaled_low,
            scaled_high=r.scaled_high,
            cut=r.cut,
            length=r.length,
            computed_at=computed_at,
            scale_max=report.framework.exam.scale_max,
            pass_scaled=report.framework.exam.pass_scaled,
            estimated=report.view.estimated if report.view else False,
            needed=report.view.needed if report.view else 0,
            mocks_below=report.view.mocks_below if report.view else False,
            why=tuple(w.text for w in report.view.why) if report.view else (),
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON document of the figures (``persisted`` is not stored)."""
        doc = asdict(self)
        doc.pop("persisted")
        doc["computed_at"] = self.computed_at.isoformat()
        return doc

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> HomeSummary:
        """The summary :meth:`to_json` wrote, marked persisted; KeyError/TypeError/ValueError
        when the document is not one."""
        return cls(
            categories=tuple(CategoryLine(**c) for c in doc["categories"]),
            skills=tuple(SkillLine(**s) for s in doc["skills"]),
            reviews=int(doc["reviews"]),
            streak=int(doc["streak"]),
            today_answers=int(doc["today_answers"]),
            days_to_exam=None if doc["days_to_exam"] is None else int(doc["days_to_exam"]),
            probability=float(doc["probability"]),
            expected_scaled=int(doc["expected_scaled"]),
            scaled_low=int(doc["scaled_low"]),
            scaled_high=int(doc["scaled_high"]),
            cut=int(doc["cut"]),
            length=int(doc["length"]),
            computed_at=_aware(doc["computed_at"]),
            persisted=True,
            scale_max=int(doc["scale_max"]),
            pass_scaled=int(doc["pass_scaled"]),
            estimated=bool(doc["estimated"]),
            needed=int(doc["needed"]),
            mocks_below=bool(doc["mocks_below"]),
            why=tuple(str(w) for w in doc["why"]),
        )


def summary_path(paths: AppPaths) -> Path:
    """Where the profile's summary lives (beside its database)."""
    return paths.data_dir / SUMMARY_FILE


def _aware(text: Any) -> datetime:
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError("a summary's moments carry their time zone")
    return moment


def save_summary(
    paths: AppPaths,
    summary: HomeSummary,
    fingerprint: str,
    valid_from: datetime,
    valid_until: datetime,
) -> bool:
    """Write ``summary`` for the database state ``fingerprint``, valid in the study day
    ``valid_from`` to ``valid_until`` (excluded).

    Written to a temporary file and renamed over the old one, so a reader sees the old
    summary or the new one, never half of one. A failure (read-only folder, full disk) is
    logged and returns False: the summary is only a speed-up.
    """
    target = summary_path(paths)
    doc = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat(),
        "summary": summary.to_json(),
    }
    try:
        fsutil.write_atomically(target, json.dumps(doc, separators=(",", ":")).encode("utf-8"))
    except OSError as exc:
        log.warning("Home's summary was not saved: %s", exc)
        return False
    return True


def discard_summary(paths: AppPaths) -> None:
    """Remove the persisted summary (nothing happens if there is none)."""
    try:
        summary_path(paths).unlink(missing_ok=True)
    except OSError as exc:
        log.warning("Home's summary could not be removed: %s", exc)


def load_summary(paths: AppPaths, clock: Clock) -> HomeSummary | None:
    """The persisted summary if it still describes this database today; else None.

    Never raises for a missing, damaged or foreign file: the caller then computes.
    """
    target = summary_path(paths)
    try:
        doc = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            return None
        summary = HomeSummary.from_json(doc["summary"])
        valid_from = _aware(doc["valid_from"])
        valid_until = _aware(doc["valid_until"])
        stored = str(doc["fingerprint"])
    except (KeyError, TypeError, ValueError):
        return None
    if not valid_from <= clock.now() < valid_until:
        return None  # another study day
    if database_fingerprint(paths.database) != stored:
        return None
    return summary


def compute_and_save(profile: Profile) -> StatsReport:
    """Home's statistics now (:meth:`StudyService.stats`), persisted for the next start.

    Runs on the worker thread, the profile's only writer, so the fingerprint read after
    the statistics describes the state they were computed from.
    """
    from studyapp.services.study.service import StudyService  # heavy: only once the profile is open

    service = StudyService(profile)
    report = service.stats()
    now = profile.clock.now()
    fingerprint = database_fingerprint(profile.paths.database)
    if fingerprint is not None:
        today = service.study_day(now)
        save_summary(
            profile.paths,
            HomeSummary.from_report(report, now),
            fingerprint,
            service.day_start(today),
            service.calendar.next_change(now),
        )
    return report
