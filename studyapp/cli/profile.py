"""``studyapp info``, ``backup`` and ``restore``: the profile itself.

``restore`` never opens the profile (it must work when the database is damaged or
missing); it takes the profile lock itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studyapp.cli.base import CommandContext, add_json, emit_json
from studyapp.domain.errors import ExitCode
from studyapp.services.backups import BackupService, restore_backup


def register(sub: Any) -> None:
    """Add ``info``, ``backup`` and ``restore`` to ``sub``."""
    info = sub.add_parser("info", help="profile folder, database, schema revision and counts")
    add_json(info)
    info.set_defaults(handler=cmd_info)
    backup = sub.add_parser("backup", help="write a consistent copy of the profile database")
    backup.add_argument(
        "--out", metavar="FILE", help="write here (default: the profile's backups folder)"
    )
    add_json(backup)
    backup.set_defaults(handler=cmd_backup)
    restore = sub.add_parser(
        "restore", help="replace the profile database with a backup (the current one is kept)"
    )
    restore.add_argument("file", metavar="FILE")
    add_json(restore)
    restore.set_defaults(handler=cmd_restore)


def cmd_info(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp info``."""
    info = ctx.profile().info()
    if args.json:
        emit_json(info.to_json(), ctx.out)
        return ExitCode.OK
    c = info.counts
    ctx.out.write(
        f"StudyApp {info.app_version}\n"
        f"Profile folder:  {info.data_dir}\n"
        f"Database:        {info.database}\n"
        f"Schema revision: {info.schema_revision}\n"
        f"Frameworks: {c['frameworks']}  Skill areas: {c['skill_areas']}  Packs: {c['packs']}  "
        f"Questions: {c['questions']}  Reviews: {c['reviews']}\n"
    )
    return ExitCode.OK


def cmd_backup(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp backup [--out FILE]``: a manual backup (never rotated away)."""
    made = BackupService(ctx.profile()).backup(Path(args.out) if args.out else None).value
    if args.json:
        emit_json(made.to_json(), ctx.out)
    else:
        ctx.out.write(f"Backed up the profile database to {made.path} ({made.size:,} bytes).\n")
    return ExitCode.OK


def cmd_restore(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp restore FILE``: check the backup, keep the current database, replace it."""
    report = restore_backup(ctx.paths, ctx.clock, Path(args.file))
    if args.json:
        emit_json(report.to_json(), ctx.out)
        return ExitCode.OK
    kept = (
        f" The previous database was kept as {report.previous_kept}."
        if report.previous_kept
        else ""
    )
    ctx.out.write(
        f"Restored {report.restored_from} (schema revision {report.schema_revision}) into "
        f"{report.database}.{kept}\n"
    )
    return ExitCode.OK
