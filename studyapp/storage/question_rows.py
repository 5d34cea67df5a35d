"""Stored questions back into domain questions: one way, for every reader.

Practice (:func:`studyapp.storage.study.load_questions`) and pack export
(:func:`studyapp.storage.packs.load_questions`) read the same three tables and
build the same :class:`~studyapp.domain.question.Question`; this module is that shared part.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.domain.question import Option, Question, Reference
from studyapp.storage.models import OptionRow, QuestionRow, QuestionTagRow

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
