"""Scoring: raw score, breakdowns, the estimated scaled score under the assumed cut."""

from __future__ import annotations

import pytest

from studyapp.domain.exam_score import ScoredItem, cut_for, score_exam, trend

SKILLS = [("a", "Skill A", "c1"), ("b", "Skill B", "c1"), ("c", "Skill C", "c2")]
CATEGORIES = [("c1", "Category 1"), ("c2", "Category 2")]


def items(correct_by_skill: dict[str, tuple[int, int]], time_ms: int = 1000) -> list[ScoredItem]:
    out = []
    for skill, (right, total) in correct_by_skill.items():
        out += [ScoredItem(skill, True, i < right, time_ms) for i in range(total)]
    return out


def score(its, cut=0.7):
    return score_exam(
        its,
        skills=SKILLS,
        categories=CATEGORIES,
        cut_fraction=cut,
        scale_max=800,
        pass_scaled=600,
    )


@pytest.mark.parametrize(
    ("right", "scaled"), [(0, 0), (35, 300), (69, 591), (70, 600), (85, 700), (100, 800)]
)
def test_scaled_estimate_maps_the_assumed_cut_to_600(right, scaled):
    """With a 70 % cut on 100 questions: 70 -> 600, linear on each side, 0 and 800 at ends."""
    s = score(items({"a": (right, 100)}))
    assert (s.raw, s.scaled, s.cut_raw) == (right, scaled, 70)
    assert s.passed == (scaled >= 600)


def test_the_cut_follows_the_setting_and_the_length():
    """A 0.6 cut on 40 questions needs 24; 24 right is exactly the pass mark."""
    assert cut_for(40, 0.6) == 24 and cut_for(100, 0.7) == 70 and cut_for(7, 0.7) == 5
    s = score(items({"a": (24, 40)}), cut=0.6)
    assert (s.cut_raw, s.scaled, s.passed) == (24, 600, True)


def test_breakdowns_by_category_and_skill():
    """Per skill and per category: correct out of total, in the framework's order."""
    s = score(items({"b": (3, 5), "a": (2, 2), "c": (1, 3)}))
    assert [(t.id, t.correct, t.total) for t in s.by_skill] == [
        ("a", 2, 2),
        ("b", 3, 5),
        ("c", 1, 3),
    ]
    assert [(t.id, t.correct, t.total) for t in s.by_category] == [("c1", 5, 7), ("c2", 1, 3)]
    assert s.raw == 6 and s.length == 10 and s.percent == 60.0


def test_unanswered_questions_are_wrong_and_counted_apart():
    """An unanswered question scores nothing; ``answered`` counts only answered ones."""
    its = [ScoredItem("a", True, True, 10), ScoredItem("a", False, False, 0)]
    s = score(its)
    assert (s.raw, s.answered, s.length) == (1, 1, 2)


def test_time_totals():
    """Total and mean time per question come from the items' active time."""
    s = score([ScoredItem("a", True, True, 1000), ScoredItem("c", True, False, 3000)])
    assert (s.total_time_ms, s.mean_time_ms) == (4000, 2000)


def test_skills_outside_the_framework_are_listed_after_it():
    """A question whose skill the framework lacks still shows in the skill breakdown."""
    s = score([ScoredItem("zz", True, True, 0), ScoredItem("a", True, False, 0)])
    assert [t.id for t in s.by_skill] == ["a", "zz"]
    assert [t.id for t in s.by_category] == ["c1"]


def test_trend_is_the_least_squares_slope():
    """A steady rise of 10 per exam has slope 10; one exam has no trend."""
    assert trend([500, 510, 520, 530]) == pytest.approx(10.0)
    assert trend([600]) is None
    assert trend([600, 580]) == pytest.approx(-20.0)
