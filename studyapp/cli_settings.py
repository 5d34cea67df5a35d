"""``studyapp settings get|set``: the Settings screen's settings, by script.

Values are checked by the same rules as the Settings screen (see
:mod:`studyapp.services.settings`); a refused value is one line on stderr, exit 1, and
nothing is changed. ``get --json`` is one object of key -> value (``null``: the default
applies, e.g. no exam date, or the framework's own pass mark).
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from studyapp.domain.settings import USER_KEYS, SettingError
from studyapp.services.profile import Profile
from studyapp.services.settings import SettingsService


def add_settings_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``settings get [KEY] [--json]`` and ``settings set KEY VALUE`` to ``sub``."""
    settings = sub.add_parser("settings", help="read and change settings (exam date, target, …)")
    actions = settings.add_subparsers(
        dest="settings_command", metavar="ACTION", parser_class=parser_class, required=True
    )
    keys = ", ".join(USER_KEYS)
    p = actions.add_parser("get", help="show every setting, or one")
    p.add_argument("key", nargs="?", metavar="KEY", help=f"one of: {keys}")
    p.add_argument("--json", action="store_true", help="one JSON object of key -> value")
    p = actions.add_parser("set", help="change one setting (checked like the Settings screen)")
    p.add_argument("key", metavar="KEY", help=f"one of: {keys}")
    p.add_argument("value", metavar="VALUE", help="the new value; 'none' clears an exam date")


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def cmd_settings_get(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp settings get [KEY] [--json]``."""
    values = SettingsService(profile).values()
    if args.key is not None:
        if args.key not in values:
            raise SettingError(
                f"unknown setting {args.key!r}; the settings are: " + ", ".join(USER_KEYS)
            )
        values = {args.key: values[args.key]}
    if args.json:
        json.dump(values, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.key is not None:
        out.write(_shown(values[args.key]) + "\n")
    else:
        width = max(len(k) for k in values)
        for key, value in values.items():
            out.write(f"{key:<{width}}  {_shown(value)}\n")
    return 0


def cmd_settings_set(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """``studyapp settings set KEY VALUE``: all or nothing, exit 1 on a refused value."""
    settings = SettingsService(profile).set_text(args.key, args.value).value
    out.write(f"{args.key} is now {_shown(getattr(settings, args.key))}.\n")
    return 0
