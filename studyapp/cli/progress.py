"""``studyapp stats`` and ``report``: mastery, readiness and the facilitator's report.

Every figure is the one Home and Statistics show (one computation, ``StudyService.stats``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studyapp.cli.base import CommandContext, add_json, emit_json
from studyapp.domain.errors import ExitCode
from studyapp.domain.figures import mastery_text
from studyapp.domain.words import plural
from studyapp.services.reports.service import REPORT_FORMATS, ReportService
from studyapp.services.study.service import StudyService


def register(sub: Any) -> None:
    """Add ``stats`` and ``report`` to ``sub``."""
    stats = sub.add_parser("stats", help="mastery per skill area, readiness and progress")
    add_json(stats)
    stats.set_defaults(handler=cmd_stats)
    report = sub.add_parser(
        "report", help="write the progress report for a study-group facilitator (HTML or PDF)"
    )
    report.add_argument("--out", metavar="FILE", required=True, help="write the report here")
    report.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        help="html (one self-contained file) or pdf; default: by the extension of FILE",
    )
    add_json(report)
    report.set_defaults(handler=cmd_report)


def cmd_stats(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp stats``."""
    report = StudyService(ctx.profile()).stats()
    out = ctx.out
    if args.json:
        emit_json(report.to_json(), out)
        return ExitCode.OK
    r, view = report.readiness, report.view
    if view is None or view.estimated:
        out.write(
            f"Readiness: {r.probability:.0%} chance of passing (estimated score "
            f"{r.expected_scaled}, 80% range {r.scaled_low}-{r.scaled_high}; assumes a raw cut "
            f"of {r.cut}/{r.length}).\n"
        )
    else:
        out.write("Readiness: not estimated yet.\n")
    for line in view.why if view is not None else ():
        out.write(f"  {line.text}\n")
    out.write(
        f"Answers: {report.reviews}  streak: {plural(report.streak, 'day')}  "
        f"today: {report.today_answers}\n"
    )
    out.write(
        f"{'skill area':<48} {'weight':>6} {'seen':>9} {'mastery':<26} {'due':>4} {'leech':>5}\n"
    )
    for s in report.skills:
        out.write(
            f"{s.title[:48]:<48} {s.weight:>6.0%} {s.seen:>4}/{s.questions:<4} "
            f"{mastery_text(s.figure):<26} {s.due:>4} {s.leeches:>5}\n"
        )
    forecast = " ".join(str(n) for _d, n in report.forecast)
    out.write(f"Due over the next 14 days: {forecast}\n")
    return ExitCode.OK


def cmd_report(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp report --out FILE [--format html|pdf]``: the facilitator's progress report."""
    made = (
        ReportService(ctx.profile())
        .write_report(Path(args.out), args.format, pdf_writer=ctx.pdf_writer)
        .value
    )
    if args.json:
        emit_json(made.to_json(), ctx.out)
    else:
        ctx.out.write(
            f"Wrote the progress report to {made.path} ({made.format}, {made.size:,} bytes).\n"
        )
    return ExitCode.OK
