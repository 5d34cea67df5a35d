"""Figures of the CETL bank's blind reviews, computed from the recorded reviews (issue 20, point 4).

The one source of every review figure in the pack README and in docs/bank-review/README.md.
It reads every `docs/bank-review/round-*/<reviewer>-record.json` (per item: the revision
judged, agreed, cued, cue) and the bank's question files, and writes two Markdown blocks:

- the summary (per review pass, keys, the random sample, per skill area, the reviewers'
  consistency), which stands between the `review-figures:begin` and `review-figures:end`
  markers in both READMEs;
- the details (every pass per skill area), which stands between the `figures:begin` and
  `figures:end` markers in docs/bank-review/README.md.

Run from the repository root: `python docs/bank-review/figures.py` prints both;
`python docs/bank-review/figures.py --write` rewrites the blocks in both READMEs (then reseal the
pack: `python -m studyapp pack seal question_banks/cetl-core`). tests/packs/test_topic_table.py
checks that the READMEs hold exactly this output.

Order of reviews: the passes below, in the order they happened; inside round 5 the fresh
checks (t*, u*) came before the review of the rewrites (v*); inside round 6 the sample's two
judgements (w*, q*) and the check of the rest (k*) came before the rewrites, their review (n*)
and the sample of the new version (p*); inside round 7 the review of the rewrites outside the
new sample (c*) ran beside the sample's two judgements (s*, then t*), and the review of the
questions rewritten once more after them (d*) came last.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REVIEWS = ROOT / "docs" / "bank-review"
PACK = ROOT / "question_banks" / "cetl-core"
FRAMEWORK = ROOT / "studyapp" / "data" / "frameworks" / "cetl.json"
READMES = (PACK / "README.md", REVIEWS / "README.md")
SUMMARY = ("<!-- review-figures:begin -->", "<!-- review-figures:end -->")
DETAILS = ("<!-- figures:begin -->", "<!-- figures:end -->")

Record = dict[str, Any]

# Round 6's passes (the random samples estimate the bank's share judged cued; see summary()).
SAMPLE_OLD = "round-6/w"  # a random sample of 200 of version 1.2.0, 67 questions a reviewer
SECOND_OPINION = "round-6/q"  # the same 200, judged again by two other reviewers (100 each)
REST = "round-6/k"  # the other 800 of 1.2.0, about 267 questions a reviewer
REWRITES = "round-6/n"  # the review of round 6's rewrites
SAMPLE_NEW = "round-6/p"  # a random sample of 200 of version 1.3.0, after the rewrites
# Round 7's passes (docs/bank-review/round-7/protocol.md, written before them).
TOFIX7 = REVIEWS / "round-7" / "tofix-ids.json"  # every question judged cued at its 1.3.0 revision
REWRITES7 = "round-7/c"  # the review of round 7's rewrites outside the new sample
SAMPLE7 = "round-7/s"  # a random sample of 200 of version 1.4.0, 66 to 67 questions a reviewer
SAMPLE7_SECOND = "round-7/t"  # the same 200, judged again by three other reviewers
SECOND_PASS7 = "round-7/d"  # the review of the questions rewritten again after those reviews

# The review passes in the order they happened: (label, what was reviewed, record-file prefixes).
PASSES = [
    ("1", "the questions added in 1.1.0", ["round-1/g"]),
    ("2", "the questions rewritten after round 1", ["round-2/r"]),
    ("3", "the original questions never reviewed before", ["round-3/r0"]),
    ("3", "the questions rewritten after round 2", [f"round-3/r{i}" for i in range(1, 6)]),
    ("4", "the questions rewritten after round 3", ["round-4/s"]),
    ("5", "a fresh random sample of the whole bank", ["round-5/t"]),
    ("5", "a fresh check of the rest, except round 4's rewrites", ["round-5/u"]),
    ("5", "the questions rewritten after the fresh checks", ["round-5/v"]),
    ("6", "a fresh random sample of 1.2.0", [SAMPLE_OLD]),
    ("6", "the same sample, judged again by other fresh reviewers", [SECOND_OPINION]),
    ("6", "a fresh check of the rest of 1.2.0", [REST]),
    ("6", "the questions rewritten after round 6's checks", [REWRITES]),
    ("6", "a fresh random sample of 1.3.0", [SAMPLE_NEW]),
    ("7", "the questions rewritten in round 7, outside the new sample", [REWRITES7]),
    ("7", "a fresh random sample of 1.4.0", [SAMPLE7]),
    ("7", "the same sample, judged again by other fresh reviewers", [SAMPLE7_SECOND]),
    ("7", "the questions rewritten again after round 7's reviews", [SECOND_PASS7]),
]


def skill_titles() -> dict[str, str]:
    """Skill id -> title, in the framework's order (the shipped CETL framework file)."""
    doc = json.loads(FRAMEWORK.read_text("utf-8"))
    return {s["id"]: s["title"] for c in doc["categories"] for s in c["skill_areas"]}


