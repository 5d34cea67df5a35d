"""The parser for every command: the global options, then each command module's parsers.

Each command module (``profile``, ``pack``, ``exam``, ``study``, ``progress``,
``simulate``, ``settings``, ``group``) has a ``register(sub)`` that adds its parsers and
binds each to its handler with ``set_defaults(handler=...)``. ``gui`` and ``selftest``
have no handler: the composition root (:mod:`studyapp.app`) starts the GUI for them.
"""

from __future__ import annotations

import argparse

from studyapp import __version__
from studyapp.cli import exam, group, pack, profile, progress, settings, simulate, study
from studyapp.cli.base import Parser, parse_now
from studyapp.config import DATA_DIR_ENV

COMMAND_MODULES = (profile, progress, study, settings, group, exam, simulate, pack)


def build_parser() -> argparse.ArgumentParser:
    """The parser for every command (GUI ones included, so --help lists them all)."""
    parser = Parser(
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.add_parser("gui", help="open the app (the default)")
    selftest = sub.add_parser("selftest", help="start the GUI headless, visit screens, exit 0")
    selftest.add_argument("--screenshots", metavar="DIR", help="write one PNG per screen here")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser
