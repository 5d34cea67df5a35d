"""Mock exams: build from a blueprint or a code, sit with a crash-safe clock, score, review.

Contract for front ends (the exam screens and ``studyapp exam``):

- Every call that changes a sitting commits before it returns: each answer and flag,
  each navigation, and :meth:`ExamService.tick`, which the screen calls every few seconds
  while the exam runs. So a crash loses at most the seconds since the last call.
- Time is the stored active time (``elapsed_ms``), advanced from monotonic readings
  (``mono``; default ``profile.clock.monotonic()``). The reading an advance starts from
  (the *anchor*) lives only in this process (per open :class:`Profile`): after a crash or
  restart a running sitting shows as ``paused`` and ``interrupted``, and :meth:`resume`
  continues with the remaining time as it was. A gap of more than ``max_gap_s``
  (60 s) between two readings counts as sleep, not exam time; tick more often than that.
- When the time runs out, the next call submits the exam by itself and returns the
  submitted view (an answer given too late is not taken).
- Positions are 0-based everywhere in this API (the JSON documents count from 1). A
  screen that stops ticking (hidden, or the exam left) should :meth:`pause` first;
  otherwise the first reading after a long gap simply counts nothing for it.
- Changes: every call reports ``Change.EXAMS`` except a tick, which reports nothing
  unless it submitted the exam; submitting adds ``Change.REVIEWS``.
- Submitting scores the sitting and writes each answered question to the review log
  (mode ``exam``) through :meth:`StudyService.record_answer_in`, all in one transaction,
  so mastery and scheduling use the results. Rules: ``docs/exams.md``.
"""

from __future__ import annotations

import math
import random
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from studyapp.domain import exam_sitting as sm
from studyapp.domain.exam_code import (
    SELECTIONS,
    ExamError,
)
from studyapp.domain.exam_score import ExamScore, ScoredItem, score_exam, trend
from studyapp.domain.exam_sitting import ExamStateError, ExamStatus, Sitting
from studyapp.domain.framework import Framework
from studyapp.domain.settings import Settings
from studyapp.services.changes import Change, Outcome
from studyapp.services.exams.building import built_exam, exam_pool, find_framework, plan_exam
from studyapp.services.exams.views import (
    BuiltExam,
    DisplayOption,
    ExamHistory,
    ExamQuestion,
    ExamRequest,
    ExamResult,
    ExamView,
    HistoryEntry,
    ResultItem,
    ReviewFilter,
    ReviewList,
    SetupInfo,
    SkillChoice,
    exam_view,
)
from studyapp.services.profile import Profile
from studyapp.services.settings import target_framework_key
from studyapp.services.study.service import StudyService
from studyapp.storage.exams import (
    DbSession,
    NewExam,
    StoredExam,
    delete_exam,
    insert_exam,
    load_exam,
    record_result,
    save_sitting,
    submitted_exams,
    unfinished_exam_id,
)
from studyapp.storage.frameworks import load_framework
from studyapp.storage.question_rows import load_question, load_referenced_media
from studyapp.storage.settings import read_settings

MAX_GAP_S = sm.DEFAULT_MAX_GAP_S
TREND_WINDOW = 5
# Anchors of running sittings, per open profile: a monotonic reading means nothing in
# another process, so it is never stored (see studyapp.domain.exam_sitting).
_ANCHORS: weakref.WeakKeyDictionary[Profile, dict[int, float]] = weakref.WeakKeyDictionary()


def time_limit_seconds(full_minutes: int, full_length: int, length: int) -> int:
    """A shorter exam keeps the full exam's time per question, rounded up to a minute."""
    return 60 * max(1, math.ceil(full_minutes * length / full_length - 1e-9))


