"""Library reads: a page of the question table, one question's history, revision links.

The question table must stay fast at 100,000 questions, so every filter is SQL and pages
are read with keyset pagination on the question's row id (``id > last ORDER BY id LIMIT
n``): a page costs the same wherever it is, and only the start of a stem leaves the
database. Text search is ``LIKE`` over the stem, the title, the question id and option text (every
word must appear somewhere); option text is searched with a correlated ``EXISTS`` on the
option table's (question_id, key) index, so a page stops scanning once it is full.

A user's revision of an imported question is a question of the user's pack whose
``revises_id`` points at the original. While the revision is active (not retired) the
original is *superseded*: :func:`superseded_ids` is the one definition of that, used by
the planner's queries to hide it from practice. The original stays listed here, and its
pack's updates keep applying to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from studyapp.storage.models import (
    MemoryStateRow,
    OptionRow,
    PackRow,
    QuestionRow,
    QuestionTagRow,
    ReviewLogRow,
    SkillAreaRow,
)

UNASSIGNED = "__unassigned__"
# Status names, in the order they take precedence in the table's status column; a
# status filter shows exactly the rows whose column says that status.
STATUSES = ("retired", "revised", "suspended", "leech", "due", "learning", "new")
_STEM_CHARS = 300


@dataclass(frozen=True, slots=True)
class LibraryQuery:
    """The table's filters. ``skill`` is a skill-area id or :data:`UNASSIGNED`; a
    ``status`` of None means every status except retired."""

    search: str = ""
    skill: str | None = None
    status: str | None = None
    tag: str | None = None
    pack: str | None = None


@dataclass(frozen=True, slots=True)
class LibraryRow:
    """One line of the question table."""

    qid: int
    key: str
    pack: str
    skill: str | None
    skill_title: str | None
    first_line: str
    status: str
    difficulty: int
    qtype: str
    title: str = ""  # the question's name from its file (Moodle <name>, GIFT title); or ""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One past answer. ``of_original``: given to the question a revision replaced."""

    answered_at: datetime
    chosen: tuple[str, ...]
    correct: bool
    mode: str
    response_ms: int
    guessed: bool
    of_original: bool = False


@dataclass(frozen=True, slots=True)
class RevisionLinks:
    """How a question relates to user revisions.

    ``revises``: (row id, "pack/id") of the imported question this one is the user's
    revision of; ``revised_by``: the user's active revision of this question;
    ``upstream_changed``: the revised question was updated by its pack after the user
    last saved the revision; ``upstream_retired``: its pack no longer has it.
    """

    revises: tuple[int, str] | None = None
    revised_by: tuple[int, str] | None = None
    upstream_changed: bool = False
    upstream_retired: bool = False


def superseded_ids() -> Select[Any]:
    """Row ids of questions that an active user revision replaces (hidden from practice)."""
    mine = aliased(QuestionRow)
    return select(mine.revises_id).where(mine.revises_id.is_not(None), mine.retired.is_(False))


def _off(column: Any) -> ColumnElement[bool]:
    return or_(column.is_(None), column.is_(False))


def _status_clause(status: str, now: datetime) -> ColumnElement[bool]:
    """The SQL for 'the status column says ``status``' (precedence as in STATUSES)."""
    mem = MemoryStateRow
    seen = func.coalesce(mem.reps, 0) > 0
    sup = QuestionRow.id.in_(superseded_ids())
    chain: list[tuple[str, ColumnElement[bool]]] = [
        ("retired", QuestionRow.retired.is_(True)),
        ("revised", sup),
        ("suspended", mem.suspended.is_(True)),
        ("leech", mem.leech.is_(True)),
        ("due", and_(seen, mem.due <= now)),
        ("learning", seen),
        ("new", ~seen),
    ]
    parts: list[ColumnElement[bool]] = []
    for name, clause in chain:
        if name == status:
            parts.append(clause)
            return and_(*parts)
        if name == "retired":
            parts.append(QuestionRow.retired.is_(False))
        elif name == "revised":
            parts.append(QuestionRow.id.not_in(superseded_ids()))
        elif name in ("suspended", "leech"):
            parts.append(_off(mem.suspended if name == "suspended" else mem.leech))
        elif name == "due":
            parts.append(or_(~seen, mem.due > now))
    raise ValueError(f"unknown status {status!r}")


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(stmt: Any, q: LibraryQuery, now: datetime) -> Any:
    if q.pack:
        stmt = stmt.where(PackRow.key == q.pack)
    if q.skill == UNASSIGNED:
        stmt = stmt.where(QuestionRow.skill_area_id.is_(None))
    elif q.skill:
        stmt = stmt.where(SkillAreaRow.key == q.skill)
    if q.tag:
        stmt = stmt.where(
            QuestionRow.id.in_(
                select(QuestionTagRow.question_id).where(QuestionTagRow.tag == q.tag)
            )
        )
    stmt = stmt.where(_status_clause(q.status, now) if q.status else QuestionRow.retired.is_(False))
    for word in q.search.split():
        pattern = _like(word)
        stmt = stmt.where(
            or_(
                QuestionRow.stem.like(pattern, escape="\\"),
                QuestionRow.title.like(pattern, escape="\\"),
                QuestionRow.key.like(pattern, escape="\\"),
                exists().where(
                    OptionRow.question_id == QuestionRow.id,
                    OptionRow.text.like(pattern, escape="\\"),
                ),
            )
        )
    return stmt


def _joined(stmt: Any) -> Any:
    return (
        stmt.join(PackRow, PackRow.id == QuestionRow.pack_id)
        .outerjoin(SkillAreaRow, SkillAreaRow.id == QuestionRow.skill_area_id)
        .outerjoin(MemoryStateRow, MemoryStateRow.question_id == QuestionRow.id)
    )


