"""Roles and row-level security, proven in PostgreSQL itself: each login connects with
plain psycopg (as psql would) and every forbidden read and write fails, while the allowed
ones work. Two groups: North (led by fac; ann and bob) and South (led by fso; zed)."""

from __future__ import annotations

import json

import psycopg
import pytest

from studyapp.domain.group import GroupFile, MemberCard
from studyapp.services.groups import hub as hub_admin
from studyapp.services.groups.hub import HubGroup

LOGINS = {
    "fac": "facilitator",
    "fso": "facilitator",
    "ann": "member",
    "bob": "member",
    "zed": "member",
}


def card(member_id: str, name: str) -> MemberCard:
    exam = {
        "code": "CETL-8-ABC",
        "raw": 1,
        "length": 1,
        "submitted_at": "2026-12-01T10:00:00",
        "items": [{"id": "p/q1", "skill": "data-management", "chosen": ["a"], "correct": True}],
    }
    return MemberCard.from_dict(
        {
            "format": 1,
            "member_id": member_id,
            "name": name,
            "written_at": "2026-12-01T10:00:00",
            "app_version": "1",
            "share": "all",
            "readiness": 0.5,
            "skills": [],
            "exams": [exam],
        }
    )


@pytest.fixture
def groups(hub):
    """The two groups with a pack each, and a card from each member; returns group ids."""
    hub_admin.init_hub(hub.url())
    for login, kind in LOGINS.items():
        hub_admin.add_login(hub.url(), login, kind, hub.remember(login))
    for leader, name in (("fac", "North"), ("fso", "South")):
        port = HubGroup(hub.url(leader))
        port.create(GroupFile(name, leader, "2026-12-01T09:00:00"))
    for member, name, n in (("ann", "North", 1), ("bob", "North", 2), ("zed", "South", 3)):
        HubGroup(hub.url(member, group=name)).write_card(card(f"{n:032x}", member.title()))
    with hub.connect("hubadmin") as conn:
        ids = dict(conn.execute("SELECT name, id FROM studyhub.groups").fetchall())
        for gid in ids.values():
            conn.execute("INSERT INTO studyhub.packs VALUES (%s, 'p.gift', 'x', 'data')", (gid,))
    return ids


