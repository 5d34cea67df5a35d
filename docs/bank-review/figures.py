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
checks (t*, u*) came before the review of the rewrites (v*).
"""

from __future__ import annotations

import itertools
import json
import math
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
]
SAMPLE = "round-5/t"  # the one random sample
FRESH = ("round-5/t", "round-5/u")  # fresh reviewers judging the bank, except round 4's rewrites
PREVIOUS = "round-4/s"  # the review of round 4's rewrites, the latest judgement of the others


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


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion k/n."""
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
        if questions[r["id"]].get("revision", 1) > r["revision"] and last[r["id"]]["agreed"]
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
    sample = records(SAMPLE)
    k, m = sum(bool(r["cued"]) for r in sample), len(sample)
    _low, high = wilson(k, m)
    cued_last = sum(bool(r["cued"]) for r in last.values())
    fresh = {p: records(p) for p in FRESH}
    fresh_rows = [r for rows in fresh.values() for r in rows]
    rewritten_after = done[-1][2]
    fresh_cued_ids = {r["id"] for r in fresh_rows if r["cued"]}
    fresh_cued = len(fresh_cued_ids)
    checked = {r["id"] for r in fresh_rows}
    from_round4 = {r["id"] for r in records(PREVIOUS) if r["cued"] and r["id"] not in checked}
    other = {r["id"] for r in rewritten_after} - fresh_cued_ids - from_round4
    both, pairs, turned = flips(ordered)
    verdict = "is shown to be met" if high <= 0.10 else "is NOT shown to be met"
    out += [
        f"**Judged cued (the target is at most 10%): the target {verdict}.**",
        f"- The one random sample: fresh reviewers judged **{k} of {m} ({pct(k, m)}) cued, "
        f"{interval(k, m)}**. The sample was drawn and judged before round 5's rewrites, so it "
        f"estimates the bank as it stood then; no fresh random sample of this version has been "
        f"judged.",
        f"- Round 5's fresh reviewers judged {share(fresh_cued, len(fresh_rows))} of the "
        f"{len(fresh_rows)} questions they checked cued (they did not re-check round 4's "
        f"rewrites outside the sample; round 4's review had judged {len(from_round4)} of those "
        f"cued). Round 5 rewrote those "
        f"{len(fresh_cued_ids) + len(from_round4)}"
        + (f" and {len(other)} flagged for other defects" if other else "")
        + f"; the reviewers of the {len(rewritten_after)} rewrites still judged "
        f"{share(sum(bool(r['cued']) for r in rewritten_after), len(rewritten_after))} cued.",
        f"- By the latest review of each question's current revision, {cued_last} of {n:,} "
        f"({pct(cued_last, n)}) "
        f'are judged cued. That figure is low only because a question judged "not cued" once '
        f"was not judged again, while those judged cued were rewritten and judged afresh.",
        f'- The judgement is noisy: of {pairs} cases where one reviewer judged a question "not '
        f'cued" and a later fresh reviewer judged the same revision, **{share(turned, pairs)}** '
        f"were judged cued the second time ({interval(turned, pairs)}; {both} revisions were "
        f"judged twice or more).",
        "",
        "Per skill area, by the latest review of each question's current revision and by round "
        "5's fresh checks (the random sample and the check of the others together, before "
        "round 5's rewrites):",
        "",
    ]
    fresh_by = per_skill(fresh_rows, skill_of)
    out += [
        "| skill area | questions | key agreed, latest | judged cued, latest "
        "| judged cued, round 5 fresh checks |",
        "|---|---:|---:|---:|---:|",
    ]
    for title, (q, agreed, cued) in per_skill(list(last.values()), skill_of).items():
        f_n, _f_agreed, f_cued = fresh_by[title]
        out.append(
            f"| {title} | {q} | {agreed} | {share(cued, q)} "
            f"| {f_cued} of {f_n} ({pct(f_cued, f_n)}) |"
        )
    return "\n".join(out)


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
