"""Item-writing checks: flaws that make a multiple-choice question test test-wiseness
instead of knowledge. Each rule is documented, with its source, in ``docs/item-writing.md``.

The checker never changes a pack; it returns warnings. A pack may carry ``lint-allow.json``
(a list of {"rule", "id", "reason"}) to explain a warning it keeps on purpose; an entry
without a reason does not count.

Why this module is longer than 500 lines: it is one rule book. Each rule is a short
function documented, in this order, in ``docs/item-writing.md``, and all share the word
helpers and the thresholds at the top; split, a reader would look for a rule's threshold
in one module and its code in another.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from studyapp.domain.framework import Framework
from studyapp.domain.pack import Pack
from studyapp.domain.question import Question

ALLOW_FILE = "lint-allow.json"

KEY_LONGEST_RATIO = 1.25  # key at least 25% longer than every distractor
KEY_LONGEST_SHARE = 0.40  # pack-level: key is the longest option in over 40% of questions
POSITION_TOLERANCE = 0.10  # share of any key position vs uniform, in absolute terms
POSITION_MIN_QUESTIONS = 20
LONG_STEM_WORDS = 120
NEAR_DUPLICATE = 0.8  # similarity of the stems' word sequences (difflib ratio)
_PREFILTER = 0.5  # word-set Jaccard below which two stems cannot be near-duplicates
SHARE_FLOOR = 0.8  # a skill area below 80% of its blueprint share
# near-duplicate-key: stems AND keys share at least half their content words (Dice >= 0.5).
SAME_FACT_DICE = 0.5
# ...counting only words in at most 5% of the stems (or 20 stems, whichever is more): a word
# that common says nothing about which fact is tested, and it would make candidates quadratic.
COMMON_SHARE = 0.05
COMMON_MIN = 20
# Per-skill pack-level rules: the pack-level thresholds, widened by what random placement
# would produce by chance in a sample of that size (z = 2.58: a 1-in-100 fluke).
CHANCE_Z = 2.58
# tag-skill-mismatch: a tag "belongs" to a skill holding a majority of its (>= 5) uses.
TAG_MIN_USES = 5
TAG_MAJORITY = 0.5
# option-restates-stem: the key repeats at least 3 stem content words, 2 more than any distractor.
RESTATE_WORDS = 3
RESTATE_MARGIN = 2

_STOP = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "among",
        "because",
        "before",
        "being",
        "below",
        "between",
        "board",
        "could",
        "district",
        "does",
        "doing",
        "during",
        "each",
        "every",
        "first",
        "from",
        "have",
        "having",
        "into",
        "itself",
        "more",
        "most",
        "other",
        "should",
        "since",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "what",
        "when",
        "where",
        "which",
        "while",
        "whom",
        "with",
        "would",
        "your",
        "school",
        "schools",
        "staff",
        "student",
        "students",
        "teacher",
        "teachers",
        "technology",
    ]
)
_ALL_NONE = re.compile(
    r"\b(all|none|both|neither) of the (above|below|preceding)\b|\bboth [a-h] and [a-h]\b", re.I
)
# Lower-case only: capitals (NOT, EXCEPT) are the accepted way to mark a negative.
_NEGATIVE = re.compile(r"(?<!\bat )\b(not|except|never|least|false|incorrect)\b")
_WORD = re.compile(r"[a-z][a-z'-]+")
_ABSOLUTE = re.compile(
    r"\b(always|never|every|everyone|everything|all|none|nothing|only|must|indefinitely|"
    r"word for word|any|entirely|completely|solely|regardless|guarantee[sd]?)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class LintWarning:
    """One finding of one rule."""

    rule: str
    where: str
    message: str
    question: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "question": self.question,
            "where": self.where,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class LintReport:
    """Warnings still standing, and those an allow-list explains (with its reason)."""

    warnings: tuple[LintWarning, ...]
    allowed: tuple[tuple[LintWarning, str], ...]

    def to_json(self) -> dict[str, Any]:
        rules = Counter(w.rule for w in self.warnings)
        return {
            "clean": not self.warnings,
            "warnings": [w.to_json() for w in self.warnings],
            "allowed": [{**w.to_json(), "reason": reason} for w, reason in self.allowed],
            "by_rule": dict(sorted(rules.items())),
        }


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if len(w) >= 5 and w not in _STOP}


def _similar(a: tuple[list[str], set[str]], b: tuple[list[str], set[str]]) -> bool:
    """Near-duplicate stems: most words shared, mostly in the same order."""
    (wa, sa), (wb, sb) = a, b
    if not sa or not sb or len(sa & sb) / len(sa | sb) < _PREFILTER:
        return False
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= NEAR_DUPLICATE


def lint_questions(
    pack_id: str,
    questions: Sequence[Question],
    framework: Framework | None,
    others: Iterable[tuple[str, Question]] = (),
) -> list[LintWarning]:
    """Every rule over ``questions``; ``others`` are questions of other packs (for duplicates)."""
    out: list[LintWarning] = []
    for q in questions:
        out.extend(_question_rules(q))
    out.extend(_key_longest_pattern(pack_id, questions, per_skill=False))
    out.extend(_position_balance(pack_id, questions, per_skill=False))
    others = list(others)
    out.extend(_near_duplicates(questions, others))
    out.extend(_same_fact(questions, others))
    out.extend(_tag_skill_mismatch(questions))
    by_skill: dict[str, list[Question]] = {}
    for q in questions:
        if q.skill:
            by_skill.setdefault(q.skill, []).append(q)
    for skill, group in sorted(by_skill.items()):
        where = f"{pack_id}: {skill}"
        out.extend(_key_longest_pattern(where, group, per_skill=True))
        out.extend(_position_balance(where, group, per_skill=True))
    if framework is not None:
        out.extend(_blueprint_shares(pack_id, questions, framework))
    return out


def _question_rules(q: Question) -> list[LintWarning]:
    out: list[LintWarning] = []

    def warn(rule: str, message: str) -> None:
        out.append(LintWarning(rule, q.id, message, q.id))

    for o in q.options:
        if _ALL_NONE.search(o.text):
            warn(
                "all-none-of-the-above",
                f"option {o.id} uses '{_ALL_NONE.search(o.text).group(0)}'; "  # type: ignore[union-attr]
                "write a plausible distractor instead.",
            )
        if not o.rationale.strip():
            warn(
                "missing-rationale",
                f"option {o.id} has no rationale; say why it is right or wrong.",
            )
    for match in _NEGATIVE.finditer(q.stem):
        warn(
            "unmarked-negative",
            f"the stem says '{match.group(0)}'; rephrase positively or write it "
            "in capitals (NOT, EXCEPT, LEAST) so no one misreads it.",
        )
        break
    words = len(q.stem.split())
    if words > LONG_STEM_WORDS:
        warn(
            "long-stem",
            f"the stem has {words} words (over {LONG_STEM_WORDS}); cut what the "
            "question does not need.",
        )
    if q.type == "single":
        key = next((o for o in q.options if o.correct), None)
        others = [o for o in q.options if not o.correct]
        if key is not None and others:
            longest_other = max(len(o.text) for o in others)
            if len(key.text) >= KEY_LONGEST_RATIO * max(longest_other, 1):
                warn(
                    "key-longest",
                    f"the key is {len(key.text)} characters, the longest distractor "
                    f"{longest_other}; make options similar in length.",
                )
            stem_words = _content(q.stem)
            in_key = stem_words & _content(key.text)
            in_others = set().union(*(_content(o.text) for o in others)) & stem_words
            clang = sorted(in_key - in_others)
            if clang and len(clang) >= 2:
                warn(
                    "stem-clue-in-key",
                    f"only the key repeats the stem's words {', '.join(clang[:4])}; "
                    "a clue for guessers.",
                )
    out.extend(_absolute_distractors(q))
    out.extend(_option_restates_stem(q))
    return out


def _absolute_distractors(q: Question) -> list[LintWarning]:
    """The keys are the only options without an absolute ("always", "never", "only"…)."""
    keys = [o for o in q.options if o.correct]
    others = [o for o in q.options if not o.correct]
    if len(others) < 2 or not keys:
        return []
    if any(_ABSOLUTE.search(o.text) for o in keys):
        return []
    found = [_ABSOLUTE.search(o.text) for o in others]
    if not all(found):
        return []
    words = ", ".join(sorted({m.group(0).lower() for m in found if m}))
    return [
        LintWarning(
            "absolute-distractors",
            q.id,
            f"every distractor speaks in absolutes ({words}) and the key does not; "
            "learners pick the hedged option without knowing why. Make at least one "
            "distractor measured, credible practice.",
            q.id,
        )
    ]


def _stems(words: Iterable[str]) -> set[str]:
    """Content words folded to a crude stem, so 'audits' matches 'audit'."""
    return {w[:-1] if w.endswith("s") and len(w) > 5 else w for w in words}


def _option_restates_stem(q: Question) -> list[LintWarning]:
    """The key restates the stem's defining words: a gloss that echoes the stem."""
    stem = _stems(_content(q.stem))
    if not stem:
        return []
    echo = {o.id: stem & _stems(_content(o.text)) for o in q.options}
    out = []
    for key in (o for o in q.options if o.correct):
        best_other = max(
            (len(echo[o.id]) for o in q.options if not o.correct and o.id != key.id),
            default=0,
        )
        shared = echo[key.id]
        if len(shared) >= RESTATE_WORDS and len(shared) - best_other >= RESTATE_MARGIN:
            out.append(
                LintWarning(
                    "option-restates-stem",
                    q.id,
                    f"option {key.id} (a key) restates the stem's words "
                    f"{', '.join(sorted(shared)[:5])}; no distractor echoes more than "
                    f"{best_other}. Reword it so the match is not the clue.",
                    q.id,
                )
            )
    return out


