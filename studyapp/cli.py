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
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NoReturn, TextIO

from studyapp import __version__
from studyapp.config import DATA_DIR_ENV, AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import StudyAppError
from studyapp.services.profile import Profile

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


# Explicit registry of headless commands (no lookups by name strings elsewhere).
COMMANDS: dict[str, Callable[[Profile, argparse.Namespace, TextIO], int]] = {
    "info": cmd_info,
}


def run_headless(
    args: argparse.Namespace, paths: AppPaths, clock: Clock, out: TextIO | None = None
) -> int:
    """Open the profile, run one headless command, close the profile."""
    runner = COMMANDS[args.command]
    profile = Profile.open(paths, clock, __version__)
    try:
        return runner(profile, args, out or sys.stdout)
    finally:
        profile.close()
