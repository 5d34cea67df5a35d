"""A scripted terminal for the CLI's prompts (``studyapp.cli.prompt``), for tests."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from studyapp.cli.prompt import Terminal


def scripted_terminal(
    answers: str = "", read_secret: Callable[[str], str] | None = None
) -> Terminal:
    """An interactive terminal whose typed lines are ``answers`` and whose hidden
    (password) input comes from ``read_secret``; what it was asked is in ``.out``."""

    def no_secret(question: str) -> str:
        raise AssertionError(f"unexpected password question {question!r}")

    return Terminal(
        inp=io.StringIO(answers),
        out=io.StringIO(),
        interactive=True,
        read_secret=read_secret or no_secret,
    )


def use_terminal(monkeypatch: pytest.MonkeyPatch, terminal: Terminal) -> Terminal:
    """Make in-process ``studyapp`` runs ask their questions on ``terminal``."""
    monkeypatch.setattr("studyapp.cli.prompt.standard_terminal", lambda: terminal)
    return terminal
