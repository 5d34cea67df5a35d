"""The command line: one parser for every command, and the headless commands' runners.

The whole interface is in ``docs/cli.md`` (and ``../shared/docs/cli-contract.md``). Rules:
every ``--json`` output is one JSON document on stdout whose keys only grow; an error is
one line on stderr and a non-zero exit, never a traceback. This module never imports Qt:
the GUI and ``selftest`` are started by :mod:`studyapp.app`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from studyapp import __version__
from studyapp.cli_group import GROUP_COMMANDS, add_group_parser, cmd_group
from studyapp.cli_settings import add_settings_parser, cmd_settings_get, cmd_settings_set
from studyapp.config import DATA_DIR_ENV, AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import StudyAppError
from studyapp.domain.exam_code import SELECTIONS
from studyapp.domain.figures import mastery_text
from studyapp.domain.words import plural
from studyapp.packs.lint import ALLOW_FILE
from studyapp.packs.studypack import reseal_folder
from studyapp.services.backups import BackupService, restore_backup
from studyapp.services.drill import DrillOptions, run_drill
from studyapp.services.exam_sit import run_exam_sit
from studyapp.services.exam_views import ExamRequest
from studyapp.services.exams import ExamService
from studyapp.services.interchange import EXPORT_FORMATS, IMPORT_FORMATS
from studyapp.services.packs import (
    PackService,
    lint_pack_file,
    stats_of_pack_file,
    validate_pack_file,
)
from studyapp.services.profile import Profile
from studyapp.services.reports import REPORT_FORMATS, PdfWriter, ReportService
from studyapp.services.simulation import shipped_questions, simulate
from studyapp.services.study import StudyService

EXIT_USAGE = 2


class UsageError(StudyAppError):
    """The command line itself is wrong."""

    exit_code = EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line, with a hint, and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def parse_now(text: str) -> datetime:
    """Parse ``--now``: ISO-8601; a time without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an ISO-8601 moment such as 2026-12-01T09:00:00Z"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0.0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number above 0")
    return value


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a probability between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The parser for every command (GUI ones included, so --help lists them all)."""
    parser = _Parser(
        prog="studyapp",
        description="StudyApp: offline CETL preparation. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"StudyApp {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"profile folder (default: ${DATA_DIR_ENV}, else the platform's user data folder)",
    )
    parser.add_argument(
        "--now",
        metavar="ISO-8601",
        type=parse_now,
        help="run as of this moment, e.g. 2026-12-01T09:00:00Z (time still flows from it)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub.add_parser("gui", help="open the app (the default)")

    info = sub.add_parser("info", help="profile folder, database, schema revision and counts")
    info.add_argument("--json", action="store_true", help="one JSON document on stdout")

    selftest = sub.add_parser("selftest", help="start the GUI headless, visit screens, exit 0")
    selftest.add_argument("--screenshots", metavar="DIR", help="write one PNG per screen here")

    stats = sub.add_parser("stats", help="mastery per skill area, readiness and progress")
    stats.add_argument("--json", action="store_true")

    report = sub.add_parser(
        "report", help="write the progress report for a study-group facilitator (HTML or PDF)"
    )
    report.add_argument("--out", metavar="FILE", required=True, help="write the report here")
    report.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        help="html (one self-contained file) or pdf; default: by the extension of FILE",
    )
    report.add_argument("--json", action="store_true", help="one JSON document on stdout")

    drill = sub.add_parser("drill", help="a scripted learner answers planned questions")
    drill.add_argument("--answers", type=_positive_int, required=True, metavar="N")
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
        type=_probability,
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
        type=_positive_float,
        metavar="M",
        help="stop once the answers' reported seconds reach M minutes; print an end line",
    )

    sub.add_parser("optimize", help="fit personal FSRS parameters to your answers")
    add_settings_parser(sub, _Parser)
    add_group_parser(sub, _Parser)

    exam = sub.add_parser("exam", help="mock exams: build from a code, sit, status, results")
    exams = exam.add_subparsers(
        dest="exam_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    p = exams.add_parser("build", help="the questions an exam code (or blueprint) stands for")
    p.add_argument("--code", metavar="CODE", help="an exam code or share line (quote it)")
    p.add_argument("--blueprint", metavar="B", help="framework id (default: the target framework)")
    p.add_argument("--length", type=_positive_int, metavar="N")
    p.add_argument("--seed", type=int, metavar="S", help="0-4095 (default: random)")
    p.add_argument("--selection", choices=SELECTIONS, default="mixed")
    p.add_argument("--skill", nargs="+", default=[], metavar="ID", help="only these skill areas")
    p.add_argument("--json", action="store_true")
    p = exams.add_parser("sit", help="a scripted candidate answers a new or unfinished exam")
    p.add_argument("--answers", type=_positive_int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=0, metavar="S")
    p.add_argument("--accuracy", type=_probability, default=0.7, metavar="P")
    p.add_argument("--code", metavar="CODE", help="for a new exam: its code or share line")
    p.add_argument("--length", type=_positive_int, metavar="N", help="for a new exam")
    p.add_argument("--submit", action="store_true", help="submit after answering")
    p.add_argument(
        "--hold", type=float, default=0.0, metavar="SECONDS", help="then keep it running"
    )
    p = exams.add_parser("status", help="the unfinished exam: time left and answers")
    p.add_argument("--json", action="store_true")
    p = exams.add_parser("result", help="the score report of a submitted exam")
    p.add_argument("--exam", type=_positive_int, metavar="ID", help="default: the newest")
    p.add_argument("--review", choices=["all", "wrong", "flagged"], default="all")
    p.add_argument("--json", action="store_true")
    p = exams.add_parser("history", help="submitted exams and the trend")
    p.add_argument("--json", action="store_true")

    sim = sub.add_parser(
        "simulate", help="the planner against three baselines, on simulated learners"
    )
    sim.add_argument("--learners", type=_positive_int, default=40, metavar="N")
    sim.add_argument("--days", type=_positive_int, default=60, metavar="D")
    sim.add_argument("--minutes-per-day", type=_positive_int, default=30, metavar="M")
    sim.add_argument("--seed", type=int, default=1, metavar="S")
    sim.add_argument("--json", action="store_true")

    backup = sub.add_parser("backup", help="write a consistent copy of the profile database")
    backup.add_argument(
        "--out", metavar="FILE", help="write here (default: the profile's backups folder)"
    )
    backup.add_argument("--json", action="store_true", help="one JSON document on stdout")
    restore = sub.add_parser(
        "restore", help="replace the profile database with a backup (the current one is kept)"
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--json", action="store_true", help="one JSON document on stdout")

    pack = sub.add_parser("pack", help="check, import, export and manage question packs")
    packs = pack.add_subparsers(
        dest="pack_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    p = packs.add_parser("validate", help="check a pack file or folder; exit 1 if invalid")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--json", action="store_true")
    p = packs.add_parser("lint", help="item-writing flaws; exit 1 if any is left unexplained")
    p.add_argument("path", metavar="PATH")
    p.add_argument(
        "--against",
        metavar="PATH",
        nargs="+",
        default=[],
        help="also look for near-duplicate stems in these packs",
    )
    p.add_argument("--json", action="store_true")
    p = packs.add_parser("stats", help="counts of a pack file or folder")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--json", action="store_true")
    p = packs.add_parser(
        "import", help="import a pack, or a GIFT / Moodle XML / Aiken / CSV file (all or nothing)"
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        default=None,
        help="force the file format (default: by content and extension)",
    )
    p.add_argument(
        "--skill",
        metavar="ID",
        default=None,
        help="question files only: put every imported question in this skill area",
    )
    p.add_argument(
        "--allow-downgrade",
        action="store_true",
        help="replace an installed newer version with this older one",
    )
    p.add_argument("--json", action="store_true")
    p = packs.add_parser("export", help="write installed questions as a pack, GIFT or Moodle XML")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default="studypack",
        help="studypack (default), gift or moodle-xml",
    )
    p.add_argument("--pack", metavar="ID", help="only this pack (whole pack: same id and version)")
    p.add_argument("--skill", metavar="ID", nargs="+", default=[], help="only these skill areas")
    p.add_argument(
        "--tag", metavar="T", nargs="+", default=[], help="only questions with these tags"
    )
    p.add_argument("--json", action="store_true")
    p = packs.add_parser("list", help="installed packs")
    p.add_argument("--json", action="store_true")
    p = packs.add_parser("remove", help="remove an installed pack (history stays)")
    p.add_argument("pack_id", metavar="ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p = packs.add_parser("seal", help="for authors: recompute a pack folder's manifest hashes")
    p.add_argument("path", metavar="FOLDER")
    return parser


def emit_json(document: Any, out: TextIO) -> None:
    """Write one JSON document and a newline."""
    json.dump(document, out, ensure_ascii=False, indent=2, sort_keys=False)
    out.write("\n")
    out.flush()


def cmd_info(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp info``."""
    info = profile.info()
    if args.json:
        emit_json(info.to_json(), out)
        return 0
    c = info.counts
    out.write(
        f"StudyApp {info.app_version}\n"
        f"Profile folder:  {info.data_dir}\n"
        f"Database:        {info.database}\n"
        f"Schema revision: {info.schema_revision}\n"
        f"Frameworks: {c['frameworks']}  Skill areas: {c['skill_areas']}  Packs: {c['packs']}  "
        f"Questions: {c['questions']}  Reviews: {c['reviews']}\n"
    )
    return 0


