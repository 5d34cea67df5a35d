"""Certification frameworks: categories, skill areas and their blueprint weights.

A framework is data (``studyapp/data/frameworks/*.json`` or a pack's ``framework.json``),
never constants in code, so a study group can define CeCTO or the CETPA mentor program
the same way CETL is defined. :func:`framework_from_dict` is the single validating parser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studyapp.domain.errors import FrameworkError

FRAMEWORK_FORMAT = "studyapp-framework"
FRAMEWORK_FORMAT_VERSION = 1
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True, slots=True)
class SkillArea:
    """A weighted skill area; ``weight`` is its share of the whole exam (0..1)."""

    id: str
    title: str
    category_id: str
    weight: float
    description: str = ""


@dataclass(frozen=True, slots=True)
class Category:
    """A reporting category; its weight is the sum of its skill areas' weights."""

    id: str
    title: str
    weight: float


@dataclass(frozen=True, slots=True)
class ExamFacts:
    """What is known (or assumed, and labelled so) about the real exam."""

    length: int
    scale_min: int
    scale_max: int
    pass_scaled: int
    time_limit_minutes: int
    time_limit_published: bool
    assumed_raw_cut: float
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Framework:
    """A certification framework definition, as loaded and validated."""

    id: str
    version: str
    title: str
    description: str
    categories: tuple[Category, ...]
    skill_areas: tuple[SkillArea, ...]
    exam: ExamFacts

    def skill(self, skill_id: str) -> SkillArea:
        """The skill area with this id; ``KeyError`` if there is none."""
        for skill in self.skill_areas:
            if skill.id == skill_id:
                return skill
        raise KeyError(skill_id)

    def find_skill(self, name: str) -> SkillArea | None:
        """Match a skill area by id or by title, ignoring case and surrounding space."""
        wanted = name.strip().casefold()
        for skill in self.skill_areas:
            if wanted in (skill.id.casefold(), skill.title.casefold()):
                return skill
        return None

    def to_dict(self) -> dict[str, Any]:
        """The definition-file form; :func:`framework_from_dict` reads it back."""
        return {
            "format": FRAMEWORK_FORMAT,
            "format_version": FRAMEWORK_FORMAT_VERSION,
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "description": self.description,
            "exam": {
                "length": self.exam.length,
                "scale_min": self.exam.scale_min,
                "scale_max": self.exam.scale_max,
                "pass_scaled": self.exam.pass_scaled,
                "time_limit_minutes": self.exam.time_limit_minutes,
                "time_limit_published": self.exam.time_limit_published,
                "assumed_raw_cut": self.exam.assumed_raw_cut,
                "notes": self.exam.notes,
            },
            "categories": [
                {
                    "id": cat.id,
                    "title": cat.title,
                    "skill_areas": [
                        {
                            "id": s.id,
                            "title": s.title,
                            "weight": s.weight,
                            "description": s.description,
                        }
                        for s in self.skill_areas
                        if s.category_id == cat.id
                    ],
                }
                for cat in self.categories
            ],
        }


def _req(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise FrameworkError(f"{where}: '{key}' must be a {kind.__name__}; found {value!r}.")
    return value


def framework_from_dict(data: Mapping[str, Any], source: str = "framework") -> Framework:
    """Validate and build a :class:`Framework` from its definition-file form.

    Raises :class:`FrameworkError` naming ``source`` and the field at fault. Weights are
    shares of the exam and must sum to 1 (within rounding); a newer format version is
    refused rather than half-understood.
    """
    if not isinstance(data, Mapping):
        raise FrameworkError(f"{source}: a framework definition must be a JSON object.")
    if data.get("format") != FRAMEWORK_FORMAT:
        raise FrameworkError(f"{source}: 'format' must be '{FRAMEWORK_FORMAT}'.")
    version = data.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise FrameworkError(f"{source}: 'format_version' must be a positive whole number.")
    if version > FRAMEWORK_FORMAT_VERSION:
        raise FrameworkError(
            f"{source}: written for framework format {version}; this StudyApp reads up to "
            f"format {FRAMEWORK_FORMAT_VERSION}. Update StudyApp to use it."
        )
    fid = _req(data, "id", str, source)
    if not _ID_RE.match(fid):
        raise FrameworkError(f"{source}: id {fid!r} must be lower-case letters, digits and '-'.")
    exam_raw = _req(data, "exam", dict, source)
    exam = ExamFacts(
        length=_req(exam_raw, "length", int, f"{source} exam"),
        scale_min=_req(exam_raw, "scale_min", int, f"{source} exam"),
        scale_max=_req(exam_raw, "scale_max", int, f"{source} exam"),
        pass_scaled=_req(exam_raw, "pass_scaled", int, f"{source} exam"),
        time_limit_minutes=_req(exam_raw, "time_limit_minutes", int, f"{source} exam"),
        time_limit_published=bool(exam_raw.get("time_limit_published", False)),
        assumed_raw_cut=float(_req(exam_raw, "assumed_raw_cut", float, f"{source} exam")),
        notes=str(exam_raw.get("notes", "")),
    )
    if not exam.scale_min <= exam.pass_scaled <= exam.scale_max or exam.length < 1:
        raise FrameworkError(f"{source}: exam length and scale values are inconsistent.")
    if not 0.0 < exam.assumed_raw_cut < 1.0:
        raise FrameworkError(f"{source}: exam 'assumed_raw_cut' must be between 0 and 1.")

    categories: list[Category] = []
    skills: list[SkillArea] = []
    seen: set[str] = set()
    for ci, cat_raw in enumerate(_req(data, "categories", list, source)):
        where = f"{source} categories[{ci}]"
        if not isinstance(cat_raw, dict):
            raise FrameworkError(f"{where}: must be an object.")
        cid = _req(cat_raw, "id", str, where)
        if not _ID_RE.match(cid) or cid in seen:
            raise FrameworkError(f"{where}: id {cid!r} is malformed or used twice.")
        seen.add(cid)
        cat_weight = 0.0
        for si, skill_raw in enumerate(_req(cat_raw, "skill_areas", list, where)):
            swhere = f"{where} skill_areas[{si}]"
            if not isinstance(skill_raw, dict):
                raise FrameworkError(f"{swhere}: must be an object.")
            sid = _req(skill_raw, "id", str, swhere)
            if not _ID_RE.match(sid) or sid in seen:
                raise FrameworkError(f"{swhere}: id {sid!r} is malformed or used twice.")
            seen.add(sid)
            weight = skill_raw.get("weight")
            if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
                raise FrameworkError(f"{swhere}: 'weight' must be a positive number.")
            cat_weight += float(weight)
            skills.append(
                SkillArea(
                    id=sid,
                    title=_req(skill_raw, "title", str, swhere),
                    category_id=cid,
                    weight=float(weight),
                    description=str(skill_raw.get("description", "")),
                )
            )
        categories.append(
            Category(id=cid, title=_req(cat_raw, "title", str, where), weight=cat_weight)
        )
    if not skills:
        raise FrameworkError(f"{source}: a framework needs at least one skill area.")
    total = sum(s.weight for s in skills)
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise FrameworkError(
            f"{source}: skill-area weights add up to {total:.4f}; they must add up to 1."
        )
    return Framework(
        id=fid,
        version=_req(data, "version", str, source),
        title=_req(data, "title", str, source),
        description=str(data.get("description", "")),
        categories=tuple(categories),
        skill_areas=tuple(skills),
        exam=exam,
    )
