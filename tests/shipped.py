"""Facts of the shipped CETL bank, read from its files, so tests follow the bank as it grows."""

from __future__ import annotations

import json

from studyapp.config import shipped_banks_dir

_FOLDER = shipped_banks_dir() / "cetl-core"
VERSION: str = json.loads((_FOLDER / "manifest.json").read_text("utf-8"))["version"]
QUESTIONS: int = sum(
    len(json.loads(path.read_text("utf-8"))["questions"])
    for path in (_FOLDER / "questions").glob("*.json")
)


def questions() -> list[dict]:
    """Every question of the shipped bank, as in its files."""
    return [
        q
        for path in sorted((_FOLDER / "questions").glob("*.json"))
        for q in json.loads(path.read_text("utf-8"))["questions"]
    ]


def _words(q: dict) -> int:
    texts = [q["stem"], q.get("explanation", "")]
    texts += [o["text"] + " " + o.get("rationale", "") for o in q["options"]]
    return len(" ".join(texts).split())


def longest_with_web_reference() -> dict:
    """The longest five-option multiple-answer question with a web reference: the hardest
    case for the practice screen's layout (feedback below the fold, links to click)."""
    return max(
        (
            q
            for q in questions()
            if q["type"] == "multiple"
            and len(q["options"]) == 5
            and any(r.get("url", "").startswith("https://") for r in q.get("references", []))
        ),
        key=lambda q: (_words(q), q["id"]),
    )
