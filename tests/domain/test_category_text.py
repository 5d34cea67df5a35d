"""Home's category heading: a mastery only when every area in it is measured."""

from __future__ import annotations

from studyapp.domain.evidence import ENOUGH_ANSWERS
from studyapp.domain.figures import SkillFigure, category_text


def _area(answers: int, mean: float = 0.5, weight: float = 0.5) -> SkillFigure:
    return SkillFigure("s", "S", weight, answers, mean, mean - 0.1, mean + 0.1)


def test_category_text_follows_the_evidence_of_its_areas():
    """No answers: not practised; some: too few; all measured: the weighted mastery."""
    assert category_text([_area(0), _area(0)]) == "not practised yet"
    assert category_text([_area(0), _area(3)]) == "too few answers yet"
    assert category_text([_area(ENOUGH_ANSWERS), _area(ENOUGH_ANSWERS - 1)]) == (
        "too few answers yet"
    )
    measured = [_area(ENOUGH_ANSWERS, 0.4, 0.75), _area(ENOUGH_ANSWERS, 0.8, 0.25)]
    assert category_text(measured) == "mastery 50%"
