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
    """A growing list of findings."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, where: str, message: str) -> None:
        self.items.append(Problem("error", where, message))

    def warning(self, where: str, message: str) -> None:
        self.items.append(Problem("warning", where, message))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)
