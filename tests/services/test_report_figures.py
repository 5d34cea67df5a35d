"""The progress report shows Home's figures and words: evidence, reasons, the learner's name."""

from __future__ import annotations

import pytest

from studyapp.services.profile import Profile
from studyapp.services.reports.html import render_report_html
from studyapp.services.reports.service import ReportService
from studyapp.services.study.service import StudyService
from studyapp.storage.settings import write_settings
from tests.conftest import T0
from tests.packs.factory import SKILLS, pack, question, write_dir


@pytest.fixture
def profile(paths, clock, tmp_path):
    p = Profile.open(paths, clock, "test")
    from studyapp.services.packs.service import PackService

    items = [question(f"q{s[:2]}{i}", s) for s in SKILLS for i in range(12)]
    PackService(p).import_pack(write_dir(pack(items), tmp_path / "pack"))
    yield p
    p.close()


def test_report_names_the_learner_when_a_display_name_is_set(profile):
    """A display name (the settings key the CLI and group features use) heads the report."""
    with profile.db.unit_of_work() as session:
        write_settings(session, {"display_name": "Dana <Rivera>"})
    html = render_report_html(ReportService(profile).report())
    assert "<p><b>Dana &lt;Rivera&gt;</b></p>" in html


def test_report_shows_measured_areas_with_ranges_and_the_rest_in_words(profile, clock):
    """An area with enough answers shows its estimate; one without, what it lacks."""
    study = StudyService(profile)
    skill = SKILLS[0]
    answered = 0
    while answered < 12:
        _plan, items = study.plan(12, skill=skill)
        for item in items:
            study.answer(item.qid, sorted(item.question.correct_ids), 20.0)
            clock.advance(40)
            answered += 1
    stats = study.stats()
    measured = next(s for s in stats.skills if s.id == skill)
    assert measured.evidence == "enough" and clock.now() > T0
    html = render_report_html(ReportService(profile).report())
    m = measured.mastery
    assert f"<b>{m.mean:.0%}</b></td><td class='num nowrap'>{m.low:.0%}–{m.high:.0%}</td>" in html
    assert "not practised yet" in html
    assert f"Based on {stats.reviews} answers" in html  # the reasons, as Home shows them
