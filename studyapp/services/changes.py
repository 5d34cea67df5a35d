"""What an operation changed, so that screens refresh only what is stale.

Modelled on Anki's ``OpChanges``: every operation that writes returns an
:class:`Outcome` carrying its result and the set of things it touched.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class Change(enum.Flag):
    """Kinds of data an operation may have changed."""

    NONE = 0
    FRAMEWORKS = enum.auto()
    PACKS = enum.auto()
    QUESTIONS = enum.auto()
    REVIEWS = enum.auto()
    SETTINGS = enum.auto()
    EXAMS = enum.auto()
    ALL = FRAMEWORKS | PACKS | QUESTIONS | REVIEWS | SETTINGS | EXAMS


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """An operation's result and what it changed."""

    value: T
    changes: Change = Change.NONE
