"""Checking an edited question with the pack format's own rules, and saying what is
wrong in words for people (the editor shows these as you type)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from studyapp.domain.framework import Framework
from studyapp.domain.question import Question
from studyapp.packs.problems import Problem, Problems
from studyapp.packs.studypack import parse_question


def check_question(
    item: Mapping[str, Any], framework: Framework | None, media_names: Sequence[str] = ()
) -> tuple[Question | None, tuple[Problem, ...]]:
    """Validate an edited question with the pack format's own rules (no I/O).

    ``item`` is the question in pack-file form; a missing id is filled with a placeholder.
    Returns the question (None when any error was found) and every problem.
    """
    problems = Problems()
    raw = dict(item)
    raw.setdefault("id", "draft")
    media = dict.fromkeys(media_names, b"")
    q = parse_question(raw, "editor: #1", problems, framework, media)
    return q, tuple(problems.items)


_FIELD_NAMES = {
    "skill": "Skill area",
    "type": "Type",
    "stem": "Question",
    "explanation": "Explanation",
    "options": "Options",
    "difficulty": "Difficulty",
    "tags": "Tags",
    "references": "References",
    "media": "Images",
    "revision": "Revision",
}
_INDEXED = re.compile(r"^(options|references)\[(\d+)\](?:[.:] ?(\w+))?$")


def describe_problem(problem: Problem) -> str:
    """A validation problem for people: 'Option B rationale: is empty; …'."""
    parts = problem.where.split(": ", 2)
    where = parts[2] if len(parts) == 3 else ""
    label = _FIELD_NAMES.get(where, where)
    match = _INDEXED.match(where)
    if match:
        kind, index, sub = match.group(1), int(match.group(2)), match.group(3)
        label = f"Option {chr(65 + index)}" if kind == "options" else f"Reference {index + 1}"
        if sub:
            label += " " + {"url": "address", "id": "id"}.get(sub, sub)
    prefix = "Warning — " if problem.severity == "warning" else ""
    return f"{prefix}{label}: {problem.message}" if label else f"{prefix}{problem.message}"
