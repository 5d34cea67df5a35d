"""The group as one profile may see it: what ``group status``, the Group screen and the
group report show (one source for all three).

A facilitator sees every member's card. A member sees their own card and the group's
exam figures, which name nobody. Item analysis is the domain's
(:mod:`studyapp.domain.item_analysis`); the key of each question is taken from the
members who answered it right (cards carry right/wrong, not the key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studyapp.domain.group import AreaNeed, GroupFile, MemberCard, Membership, weakest_areas
from studyapp.domain.item_analysis import ExamAnalysis, ItemResponse, Sitting, analyse_exam
from studyapp.services.groups.card import normal_code
from studyapp.services.groups.port import CardsRead


@dataclass(frozen=True, slots=True)
class ExamStatus:
    """One scheduled exam: its date and the analysis of the sittings shared so far."""

    date: str | None
    analysis: ExamAnalysis

    def to_json(self) -> dict[str, Any]:
        return {**self.analysis.to_dict(), "date": self.date}


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
                    responses={i.id: ItemResponse(i.chosen, i.correct) for i in exam.items},
                )
            )
    return analyse_exam(code, sittings, order)


def group_status(
    group: GroupFile, membership: Membership, read: CardsRead, now: datetime
) -> GroupStatus:
    """What ``membership`` may see of ``group`` given the cards ``read``."""
    cards = tuple(sorted(read.cards, key=lambda c: (c.name.casefold(), c.member_id)))
    shown = (
        cards
        if membership.role == "facilitator"
        else tuple(c for c in cards if c.member_id == membership.member_id)
    )
    exams = tuple(
        ExamStatus(e.date, exam_analysis(normal_code(e.code), cards)) for e in group.exams
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
    )
