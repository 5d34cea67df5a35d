"""Time as a port.

The domain never reads the clock: callers pass ``now``. Services receive a :class:`Clock`
so that the CLI's ``--now`` option and tests can fix the moment. ``monotonic`` exists for
timers (the mock-exam countdown), which must not jump when the wall clock does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current moment."""

    def now(self) -> datetime:
        """The current moment, UTC-aware."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes backwards."""
        ...


def require_utc(moment: datetime, name: str = "moment") -> datetime:
    """Return ``moment`` if it is timezone-aware UTC, else raise ``ValueError``.

    Naive datetimes are refused rather than guessed at: a naive time read on a
    laptop in another zone would silently shift every due date.
    """
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        raise ValueError(f"{name} must be a UTC-aware datetime, got {moment!r}")
    return moment


@dataclass
class FixedClock:
    """A clock that only moves when told to; for tests and for ``--now``."""

    current: datetime
    mono: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.current = require_utc(self.current.astimezone(UTC), "current")

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        """Move both readings forward by ``seconds``."""
        self.current = self.current + timedelta(seconds=seconds)
        self.mono += seconds
