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
