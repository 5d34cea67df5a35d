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
