"""``studyapp group …``: study groups by script (see ``docs/study-groups.md``).

Commands, options and JSON keys are those of ``../shared/docs/cli-contract.md``:
``create``, ``join``, ``publish``, ``schedule``, ``sync [--json]``, ``status [--json]``,
``report --out FILE [--format html|pdf]``, ``leave``, and the PostgreSQL hub's
administration ``hub init URL`` / ``hub add-member URL NAME`` / ``hub add-facilitator URL
NAME`` / ``hub remove URL NAME``. A refused folder, card or value is one line on stderr
and exit 1, with nothing written to the profile.

Passwords for a hub come from libpq's usual places (``PGPASSWORD``, ``PGPASSFILE``,
``~/.pgpass``) or are asked on the terminal through :func:`ask_password` (tests replace
it); they are kept in memory for this run only, never in the profile.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from studyapp.domain.group import SHARES, GroupError
from studyapp.domain.item_analysis import FLAG_TEXT
from studyapp.services.groups import GroupService, last_failure
from studyapp.services.groups.report import (
    agenda_lines,
    distribution,
    plural,
    skill_cell,
    skill_columns,
    sync_line,
    write_group_report,
)
from studyapp.services.profile import Profile
from studyapp.services.reports import REPORT_FORMATS, PdfWriter
from studyapp.services.settings import local_tz

GROUP_COMMANDS = (
    "create",
    "join",
    "publish",
    "schedule",
    "sync",
    "status",
    "report",
    "leave",
    "hub",
)
HUB_COMMANDS = ("init", "add-member", "add-facilitator", "remove")


def ask_password(question: str) -> str:
    """Ask a password on the terminal, without echo (tests replace this function)."""
    if not sys.stdin.isatty():
        raise GroupError(
            "The group hub asks for a password and there is no terminal to ask on; put it "
            "in ~/.pgpass (or PGPASSFILE)."
        )
    return getpass.getpass(question)


def _prompt(question: str) -> str:
    return ask_password(question)  # looked up at call time, so tests can replace it


def add_group_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``group create|join|publish|schedule|sync|status|report|leave`` to ``sub``."""
    group = sub.add_parser("group", help="study groups: a shared folder, cards, the Group screen")
    actions = group.add_subparsers(
        dest="group_command", metavar="ACTION", parser_class=parser_class, required=True
    )
    p = actions.add_parser("create", help="facilitator: make a group folder this profile leads")
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("--name", required=True, metavar="NAME", help="the group's name")
    p = actions.add_parser("join", help="join a group's shared folder")
    p.add_argument("location", metavar="FOLDER|URL")
    p.add_argument("--name", required=True, metavar="DISPLAY_NAME", help="how the group sees you")
    p.add_argument(
        "--share",
        choices=SHARES,
        default="all",
        help="skills: mastery and readiness; exams: mock exam results; all: both (default)",
    )
    p = actions.add_parser("publish", help="facilitator: publish a pack (or its update)")
    p.add_argument("pack_path", metavar="PACK_PATH")
    p = actions.add_parser("schedule", help="facilitator: schedule a mock exam by its code")
    p.add_argument("--code", required=True, metavar="CODE")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day the group sits it")
    p = actions.add_parser("sync", help="import group packs, note scheduled exams, write your card")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("status", help="the group as this profile may see it")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("report", help="facilitator: the group report (HTML or PDF)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--format", choices=REPORT_FORMATS, help="default: by the extension of FILE")
    actions.add_parser("leave", help="leave the group (your progress and packs stay)")
    hub = actions.add_parser("hub", help="IT administrator: a PostgreSQL group hub")
    hub_actions = hub.add_subparsers(
        dest="hub_command", metavar="ACTION", parser_class=parser_class, required=True
    )
    p = hub_actions.add_parser("init", help="create the hub schema and group roles (once)")
    p.add_argument("url", metavar="URL")
    for action, what in (
        ("add-member", "add a member login"),
        ("add-facilitator", "add a facilitator login (may create and lead groups)"),
        ("remove", "remove a login with its cards"),
    ):
        p = hub_actions.add_parser(action, help=what)
        p.add_argument("url", metavar="URL")
        p.add_argument("name", metavar="NAME")


