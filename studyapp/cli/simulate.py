"""``studyapp simulate``: the planner against three baselines on simulated learners.

Needs no profile, only the shipped pack (``docs/learning-model.md`` section 5).
"""

from __future__ import annotations

import argparse
from typing import Any

from studyapp.cli.base import CommandContext, add_json, emit_json, positive_int
from studyapp.domain.errors import ExitCode
from studyapp.services.simulation.experiment import shipped_questions, simulate


def register(sub: Any) -> None:
    """Add ``simulate`` to ``sub``."""
    sim = sub.add_parser(
        "simulate", help="the planner against three baselines, on simulated learners"
    )
    sim.add_argument("--learners", type=positive_int, default=40, metavar="N")
    sim.add_argument("--days", type=positive_int, default=60, metavar="D")
    sim.add_argument("--minutes-per-day", type=positive_int, default=30, metavar="M")
    sim.add_argument("--seed", type=int, default=1, metavar="S")
    add_json(sim)
    sim.set_defaults(handler=cmd_simulate)


def cmd_simulate(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp simulate``: a table for people, or the whole document with ``--json``."""
    questions, framework = shipped_questions()
    doc = simulate(
        questions,
        framework,
        learners=args.learners,
        days=args.days,
        minutes=float(args.minutes_per_day),
        seed=args.seed,
    )
    out = ctx.out
    if args.json:
        emit_json(doc, out)
        return ExitCode.OK
    out.write(
        f"{args.learners} simulated learners, {args.days} days, {args.minutes_per_day} "
        f"minutes a day (seed {args.seed})\n"
    )
    out.write(
        f"{'policy':<10} {'pass rate (95% CI)':>22} {'exp. score':>10} {'days to pass':>12} "
        f"{'minutes to pass (95% CI)':>26}\n"
    )
    for name, p in doc["policies"].items():
        days = "-" if p["days_to_pass"] is None else f"{p['days_to_pass']:g}"
        mins = "-" if p["minutes_to_pass"] is None else f"{p['minutes_to_pass']:.0f}"
        lo, hi = p["minutes_to_pass_ci"]
        mins += f" ({'-' if lo is None else f'{lo:.0f}'}-{'-' if hi is None else f'{hi:.0f}'})"
        rate, score = p["pass_rate"], p["expected_score"]
        rate_ci = f"{rate:.1%} ({p['pass_rate_ci'][0]:.1%}-{p['pass_rate_ci'][1]:.1%})"
        out.write(f"{name:<10} {rate_ci:>22} {score:>10.1f} {days:>12} {mins:>26}\n")
    out.write("Planner minus each baseline, the same learners (95% CI):\n")
    for name, d in doc["planner_vs"].items():
        lo, hi = d["pass_rate_difference_ci"]
        rate = f"{d['pass_rate_difference'] * 100:+.2f} points ({lo * 100:+.2f} to {hi * 100:+.2f})"
        if d["minutes_to_pass_difference"] is None:
            mins = "- (the median learner never reaches the pass line under one of them)"
        else:
            mlo, mhi = d["minutes_to_pass_difference_ci"]
            mins = f"{d['minutes_to_pass_difference']:+.0f} ({_end(mlo)} to {_end(mhi)})"
        out.write(f"  vs {name:<10} pass rate {rate}; minutes to pass {mins}\n")
    out.write(
        f"Readiness Brier score (planner): {doc['readiness_brier']}; all policies: "
        f"{doc['readiness_brier_all_policies']}\n"
    )
    return ExitCode.OK


def _end(x: float | None) -> str:
    """An interval end in minutes; ``None`` is a difference with a learner who never
    reaches the pass line: without bound."""
    return "unbounded" if x is None else f"{x:+.0f}"
