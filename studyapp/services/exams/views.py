"""What the exam service hands to screens and the CLI: frozen values, never ORM rows.

Every view is complete for its screen (no lazy loading on the GUI thread), and those the
CLI prints have a ``to_json`` whose keys only grow over time. :func:`exam_view` builds
the exam view from a stored exam.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, cast

from studyapp.domain.exam_code import Selection, share_line
from studyapp.domain.exam_score import ExamScore, Tally
from studyapp.domain.question import Question
from studyapp.storage.exams import StoredExam

ReviewFilter = Literal["all", "wrong", "flagged"]


@dataclass(frozen=True, slots=True)
class ExamRequest:
    """An exam as the setup screen describes it (an exam code describes one too)."""

    blueprint: str | None = None  # None: the profile's target framework
    length: int | None = None  # None: the blueprint's full length
    seed: int | None = None  # None: a fresh random seed
    selection: Selection = "mixed"
    skills: tuple[str, ...] = ()  # empty: every skill area


@dataclass(frozen=True, slots=True)
class SkillChoice:
    """A skill area on the setup screen, with how many questions it could draw from."""

    id: str
    title: str
    category: str
    weight: float
    available: int


@dataclass(frozen=True, slots=True)
class SetupInfo:
    """Everything the exam setup screen shows before an exam exists."""

    blueprint: str
    title: str
    full_length: int
    full_minutes: int
    time_limit_published: bool
    time_note: str
    assumed_cut: float
    skills: tuple[SkillChoice, ...]
    selections: tuple[Selection, ...]


@dataclass(frozen=True, slots=True)
class BuiltExam:
    """The exam a code stands for, without sitting it (``studyapp exam build``)."""

    code: str
    share_line: str
    blueprint: str
    length: int
    seed: int
    selection: Selection
    skills: tuple[str, ...]
    counts: dict[str, int]
    questions: tuple[tuple[str, str], ...]  # (pack/question, skill) in exam order
    pack_versions: dict[str, str]
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "questions": [{"id": ref, "skill": skill} for ref, skill in self.questions],
            "share_line": self.share_line,
            "blueprint": self.blueprint,
            "length": self.length,
            "seed": self.seed,
            "selection": self.selection,
            "skills": list(self.skills),
            "counts": dict(self.counts),
            "packs": dict(self.pack_versions),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class ItemView:
    """One question in the navigator."""

    position: int
    ref: str
    skill: str
    answered: bool
    flagged: bool


@dataclass(frozen=True, slots=True)
class ExamView:
    """A sitting as the exam screen shows it: clock, position, navigator.

    ``status`` is ``not_started``, ``running``, ``paused`` or ``submitted``; a sitting
    that was running when the app stopped shows as ``paused`` with ``interrupted`` set
    (the time while the app was closed did not count). ``remaining_ms`` is the truth as
    of this view; the countdown widget only redraws from it.
    """

    id: int
    code: str
    share_line: str
    blueprint: str
    title: str
    length: int
    selection: Selection
    skills: tuple[str, ...]
    status: str
    interrupted: bool
    elapsed_ms: int
    limit_ms: int
    remaining_ms: int
    current: int
    answered: int
    flagged: int
    items: tuple[ItemView, ...]
    hide_when_paused: bool
    ended_by: str | None
    created_at: datetime

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"

    def to_json(self) -> dict[str, Any]:
        return {
            "exam": self.id,
            "code": self.code,
            "share_line": self.share_line,
            "blueprint": self.blueprint,
            "length": self.length,
            "selection": self.selection,
            "skills": list(self.skills),
            "status": self.status,
            "interrupted": self.interrupted,
            "elapsed_ms": self.elapsed_ms,
            "time_limit_ms": self.limit_ms,
            "remaining_ms": self.remaining_ms,
            "position": self.current + 1,
            "answered": self.answered,
            "flagged": self.flagged,
            "unanswered": self.length - self.answered,
            "ended_by": self.ended_by,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class DisplayOption:
    """An option as shown during the exam: no correctness, no rationale."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class ExamQuestion:
    """One question as the sitting screen shows it (no feedback until the end).

    ``available`` is false when the question's pack was removed during the sitting; it
    then cannot be answered and counts as unanswered.
    """

    exam_id: int
    position: int
    ref: str
    skill: str
    skill_title: str | None
    stem: str
    multiple: bool
    options: tuple[DisplayOption, ...]
    chosen: tuple[str, ...]
    flagged: bool
    available: bool
    qid: int | None
    media_data: dict[str, bytes] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class ReviewList:
    """What to look at before submitting (positions are 0-based)."""

    unanswered: tuple[int, ...]
    flagged: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ResultItem:
    """One question in the result review: the learner's answer, the key, the reasons."""

    position: int
    ref: str
    skill: str
    skill_title: str | None
    question: Question | None  # None when its pack has since been removed
    option_order: tuple[str, ...]
    chosen: tuple[str, ...]
    correct_ids: tuple[str, ...]
    correct: bool
    flagged: bool
    time_ms: int

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position + 1,
            "id": self.ref,
            "skill": self.skill,
            "chosen": list(self.chosen),
            "key": list(self.correct_ids),
            "correct": self.correct,
            "flagged": self.flagged,
            "time_ms": self.time_ms,
        }