def refused(conn, sql: str, params=()) -> None:
    """``sql`` fails with a privilege or row-level security error."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql, params)


def test_a_member_reads_their_group_and_writes_only_their_own_card(hub, groups):
    """ann: her group, its packs and anonymous sittings, her own card; nothing else."""
    north, south = groups["North"], groups["South"]
    with hub.connect("ann") as ann:
        assert ann.execute("SELECT name FROM studyhub.groups").fetchall() == [("North",)]
        assert ann.execute("SELECT group_id FROM studyhub.packs").fetchall() == [(north,)]
        owners = ann.execute("SELECT owner FROM studyhub.cards").fetchall()
        assert owners == [("ann",)]
        sittings = ann.execute("SELECT n, chosen FROM studyhub.group_sittings(%s)", (north,))
        assert sittings.fetchall() == [(1, '[["a"]]')]  # bob's, naming nobody
        assert ann.execute("SELECT * FROM studyhub.group_sittings(%s)", (south,)).fetchall() == []
        counts = ann.execute("SELECT * FROM studyhub.group_sitting_counts(%s)", (north,))
        assert counts.fetchall() == [("CETL-8-ABC", 1)]
        assert (
            ann.execute("SELECT * FROM studyhub.group_sitting_counts(%s)", (south,)).fetchall()
            == []
        )
        # her own row: allowed
        done = ann.execute("UPDATE studyhub.cards SET digest = 'd2' WHERE owner = 'ann'").rowcount
        assert done == 1
        # another member's rows: invisible, so unchangeable
        assert (
            ann.execute("UPDATE studyhub.cards SET digest = 'x' WHERE owner = 'bob'").rowcount == 0
        )
        assert ann.execute("DELETE FROM studyhub.cards WHERE owner <> 'ann'").rowcount == 0
        refused(
            ann,
            "INSERT INTO studyhub.cards (group_id, owner, member_id, digest, card) "
            "VALUES (%s, 'bob', 'm', 'd', '{}')",
            (north,),
        )
        refused(
            ann,
            "INSERT INTO studyhub.cards (group_id, member_id, digest, card) "
            "VALUES (%s, 'm', 'd', '{}')",
            (south,),
        )
        refused(ann, "UPDATE studyhub.cards SET owner = 'bob' WHERE owner = 'ann'")
        assert ann.execute("SELECT DISTINCT owner FROM studyhub.sittings").fetchall() == [("ann",)]
        assert ann.execute("DELETE FROM studyhub.sittings WHERE owner = 'bob'").rowcount == 0
        refused(
            ann,
            "INSERT INTO studyhub.sittings (group_id, owner, position, code, exam) "
            "VALUES (%s, 'bob', 9, 'X', '{}')",
            (north,),
        )
        refused(
            ann,
            "INSERT INTO studyhub.sittings (group_id, owner, position, code, raw, length, "
            "submitted_at, questions, chosen, correct) "
            "VALUES (%s, 'bob', 8, 'X', 0, 0, '', '[]', '[]', '')",
            (north,),
        )
        refused(ann, "UPDATE studyhub.sittings SET exam = '{}'")
        refused(ann, "UPDATE studyhub.sittings SET chosen = '[]'")
        refused(ann, "UPDATE studyhub.groups SET record = '{}'")
        refused(ann, "INSERT INTO studyhub.groups (name, record) VALUES ('Mine', '{}')")
        refused(ann, "INSERT INTO studyhub.packs VALUES (%s, 'evil.gift', 'x', 'y')", (north,))
        refused(ann, "SELECT * FROM studyhub.people")
        refused(
            ann, "INSERT INTO studyhub.memberships (group_id, login) VALUES (%s, 'ann')", (south,)
        )
    with hub.connect("hubadmin") as admin:
        rows = admin.execute("SELECT owner, digest FROM studyhub.cards ORDER BY owner").fetchall()
    assert [r[0] for r in rows] == ["ann", "bob", "zed"]
    assert rows[1][1] != "x" and rows[0][1] == "d2"


def test_a_facilitator_reads_every_card_of_their_group_and_nothing_of_another(hub, groups):
    """fso (South) sees zed's card only; fac (North) sees ann's and bob's; neither writes cards."""
    north = groups["North"]
    with hub.connect("fso") as fso:
        assert fso.execute("SELECT name FROM studyhub.groups").fetchall() == [("South",)]
        assert fso.execute("SELECT owner FROM studyhub.cards").fetchall() == [("zed",)]
        assert (
            fso.execute("SELECT * FROM studyhub.packs WHERE group_id = %s", (north,)).fetchall()
            == []
        )
        assert fso.execute("SELECT * FROM studyhub.group_sittings(%s)", (north,)).fetchall() == []
        assert (
            fso.execute("SELECT * FROM studyhub.group_sitting_counts(%s)", (north,)).fetchall()
            == []
        )
        assert (
            fso.execute("UPDATE studyhub.groups SET record = '{}' WHERE id = %s", (north,)).rowcount
            == 0
        )
        owners = fso.execute("SELECT DISTINCT owner FROM studyhub.sittings").fetchall()
        assert owners == [("zed",)]
        refused(fso, "SELECT * FROM studyhub.open_group('North')")
        refused(fso, "UPDATE studyhub.cards SET digest = 'x'")
        refused(fso, "INSERT INTO studyhub.packs VALUES (%s, 'evil.gift', 'x', 'y')", (north,))
    with hub.connect("fac") as fac:
        owners = fac.execute("SELECT owner FROM studyhub.cards ORDER BY owner").fetchall()
        assert owners == [("ann",), ("bob",)]
        cards = fac.execute("SELECT card FROM studyhub.cards").fetchall()
        assert {c[0]["name"] for c in cards} == {"Ann", "Bob"}
        refused(fac, "DELETE FROM studyhub.cards")


def test_an_unknown_role_and_a_removed_login_get_nothing(hub, groups):
    """A login outside the hub's roles reads nothing; a removed member's card is gone."""
    hub_admin.remove_login(hub.url(), "bob")
    with pytest.raises(psycopg.OperationalError):
        hub.connect("bob")
    with hub.connect("hubadmin") as admin:
        admin.execute("CREATE ROLE outsider LOGIN PASSWORD 'pw-outsider-x'")
        owners = admin.execute("SELECT owner FROM studyhub.cards ORDER BY owner").fetchall()
    assert owners == [("ann",), ("zed",)]
    hub.passwords["outsider"] = "pw-outsider-x"
    with hub.connect("outsider") as outsider:
        refused(outsider, "SELECT * FROM studyhub.cards")
        refused(outsider, "SELECT * FROM studyhub.open_group('North')")
    assert json.dumps(groups)
