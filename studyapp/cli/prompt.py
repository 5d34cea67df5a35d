"""The only place the CLI asks the person at the terminal anything.

``pack remove`` asks for confirmation, and a PostgreSQL group hub may ask for a
password. Both go through a :class:`Terminal`, so tests drive them with scripted input
instead of a real terminal: build a ``Terminal`` with your own streams, or replace
:func:`standard_terminal` for an in-process run of ``studyapp``. Without an interactive
terminal nothing is asked: the caller gets a clear error saying how to do without.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from studyapp.domain.errors import StudyAppError

YES = ("y", "yes")


@dataclass(frozen=True)
class Terminal:
    """Where questions go and answers come from.

    ``interactive``: a person can answer (stdin is a terminal). ``read_secret`` reads a
    line without echo (``getpass.getpass`` on a real terminal).
    """

    inp: TextIO
    out: TextIO
    interactive: bool
    read_secret: Callable[[str], str]


def standard_terminal() -> Terminal:
    """The process's own terminal: questions on stderr, answers from stdin."""
    return Terminal(
        inp=sys.stdin,
        out=sys.stderr,
        interactive=sys.stdin.isatty(),
        read_secret=getpass.getpass,
    )


def confirm(question: str, terminal: Terminal, *, without: StudyAppError) -> bool:
    """Ask a yes/no question (default no); True only for ``y`` or ``yes``.

    Without an interactive terminal nothing is asked and ``without`` is raised: the
    caller's error saying what to put on the command line instead.
    """
    if not terminal.interactive:
        raise without
    terminal.out.write(f"{question} [y/N] ")
    terminal.out.flush()
    answer = terminal.inp.readline()
    return answer.strip().lower() in YES


def ask_password(question: str, terminal: Terminal, *, without: StudyAppError) -> str:
    """Ask a password without echo; ``without`` is raised when nobody can answer."""
    if not terminal.interactive:
        raise without
    return terminal.read_secret(question)
