"""CSV: one question per row, with documented columns; read only.

The first row names the columns (any order, any case; spaces and hyphens count as
``_``); ``#`` lines before it may pin the pack (``common.take_header``). Required:
``stem``, ``option_a``, ``option_b`` and ``correct``. Optional: ``id``, ``title`` (a name
for people), ``skill`` (a skill-area id or title; also ``skill_area`` or ``category``),
``type`` (``single``/``multiple``; otherwise inferred from the correct letters),
``option_c`` … ``option_h``, ``rationale_a`` … ``rationale_h``, ``explanation``,
``tags`` (separated by ``;``, ``,`` or ``|``) and ``difficulty`` (1–3). ``correct`` holds
letters: ``B``, ``A,C`` or ``AC``. Text is Markdown. UTF-8 with or without a byte-order
mark; the delimiter (comma, semicolon or tab) is taken from the header row.
"""

from __future__ import annotations

import csv
import io
import re

from studyapp.domain.errors import PackError
from studyapp.domain.framework import Framework
from studyapp.packs.formats.build import build_result
from studyapp.packs.formats.common import (
    OPTION_IDS,
    Collector,
    Draft,
    DraftOption,
    InterchangeFormat,
    InterchangeResult,
    claimed_by,
    clean_tags,
)
from studyapp.packs.formats.textutil import snippet, split_lines

NAME = "csv"
REQUIRED = ("stem", "option_a", "option_b", "correct")
ALIASES = {"skill_area": "skill", "category": "skill", "question": "stem", "answer": "correct"}
KNOWN = {
    "id",
    "title",
    "skill",
    "type",
    "stem",
    "correct",
    "explanation",
    "tags",
    "difficulty",
    *(f"option_{c}" for c in OPTION_IDS),
    *(f"rationale_{c}" for c in OPTION_IDS),
}


def _column(name: str) -> str:
    key = re.sub(r"[\s-]+", "_", name.strip().lstrip("\ufeff").lower())
    return ALIASES.get(key, key)


def sniff(name: str, data: bytes) -> bool:
    """CSV by extension (``.csv``, ``.tsv``) or by a header row naming the columns."""
    claimed = claimed_by(name)
    if claimed is not None:
        return claimed == NAME
    lines = data[:4096].decode("utf-8", "replace").lstrip("\ufeff").split("\n")
    first = next((x for x in lines if x.strip() and not x.lstrip().startswith("#")), "")
    columns = {_column(c) for c in re.split(r"[,;\t]", first)}
    return {"stem", "option_a", "correct"} <= columns


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def read(
    data: bytes, source_name: str, framework: Framework, skill_override: str | None
) -> InterchangeResult:
    """Read a CSV file into a pack (see the module docstring for the columns)."""
    out, text = Collector.for_text(data, source_name)
    body = text.lstrip("\r\n")  # directive lines at the top are now blank
    offset = len(split_lines(text[: len(text) - len(body)])) - 1
    text = body
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise PackError(
            f"{source_name}: line {offset + 1}: {exc}; the header row cannot be read."
        ) from exc
    columns = [_column(c) for c in header or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise PackError(
            f"{source_name}: the first row must name the columns stem, option_a, option_b and "
            f"correct; {', '.join(missing)} missing (found: {', '.join(columns) or 'nothing'}). "
            "See docs/interchange.md."
        )
    unknown = [c for c in columns if c and c not in KNOWN]
    if unknown:
        out.warn(f"{source_name}: column(s) {', '.join(unknown)} are not used.")
    line = reader.line_num + 1 + offset
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise PackError(
                f"{source_name}: line {reader.line_num + offset}: {exc}; fix the quoting there."
            ) from exc
        start, line = line, reader.line_num + 1 + offset
        if not any(cell.strip() for cell in row):
            continue
        record = {col: row[i].strip() if i < len(row) else "" for i, col in enumerate(columns)}
        _row(record, start, source_name, out)
    return build_result(
        out,
        source_name=source_name,
        source_format=NAME,
        framework=framework,
        skill_override=skill_override,
    )


def _row(record: dict[str, str], line: int, source_name: str, out: Collector) -> None:
    name = record.get("id") or snippet(record.get("stem", ""))
    options: list[tuple[str, str, str]] = []
    for letter in OPTION_IDS:
        text = record.get(f"option_{letter}", "")
        if text:
            options.append((letter, text, record.get(f"rationale_{letter}", "")))
    letters = {c.lower() for c in re.findall(r"[A-Za-z]", record.get("correct", ""))}
    present = {o[0] for o in options}
    if not letters:
        out.skip(line, name, "the correct column is empty; give letters such as B or A,C.")
        return
    if not letters <= present:
        unknown = ", ".join(sorted(c.upper() for c in letters - present))
        out.skip(line, name, f"correct names {unknown}, which has no option text.")
        return
    qtype = record.get("type", "").lower() or ("multiple" if len(letters) > 1 else "single")
    if qtype not in ("single", "multiple"):
        out.skip(line, name, f"type {qtype!r} must be single or multiple.")
        return
    difficulty_text = record.get("difficulty", "") or "2"
    if difficulty_text not in ("1", "2", "3"):
        out.skip(line, name, f"difficulty {difficulty_text!r} must be 1, 2 or 3.")
        return
    tags = clean_tags(
        [t for t in re.split(r"[;,|]", record.get("tags", "")) if t.strip()],
        f"{source_name}: line {line}",
        out.warnings,
    )
    out.drafts.append(
        Draft(
            line,
            name,
            record.get("id", ""),
            record.get("skill", ""),
            "multiple" if qtype == "multiple" else "single",
            record.get("stem", ""),
            tuple(DraftOption(text, letter in letters, why) for letter, text, why in options),
            record.get("explanation", ""),
            int(difficulty_text),
            tags,
            record.get("title", ""),
        )
    )


CSV = InterchangeFormat(
    name=NAME,
    label="CSV",
    extensions=(".csv", ".tsv"),
    sniff=sniff,
    read=read,
)
