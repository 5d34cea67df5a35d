"""Building a mock exam: how many questions per skill area, which ones, in what order.

Everything here is a pure function of the exam's code (:class:`ExamCode`), the pool of
questions (pack id, question id, skill, pack version), the option ids of the questions
drawn and, for the history-dependent selections only, the learner's history. Nothing
depends on database row ids (a :class:`PoolQuestion` carries its row id for the caller,
never for a draw), install order, the clock or a global random generator, so the same code
over the same pack versions gives the same exam on any machine.

Randomness is a keyed hash, not a generator. Such an order is the same on every platform
and Python version (``random.Random``'s ``shuffle`` is not promised to be). The draw uses
*buckets* (``docs/decisions/0010-exam-draw-buckets.md``) so that it needs no hash per pool
question: each question has a fixed bucket ``sha256(pack/question)`` mod 4096 (computed
once, when the pool is built), and its rank in a draw is the key

    (priority, sha256(seed|pick-bucket|bucket), sha256(seed|pick|pack/question), pack/question)

lowest first. A draw hashes the 4096 bucket ids once, walks the buckets in that order
collecting a skill area's questions until it has the blueprint's count, keeps the rest of
the last bucket reached, and ranks only those by the whole key: exactly the result of
sorting every question of the area by it, for about a hundred hashes instead of one per
question. Properties: a question added to a pack moves no other question's rank, and every
question is equally likely to be drawn; questions that share a bucket tend to be drawn
together (about 24 per bucket at 100,000 questions, one or none at a few hundred).

Blueprint: the framework's skill weights, restricted to the chosen skill areas, split the
length by largest remainder (:func:`studyapp.domain.blueprint.allocate`): CETL at 100 is
15/15/10/12/9/9/9/7/7/7. A skill area with fewer questions than its share gets all it
has and the rest is split again over the others, by the same rule.

Selections: ``mixed`` ranks every question by the hash alone (the only one that is the same
for everyone, so group exams use it); ``unseen-first`` puts questions the learner has never
answered first; ``weak-focus`` puts first the questions whose last answer was wrong (most
wrong answers first), then unseen ones, then those last answered right. The blueprint
counts are the same in every selection: a mock exam keeps the real exam's proportions.

Question order (``sha256(seed|order|pack/question)``) and each question's option order
(``sha256(seed|options|pack/question|option)``) hash only the questions drawn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from studyapp.domain.blueprint import allocate
from studyapp.domain.exam_code import FINGERPRINTS, ExamCode, ExamError, Selection

BUCKETS = 4096


@dataclass(frozen=True, slots=True)
class PoolQuestion:
    """A question that may be drawn: identity and skill area.

    ``qid`` is the storage's row id, carried so the caller can load the options of the
    questions drawn; no draw depends on it.
    """

    pack_id: str
    question_id: str
    skill: str
    qid: int | None = field(default=None, compare=False)
    ref: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ref", f"{self.pack_id}/{self.question_id}")


def question_bucket(ref: str, buckets: int = BUCKETS) -> int:
    """A question's fixed bucket: the first 4 bytes of ``sha256(pack/question)`` mod 4096."""
    return int.from_bytes(hashlib.sha256(ref.encode()).digest()[:4], "big") % buckets


@dataclass(frozen=True, slots=True)
class SkillPool:
    """The questions of one skill area, sorted by ref, and grouped by bucket."""

    questions: tuple[PoolQuestion, ...]
    by_bucket: Mapping[int, tuple[PoolQuestion, ...]]
    packs: frozenset[str]


