"""Mock exams in the database: the question pool, sittings and their items.

Rows map to the domain's :class:`~studyapp.domain.exam_sitting.Sitting` here, so services
never see ORM objects. The monotonic anchor of a running sitting is never stored (it has
no meaning in another process); everything else about a sitting is, at every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from studyapp.domain.exam_sitting import ExamStatus, ItemState, Sitting
from studyapp.storage.models import (
    ExamItemRow,
    ExamRow,
    FrameworkRow,
    OptionRow,
    PackRow,
    QuestionRow,
    SkillAreaRow,
)

# The session type services pass back in (they never import SQLAlchemy themselves).
DbSession = Session


@dataclass(frozen=True, slots=True)
class PoolRow:
    """An active question of a framework, with what exam building needs to draw it.

    No option ids: a draw needs none, and only the questions drawn have theirs read
    (:func:`load_option_ids`).
    """

    qid: int
    pack_id: str
    pack_version: str
    question_id: str
    skill: str


def load_pool(session: Session, framework_key: str) -> list[PoolRow]:
    """Every active question in one of the framework's skill areas, in a stable order."""
    stmt = (
        select(QuestionRow.id, PackRow.key, PackRow.version, QuestionRow.key, SkillAreaRow.key)
        .join(PackRow, PackRow.id == QuestionRow.pack_id)
        .join(SkillAreaRow, SkillAreaRow.id == QuestionRow.skill_area_id)
        .join(FrameworkRow, FrameworkRow.id == SkillAreaRow.framework_id)
        .where(FrameworkRow.key == framework_key, QuestionRow.retired.is_(False))
        .order_by(PackRow.key, QuestionRow.key)
    )
    return [PoolRow(*row) for row in session.execute(stmt)]