def status_of(
    *,
    retired: bool,
    superseded: bool,
    suspended: bool,
    leech: bool,
    reps: int,
    due: datetime | None,
    now: datetime,
) -> str:
    """The status column's value (the same precedence as the status filters)."""
    if retired:
        return "retired"
    if superseded:
        return "revised"
    if suspended:
        return "suspended"
    if leech:
        return "leech"
    if reps > 0:
        return "due" if due is not None and due <= now else "learning"
    return "new"


def _row_select() -> Any:
    stmt = select(
        QuestionRow.id,
        QuestionRow.key,
        PackRow.key,
        SkillAreaRow.key,
        SkillAreaRow.title,
        func.substr(QuestionRow.stem, 1, _STEM_CHARS),
        QuestionRow.retired,
        QuestionRow.id.in_(superseded_ids()),
        MemoryStateRow.suspended,
        MemoryStateRow.leech,
        MemoryStateRow.reps,
        MemoryStateRow.due,
        QuestionRow.difficulty,
        QuestionRow.qtype,
        QuestionRow.title,
    ).select_from(QuestionRow)
    return _joined(stmt)


def _rows(session: Session, stmt: Any, now: datetime) -> list[LibraryRow]:
    out = []
    for row in session.execute(stmt):
        (qid, key, pack, skill, title, stem, retired, sup, susp, leech, reps, due, diff, qtype) = (
            row[:14]
        )
        name = row[14]
        out.append(
            LibraryRow(
                qid=qid,
                key=key,
                pack=pack,
                skill=skill,
                skill_title=title,
                first_line=first_line(stem or ""),
                status=status_of(
                    retired=bool(retired),
                    superseded=bool(sup),
                    suspended=bool(susp),
                    leech=bool(leech),
                    reps=int(reps or 0),
                    due=due,
                    now=now,
                ),
                difficulty=int(diff),
                qtype=qtype,
                title=name or "",
            )
        )
    return out


def library_page(
    session: Session, q: LibraryQuery, now: datetime, *, after: int = 0, limit: int = 200
) -> list[LibraryRow]:
    """Up to ``limit`` matching questions with a row id above ``after``, by row id."""
    stmt = _filtered(_row_select(), q, now)
    stmt = stmt.where(QuestionRow.id > after).order_by(QuestionRow.id).limit(limit)
    return _rows(session, stmt, now)


def library_row(session: Session, qid: int, now: datetime) -> LibraryRow | None:
    """The table line of one question, whatever its status."""
    rows = _rows(session, _row_select().where(QuestionRow.id == qid), now)
    return rows[0] if rows else None


def library_count(session: Session, q: LibraryQuery, now: datetime) -> int:
    """How many questions match the filters."""
    stmt = _filtered(_joined(select(func.count()).select_from(QuestionRow)), q, now)
    return int(session.scalar(stmt) or 0)


def first_line(stem: str) -> str:
    """The first non-empty line of a stem, without leading Markdown markers."""
    for line in stem.splitlines():
        text = line.strip().lstrip("#>*-+ ").strip()
        if text:
            return text
    return ""


def all_tags(session: Session) -> list[str]:
    """Every tag in use, sorted."""
    return list(session.scalars(select(QuestionTagRow.tag).distinct().order_by(QuestionTagRow.tag)))


def question_history(session: Session, qid: int, original: int | None = None) -> list[HistoryEntry]:
    """Every answer to question ``qid`` (and to the ``original`` it revises), newest first."""
    ids = [qid] if original is None else [qid, original]
    stmt = (
        select(ReviewLogRow)
        .where(ReviewLogRow.question_id.in_(ids))
        .order_by(ReviewLogRow.answered_at.desc(), ReviewLogRow.id.desc())
    )
    return [
        HistoryEntry(
            answered_at=r.answered_at,
            chosen=tuple(r.chosen),
            correct=bool(r.correct),
            mode=r.mode,
            response_ms=int(r.response_ms),
            guessed=bool(r.guessed),
            of_original=r.question_id != qid,
        )
        for r in session.scalars(stmt)
    ]


def _ref(session: Session, qid: int) -> str:
    row = session.execute(
        select(PackRow.key, QuestionRow.key)
        .join(PackRow, PackRow.id == QuestionRow.pack_id)
        .where(QuestionRow.id == qid)
    ).one()
    return f"{row[0]}/{row[1]}"


def active_revision_of(session: Session, qid: int) -> int | None:
    """The row id of the user's active revision of question ``qid``, if any."""
    return session.scalar(
        select(QuestionRow.id)
        .where(QuestionRow.revises_id == qid, QuestionRow.retired.is_(False))
        .order_by(QuestionRow.id.desc())
        .limit(1)
    )


def revision_links(session: Session, qid: int) -> RevisionLinks:
    """How question ``qid`` relates to user revisions (see :class:`RevisionLinks`)."""
    row = session.get(QuestionRow, qid)
    if row is None:
        return RevisionLinks()
    revised_by = active_revision_of(session, qid)
    links = RevisionLinks(
        revised_by=(revised_by, _ref(session, revised_by)) if revised_by is not None else None
    )
    if row.revises_id is not None:
        original = session.get(QuestionRow, row.revises_id)
        if original is not None:
            links = RevisionLinks(
                revises=(original.id, _ref(session, original.id)),
                revised_by=links.revised_by,
                upstream_changed=original.updated_at > row.updated_at,
                upstream_retired=original.retired,
            )
    return links


def pack_summary(session: Session, key: str) -> tuple[str, str] | None:
    """(title, origin) of an installed pack."""
    row = session.execute(select(PackRow.title, PackRow.origin).where(PackRow.key == key)).first()
    return (row[0], row[1]) if row is not None else None
