"""Profile settings as key -> JSON value rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.storage.models import SettingRow


def read_settings(session: Session) -> dict[str, Any]:
    """Every stored setting."""
    return {row.key: row.value for row in session.scalars(select(SettingRow))}


def write_settings(session: Session, values: dict[str, Any]) -> None:
    """Insert or replace the given settings; ``None`` removes one (back to its default)."""
    for key, value in values.items():
        row = session.get(SettingRow, key)
        if value is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
    session.flush()
