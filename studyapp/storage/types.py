"""Column types: UTC instants as integer milliseconds, JSON as compact text.

Integers keep 1,000,000 review rows small and their time indexes fast, and they
cannot carry a wrong time zone; the type refuses naive datetimes on the way in.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def to_millis(moment: datetime) -> int:
    """UTC-aware ``datetime`` to integer milliseconds since the epoch."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r} cannot be stored; use UTC")
    return round(moment.timestamp() * 1000)


def from_millis(value: int) -> datetime:
    """Integer milliseconds since the epoch to a UTC-aware ``datetime``."""
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def dump_json(value: Any) -> str:
    """``value`` as :class:`JSONText` stores it (the one serialisation of JSON columns)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class UTCMillis(TypeDecorator[datetime]):
    """A UTC-aware ``datetime`` stored as INTEGER milliseconds."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        return None if value is None else to_millis(value)

    def process_result_value(self, value: int | None, dialect: Dialect) -> datetime | None:
        return None if value is None else from_millis(value)


class JSONText(TypeDecorator[Any]):
    """Any JSON-serialisable value stored as compact UTF-8 text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else dump_json(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)