def cmd_pack_validate(args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp pack validate PATH``: every problem at once; exit 0 valid, 1 not."""
    path = Path(args.path)
    result = validate_pack_file(path)
    if args.json:
        emit_json(
            {
                "path": str(path),
                "valid": result.valid,
                "problems": [p.to_json() for p in result.problems],
            },
            out,
        )
    else:
        errors = sum(p.severity == "error" for p in result.problems)
        warnings = len(result.problems) - errors
        verdict = "valid" if result.valid else "NOT valid"
        count = len(result.pack.questions) if result.pack else 0
        out.write(f"{path}: {verdict} ({count} questions, {errors} errors, {warnings} warnings)\n")
        for problem in result.problems:
            out.write(f"  {problem}\n")
    return 0 if result.valid else 1


def cmd_pack_lint(args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp pack lint PATH``: exit 0 when no warning is left unexplained."""
    report = lint_pack_file(Path(args.path), [Path(p) for p in args.against])
    if args.json:
        emit_json({"path": args.path, **report.to_json()}, out)
    else:
        verdict = (
            "no unexplained warnings" if not report.warnings else f"{len(report.warnings)} warnings"
        )
        out.write(f"{args.path}: {verdict} ({len(report.allowed)} explained by {ALLOW_FILE})\n")
        for w in report.warnings:
            out.write(f"  {w.rule}: {w.where}: {w.message}\n")
    return 0 if not report.warnings else 1


def cmd_pack_stats(args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp pack stats PATH``."""
    stats = stats_of_pack_file(Path(args.path))
    if args.json:
        emit_json(stats, out)
        return 0
    out.write(f"{stats['pack']} {stats['version']}: {stats['questions']} questions\n")
    for skill, n in stats["by_skill"].items():
        out.write(f"  {skill:<28} {n}\n")
    out.write(f"  types {stats['by_type']}  difficulty {stats['by_difficulty']}\n")
    out.write(f"  correct positions {stats['correct_positions']}\n")
    return 0


def cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp simulate``: needs no profile, only the shipped pack."""
    questions, framework = shipped_questions()
    doc = simulate(
        questions,
        framework,
        learners=args.learners,
        days=args.days,
        minutes=float(args.minutes_per_day),
        seed=args.seed,
    )
    if args.json:
        emit_json(doc, out)
        return 0
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
    out.write(
        f"Readiness Brier score (planner): {doc['readiness_brier']}; all policies: "
        f"{doc['readiness_brier_all_policies']}\n"
    )
    return 0


def cmd_pack_seal(args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp pack seal FOLDER``: rewrite the manifest's hashes after hand edits."""
    count = reseal_folder(Path(args.path))
    out.write(f"{args.path}: manifest lists {count} files with fresh SHA-256 hashes.\n")
    return 0


def cmd_pack_import(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp pack import PATH``."""
    report = (
        PackService(profile)
        .import_pack(
            Path(args.path),
            allow_downgrade=args.allow_downgrade,
            format=args.format,
            skill=args.skill,
        )
        .value
    )
    if args.json:
        emit_json(report.to_json(), out)
        return 0
    out.write(report.summary() + "\n")
    if report.skipped_items:
        out.write("Skipped:\n" + "".join(f"  {item}\n" for item in report.skipped_items))
    if report.warnings:
        out.write("Warnings:\n" + "".join(f"  {w}\n" for w in report.warnings))
    if report.categories:
        out.write("Categories -> skill areas:\n")
        for category, skill in report.categories.items():
            out.write(f"  {category or '(no category)'} -> {skill or 'Unassigned'}\n")
    return 0


def cmd_pack_export(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp pack export --out FILE``."""
    report = PackService(profile).export(
        Path(args.out), pack_id=args.pack, skills=args.skill, tags=args.tag, format=args.format
    )
    if args.json:
        emit_json(report.to_json(), out)
    else:
        out.write(
            f"Wrote {report.questions} questions as pack {report.pack_id} "
            f"({report.display_version}) to {report.path}\n"
        )
    return 0


def cmd_pack_list(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp pack list``."""
    packs = PackService(profile).list()
    if args.json:
        emit_json([p.to_json() for p in packs], out)
        return 0
    if not packs:
        out.write("No packs installed.\n")
    for p in packs:
        out.write(f"{p.id:<24} {p.display_version:<10} {p.questions:>6} questions  {p.title}\n")
    return 0


def cmd_pack_remove(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp pack remove ID``: asks first unless --yes."""
    service = PackService(profile)
    match = [p for p in service.list() if p.id == args.pack_id]
    if not match:
        raise UsageError(
            f"no pack with id {args.pack_id!r} is installed ('studyapp pack list' shows them)"
        )
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "removing a pack needs confirmation: add --yes to remove without asking"
            )
        answer = input(
            f"Remove pack {args.pack_id} ({match[0].questions} questions)? "
            "Your answer history is kept. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            out.write("Nothing removed.\n")
            return 1
    count = service.remove(args.pack_id).value
    out.write(
        f"Removed pack {args.pack_id} and its {count} questions; their answer history is kept.\n"
    )
    return 0


def cmd_stats(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp stats``."""
    report = StudyService(profile).stats()
    doc = report.to_json()
    if args.json:
        emit_json(doc, out)
        return 0
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
    return 0


def cmd_report(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp report --out FILE [--format html|pdf]``: the facilitator's progress report."""
    pdf_writer: PdfWriter | None = getattr(args, "pdf_writer", None)
    made = (
        ReportService(profile)
        .write_report(Path(args.out), args.format, pdf_writer=pdf_writer)
        .value
    )
    if args.json:
        emit_json(made.to_json(), out)
    else:
        out.write(
            f"Wrote the progress report to {made.path} ({made.format}, {made.size:,} bytes).\n"
        )
    return 0


def cmd_drill(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
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
    return run_drill(profile, options, out=out, inp=sys.stdin)


def cmd_exam_build(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
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
    built = ExamService(profile).build(request)
    if args.json:
        emit_json(built.to_json(), out)
        return 0
    out.write(f"{built.share_line}\n")
    for n, (ref, skill) in enumerate(built.questions, 1):
        out.write(f"{n:>4} {ref:<40} {skill}\n")
    for note in built.notes:
        out.write(f"Note: {note}\n")
    return 0


def cmd_exam_sit(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp exam sit``: one flushed line per committed answer (docs/cli.md)."""
    return run_exam_sit(
        profile,
        answers=args.answers,
        seed=args.seed,
        accuracy=args.accuracy,
        code=args.code,
        length=args.length,
        submit=args.submit,
        hold_s=max(0.0, args.hold),
        out=out,
        sleep=time.sleep,
    )


def cmd_exam_status(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp exam status``: the unfinished exam as stored (reading changes nothing)."""
    view = ExamService(profile).unfinished()
    if args.json:
        emit_json(view.to_json() if view else {"exam": None}, out)
    elif view is None:
        out.write("No exam in progress.\n")
    else:
        left = view.remaining_ms // 1000
        out.write(
            f"Exam {view.code}: {view.status}{' (interrupted)' if view.interrupted else ''}, "
            f"{view.answered}/{view.length} answered, {view.flagged} flagged, "
            f"{left // 60} min {left % 60} s left.\n"
        )
    return 0


def cmd_exam_result(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp exam result``: the score report (estimated scaled score) of an exam."""
    service = ExamService(profile)
    exam_id = args.exam
    if exam_id is None:
        entries = service.history().entries
        if not entries:
            raise UsageError("no exam has been submitted yet")
        exam_id = entries[-1].id
    result = service.result(exam_id, args.review)
    if args.json:
        emit_json(result.to_json(), out)
        return 0
    s = result.score
    out.write(
        f"Exam {result.exam.code}: {s.raw}/{s.length} right ({s.percent:.0f}%); estimated "
        f"scaled score {s.scaled} of {s.scale_max} (pass {s.pass_scaled}), assuming a raw cut "
        f"of {s.cut_raw}/{s.length}.\n"
    )
    for t in (*s.by_category, *s.by_skill):
        out.write(f"  {t.title[:48]:<48} {t.correct:>3}/{t.total:<3}\n")
    return 0


def cmd_exam_history(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp exam history``."""
    history = ExamService(profile).history()
    if args.json:
        emit_json(history.to_json(), out)
        return 0
    for e in history.entries:
        when = e.submitted_at.date().isoformat() if e.submitted_at else "?"
        out.write(f"{when} {e.code:<20} {e.raw:>3}/{e.length:<3} scaled {e.scaled}\n")
    if history.trend_scaled_per_exam is not None:
        out.write(f"Trend: {history.trend_scaled_per_exam:+.1f} scaled points per exam\n")
    return 0


def cmd_optimize(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp optimize``."""
    report = StudyService(profile).optimize().value
    out.write(report.message + "\n")
    if report.fitted:
        out.write("Parameters: " + ", ".join(f"{p:.4f}" for p in report.parameters) + "\n")
    return 0


def cmd_backup(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp backup [--out FILE]``: a manual backup (never rotated away)."""
    made = BackupService(profile).backup(Path(args.out) if args.out else None).value
    if args.json:
        emit_json(made.to_json(), out)
    else:
        out.write(f"Backed up the profile database to {made.path} ({made.size:,} bytes).\n")
    return 0


def cmd_restore(paths: AppPaths, clock: Clock, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp restore FILE``: check the backup, keep the current database, replace it."""
    report = restore_backup(paths, clock, Path(args.file))
    if args.json:
        emit_json(report.to_json(), out)
        return 0
    kept = (
        f" The previous database was kept as {report.previous_kept}."
        if report.previous_kept
        else ""
    )
    out.write(
        f"Restored {report.restored_from} (schema revision {report.schema_revision}) into "
        f"{report.database}.{kept}\n"
    )
    return 0


ProfileCommand = Callable[[Profile, argparse.Namespace, TextIO], int]
PathCommand = Callable[[AppPaths, Clock, argparse.Namespace, TextIO], int]
FileCommand = Callable[[argparse.Namespace, TextIO], int]

# Explicit registries of headless commands (no lookups by name strings elsewhere).
# Profile commands open (and on first use create and seed) the profile; file commands
# only read the files they are given.
PROFILE_COMMANDS: dict[str, ProfileCommand] = {
    "backup": cmd_backup,
    "info": cmd_info,
    "stats": cmd_stats,
    "report": cmd_report,
    "drill": cmd_drill,
    "exam build": cmd_exam_build,
    "exam sit": cmd_exam_sit,
    "exam status": cmd_exam_status,
    "exam result": cmd_exam_result,
    "exam history": cmd_exam_history,
    "optimize": cmd_optimize,
    "settings get": cmd_settings_get,
    "settings set": cmd_settings_set,
    "pack import": cmd_pack_import,
    "pack export": cmd_pack_export,
    "pack list": cmd_pack_list,
    "pack remove": cmd_pack_remove,
    **{f"group {action}": cmd_group for action in GROUP_COMMANDS},
}
# Path commands hold the profile lock without opening the database (restore must work
# when the database is damaged or missing).
PATH_COMMANDS: dict[str, PathCommand] = {
    "restore": cmd_restore,
}
FILE_COMMANDS: dict[str, FileCommand] = {
    "pack validate": cmd_pack_validate,
    "pack stats": cmd_pack_stats,
    "pack lint": cmd_pack_lint,
    "pack seal": cmd_pack_seal,
    "simulate": cmd_simulate,
}


def command_name(args: argparse.Namespace) -> str:
    """``info``, ``pack import``, …: the registry key of the parsed command."""
    sub = getattr(args, f"{args.command}_command", None)
    return f"{args.command} {sub}" if sub else str(args.command)


def open_profile(paths: AppPaths, clock: Clock) -> Profile:
    """Open the profile and, on its first start, import the shipped packs."""
    profile = Profile.open(paths, clock, __version__)
    try:
        PackService(profile).seed_shipped()
    except BaseException:
        profile.close()
        raise
    return profile


def run_headless(
    args: argparse.Namespace,
    paths: AppPaths,
    clock: Clock,
    out: TextIO | None = None,
    *,
    pdf_writer: PdfWriter | None = None,
) -> int:
    """Run one headless command; profile commands open and close the profile.

    ``pdf_writer`` is the PDF engine (Qt's) that the composition root passes in, since
    this module never imports Qt; commands find it as ``args.pdf_writer``.
    """
    name = command_name(args)
    args.pdf_writer = pdf_writer
    stream = out or sys.stdout
    if name in FILE_COMMANDS:
        return FILE_COMMANDS[name](args, stream)
    if name in PATH_COMMANDS:
        return PATH_COMMANDS[name](paths, clock, args, stream)
    runner = PROFILE_COMMANDS[name]
    profile = open_profile(paths, clock)
    try:
        return runner(profile, args, stream)
    finally:
        profile.close()
