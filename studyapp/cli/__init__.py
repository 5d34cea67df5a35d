"""The command line: one parser for every command, and the headless commands' runner.

The whole interface is in ``docs/cli.md`` (and ``../shared/docs/cli-contract.md``). Rules:
every ``--json`` output is one JSON document on stdout whose keys only grow; an error is
one line on stderr and a non-zero exit (:class:`~studyapp.domain.errors.ExitCode`),
never a traceback. This package never imports Qt: the GUI and ``selftest`` are started
by :mod:`studyapp.app`.

Layout: :mod:`.base` (parser class, argument types, handler context, JSON output),
:mod:`.prompt` (the only questions asked on the terminal), :mod:`.parser` (the root
parser), one module per command group (:mod:`.profile`, :mod:`.pack`, :mod:`.exam`,
:mod:`.study`, :mod:`.progress`, :mod:`.simulate`, :mod:`.settings`, :mod:`.group`) and
the line protocols of ``drill`` (:mod:`.drill`) and ``exam sit`` (:mod:`.exam_sitting`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from studyapp.cli import prompt
from studyapp.cli.base import CommandContext, Handler, UsageError, open_profile, parse_now
from studyapp.cli.parser import build_parser
from studyapp.cli.prompt import Terminal
from studyapp.config import AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import ExitCode
from studyapp.services.reports.service import PdfWriter

__all__ = [
    "CommandContext",
    "ExitCode",
    "Handler",
    "UsageError",
    "build_parser",
    "handler_of",
    "open_profile",
    "parse_now",
    "run_headless",
]


def handler_of(args: argparse.Namespace) -> Handler | None:
    """The handler the parsed command bound with ``set_defaults``; None for the GUI ones."""
    handler: Handler | None = getattr(args, "handler", None)
    return handler


def run_headless(
    args: argparse.Namespace,
    paths: AppPaths,
    clock: Clock,
    out: TextIO | None = None,
    *,
    pdf_writer: PdfWriter | None = None,
    inp: TextIO | None = None,
    terminal: Terminal | None = None,
) -> ExitCode:
    """Run one headless command; a profile a handler opened is closed afterwards.

    ``pdf_writer`` is the PDF engine (Qt's) the composition root passes in, since this
    package never imports Qt. ``terminal`` is where questions are asked (default: the
    process's own, :func:`studyapp.cli.prompt.standard_terminal`).
    """
    handler = handler_of(args)
    if handler is None:
        raise UsageError(f"'{args.command or 'gui'}' opens the app; it is not a headless command")
    ctx = CommandContext(
        paths=paths,
        clock=clock,
        out=out or sys.stdout,
        inp=inp or sys.stdin,
        terminal=terminal or prompt.standard_terminal(),
        pdf_writer=pdf_writer,
    )
    try:
        return handler(ctx, args)
    finally:
        ctx.close()
