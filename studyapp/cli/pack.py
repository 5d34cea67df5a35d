"""``studyapp pack …``: check, import, export and manage question packs.

``validate``, ``lint``, ``stats`` and ``seal`` read only the files they are given (no
profile is opened); ``import``, ``export``, ``list`` and ``remove`` work on the profile.
``pack list --json`` is an array of ``{id, …}`` (the shape ``cli-contract.md`` names);
every other ``--json`` here is one object.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studyapp.cli.base import CommandContext, Parser, UsageError, add_json, emit_json
from studyapp.cli.prompt import confirm
from studyapp.domain.errors import ExitCode, PackError
from studyapp.domain.words import plural
from studyapp.packs.lint import ALLOW_FILE
from studyapp.packs.studypack import reseal_folder
from studyapp.services.packs.files import lint_pack_file, stats_of_pack_file, validate_pack_file
from studyapp.services.packs.interchange import EXPORT_FORMATS, IMPORT_FORMATS
from studyapp.services.packs.service import PackService


def register(sub: Any) -> None:
    """Add ``pack validate|lint|stats|import|export|list|remove|seal`` to ``sub``."""
    pack = sub.add_parser("pack", help="check, import, export and manage question packs")
    packs = pack.add_subparsers(
        dest="pack_command", metavar="ACTION", parser_class=Parser, required=True
    )
    p = packs.add_parser("validate", help="check a pack file or folder; exit 1 if invalid")
    p.add_argument("path", metavar="PATH")
    add_json(p)
    p.set_defaults(handler=cmd_validate)
    p = packs.add_parser("lint", help="item-writing flaws; exit 1 if any is left unexplained")
    p.add_argument("path", metavar="PATH")
    p.add_argument(
        "--against",
        metavar="PATH",
        nargs="+",
        default=[],
        help="also look for near-duplicate stems in these packs",
    )
    add_json(p)
    p.set_defaults(handler=cmd_lint)
    p = packs.add_parser("stats", help="counts of a pack file or folder")
    p.add_argument("path", metavar="PATH")
    add_json(p)
    p.set_defaults(handler=cmd_stats)
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
    add_json(p)
    p.set_defaults(handler=cmd_import)
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
    add_json(p)
    p.set_defaults(handler=cmd_export)
    p = packs.add_parser("list", help="installed packs")
    add_json(p)
    p.set_defaults(handler=cmd_list)
    p = packs.add_parser("remove", help="remove an installed pack (history stays)")
    p.add_argument("pack_id", metavar="ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_json(p)
    p.set_defaults(handler=cmd_remove)
    p = packs.add_parser("seal", help="for authors: recompute a pack folder's manifest hashes")
    p.add_argument("path", metavar="FOLDER")
    add_json(p)
    p.set_defaults(handler=cmd_seal)


def cmd_validate(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
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
            ctx.out,
        )
    else:
        errors = sum(p.severity == "error" for p in result.problems)
        warnings = len(result.problems) - errors
        verdict = "valid" if result.valid else "NOT valid"
        count = len(result.pack.questions) if result.pack else 0
        ctx.out.write(
            f"{path}: {verdict} ({count} questions, {errors} errors, {warnings} warnings)\n"
        )
        for problem in result.problems:
            ctx.out.write(f"  {problem}\n")
    return ExitCode.OK if result.valid else ExitCode.INPUT


def cmd_lint(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp pack lint PATH``: exit 0 when no warning is left unexplained."""
    report = lint_pack_file(Path(args.path), [Path(p) for p in args.against])
    out = ctx.out
    if args.json:
        emit_json({"path": args.path, **report.to_json()}, out)
    else:
        verdict = (
            "no unexplained warnings" if not report.warnings else f"{len(report.warnings)} warnings"
        )
        out.write(f"{args.path}: {verdict} ({len(report.allowed)} explained by {ALLOW_FILE})\n")
        for w in report.warnings:
            out.write(f"  {w.rule}: {w.where}: {w.message}\n")
    return ExitCode.OK if not report.warnings else ExitCode.INPUT


