"""What every command module shares: the parser class, argument types, the handler's
context, JSON output and the usage error.

A command module registers its parsers with ``set_defaults(handler=...)``; a handler is
``handler(ctx, args) -> ExitCode``. The context opens the profile only when a handler
asks for it (:meth:`CommandContext.profile`), so commands that read only files
(``pack validate``, ``simulate``) or must work on a damaged database (``restore``) never
open it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn, TextIO

from studyapp import __version__
from studyapp.cli.prompt import Terminal
from studyapp.config import AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import ExitCode, StudyAppError
from studyapp.services import opening
from studyapp.services.profile import Profile
from studyapp.services.reports.service import PdfWriter


class UsageError(StudyAppError):
    """The command line itself is wrong."""

    exit_code = ExitCode.USAGE


class Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line, with a hint, and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def open_profile(paths: AppPaths, clock: Clock) -> Profile:
    """Open the profile (the GUI's way: :func:`studyapp.services.opening.open_profile`).

    A profile that cannot be opened (in use, damaged and moved aside, too new, folder
    unusable) raises its :class:`~studyapp.domain.errors.ProfileError`, whose sentence
    the CLI prints as its one error line and whose ``exit_code`` it exits with.
    """
    return opening.open_profile(paths, clock, __version__).profile_or_raise()


@dataclass
class CommandContext:
    """Everything a handler may use besides its arguments.

    ``pdf_writer`` is the PDF engine (Qt's) that the composition root passes in, since
    the CLI never imports Qt. ``terminal`` is where questions are asked
    (:mod:`studyapp.cli.prompt`).
    """

    paths: AppPaths
    clock: Clock
    out: TextIO
    inp: TextIO
    terminal: Terminal
    pdf_writer: PdfWriter | None = None
    _profile: Profile | None = field(default=None, repr=False)

    def profile(self) -> Profile:
        """The open profile (opened, and on first use created and seeded, on first call)."""
        if self._profile is None:
            self._profile = open_profile(self.paths, self.clock)
        return self._profile

    def close(self) -> None:
        """Close the profile if a handler opened it."""
        if self._profile is not None:
            profile, self._profile = self._profile, None
            profile.close()


Handler = Callable[[CommandContext, argparse.Namespace], ExitCode]


def emit_json(document: Any, out: TextIO) -> None:
    """Write one JSON document and a newline."""
    json.dump(document, out, ensure_ascii=False, indent=2, sort_keys=False)
    out.write("\n")
    out.flush()


def add_json(parser: argparse.ArgumentParser) -> None:
    """The ``--json`` flag every data-printing command takes."""
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


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


def positive_int(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return value


def positive_float(text: str) -> float:
    """A finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0.0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number above 0")
    return value


def probability(text: str) -> float:
    """A number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a probability between 0 and 1")
    return value