def _chance(share: float, n: int) -> float:
    """How far a share of ``n`` random draws strays by chance (CHANCE_Z standard errors)."""
    return CHANCE_Z * math.sqrt(share * (1 - share) / n)


def _key_longest_pattern(
    where: str, questions: Sequence[Question], *, per_skill: bool
) -> list[LintWarning]:
    """The key is the longest option too often: the pack-wide rule, or one skill's share.

    Per skill the sample is small, so the limit widens by what chance alone gives a skill
    of that size whose keys are longest at the pack-level limit."""
    singles = [q for q in questions if q.type == "single"]
    if len(singles) < POSITION_MIN_QUESTIONS:
        return []
    longest = sum(
        1
        for q in singles
        if len(next(o for o in q.options if o.correct).text) >= max(len(o.text) for o in q.options)
    )
    share = longest / len(singles)
    limit = KEY_LONGEST_SHARE
    if per_skill:
        limit += _chance(KEY_LONGEST_SHARE, len(singles))
    if share <= limit:
        return []
    rule = "key-longest-skill" if per_skill else "key-longest-pattern"
    return [
        LintWarning(
            rule,
            where,
            f"the key is the longest option in {longest} of {len(singles)} single-answer "
            f"questions ({share:.0%}, limit {limit:.0%}); test-wise learners pick the "
            "longest option. Lengthen distractors or shorten keys.",
        )
    ]


