"""Profile settings with their defaults, and the rules for valid values.

Settings are stored as key -> JSON rows; :meth:`Settings.from_stored` ignores unknown keys
(a newer app may have added some) and falls back to the default for a value out of range,
so a damaged setting never stops the app from starting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

THEMES = ("system", "light", "dark")


@dataclass(frozen=True, slots=True)
class Settings:
    """Every user-adjustable setting of a profile."""

    exam_date: str | None = None  # ISO date, local calendar
    daily_new_limit: int = 20
    daily_goal_minutes: int = 30
    desired_retention: float = 0.90
    assumed_raw_cut: float | None = None  # None: the framework's documented default
    exam_minutes: int | None = None  # None: the framework's default time limit
    theme: str = "system"
    font_size: int = 11
    backup_keep: int = 10
    backup_daily: bool = True
    welcome_done: bool = False

    def to_stored(self) -> dict[str, Any]:
        """Key -> JSON value, as rows of the ``setting`` table."""
        return asdict(self)

    @classmethod
    def from_stored(cls, values: dict[str, Any]) -> Settings:
        """Build from stored rows; unknown keys ignored, bad values replaced by defaults."""
        known = {f.name for f in fields(cls)}
        result = cls()
        for key, value in values.items():
            if key in known:
                try:
                    result = result.with_value(key, value)
                except ValueError:
                    continue
        return result

    def with_value(self, key: str, value: Any) -> Settings:
        """A copy with one setting changed; ``ValueError`` naming the rule if invalid."""
        validators: dict[str, Callable[[Any], bool]] = {
            "exam_date": _check_date,
            "daily_new_limit": lambda v: _check_int(v, 0, 500),
            "daily_goal_minutes": lambda v: _check_int(v, 5, 600),
            "desired_retention": lambda v: _check_float(v, 0.70, 0.99),
            "assumed_raw_cut": lambda v: v is None or _check_float(v, 0.3, 0.95),
            "exam_minutes": lambda v: v is None or _check_int(v, 5, 600),
            "theme": lambda v: v in THEMES,
            "font_size": lambda v: _check_int(v, 8, 24),
            "backup_keep": lambda v: _check_int(v, 1, 100),
            "backup_daily": lambda v: isinstance(v, bool),
            "welcome_done": lambda v: isinstance(v, bool),
        }
        check = validators.get(key)
        if check is None:
            raise ValueError(f"unknown setting {key!r}")
        if not check(value):
            raise ValueError(f"{value!r} is not a valid value for {key}")
        return replace(self, **{key: value})


def _check_int(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_float(value: Any, low: float, high: float) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high


def _check_date(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