@dataclass(frozen=True, slots=True)
class ExamPool:
    """The questions an exam may be drawn from, grouped by skill area and bucket.

    Immutable and built once per question set (the services cache it), so that a draw does
    no pass over the whole pool: see the module docstring. ``versions`` are the versions of
    the packs that have a question in the pool; ``buckets`` gives each question's bucket.
    """

    versions: Mapping[str, str]
    skills: Mapping[str, SkillPool]
    by_ref: Mapping[str, PoolQuestion]
    buckets: Mapping[str, int]
    bucket_count: int = BUCKETS

    @classmethod
    def of(
        cls,
        questions: Iterable[PoolQuestion],
        versions: Mapping[str, str],
        bucket_count: int = BUCKETS,
    ) -> ExamPool:
        """The pool of ``questions`` (any order; a ref given twice counts once) whose packs
        are at ``versions`` (pack id -> version; every question's pack must be there)."""
        by_ref = {q.ref: q for q in questions}
        grouped: dict[str, list[PoolQuestion]] = {}
        for ref in sorted(by_ref):
            q = by_ref[ref]
            grouped.setdefault(q.skill, []).append(q)
        buckets = {ref: question_bucket(ref, bucket_count) for ref in by_ref}
        skills: dict[str, SkillPool] = {}
        for skill, members in sorted(grouped.items()):
            by_bucket: dict[int, list[PoolQuestion]] = {}
            for q in members:
                by_bucket.setdefault(buckets[q.ref], []).append(q)
            skills[skill] = SkillPool(
                questions=tuple(members),
                by_bucket=MappingProxyType({b: tuple(qs) for b, qs in by_bucket.items()}),
                packs=frozenset(q.pack_id for q in members),
            )
        packs = {q.pack_id for q in by_ref.values()}
        return cls(
            versions=MappingProxyType({p: versions[p] for p in sorted(packs)}),
            skills=MappingProxyType(skills),
            by_ref=MappingProxyType(by_ref),
            buckets=MappingProxyType(buckets),
            bucket_count=bucket_count,
        )

    def __len__(self) -> int:
        return len(self.by_ref)

    def available(self) -> dict[str, int]:
        """Questions per skill area."""
        return {skill: len(sp.questions) for skill, sp in self.skills.items()}

    def versions_for(self, skills: Iterable[str]) -> dict[str, str]:
        """Pack id -> version of the packs with a question in ``skills``, sorted by id."""
        packs: set[str] = set()
        for skill in skills:
            sp = self.skills.get(skill)
            if sp is not None:
                packs |= sp.packs
        return {p: self.versions[p] for p in sorted(packs)}

    def restricted(self, packs: Collection[str]) -> ExamPool:
        """The pool of the questions of ``packs`` only (one pass over the pool)."""
        keep = set(packs)
        return ExamPool.of(
            (q for q in self.by_ref.values() if q.pack_id in keep),
            self.versions,
            self.bucket_count,
        )


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


@dataclass(frozen=True, slots=True)
class ExamDraw:
    """The questions an exam code draws, in exam order, before their options are known.

    The caller loads the option ids of ``questions`` (a hundred, not the pool) and turns the
    draw into a plan with :meth:`plan`.
    """

    code: ExamCode
    skills: tuple[str, ...]
    counts: dict[str, int]
    questions: tuple[PoolQuestion, ...]
    pack_versions: dict[str, str]
    notes: tuple[str, ...] = ()

    def plan(self, option_ids: Mapping[str, Sequence[str]]) -> ExamPlan:
        """The plan, with each question's options (by ref, authored order) shuffled."""
        items = tuple(
            PlannedItem(
                position=i,
                ref=q.ref,
                skill=q.skill,
                option_order=shuffled_options(self.code.seed, q.ref, option_ids.get(q.ref, ())),
            )
            for i, q in enumerate(self.questions)
        )
        return ExamPlan(
            code=self.code,
            skills=self.skills,
            counts=self.counts,
            items=items,
            pack_versions=self.pack_versions,
            notes=self.notes,
        )


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


@lru_cache(maxsize=4)
def bucket_order(seed: int, bucket_count: int = BUCKETS) -> tuple[tuple[bytes, int], ...]:
    """(``sha256(seed|pick-bucket|b)``, b) for every bucket, in draw order.

    Cached for the last few seeds: building an exam and then creating it hash once.
    """
    prefix = hashlib.sha256(f"{seed}|pick-bucket|".encode())
    ranked = []
    for b in range(bucket_count):
        h = prefix.copy()
        h.update(str(b).encode())
        ranked.append((h.digest(), b))
    ranked.sort()
    return tuple(ranked)


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


def _take(
    by_bucket: Mapping[int, Sequence[PoolQuestion]],
    need: int,
    order: Sequence[tuple[bytes, int]],
    seed: int,
    exclude: Collection[str] = frozenset(),
) -> list[PoolQuestion]:
    """The ``need`` questions of ``by_bucket`` (one priority; refs in ``exclude`` left
    out) that rank first by (bucket hash, pick hash, ref), hashing only the buckets reached.

    Buckets are walked in ``order``; once ``need`` questions are collected, the walk ends
    after the bucket reached (and any with the same hash): every question left behind has
    a greater bucket hash than all of at least ``need`` collected ones, so it cannot be
    among the first ``need``.
    """
    if need <= 0:
        return []
    got: list[tuple[bytes, bytes, str, PoolQuestion]] = []
    stop: bytes | None = None
    for digest, b in order:
        if stop is not None and digest != stop:
            break
        members = by_bucket.get(b)
        if not members:
            continue
        got.extend(
            (digest, _rank(seed, "pick", q.ref), q.ref, q) for q in members if q.ref not in exclude
        )
        if stop is None and len(got) >= need:
            stop = digest
    got.sort(key=lambda t: (t[0], t[1], t[2]))
    return [t[3] for t in got[:need]]


