"""The user's own pack ("My questions"): creating it, storing edited questions, revisions.

Everything here runs inside the caller's unit of work. The pack row is an ordinary pack
(origin ``user``), so listing, practice, statistics and export treat it like any other.
Each save raises its patch version and recomputes its content hash with the one formula,
:func:`studyapp.domain.pack.pack_content_hash` (a pack file's hash uses it too), so an
exported copy imported elsewhere updates the earlier copy there instead of clashing with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from studyapp.domain.errors import PackError
from studyapp.domain.media import sniff_image_type
from studyapp.domain.pack import PACK_FORMAT_VERSION, pack_content_hash, parse_version
from studyapp.domain.pack_update import USER_ORIGIN as USER_ORIGIN
from studyapp.domain.question import QUESTION_TYPES, Question
from studyapp.storage.models import (
    FrameworkRow,
    MediaRow,
    MemoryStateRow,
    OptionRow,
    PackRow,
    QuestionRow,
    QuestionTagRow,
    SkillAreaRow,
)


@dataclass(frozen=True, slots=True)
class QuestionPlace:
    """Where a stored question lives."""

    qid: int
    key: str
    pack_pk: int
    pack_key: str
    origin: str
    framework: str
    retired: bool
    revises_id: int | None
    revision: int


def question_place(session: Session, qid: int) -> QuestionPlace | None:
    """The pack, origin and framework of question ``qid`` (None if it does not exist)."""
    row = session.execute(
        select(
            QuestionRow.id,
            QuestionRow.key,
            PackRow.id,
            PackRow.key,
            PackRow.origin,
            FrameworkRow.key,
            QuestionRow.retired,
            QuestionRow.revises_id,
            QuestionRow.revision,
        )
        .join(PackRow, PackRow.id == QuestionRow.pack_id)
        .join(FrameworkRow, FrameworkRow.id == PackRow.framework_id)
        .where(QuestionRow.id == qid)
    ).one_or_none()
    if row is None:
        return None
    return QuestionPlace(*row)


def user_pack(session: Session, key: str) -> tuple[int, str] | None:
    """(row id, framework id) of the user's pack, if it exists."""
    row = session.execute(
        select(PackRow.id, FrameworkRow.key)
        .join(FrameworkRow, FrameworkRow.id == PackRow.framework_id)
        .where(PackRow.key == key)
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


def ensure_user_pack(session: Session, key: str, title: str, framework: str, now: datetime) -> int:
    """The row id of the user's pack, creating it (version 1.0.0) on first use."""
    row = session.scalar(select(PackRow).where(PackRow.key == key))
    if row is not None:
        if row.origin != USER_ORIGIN:
            raise PackError(
                f"A pack with the id {key!r} was imported from a file, so your own questions "
                "cannot be saved there. Remove that pack in the Library first."
            )
        return row.id
    fw_id = session.scalar(select(FrameworkRow.id).where(FrameworkRow.key == framework))
    if fw_id is None:
        raise PackError(f"Framework {framework!r} is not installed; import a pack first.")
    row = PackRow(
        key=key,
        version="1.0.0",
        title=title,
        description="Questions written or revised in StudyApp's editor.",
        authors=[],
        license="",
        framework_id=fw_id,
        format_version=PACK_FORMAT_VERSION,
        content_hash=pack_content_hash((), ()),
        origin=USER_ORIGIN,
        source_format="editor",
        created=now.date().isoformat(),
        installed_at=now,
        updated_at=now,
        manifest={},
    )
    session.add(row)
    session.flush()
    return row.id


def next_key(session: Session, pack_pk: int, base: str) -> str:
    """A question id in the pack starting with ``base`` that was never used there.

    Retired questions keep their ids, so an id is never given out twice.
    """
    base = base[:120]
    taken = set(
        session.scalars(
            select(QuestionRow.key).where(
                QuestionRow.pack_id == pack_pk, QuestionRow.key.like(f"{base}%")
            )
        )
    )
    if base not in taken and not base.endswith("-"):
        return base
    n = 1
    while f"{base.rstrip('-')}-{n}" in taken:
        n += 1
    return f"{base.rstrip('-')}-{n}"


def _skill_area_id(session: Session, framework: str, skill: str | None) -> int | None:
    if skill is None:
        return None
    return session.scalar(
        select(SkillAreaRow.id)
        .join(FrameworkRow, FrameworkRow.id == SkillAreaRow.framework_id)
        .where(FrameworkRow.key == framework, SkillAreaRow.key == skill)
    )


def store_question(
    session: Session,
    pack_pk: int,
    framework: str,
    question: Question,
    *,
    existing: int | None,
    revises_id: int | None,
    now: datetime,
) -> tuple[int, bool]:
    """Insert ``question`` into the user's pack, or update row ``existing`` in place.

    An update that changes what a learner sees raises the question's revision; one that
    changes nothing writes nothing. Returns (row id, whether anything was written).
    """
    assert question.type in QUESTION_TYPES
    content_hash = question.content_hash()
    values = {
        "skill_area_id": _skill_area_id(session, framework, question.skill),
        "qtype": question.type,
        "stem": question.stem,
        "explanation": question.explanation,
        "difficulty": question.difficulty,
        "references": [r.to_dict() for r in question.references],
        "content_hash": content_hash,
        "title": question.title,
    }
    if existing is not None:
        row = session.get(QuestionRow, existing)
        assert row is not None and row.pack_id == pack_pk
        if row.content_hash == content_hash and not row.retired:
            return row.id, False
        for name, value in values.items():
            setattr(row, name, value)
        row.revision, row.retired, row.updated_at = row.revision + 1, False, now
        session.execute(delete(OptionRow).where(OptionRow.question_id == row.id))
        session.execute(delete(QuestionTagRow).where(QuestionTagRow.question_id == row.id))
    else:
        row = QuestionRow(
            pack_id=pack_pk,
            key=question.id,
            revision=1,
            retired=False,
            revises_id=revises_id,
            created_at=now,
            updated_at=now,
            **values,
        )
        session.add(row)
    session.flush()
    options = [
        {
            "question_id": row.id,
            "key": o.id,
            "position": pos,
            "text": o.text,
            "correct": o.correct,
            "rationale": o.rationale,
        }
        for pos, o in enumerate(question.options)
    ]
    session.execute(insert(OptionRow), options)
    tags = [{"question_id": row.id, "tag": t} for t in dict.fromkeys(question.tags)]
    if tags:
        session.execute(insert(QuestionTagRow), tags)
    session.flush()
    return row.id, True


def copy_memory(session: Session, from_qid: int, to_qid: int) -> bool:
    """Give question ``to_qid`` the memory state (and flags) of ``from_qid``, if it has one."""
    src = session.get(MemoryStateRow, from_qid)
    if src is None or session.get(MemoryStateRow, to_qid) is not None:
        return False
    columns = [c.key for c in MemoryStateRow.__table__.columns if c.key != "question_id"]
    copy = MemoryStateRow(question_id=to_qid, **{c: getattr(src, c) for c in columns})
    session.add(copy)
    session.flush()
    return True


def pack_media_names(session: Session, pack_pk: int) -> list[str]:
    """Names of a pack's images."""
    return list(session.scalars(select(MediaRow.name).where(MediaRow.pack_id == pack_pk)))


def copy_media(session: Session, from_pack: int, to_pack: int, names: set[str]) -> None:
    """Copy the named images of one pack into another (a revision keeps its pictures).

    An image of the same name but other content already in the target is refused.
    """
    if not names:
        return
    have = {
        name: sha
        for name, sha in session.execute(
            select(MediaRow.name, MediaRow.sha256).where(MediaRow.pack_id == to_pack)
        )
    }
    for media in session.scalars(
        select(MediaRow).where(MediaRow.pack_id == from_pack, MediaRow.name.in_(names))
    ):
        if media.name in have:
            if have[media.name] != media.sha256:
                raise PackError(
                    f"Your questions already have a different image called {media.name}; "
                    "rename the image in one of the questions and save again."
                )
            continue
        session.add(
            MediaRow(
                pack_id=to_pack,
                name=media.name,
                sha256=media.sha256,
                mime=sniff_image_type(media.data) or media.mime,
                data=media.data,
            )
        )
    session.flush()


def retire_question(session: Session, qid: int, now: datetime) -> None:
    """Hide a question of the user's pack (its history and id are kept)."""
    row = session.get(QuestionRow, qid)
    assert row is not None
    row.retired, row.updated_at = True, now
    session.flush()


def reseal_pack(session: Session, pack_pk: int, now: datetime) -> str:
    """Raise the pack's patch version and recompute its content hash; returns the version."""
    row = session.get(PackRow, pack_pk)
    assert row is not None
    questions = session.execute(
        select(QuestionRow.key, QuestionRow.content_hash, QuestionRow.revision).where(
            QuestionRow.pack_id == pack_pk, QuestionRow.retired.is_(False)
        )
    )
    media = session.execute(
        select(MediaRow.name, MediaRow.sha256).where(MediaRow.pack_id == pack_pk)
    )
    content_hash = pack_content_hash(
        ((key, qhash, revision) for key, qhash, revision in questions),
        ((name, sha) for name, sha in media),
    )
    parsed = parse_version(row.version)
    major, minor, patch = parsed[:3] if parsed is not None else (1, 0, 0)
    row.version = f"{major}.{minor}.{patch + 1}"
    row.content_hash = content_hash
    row.updated_at = now
    session.flush()
    return row.version