def _position_balance(
    where: str, questions: Sequence[Question], *, per_skill: bool
) -> list[LintWarning]:
    """A key position far from an even share, pack-wide or (with a chance allowance) per skill."""
    by_count: dict[int, Counter[int]] = {}
    for q in questions:
        if q.type != "single":
            continue
        idx = next(i for i, o in enumerate(q.options) if o.correct)
        by_count.setdefault(len(q.options), Counter())[idx] += 1
    out = []
    for n, counts in sorted(by_count.items()):
        total = sum(counts.values())
        if total < POSITION_MIN_QUESTIONS:
            continue
        tolerance = POSITION_TOLERANCE
        if per_skill:
            tolerance += _chance(1 / n, total)
        shares = {i: counts.get(i, 0) / total for i in range(n)}
        worst = max(shares, key=lambda i: abs(shares[i] - 1 / n))
        if abs(shares[worst] - 1 / n) > tolerance:
            layout = ", ".join(f"{'ABCDEFGH'[i]} {shares[i]:.0%}" for i in range(n))
            out.append(
                LintWarning(
                    "position-imbalance-skill" if per_skill else "position-imbalance",
                    where,
                    f"among {total} single-answer questions with {n} options the key sits at "
                    f"{layout}; balance positions (or let the app shuffle and say so).",
                )
            )
    return out


