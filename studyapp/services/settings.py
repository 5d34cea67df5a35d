"""Reading and changing settings by the user's rules: one path for the Settings screen,
the welcome dialog and ``studyapp settings``.

The rules themselves are the domain's (:func:`~studyapp.domain.settings.check_user_value`);
this module supplies what they need from the outside world (the learner's local calendar
day and the installed frameworks) and stores the result. Nothing is stored unless every
value given is accepted.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studyapp.domain.settings import (
    DEFAULT_FRAMEWORK,
    USER_KEYS,
    Settings,
    check_user_value,
    parse_user_value,
)
from studyapp.services.changes import Change, Outcome
from studyapp.services.profile import Profile
from studyapp.storage.exams import DbSession
from studyapp.storage.frameworks import load_frameworks
from studyapp.storage.settings import read_settings

TARGET_KEY = "target_framework"


def local_tz() -> tzinfo:
    """The machine's local time zone, as a real zone that follows daylight saving.

    ``TZ`` first, then the zone ``/etc/localtime`` points to; only when neither names a
    zone, the fixed offset in force now (which cannot follow daylight saving).
    """
    names = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError, IndexError):
        names.append(str(Path("/etc/localtime").resolve()).split("zoneinfo/", 1)[1])
    for name in names:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return datetime.now().astimezone().tzinfo or UTC


@dataclass(frozen=True, slots=True)
class FrameworkChoice:
    """An installed framework a profile may study toward."""

    id: str
    title: str


def target_framework_key(session: DbSession) -> str:
    """The id of the framework the profile studies toward (stored setting, else CETL).

    Home, readiness, the planner, statistics and mock exams all read it through here,
    so switching the target switches them together; progress is per question and stays.
    """
    return Settings.from_stored(read_settings(session)).target_framework or DEFAULT_FRAMEWORK


class SettingsService:
    """The user's settings on one profile."""

    def __init__(self, profile: Profile, tz: tzinfo | None = None) -> None:
        self.profile = profile
        self.tz = tz or local_tz()

    def today(self) -> date:
        """The learner's local calendar day, which "in the future" is measured from."""
        return self.profile.clock.now().astimezone(self.tz).date()

    def frameworks(self) -> tuple[FrameworkChoice, ...]:
        """The installed frameworks, by id."""
        with self.profile.db.reader() as session:
            return tuple(FrameworkChoice(f.id, f.title) for f in load_frameworks(session))

    def values(self) -> dict[str, Any]:
        """Every user setting, key -> stored value (``None``: the default applies)."""
        stored = self.profile.settings().to_stored()
        return {key: stored[key] for key in USER_KEYS}

    def update(self, **values: Any) -> Outcome[Settings]:
        """Check every value by the user rules, then store them all (or nothing).

        Raises :class:`~studyapp.domain.settings.SettingError` with one line naming the
        first refused value.
        """
        ids = self._framework_ids() if TARGET_KEY in values else ()
        today = self.today()
        for key, value in values.items():
            check_user_value(key, value, today=today, frameworks=ids)
        outcome = self.profile.update_settings(**values)
        changes = outcome.changes | (Change.FRAMEWORKS if TARGET_KEY in values else Change.NONE)
        return Outcome(outcome.value, changes)

    def set_text(self, key: str, text: str) -> Outcome[Settings]:
        """``studyapp settings set KEY VALUE``: parse ``text`` for ``key`` and store it."""
        ids = self._framework_ids() if key == TARGET_KEY else ()
        value = parse_user_value(key, text, today=self.today(), frameworks=ids)
        return self.update(**{key: value})

    def _framework_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.frameworks())
