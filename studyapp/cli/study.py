"""``studyapp drill`` and ``optimize``: practice by script, and the personal memory model.

``drill`` speaks the line protocol of :mod:`studyapp.cli.drill`.
"""

from __future__ import annotations

import argparse
from typing import Any

from studyapp.cli.base import (
    CommandContext,
    add_json,
    emit_json,
    positive_float,
    positive_int,
    probability,
)
from studyapp.cli.drill import DrillOptions, run_drill
from studyapp.domain.errors import ExitCode
from studyapp.services.study.service import StudyService


def register(sub: Any) -> None:
    """Add ``drill`` and ``optimize`` to ``sub``."""
    drill = sub.add_parser("drill", help="a scripted learner answers planned questions")
    drill.add_argument("--answers", type=positive_int, required=True, metavar="N")
    drill.add_argument(
        "--seed",
        type=int,
        default=0,
        nargs="?",
        const=None,
        metavar="S",
        help="random seed (default 0); --seed alone: a different seed each run",
    )
    drill.add_argument(
        "--accuracy",
        type=probability,
        default=0.7,
        metavar="P",
        help="chance the scripted learner answers correctly (default 0.7)",
    )
    drill.add_argument("--mode", choices=["default", "missed", "unseen", "cram"], default="default")
    drill.add_argument(
        "--interactive",
        action="store_true",
        help="the learner is outside: JSON lines out (questions) and in (answers)",
    )
    drill.add_argument(
        "--daily-limit",
        action="store_true",
        help="honour the profile's daily limit of new questions (default: no limit)",
    )
    drill.add_argument(
        "--minutes",
        type=positive_float,
        metavar="M",
        help="stop once the answers' reported seconds reach M minutes; print an end line",
    )
    drill.set_defaults(handler=cmd_drill)
    optimize = sub.add_parser("optimize", help="fit personal FSRS parameters to your answers")
    add_json(optimize)
    optimize.set_defaults(handler=cmd_optimize)


def cmd_drill(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp drill``: a scripted (or external) learner through the real services."""
    options = DrillOptions(
        answers=args.answers,
        seed=args.seed,
        accuracy=args.accuracy,
        mode=args.mode,
        interactive=args.interactive,
        daily_limit=args.daily_limit,
        minutes=args.minutes,
    )
    return run_drill(ctx.profile(), options, out=ctx.out, inp=ctx.inp)


def cmd_optimize(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp optimize [--json]``: fit and store personal parameters when there are
    enough answers; otherwise say how many there are (exit 0 either way)."""
    report = StudyService(ctx.profile()).optimize().value
    if args.json:
        emit_json(
            {
                "fitted": report.fitted,
                "reviews": report.reviews,
                "parameters": list(report.parameters),
                "message": report.message,
            },
            ctx.out,
        )
        return ExitCode.OK
    ctx.out.write(report.message + "\n")
    if report.fitted:
        ctx.out.write("Parameters: " + ", ".join(f"{p:.4f}" for p in report.parameters) + "\n")
    return ExitCode.OK
