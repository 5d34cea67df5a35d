"""Validation findings: where, how bad, what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding. ``where`` is ``file: question id: field`` as far as known."""

    severity: Severity
    where: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"severity": self.severity, "where": self.where, "message": self.message}

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


class Problems:
    """A growing list of findings.

    ``errors`` counts the errors so far: the validator compares it before and after each
    question, which must not rescan a list that may hold a warning for each of 100,000
    questions.
    """

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.errors = 0

    def error(self, where: str, message: str) -> None:
        self.items.append(Problem("error", where, message))
        self.errors += 1

    def warning(self, where: str, message: str) -> None:
        self.items.append(Problem("warning", where, message))

    @property
    def has_errors(self) -> bool:
        return self.errors > 0
