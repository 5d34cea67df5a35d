"""Item-writing checks: flaws that make a multiple-choice question test test-wiseness
instead of knowledge. Each rule is documented, with its source, in ``docs/item-writing.md``.

The checker never changes a pack; it returns warnings. A pack may carry ``lint-allow.json``
(a list of {"rule", "id", "reason"}) to explain a warning it keeps on purpose; an entry
without a reason does not count.
"""

from __future__ import annotations

import json
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
    key_longest = 0
    singles = 0
    for q in questions:
        out.extend(_question_rules(q))
        if q.type == "single":
            singles += 1
            key = next(o for o in q.options if o.correct)
            if len(key.text) >= max(len(o.text) for o in q.options):
                key_longest += 1
    if singles >= POSITION_MIN_QUESTIONS and key_longest / singles > KEY_LONGEST_SHARE:
        out.append(
            LintWarning(
                "key-longest-pattern",
                pack_id,
                f"the key is the longest option in {key_longest} of {singles} single-answer "
                f"questions ({key_longest / singles:.0%}); test-wise learners pick the longest "
                "option. Lengthen distractors or shorten keys.",
            )
        )
    out.extend(_position_balance(pack_id, questions))
    out.extend(_near_duplicates(questions, list(others)))
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
    return out


def _position_balance(pack_id: str, questions: Sequence[Question]) -> list[LintWarning]:
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
        shares = {i: counts.get(i, 0) / total for i in range(n)}
        worst = max(shares, key=lambda i: abs(shares[i] - 1 / n))
        if abs(shares[worst] - 1 / n) > POSITION_TOLERANCE:
            layout = ", ".join(f"{'ABCDEFGH'[i]} {shares[i]:.0%}" for i in range(n))
            out.append(
                LintWarning(
                    "position-imbalance",
                    pack_id,
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
