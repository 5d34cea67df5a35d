"""``studyapp exam build|sit|status|result|history``: mock exams (``docs/exams.md``).

``exam sit`` speaks the line protocol of :mod:`studyapp.cli.exam_sitting`.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from studyapp.cli.base import (
    CommandContext,
    Parser,
    UsageError,
    add_json,
    emit_json,
    positive_int,
    probability,
)
from studyapp.cli.exam_sitting import run_exam_sit
from studyapp.domain.errors import ExitCode, StudyAppError
from studyapp.domain.exam_code import SELECTIONS
from studyapp.services.exams.service import ExamService
from studyapp.services.exams.views import ExamRequest


def register(sub: Any) -> None:
    """Add ``exam build|sit|status|result|history`` to ``sub``."""
    exam = sub.add_parser("exam", help="mock exams: build from a code, sit, status, results")
    exams = exam.add_subparsers(
        dest="exam_command", metavar="ACTION", parser_class=Parser, required=True
    )
    p = exams.add_parser("build", help="the questions an exam code (or blueprint) stands for")
    p.add_argument("--code", metavar="CODE", help="an exam code or share line (quote it)")
    p.add_argument("--blueprint", metavar="B", help="framework id (default: the target framework)")
    p.add_argument("--length", type=positive_int, metavar="N")
    p.add_argument("--seed", type=int, metavar="S", help="0-4095 (default: random)")
    p.add_argument("--selection", choices=SELECTIONS, default="mixed")
    p.add_argument("--skill", nargs="+", default=[], metavar="ID", help="only these skill areas")
    add_json(p)
    p.set_defaults(handler=cmd_build)
    p = exams.add_parser("sit", help="a scripted candidate answers a new or unfinished exam")
    p.add_argument("--answers", type=positive_int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=0, metavar="S")
    p.add_argument("--accuracy", type=probability, default=0.7, metavar="P")
    p.add_argument("--code", metavar="CODE", help="for a new exam: its code or share line")
    p.add_argument("--length", type=positive_int, metavar="N", help="for a new exam")
    p.add_argument("--submit", action="store_true", help="submit after answering")
    p.add_argument(
        "--hold", type=float, default=0.0, metavar="SECONDS", help="then keep it running"
    )
    p.set_defaults(handler=cmd_sit)
    p = exams.add_parser("status", help="the unfinished exam: time left and answers")
    add_json(p)
    p.set_defaults(handler=cmd_status)
    p = exams.add_parser("result", help="the score report of a submitted exam")
    p.add_argument("--exam", type=positive_int, metavar="ID", help="default: the newest")
    p.add_argument("--review", choices=["all", "wrong", "flagged"], default="all")
    add_json(p)
    p.set_defaults(handler=cmd_result)
    p = exams.add_parser("history", help="submitted exams and the trend")
    add_json(p)
    p.set_defaults(handler=cmd_history)


def cmd_build(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp exam build``: which questions, in which order (no exam is created)."""
    if args.code and (args.blueprint or args.length or args.seed is not None or args.skill):
        raise UsageError("give either --code or --blueprint/--length/--seed/--skill, not both")
    request = args.code or ExamRequest(
        blueprint=args.blueprint,
        length=args.length,
        seed=args.seed,
        selection=args.selection,
        skills=tuple(args.skill),
    )
    built = ExamService(ctx.profile()).build(request)
    if args.json:
        emit_json(built.to_json(), ctx.out)
        return ExitCode.OK
    ctx.out.write(f"{built.share_line}\n")
    for n, (ref, skill) in enumerate(built.questions, 1):
        ctx.out.write(f"{n:>4} {ref:<40} {skill}\n")
    for note in built.notes:
        ctx.out.write(f"Note: {note}\n")
    return ExitCode.OK


def cmd_sit(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp exam sit``: one flushed line per committed answer (docs/cli.md)."""
    return run_exam_sit(
        ctx.profile(),
        answers=args.answers,
        seed=args.seed,
        accuracy=args.accuracy,
        code=args.code,
        length=args.length,
        submit=args.submit,
        hold_s=max(0.0, args.hold),
        out=ctx.out,
        sleep=time.sleep,
    )


def cmd_status(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp exam status``: the unfinished exam as stored (reading changes nothing)."""
    view = ExamService(ctx.profile()).unfinished()
    if args.json:
        emit_json(view.to_json() if view else {"exam": None}, ctx.out)
    elif view is None:
        ctx.out.write("No exam in progress.\n")
    else:
        left = view.remaining_ms // 1000
        ctx.out.write(
            f"Exam {view.code}: {view.status}{' (interrupted)' if view.interrupted else ''}, "
            f"{view.answered}/{view.length} answered, {view.flagged} flagged, "
            f"{left // 60} min {left % 60} s left.\n"
        )
    return ExitCode.OK


def cmd_result(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp exam result``: the score report (estimated scaled score) of an exam.

    No submitted exam yet is a state error (exit 1).
    """
    service = ExamService(ctx.profile())
    exam_id = args.exam
    if exam_id is None:
        entries = service.history().entries
        if not entries:
            raise StudyAppError("no exam has been submitted yet")
        exam_id = entries[-1].id
    result = service.result(exam_id, args.review)
    if args.json:
        emit_json(result.to_json(), ctx.out)
        return ExitCode.OK
    s = result.score
    ctx.out.write(
        f"Exam {result.exam.code}: {s.raw}/{s.length} right ({s.percent:.0f}%); estimated "
        f"scaled score {s.scaled} of {s.scale_max} (pass {s.pass_scaled}), assuming a raw cut "
        f"of {s.cut_raw}/{s.length}.\n"
    )
    for t in (*s.by_category, *s.by_skill):
        ctx.out.write(f"  {t.title[:48]:<48} {t.correct:>3}/{t.total:<3}\n")
    return ExitCode.OK


def cmd_history(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp exam history``."""
    history = ExamService(ctx.profile()).history()
    if args.json:
        emit_json(history.to_json(), ctx.out)
        return ExitCode.OK
    for e in history.entries:
        when = e.submitted_at.date().isoformat() if e.submitted_at else "?"
        ctx.out.write(f"{when} {e.code:<20} {e.raw:>3}/{e.length:<3} scaled {e.scaled}\n")
    if history.trend_scaled_per_exam is not None:
        ctx.out.write(f"Trend: {history.trend_scaled_per_exam:+.1f} scaled points per exam\n")
    return ExitCode.OK
