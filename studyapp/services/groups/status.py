"""The group as one profile may see it: what ``group status``, the Group screen and the
group report show (one source for all three).

A facilitator sees every member's card. A member sees their own card and the group's
exam figures, which name nobody. Item analysis is the domain's
(:mod:`studyapp.domain.item_analysis`); the key of each question is taken from the
members who answered it right (cards carry right/wrong, not the key).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

from studyapp.domain.group import (
    AreaNeed,
    GroupFile,
    MemberCard,
    Membership,
    ScheduledExam,
    weakest_areas,
)
from studyapp.domain.item_analysis import ExamAnalysis, Sitting, analyse_exam
from studyapp.services.gcpause import gc_paused
from studyapp.services.groups.card import normal_code
from studyapp.services.groups.port import CardsRead, GroupPort


@dataclass(frozen=True, slots=True)
class ExamStatus:
    """One scheduled exam: its date and the analysis of the sittings shared so far."""

    date: str | None
    analysis: ExamAnalysis

    def to_json(self) -> dict[str, Any]:
        return {**self.analysis.to_dict(), "date": self.date}


@dataclass(frozen=True, slots=True)
class ExamCount:
    """One scheduled exam in the Group screen's list: its code, date and sittings shared."""

    code: str
    date: str | None
    sat: int


@dataclass(frozen=True, slots=True)
class GroupStatus:
    """The group, its members' cards, the agenda and the scheduled exams' analyses."""

    name: str
    facilitator: str
    role: str
    as_of: datetime
    members: tuple[MemberCard, ...]
    agenda: tuple[AreaNeed, ...]
    exams: tuple[ExamStatus, ...]
    skipped: tuple[str, ...]
    counts: tuple[ExamCount, ...] = ()
    """Every scheduled exam with its sitting count (``exams`` may analyse only some)."""
    selected: str | None = None
    """The code the Group screen analyses (None: every code was analysed)."""

    def to_json(self) -> dict[str, Any]:
        """The ``group status --json`` document (keys only grow)."""
        return {
            "group": {"name": self.name, "facilitator": self.facilitator},
            "role": self.role,
            "as_of": self.as_of.isoformat(),
            "members": [_member_json(c) for c in self.members],
            "agenda": [
                {
                    "id": a.id,
                    "title": a.title,
                    "weight": round(a.weight, 4),
                    "mastery": round(a.mean, 4),
                    "members": a.members,
                    "too_few_answers": list(a.too_few),
                }
                for a in self.agenda
            ],
            "exams": [e.to_json() for e in self.exams],
            "skipped": list(self.skipped),
        }


def _member_json(card: MemberCard) -> dict[str, Any]:
    return {
        "name": card.name,
        "share": card.share,
        "written_at": card.written_at,
        "readiness": None if card.readiness is None else round(card.readiness, 4),
        "skills": [
            {
                "id": s.id,
                "title": s.title,
                "mastery": round(s.mastery, 4),
                "mastery_low": round(s.low, 4),
                "mastery_high": round(s.high, 4),
                "answers": s.answers,
                "enough": s.enough,
            }
            for s in card.skills
        ],
    }


_item_id = attrgetter("id")  # the card's questions are read as they are, not copied


def exam_analysis(code: str, cards: tuple[MemberCard, ...]) -> ExamAnalysis:
    """The item analysis of one code over the cards that shared a sitting of it."""
    sittings = []
    order: list[str] = []
    for card in cards:
        for exam in card.exams:
            if normal_code(exam.code) != code:
                continue
            if not order:
                order = [i.id for i in exam.items]
            sittings.append(
                Sitting(
                    member=card.member_id,
                    responses=dict(zip(map(_item_id, exam.items), exam.items, strict=True)),
                )
            )
    return analyse_exam(code, sittings, order)


def latest_code(group: GroupFile, now: datetime) -> str | None:
    """The exam the Group screen opens on: the most recent one scheduled on or before
    ``now``'s day, else the next one to come, else the last undated one."""
    today = now.date().isoformat()
    dated = sorted((e for e in group.exams if e.date), key=lambda e: (e.date or "", e.code))
    past = [e for e in dated if (e.date or "") <= today]
    pick: ScheduledExam | None = (
        past[-1] if past else dated[0] if dated else (group.exams[-1] if group.exams else None)
    )
    return None if pick is None else normal_code(pick.code)


def group_status(
    group: GroupFile,
    membership: Membership,
    read: CardsRead,
    now: datetime,
    only: Collection[str] | None = None,
    sat: Mapping[str, int] | None = None,
) -> GroupStatus:
    """What ``membership`` may see of ``group`` given the cards ``read``.

    ``only``: analyse these (normalised) codes only, as the Group screen does (None: every
    scheduled code, as ``group status`` and the report do). ``sat``: the sitting count of
    each code when ``read`` holds only some codes' sittings (None: counted in ``read``).
    """
    cards = tuple(sorted(read.cards, key=lambda c: (c.name.casefold(), c.member_id)))
    shown = (
        cards
        if membership.role == "facilitator"
        else tuple(c for c in cards if c.member_id == membership.member_id)
    )
    wanted = None if only is None else set(only)
    exams = tuple(
        ExamStatus(e.date, exam_analysis(normal_code(e.code), cards))
        for e in group.exams
        if wanted is None or normal_code(e.code) in wanted
    )
    if sat is None:
        sat = {x.analysis.code: x.analysis.sat for x in exams}
    counts = tuple(
        ExamCount(normal_code(e.code), e.date, sat.get(normal_code(e.code), 0)) for e in group.exams
    )
    return GroupStatus(
        name=group.name,
        facilitator=group.facilitator,
        role=membership.role,
        as_of=now,
        members=shown,
        agenda=weakest_areas(shown),
        exams=exams,
        skipped=tuple(p.message for p in read.problems),
        counts=counts,
        selected=None if not only else min(only),
    )


def screen_status(
    port: GroupPort, membership: Membership, now: datetime, code: str | None = None
) -> GroupStatus:
    """The Group screen's status: everything :func:`group_status` shows, every scheduled
    exam with its sitting count, and the item analysis of ONE code: ``code`` if it is
    scheduled, else the most recent one (:func:`latest_code`).

    One port call (on a hub one connection and one transaction), and only that code's
    sittings are read and analysed: at 1,000 members every code at once took 22.6 s.
    """
    chosen: list[str | None] = []

    def pick(group: GroupFile) -> tuple[str, ...]:
        scheduled = {normal_code(e.code) for e in group.exams}
        wanted = normal_code(code) if code else None
        chosen.append(wanted if wanted in scheduled else latest_code(group, now))
        return () if chosen[-1] is None else (chosen[-1],)

    # Bulk work: 100,000 answers become acyclic Python objects, freed by reference
    # counting; the cyclic collector would otherwise run hundreds of times over them (a
    # third of the time at 1,000 members). Paused as for a pack import (gcpause).
    with gc_paused():
        view = port.read_view(pick)
        only = pick(view.group) if not chosen else (() if chosen[0] is None else (chosen[0],))
        return group_status(view.group, membership, view.read, now, only=only, sat=view.sat)
