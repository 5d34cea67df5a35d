"""Building a mock exam: how many questions per skill area, which ones, in what order.

Everything here is a pure function of the exam's code (:class:`ExamCode`), the pool of
questions (pack id, question id, skill, option ids, pack version) and, for the
history-dependent selections only, the learner's history. Nothing depends on database row
ids, install order, the clock or a global random generator, so the same code over the same
pack versions gives the same exam on any machine.

Randomness is a keyed hash, not a generator: a question's place in a draw is
``sha256(seed, purpose, pack/question)``. Such an order is the same on every platform and
Python version (``random.Random``'s ``shuffle`` is not promised to be), and a question added
to a pack moves no other question's rank.

Blueprint: the framework's skill weights, restricted to the chosen skill areas, split the
length by largest remainder (:func:`studyapp.domain.blueprint.allocate`): CETL at 100 is
15/15/10/12/9/9/9/7/7/7. A skill area with fewer questions than its share gets all it
has and the rest is split again over the others, by the same rule.

Selections: ``mixed`` ranks every question by the hash alone (the only one that is the same
for everyone, so group exams use it); ``unseen-first`` puts questions the learner has never
answered first; ``weak-focus`` puts first the questions whose last answer was wrong (most
wrong answers first), then unseen ones, then those last answered right. The blueprint
counts are the same in every selection: a mock exam keeps the real exam's proportions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studyapp.domain.blueprint import allocate
from studyapp.domain.exam_code import FINGERPRINTS, ExamCode, ExamError, Selection


@dataclass(frozen=True, slots=True)
class PoolQuestion:
    """A question that may be drawn: identity, skill, options in authored order."""

    pack_id: str
    question_id: str
    skill: str
    option_ids: tuple[str, ...]

    @property
    def ref(self) -> str:
        return f"{self.pack_id}/{self.question_id}"


@dataclass(frozen=True, slots=True)
class History:
    """What the learner has done with one question (for unseen-first and weak-focus)."""

    seen: bool
    last_correct: bool | None = None
    wrong_count: int = 0


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One question of a built exam, with the option order the learner will see."""

    position: int
    ref: str
    skill: str
    option_order: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExamPlan:
    """A built exam: its code, its questions in order, and how the blueprint was met."""

    code: ExamCode
    skills: tuple[str, ...]
    counts: dict[str, int]
    items: tuple[PlannedItem, ...]
    pack_versions: dict[str, str]
    notes: tuple[str, ...] = ()


def skill_mask(chosen: Sequence[str], all_skills: Sequence[str]) -> int:
    """The code's skill mask: 0 for all, else bits over the sorted skill ids."""
    ordered = sorted(all_skills)
    unknown = sorted(set(chosen) - set(ordered))
    if unknown:
        raise ExamError(
            f"{', '.join(unknown)} is not a skill area of this blueprint; use: "
            + ", ".join(ordered)
            + "."
        )
    if not chosen:
        raise ExamError("Choose at least one skill area for the exam.")
    if set(chosen) == set(ordered):
        return 0
    return sum(1 << i for i, skill in enumerate(ordered) if skill in chosen)


def skills_of_mask(mask: int, all_skills: Sequence[str]) -> tuple[str, ...]:
    """Inverse of :func:`skill_mask`; refuses bits the blueprint has no skill for."""
    ordered = sorted(all_skills)
    if mask == 0:
        return tuple(ordered)
    if mask >> len(ordered):
        raise ExamError(
            "This exam code names skill areas the blueprint does not have; it was made "
            "for another version of the framework."
        )
    return tuple(skill for i, skill in enumerate(ordered) if mask >> i & 1)


def pool_fingerprint(pack_versions: Mapping[str, str]) -> int:
    """14-bit digest of the (pack id, version) pairs a pool is drawn from."""
    text = "\n".join(f"{pid}@{ver}" for pid, ver in sorted(pack_versions.items()))
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % FINGERPRINTS