def _near_duplicates(
    questions: Sequence[Question], others: list[tuple[str, Question]]
) -> list[LintWarning]:
    def key(text: str) -> tuple[list[str], set[str]]:
        words = _words(text)
        return words, set(words)

    mine = [(q.id, key(q.stem)) for q in questions]
    theirs = [(pack, oq, key(oq.stem)) for pack, oq in others]
    out = []
    for i, (qid, a) in enumerate(mine):
        for other_id, b in mine[i + 1 :]:
            if _similar(a, b):
                out.append(
                    LintWarning(
                        "near-duplicate", qid, f"stem is nearly the same as {other_id}.", qid
                    )
                )
        for pack, oq, b in theirs:
            if _similar(a, b):
                out.append(
                    LintWarning(
                        "near-duplicate",
                        qid,
                        f"stem is nearly the same as {oq.id} in pack {pack}.",
                        qid,
                    )
                )
    return out


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _same_fact(
    questions: Sequence[Question], others: list[tuple[str, Question]]
) -> list[LintWarning]:
    """Two questions whose stems AND keys share at least half their content words.

    Candidate pairs come from prefix filtering (an exact set-similarity join): with words
    ordered rarest first, two sets with Dice >= d must share a word among the first
    ``len - ceil(d' * len) + 1`` of each, where d' = d / (2 - d) is the Jaccard bound.
    So only questions sharing a rare word are compared, and 100,000 questions stay fast.
    Words in more than COMMON_SHARE of the stems are left out of both sides of the measure.
    """
    jaccard = SAME_FACT_DICE / (2 - SAME_FACT_DICE)
    entries: list[tuple[str | None, Question, set[str], set[str]]] = [
        (None, q, _stems(_content(q.stem)), _key_words(q)) for q in questions
    ] + [(pack, q, _stems(_content(q.stem)), _key_words(q)) for pack, q in others]
    freq: Counter[str] = Counter(w for e in entries for w in e[2])
    common = {w for w, n in freq.items() if n > max(COMMON_MIN, COMMON_SHARE * len(entries))}
    if common:
        entries = [(p, q, stem - common, key - common) for p, q, stem, key in entries]
    index: dict[str, list[int]] = {}
    out = []
    for i, (pack, q, stem, key) in enumerate(entries):
        if not stem or not key:
            continue
        ordered = sorted(stem, key=lambda w: (freq[w], w))
        prefix = ordered[: len(ordered) - math.ceil(jaccard * len(ordered)) + 1]
        seen: set[int] = set()
        for w in prefix:
            for j in index.get(w, ()):
                if j in seen:
                    continue
                seen.add(j)
                opack, oq, ostem, okey = entries[j]
                if pack is not None and opack is not None:
                    continue  # two questions of other packs: not this pack's business
                if _dice(stem, ostem) < SAME_FACT_DICE or _dice(key, okey) < SAME_FACT_DICE:
                    continue
                mine, theirs, their_pack = (oq, q, pack) if pack is not None else (q, oq, opack)
                if their_pack is None and mine.id > theirs.id:
                    mine, theirs = theirs, mine
                suffix = f" in pack {their_pack}" if their_pack else ""
                out.append(
                    LintWarning(
                        "near-duplicate-key",
                        mine.id,
                        f"stem and key share most content words with {theirs.id}{suffix}; "
                        "both seem to test the same fact. Merge them or make one test "
                        "something else.",
                        mine.id,
                    )
                )
            index.setdefault(w, []).append(i)
    return out


