"""Framework topics per CETL skill area with how many questions cover each (issue 20, point 2).

The one source of the topic definitions is `docs/bank-review/topics.json` (skill -> topic ->
the question tags that count for it). A question covers a topic when one of its tags is among
the topic's tags; a question may cover several topics of its skill. `python
docs/bank-review/topics.py` (from the repository root) prints the Markdown table that stands
in the pack README between the `topics:begin` and `topics:end` markers, and `--write` puts it
there (then reseal the pack: `python -m studyapp pack seal question_banks/cetl-core`);
tests/packs/test_topic_table.py checks the two are equal, and that every question covers at
least one topic of its skill. Skill titles and order come from the shipped CETL framework.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TOPICS = Path(__file__).resolve().parent / "topics.json"
BANK = ROOT / "question_banks" / "cetl-core" / "questions"
FRAMEWORK = ROOT / "studyapp" / "data" / "frameworks" / "cetl.json"
README = ROOT / "question_banks" / "cetl-core" / "README.md"
MARKERS = ("<!-- topics:begin -->", "<!-- topics:end -->")


def titles() -> dict[str, str]:
    """Skill id -> title, in the framework's order (the shipped CETL framework file)."""
    doc = json.loads(FRAMEWORK.read_text("utf-8"))
    return {s["id"]: s["title"] for c in doc["categories"] for s in c["skill_areas"]}


def definitions() -> dict[str, dict[str, set[str]]]:
    """Skill -> topic -> tags, as written in topics.json (keys starting with '_' are notes)."""
    raw = json.loads(TOPICS.read_text("utf-8"))
    return {
        skill: {topic: set(tags) for topic, tags in topics.items()}
        for skill, topics in raw.items()
        if not skill.startswith("_")
    }


def questions(folder: Path = BANK) -> list[dict[str, Any]]:
    """Every question of the bank, in file order."""
    return [
        q
        for path in sorted(folder.glob("*.json"))
        for q in json.loads(path.read_text("utf-8"))["questions"]
    ]


def counts(qs: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Skill -> topic -> number of questions of that skill with a tag of that topic."""
    defs = definitions()
    out = {skill: dict.fromkeys(topics, 0) for skill, topics in defs.items()}
    for q in qs:
        tags = set(q["tags"])
        for topic, topic_tags in defs.get(q["skill"], {}).items():
            if tags & topic_tags:
                out[q["skill"]][topic] += 1
    return out


def uncovered(qs: list[dict[str, Any]]) -> list[str]:
    """Ids of questions that cover no topic of their skill."""
    defs = definitions()
    return [
        q["id"]
        for q in qs
        if not any(set(q["tags"]) & tags for tags in defs.get(q["skill"], {}).values())
    ]


def table(qs: list[dict[str, Any]]) -> str:
    """The Markdown topic table of the pack README."""
    names = titles()
    per_skill = {skill: sum(q["skill"] == skill for q in qs) for skill in names}
    by_skill = counts(qs)
    lines = ["| skill area | topic | questions |", "|---|---|---:|"]
    for skill in [*names, *sorted(set(by_skill) - set(names))]:
        topics = by_skill.get(skill, {})
        title = f"{names.get(skill, skill)} ({per_skill.get(skill, 0)})"
        for i, (topic, n) in enumerate(topics.items()):
            lines.append(f"| {title if i == 0 else ''} | {topic} | {n} |")
    return "\n".join(lines)


def write() -> None:
    """Rewrite the table between the markers of the pack README (then reseal the pack)."""
    text = README.read_text("utf-8")
    begin, end = MARKERS
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    README.write_text(f"{head}{begin}\n{table(questions())}\n{end}{tail}", "utf-8")


if __name__ == "__main__":
    bank = questions()
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        sys.stdout.write(table(bank) + "\n")
    missing = uncovered(bank)
    if missing:
        sys.stdout.write(f"\nQuestions covering no topic of their skill: {', '.join(missing)}\n")