def _pick_skill(
    pool: ExamPool,
    skill: str,
    need: int,
    code: ExamCode,
    order: Sequence[tuple[bytes, int]],
    special: Mapping[tuple[int, int], Sequence[PoolQuestion]],
) -> list[PoolQuestion]:
    """The ``need`` questions of one skill area that rank first in this draw.

    ``special`` holds the skill's questions whose priority is not the selection's default
    (by priority; none in mixed); every other question of the skill has the default. So
    the cost follows the learner's history and the blueprint count, not the pool's size.
    """
    sp = pool.skills.get(skill)
    if sp is None or need <= 0:
        return []
    if need >= len(sp.questions):
        return list(sp.questions)
    default = _priority(code.selection, None)
    taken = {q.ref for group in special.values() for q in group}
    picked: list[PoolQuestion] = []
    for prio in sorted({*special, default}):
        left = need - len(picked)
        if left <= 0:
            break
        if prio == default:
            if len(sp.questions) - len(taken) <= left:  # all of them are drawn
                picked.extend(q for q in sp.questions if q.ref not in taken)
            else:
                picked.extend(_take(sp.by_bucket, left, order, code.seed, taken))
            continue
        members = special[prio]
        if len(members) <= left:  # the whole group is drawn: no need to rank it
            picked.extend(members)
            continue
        by_bucket: dict[int, list[PoolQuestion]] = {}
        for q in members:
            by_bucket.setdefault(pool.buckets[q.ref], []).append(q)
        picked.extend(_take(by_bucket, left, order, code.seed))
    return picked


def _special(
    selection: Selection,
    pool: ExamPool,
    skills: Collection[str],
    history: Mapping[str, History],
) -> dict[str, dict[tuple[int, int], list[PoolQuestion]]]:
    """Skill -> priority -> the pool's questions whose history gives them a priority
    other than the default one (of a question never answered)."""
    out: dict[str, dict[tuple[int, int], list[PoolQuestion]]] = {s: {} for s in skills}
    if selection == "mixed":
        return out
    default = _priority(selection, None)
    for ref, h in history.items():
        q = pool.by_ref.get(ref)
        if q is None or q.skill not in out:
            continue
        prio = _priority(selection, h)
        if prio != default:
            out[q.skill].setdefault(prio, []).append(q)
    return out


def draw_exam(
    code: ExamCode,
    weights: Mapping[str, float],
    pool: ExamPool,
    history: Mapping[str, History] | None = None,
) -> ExamDraw:
    """The questions ``code`` draws from ``pool`` (weights: every skill of the blueprint).

    ``pool`` holds the packs the code was built from (their fingerprint must be the code's;
    the caller chooses them: ``services.exams.building``). ``history`` (by ``pack/question``)
    is used by unseen-first and weak-focus only.
    """
    skills = skills_of_mask(code.skill_mask, list(weights))
    chosen = {s: weights[s] for s in skills}
    available = pool.available()
    counts = blueprint_counts(chosen, code.length, {s: available.get(s, 0) for s in skills})
    order = bucket_order(code.seed, pool.bucket_count)
    special = _special(code.selection, pool, skills, history or {})
    picked: list[PoolQuestion] = []
    for skill in sorted(skills):
        picked.extend(_pick_skill(pool, skill, counts[skill], code, order, special[skill]))
    picked.sort(key=lambda q: (_rank(code.seed, "order", q.ref), q.ref))
    share = allocate(chosen, code.length)
    notes = tuple(
        f"{skill}: {counts[skill]} questions instead of the blueprint's {share[skill]} "
        "(no more are installed)"
        for skill in sorted(skills)
        if counts[skill] < share[skill]
    )
    return ExamDraw(
        code=code,
        skills=tuple(skills),
        counts=counts,
        questions=tuple(picked),
        pack_versions=pool.versions_for(skills),
        notes=notes,
    )


def shuffled_options(seed: int, ref: str, option_ids: Sequence[str]) -> tuple[str, ...]:
    """The option order of question ``ref`` in the exam with this seed (the same on every
    machine)."""
    purpose = f"options|{ref}"
    return tuple(sorted(option_ids, key=lambda o: (_rank(seed, purpose, o), o)))
