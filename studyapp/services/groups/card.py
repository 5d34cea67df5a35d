"""A member's progress card, built from the profile's own figures.

The figures come from their one source: mastery and readiness from
:meth:`StudyService.stats`, exam results from :class:`ExamService` (the latest sitting of
each of the group's scheduled codes, with the options chosen per question). The card
holds what the member chose to share (:data:`~studyapp.domain.group.SHARES`) and nothing
else: no question texts, no review log, no settings, no file paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from studyapp.domain.exam_code import ExamCodeError, decode_code
from studyapp.domain.group import ExamCard, ItemCard, MemberCard, Membership, SkillCard
from studyapp.services.exams.service import ExamService
from studyapp.services.profile import Profile
from studyapp.services.study.service import StudyService


def normal_code(text: str) -> str:
    """A code as the app writes it (``cetl-20-7kq3 mxa`` -> ``CETL-20-7KQ3MXA``)."""
    try:
        return decode_code(text).text()
    except ExamCodeError:
        return text.strip().upper()


def build_card(
    profile: Profile,
    membership: Membership,
    codes: Iterable[str],
    now: datetime,
) -> MemberCard:
    """This member's card as of ``now``, for the group's scheduled ``codes``."""
    skills: tuple[SkillCard, ...] = ()
    readiness: float | None = None
    if membership.share in ("skills", "all"):
        stats = StudyService(profile).stats()
        readiness = stats.readiness.probability
        skills = tuple(
            SkillCard(
                id=s.id,
                title=s.title,
                weight=s.weight,
                mastery=s.mastery.mean,
                low=s.mastery.low,
                high=s.mastery.high,
                answers=s.answers,
            )
            for s in stats.skills
        )
    exams: list[ExamCard] = []
    if membership.share in ("exams", "all"):
        wanted = {normal_code(c) for c in codes}
        service = ExamService(profile)
        latest = {}
        for entry in service.history().entries:  # oldest first: the last one wins
            code = normal_code(entry.code)
            if code in wanted:
                latest[code] = entry
        for code, entry in sorted(latest.items()):
            result = service.result(entry.id)
            exams.append(
                ExamCard(
                    code=code,
                    raw=result.score.raw,
                    length=result.score.length,
                    submitted_at=result.submitted_at.isoformat() if result.submitted_at else "",
                    items=tuple(
                        ItemCard(id=i.ref, skill=i.skill, chosen=i.chosen, correct=i.correct)
                        for i in result.items
                    ),
                )
            )
    return MemberCard(
        member_id=membership.member_id,
        name=membership.name,
        written_at=now.isoformat(),
        app_version=profile.app_version,
        share=membership.share,
        readiness=readiness,
        skills=skills,
        exams=tuple(exams),
    )
