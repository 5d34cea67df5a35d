"""Upgrading a hub made at h0001 (one JSON document per sitting) to h0002 (compact
sittings) with ``group hub init``: no sitting is lost, the group reads exactly as the
cards that were pushed, a hostile old row stays and is refused as before, and a card
pushed again after the upgrade is recognised (no new version)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from studyapp.domain.group import (
    ExamCard,
    GroupFile,
    ItemCard,
    MemberCard,
    Membership,
    ScheduledExam,
)
from studyapp.services.groups import hub as hub_admin
from studyapp.services.groups.hub import HubGroup, card_digest
from studyapp.services.groups.port import CardsRead
from studyapp.services.groups.status import group_status, screen_status
from studyapp.storage.hub import schema
from studyapp.storage.hub.connect import parse_address, transaction

CODES = ("CETL-4-AAA", "CETL-4-BBB")


def member_card(n: int, name: str) -> MemberCard:
    """A card with both codes sat: member n is right on the first n questions."""
    exams = []
    for code in CODES:
        items = tuple(
            ItemCard(f"p/q{q}", "dm", ("a",) if q < n else ("b",), q < n) for q in range(4)
        )
        exams.append(ExamCard(code, min(n, 4), 4, "2026-12-01T10:00:00", items))
    return MemberCard(
        f"{n:02x}" * 16, name, "2026-12-01T10:00:00", "1", "all", 0.5, (), tuple(exams)
    )


def old_push(conn, gid: int, owner: str, card: MemberCard, exams: list) -> None:
    """What the h0001 app wrote: the card without exams, one jsonb document per sitting."""
    head = {k: v for k, v in card.to_dict().items() if k != "exams"}
    conn.execute(
        "INSERT INTO studyhub.cards (group_id, owner, member_id, digest, card) "
        "VALUES (%s, %s, %s, %s, %s)",
        (gid, owner, card.member_id, card_digest(card), json.dumps(head)),
    )
    for position, exam in enumerate(exams, start=1):
        conn.execute(
            "INSERT INTO studyhub.sittings (group_id, owner, position, code, exam) "
            "VALUES (%s, %s, %s, %s, %s)",
            (gid, owner, position, exam.get("code", "?"), json.dumps(exam)),
        )


def test_upgrading_an_old_hub_keeps_every_sitting_and_reads_the_same(hub):
    """h0001 hub with three members (one with a hostile sitting) -> h0002: same figures."""
    with transaction(parse_address(hub.url())) as conn:
        schema.upgrade(conn, "h0001")
    for login, kind in (
        ("fac", "facilitator"),
        ("ann", "member"),
        ("bob", "member"),
        ("cat", "member"),
    ):
        hub_admin.add_login(hub.url(), login, kind, hub.remember(login))
    lead = HubGroup(hub.url("fac"))
    group = GroupFile(
        "North", "fac", "2026-12-01T09:00:00", (), tuple(ScheduledExam(c) for c in CODES)
    )
    lead.create(group)
    for login in ("ann", "bob", "cat"):
        HubGroup(hub.url(login, group="North")).read_group()  # joins
    ann, bob, cat = member_card(3, "Ann"), member_card(1, "Bob"), member_card(2, "Cat")
    with hub.connect("hubadmin") as conn:
        (gid,) = conn.execute("SELECT id FROM studyhub.groups").fetchone()
        for owner, card in (("ann", ann), ("bob", bob)):
            old_push(conn, gid, owner, card, [e.to_dict() for e in card.exams])
        hostile = {**cat.exams[0].to_dict(), "items": "not a list"}
        old_push(conn, gid, "cat", cat, [hostile, cat.exams[1].to_dict()])
        before = conn.execute(
            "SELECT owner, position, code FROM studyhub.sittings ORDER BY 1, 2"
        ).fetchall()

    assert hub_admin.init_hub(hub.url()) == schema.HUB_HEAD == "h0002"

    with hub.connect("hubadmin") as conn:
        after = conn.execute(
            "SELECT owner, position, code FROM studyhub.sittings ORDER BY 1, 2"
        ).fetchall()
        kept = conn.execute(
            "SELECT owner, position FROM studyhub.sittings WHERE exam IS NOT NULL"
        ).fetchall()
    assert after == before and len(after) == 6
    assert kept == [("cat", 1)]  # the hostile document, unchanged

    fac = HubGroup(hub.url("fac", group="North"))
    read = fac.read_cards()
    assert sorted(c.name for c in read.cards) == ["Ann", "Bob"]
    assert {c.member_id: c for c in read.cards} == {ann.member_id: ann, bob.member_id: bob}
    assert len(read.problems) == 1 and "Skipped a card" in read.problems[0].message
    now = datetime(2026, 12, 5, tzinfo=UTC)
    who = Membership(fac.location, "facilitator", "f" * 32, "fac")
    expected = group_status(group, who, CardsRead((ann, bob), ()), now)
    upgraded = group_status(fac.read_group(), who, read, now)
    assert upgraded.exams == expected.exams and upgraded.members == expected.members

    ann_port = HubGroup(hub.url("ann", group="North"))
    ann_port.write_card(ann)  # the same card again: recognised, no new version
    with hub.connect("hubadmin") as conn:
        versions = conn.execute("SELECT owner, version FROM studyhub.cards ORDER BY 1").fetchall()
    assert versions == [("ann", 1), ("bob", 1), ("cat", 1)]
    mine = Membership(ann_port.location, "member", ann.member_id, "Ann")
    seen = screen_status(ann_port, mine, now, CODES[0])
    # counted in the server: every shared row, the hostile one too (as before h0002)
    assert [(c.code, c.sat) for c in seen.counts] == [(CODES[0], 3), (CODES[1], 3)]
    assert seen.exams[0].analysis == expected.exams[0].analysis


def test_h0002_downgrades_to_documents_and_upgrades_again(hub):
    """Down to h0001 rebuilds each sitting's JSON document; up again reads the same card."""
    from alembic import command
    from alembic.config import Config

    from tests.hub.test_rls import card

    hub_admin.init_hub(hub.url())
    for login, kind in (("fac", "facilitator"), ("ann", "member")):
        hub_admin.add_login(hub.url(), login, kind, hub.remember(login))
    HubGroup(hub.url("fac")).create(GroupFile("North", "fac", "2026-12-01T09:00:00"))
    ann = card("a1" * 16, "Ann")
    HubGroup(hub.url("ann", group="North")).write_card(ann)
    with transaction(parse_address(hub.url())) as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "h0001")
    with hub.connect("hubadmin") as conn:
        (exam,) = conn.execute("SELECT exam FROM studyhub.sittings").fetchone()
    assert exam == ann.exams[0].to_dict()
    assert hub_admin.init_hub(hub.url()) == "h0002"
    (read,) = HubGroup(hub.url("fac", group="North")).read_cards().cards
    assert read == ann
