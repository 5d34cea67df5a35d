"""Aiken: the simplest single-answer format, read only.

    Question text (one or more lines)
    A) First option          (``A.`` works too; the space is optional, as in Moodle)
    B) Second option
    ANSWER: B

Text is plain (``<`` and ``&`` show as written). Questions need at least two options
and an ``ANSWER:`` line naming one of their letters; anything else is skipped with its
line number: an option or ``ANSWER:`` outside a question, a question that never gets its
``ANSWER:`` line, an unknown letter. Aiken has no categories, feedback or ids, so every
question is identified by its stem (``docs/interchange.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studyapp.domain.framework import Framework
from studyapp.packs.formats.build import build_result
from studyapp.packs.formats.common import (
    Collector,
    Draft,
    DraftOption,
    InterchangeFormat,
    InterchangeResult,
    claimed_by,
)
from studyapp.packs.formats.textutil import plain_to_markdown, snippet, split_lines

NAME = "aiken"
_OPTION = re.compile(r"^([A-Z])[).][ \t]?(.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)
_LETTER = re.compile(r"^([A-Za-z])[).]?$")


def sniff(name: str, data: bytes) -> bool:
    """Aiken by extension (``.aiken``, ``.aiken.txt``), or lines of options and ANSWER:."""
    claimed = claimed_by(name)
    if claimed is not None:
        return claimed == NAME
    head = data[:65536].decode("utf-8", "replace")
    answers = re.search(r"(?m)^[ \t]*ANSWER[ \t]*:[ \t]*[A-Za-z]", head)
    options = re.search(r"(?m)^[ \t]*[A-Z][).]", head)
    return answers is not None and options is not None and "{" not in head


@dataclass
class _Open:
    line: int
    stem: list[str]
    options: list[tuple[str, str]] = field(default_factory=list)
    stem_closed: bool = False

    @property
    def name(self) -> str:
        return snippet(" ".join(self.stem))


def read(
    data: bytes, source_name: str, framework: Framework, skill_override: str | None
) -> InterchangeResult:
    """Read an Aiken file into a pack (see the module docstring)."""
    out, text = Collector.for_text(data, source_name)
    current: _Open | None = None
    for number, raw in enumerate(split_lines(text), 1):
        line = raw.strip()
        if not line:
            if current is not None and not current.options:
                current.stem_closed = True
            continue
        option = _OPTION.match(line)
        answer = _ANSWER.match(line)
        if answer:
            if current is None:
                out.skip(number, "", "an ANSWER line with no question before it.")
                continue
            _finish(current, answer.group(1).strip(), number, out)
            current = None
        elif option:
            if current is None:
                out.skip(number, line, "an option with no question before it.")
                continue
            current.options.append((option.group(1), option.group(2).strip()))
        elif current is not None and not current.options and not current.stem_closed:
            current.stem.append(line)
        else:
            if current is not None:
                problem = (
                    f"has no ANSWER line before the next question starts on line {number}."
                    if current.options
                    else "has no options."
                )
                out.skip(current.line, current.name, problem)
            current = _Open(number, [line])
    if current is not None:
        problem = "has no ANSWER line." if current.options else "has no options."
        out.skip(current.line, current.name, problem + " The file ends first.")
    return build_result(
        out,
        source_name=source_name,
        source_format=NAME,
        framework=framework,
        skill_override=skill_override,
    )


def _finish(q: _Open, value: str, number: int, out: Collector) -> None:
    letter = _LETTER.match(value)
    if letter is None:
        out.skip(
            q.line,
            q.name,
            f"the ANSWER line {number} must name one option letter, e.g. 'ANSWER: B'.",
        )
        return
    if len(q.options) < 2:
        out.skip(
            q.line,
            q.name,
            f"has {len(q.options)} option(s) before its ANSWER line {number}; at least two are "
            "needed.",
        )
        return
    letters = [opt[0] for opt in q.options]
    if len(set(letters)) != len(letters):
        out.skip(q.line, q.name, "uses the same option letter twice.")
        return
    chosen = letter.group(1).upper()
    if chosen not in letters:
        out.skip(
            q.line, q.name, f"ANSWER: {chosen} on line {number} names no option of the question."
        )
        return
    options = tuple(
        DraftOption(plain_to_markdown(text), label == chosen) for label, text in q.options
    )
    stem = plain_to_markdown("\n".join(q.stem))
    out.drafts.append(Draft(q.line, q.name, "", "", "single", stem, options))


AIKEN = InterchangeFormat(
    name=NAME,
    label="Aiken",
    extensions=(".aiken", ".aiken.txt"),
    sniff=sniff,
    read=read,
)
