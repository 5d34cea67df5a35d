"""Questions as the app understands them, independent of where they came from.

A question is identified by its pack and its stable ``id`` within the pack; the
``content_hash`` tells whether a newer pack version changed it. Text fields are Markdown
as written by the author; rendering and sanitising happen in one place
(:mod:`studyapp.packs.render`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

QuestionType = Literal["single", "multiple"]
QUESTION_TYPES: tuple[QuestionType, ...] = ("single", "multiple")
MIN_OPTIONS = 2
MAX_OPTIONS = 8


@dataclass(frozen=True, slots=True)
class Reference:
    """A source: shown as text; a URL is displayed, never fetched."""

    title: str
    section: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, str]:
        out = {"title": self.title}
        if self.section:
            out["section"] = self.section
        if self.url:
            out["url"] = self.url
        return out


@dataclass(frozen=True, slots=True)
class Option:
    """An answer option; ``rationale`` says why it is right or wrong."""

    id: str
    text: str
    correct: bool
    rationale: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "correct": self.correct,
            "rationale": self.rationale,
        }


@dataclass(frozen=True, slots=True)
class Question:
    """A single- or multiple-answer question of a pack."""

    id: str
    skill: str | None
    type: QuestionType
    stem: str
    options: tuple[Option, ...]
    explanation: str = ""
    difficulty: int = 2
    tags: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    revision: int = 1
    # A name for people (Moodle's <name>, GIFT's ::title::); "" when none. Written to a
    # pack file and hashed only when set, so untitled questions keep their hashes.
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def correct_ids(self) -> frozenset[str]:
        """Ids of the correct options."""
        return frozenset(o.id for o in self.options if o.correct)

    def is_correct(self, chosen: frozenset[str] | set[str]) -> bool:
        """All-or-nothing scoring: exactly the correct options were chosen."""
        return frozenset(chosen) == self.correct_ids

    def to_dict(self) -> dict[str, Any]:
        """The pack-file form of the question."""
        out: dict[str, Any] = {
            "id": self.id,
            "skill": self.skill,
            "type": self.type,
            "stem": self.stem,
            "options": [o.to_dict() for o in self.options],
            "explanation": self.explanation,
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "references": [r.to_dict() for r in self.references],
            "revision": self.revision,
        }
        if self.title:
            out["title"] = self.title
        return out

    def content_hash(self) -> str:
        """SHA-256 of everything a learner sees; equal hashes mean an unchanged question."""
        body = self.to_dict()
        body.pop("revision")
        body["tags"] = sorted(set(self.tags))  # tag order carries no meaning
        canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