def cmd_stats(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp pack stats PATH``."""
    stats = stats_of_pack_file(Path(args.path))
    out = ctx.out
    if args.json:
        emit_json(stats, out)
        return ExitCode.OK
    out.write(f"{stats['pack']} {stats['version']}: {stats['questions']} questions\n")
    for skill, n in stats["by_skill"].items():
        out.write(f"  {skill:<28} {n}\n")
    out.write(f"  types {stats['by_type']}  difficulty {stats['by_difficulty']}\n")
    out.write(f"  correct positions {stats['correct_positions']}\n")
    return ExitCode.OK


def cmd_seal(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp pack seal FOLDER``: rewrite the manifest's hashes after hand edits."""
    count = reseal_folder(Path(args.path))
    if args.json:
        emit_json({"path": args.path, "files": count}, ctx.out)
    else:
        ctx.out.write(f"{args.path}: manifest lists {count} files with fresh SHA-256 hashes.\n")
    return ExitCode.OK


def cmd_import(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp pack import PATH``."""
    report = (
        PackService(ctx.profile())
        .import_pack(
            Path(args.path),
            allow_downgrade=args.allow_downgrade,
            format=args.format,
            skill=args.skill,
        )
        .value
    )
    out = ctx.out
    if args.json:
        emit_json(report.to_json(), out)
        return ExitCode.OK
    out.write(report.summary() + "\n")
    if report.skipped_items:
        out.write("Skipped:\n" + "".join(f"  {item}\n" for item in report.skipped_items))
    if report.warnings:
        out.write("Warnings:\n" + "".join(f"  {w}\n" for w in report.warnings))
    if report.categories:
        out.write("Categories -> skill areas:\n")
        for category, skill in report.categories.items():
            out.write(f"  {category or '(no category)'} -> {skill or 'Unassigned'}\n")
    return ExitCode.OK


def cmd_export(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp pack export --out FILE``."""
    report = PackService(ctx.profile()).export(
        Path(args.out), pack_id=args.pack, skills=args.skill, tags=args.tag, format=args.format
    )
    if args.json:
        emit_json(report.to_json(), ctx.out)
    else:
        ctx.out.write(
            f"Wrote {report.questions} questions as pack {report.pack_id} "
            f"({report.display_version}) to {report.path}\n"
        )
    return ExitCode.OK


def cmd_list(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp pack list``: ``--json`` is an array (the contract's shape, kept)."""
    packs = PackService(ctx.profile()).list()
    if args.json:
        emit_json([p.to_json() for p in packs], ctx.out)
        return ExitCode.OK
    if not packs:
        ctx.out.write("No packs installed.\n")
    for p in packs:
        ctx.out.write(f"{p.id:<24} {p.display_version:<10} {p.questions:>6} questions  {p.title}\n")
    return ExitCode.OK


def cmd_remove(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp pack remove ID``: asks first unless --yes; exit 1 if the answer is no.

    An id that is not installed is a state error (exit 1); asking without a terminal to
    ask on is a usage error (exit 2: the command line needs ``--yes``).
    """
    service = PackService(ctx.profile())
    match = [p for p in service.list() if p.id == args.pack_id]
    if not match:
        raise PackError(
            f"no pack with id {args.pack_id!r} is installed ('studyapp pack list' shows them)"
        )
    if not args.yes:
        question = (
            f"Remove pack {args.pack_id} ({plural(match[0].questions, 'question')})? "
            "Your answer history is kept."
        )
        refused = UsageError(
            "removing a pack needs confirmation: add --yes to remove without asking"
        )
        if not confirm(question, ctx.terminal, without=refused):
            if args.json:
                emit_json({"pack": args.pack_id, "removed": False, "questions": 0}, ctx.out)
            else:
                ctx.out.write("Nothing removed.\n")
            return ExitCode.INPUT
    count = service.remove(args.pack_id).value
    if args.json:
        emit_json({"pack": args.pack_id, "removed": True, "questions": count}, ctx.out)
    else:
        ctx.out.write(
            f"Removed pack {args.pack_id} and its {plural(count, 'question')}; "
            "their answer history is kept.\n"
        )
    return ExitCode.OK
