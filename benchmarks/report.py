"""The run's output: a table on stdout and the ``--json`` document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from benchmarks.measure import Result

COLUMNS = ("workload", "size", "median", "p99", "max", "unit", "target", "met", "anki", "ratio")


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def _row(r: Result) -> list[str]:
    s = r.summary
    met = {True: "yes", False: "NO", None: "-"}[r.met]
    if r.status != "measured":
        met = r.status
    return [
        r.workload,
        r.size,
        _num(r.value),
        _num(s.p99) if s else "-",
        _num(s.max) if s else "-",
        r.unit,
        r.target or "-",
        met,
        _num(r.anki),
        f"{r.ratio_to_anki:.2f}x" if r.ratio_to_anki is not None else "-",
    ]


def table(results: Sequence[Result]) -> str:
    """A plain-text table, one line per result (value = median unless said)."""
    rows = [list(COLUMNS), *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i in (0, 1, 5, 6, 7) else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def document(
    machine: dict[str, Any], versions: dict[str, Any], results: Sequence[Result], **extra: Any
) -> dict[str, Any]:
    """The ``--json`` document: ``machine``, ``versions``, ``results`` (keys only grow)."""
    return {
        "machine": machine,
        "versions": versions,
        "results": [r.to_json() for r in results],
        **extra,
    }


def write_json(doc: dict[str, Any], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")


def print_table(results: Sequence[Result], out: TextIO) -> None:
    out.write(table(results) + "\n")
    out.flush()


# (column key, the result line it comes from, what of it: an attribute of the result or a
# key of its extra figures): the scaling table's columns. The *_first_ms columns are the
# first call after opening the profile (its caches filled), where the size shows most.
SCALING_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("answer_median_ms", "answer loop: answer → next question shown (median)", "value"),
    ("answer_p99_ms", "answer loop: answer → next question shown (p99)", "value"),
    ("anki_answer_median_ms", "answer loop: answer → next question shown (median)", "anki"),
    ("anki_answer_p99_ms", "answer loop: answer → next question shown (p99)", "anki"),
    ("plan_ahead_ms", "  planned ahead on the worker while the learner reads", "value"),
    ("first_plan_ms", "  first plan after opening the profile", "value"),
    ("stats_ms", "Home/stats: mastery, readiness, forecast", "value"),
    ("stats_first_ms", "Home/stats: mastery, readiness, forecast", "first_ms"),
    ("exam_build_ms", "build a 100-question blueprint mock exam", "value"),
    ("exam_first_ms", "build a 100-question blueprint mock exam", "first_ms"),
    ("peak_memory_mb", "peak memory, GUI open on the profile", "value"),
)


def scaling_rows(results: Sequence[Result], sizes: Sequence[str]) -> list[dict[str, Any]]:
    """One row per size: questions, answers and each :data:`SCALING_COLUMNS` figure (None
    where that workload did not run or has no such figure)."""
    from benchmarks.generator import SIZES

    rows = []
    for size in sizes:
        row: dict[str, Any] = {
            "size": size,
            "questions": SIZES[size].questions,
            "answers": SIZES[size].answers,
        }
        for key, workload, what in SCALING_COLUMNS:
            found = next(
                (r for r in results if r.size == size and r.workload.startswith(workload)), None
            )
            value = None if found is None else getattr(found, what, found.extra.get(what))
            row[key] = None if value is None else round(value, 3)
        rows.append(row)
    return rows


def scaling_table(rows: Sequence[dict[str, Any]]) -> str:
    """The scaling rows as a plain-text table."""
    keys = ["size", "questions", "answers", *(k for k, _w, _what in SCALING_COLUMNS)]
    cells = [keys] + [[str(r[k]) if k == "size" else _num(r[k]) for k in keys] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(keys))]
    return "\n".join(
        "  ".join(c.rjust(widths[i]) for i, c in enumerate(line)).rstrip() for line in cells
    )
