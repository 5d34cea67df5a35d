"""``studyapp settings get|set``: the Settings screen's settings, by script.

Values are checked by the same rules as the Settings screen (see
:mod:`studyapp.services.settings`); a refused value is one line on stderr, exit 1, and
nothing is changed. ``get --json`` (and ``set --json``) is one object of key -> value
(``null``: the default applies, e.g. no exam date, or the framework's own pass mark).
"""

from __future__ import annotations

import argparse
from typing import Any

from studyapp.cli.base import CommandContext, Parser, add_json, emit_json
from studyapp.domain.errors import ExitCode
from studyapp.domain.settings import USER_KEYS, SettingError
from studyapp.services.settings import SettingsService


def register(sub: Any) -> None:
    """Add ``settings get [KEY] [--json]`` and ``settings set KEY VALUE [--json]`` to ``sub``."""
    settings = sub.add_parser("settings", help="read and change settings (exam date, target, …)")
    actions = settings.add_subparsers(
        dest="settings_command", metavar="ACTION", parser_class=Parser, required=True
    )
    keys = ", ".join(USER_KEYS)
    p = actions.add_parser("get", help="show every setting, or one")
    p.add_argument("key", nargs="?", metavar="KEY", help=f"one of: {keys}")
    p.add_argument("--json", action="store_true", help="one JSON object of key -> value")
    p.set_defaults(handler=cmd_get)
    p = actions.add_parser("set", help="change one setting (checked like the Settings screen)")
    p.add_argument("key", metavar="KEY", help=f"one of: {keys}")
    p.add_argument("value", metavar="VALUE", help="the new value; 'none' clears an exam date")
    add_json(p)
    p.set_defaults(handler=cmd_set)


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def cmd_get(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp settings get [KEY] [--json]``; an unknown key is exit 1."""
    out = ctx.out
    values = SettingsService(ctx.profile()).values()
    if args.key is not None:
        if args.key not in values:
            raise SettingError(
                f"unknown setting {args.key!r}; the settings are: " + ", ".join(USER_KEYS)
            )
        values = {args.key: values[args.key]}
    if args.json:
        emit_json(values, out)
    elif args.key is not None:
        out.write(_shown(values[args.key]) + "\n")
    else:
        width = max(len(k) for k in values)
        for key, value in values.items():
            out.write(f"{key:<{width}}  {_shown(value)}\n")
    return ExitCode.OK


def cmd_set(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``studyapp settings set KEY VALUE [--json]``: all or nothing, exit 1 on a refused
    value; ``--json`` is ``{KEY: value}`` as ``settings get KEY --json`` would print it."""
    service = SettingsService(ctx.profile())
    settings = service.set_text(args.key, args.value).value
    if args.json:
        emit_json({args.key: service.values()[args.key]}, ctx.out)
    else:
        ctx.out.write(f"{args.key} is now {_shown(getattr(settings, args.key))}.\n")
    return ExitCode.OK
