"""Evidence before figures: cold start, weakest, suggested focus, readiness with reasons."""

from __future__ import annotations

from datetime import UTC, datetime

from studyapp.domain.evidence import ENOUGH_ANSWERS, evidence_level
from studyapp.domain.figures import (
    MockResult,
    SkillFigure,
    mastery_text,
    mock_warning,
    readiness_view,
    suggested_focus,
    weakest,
)


def _skill(i: int, answers: int, mean: float = 0.45, weight: float = 0.25) -> SkillFigure:
    return SkillFigure(f"s{i}", f"Skill {i}", weight, answers, mean, mean - 0.2, mean + 0.2)


def test_evidence_levels_have_one_threshold():
    """0 answers: none; fewer than the threshold: few; from it on: enough."""
    assert evidence_level(0) == "none"
    assert evidence_level(1) == evidence_level(ENOUGH_ANSWERS - 1) == "few"
    assert evidence_level(ENOUGH_ANSWERS) == "enough"


def test_new_profile_shows_no_percentage_no_weakest_and_says_what_readiness_needs():
    """Cold start: no measured-looking number, no weakest, focus by exam weight, N answers."""
    skills = [_skill(1, 0, weight=0.4), _skill(2, 0, weight=0.3), _skill(3, 0, weight=0.3)]
    assert all(mastery_text(s) == "not practised yet" for s in skills)
    assert weakest(skills) is None
    focus = suggested_focus(skills)
    assert focus is not None and focus.skill_id == "s1"
    assert "exam weights" in focus.text and "%" in focus.text  # the weight, not a mastery
    view = readiness_view(skills, [], reviews=0, target=0.7)
    assert not view.estimated and view.needed == 3 * ENOUGH_ANSWERS
    assert any(f"about {3 * ENOUGH_ANSWERS} more questions" in w.text for w in view.why)


def test_few_answers_are_named_as_such():
    """A skill with a few answers says how many it has of the threshold."""
    assert mastery_text(_skill(1, 3)) == f"too few answers (3 of {ENOUGH_ANSWERS})"
    assert mastery_text(_skill(1, ENOUGH_ANSWERS, 0.62)) == "62% (42%–82%)"


def test_weakest_and_focus_follow_evidence_once_measured():
    """With enough answers everywhere: weakest is the lowest mastery, focus the biggest loss."""
    skills = [
        _skill(1, 20, 0.80, 0.5),
        _skill(2, 20, 0.50, 0.1),
        _skill(3, 20, 0.60, 0.4),
    ]
    assert weakest(skills) == "s2"
    focus = suggested_focus(skills)
    assert focus is not None and focus.skill_id == "s3"  # 0.4 × 0.4 > 0.1 × 0.5
    view = readiness_view(skills, [], reviews=60, target=0.7)
    assert view.estimated and view.needed == 0
    pulling = [w.skill for w in view.why if w.kind == "skill"]
    assert pulling == ["s3", "s2"]  # both below 70%, most exam points lost first


def test_latest_mock_exams_below_the_pass_line_are_said():
    """Two latest mock exams below the pass line: the view says so, never hides it."""
    skills = [_skill(i, 30, 0.9) for i in range(4)]
    at = datetime(2026, 11, 20, 15, tzinfo=UTC)
    below = MockResult("CETL-1", 52, 100, at, 446, False)
    above = MockResult("CETL-2", 75, 100, at, 640, True)
    view = readiness_view(skills, [below, below, above], reviews=120, target=0.7)
    assert view.estimated and view.mocks_below
    assert sum(1 for w in view.why if w.kind == "mock") == 2
    assert "below the pass line" in next(w.text for w in view.why if w.kind == "mock")
    assert not readiness_view(skills, [above, below], reviews=120, target=0.7).mocks_below


def test_mock_warning_never_lets_a_hopeful_estimate_stand_alone():
    """Below-pass mock exams are said; with a hopeful estimate, the contrast is said too."""
    assert mock_warning(False, True, 0.9) == ""
    assert mock_warning(True, True, 0.9).startswith("Careful:")
    assert mock_warning(True, True, 0.2) == "Your latest mock exam results are below the pass line."
    assert (
        mock_warning(True, False, 0.9) == "Your latest mock exam results are below the pass line."
    )
