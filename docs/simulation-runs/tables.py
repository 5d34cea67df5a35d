"""Tables of the simulation runs, computed from the run documents in docs/simulation-runs/.

The one source of every simulation table in the README ("Does the planner help?") and in
docs/learning-model.md (section 5, "Results" and "Sensitivity"). It reads the documents of
`studyapp simulate --learners 200 --days D --minutes-per-day M --seed 1 --json`
(`sim-60x30.json`, `sim-45x20.json`, `sim-30x15.json`) and of the sensitivity run
(`sensitivity.json`), and writes each table between its pair of marker comments
(`<!-- sim-NAME:begin -->` ... `<!-- sim-NAME:end -->`, NAME a key of `BLOCKS`).

Run from the repository root: `python docs/simulation-runs/tables.py` prints every table;
`python docs/simulation-runs/tables.py --write` rewrites them in both documents.
tests/services/test_simulation_docs.py checks that the documents hold exactly this output.
The prose around the tables quotes some of these figures; after new runs, update it by hand.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RUNS = ROOT / "docs" / "simulation-runs"
README = ROOT / "README.md"
LEARNING_MODEL = ROOT / "docs" / "learning-model.md"

# The README's budgets, in the order of its tables: (run name, days, minutes a day).
BUDGETS = (("60x30", 60, 30), ("45x20", 45, 20), ("30x15", 30, 15))
BASELINES = ("shuffled", "uniform", "due_first")
# How the paired table names a baseline under which the line is never reached.
SHORT_NAMES = {
    "shuffled": "shuffled coverage",
    "uniform": "uniform random",
    "due_first": "due-first",
}
MINUS = "\u2212"

Doc = dict[str, Any]


def run(name: str) -> Doc:
    """The document of one budget's run, e.g. '60x30'."""
    doc: Doc = json.loads((RUNS / f"sim-{name}.json").read_text("utf-8"))
    return doc


def sensitivity_rows() -> list[Doc]:
    """The sensitivity run's rows, one per variant of the model."""
    rows: list[Doc] = json.loads((RUNS / "sensitivity.json").read_text("utf-8"))
    return rows


def short(days: int, minutes: int) -> str:
    """'60 × 30'."""
    return f"{days} × {minutes}"


def pct(p: float) -> str:
    """A pass rate as a percentage: two decimals near the ceiling, where one would hide the
    difference between policies ('99.95%'), else one ('68.8%')."""
    return f"{rounded(100 * p, 2 if p >= 0.999 else 1)}%"


def pct_end(p: float) -> str:
    """An interval end of a pass rate, in percent ('99.8', '100')."""
    text = rounded(100 * p, 1)
    return "100" if text == "100.0" else text


def row(cells: list[str]) -> str:
    """One Markdown table row; an empty cell is '| |'."""
    return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"


def rounded(x: float, digits: int = 0) -> str:
    """x with thousands separators, rounded as Python formats a float ('1,399', '31.1')."""
    return f"{x:,.{digits}f}"


def signed(x: float, digits: int) -> str:
    """'+7.9', '−0.05', '0.00' (a true minus sign)."""
    text = rounded(abs(x), digits)
    if float(text.replace(",", "")) == 0:
        return text
    return f"+{text}" if x > 0 else f"{MINUS}{text}"


def minutes(x: float | None) -> str:
    """Whole minutes with thousands separators ('1,399')."""
    return "not reached" if x is None else rounded(x)


def results_table() -> str:
    """The README's table: pass rate, minutes to the pass line, score and unseen questions
    per budget and policy."""
    out = [
        "| budget | policy | pass rate on exam day | study minutes to the pass line (median) "
        "| expected raw score /100 | questions never shown by exam day |",
        "|---|---|---|---|---|---|",
    ]
    for i, (name, days, per_day) in enumerate(BUDGETS):
        doc = run(name)
        limit = doc["model"]["due_first_new_per_day"]
        labels = {
            "planner": "**StudyApp planner**" + (" (exam date set)" if i == 0 else ""),
            "shuffled": "shuffled coverage"
            + (" (every question once, then again)" if i == 0 else ""),
            "uniform": "uniform random practice",
            "due_first": ("due-first FSRS, new in pack order" if i == 0 else "due-first FSRS")
            + f" ({limit} new a day, tuned)",
        }
        for policy in ("planner", *BASELINES):
            p = doc["policies"][policy]
            bold = "**" if policy == "planner" else ""
            low, high = p["pass_rate_ci"]
            rate = f"{bold}{pct(p['pass_rate'])}{bold} ({pct_end(low)}–{pct_end(high)})"
            if p["minutes_to_pass"] is None:
                mins = "not reached by the median learner"
            else:
                m_low, m_high = p["minutes_to_pass_ci"]
                mins = (
                    f"{bold}{minutes(p['minutes_to_pass'])}{bold} "
                    f"({minutes(m_low)}–{minutes(m_high)})"
                )
            budget = f"{days} days × {per_day} min" if policy == "planner" else ""
            score, unseen = rounded(p["expected_score"], 1), rounded(p["unseen_on_exam_day"])
            out.append(row([budget, labels[policy], rate, mins, score, unseen]))
    return "\n".join(out)


def _points(x: float, ci: list[float]) -> str:
    """Planner minus baseline in pass-rate points with its interval: two decimals below one
    point, else one."""
    digits = 2 if abs(100 * x) < 1 else 1
    low, high = (signed(100 * v, digits) for v in ci)
    return f"{signed(100 * x, digits)} ({low} to {high})"


