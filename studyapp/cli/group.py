"""``studyapp group …``: study groups by script (see ``docs/study-groups.md``).

Commands, options and JSON keys are those of ``../shared/docs/cli-contract.md``:
``create``, ``join``, ``publish``, ``schedule``, ``sync [--json]``, ``status [--json]``,
``report --out FILE [--format html|pdf]``, ``leave``, and the PostgreSQL hub's
administration ``hub init URL`` / ``hub add-member URL NAME`` / ``hub add-facilitator URL
NAME`` / ``hub remove URL NAME``. Every one takes ``--json`` (one object on stdout). A
refused folder, card or value is one line on stderr and exit 1, with nothing written to
the profile.

Passwords for a hub come from libpq's usual places (``PGPASSWORD``, ``PGPASSFILE``,
``~/.pgpass``) or are asked on the terminal through :mod:`studyapp.cli.prompt` (tests
drive it with a scripted terminal); they are kept in memory for this run only, never in
the profile.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from studyapp.cli.base import CommandContext, Handler, Parser, add_json, emit_json
from studyapp.cli.prompt import ask_password
from studyapp.domain.errors import ExitCode
from studyapp.domain.group import SHARES, GroupError, Membership
from studyapp.domain.words import plural
from studyapp.services.groups import GroupService, last_failure
from studyapp.services.groups.report import (
    agenda_lines,
    distribution,
    flag_words,
    skill_cell,
    skill_columns,
    skipped_line,
    sync_line,
    write_group_report,
)
from studyapp.services.reports.service import REPORT_FORMATS
from studyapp.services.settings import local_tz

if TYPE_CHECKING:
    from studyapp.services.groups.hub import Kind

NO_TERMINAL = (
    "The group hub asks for a password and there is no terminal to ask on; put it "
    "in ~/.pgpass (or PGPASSFILE)."
)


def _password(ctx: CommandContext, question: str) -> str:
    """Ask a hub password on the context's terminal (exit 1 when there is none)."""
    return ask_password(question, ctx.terminal, without=GroupError(NO_TERMINAL))


