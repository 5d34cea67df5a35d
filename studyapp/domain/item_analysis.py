"""Item analysis of one mock exam sat by a group: pure functions over plain data.

A study group's members sit the same exam from one code, so each question was answered by
several people. Classical test theory then tells a facilitator which questions behave
oddly, which is usually a flaw in the question (a wrong key, two defensible answers, a
giveaway) rather than in the learners:

- ``p_correct``: the share of members who answered the question right.
- ``discrimination``: the point-biserial correlation between being right on this question
  and the member's score on the *rest* of the exam (the corrected item-total correlation,
  so a question does not correlate with itself). Positive: stronger members get it right
  more often, as they should. ``None`` when it cannot be told (fewer than
  :data:`MIN_SITTERS` members, or everybody right, or everybody wrong, or all rest
  scores equal).
- ``choices``: how many members chose each option (an unanswered question counts under
  no option; see ``unanswered``).

Flags (plain ids; the screen and report put them in words with :data:`FLAG_TEXT`):

- ``negative_discrimination``: discrimination below zero: the stronger members did worse.
- ``distractor_preferred_by_strongest``: in the upper group (the better half by rest
  score, at least one member), a wrong option was chosen more often than the key.
- ``everyone_right``: every member who sat it was right (with at least two members): the
  question does not tell anyone anything.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter, neg, sub
from typing import Any, Protocol

MIN_SITTERS = 3
NEGATIVE = "negative_discrimination"
DISTRACTOR = "distractor_preferred_by_strongest"
EVERYONE_RIGHT = "everyone_right"
FLAGS = (NEGATIVE, DISTRACTOR, EVERYONE_RIGHT)
FLAG_TEXT = {
    NEGATIVE: "stronger members did worse on it",
    DISTRACTOR: "the strongest members preferred a wrong option",
    EVERYONE_RIGHT: "everyone got it right",
}


class Response(Protocol):
    """What the analysis reads of an answer: any object with these two attributes (an
    :class:`ItemResponse`, or a shared card's question as read, with no copy made of
    100,000 answers for a 1,000-member group)."""

    @property
    def chosen(self) -> tuple[str, ...]: ...

    @property
    def correct(self) -> bool: ...


_correct = attrgetter("correct")
_chosen = attrgetter("chosen")


@dataclass(frozen=True, slots=True)
class ItemResponse:
    """One member's answer to one question: the options chosen and whether it was right."""

    chosen: tuple[str, ...]
    correct: bool


@dataclass(frozen=True, slots=True)
class Sitting:
    """One member's sitting of the exam: their answer to each question, by question id."""

    member: str
    responses: Mapping[str, Response]
    # Counted once: every question's analysis reads it for every sitting (a quadratic
    # cost for a 1,000-member hub when it was summed on each read).
    raw: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        """Questions answered right."""
        object.__setattr__(self, "raw", sum(map(_correct, self.responses.values())))


@dataclass(frozen=True, slots=True)
class ItemAnalysis:
    """The figures and flags of one question."""

    id: str
    sat: int
    p_correct: float
    discrimination: float | None
    choices: dict[str, int]
    unanswered: int
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``group status --json`` form (keys only grow)."""
        return {
            "id": self.id,
            "sat": self.sat,
            "p_correct": round(self.p_correct, 4),
            "discrimination": None
            if self.discrimination is None
            else round(self.discrimination, 4),
            "choices": dict(self.choices),
            "unanswered": self.unanswered,
            "flags": list(self.flags),
        }


@dataclass(frozen=True, slots=True)
class ExamAnalysis:
    """A whole exam: who sat it, the score distribution, and every question's analysis."""

    code: str
    length: int
    scores: tuple[int, ...]  # raw scores, highest first
    items: tuple[ItemAnalysis, ...]

    @property
    def sat(self) -> int:
        return len(self.scores)

    @property
    def flagged(self) -> tuple[ItemAnalysis, ...]:
        return tuple(i for i in self.items if i.flags)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "sat": self.sat,
            "length": self.length,
            "scores": list(self.scores),
            "items": [i.to_dict() for i in self.items],
        }


def point_biserial(right: Sequence[bool], totals: Sequence[float]) -> float | None:
    """Pearson correlation of a 0/1 variable with a score; None when undefined."""
    n = len(right)
    if n != len(totals) or n < 2:
        return None
    k = sum(right)
    if k in (0, n):
        return None
    mean = sum(totals) / n
    # In C (map, compress): the same operations, in the same order, as a Python loop.
    sd = math.sqrt(sum(map(pow, map(sub, totals, repeat(mean)), repeat(2))) / n)
    if sd == 0.0:
        return None
    mean_right = sum(compress(totals, right)) / k
    p = k / n
    return (mean_right - mean) / sd * math.sqrt(p / (1 - p))


@dataclass(frozen=True, slots=True)
class _Answers:
    """One question's answers over the sittings that include it, in sitting order: who
    (for the tie order), right or not, their raw score, the options chosen."""

    members: list[str]
    right: list[bool]
    raw: list[int]
    chosen: list[tuple[str, ...]]
    by_member: list[int]  # positions sorted by member (the tie order of the upper half)


def _member_order(members: list[str]) -> list[int]:
    return sorted(range(len(members)), key=members.__getitem__)


