"""Stored questions back into domain questions: one way, for every reader.

Practice (:func:`load_questions`, as :class:`StoredQuestion`) and pack export
(:func:`studyapp.storage.packs.load_questions`) read the same three tables and
build the same :class:`~studyapp.domain.question.Question`; this module is that shared part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.domain.question import Option, Question, Reference
from studyapp.storage.models import (
    MediaRow,
    OptionRow,
    PackRow,
    QuestionRow,
    QuestionTagRow,
    SkillAreaRow,
)

CHUNK = 900  # ids per IN (...): under SQLite's default limit of bound parameters


def options_and_tags(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, list[Option]], dict[int, list[str]]]:
    """By question id: its options in authored order, and its tags (unordered)."""
    options: dict[int, list[Option]] = {}
    tags: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
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
            tags.setdefault(qid, []).append(tag)
    return options, tags


def question_of(
    row: QuestionRow,
    skill_key: str | None,
    options: dict[int, list[Option]],
    tags: dict[int, list[str]],
) -> Question:
    """The domain question a stored row (with :func:`options_and_tags`' maps) stands for."""
    return Question(
        id=row.key,
        skill=skill_key,
        type="multiple" if row.qtype == "multiple" else "single",
        stem=row.stem,
        options=tuple(options.get(row.id, ())),
        explanation=row.explanation,
        difficulty=row.difficulty,
        tags=tuple(sorted(tags.get(row.id, ()))),
        references=tuple(
            Reference(r.get("title", ""), r.get("section", ""), r.get("url", ""))
            for r in row.references
        ),
        revision=row.revision,
        title=row.title,
    )


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    """A question as practice shows it: content, pack and skill, and its media names."""

    qid: int
    pack_id: str
    skill: str | None
    skill_title: str | None
    question: Question
    media: tuple[str, ...]

    @property
    def ref(self) -> str:
        return f"{self.pack_id}/{self.question.id}"


def load_question(session: Session, qid: int) -> StoredQuestion | None:
    """One question with its options (authored order), tags, pack and skill."""
    return load_questions(session, [qid]).get(qid)


def load_questions(session: Session, qids: Iterable[int]) -> dict[int, StoredQuestion]:
    """Questions by row id (those that exist), each as :func:`load_question` gives it.

    Four statements for any number of questions (a planned session loads twenty: one
    statement per table instead of four per question).
    """
    wanted = sorted(set(qids))
    if not wanted:
        return {}
    rows = session.execute(
        select(QuestionRow, PackRow.key, PackRow.id, SkillAreaRow.key, SkillAreaRow.title)
        .join(PackRow, PackRow.id == QuestionRow.pack_id)
        .outerjoin(SkillAreaRow, SkillAreaRow.id == QuestionRow.skill_area_id)
        .where(QuestionRow.id.in_(wanted))
    ).all()
    if not rows:
        return {}
    options, tags = options_and_tags(session, wanted)
    media: dict[int, list[str]] = {}
    for pack_pk, name in session.execute(
        select(MediaRow.pack_id, MediaRow.name).where(
            MediaRow.pack_id.in_({row[2] for row in rows})
        )
    ):
        media.setdefault(pack_pk, []).append(name)
    out: dict[int, StoredQuestion] = {}
    for q, pack_key, pack_pk, skill_key, skill_title in rows:
        question = question_of(q, skill_key, options, tags)
        out[q.id] = StoredQuestion(
            q.id, pack_key, skill_key, skill_title, question, tuple(media.get(pack_pk, ()))
        )
    return out


_IMAGE_REF = re.compile(r"(?:!\[[^\]]*\]\(|src=[\"'])(media/[^)\"'\s]+)")


def load_referenced_media(session: Session, stored: StoredQuestion) -> dict[str, bytes]:
    """The bytes of the pack images a question's texts refer to (and only those)."""
    q = stored.question
    texts = [q.stem, q.explanation, *(o.text for o in q.options), *(o.rationale for o in q.options)]
    names = {m for t in texts for m in _IMAGE_REF.findall(t) if m in stored.media}
    if not names:
        return {}
    stmt = (
        select(MediaRow.name, MediaRow.data)
        .join(PackRow, PackRow.id == MediaRow.pack_id)
        .where(PackRow.key == stored.pack_id, MediaRow.name.in_(names))
    )
    return {name: data for name, data in session.execute(stmt)}
