"""The simulation tables a user reads follow their one source: the README's "Does the planner
help?" tables and docs/learning-model.md's results and sensitivity tables are
docs/simulation-runs/tables.py's output from the run documents, and those documents are the
runs they claim to be (issue 15)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from studyapp.services.simulation.experiment import SENSITIVITY

_ROOT = Path(__file__).resolve().parents[2]
_RUNS = _ROOT / "docs" / "simulation-runs"


def _tables() -> ModuleType:
    spec = importlib.util.spec_from_file_location("simulation_tables", _RUNS / "tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "block", ["results", "paired", "brier", "reliability-60x30", "reliability-30x15", "sensitivity"]
)
def test_document_table_equals_the_generator_output(block: str) -> None:
    """Each generated table in the README and docs/learning-model.md is exactly what
    tables.py computes from the run documents."""
    tables = _tables()
    path, table = tables.BLOCKS[block]
    assert tables.between(path.read_text("utf-8"), block) == table()


def test_every_block_is_checked() -> None:
    """The parametrised test above covers every block the generator owns."""
    assert set(_tables().BLOCKS) == {
        "results",
        "paired",
        "brier",
        "reliability-60x30",
        "reliability-30x15",
        "sensitivity",
    }


def test_run_documents_are_the_runs_the_readme_names() -> None:
    """Each budget's document is a 200-learner, seed-1 run of that budget, and the sensitivity
    document has one row per variant the code defines, in the code's order."""
    tables = _tables()
    for name, days, minutes in tables.BUDGETS:
        doc = tables.run(name)
        assert (doc["learners"], doc["days"], doc["minutes_per_day"], doc["seed"]) == (
            200,
            days,
            minutes,
            1,
        )
    rows = tables.sensitivity_rows()
    assert [(r["label"], r["minutes_per_day"]) for r in rows] == [
        (label, minutes) for label, _changes, minutes in SENSITIVITY
    ]
    assert {(r["learners"], r["days"], r["seed"]) for r in rows} == {(24, 60, 2)}


def test_figures_keep_signs_and_ceiling_digits() -> None:
    """Differences carry a true minus sign (none on zero) and pass rates near the ceiling keep
    two decimals, so 99.95% and 99.94% stay apart."""
    tables = _tables()
    assert tables.signed(-0.0005, 2) == "0.00"
    assert tables.signed(-1092.4, 0) == "\u22121,092"
    assert tables.signed(0.29, 2) == "+0.29"
    assert (tables.pct(0.9995), tables.pct(0.9994), tables.pct(0.688)) == (
        "99.95%",
        "99.94%",
        "68.8%",
    )
    assert (tables.pct_end(1.0), tables.pct_end(0.9984)) == ("100", "99.8")


def _matches(example: object, doc: object) -> bool:
    """Whether every value the example shows equals the document's ('…' stands for more)."""
    if example == "…":
        return True
    if isinstance(example, dict):
        return isinstance(doc, dict) and all(
            k == "…" or (k in doc and _matches(v, doc[k])) for k, v in example.items()
        )
    if isinstance(example, list):
        shown = [v for v in example if v != "…"]
        return (
            isinstance(doc, list)
            and len(shown) <= len(doc)
            and all(_matches(a, b) for a, b in zip(shown, doc[: len(shown)], strict=True))
        )
    return example == doc


def test_cli_reference_example_is_the_readme_run() -> None:
    """The `simulate --json` example in docs/cli.md shows the 60 x 30 run's own figures."""
    text = (_ROOT / "docs" / "cli.md").read_text("utf-8")
    section = text[text.index("## `studyapp simulate") :]
    block = section[section.index("```json") + len("```json") : section.index("```\n", 8)]
    example = json.loads(block)
    assert _matches(example, _tables().run("60x30"))
    assert not _matches({**example, "seed": 2}, _tables().run("60x30"))
