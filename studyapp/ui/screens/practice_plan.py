"""What the practice screen plans, shows and remembers, apart from its widgets.

The session's modes; the worker's side of planning a session (now, or ahead while the
learner reads, issue 21), whose functions receive only plain data and the profile (issue
19: no closure sent to the worker holds a widget); a practice item and its graded answer
as the question view shows them; the log the summary reads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from studyapp.domain.planner import Mode
from studyapp.domain.practice_summary import SessionAnswer, measured_masteries, summary_lines
from studyapp.services.study.answers import AnswerResult
from studyapp.services.study.practice import PracticeItem, PracticePlan
from studyapp.services.study.service import StudyService
from studyapp.services.study.stats import StatsReport
from studyapp.ui.widgets.question_view import Feedback, ShownOption, ShownQuestion

if TYPE_CHECKING:
    from studyapp.services.profile import Profile

log = logging.getLogger(__name__)

# (label in the drop-down, planner mode, what it does: shown under the drop-down, so the
# labels stay short enough for the minimum window at large fonts)
MODES: tuple[tuple[str, Mode, str], ...] = (
    ("Recommended", "default", "Weak areas first, with due reviews, paced to your exam date."),
    ("One skill area", "skill", "Questions from the skill area you choose below."),
    ("Missed questions", "missed", "Only questions you have answered wrongly before."),
    ("Unseen questions", "unseen", "Only questions you have not answered yet."),
    ("Cram", "cram", "Practice without changing your review schedule."),
)

StartKey = tuple[Mode, str | None, int]  # (mode, skill, size) a session is planned for


@dataclass(frozen=True, slots=True)
class Planned:
    """What the worker hands back when a session is planned."""

    practice: PracticePlan
    stats: StatsReport
    session_id: int | None  # the recorded study session (None: nothing to practise)
    ahead: bool = False  # the session planned ahead was shown (see PracticeScreen.start)


@dataclass
class Ahead:
    """The next session, planned on the worker thread while the learner reads the last
    feedback and the summary. Filled and read only on the worker thread (its one queue
    runs them in order), so "Practice more" finds it there without a round trip."""

    key: StartKey  # (mode, skill, size) it was planned for
    planned: tuple[PracticePlan, StatsReport] | None = None


@dataclass
class SessionLog:
    """What happened in this session, for the summary (whose rules are
    :mod:`studyapp.domain.practice_summary`)."""

    answers: list[tuple[PracticeItem, AnswerResult, float]] = field(default_factory=list)
    mastery_before: dict[str, float] = field(default_factory=dict)

    def summary_answers(self) -> list[SessionAnswer]:
        """The answers as the summary rules read them."""
        return [SessionAnswer(i.skill_title, r.correct, s) for i, r, s in self.answers]

    def summary(self, stats: StatsReport) -> list[str]:
        """The summary's lines, given the statistics after the session."""
        estimated = stats.view.estimated if stats.view else True
        return summary_lines(
            self.summary_answers(),
            self.mastery_before,
            measured_masteries(s.figure for s in stats.skills),
            stats.readiness.probability if estimated else None,
        )


def shown_question(item: PracticeItem) -> ShownQuestion:
    """``item`` as the question view shows it: options in the item's order."""
    q = item.question
    by_id = {o.id: o for o in q.options}
    return ShownQuestion(
        stem=q.stem,
        options=tuple(ShownOption(i, by_id[i].text) for i in item.option_order),
        multiple=q.type != "single",
        instruction=(
            f"Choose {len(q.correct_ids)} answers."
            if q.type == "multiple"
            else "Choose one answer."
        ),
        media=item.media_data,
    )


def feedback_on(item: PracticeItem, result: AnswerResult) -> Feedback:
    """The feedback the question view shows for ``result``, the graded answer to ``item``."""
    q = item.question
    leech = "You have missed this question often; it will come back with its explanation first."
    return Feedback(
        correct=result.correct,
        chosen=frozenset(result.chosen),
        keyed=frozenset(o.id for o in q.options if o.correct),
        rationales={o.id: o.rationale for o in q.options},
        explanation=q.explanation,
        references=tuple(q.references),
        detail=leech if result.became_leech else "",
    )


def plan_ahead(slot: Ahead, profile: Profile) -> None:
    """Worker: plan the session ``slot`` is for and keep it there. Speculative: a failure
    is logged, and the plan made on click reports it."""
    mode, skill, size = slot.key
    try:
        service = StudyService(profile)
        practice = service.plan_ahead(size, mode=mode, skill=skill)
        slot.planned = (practice, service.stats())
    except Exception:  # speculative work: the click plans again
        log.warning("planning the next session ahead failed", exc_info=True)


def plan_session(key: StartKey, slot: Ahead | None, profile: Profile) -> Planned:
    """Worker: the session planned ahead in ``slot`` if it still stands for a plan made
    now (``StudyService.plan_is_current``), else one planned now; recorded as a study
    session when it holds questions."""
    mode, skill, size = key
    service = StudyService(profile)
    ahead = slot.planned if slot is not None else None
    used = ahead is not None and service.plan_is_current(ahead[0])
    if ahead is not None and used:
        practice, stats = ahead
    else:
        stats = service.stats()
        practice = service.plan_practice(size, mode=mode, skill=skill)
    session = service.start_session(mode, skill, len(practice.items)) if practice.items else None
    return Planned(practice, stats, session, used)