def _minutes_difference(x: float | None, ci: list[float | None], baseline: str) -> str:
    """Planner minus baseline in median minutes to the pass line with its interval (null:
    the median learner never reaches the line under ``baseline``; an unbounded end is an
    interval end that never reaches it)."""
    if x is None:
        return f"never reached under {baseline}"
    low, high = ("unbounded" if v is None else signed(v, 0) for v in ci)
    return f"{signed(x, 0)} ({low} to {high})"


def paired_table() -> str:
    """The README's learner-by-learner table: the planner minus each baseline."""
    names = {
        "shuffled": "shuffled coverage",
        "uniform": "uniform random",
        "due_first": "due-first FSRS",
    }
    out = [
        "| budget | planner minus | pass rate, points | minutes to the pass line "
        "| learners with a higher pass probability | learners sooner at the line |",
        "|---|---|---|---|---|---|",
    ]
    first = True
    for name, days, per_day in BUDGETS:
        vs = run(name)["planner_vs"]
        for baseline in BASELINES:
            d = vs[baseline]
            of = f" of {d['learners']}" if first else ""
            out.append(
                row(
                    [
                        short(days, per_day) if baseline == BASELINES[0] else "",
                        names[baseline],
                        _points(d["pass_rate_difference"], d["pass_rate_difference_ci"]),
                        _minutes_difference(
                            d["minutes_to_pass_difference"],
                            d["minutes_to_pass_difference_ci"],
                            SHORT_NAMES[baseline],
                        ),
                        f"{d['learners_ahead']}{of}",
                        f"{d['learners_sooner']}{of}",
                    ]
                )
            )
            first = False
    return "\n".join(out)


def brier_table() -> str:
    """docs/learning-model.md's readiness calibration per budget."""
    out = [
        "| budget | expected Brier | irreducible part `mean p(1 − p)` | all four policies |",
        "|---|---|---|---|",
    ]
    for name, days, per_day in BUDGETS:
        doc = run(name)
        out.append(
            f"| {short(days, per_day)} | {rounded(doc['readiness_brier'], 3)} "
            f"| {rounded(doc['readiness_brier_irreducible'], 3)} "
            f"| {rounded(doc['readiness_brier_all_policies'], 3)} |"
        )
    return "\n".join(out)


def reliability_table(name: str) -> str:
    """docs/learning-model.md's reliability by decile of the estimate for one budget."""
    out = ["| predicted (mean) | observed (true pass probability) | points |", "|---|---|---|"]
    for row in run(name)["reliability"]:
        out.append(
            f"| {rounded(row['predicted'], 2)} | {rounded(row['observed'], 2)} | {row['n']} |"
        )
    return "\n".join(out)


def sensitivity_table() -> str:
    """docs/learning-model.md's sensitivity table: one row per variant of the model."""
    order = ("planner", "shuffled", "uniform", "due_first")
    out = [
        "| variant (60 days) | planner pass rate | shuffled | uniform | due-first "
        "| planner minutes to the pass line | shuffled | uniform | due-first "
        "| readiness Brier (irreducible) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in sensitivity_rows():
        policies = row["policies"]
        rates = [f"{rounded(100 * policies[p]['pass_rate'], 1)}%" for p in order]
        mins = [
            "—"
            if policies[p]["minutes_to_pass"] is None
            else rounded(policies[p]["minutes_to_pass"]).replace(",", "")
            for p in order
        ]
        brier = f"{row['readiness_brier']} ({row['readiness_brier_irreducible']})"
        out.append(f"| {row['label']} | {' | '.join(rates)} | {' | '.join(mins)} | {brier} |")
    return "\n".join(out)


# Every generated table: marker name -> (the document that holds it, its text).
BLOCKS: dict[str, tuple[Path, Callable[[], str]]] = {
    "results": (README, results_table),
    "paired": (README, paired_table),
    "brier": (LEARNING_MODEL, brier_table),
    "reliability-60x30": (LEARNING_MODEL, lambda: reliability_table("60x30")),
    "reliability-30x15": (LEARNING_MODEL, lambda: reliability_table("30x15")),
    "sensitivity": (LEARNING_MODEL, sensitivity_table),
}


def markers(block: str) -> tuple[str, str]:
    """The marker comments around one block."""
    return f"<!-- sim-{block}:begin -->", f"<!-- sim-{block}:end -->"


def between(text: str, block: str) -> str:
    """The text between a block's markers (stripped)."""
    begin, end = markers(block)
    return text[text.index(begin) + len(begin) : text.index(end)].strip()


def replace_between(text: str, block: str, table: str) -> str:
    """The text with a block's table replaced."""
    begin, end = markers(block)
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    return f"{head}{begin}\n{table}\n{end}{tail}"


def write() -> None:
    """Rewrite every generated table in the README and docs/learning-model.md."""
    for path in {path for path, _table in BLOCKS.values()}:
        text = path.read_text("utf-8")
        for block, (where, table) in BLOCKS.items():
            if where == path:
                text = replace_between(text, block, table())
        path.write_text(text, "utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        sys.stdout.write("\n\n".join(f"{markers(b)[0]}\n{t()}" for b, (_p, t) in BLOCKS.items()))
        sys.stdout.write("\n")
