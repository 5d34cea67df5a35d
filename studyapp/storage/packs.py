"""Packs and questions: applying a pack version, listing, removing, reading back.

:func:`apply_pack` is called inside one unit of work: when anything fails the caller's
transaction rolls back and the database is as it was. Questions are matched by
(pack, stable id), so a newer pack version keeps each question's row id, and with it the
question's memory state and history.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from studyapp.domain.errors import PackError
from studyapp.domain.media import sniff_image_type
from studyapp.domain.pack import ImportReport, InstalledPack, Pack, compare_versions
from studyapp.domain.question import Option, Question, Reference
from studyapp.storage.frameworks import upsert_framework
from studyapp.storage.models import (
    FrameworkRow,
    MediaRow,
    OptionRow,
    PackRow,
    QuestionRow,
    QuestionTagRow,
    SkillAreaRow,
)

Progress = Callable[[int, int, str], None]
_BATCH = 500


def _noop(_done: int, _total: int, _text: str = "") -> None:
    return None


def _skill_ids(session: Session, framework_id: int) -> dict[str, int]:
    rows = session.execute(
        select(SkillAreaRow.key, SkillAreaRow.title, SkillAreaRow.id).where(
            SkillAreaRow.framework_id == framework_id
        )
    )
    out: dict[str, int] = {}
    for key, title, sid in rows:
        out[key.casefold()] = sid
        out[title.casefold()] = sid
    return out


def apply_pack(
    session: Session,
    pack: Pack,
    *,
    origin: str,
    now: datetime,
    allow_downgrade: bool = False,
    progress: Progress = _noop,
    skipped_items: tuple[str, ...] = (),
    warnings: tuple[str, ...] = (),
) -> ImportReport:
    """Install or update ``pack`` in the session's transaction and report what changed."""
    m = pack.manifest
    if pack.framework is not None:
        upsert_framework(session, pack.framework)
    fw_id = session.scalar(select(FrameworkRow.id).where(FrameworkRow.key == m.framework))
    if fw_id is None:
        raise PackError(f"{m.id}: framework {m.framework!r} is not installed.")
    content_hash = pack.content_hash()
    row = session.scalar(select(PackRow).where(PackRow.key == m.id))
    previous: str | None = None
    status = "installed"
    if row is not None and row.origin == "user" and origin != "user":
        raise PackError(
            f"Pack {m.id} is where your own questions are kept ({row.title}), and this file "
            "would replace them. Nothing was changed. Ask the file's author to give the pack "
            "another id."
        )
    if row is not None:
        previous = row.version
        order = compare_versions(m.version, row.version)
        if order == 0:
            if row.content_hash == content_hash:
                unchanged = session.scalar(
                    select(func.count())
                    .select_from(QuestionRow)
                    .where(QuestionRow.pack_id == row.id, QuestionRow.retired.is_(False))
                )
                return ImportReport(
                    m.id,
                    m.version,
                    previous,
                    "unchanged",
                    unchanged=unchanged or 0,
                    skipped=len(skipped_items),
                    skipped_items=skipped_items,
                    warnings=warnings,
                )
            raise PackError(
                f"Pack {m.id} version {m.version} is already installed with different content. "
                "A changed pack needs a new version number; ask its author to raise it."
            )
        if order < 0 and not allow_downgrade:
            raise PackError(
                f"Pack {m.id} {row.version} is installed, and this file is the older version "
                f"{m.version}. Nothing was changed. To go back anyway, import with "
                "--allow-downgrade."
            )
        status = "updated" if order > 0 else "downgraded"
        row.version, row.title, row.description = m.version, m.title, m.description
        row.authors, row.license, row.created = list(m.authors), m.license, m.created
        row.framework_id, row.content_hash, row.updated_at = fw_id, content_hash, now
        row.format_version, row.manifest, row.source_format = (
            m.format_version,
            m.to_dict(),
            pack.source_format,
        )
    else:
        row = PackRow(
            key=m.id,
            version=m.version,
            title=m.title,
            description=m.description,
            authors=list(m.authors),
            license=m.license,
            framework_id=fw_id,
            format_version=m.format_version,
            content_hash=content_hash,
            origin=origin,
            source_format=pack.source_format,
            created=m.created,
            installed_at=now,
            updated_at=now,
            manifest=m.to_dict(),
        )
        session.add(row)
    session.flush()
    counts = _apply_questions(
        session, row.id, pack.questions, _skill_ids(session, fw_id), now, progress
    )
    session.execute(delete(MediaRow).where(MediaRow.pack_id == row.id))
    if pack.media:
        session.execute(
            insert(MediaRow),
            [
                {
                    "pack_id": row.id,
                    "name": name,
                    "sha256": _sha(data),
                    "mime": _mime(data),
                    "data": data,
                }
                for name, data in pack.media.items()
            ],
        )
    session.flush()
    return ImportReport(
        m.id,
        m.version,
        previous,
        status,
        *counts,
        skipped=len(skipped_items),
        skipped_items=skipped_items,
        warnings=warnings,
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mime(data: bytes) -> str:
    return sniff_image_type(data) or "application/octet-stream"


@dataclass
class _Existing:
    id: int
    content_hash: str
    revision: int
    retired: bool


def _apply_questions(
    session: Session,
    pack_id: int,
    questions: Iterable[Question],
    skills: dict[str, int],
    now: datetime,
    progress: Progress,
) -> tuple[int, int, int, int]:
    existing = {
        key: _Existing(qid, h, rev, retired)
        for key, qid, h, rev, retired in session.execute(
            select(
                QuestionRow.key,
                QuestionRow.id,
                QuestionRow.content_hash,
                QuestionRow.revision,
                QuestionRow.retired,
            ).where(QuestionRow.pack_id == pack_id)
        )
    }
    items = list(questions)
    total = len(items)
    added = updated = unchanged = 0
    new_rows: list[tuple[Question, dict[str, Any]]] = []
    changed_ids: list[int] = []
    changed: list[tuple[int, Question]] = []
    for index, q in enumerate(items, 1):
        h = q.content_hash()
        skill_id = skills.get(q.skill.casefold()) if q.skill else None
        values: dict[str, Any] = {
            "skill_area_id": skill_id,
            "qtype": q.type,
            "stem": q.stem,
            "explanation": q.explanation,
            "difficulty": q.difficulty,
            "references": [r.to_dict() for r in q.references],
            "revision": q.revision,
            "retired": False,
            "content_hash": h,
        }
        old = existing.pop(q.id, None)
        if old is None:
            new_rows.append((q, values))
            added += 1
        elif old.content_hash == h and old.revision == q.revision and not old.retired:
            unchanged += 1
        else:
            session.execute(
                update(QuestionRow)
                .where(QuestionRow.id == old.id)
                .values(**values, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            changed_ids.append(old.id)
            changed.append((old.id, q))
            updated += 1
        if index % _BATCH == 0:
            progress(index, total, "Storing questions")
    if changed_ids:
        for chunk in _chunks(changed_ids, 900):
            session.execute(delete(OptionRow).where(OptionRow.question_id.in_(chunk)))
            session.execute(delete(QuestionTagRow).where(QuestionTagRow.question_id.in_(chunk)))
        _insert_children(session, changed)
    for chunk_rows in _chunks(new_rows, _BATCH):
        params = [
            {"pack_id": pack_id, "key": q.id, **values, "created_at": now, "updated_at": now}
            for q, values in chunk_rows
        ]
        ids = (
            session.execute(
                insert(QuestionRow).returning(QuestionRow.id, sort_by_parameter_order=True), params
            )
            .scalars()
            .all()
        )
        _insert_children(session, [(qid, q) for qid, (q, _v) in zip(ids, chunk_rows, strict=True)])
    retired = 0
    stale = [old.id for old in existing.values() if not old.retired]
    for chunk in _chunks(stale, 900):
        session.execute(
            update(QuestionRow)
            .where(QuestionRow.id.in_(chunk))
            .values(retired=True, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        retired += len(chunk)
    progress(total, total, "Questions stored")
    return added, updated, retired, unchanged


def _insert_children(session: Session, rows: list[tuple[int, Question]]) -> None:
    options = [
        {
            "question_id": qid,
            "key": o.id,
            "position": pos,
            "text": o.text,
            "correct": o.correct,
            "rationale": o.rationale,
        }
        for qid, q in rows
        for pos, o in enumerate(q.options)
    ]
    tags = [{"question_id": qid, "tag": t} for qid, q in rows for t in dict.fromkeys(q.tags)]
    # Core inserts on the tables: the same rows without the ORM's per-row bookkeeping,
    # about a fifth of a 10,000-question import here (docs/performance.md).
    for chunk in _chunks(options, 2000):
        session.execute(insert(cast(Table, OptionRow.__table__)), chunk)
    for chunk in _chunks(tags, 2000):
        session.execute(insert(cast(Table, QuestionTagRow.__table__)), chunk)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    options: dict[int, list[Option]] = {}
    tag_map: dict[int, list[str]] = {}
    for chunk in _chunks(ids, 900):
        for o in session.scalars(
            select(OptionRow)
            .where(OptionRow.question_id.in_(chunk))
            .order_by(OptionRow.question_id, OptionRow.position)
        ):
            options.setdefault(o.question_id, []).append(
                Option(o.key, o.text, o.correct, o.rationale)
            )
        for qid, tag in session.execute(
            select(QuestionTagRow.question_id, QuestionTagRow.tag).where(
                QuestionTagRow.question_id.in_(chunk)
            )
        ):
            tag_map.setdefault(qid, []).append(tag)
    out: list[tuple[str, Question]] = []
    for q, pack_key, skill_key in rows:
        out.append(
            (
                pack_key,
                Question(
                    id=q.key,
                    skill=skill_key,
                    type="multiple" if q.qtype == "multiple" else "single",
                    stem=q.stem,
                    options=tuple(options.get(q.id, ())),
                    explanation=q.explanation,
                    difficulty=q.difficulty,
                    tags=tuple(sorted(tag_map.get(q.id, ()))),
                    references=tuple(
                        Reference(r.get("title", ""), r.get("section", ""), r.get("url", ""))
                        for r in q.references
                    ),
                    revision=q.revision,
                ),
            )
        )
    return out


def load_media(session: Session, pack_key: str) -> dict[str, bytes]:
    """The media files of one pack, by name."""
    stmt = (
        select(MediaRow.name, MediaRow.data)
        .join(PackRow, PackRow.id == MediaRow.pack_id)
        .where(PackRow.key == pack_key)
    )
    return {name: data for name, data in session.execute(stmt)}
