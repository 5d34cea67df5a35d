"""Profile settings with their defaults, and the rules for valid values.

Settings are stored as key -> JSON rows; :meth:`Settings.from_stored` ignores unknown keys
(a newer app may have added some) and falls back to the default for a value out of range,
so a damaged setting never stops the app from starting.

Two kinds of check live here, one source for each:

- :meth:`Settings.with_value` is the *storage* rule: is a value well formed? A stored exam
  date that has passed stays readable (the exam happened).
- :func:`check_user_value` and :func:`parse_user_value` are the *user* rules, which the
  Settings screen, the welcome dialog and ``studyapp settings set`` all apply: on top of
  the storage rule, a new exam date must lie in the future and a target framework must be
  installed. Their messages name the key, the rule and the value given, in one line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from studyapp.domain.errors import StudyAppError

THEMES = ("system", "light", "dark")
DEFAULT_FRAMEWORK = "cetl"
DISPLAY_NAME_MAX = 60
# Keys that ``studyapp settings`` reads and writes, in the order ``settings get`` lists
# them. Internal flags (welcome_done) stay out of the scripting interface.
USER_KEYS = (
    "display_name",
    "target_framework",
    "exam_date",
    "daily_goal_minutes",
    "daily_new_limit",
    "desired_retention",
    "assumed_raw_cut",
    "exam_minutes",
    "theme",
    "font_size",
    "backup_daily",
    "backup_keep",
)
_CLEAR_WORDS = ("", "none", "null")


class SettingError(StudyAppError, ValueError):
    """A value the rules refuse; the message is one line for the user (exit 1).

    ``str()`` names the key as scripts know it; :attr:`plain` says the same in the words
    of the Settings screen, for messages shown beside a control.
    """

    def __init__(self, message: str, *, plain: str | None = None) -> None:
        super().__init__(message)
        self.plain = plain or message


# How the Settings screen names each setting (for messages shown in the app).
LABELS = {
    "display_name": "Your name",
    "target_framework": "Studying for",
    "exam_date": "Exam date",
    "daily_goal_minutes": "Daily study goal",
    "daily_new_limit": "New questions per day",
    "desired_retention": "Desired retention",
    "assumed_raw_cut": "Assumed raw pass mark",
    "exam_minutes": "Mock exam time limit",
    "theme": "Theme",
    "font_size": "Font size",
    "backup_daily": "Daily automatic backup",
    "backup_keep": "Automatic backups to keep",
    "welcome_done": "Welcome shown",
}


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
    target_framework: str = DEFAULT_FRAMEWORK  # what Home, readiness, planning, exams follow
    display_name: str = ""  # how the learner is named (reports, study groups)

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
        rule = RULES.get(key)
        if rule is None:
            raise SettingError(f"unknown setting {key!r}")
        if not rule.check(value):
            raise SettingError(
                f"{key} must be {rule.text}; got {_shown(value)}",
                plain=f"{LABELS.get(key, key)} must be {rule.text}.",
            )
        return replace(self, **{key: value})


@dataclass(frozen=True, slots=True)
class Rule:
    """The storage rule of one setting: a check and the words that state it."""

    check: Callable[[Any], bool]
    text: str
    kind: str  # int | float | date | bool | text | choice (how ``settings set`` parses)
    nullable: bool = False


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
    return len(value) == 10


def _check_name(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= DISPLAY_NAME_MAX
        and value == value.strip()
        and value.isprintable()
    )


def _check_framework_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= 64
        and all(c.isascii() and (c.isalnum() or c in "-_.") for c in value)
    )


RULES: dict[str, Rule] = {
    "exam_date": Rule(_check_date, "a date as YYYY-MM-DD", "date", nullable=True),
    "daily_new_limit": Rule(lambda v: _check_int(v, 0, 500), "a whole number from 0 to 500", "int"),
    "daily_goal_minutes": Rule(
        lambda v: _check_int(v, 5, 600), "a whole number of minutes from 5 to 600", "int"
    ),
    "desired_retention": Rule(
        lambda v: _check_float(v, 0.70, 0.99), "a number from 0.70 to 0.99", "float"
    ),
    "assumed_raw_cut": Rule(
        lambda v: v is None or _check_float(v, 0.3, 0.95),
        "a share of questions from 0.30 to 0.95 (or none for the framework's default)",
        "float",
        nullable=True,
    ),
    "exam_minutes": Rule(
        lambda v: v is None or _check_int(v, 5, 600),
        "a whole number of minutes from 5 to 600 (or none for the framework's default)",
        "int",
        nullable=True,
    ),
    "theme": Rule(lambda v: v in THEMES, "one of " + ", ".join(THEMES), "choice"),
    "font_size": Rule(
        lambda v: _check_int(v, 8, 24), "a whole number of points from 8 to 24", "int"
    ),
    "backup_keep": Rule(lambda v: _check_int(v, 1, 100), "a whole number from 1 to 100", "int"),
    "backup_daily": Rule(lambda v: isinstance(v, bool), "true or false", "bool"),
    "welcome_done": Rule(lambda v: isinstance(v, bool), "true or false", "bool"),
    "target_framework": Rule(_check_framework_id, "the id of an installed framework", "choice"),
    "display_name": Rule(
        _check_name,
        f"a name of at most {DISPLAY_NAME_MAX} characters without line breaks "
        "or surrounding spaces",
        "text",
    ),
}


def earliest_exam_date(today: date) -> date:
    """The first date a user may give as the exam date: tomorrow.

    An exam today or earlier cannot be planned for (the planner paces toward a day still
    ahead) and a past date would make the countdown vanish without a word.
    """
    return today + timedelta(days=1)


def default_exam_date(today: date) -> date:
    """The date offered when the learner first says they have an exam: 60 days ahead."""
    return today + timedelta(days=60)


def long_date(day: date) -> str:
    """A date in words, e.g. 24 November 2026 (no leading zero on any platform)."""
    return f"{day.day} {day:%B %Y}"


def check_user_value(key: str, value: Any, *, today: date, frameworks: Collection[str] = ()) -> Any:
    """``value`` if the user may set ``key`` to it, else :class:`SettingError`.

    The rules every place where the user changes a setting applies: the storage rule,
    plus an exam date after ``today`` (the learner's local calendar day) and a target
    framework among ``frameworks`` (the installed ones).
    """
    rule = RULES.get(key)
    if rule is None or key not in USER_KEYS:
        raise SettingError(f"unknown setting {key!r}; the settings are: " + ", ".join(USER_KEYS))
    if key == "exam_date" and value is not None:
        first = earliest_exam_date(today)
        if not _check_date(value) or date.fromisoformat(value) < first:
            raise SettingError(
                f"exam_date must be a date in the future, as YYYY-MM-DD; got {_shown(value)}",
                plain=f"The exam date must be after today: choose {long_date(first)} or later.",
            )
        return value
    if key == "target_framework" and value not in frameworks:
        listed = ", ".join(sorted(frameworks)) or "none installed"
        raise SettingError(
            f"target_framework must be an installed framework ({listed}); got {_shown(value)}",
            plain="That framework is no longer installed; choose another.",
        )
    Settings().with_value(key, value)
    return value


def parse_user_value(key: str, text: str, *, today: date, frameworks: Collection[str] = ()) -> Any:
    """The typed value of ``text`` for ``key`` (as typed on a command line), checked by
    :func:`check_user_value`. ``none`` clears a setting that may be empty."""
    rule = RULES.get(key)
    if rule is None or key not in USER_KEYS:
        raise SettingError(f"unknown setting {key!r}; the settings are: " + ", ".join(USER_KEYS))
    raw = text.strip()
    value: Any
    if rule.nullable and raw.lower() in _CLEAR_WORDS:
        value = None
    elif rule.kind == "int":
        try:
            value = int(raw)
        except ValueError:
            raise SettingError(f"{key} must be {rule.text}; got {_shown(text)}") from None
    elif rule.kind == "float":
        try:
            value = float(raw)
        except ValueError:
            raise SettingError(f"{key} must be {rule.text}; got {_shown(text)}") from None
    elif rule.kind == "bool":
        words = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
        if raw.lower() not in words:
            raise SettingError(f"{key} must be {rule.text}; got {_shown(text)}")
        value = words[raw.lower()]
    elif rule.kind == "text":
        value = raw
    else:
        value = raw
    return check_user_value(key, value, today=today, frameworks=frameworks)


def _shown(value: Any) -> str:
    """A value as the user typed it (strings bare, empty as '')."""
    if isinstance(value, str):
        return value if value.strip() and value == value.strip() else repr(value)
    if value is None:
        return "none"
    return str(value)
