"""The Group screen's read on a hub: one transaction, one code's sittings, every code's count."""

from __future__ import annotations

from datetime import UTC, datetime

from studyapp.domain.group import GroupFile, Membership, ScheduledExam
from studyapp.services.groups import hub as hub_admin
from studyapp.services.groups.hub import HubGroup
from studyapp.services.groups.status import group_status, screen_status
from studyapp.storage.hub import connect
from tests.hub.test_rls import card


def test_the_screen_reads_one_code_in_one_connection_and_counts_every_code(hub, monkeypatch):
    """Facilitator and member get every code's sitting count and one code's analysis,
    equal to the full status' figures, through a single hub transaction."""
    hub_admin.init_hub(hub.url())
    for login, kind in (("fac", "facilitator"), ("ann", "member"), ("bob", "member")):
        hub_admin.add_login(hub.url(), login, kind, hub.remember(login))
    lead = HubGroup(hub.url("fac"))
    lead.create(GroupFile("North", "fac", "2026-12-01T09:00:00"))
    group = lead.read_group()
    for code, day in (("CETL-8-ABC", "2026-11-01"), ("CETL-8-XYZ", "2026-12-01")):
        group = group.with_exam(ScheduledExam(code, day))
    lead.write_group(group)
    ann_card = card("a1" * 16, "Ann")
    HubGroup(hub.url("ann", group="North")).write_card(ann_card)  # sat CETL-8-ABC only
    HubGroup(hub.url("bob", group="North")).write_card(card("b2" * 16, "Bob"))
    now = datetime(2026, 12, 5, tzinfo=UTC)

    opened = []
    real = connect.make_engine

    def counting(address):
        opened.append(address)
        return real(address)

    monkeypatch.setattr(connect, "make_engine", counting)
    fac = HubGroup(hub.url("fac", group="North"))
    who = Membership(fac.location, "facilitator", "f" * 32, "fac")
    latest = screen_status(fac, who, now)
    assert len(opened) == 1
    assert latest.selected == "CETL-8-XYZ"  # the most recent scheduled on or before now
    assert [(c.code, c.sat) for c in latest.counts] == [("CETL-8-ABC", 2), ("CETL-8-XYZ", 0)]
    assert [e.analysis.code for e in latest.exams] == ["CETL-8-XYZ"]

    chosen = screen_status(fac, who, now, "cetl-8-abc")
    full = group_status(fac.read_group(), who, fac.read_cards(), now)
    assert chosen.selected == "CETL-8-ABC"
    assert chosen.exams == full.exams[:1]
    assert chosen.members == full.members and chosen.agenda == full.agenda
    assert [(c.code, c.sat) for c in chosen.counts] == [
        (e.analysis.code, e.analysis.sat) for e in full.exams
    ]

    ann = HubGroup(hub.url("ann", group="North"))
    mine = Membership(ann.location, "member", ann_card.member_id, "Ann")
    seen = screen_status(ann, mine, now, "CETL-8-ABC")
    assert [(c.code, c.sat) for c in seen.counts] == [("CETL-8-ABC", 2), ("CETL-8-XYZ", 0)]
    assert seen.exams[0].analysis.sat == 2
    assert [c.name for c in seen.members] == ["Ann"]
