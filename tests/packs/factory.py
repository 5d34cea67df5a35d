"""Builders for test packs: valid ones through the app's own writer, broken ones by hand."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from studyapp.domain.pack import Pack, PackManifest
from studyapp.domain.question import Option, Question, Reference
from studyapp.packs.studypack import pack_file_map

SKILLS = ["leadership-vision", "strategic-planning", "ethics-policies", "data-management"]


def question(
    qid: str,
    skill: str = "leadership-vision",
    *,
    stem: str | None = None,
    multiple: bool = False,
    revision: int = 1,
) -> Question:
    opts = [
        Option("a", f"Option A of {qid}", True, "Right because it follows the policy."),
        Option("b", f"Option B of {qid}", multiple, "Plausible, but skips the stakeholders."),
        Option("c", f"Option C of {qid}", False, "Tempting, but acts before the facts are in."),
        Option("d", f"Option D of {qid}", False, "Buys technology before defining the need."),
    ]
    return Question(
        id=qid,
        skill=skill,
        type="multiple" if multiple else "single",
        stem=stem or f"A superintendent asks about case {qid}. What should you do FIRST?",
        options=tuple(opts),
        explanation=f"The principle behind {qid} is to plan first.",
        difficulty=2,
        tags=("planning", "test"),
        references=(Reference("CoSN Framework", "Leadership"),),
        revision=revision,
    )


def pack(
    questions: list[Question],
    *,
    pack_id: str = "test-pack",
    version: str = "1.0.0",
    media: dict[str, bytes] | None = None,
) -> Pack:
    manifest = PackManifest(
        id=pack_id,
        version=version,
        title="Test pack",
        framework="cetl",
        authors=("Tester",),
        license="CC0-1.0",
        created="2026-11-23",
    )
    return Pack(manifest, tuple(questions), media or {})


def write_dir(p: Pack, folder: Path) -> Path:
    """Write a valid pack folder."""
    for name, data in pack_file_map(p).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def reseal(folder: Path) -> None:
    """Recompute manifest hashes after a test edited files (to test content rules, not hashes)."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["files"] = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")


def edit_questions(folder: Path, fn: Any, file: str = "questions/leadership-vision.json") -> None:
    """Apply ``fn(list_of_question_dicts)`` to a question file and reseal."""
    path = folder / file
    doc = json.loads(path.read_text("utf-8"))
    fn(doc["questions"])
    path.write_text(json.dumps(doc), "utf-8")
    reseal(folder)