def _key_words(q: Question) -> set[str]:
    return _stems(set().union(*(_content(o.text) for o in q.options if o.correct)))


def _tag_skill_mismatch(questions: Sequence[Question]) -> list[LintWarning]:
    """A question whose every tag belongs to another skill area.

    A tag used at least TAG_MIN_USES times belongs to the skill holding more than
    TAG_MAJORITY of its uses; a rarer tag, or one spread across skills, belongs to none,
    so a question carrying one is never flagged (its tags do not all point elsewhere)."""
    uses: dict[str, Counter[str]] = {}
    for q in questions:
        for t in set(q.tags):
            uses.setdefault(t, Counter())[q.skill or ""] += 1
    home: dict[str, str | None] = {}
    for t, counts in uses.items():
        total = sum(counts.values())
        skill, n = counts.most_common(1)[0]
        home[t] = skill if total >= TAG_MIN_USES and n / total > TAG_MAJORITY else None
    out = []
    for q in questions:
        owned = {t: home.get(t) for t in set(q.tags)}
        if not owned or any(s is None or s == q.skill for s in owned.values()):
            continue  # a rare or shared tag is no evidence either way
        where = ", ".join(f"'{t}' ({s})" for t, s in sorted(owned.items()))
        out.append(
            LintWarning(
                "tag-skill-mismatch",
                q.id,
                f"filed under {q.skill}, but its tags belong elsewhere: {where}. "
                "Re-file it or re-tag it.",
                q.id,
            )
        )
    return out


def _blueprint_shares(
    pack_id: str, questions: Sequence[Question], fw: Framework
) -> list[LintWarning]:
    total = len(questions)
    if total < 50:
        return []  # a small topical pack is not meant to cover the blueprint
    counts = Counter(q.skill for q in questions)
    out = []
    for skill in fw.skill_areas:
        share = counts.get(skill.id, 0) / total
        if share < SHARE_FLOOR * skill.weight:
            out.append(
                LintWarning(
                    "under-blueprint-share",
                    f"{pack_id}: {skill.id}",
                    f"{skill.title} has {counts.get(skill.id, 0)} of {total} questions "
                    f"({share:.0%}); its exam weight is {skill.weight:.0%}.",
                )
            )
    return out


def read_allow_list(data: bytes | None) -> dict[tuple[str, str], str]:
    """(rule, question id or where) -> reason; entries without a reason are ignored."""
    if not data:
        return {}
    try:
        entries = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    out: dict[tuple[str, str], str] = {}
    if isinstance(entries, list):
        for e in entries:
            if isinstance(e, dict) and all(
                isinstance(e.get(k), str) and e[k].strip() for k in ("rule", "id", "reason")
            ):
                out[(e["rule"], e["id"])] = e["reason"].strip()
    return out


def lint_pack(
    pack: Pack,
    framework: Framework | None,
    allow: dict[tuple[str, str], str],
    others: Iterable[tuple[str, Question]] = (),
) -> LintReport:
    """Lint a pack and split the warnings into standing and explained ones."""
    warnings = lint_questions(pack.manifest.id, pack.questions, framework, others)
    standing, explained = [], []
    for w in warnings:
        reason = allow.get((w.rule, w.question or w.where))
        if reason:
            explained.append((w, reason))
        else:
            standing.append(w)
    return LintReport(tuple(standing), tuple(explained))