def _gather(item_id: str, sittings: Sequence[Sitting]) -> _Answers:
    """Any sittings: the ones that include ``item_id``, looked up one by one."""
    took = [s for s in sittings if item_id in s.responses]
    responses = [s.responses[item_id] for s in took]
    members = [s.member for s in took]
    return _Answers(
        members,
        list(map(_correct, responses)),
        [s.raw for s in took],
        list(map(_chosen, responses)),
        _member_order(members),
    )


def analyse_item(
    item_id: str, sittings: Sequence[Sitting], key: Sequence[str] | None = None
) -> ItemAnalysis:
    """The analysis of question ``item_id`` over the sittings that include it.

    ``key`` (the correct option ids) is needed only for the distractor flag; without it
    the key is taken as the options chosen by members who were right.
    """
    return _figures(item_id, _gather(item_id, sittings), key)


def _figures(item_id: str, answers: _Answers, key: Sequence[str] | None) -> ItemAnalysis:
    """Every figure and flag of one question from its answers: the one place the
    formulas live (loops in C: 100,000 answers per exam for a 1,000-member hub)."""
    right, chosen = answers.right, answers.chosen
    n = len(right)
    rest = list(map(float, map(sub, answers.raw, right)))
    choices = Counter(chain.from_iterable(chosen))
    unanswered = n - sum(map(bool, chosen))
    p = sum(right) / n if n else 0.0
    disc = point_biserial(right, rest) if n >= MIN_SITTERS else None
    keys = set(key) if key is not None else set(chain.from_iterable(compress(chosen, right)))
    flags: list[str] = []
    if disc is not None and disc < 0.0:
        flags.append(NEGATIVE)
    if n >= MIN_SITTERS and _upper_prefers_distractor(answers.by_member, chosen, rest, keys):
        flags.append(DISTRACTOR)
    if n >= 2 and all(right):
        flags.append(EVERYONE_RIGHT)
    return ItemAnalysis(
        id=item_id,
        sat=n,
        p_correct=p,
        discrimination=disc,
        choices=dict(sorted(choices.items())),
        unanswered=unanswered,
        flags=tuple(flags),
    )


def _upper_prefers_distractor(
    by_member: list[int],
    chosen: Sequence[tuple[str, ...]],
    rest: Sequence[float],
    keys: set[str],
) -> bool:
    """True when the better half (by rest score, ties by member) chose one wrong option
    more than the key."""
    if not keys:
        return False
    # Highest rest score first, ties in member order: a stable sort by score of the
    # positions already in member order (what sorting by (-rest, member) gives, with
    # float instead of tuple comparisons).
    order = sorted(by_member, key=list(map(neg, rest)).__getitem__)
    upper = list(map(set, map(chosen.__getitem__, order[: max(1, len(order) // 2)])))
    # Per member of the upper group: chose a key option (counted once), and each wrong
    # option chosen (once per member).
    key_count = sum(map(bool, map(keys.intersection, upper)))
    counts = Counter(chain.from_iterable(map(set.difference, upper, repeat(keys))))
    return bool(counts) and max(counts.values()) > key_count


@dataclass(frozen=True, slots=True)
class _Rows:
    """Uniform sittings (the same questions in the same order): each sitting's answers as
    a row, each question's place in it, and what every question shares (who, raw score,
    member order), so a question's answers are one column taken in C."""

    place: dict[str, int]
    rows: list[list[Response]]
    members: list[str]
    raw: list[int]
    by_member: list[int]


def _columns(sittings: Sequence[Sitting]) -> _Rows | None:
    """The sittings as rows when they are uniform (one exam code: the usual case)."""
    if not sittings:
        return None
    first = tuple(sittings[0].responses)
    if any(tuple(s.responses) != first for s in sittings):
        return None
    members = [s.member for s in sittings]
    return _Rows(
        {q: i for i, q in enumerate(first)},
        [list(s.responses.values()) for s in sittings],
        members,
        [s.raw for s in sittings],
        _member_order(members),
    )


def analyse_exam(
    code: str,
    sittings: Sequence[Sitting],
    order: Sequence[str] = (),
    keys: Mapping[str, Sequence[str]] | None = None,
) -> ExamAnalysis:
    """Every question of one exam; ``order`` lists question ids in exam order (others
    follow sorted). The sittings should be one per member (the latest).

    Sittings that all hold the same questions in the same order are read by column
    (:func:`_columns`); any others one by one (:func:`_gather`). Both hand the same
    answers, in the same order, to the one set of formulas (:func:`_figures`).
    """
    ids = list(order)
    seen = set(ids)
    columns = _columns(sittings)
    for s in sittings[:1] if columns is not None else sittings:
        for item_id in sorted(s.responses):
            if item_id not in seen:
                seen.add(item_id)
                ids.append(item_id)
    key_of = keys or {}
    items = tuple(
        _figures(i, _column(i, columns) or _gather(i, sittings), key_of.get(i)) for i in ids
    )
    length = max((len(s.responses) for s in sittings), default=len(ids))
    scores = tuple(sorted((s.raw for s in sittings), reverse=True))
    return ExamAnalysis(code=code, length=length, scores=scores, items=items)


def _column(item_id: str, columns: _Rows | None) -> _Answers | None:
    """The answers to ``item_id`` as one column of uniform sittings (None: not uniform,
    or nobody has the question)."""
    if columns is None or item_id not in columns.place:
        return None
    responses = list(map(itemgetter(columns.place[item_id]), columns.rows))
    return _Answers(
        columns.members,
        list(map(_correct, responses)),
        columns.raw,
        list(map(_chosen, responses)),
        columns.by_member,
    )