def bank() -> dict[str, dict[str, Any]]:
    """Every question of the bank by id."""
    return {
        q["id"]: q
        for path in sorted((PACK / "questions").glob("*.json"))
        for q in json.loads(path.read_text("utf-8"))["questions"]
    }


def records(prefix: str) -> list[Record]:
    """The records of one reviewer prefix (e.g. 'round-5/t'), in file order."""
    folder, stem = prefix.split("/")
    out: list[Record] = []
    for path in sorted((REVIEWS / folder).glob(f"{stem}*-record.json")):
        out += json.loads(path.read_text("utf-8"))
    return out


def passes() -> list[tuple[str, str, list[Record]]]:
    """(label, what, records) of every pass, in order."""
    return [
        (label, what, [r for p in prefixes for r in records(p)]) for label, what, prefixes in PASSES
    ]


def pct(k: int, n: int) -> str:
    """A whole-number percentage that never rounds a part up to 100% or down to 0%."""
    p = 100 * k / n
    text = f"{p:.0f}%"
    if (text == "100%" and k < n) or (text == "0%" and k > 0):
        text = f"{p:.1f}%"
    return text


def share(k: int, n: int) -> str:
    """'k (p%)'."""
    return f"{k} ({pct(k, n)})" if n else "0"


def wilson(k: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion k/n (k may be a sum of shares)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def interval(k: int, n: int) -> str:
    """'95% interval a% to b%'."""
    low, high = wilson(k, n)
    return f"95% interval {100 * low:.0f}% to {100 * high:.0f}%"


def latest(ordered: list[Record], questions: dict[str, dict[str, Any]]) -> dict[str, Record]:
    """Id -> the last review of the question's current revision (questions never reviewed at
    their current revision are absent)."""
    out: dict[str, Record] = {}
    for r in ordered:
        q = questions.get(r["id"])
        if q is not None and r["revision"] == q.get("revision", 1):
            out[r["id"]] = r
    return out


def flips(ordered: list[Record]) -> tuple[int, int, int]:
    """(revisions judged twice or more, 'not cued' judgements followed by another reviewer's
    judgement of the same revision, how many of those the next reviewer judged cued)."""
    by_version: dict[tuple[str, int], list[Record]] = defaultdict(list)
    for r in ordered:
        by_version[(r["id"], r["revision"])].append(r)
    pairs = turned = 0
    for rs in by_version.values():
        for first, second in itertools.pairwise(rs):
            if not first["cued"]:
                pairs += 1
                turned += bool(second["cued"])
    return sum(len(rs) > 1 for rs in by_version.values()), pairs, turned


def per_skill(rows: list[Record], skill_of: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """Skill title -> (reviews, key agreed, judged cued), in the framework's order, then
    '**all**' for every row."""
    titles = skill_titles()
    by: dict[str, list[Record]] = defaultdict(list)
    for r in rows:
        by[skill_of.get(r["id"], "?")].append(r)

    def count(rs: list[Record]) -> tuple[int, int, int]:
        return len(rs), sum(bool(r["agreed"]) for r in rs), sum(bool(r["cued"]) for r in rs)

    out = {
        titles.get(skill, skill): count(by[skill])
        for skill in [*titles, *sorted(set(by) - set(titles))]
        if by.get(skill)
    }
    out["**all**"] = count(rows)
    return out


def skill_table(rows: list[Record], skill_of: dict[str, str]) -> list[str]:
    """Per-skill rows of one set of reviews: questions, key agreed, judged cued."""
    lines = ["| skill area | questions | key agreed | judged cued |", "|---|---:|---:|---:|"]
    for title, (n, agreed, cued) in per_skill(rows, skill_of).items():
        if title == "**all**":
            lines.append(f"| **all** | **{n}** | **{share(agreed, n)}** | **{share(cued, n)}** |")
        else:
            lines.append(f"| {title} | {n} | {agreed} | {share(cued, n)} |")
    return lines


def summary() -> str:
    """The review-figures block of both READMEs."""
    questions = bank()
    skill_of = {qid: q["skill"] for qid, q in questions.items()}
    done = passes()
    ordered = [r for _label, _what, rows in done for r in rows]
    last = latest(ordered, questions)
    n = len(questions)

    out = [
        "| round: what was reviewed | questions | key agreed | judged cued |",
        "|---|---:|---:|---:|",
    ]
    for label, what, rows in done:
        agreed = sum(bool(r["agreed"]) for r in rows)
        cued = sum(bool(r["cued"]) for r in rows)
        out.append(f"| {label}: {what} | {len(rows)} | {agreed} | {share(cued, len(rows))} |")
    out.append("")

    # Keys.
    agreed_last = sum(bool(r["agreed"]) for r in last.values())
    wrong = [r for r in ordered if not r["agreed"]]
    since = [
        r["id"]
        for r in wrong
        if questions[r["id"]].get("revision", 1) > r["revision"]
        and r["id"] in last
        and last[r["id"]]["agreed"]
    ]
    line = (
        f"**Keys.** The latest review of each question's current revision agreed with the key "
        f"for {agreed_last:,} of {n:,} questions"
        + ("" if len(last) == n else f" ({len(last):,} have such a review)")
        + f". Over all reviews, {sum(bool(r['agreed']) for r in ordered):,} of "
        f"{len(ordered):,} blind answers agreed with the key."
    )
    if wrong:
        line += f" The disagreements: {', '.join(r['id'] for r in wrong)}"
        line += (
            "; each was rewritten and the review of its new revision agreed."
            if len(since) == len(wrong)
            else "."
        )
    out += [line, ""]

    # Cued.
    first7 = {r["id"]: bool(r["cued"]) for r in records(SAMPLE7)}
    second7 = {r["id"]: bool(r["cued"]) for r in records(SAMPLE7_SECOND)}
    sample_ids = sorted(set(first7) & set(second7))
    m = len(sample_ids)
    k1 = sum(first7[i] for i in sample_ids)
    k2 = sum(second7[i] for i in sample_ids)
    pooled = (k1 + k2) / 2  # questions' shares of their two opinions, summed
    high = wilson(pooled, m)[1] if m else 1.0
    old_sample = records(SAMPLE_NEW)
    k_old = sum(bool(r["cued"]) for r in old_sample)
    first = {r["id"]: bool(r["cued"]) for r in records(SAMPLE_OLD)}
    second = {r["id"]: bool(r["cued"]) for r in records(SECOND_OPINION)}
    rest = records(REST)
    rewrites = records(REWRITES)
    flagged = {r["id"] for p in (SAMPLE_OLD, SECOND_OPINION, REST) for r in records(p) if r["cued"]}
    rewritten = {r["id"] for r in rewrites}
    cued_last = sum(bool(r["cued"]) for r in last.values())
    both, pairs, turned = flips(ordered)
    verdict = "is shown to be met" if m and high <= 0.10 else "is NOT shown to be met"
    out += [f"**Judged cued (the target is at most 10%): the target {verdict}.**"]
    if m:
        both7 = sum(first7[i] and second7[i] for i in sample_ids)
        either7 = sum(first7[i] or second7[i] for i in sample_ids)
        low7, high7 = wilson(pooled, m)
        out.append(
            f"- The newest random sample, {m} questions of version 1.4.0 after round 7's "
            f"rewrites, judged twice by fresh reviewers ({batch(SAMPLE7)} questions each): the "
            f"first judged {share(k1, m)} cued ({interval(k1, m)}; each reviewer: "
            f"{spread(SAMPLE7)}), the second {share(k2, m)} ({interval(k2, m)}; "
            f"{spread(SAMPLE7_SECOND)}). **Together {k1 + k2} of {2 * m} "
            f"judgements ({pct(k1 + k2, 2 * m)}) were cued, 95% interval {100 * low7:.0f}% to "
            f"{100 * high7:.0f}%** (counted over the {m} questions, since two opinions of one "
            f"question are not independent); both reviewers judged {both7} cued, one or the "
            f"other {either7} (Cohen's kappa {kappa(first7, second7):.2f}). The two sets of "
            f"reviewers differ again (the second judged far fewer cued), so the figure leans on "
            f"which reviewers judge; by the first set alone the interval's upper end is "
            f"{100 * wilson(k1, m)[1]:.0f}%."
        )
    else:
        out.append("- No random sample of version 1.4.0 has been judged yet.")
    out.append(
        f"- The random sample of version 1.3.0, before round 7: fresh reviewers "
        f"({batch(SAMPLE_NEW)} questions each) judged {share(k_old, len(old_sample))} cued "
        f"({interval(k_old, len(old_sample))}; each reviewer: {spread(SAMPLE_NEW)})."
    )
    o1, o2 = sum(first.values()), sum(second.values())
    both_cued = sum(first[i] and second[i] for i in first)
    either = sum(first[i] or second.get(i, False) for i in first)
    tofix = json.loads(TOFIX7.read_text("utf-8")) if TOFIX7.is_file() else []
    judged_at = {
        r["id"]: r["revision"]
        for p in (SAMPLE_OLD, SECOND_OPINION, REST, REWRITES, SAMPLE_NEW)
        for r in records(p)
    }
    rewrites7 = records(REWRITES7)
    # Rewritten by round 7's first pass: judged afresh either outside the sample (c*) or, at a
    # revision above the one judged cued before, inside it (s*).
    seen7 = {r["id"]: r["revision"] for r in records(SAMPLE7)}
    in_sample = [i for i in tofix if i in seen7 and seen7[i] > judged_at.get(i, 0)]
    redone = sorted({r["id"] for r in rewrites7} | set(in_sample))
    in_sample_cued = sum(first7[i] + second7[i] for i in in_sample)
    out += [
        f"- The random sample of 1.2.0 ({len(first)} questions), judged twice by fresh reviewers "
        f"({batch(SAMPLE_OLD)}, then {batch(SECOND_OPINION)} questions each): the first judged "
        f"{share(o1, len(first))} cued ({interval(o1, len(first))}; each reviewer: "
        f"{spread(SAMPLE_OLD)}), the second {share(o2, len(second))} "
        f"({spread(SECOND_OPINION)}); both judged {both_cued} cued and one or the other {either} "
        f"(Cohen's kappa {kappa(first, second):.2f}: the reviewers agree only moderately on "
        f"which questions are cued).",
        f"- Reviewers who each judged about {batch(REST)} of the other {len(rest)} questions of "
        f"1.2.0 judged only {share(sum(bool(r['cued']) for r in rest), len(rest))} cued, far "
        f"fewer than the sample's reviewers: with many questions at once a reviewer judges far "
        f"fewer cued, so that check only chose questions to rewrite; it is no estimate.",
        f"- Round 6 rewrote {len(flagged & rewritten)} of the {len(flagged)} questions a round 6 "
        f"reviewer judged cued"
        + (
            f" (not rewritten: {', '.join(sorted(flagged - rewritten))})"
            if flagged - rewritten
            else ""
        )
        + (
            f" and {len(rewritten - flagged)} flagged for other defects"
            if rewritten - flagged
            else ""
        )
        + (
            f"; fresh reviewers of the {len(rewrites)} rewrites judged "
            f"{share(sum(bool(r['cued']) for r in rewrites), len(rewrites))} cued."
            if rewrites
            else "; the rewrites have not been reviewed yet."
        ),
    ]
    if tofix:
        out.append(
            f"- Round 7's first pass rewrote {len(redone)} of the {len(tofix)} questions whose "
            f"1.3.0 revision some fresh reviewer had judged cued, in any round"
            + (
                f" (left for the second pass: {', '.join(sorted(set(tofix) - set(redone)))})"
                if set(tofix) - set(redone)
                else ""
            )
            + (
                f"; fresh reviewers of the {len(rewrites7)} rewrites outside the new sample "
                f"judged {share(sum(bool(r['cued']) for r in rewrites7), len(rewrites7))} cued, "
                f"and of the {2 * len(in_sample)} judgements of the {len(in_sample)} inside it, "
                f"{in_sample_cued} were cued."
                if rewrites7
                else "; the rewrites have not been reviewed yet."
            )
        )
    second_pass = records(SECOND_PASS7)
    if second_pass:
        out.append(
            f"- After those reviews, the {len(second_pass)} questions still judged cued at their "
            f"current revision (by a round-7 reviewer, or earlier for the ones round 7 had left) "
            f"were rewritten once more; a fresh reviewer judged "
            f"{share(sum(bool(r['cued']) for r in second_pass), len(second_pass))} of them "
            f"cued. The sample above was judged before this pass and the five fixes."
        )
    out += [
        f"- By the latest review of each question's current revision, {cued_last} of "
        f"{len(last):,} ({pct(cued_last, len(last))}) "
        + ("" if len(last) == n else f"(the {len(last):,} questions that have one) ")
        + 'are judged cued. That figure is low only because a question judged "not cued" once '
        "was not judged again, while those judged cued were rewritten and judged afresh.",
        f'- The judgement is noisy: of {pairs:,} cases where one reviewer judged a question "not '
        f'cued" and a later fresh reviewer judged the same revision, **{share(turned, pairs)}** '
        f"were judged cued the second time ({interval(turned, pairs)}; {both:,} revisions were "
        f"judged twice or more).",
        "",
        heuristics_line(questions),
        "",
        "Per skill area, by the latest review of each question's current revision and by the "
        "newest random sample (both judgements of each of its questions):",
        "",
    ]
    newest = [*records(SAMPLE7), *records(SAMPLE7_SECOND)]
    sample_by = per_skill(newest, skill_of)
    out += [
        "| skill area | questions | key agreed, latest | judged cued, latest "
        "| judged cued, newest sample (judgements) |",
        "|---|---:|---:|---:|---:|",
    ]
    for title, (q, agreed, cued) in per_skill(list(last.values()), skill_of).items():
        s_n, _s_agreed, s_cued = sample_by.get(title, (0, 0, 0))
        drawn = f"{s_cued} of {s_n} ({pct(s_cued, s_n)})" if s_n else "none drawn"
        out.append(f"| {title} | {q} | {agreed} | {share(cued, q)} | {drawn} |")
    return "\n".join(out)


# Words that make an option sound absolute (the test-wise "avoid the absolute" rule).
ABSOLUTES = re.compile(
    r"\b(always|never|every|all|only|any|none|no|must|entirely|solely|sole)\b", re.IGNORECASE
)
REASON = re.compile(r"\b(since|because)\b", re.IGNORECASE)


def words(text: str) -> set[str]:
    """The content words of a text (lower case, longer than three letters)."""
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def strategies() -> dict[str, Any]:
    """Mechanical test-wise strategies: name -> a function from a question to each option's
    score; the strategy picks the highest-scoring option (ties share the pick)."""
    return {
        "the longest option": lambda q: [len(o["text"]) for o in q["options"]],
        "the shortest option": lambda q: [-len(o["text"]) for o in q["options"]],
        "the option sharing most words with the stem": lambda q: [
            len(words(o["text"]) & words(q["stem"])) for o in q["options"]
        ],
        "the option sharing most words with the other options": lambda q: [
            sum(len(words(o["text"]) & words(p["text"])) for p in q["options"] if p is not o)
            for o in q["options"]
        ],
        "the option with the fewest absolutes": lambda q: [
            -len(ABSOLUTES.findall(o["text"])) for o in q["options"]
        ],
        'an option without a "since" or "because" reason': lambda q: [
            -len(REASON.findall(o["text"])) for o in q["options"]
        ],
    }


def heuristics_line(questions: dict[str, dict[str, Any]]) -> str:
    """How often each mechanical strategy picks the key of a single-answer question (a tie
    between k options counts 1/k), against the chance of a blind guess."""
    single = [q for q in questions.values() if q["type"] == "single"]
    chance = sum(1 / len(q["options"]) for q in single) / len(single)
    rates: dict[str, float] = {}
    for name, score in strategies().items():
        right = 0.0
        for q in single:
            scores = score(q)
            best = [o for o, v in zip(q["options"], scores, strict=True) if v == max(scores)]
            right += sum(bool(o["correct"]) for o in best) / len(best)
        rates[name] = right / len(single)
    top = max(rates, key=lambda k: rates[k])
    low = min(rates, key=lambda k: rates[k])
    return (
        f"**Form alone, measured.** Mechanical test-wise strategies on the {len(single)} "
        f"single-answer questions of this version pick the key this often (a blind guess: "
        f"{100 * chance:.0f}%): "
        + "; ".join(f"{name} {100 * rate:.0f}%" for name, rate in rates.items())
        + f". The best of them, {top}, is {100 * (rates[top] - chance):.0f} points above a "
        f"guess; {low} is the key only {100 * rates[low]:.0f}% of the time, so ruling it out "
        f"helps a little. The cues the reviewers judge lie in the content (tone, what sounds "
        f"reasonable), which no such rule measures."
    )


def batch(prefix: str) -> str:
    """How many questions each reviewer of a pass judged ('67', or '66 to 67')."""
    folder, stem = prefix.split("/")
    sizes = sorted(
        len(json.loads(path.read_text("utf-8")))
        for path in (REVIEWS / folder).glob(f"{stem}*-record.json")
    )
    if not sizes:
        return "0"
    return str(sizes[0]) if sizes[0] == sizes[-1] else f"{sizes[0]} to {sizes[-1]}"


def spread(prefix: str) -> str:
    """Each reviewer's 'k of n' judged cued in a pass, in file order ('4 of 67, 28 of 67')."""
    folder, stem = prefix.split("/")
    parts = []
    for path in sorted((REVIEWS / folder).glob(f"{stem}*-record.json")):
        rows = json.loads(path.read_text("utf-8"))
        parts.append(f"{sum(bool(r['cued']) for r in rows)} of {len(rows)}")
    return ", ".join(parts)


def kappa(first: dict[str, bool], second: dict[str, bool]) -> float:
    """Cohen's kappa of two reviewers' cued judgements of the same questions."""
    ids = sorted(set(first) & set(second))
    n = len(ids)
    observed = sum(first[i] == second[i] for i in ids) / n
    p1 = sum(first[i] for i in ids) / n
    p2 = sum(second[i] for i in ids) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    return (observed - expected) / (1 - expected)


def details() -> str:
    """The per-pass figures of docs/bank-review/README.md."""
    questions = bank()
    skill_of = {qid: q["skill"] for qid, q in questions.items()}
    out: list[str] = []
    ordered: list[Record] = []
    for label, what, rows in passes():
        ordered += rows
        out += [f"### Round {label}: {what} ({len(rows)})", "", *skill_table(rows, skill_of), ""]
    last = latest(ordered, questions)
    missing = sorted(set(questions) - set(last))
    out += [
        "### The whole bank by the latest review of each question's current revision",
        "",
        *skill_table([last[qid] for qid in sorted(last)], skill_of),
        "",
        f"Questions without a review of their current revision: {', '.join(missing)}."
        if missing
        else "Every question of the bank has a review of its current revision.",
        "",
    ]
    cues = Counter(r["cue"] or "?" for r in ordered if r["cued"])
    out.append(
        "Cue types named over every review: "
        + ", ".join(f"{c} {k}" for c, k in cues.most_common())
        + "."
    )
    return "\n".join(out)


def between(text: str, markers: tuple[str, str]) -> str:
    """The text between two marker lines (stripped)."""
    begin, end = markers
    return text[text.index(begin) + len(begin) : text.index(end)].strip()


def replace_between(text: str, markers: tuple[str, str], block: str) -> str:
    """The text with the block between two markers replaced."""
    begin, end = markers
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    return f"{head}{begin}\n{block}\n{end}{tail}"


def write() -> None:
    """Rewrite the generated blocks of both READMEs."""
    for path in READMES:
        text = replace_between(path.read_text("utf-8"), SUMMARY, summary())
        if DETAILS[0] in text:
            text = replace_between(text, DETAILS, details())
        path.write_text(text, "utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        sys.stdout.write(f"{summary()}\n\n{details()}\n")
