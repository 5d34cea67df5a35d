"""Sync that survives the network: the PostgreSQL server is killed in the middle of a
member's sync (``pg_ctl stop -m immediate``) and restarted; the next sync completes with
nothing lost or doubled. Card pushes are idempotent (the same card twice changes no row
and no version)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.config import AppPaths
from studyapp.domain.group import GroupError
from studyapp.services.groups import GroupService, read_membership
from studyapp.services.groups import hub as hub_admin
from studyapp.services.groups.hub import HubGroup
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile

GIFT = """$CATEGORY: $course$/Data Management

::{title}::Which backup rule keeps three copies on two media with one offsite? {{
=3-2-1 rule
~Mirror only
~RAID 5
}}

::{title} 2::Which US law protects student education records? {{
=FERPA
~HIPAA
~SOX
}}
"""


def open_profile(tmp_path: Path, name: str, clock) -> Profile:
    paths = AppPaths(data_dir=tmp_path / name, log_dir=tmp_path / f"{name}-logs")
    return Profile.open(paths, clock, "1.0")


@pytest.fixture
def member(hub, tmp_path: Path, clock) -> Iterator[Profile]:
    """A hub with two published packs and a scheduled nothing; ann joined, not synced."""
    hub_admin.init_hub(hub.url())
    hub_admin.add_login(hub.url(), "fac", "facilitator", hub.remember("fac"))
    hub_admin.add_login(hub.url(), "ann", "member", hub.remember("ann"))
    facilitator = open_profile(tmp_path, "fac", clock)
    try:
        service = GroupService(facilitator)
        service.create(hub.url("fac"), "North")
        for n in (1, 2):
            source = tmp_path / f"quiz-{n}.gift"
            source.write_text(GIFT.format(title=f"Quiz {n}"), encoding="utf-8")
            service.publish(source)
    finally:
        facilitator.close()
    profile = open_profile(tmp_path, "ann", clock)
    GroupService(profile).join(hub.url("ann", group="North"), "Ann", "all")
    yield profile
    profile.close()


def hub_cards(hub) -> list[tuple[str, int]]:
    with hub.connect("hubadmin") as conn:
        return conn.execute("SELECT owner, version FROM studyhub.cards ORDER BY owner").fetchall()


def group_packs(profile: Profile) -> list[str]:
    return sorted(p.id for p in PackService(profile).list() if p.id.startswith("quiz-"))


def test_the_server_killed_mid_sync_then_restarted_loses_and_doubles_nothing(
    hub, member, pg_cluster
):
    """Killed after the first pack: the sync fails in one line; the next one completes."""
    questions_before = member.info().counts

    def kill_after_first_pack(n: int, _total: int, _text: str) -> None:
        if n == 1:
            pg_cluster.stop("immediate")

    try:
        with pytest.raises(GroupError) as failed:
            GroupService(member).sync(kill_after_first_pack)
    finally:
        pg_cluster.start()
    message = str(failed.value)
    assert "\n" not in message and "Could not reach the PostgreSQL group hub" in message
    assert read_membership(member).packs == {}  # nothing recorded as synced
    assert hub_cards(hub) == []

    again = GroupService(member).sync().value
    assert again.card_written
    assert [p.pack_id for p in again.packs_added] == ["quiz-2"]  # quiz-1 came in before
    assert group_packs(member) == ["quiz-1", "quiz-2"]
    assert hub_cards(hub) == [("ann", 1)]
    counts = member.info().counts
    assert counts["questions"] == questions_before["questions"] + 4  # 2 packs x 2, none twice

    third = GroupService(member).sync().value  # the same card again: no change at all
    assert third.packs_added == () and third.packs_updated == ()
    assert hub_cards(hub) == [("ann", 1)]
    assert member.info().counts == counts


def test_the_same_card_pushed_twice_changes_nothing(hub, member):
    """A card's version goes up only when its content changes, not on a retried push."""
    GroupService(member).sync()
    port = HubGroup(read_membership(member).location)
    (card,) = port.read_cards().cards
    port.write_card(card)
    port.write_card(card)
    assert hub_cards(hub) == [("ann", 1)]
    from dataclasses import replace

    port.write_card(replace(card, readiness=0.99))
    assert hub_cards(hub) == [("ann", 2)]


def test_a_password_in_the_address_is_refused_and_never_stored(hub, member, tmp_path, clock):
    """Joining with user:password@ in the URL is refused; the stored location has none."""
    other = open_profile(tmp_path, "bob", clock)
    try:
        with pytest.raises(GroupError, match="password"):
            GroupService(other).join(hub.url("ann:secret", group="North"), "Bob")
        assert read_membership(other) is None
    finally:
        other.close()
    location = read_membership(member).location
    assert "secret" not in location and "pw-" not in location


def test_one_code_reads_only_that_codes_sittings_on_both_back_ends(hub, member, tmp_path):
    """read_cards(codes=…) keeps only those sittings, on the hub as on a folder."""
    from studyapp.domain.group import ExamCard, ItemCard
    from studyapp.services.groups.folder import FolderGroup

    GroupService(member).sync()
    port = HubGroup(read_membership(member).location)
    (card,) = port.read_cards().cards
    items = (ItemCard("p/q1", "data-management", ("a",), True),)
    exams = tuple(ExamCard(code, 1, 1, "2026-12-01T10:00", items) for code in ("A-1", "B-2"))
    from dataclasses import replace

    full = replace(card, exams=exams)
    folder = FolderGroup(tmp_path / "folder")
    folder.root.mkdir()
    for adapter in (port, folder):
        adapter.write_card(full)
        assert [e.code for e in adapter.read_cards().cards[0].exams] == ["A-1", "B-2"]
        assert [e.code for e in adapter.read_cards(codes=["B-2"]).cards[0].exams] == ["B-2"]
        assert adapter.read_cards(codes=[]).cards[0].exams == ()
