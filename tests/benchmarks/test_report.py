"""The scaling table's rows: one per size, each column read from its result line."""

from __future__ import annotations

from typing import Any

from benchmarks.measure import Result
from benchmarks.report import SCALING_COLUMNS, scaling_rows, scaling_table


def _line(workload: str, size: str, value: float, **kw: Any) -> Result:
    return Result(workload, size, value, "ms", "", None, **kw)


def test_scaling_rows_read_value_anki_and_first_call() -> None:
    """Each column comes from its own line and size (value, Anki's figure, an extra figure),
    and a workload that did not run leaves None rather than another size's figure."""
    results = [
        _line("answer loop: answer → next question shown (median)", "small", 0.5, anki=0.7),
        _line("answer loop: answer → next question shown (median)", "medium", 0.6, anki=0.8),
        _line(
            "Home/stats: mastery, readiness, forecast",
            "small",
            30.0,
            extra={"first_ms": 80.0},
        ),
    ]
    rows = scaling_rows(results, ["small", "medium"])
    small, medium = rows
    assert (small["size"], small["questions"], small["answers"]) == ("small", 1_000, 10_000)
    assert small["answer_median_ms"] == 0.5 and small["anki_answer_median_ms"] == 0.7
    assert medium["answer_median_ms"] == 0.6 and medium["anki_answer_median_ms"] == 0.8
    assert small["stats_ms"] == 30.0 and small["stats_first_ms"] == 80.0
    assert medium["stats_ms"] is None and medium["stats_first_ms"] is None
    assert set(small) == {"size", "questions", "answers", *(k for k, _w, _x in SCALING_COLUMNS)}
    table = scaling_table(rows).splitlines()
    assert len(table) == 3 and table[0].split()[0] == "size"
    assert table[2].split()[:3] == ["medium", "10,000", "100,000"]
