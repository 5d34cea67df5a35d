"""Installed packs: listing them, removing one, reading their questions and media back.

Installing a pack version is :mod:`studyapp.storage.pack_install`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.domain.errors import PackError
from studyapp.domain.pack import InstalledPack
from studyapp.domain.question import Question
from studyapp.storage.models import (
    FrameworkRow,
    MediaRow,
    PackRow,
    QuestionRow,
    QuestionTagRow,
    SkillAreaRow,
)
from studyapp.storage.question_rows import options_and_tags, question_of


def list_packs(session: Session) -> list[InstalledPack]:
    """Installed packs with their active and retired question counts."""
    active = func.sum(func.iif(QuestionRow.retired.is_(False), 1, 0))
    retired = func.sum(func.iif(QuestionRow.retired.is_(True), 1, 0))
    stmt = (
        select(PackRow, FrameworkRow.key, active, retired)
        .join(FrameworkRow, FrameworkRow.id == PackRow.framework_id)
        .outerjoin(QuestionRow, QuestionRow.pack_id == PackRow.id)
        .group_by(PackRow.id)
        .order_by(PackRow.key)
    )
    return [
        InstalledPack(
            id=p.key,
            version=p.version,
            title=p.title,
            authors=tuple(p.authors),
            license=p.license,
            framework=fw,
            origin=p.origin,
            source_format=p.source_format,
            questions=int(a or 0),
            retired=int(r or 0),
            imported_at=p.updated_at,
        )
        for p, fw, a, r in session.execute(stmt)
    ]


def remove_pack(session: Session, key: str) -> int:
    """Delete a pack and its questions; returns how many questions went.

    The review log keeps every past answer (its question link becomes null, its
    ``question_ref`` and ``skill_key`` stay), so statistics of the past are unchanged.
    """
    row = session.scalar(select(PackRow).where(PackRow.key == key))
    if row is None:
        raise PackError(
            f"No pack with id {key!r} is installed; 'studyapp pack list' shows the ids."
        )
    count = (
        session.scalar(
            select(func.count()).select_from(QuestionRow).where(QuestionRow.pack_id == row.id)
        )
        or 0
    )
    session.delete(row)
    session.flush()
    return int(count)


def load_questions(
    session: Session,
    *,
    pack_keys: Iterable[str] = (),
    skills: Iterable[str] = (),
    tags: Iterable[str] = (),
    include_retired: bool = False,
) -> list[tuple[str, Question]]:
    """(pack id, question) pairs matching every given filter, in pack and authored order."""
    stmt = (
        select(QuestionRow, PackRow.key, SkillAreaRow.key)
        .join(PackRow, PackRow.id == QuestionRow.pack_id)
        .outerjoin(SkillAreaRow, SkillAreaRow.id == QuestionRow.skill_area_id)
        .order_by(PackRow.key, QuestionRow.id)
    )
    pack_keys, skills, tags = list(pack_keys), list(skills), list(tags)
    if pack_keys:
        stmt = stmt.where(PackRow.key.in_(pack_keys))
    if skills:
        stmt = stmt.where(SkillAreaRow.key.in_(skills))
    if tags:
        stmt = stmt.where(
            QuestionRow.id.in_(
                select(QuestionTagRow.question_id).where(QuestionTagRow.tag.in_(tags))
            )
        )
    if not include_retired:
        stmt = stmt.where(QuestionRow.retired.is_(False))
    rows = session.execute(stmt).all()
    ids = [q.id for q, _p, _s in rows]
    options, tag_map = options_and_tags(session, ids)
    return [
        (pack_key, question_of(q, skill_key, options, tag_map)) for q, pack_key, skill_key in rows
    ]


def load_media(session: Session, pack_key: str) -> dict[str, bytes]:
    """The media files of one pack, by name."""
    stmt = (
        select(MediaRow.name, MediaRow.data)
        .join(PackRow, PackRow.id == MediaRow.pack_id)
        .where(PackRow.key == pack_key)
    )
    return {name: data for name, data in session.execute(stmt)}