def load_option_ids(session: Session, qids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Question row id -> its option ids in authored ``position`` order (for the ~100
    questions an exam drew; a question with no options maps to ``()``)."""
    wanted = sorted(set(qids))
    options: dict[int, list[str]] = {qid: [] for qid in wanted}
    for start in range(0, len(wanted), 500):  # well under SQLite's variable limit
        chunk = wanted[start : start + 500]
        stmt = (
            select(OptionRow.question_id, OptionRow.key)
            .where(OptionRow.question_id.in_(chunk))
            .order_by(OptionRow.question_id, OptionRow.position, OptionRow.id)
        )
        for qid, key in session.execute(stmt):
            options[qid].append(key)
    return {qid: tuple(keys) for qid, keys in options.items()}


@dataclass(frozen=True, slots=True)
class NewExam:
    """What creating a sitting writes."""

    code: str
    blueprint: str
    length: int
    seed: int
    selection: str
    time_limit_s: int
    pack_versions: dict[str, str]
    options: dict[str, Any]
    created_at: datetime
    items: tuple[tuple[int | None, ItemState], ...]  # (question row id, item)


@dataclass(frozen=True, slots=True)
class StoredExam:
    """A sitting as stored, with its header fields."""

    id: int
    code: str
    blueprint: str
    length: int
    seed: int
    selection: str
    time_limit_s: int
    pack_versions: dict[str, str]
    options: dict[str, Any]
    created_at: datetime
    submitted_at: datetime | None
    raw_correct: int | None
    scaled_score: int | None
    sitting: Sitting
    question_ids: tuple[int | None, ...]
    correct: tuple[bool | None, ...]


def insert_exam(session: Session, new: NewExam) -> int:
    """Write a new sitting (not started) and its items; returns its id."""
    row = ExamRow(
        code=new.code,
        blueprint=new.blueprint,
        length=new.length,
        seed=new.seed,
        selection=new.selection,
        time_limit_s=new.time_limit_s,
        status=ExamStatus.NOT_STARTED.value,
        elapsed_ms=0,
        current_position=0,
        pack_versions=new.pack_versions,
        options=new.options,
        created_at=new.created_at,
    )
    session.add(row)
    session.flush()
    for qid, item in new.items:
        session.add(
            ExamItemRow(
                exam_id=row.id,
                position=item.position,
                question_id=qid,
                question_ref=item.ref,
                skill_key=item.skill,
                option_order=list(item.option_order),
                chosen=None,
                flagged=False,
                time_ms=0,
            )
        )
    session.flush()
    return row.id


def load_exam(session: Session, exam_id: int) -> StoredExam | None:
    """A sitting with its items (no anchor: see the module docstring)."""
    row = session.get(ExamRow, exam_id)
    if row is None:
        return None
    items = session.execute(
        select(
            ExamItemRow.position,
            ExamItemRow.question_ref,
            ExamItemRow.skill_key,
            ExamItemRow.option_order,
            ExamItemRow.chosen,
            ExamItemRow.flagged,
            ExamItemRow.time_ms,
            ExamItemRow.answered_at,
            ExamItemRow.question_id,
            ExamItemRow.correct,
        )
        .where(ExamItemRow.exam_id == exam_id)
        .order_by(ExamItemRow.position)
    ).all()
    sitting = Sitting(
        status=ExamStatus(row.status),
        elapsed_ms=row.elapsed_ms,
        limit_ms=row.time_limit_s * 1000,
        current=row.current_position,
        items=tuple(
            ItemState(
                position=i.position,
                ref=i.question_ref,
                skill=i.skill_key,
                option_order=tuple(i.option_order),
                chosen=tuple(i.chosen or ()),
                flagged=bool(i.flagged),
                time_ms=i.time_ms,
                answered_at=i.answered_at,
            )
            for i in items
        ),
        anchor=None,
        ended_by=row.options.get("ended_by"),
    )
    return StoredExam(
        id=row.id,
        code=row.code,
        blueprint=row.blueprint,
        length=row.length,
        seed=row.seed,
        selection=row.selection,
        time_limit_s=row.time_limit_s,
        pack_versions=dict(row.pack_versions),
        options=dict(row.options),
        created_at=row.created_at,
        submitted_at=row.submitted_at,
        raw_correct=row.raw_correct,
        scaled_score=row.scaled_score,
        sitting=sitting,
        question_ids=tuple(i.question_id for i in items),
        correct=tuple(i.correct for i in items),
    )


def save_sitting(session: Session, exam_id: int, before: Sitting, after: Sitting) -> None:
    """Write what changed between two states of a sitting: clock, position, items."""
    row = session.get(ExamRow, exam_id)
    if row is None:
        raise LookupError(exam_id)
    row.status = after.status.value
    row.elapsed_ms = after.elapsed_ms
    row.current_position = after.current
    if after.ended_by != row.options.get("ended_by"):
        row.options = {**row.options, "ended_by": after.ended_by}
    changed = {item.position: item for item in after.changed_items(before)}
    if changed:
        for item_row in session.scalars(
            select(ExamItemRow).where(
                ExamItemRow.exam_id == exam_id, ExamItemRow.position.in_(changed)
            )
        ):
            item = changed[item_row.position]
            item_row.chosen = list(item.chosen) if item.chosen else None
            item_row.flagged = item.flagged
            item_row.time_ms = item.time_ms
            item_row.answered_at = item.answered_at
    session.flush()


def record_result(
    session: Session,
    exam_id: int,
    *,
    submitted_at: datetime,
    raw: int,
    scaled: int,
    correct: dict[int, bool],
    options: dict[str, Any],
) -> None:
    """Store the score of a submitted sitting and each item's correctness."""
    row = session.get(ExamRow, exam_id)
    if row is None:
        raise LookupError(exam_id)
    row.submitted_at = submitted_at
    row.raw_correct = raw
    row.scaled_score = scaled
    row.options = {**row.options, **options}
    for item_row in session.scalars(select(ExamItemRow).where(ExamItemRow.exam_id == exam_id)):
        item_row.correct = correct.get(item_row.position)
    session.flush()


def unfinished_exam_id(session: Session) -> int | None:
    """The newest sitting that has not been submitted, if any."""
    return session.scalar(
        select(ExamRow.id)
        .where(ExamRow.status != ExamStatus.SUBMITTED.value)
        .order_by(ExamRow.id.desc())
        .limit(1)
    )


@dataclass(frozen=True, slots=True)
class ExamHeader:
    """A submitted sitting's summary line, for the history."""

    id: int
    code: str
    blueprint: str
    length: int
    selection: str
    created_at: datetime
    submitted_at: datetime | None
    raw_correct: int | None
    scaled_score: int | None
    options: dict[str, Any]


def submitted_exams(session: Session) -> list[ExamHeader]:
    """Submitted sittings, oldest first."""
    rows = session.scalars(
        select(ExamRow)
        .where(ExamRow.status == ExamStatus.SUBMITTED.value)
        .order_by(ExamRow.submitted_at, ExamRow.id)
    )
    return [
        ExamHeader(
            r.id,
            r.code,
            r.blueprint,
            r.length,
            r.selection,
            r.created_at,
            r.submitted_at,
            r.raw_correct,
            r.scaled_score,
            dict(r.options),
        )
        for r in rows
    ]


def delete_exam(session: Session, exam_id: int) -> bool:
    """Remove a sitting and its items (used for unfinished sittings only)."""
    row = session.get(ExamRow, exam_id)
    if row is None:
        return False
    session.execute(delete(ExamItemRow).where(ExamItemRow.exam_id == exam_id))
    session.delete(row)
    session.flush()
    return True
