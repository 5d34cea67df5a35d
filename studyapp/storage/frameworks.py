"""Frameworks, categories and skill areas: rows <-> domain ``Framework`` objects."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.domain.framework import Framework, framework_from_dict
from studyapp.storage.models import CategoryRow, FrameworkRow, SkillAreaRow


def upsert_framework(session: Session, framework: Framework) -> bool:
    """Store ``framework`` (insert, or update it in place); True if anything changed.

    Skill areas keep their row ids across updates, so questions and history that point
    at them stay attached. Areas absent from a newer definition are kept (questions may
    still name them); they simply stop appearing in the definition.
    """
    definition = framework.to_dict()
    row = session.scalar(select(FrameworkRow).where(FrameworkRow.key == framework.id))
    if row is not None and row.definition == definition:
        return False
    if row is None:
        row = FrameworkRow(
            key=framework.id,
            version=framework.version,
            title=framework.title,
            definition=definition,
        )
        session.add(row)
        session.flush()
    else:
        row.version, row.title, row.definition = framework.version, framework.title, definition
    cats = {
        c.key: c
        for c in session.scalars(select(CategoryRow).where(CategoryRow.framework_id == row.id))
    }
    for pos, cat in enumerate(framework.categories):
        crow = cats.get(cat.id)
        if crow is None:
            crow = CategoryRow(
                framework_id=row.id, key=cat.id, title=cat.title, weight=cat.weight, position=pos
            )
            session.add(crow)
            session.flush()
            cats[cat.id] = crow
        else:
            crow.title, crow.weight, crow.position = cat.title, cat.weight, pos
    skills = {
        s.key: s
        for s in session.scalars(select(SkillAreaRow).where(SkillAreaRow.framework_id == row.id))
    }
    for pos, skill in enumerate(framework.skill_areas):
        srow = skills.get(skill.id)
        values = {
            "category_id": cats[skill.category_id].id,
            "title": skill.title,
            "weight": skill.weight,
            "position": pos,
            "description": skill.description,
        }
        if srow is None:
            session.add(SkillAreaRow(framework_id=row.id, key=skill.id, **values))
        else:
            for name, value in values.items():
                setattr(srow, name, value)
    session.flush()
    return True


def load_frameworks(session: Session) -> list[Framework]:
    """Every stored framework, as domain objects."""
    rows = session.scalars(select(FrameworkRow).order_by(FrameworkRow.key))
    return [framework_from_dict(r.definition, f"stored framework {r.key}") for r in rows]


def load_framework(session: Session, key: str) -> Framework | None:
    """The stored framework with this id, or None."""
    row = session.scalar(select(FrameworkRow).where(FrameworkRow.key == key))
    return None if row is None else framework_from_dict(row.definition, f"stored framework {key}")
