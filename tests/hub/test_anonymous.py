"""Cards read from a hub never collide: another member's anonymous sittings never take a
real member's id, and a card claiming someone else's member id does not hide theirs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from studyapp.domain.group import GroupFile, Membership, ScheduledExam
from studyapp.services.groups import hub as hub_admin
from studyapp.services.groups.hub import HubGroup, anonymous_id
from studyapp.services.groups.status import screen_status
from tests.hub.test_rls import card

NOW = datetime(2026, 12, 5, tzinfo=UTC)


def north(hub) -> None:
    hub_admin.init_hub(hub.url())
    for login, kind in (("fac", "facilitator"), ("ann", "member"), ("bob", "member")):
        hub_admin.add_login(hub.url(), login, kind, hub.remember(login))
    lead = HubGroup(hub.url("fac"))
    lead.create(
        GroupFile("North", "fac", "2026-12-01T09:00:00", (), (ScheduledExam("CETL-8-ABC"),))
    )


def test_a_members_own_card_is_never_taken_for_anothers_anonymous_sittings(hub):
    """ann's id is 0…01 (what the first anonymous card used to be called): she still sees
    her own line, and the analysis counts her sitting and bob's."""
    north(hub)
    ann_card = card(f"{1:032x}", "Ann")
    ann = HubGroup(hub.url("ann", group="North"))
    ann.write_card(ann_card)
    HubGroup(hub.url("bob", group="North")).write_card(card("b2" * 16, "Bob"))
    seen = screen_status(ann, Membership(ann.location, "member", ann_card.member_id, "Ann"), NOW)
    assert [c.name for c in seen.members] == ["Ann"]
    assert seen.exams[0].analysis.sat == 2
    ids = [c.member_id for c in ann.read_cards().cards]
    assert len(set(ids)) == 2 and ann_card.member_id in ids


def test_a_card_claiming_anothers_member_id_hides_nobody_from_the_facilitator(hub):
    """bob writes ann's member id into his own card: the facilitator still sees both."""
    north(hub)
    ann_card = card("a1" * 16, "Ann")
    HubGroup(hub.url("ann", group="North")).write_card(ann_card)
    HubGroup(hub.url("bob", group="North")).write_card(
        replace(card("b2" * 16, "Bob"), member_id=ann_card.member_id)
    )
    fac = HubGroup(hub.url("fac", group="North"))
    seen = screen_status(fac, Membership(fac.location, "facilitator", "f" * 32, "fac"), NOW)
    assert sorted(c.name for c in seen.members) == ["Ann", "Bob"]
    assert seen.exams[0].analysis.sat == 2


def test_anonymous_ids_are_stable_distinct_and_look_like_member_ids():
    """The same sittings at the same place give the same id; another place another id."""
    exams = card("c3" * 16, "Cat").exams
    first = anonymous_id(1, exams)
    assert first == anonymous_id(1, exams) != anonymous_id(2, exams)
    assert len(first) == 32 and int(first, 16) >= 0
