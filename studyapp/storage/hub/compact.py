"""How the hub stores a mock exam sitting: compact columns instead of one JSON object per
question (hub schema ``h0002``).

A sitting of 100 questions was a jsonb document of 100 objects (~9 KB); the Group screen
of a 1,000-member group read 1,000 of them (9 MB of JSON, 100,000 dicts decoded and
checked). Now a row holds:

- ``code``, ``raw``, ``length``, ``submitted_at``: typed columns;
- ``questions``: the question list as JSON text ``[[id, skill], …]``, in exam order. It is
  the same for every member who sat a code, so a reader decodes and checks each distinct
  text once (:class:`QuestionCache`);
- ``chosen``: JSON text ``[["a"], ["b", "d"], …]``, the options chosen per question;
- ``correct``: text of ``1``/``0``, one character per question.

Rows are still untrusted input (a member may write their own row with any client):
decoding goes through :meth:`~studyapp.domain.group.ExamCard.from_columns`, which checks
with the same rules as a card read from a folder. A row from before ``h0002`` that could
not be converted keeps its ``exam`` document and is read (and refused) as before.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from studyapp.domain.group import ExamCard, GroupError, Questions

MAX_COLUMN_TEXT = 2_000_000  # far above 1,000 questions x 26 options of 64 characters


class SittingRow(NamedTuple):
    """One row of ``studyhub.sittings`` as read, columns in this order (any column may
    hold anything: a member can write their own rows with any client)."""

    position: Any
    code: Any
    raw: Any
    length: Any
    submitted_at: Any
    questions: Any
    chosen: Any
    correct: Any
    exam: Any


def _text(value: list[Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode_exam(exam: ExamCard) -> dict[str, Any]:
    """The columns of one sitting (the parameters of an INSERT into ``sittings``)."""
    head, questions, chosen, correct = exam.columns()
    return {
        **head,
        "questions": _text(questions.to_json()),
        "chosen": _text(chosen),
        "correct": correct,
    }


def _json(text: Any, what: str) -> Any:
    if not isinstance(text, str) or len(text) > MAX_COLUMN_TEXT:
        raise GroupError(f"A shared exam of the card has no readable {what}.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise GroupError(f"A shared exam of the card has no readable {what}.") from None


class QuestionCache:
    """Each distinct question list decoded and checked once per read (the 1,000 sittings
    of one code share one list); a refused list is remembered as refused."""

    def __init__(self) -> None:
        self._seen: dict[str, Questions | GroupError] = {}

    def get(self, text: Any) -> Questions:
        if not isinstance(text, str):
            raise GroupError("A shared exam of the card has no list of questions.")
        found = self._seen.get(text)
        if found is None:
            try:
                found = Questions.from_json(_json(text, "list of questions"))
            except GroupError as exc:
                found = exc
            self._seen[text] = found
        if isinstance(found, GroupError):
            raise GroupError(str(found))
        return found


def decode_exam(row: SittingRow, cache: QuestionCache) -> ExamCard:
    """The checked sitting of a row; GroupError (one sentence) when it cannot be used."""
    if row.exam is not None and row.chosen is None:
        return ExamCard.from_dict(row.exam)  # a row h0002 could not convert
    head = {
        "code": row.code,
        "raw": row.raw,
        "length": row.length,
        "submitted_at": row.submitted_at,
    }
    questions = cache.get(row.questions)
    return ExamCard.from_columns(head, questions, _json(row.chosen, "answers"), row.correct)