class ExamService:
    """Mock exams on one profile; cheap to create per operation."""

    def __init__(
        self,
        profile: Profile,
        *,
        rng: random.Random | None = None,
        max_gap_s: float = MAX_GAP_S,
    ) -> None:
        self.profile = profile
        self.rng = rng or random.Random()
        self.max_gap_s = max_gap_s
        self._anchors = _ANCHORS.setdefault(profile, {})

    # ------------------------------------------------------------------ building
    def setup_info(self, blueprint: str | None = None) -> SetupInfo:
        """What the setup screen offers: skill areas with their pools, time, selections.

        ``blueprint`` defaults to the profile's target framework."""
        with self.profile.db.reader() as session:
            fw = find_framework(session, blueprint or target_framework_key(session))
            available = exam_pool(self.profile.db, session, fw.id).available()
            settings = Settings.from_stored(read_settings(session))
        return SetupInfo(
            blueprint=fw.id,
            title=fw.title,
            full_length=fw.exam.length,
            full_minutes=settings.exam_minutes or fw.exam.time_limit_minutes,
            time_limit_published=fw.exam.time_limit_published,
            time_note=fw.exam.notes,
            assumed_cut=settings.assumed_raw_cut or fw.exam.assumed_raw_cut,
            skills=tuple(
                SkillChoice(s.id, s.title, s.category_id, s.weight, available.get(s.id, 0))
                for s in fw.skill_areas
            ),
            selections=SELECTIONS,
        )

    def build(self, request: ExamRequest | str) -> BuiltExam:
        """The exam a request or code stands for, without creating a sitting."""
        with self.profile.db.reader() as session:
            _fw, plan = plan_exam(self.profile.db, session, request, self.rng)
        return built_exam(plan)

    def create(
        self,
        request: ExamRequest | str,
        *,
        minutes: int | None = None,
        hide_when_paused: bool = True,
    ) -> Outcome[ExamView]:
        """Create a sitting (not started) from setup choices or a code / share line.

        ``minutes`` is this exam's time limit; by default the full exam's limit (setting
        ``exam_minutes``, else the framework's 120, an assumption) scaled to the length.
        Refused while another sitting is unfinished: resume, submit or discard it first.
        """
        if minutes is not None and not 1 <= minutes <= 600:
            raise ExamError("An exam's time limit is 1 to 600 minutes.")
        now = self.profile.clock.now()
        # A sitting's own tables only: practice and statistics caches stay valid.
        with self.profile.db.unit_of_work(study=False) as session:
            other = unfinished_exam_id(session)
            if other is not None:
                stored_other = load_exam(session, other)
                code = stored_other.code if stored_other else "?"
                raise ExamStateError(
                    f"Exam {code} is not finished yet; resume it, submit it or discard it "
                    "before starting another."
                )
            fw, plan = plan_exam(self.profile.db, session, request, self.rng)
            settings = Settings.from_stored(read_settings(session))
            full = settings.exam_minutes or fw.exam.time_limit_minutes
            limit_s = (
                minutes * 60
                if minutes is not None
                else time_limit_seconds(full, fw.exam.length, plan.code.length)
            )
            sitting = sm.new_sitting(
                [(i.ref, i.skill, i.option_order) for i in plan.items], limit_s * 1000
            )
            pool = exam_pool(self.profile.db, session, fw.id).by_ref
            exam_id = insert_exam(
                session,
                NewExam(
                    code=plan.code.text(),
                    blueprint=fw.id,
                    length=plan.code.length,
                    seed=plan.code.seed,
                    selection=plan.code.selection,
                    time_limit_s=limit_s,
                    pack_versions=plan.pack_versions,
                    options={
                        "skills": list(plan.skills),
                        "hide_when_paused": hide_when_paused,
                        "fingerprint": plan.code.fingerprint,
                        "framework_version": fw.version,
                        "notes": list(plan.notes),
                        "ended_by": None,
                    },
                    created_at=now,
                    items=tuple(
                        (q.qid if (q := pool.get(i.ref)) else None, i) for i in sitting.items
                    ),
                ),
            )
            view = self._view(session, exam_id)
        return Outcome(view, Change.EXAMS)

    # ------------------------------------------------------------------ reading
    def _load(self, session: DbSession, exam_id: int) -> StoredExam:
        stored = load_exam(session, exam_id)
        if stored is None:
            raise ExamError(f"There is no exam {exam_id} in this profile.")
        anchor = self._anchors.get(exam_id)
        if anchor is not None and stored.sitting.status is ExamStatus.RUNNING:
            return replace(stored, sitting=replace(stored.sitting, anchor=anchor))
        return stored

    def _view(self, session: DbSession, exam_id: int) -> ExamView:
        stored = self._load(session, exam_id)
        fw = load_framework(session, stored.blueprint)
        return exam_view(stored, fw.title if fw else stored.blueprint)

    def view(self, exam_id: int) -> ExamView:
        """A sitting as of its last commit (reads only; time is not advanced)."""
        with self.profile.db.reader() as session:
            return self._view(session, exam_id)

    def unfinished(self) -> ExamView | None:
        """The sitting not yet submitted, if there is one (to offer resuming it)."""
        with self.profile.db.reader() as session:
            exam_id = unfinished_exam_id(session)
            return None if exam_id is None else self._view(session, exam_id)

    def question(self, exam_id: int, position: int) -> ExamQuestion:
        """One question for display, options in the recorded order, with no key."""
        with self.profile.db.reader() as session:
            stored = self._load(session, exam_id)
            if not 0 <= position < len(stored.sitting.items):
                raise ExamError(f"This exam has no question {position + 1}.")
            item = stored.sitting.items[position]
            qid = stored.question_ids[position]
            content = load_question(session, qid) if qid is not None else None
            media = load_referenced_media(session, content) if content else {}
        if content is None:
            return ExamQuestion(
                exam_id=exam_id,
                position=position,
                ref=item.ref,
                skill=item.skill,
                skill_title=None,
                stem="This question's pack was removed during the exam; it cannot be answered.",
                multiple=False,
                options=(),
                chosen=item.chosen,
                flagged=item.flagged,
                available=False,
                qid=None,
            )
        q = content.question
        by_id = {o.id: o for o in q.options}
        order = [o for o in item.option_order if o in by_id]
        return ExamQuestion(
            exam_id=exam_id,
            position=position,
            ref=item.ref,
            skill=item.skill,
            skill_title=content.skill_title,
            stem=q.stem,
            multiple=q.type == "multiple",
            options=tuple(DisplayOption(o, by_id[o].text) for o in order),
            chosen=item.chosen,
            flagged=item.flagged,
            available=True,
            qid=qid,
            media_data=media,
        )

    def review_list(self, exam_id: int) -> ReviewList:
        """Unanswered and flagged questions, for the screen before submitting."""
        with self.profile.db.reader() as session:
            items = self._load(session, exam_id).sitting.items
        return ReviewList(
            unanswered=tuple(i.position for i in items if not i.answered),
            flagged=tuple(i.position for i in items if i.flagged),
        )

    # ------------------------------------------------------------------ sitting
    def _mono(self, mono: float | None) -> float:
        return self.profile.clock.monotonic() if mono is None else mono

    def _change(
        self, exam_id: int, step: Callable[[Sitting], Sitting], *, tick: bool = False
    ) -> Outcome[ExamView]:
        """Apply one transition, commit what changed (and the result, if it submitted).

        A tick writes only when time counted, and reports no change unless it submitted
        (other screens need not refresh every few seconds).
        """
        changes = Change.NONE if tick else Change.EXAMS
        # Answers, flags, pauses and ticks write the sitting only (several a minute during
        # an exam); practice and statistics caches stay valid unless it is submitted.
        with self.profile.db.unit_of_work(study=False) as session:
            stored = self._load(session, exam_id)
            before = stored.sitting
            after = step(before)
            if after != before or not tick:
                save_sitting(session, exam_id, stored.sitting, after)
            if after.status is ExamStatus.SUBMITTED and before.status is not ExamStatus.SUBMITTED:
                self.profile.db.touches_study()  # its answers go to the review log
                self._finish(session, replace(stored, sitting=after))
                changes |= Change.EXAMS | Change.REVIEWS
            fw = load_framework(session, stored.blueprint)
            view = exam_view(replace(stored, sitting=after), fw.title if fw else stored.blueprint)
        if after.anchor is None:
            self._anchors.pop(exam_id, None)
        else:
            self._anchors[exam_id] = after.anchor
        return Outcome(view, changes)

    def start(self, exam_id: int, mono: float | None = None) -> Outcome[ExamView]:
        """Begin the countdown of a created sitting."""
        m = self._mono(mono)
        return self._change(exam_id, lambda s: sm.start(s, m))

    def answer(
        self, exam_id: int, position: int, chosen: Sequence[str], mono: float | None = None
    ) -> Outcome[ExamView]:
        """Commit an answer (nothing chosen clears it); no feedback until the end."""
        m, now = self._mono(mono), self.profile.clock.now()
        return self._change(
            exam_id, lambda s: sm.answer(s, position, chosen, m, now, self.max_gap_s)
        )

    def flag(
        self, exam_id: int, position: int, flagged: bool = True, mono: float | None = None
    ) -> Outcome[ExamView]:
        """Commit a flag (or its removal)."""
        m = self._mono(mono)
        return self._change(exam_id, lambda s: sm.flag(s, position, flagged, m, self.max_gap_s))

    def navigate(self, exam_id: int, position: int, mono: float | None = None) -> Outcome[ExamView]:
        """Show another question; the time so far goes to the one being left."""
        m = self._mono(mono)
        return self._change(exam_id, lambda s: sm.go_to(s, position, m, self.max_gap_s))

    def pause(self, exam_id: int, mono: float | None = None) -> Outcome[ExamView]:
        """Stop the clock."""
        m = self._mono(mono)
        return self._change(exam_id, lambda s: sm.pause(s, m, self.max_gap_s))

    def resume(self, exam_id: int, mono: float | None = None) -> Outcome[ExamView]:
        """Restart the clock of a paused or interrupted sitting, from the time it had left."""
        m = self._mono(mono)
        return self._change(exam_id, lambda s: sm.resume(s, m))

    def tick(self, exam_id: int, mono: float | None = None) -> Outcome[ExamView]:
        """Commit the time so far (call every few seconds while running); may submit."""
        m = self._mono(mono)
        return self._change(exam_id, lambda s: sm.advance(s, m, self.max_gap_s), tick=True)

    def submit(self, exam_id: int, mono: float | None = None) -> Outcome[ExamResult]:
        """Hand the exam in: score it and feed the review log; returns the result."""
        m = self._mono(mono)
        outcome = self._change(exam_id, lambda s: sm.submit(s, m, self.max_gap_s))
        return Outcome(self.result(exam_id), outcome.changes)

    def discard(self, exam_id: int) -> Outcome[bool]:
        """Delete an unfinished sitting (a submitted one is history and stays)."""
        with self.profile.db.unit_of_work(study=False) as session:
            stored = self._load(session, exam_id)
            if stored.sitting.status is ExamStatus.SUBMITTED:
                raise ExamStateError("A submitted exam is part of your history; it stays.")
            deleted = delete_exam(session, exam_id)
        self._anchors.pop(exam_id, None)
        return Outcome(deleted, Change.EXAMS)

    # ------------------------------------------------------------------ results
    def _finish(self, session: DbSession, stored: StoredExam) -> None:
        """Score a sitting that just became submitted and log its answers (mode exam)."""
        now = self.profile.clock.now()
        study = StudyService(self.profile)
        correct: dict[int, bool] = {}
        for item, qid in zip(stored.sitting.items, stored.question_ids, strict=True):
            content = load_question(session, qid) if qid is not None else None
            valid = content is not None and set(item.chosen) <= {
                o.id for o in content.question.options
            }
            if not item.answered or content is None or not valid:
                correct[item.position] = False
                continue
            assert qid is not None
            result = study.record_answer_in(
                session,
                qid,
                item.chosen,
                item.time_ms / 1000,
                guessed=item.flagged,
                mode="exam",
                exam_id=stored.id,
                now=now,
            )
            correct[item.position] = result.correct
        settings = Settings.from_stored(read_settings(session))
        fw = find_framework(session, stored.blueprint)
        cut = settings.assumed_raw_cut or fw.exam.assumed_raw_cut
        score = _score(stored.sitting, correct, fw, cut)
        record_result(
            session,
            stored.id,
            submitted_at=now,
            raw=score.raw,
            scaled=score.scaled,
            correct=correct,
            options={"cut_fraction": cut},
        )

    def result(self, exam_id: int, which: ReviewFilter = "all") -> ExamResult:
        """The score report of a submitted sitting, with the questions ``which`` selects:
        ``all``, ``wrong`` (unanswered included) or ``flagged``."""
        if which not in ("all", "wrong", "flagged"):
            raise ExamError(f"Review 'all', 'wrong' or 'flagged' questions, not {which!r}.")
        with self.profile.db.reader() as session:
            stored = self._load(session, exam_id)
            if stored.sitting.status is not ExamStatus.SUBMITTED:
                raise ExamStateError("This exam has not been submitted yet; no result exists.")
            fw = find_framework(session, stored.blueprint)
            view = exam_view(stored, fw.title)
            contents = {
                qid: load_question(session, qid) for qid in stored.question_ids if qid is not None
            }
        correct = {i: bool(c) for i, c in enumerate(stored.correct)}
        cut = float(stored.options.get("cut_fraction", fw.exam.assumed_raw_cut))
        score = _score(stored.sitting, correct, fw, cut)
        items = []
        for item, qid in zip(stored.sitting.items, stored.question_ids, strict=True):
            ok = correct[item.position]
            if (which == "wrong" and ok) or (which == "flagged" and not item.flagged):
                continue
            content = contents.get(qid) if qid is not None else None
            q = content.question if content else None
            items.append(
                ResultItem(
                    position=item.position,
                    ref=item.ref,
                    skill=item.skill,
                    skill_title=content.skill_title if content else None,
                    question=q,
                    option_order=item.option_order,
                    chosen=item.chosen,
                    correct_ids=tuple(o for o in item.option_order if q and o in q.correct_ids),
                    correct=ok,
                    flagged=item.flagged,
                    time_ms=item.time_ms,
                )
            )
        return ExamResult(view, score, which, tuple(items), stored.submitted_at)

    def history(self) -> ExamHistory:
        """Submitted sittings, oldest first, with the recent trend of the scaled estimate."""
        with self.profile.db.reader() as session:
            headers = submitted_exams(session)
            frameworks = {h.blueprint: load_framework(session, h.blueprint) for h in headers}
        entries = []
        for h in headers:
            fw = frameworks.get(h.blueprint)
            raw = h.raw_correct or 0
            scaled = h.scaled_score or 0
            pass_scaled = fw.exam.pass_scaled if fw else 600
            entries.append(
                HistoryEntry(
                    id=h.id,
                    code=h.code,
                    length=h.length,
                    selection=h.selection,
                    submitted_at=h.submitted_at,
                    raw=raw,
                    percent=100.0 * raw / h.length if h.length else 0.0,
                    scaled=scaled,
                    passed=scaled >= pass_scaled,
                )
            )
        recent = entries[-TREND_WINDOW:]
        return ExamHistory(
            entries=tuple(entries),
            trend_scaled_per_exam=trend([e.scaled for e in recent]),
            trend_percent_per_exam=trend([e.percent for e in recent]),
        )


# ---------------------------------------------------------------------- helpers
def _score(sitting: Sitting, correct: Mapping[int, bool], fw: Framework, cut: float) -> ExamScore:
    return score_exam(
        [
            ScoredItem(i.skill, i.answered, bool(correct.get(i.position)), i.time_ms)
            for i in sitting.items
        ],
        skills=[(s.id, s.title, s.category_id) for s in fw.skill_areas],
        categories=[(c.id, c.title) for c in fw.categories],
        cut_fraction=cut,
        scale_max=fw.exam.scale_max,
        pass_scaled=fw.exam.pass_scaled,
    )
