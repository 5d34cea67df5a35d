"""Row counts for ``studyapp info`` and the About box."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.storage.models import (
    FrameworkRow,
    PackRow,
    QuestionRow,
    ReviewLogRow,
    SkillAreaRow,
)


def profile_counts(session: Session) -> dict[str, int]:
    """Counts of frameworks, skill areas, packs, active questions and reviews."""

    def count(stmt: object) -> int:
        return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]

    return {
        "frameworks": count(select(func.count()).select_from(FrameworkRow)),
        "skill_areas": count(select(func.count()).select_from(SkillAreaRow)),
        "packs": count(select(func.count()).select_from(PackRow)),
        "questions": count(
            select(func.count()).select_from(QuestionRow).where(QuestionRow.retired.is_(False))
        ),
        "reviews": count(select(func.count()).select_from(ReviewLogRow)),
    }
