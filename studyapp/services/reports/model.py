"""What the Statistics screen and the progress report show: plain frozen data.

Computed by :class:`studyapp.services.reports.service.ReportService`, rendered by
:mod:`studyapp.services.reports.html` and the Statistics screen. A module of its own so
that the renderer needs only the data, not the service (which itself uses the renderer):
no import circle between the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from studyapp.domain.figures import SkillFigure

if TYPE_CHECKING:
    from studyapp.services.study.stats import StatsReport


@dataclass(frozen=True, slots=True)
class DayActivity:
    """One study day: answers, right answers and minutes spent answering."""

    day: date
    answers: int
    correct: int
    minutes: float


@dataclass(frozen=True, slots=True)
class WeekActivity:
    """One study week (Monday to Sunday) of one skill area, or of all of them."""

    week: date  # the Monday
    answers: int
    correct: int
    minutes: float

    @property
    def accuracy(self) -> float | None:
        """Share of right answers, or None for a week without answers."""
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True, slots=True)
class MasteryPoint:
    """Estimated mastery at the end of a week (now, for the current week)."""

    week: date
    mean: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class SkillSeries:
    """Weekly activity and mastery of one skill area (``id`` "all": every skill area).

    ``mastery`` has one entry per week; None before the learner's first answer.
    """

    id: str
    title: str
    weight: float
    weeks: tuple[WeekActivity, ...]
    mastery: tuple[MasteryPoint | None, ...]


@dataclass(frozen=True, slots=True)
class Statistics:
    """Everything the Statistics screen shows, as of ``now``."""

    now: datetime
    today: date
    days: tuple[DayActivity, ...]  # the last HEATMAP_DAYS study days, oldest first
    overall: SkillSeries
    skills: tuple[SkillSeries, ...]
    forecast: tuple[tuple[date, int], ...]  # FORECAST_DAYS days from today; overdue today
    total_answers: int
    total_minutes: float
    streak: int
    target: float  # the assumed raw cut as a share: the mastery a pass needs on average
    # Each skill area's evidence and mastery now, as Home shows them (same order as skills).
    figures: tuple[SkillFigure, ...] = ()
    estimated: bool = False  # readiness (and overall mastery) rests on enough answers

    def figure(self, skill_id: str) -> SkillFigure | None:
        """The skill area's figure now (None for "all" or an unknown id)."""
        return next((f for f in self.figures if f.id == skill_id), None)

    @property
    def weeks(self) -> tuple[date, ...]:
        """The Mondays of the weeks shown, oldest first."""
        return tuple(w.week for w in self.overall.weeks)

    def series(self, skill_id: str) -> SkillSeries:
        """The series of a skill area id, or the overall one for "all"."""
        if skill_id == self.overall.id:
            return self.overall
        return next(s for s in self.skills if s.id == skill_id)


@dataclass(frozen=True, slots=True)
class ExamResult:
    """A submitted mock exam."""

    code: str
    length: int
    submitted_at: datetime
    raw_correct: int | None
    scaled_score: int | None


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """What the facilitator's report shows."""

    generated_at: datetime
    tz: tzinfo
    app_version: str
    stats: StatsReport
    statistics: Statistics
    exams: tuple[ExamResult, ...]
    learner: str = ""  # the display name, when the profile has one