def _tally(t: Tally) -> dict[str, Any]:
    return {"id": t.id, "title": t.title, "correct": t.correct, "total": t.total}


@dataclass(frozen=True, slots=True)
class ExamResult:
    """A submitted sitting's score report, and the questions ``which`` selects."""

    exam: ExamView
    score: ExamScore
    which: ReviewFilter
    items: tuple[ResultItem, ...]
    submitted_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        s = self.score
        return {
            **self.exam.to_json(),
            "raw": s.raw,
            "answered_count": s.answered,
            "percent": round(s.percent, 1),
            "scaled_estimate": s.scaled,
            "scale_max": s.scale_max,
            "pass_scaled": s.pass_scaled,
            "passed_estimate": s.passed,
            "assumed_raw_cut": s.cut_raw,
            "assumed_cut_fraction": s.cut_fraction,
            "categories": [_tally(t) for t in s.by_category],
            "skills_breakdown": [_tally(t) for t in s.by_skill],
            "total_time_ms": s.total_time_ms,
            "mean_time_ms": s.mean_time_ms,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "review": self.which,
            "items": [i.to_json() for i in self.items],
        }


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One submitted sitting in the history."""

    id: int
    code: str
    length: int
    selection: str
    submitted_at: datetime | None
    raw: int
    percent: float
    scaled: int
    passed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "exam": self.id,
            "code": self.code,
            "length": self.length,
            "selection": self.selection,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "raw": self.raw,
            "percent": round(self.percent, 1),
            "scaled_estimate": self.scaled,
            "passed_estimate": self.passed,
        }


@dataclass(frozen=True, slots=True)
class ExamHistory:
    """Submitted sittings, oldest first, with the trend of the estimated scaled score."""

    entries: tuple[HistoryEntry, ...]
    trend_scaled_per_exam: float | None  # least-squares slope over the last TREND_WINDOW
    trend_percent_per_exam: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "exams": [e.to_json() for e in self.entries],
            "trend_scaled_per_exam": None
            if self.trend_scaled_per_exam is None
            else round(self.trend_scaled_per_exam, 2),
            "trend_percent_per_exam": None
            if self.trend_percent_per_exam is None
            else round(self.trend_percent_per_exam, 2),
        }


def exam_view(stored: StoredExam, title: str) -> ExamView:
    """The view of a stored exam (``title``: its framework's, for the screens)."""
    s = stored.sitting
    status = "paused" if s.interrupted else s.status.value
    selection = cast(Selection, stored.selection)
    return ExamView(
        id=stored.id,
        code=stored.code,
        share_line=share_line(stored.code, stored.pack_versions),
        blueprint=stored.blueprint,
        title=title,
        length=stored.length,
        selection=selection,
        skills=tuple(stored.options.get("skills", ())),
        status=status,
        interrupted=s.interrupted,
        elapsed_ms=s.elapsed_ms,
        limit_ms=s.limit_ms,
        remaining_ms=s.remaining_ms,
        current=s.current,
        answered=s.answered,
        flagged=s.flagged,
        items=tuple(ItemView(i.position, i.ref, i.skill, i.answered, i.flagged) for i in s.items),
        hide_when_paused=bool(stored.options.get("hide_when_paused", True)),
        ended_by=s.ended_by,
        created_at=stored.created_at,
    )
