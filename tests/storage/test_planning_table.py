"""The compact planning table reads exactly as the list of rows it replaces."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from studyapp.domain.memory import MemoryState
from studyapp.storage.study import PlanningRow, PlanningTable

T = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _rows(ids):
    out = []
    for i, qid in enumerate(ids):
        memory = None
        if i % 3 == 0:
            memory = MemoryState(
                state=2,
                step=None,
                stability=3.5,
                difficulty=5.1,
                due=T,
                last_review=T,
                reps=2,
                lapses=0,
            )
        skill = ("a", "b", None)[i % 3]
        out.append(
            PlanningRow(
                qid,
                skill,
                1 + i % 3,
                memory,
                False,
                i % 2 == 0 and bool(memory),
                None,
                True if memory else None,
                0,
                T if memory else None,
            )
        )
    return out


@pytest.mark.parametrize("ids", [list(range(1, 40)), [5, 3, 10**9, 7, 2]])
def test_the_table_equals_its_rows_and_finds_positions(ids):
    """Same rows in the same order (dense ids and sparse ones), positions by id, unknown
    ids None; replacing a row reads back; skill counts in order of first appearance."""
    rows = _rows(ids)
    table = PlanningTable()
    for row in rows:
        table.append(row)
    table.index_positions()
    assert list(table) == rows and len(table) == len(rows)
    assert table[-1] == rows[-1] and table[1:3] == rows[1:3]
    for at, row in enumerate(rows):
        assert table.position(row.qid) == at
    assert table.position(-4) is None and table.position(10**9 + 1) is None
    assert [at for at, _r in table.stored()] == [i for i, r in enumerate(rows) if r.memory]
    assert [(at, q) for at, q, _s, _d in table.blanks()] == [
        (i, r.qid) for i, r in enumerate(rows) if r.memory is None
    ]
    counts: dict[str | None, int] = {}
    for r in rows:
        counts[r.skill] = counts.get(r.skill, 0) + 1
    assert list(table.skill_counts().items()) == list(counts.items())
    changed = rows[1]._replace(memory=rows[0].memory, last_correct=False)
    table[1] = changed
    assert table[1] == changed
    with pytest.raises(ValueError, match="question"):
        table[2] = rows[3]