def _asking(handler: Handler) -> Handler:
    """``handler`` with the hub's password prompt set to this command's terminal.

    A hub password libpq cannot find is asked for the length of this command only; the
    process-wide prompt is unset afterwards.
    """

    def run(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
        from studyapp.services.groups.hub import set_password_prompt

        set_password_prompt(lambda question: _password(ctx, question))
        try:
            return handler(ctx, args)
        finally:
            set_password_prompt(None)

    run.__doc__ = handler.__doc__
    run.__annotations__ = handler.__annotations__
    return run


def register(sub: Any) -> None:
    """Add ``group create|join|publish|schedule|sync|status|report|leave|hub`` to ``sub``."""
    group = sub.add_parser("group", help="study groups: a shared folder, cards, the Group screen")
    actions = group.add_subparsers(
        dest="group_command", metavar="ACTION", parser_class=Parser, required=True
    )
    p = actions.add_parser("create", help="facilitator: make a group folder this profile leads")
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("--name", required=True, metavar="NAME", help="the group's name")
    add_json(p)
    p.set_defaults(handler=_asking(cmd_create))
    p = actions.add_parser("join", help="join a group's shared folder")
    p.add_argument("location", metavar="FOLDER|URL")
    p.add_argument("--name", required=True, metavar="DISPLAY_NAME", help="how the group sees you")
    p.add_argument(
        "--share",
        choices=SHARES,
        default="all",
        help="skills: mastery and readiness; exams: mock exam results; all: both (default)",
    )
    add_json(p)
    p.set_defaults(handler=_asking(cmd_join))
    p = actions.add_parser("publish", help="facilitator: publish a pack (or its update)")
    p.add_argument("pack_path", metavar="PACK_PATH")
    add_json(p)
    p.set_defaults(handler=_asking(cmd_publish))
    p = actions.add_parser("schedule", help="facilitator: schedule a mock exam by its code")
    p.add_argument("--code", required=True, metavar="CODE")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day the group sits it")
    add_json(p)
    p.set_defaults(handler=_asking(cmd_schedule))
    p = actions.add_parser("sync", help="import group packs, note scheduled exams, write your card")
    add_json(p)
    p.set_defaults(handler=_asking(cmd_sync))
    p = actions.add_parser("status", help="the group as this profile may see it")
    add_json(p)
    p.set_defaults(handler=_asking(cmd_status))
    p = actions.add_parser("report", help="facilitator: the group report (HTML or PDF)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--format", choices=REPORT_FORMATS, help="default: by the extension of FILE")
    add_json(p)
    p.set_defaults(handler=_asking(cmd_report))
    p = actions.add_parser("leave", help="leave the group (your progress and packs stay)")
    add_json(p)
    p.set_defaults(handler=_asking(cmd_leave))
    _register_hub(actions)


def _register_hub(actions: Any) -> None:
    hub = actions.add_parser("hub", help="IT administrator: a PostgreSQL group hub")
    hub_actions = hub.add_subparsers(
        dest="hub_command", metavar="ACTION", parser_class=Parser, required=True
    )
    p = hub_actions.add_parser("init", help="create the hub schema and group roles (once)")
    p.add_argument("url", metavar="URL")
    add_json(p)
    p.set_defaults(handler=_asking(cmd_hub_init))
    adders: tuple[tuple[str, str, Handler], ...] = (
        ("add-member", "add a member login", cmd_hub_add_member),
        (
            "add-facilitator",
            "add a facilitator login (may create and lead groups)",
            cmd_hub_add_facilitator,
        ),
        ("remove", "remove a login with its cards", cmd_hub_remove),
    )
    for action, what, handler in adders:
        p = hub_actions.add_parser(action, help=what)
        p.add_argument("url", metavar="URL")
        p.add_argument("name", metavar="NAME")
        add_json(p)
        p.set_defaults(handler=_asking(handler))


def _membership_json(m: Membership) -> dict[str, Any]:
    """What ``create`` and ``join --json`` print: the membership as a script needs it."""
    return {
        "group": m.group_name,
        "location": m.location,
        "role": m.role,
        "name": m.name,
        "share": m.share,
    }


def cmd_create(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group create FOLDER --name NAME [--json]``: this profile leads the new group."""
    m = GroupService(ctx.profile()).create(args.folder, args.name).value
    if args.json:
        emit_json(_membership_json(m), ctx.out)
    else:
        ctx.out.write(f"Created the study group {m.group_name} in {m.location}; you lead it.\n")
    return ExitCode.OK


def cmd_join(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group join FOLDER|URL --name DISPLAY_NAME [--share …] [--json]``."""
    m = GroupService(ctx.profile()).join(args.location, args.name, args.share).value
    if args.json:
        emit_json(_membership_json(m), ctx.out)
    else:
        ctx.out.write(
            f"Joined {m.group_name} as {m.name} (sharing: {m.share}). "
            "Run 'studyapp group sync' to get the group's packs and exams.\n"
        )
    return ExitCode.OK


def cmd_publish(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group publish PACK_PATH [--json]``: facilitator only; ``--json`` names the pack
    with the keys ``group sync --json`` uses for it."""
    entry = GroupService(ctx.profile()).publish(Path(args.pack_path)).value
    if args.json:
        emit_json(
            {
                "pack": entry.pack_id,
                "version": entry.version,
                "title": entry.title,
                "file": entry.file,
                "published_at": entry.published_at,
            },
            ctx.out,
        )
    else:
        ctx.out.write(f"Published {entry.title} ({entry.file}) to the group.\n")
    return ExitCode.OK


def cmd_schedule(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group schedule --code CODE [--date YYYY-MM-DD] [--json]``: facilitator only."""
    exam = GroupService(ctx.profile()).schedule(args.code, args.date).value
    if args.json:
        emit_json({"code": exam.code, "date": exam.date}, ctx.out)
    else:
        when = f" for {exam.date}" if exam.date else ""
        ctx.out.write(f"Scheduled the mock exam {exam.code}{when}.\n")
    return ExitCode.OK


def cmd_sync(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group sync [--json]``."""
    report = GroupService(ctx.profile()).sync().value
    if args.json:
        emit_json(report.to_json(), ctx.out)
    else:
        ctx.out.write(report.summary() + "\n")
        for problem in report.problems:
            ctx.out.write(f"  {problem}\n")
    return ExitCode.OK


def cmd_status(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group status [--json]``."""
    _status(GroupService(ctx.profile()), args.json, ctx.out)
    return ExitCode.OK


def cmd_report(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group report --out FILE [--format html|pdf] [--json]``: the facilitator's report;
    ``--json`` prints ``{"path", "format", "size"}`` as ``studyapp report --json`` does."""
    service = GroupService(ctx.profile())
    made = write_group_report(
        service.status(), Path(args.out), args.format, local_tz(), ctx.pdf_writer
    ).value
    if args.json:
        emit_json(made.to_json(), ctx.out)
    else:
        ctx.out.write(
            f"Wrote the group report to {made.path} ({made.format}, {made.size:,} bytes).\n"
        )
    return ExitCode.OK


def cmd_leave(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group leave [--json]``: packs and progress stay in the profile."""
    name = GroupService(ctx.profile()).leave().value
    if args.json:
        emit_json({"group": name, "left": True}, ctx.out)
    else:
        ctx.out.write(f"Left {name}. Your progress and the group's packs stay in this profile.\n")
    return ExitCode.OK


def cmd_hub_init(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group hub init URL [--json]``: the hub schema and group roles (needs no profile)."""
    from studyapp.services.groups import hub

    revision = hub.init_hub(args.url)
    if args.json:
        emit_json({"schema_revision": revision}, ctx.out)
        return ExitCode.OK
    ctx.out.write(
        f"The group hub is ready (schema revision {revision}). Add logins with "
        "'studyapp group hub add-facilitator URL NAME' and 'add-member URL NAME'.\n"
    )
    return ExitCode.OK


def cmd_hub_add_member(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group hub add-member URL NAME``."""
    return _add_login(ctx, args, "member")


def cmd_hub_add_facilitator(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group hub add-facilitator URL NAME``."""
    return _add_login(ctx, args, "facilitator")


def _add_login(ctx: CommandContext, args: argparse.Namespace, kind: Kind) -> ExitCode:
    from studyapp.services.groups import hub

    name = hub.check_login(args.name)
    password = _password(ctx, f"Password for the new login {name} (empty: none): ")
    new = hub.add_login(args.url, name, kind, password or None)
    if args.json:
        emit_json({"login": name, "kind": kind, "added": new}, ctx.out)
    else:
        verb = "Added" if new else "Updated"
        ctx.out.write(f"{verb} the {kind} login {name}.\n")
    return ExitCode.OK


def cmd_hub_remove(ctx: CommandContext, args: argparse.Namespace) -> ExitCode:
    """``group hub remove URL NAME [--json]``: the login and its progress cards."""
    from studyapp.services.groups import hub

    hub.remove_login(args.url, args.name)
    if args.json:
        emit_json({"login": args.name, "removed": True}, ctx.out)
    else:
        ctx.out.write(f"Removed the login {args.name} and its progress cards from the hub.\n")
    return ExitCode.OK


def _status(service: GroupService, as_json: bool, out: TextIO) -> None:
    status = service.status()
    if as_json:
        emit_json(status.to_json(), out)
        return
    out.write(f"{status.name} (facilitator: {status.facilitator})\n")
    profile = service.profile
    line = sync_line(service.membership(), last_failure(profile), profile.clock.now(), local_tz())
    out.write(line + "\n")
    columns = skill_columns(status)
    for card in status.members:
        ready = "–" if card.readiness is None else f"{card.readiness:.0%}"
        out.write(f"{card.name}: readiness {ready}\n")
        for skill_id, title, _w in columns:
            out.write(f"  {title[:44]:<44} {skill_cell(card, skill_id)}\n")
    if status.role == "facilitator":
        out.write("Suggested agenda:\n" + "".join(f"  {line}\n" for line in agenda_lines(status)))
    for exam in status.exams:
        a = exam.analysis
        out.write(f"Mock exam {a.code}: {distribution(a)}\n")
        for item in a.flagged:
            out.write(f"  {item.id}: {flag_words(item.flags)}\n")
        if a.items and not a.flagged:
            out.write(f"  No question looks flawed ({plural(len(a.items), 'question')}).\n")
    if status.skipped:
        out.write(skipped_line(len(status.skipped)) + "\n")