def _emit(document: Any, out: TextIO) -> None:
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def cmd_group(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    """Every ``group`` action (one entry in the CLI's registry per action).

    A hub password libpq cannot find is asked on the terminal (:func:`ask_password`) for
    the length of this command only; the process-wide prompt is unset afterwards.
    """
    from studyapp.services.groups.hub import set_password_prompt

    set_password_prompt(_prompt)
    try:
        return _group(profile, args, out)
    finally:
        set_password_prompt(None)


def _group(profile: Profile, args: argparse.Namespace, out: TextIO) -> int:
    service = GroupService(profile)
    action = args.group_command
    if action == "hub":
        return _hub(args, out)
    if action == "create":
        m = service.create(args.folder, args.name).value
        out.write(f"Created the study group {m.group_name} in {m.location}; you lead it.\n")
    elif action == "join":
        m = service.join(args.location, args.name, args.share).value
        out.write(
            f"Joined {m.group_name} as {m.name} (sharing: {m.share}). "
            "Run 'studyapp group sync' to get the group's packs and exams.\n"
        )
    elif action == "publish":
        entry = service.publish(Path(args.pack_path)).value
        out.write(f"Published {entry.title} ({entry.file}) to the group.\n")
    elif action == "schedule":
        exam = service.schedule(args.code, args.date).value
        when = f" for {exam.date}" if exam.date else ""
        out.write(f"Scheduled the mock exam {exam.code}{when}.\n")
    elif action == "sync":
        report = service.sync().value
        if args.json:
            _emit(report.to_json(), out)
        else:
            out.write(report.summary() + "\n")
            for problem in report.problems:
                out.write(f"  {problem}\n")
    elif action == "status":
        _status(service, args.json, out)
    elif action == "report":
        pdf_writer: PdfWriter | None = getattr(args, "pdf_writer", None)
        made = write_group_report(
            service.status(), Path(args.out), args.format, local_tz(), pdf_writer
        ).value
        out.write(f"Wrote the group report to {made.path} ({made.format}, {made.size:,} bytes).\n")
    else:
        name = service.leave().value
        out.write(f"Left {name}. Your progress and the group's packs stay in this profile.\n")
    return 0


def _hub(args: argparse.Namespace, out: TextIO) -> int:
    """``group hub init|add-member|add-facilitator|remove``: the administrator's commands."""
    from studyapp.services.groups import hub

    action = args.hub_command
    if action == "init":
        revision = hub.init_hub(args.url)
        out.write(
            f"The group hub is ready (schema revision {revision}). Add logins with "
            "'studyapp group hub add-facilitator URL NAME' and 'add-member URL NAME'.\n"
        )
    elif action in ("add-member", "add-facilitator"):
        name = hub.check_login(args.name)
        kind: hub.Kind = "member" if action == "add-member" else "facilitator"
        password = ask_password(f"Password for the new login {name} (empty: none): ")
        new = hub.add_login(args.url, name, kind, password or None)
        verb = "Added" if new else "Updated"
        out.write(f"{verb} the {kind} login {name}.\n")
    else:
        hub.remove_login(args.url, args.name)
        out.write(f"Removed the login {args.name} and its progress cards from the hub.\n")
    return 0


def _status(service: GroupService, as_json: bool, out: TextIO) -> None:
    status = service.status()
    if as_json:
        _emit(status.to_json(), out)
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
            words = "; ".join(FLAG_TEXT[f] for f in item.flags)
            out.write(f"  {item.id}: {words}\n")
        if a.items and not a.flagged:
            out.write(f"  No question looks flawed ({plural(len(a.items), 'question')}).\n")
    if status.skipped:
        out.write(f"{plural(len(status.skipped), 'file')} in the group folder skipped.\n")