def blueprint_counts(
    weights: Mapping[str, float], length: int, available: Mapping[str, int]
) -> dict[str, int]:
    """Questions per skill area: largest remainder over ``weights``, capped by ``available``.

    A skill area that cannot fill its share keeps what it has and leaves the rest to be
    split over the others by weight, until the length is met.
    """
    total = sum(min(available.get(s, 0), length) for s in weights)
    if total < length:
        raise ExamError(
            f"Only {total} questions are available in the chosen skill areas; an exam of "
            f"{length} needs more. Choose a shorter exam, more skill areas, or import a pack."
        )
    counts = dict.fromkeys(weights, 0)
    open_skills = {s: w for s, w in weights.items() if available.get(s, 0) > 0}
    remaining = length
    while remaining:
        share = allocate(open_skills, remaining)
        full = {s for s, n in share.items() if n > available[s]}
        if not full:
            for s, n in share.items():
                counts[s] += n
            break
        for s in sorted(full):
            remaining -= available[s] - counts[s]
            counts[s] = available[s]
            del open_skills[s]
    return counts


def _rank(seed: int, purpose: str, text: str) -> bytes:
    return hashlib.sha256(f"{seed}|{purpose}|{text}".encode()).digest()


def _priority(selection: Selection, history: History | None) -> tuple[int, int]:
    """Sort key before the hash: lower first. Mixed ignores history entirely."""
    h = history or History(seen=False)
    if selection == "unseen-first":
        return (0 if not h.seen else 1, 0)
    if selection == "weak-focus":
        if h.seen and h.last_correct is False:
            return (0, -h.wrong_count)
        return (1 if not h.seen else 2, 0)
    return (0, 0)


def shuffled_options(seed: int, q: PoolQuestion) -> tuple[str, ...]:
    """The option order of ``q`` in the exam with this seed (the same on every machine)."""
    purpose = f"options|{q.ref}"
    return tuple(sorted(q.option_ids, key=lambda o: (_rank(seed, purpose, o), o)))


def build_exam(
    code: ExamCode,
    weights: Mapping[str, float],
    pool: Sequence[PoolQuestion],
    pack_versions: Mapping[str, str],
    history: Mapping[str, History] | None = None,
) -> ExamPlan:
    """The exam ``code`` stands for over ``pool`` (weights: every skill of the blueprint).

    ``pack_versions`` are the versions of the packs ``pool`` comes from; their fingerprint
    must be the code's (the caller chooses the pool: ``services.exam_building``). ``history``
    (by ``pack/question``) is used by unseen-first and weak-focus only.
    """
    skills = skills_of_mask(code.skill_mask, list(weights))
    chosen = {s: weights[s] for s in skills}
    by_skill: dict[str, list[PoolQuestion]] = {s: [] for s in skills}
    for q in pool:
        if q.skill in by_skill:
            by_skill[q.skill].append(q)
    counts = blueprint_counts(chosen, code.length, {s: len(v) for s, v in by_skill.items()})
    hist = history or {}
    picked: list[PoolQuestion] = []
    for skill in sorted(skills):
        ranked = sorted(
            by_skill[skill],
            key=lambda q: (
                _priority(code.selection, hist.get(q.ref)),
                _rank(code.seed, "pick", q.ref),
                q.ref,
            ),
        )
        picked.extend(ranked[: counts[skill]])
    picked.sort(key=lambda q: (_rank(code.seed, "order", q.ref), q.ref))
    items = tuple(
        PlannedItem(
            position=i,
            ref=q.ref,
            skill=q.skill,
            option_order=shuffled_options(code.seed, q),
        )
        for i, q in enumerate(picked)
    )
    share = allocate(chosen, code.length)
    notes = tuple(
        f"{skill}: {counts[skill]} questions instead of the blueprint's {share[skill]} "
        "(no more are installed)"
        for skill in sorted(skills)
        if counts[skill] < share[skill]
    )
    return ExamPlan(
        code=code,
        skills=tuple(skills),
        counts=counts,
        items=items,
        pack_versions=dict(sorted(pack_versions.items())),
        notes=notes,
    )
