"""Every surface shows the same figures: Home, Statistics, the progress report, the CSV
export and ``stats --json``, after answers, an undo, a user revision, a mock exam and a
daylight-saving change (issue 15, point 5)."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from studyapp.config import AppPaths
from studyapp.domain.clock import FixedClock
from studyapp.services.exams.service import ExamService
from studyapp.services.exams.views import ExamRequest
from studyapp.services.packs.library import LibraryService
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.reports.html import render_report_html
from studyapp.services.reports.service import ReportService
from studyapp.services.study.home_summary import HomeSummary
from studyapp.services.study.service import StudyService
from tests.packs.factory import SKILLS, pack, question, write_dir

ZONE = "America/New_York"
# 04:30 EDT on 28 October; New York leaves daylight saving at 02:00 on 1 November, so the
# same UTC time is 03:30 EST from then on: before the rollover, in the previous study day.
START = datetime(2026, 10, 28, 8, 30, tzinfo=UTC)
SESSIONS = [START + timedelta(days=i) for i in range(9)] + [
    datetime(2026, 11, 5, 14, 0, tzinfo=UTC)  # 09:00 EST: today
]
END = datetime(2026, 11, 5, 20, 0, tzinfo=UTC)  # 15:00 EST


@pytest.fixture
def journey(tmp_path, monkeypatch, cli):
    """A profile put through a week of answers across the DST change, an undo, a user
    revision and a mock exam below the pass line; the clock ends in winter time."""
    monkeypatch.setenv("TZ", ZONE)  # local_tz() follows it: every surface's default zone
    clock = FixedClock(START)
    paths = AppPaths(tmp_path / "profile", tmp_path / "logs")
    # Created as the app creates it (the shipped bank installed), so the CLI sees the same.
    assert cli("--now", START.isoformat(), "info", data_dir_arg=paths.data_dir).code == 0
    profile = Profile.open(paths, clock, "test")
    items = [question(f"q{s[:2]}{i}", s) for s in SKILLS for i in range(12)]
    PackService(profile).import_pack(write_dir(pack(items), tmp_path / "pack"))
    rng = random.Random(5)
    for day, moment in enumerate(SESSIONS):
        clock.current = moment
        study = StudyService(profile)
        _plan, planned = study.plan(9, rng=rng)
        for item in planned:
            right = sorted(item.question.correct_ids)
            wrong = [next(o.id for o in item.question.options if not o.correct)]
            study.answer(item.qid, right if rng.random() < 0.7 else wrong, 20.0)
            clock.advance(30)
        if day == 2:
            assert study.undo_last().value is not None
        if day == 3:  # the user revises a question already answered
            lib = LibraryService(profile)
            revised = planned[0]
            stored = study.question(revised.qid).question
            lib.save(
                {
                    "skill": revised.skill,
                    "type": "single",
                    "stem": "A clearer wording of the same question?",
                    "options": [
                        {"id": o.id, "text": o.text, "correct": o.correct, "rationale": "Why."}
                        for o in stored.options
                    ],
                    "explanation": "Reworded by the learner.",
                    "difficulty": 2,
                    "tags": [],
                    "references": [{"title": "CoSN Framework", "section": "", "url": ""}],
                },
                revised.qid,
            )
    clock.current = END - timedelta(hours=2)
    exams = ExamService(profile)
    view = exams.create(ExamRequest(length=8, seed=3)).value
    exams.start(view.id)
    for position in range(8):
        exams.answer(view.id, position, ["b"] if position % 2 else ["a"])
    exams.submit(view.id)
    clock.current = END
    yield profile, paths
    profile.close()


def test_every_surface_shows_the_same_figures(journey, cli):
    """Forecast, streak, answers per day, mastery now and readiness agree everywhere."""
    profile, paths = journey
    stats = StudyService(profile).stats()
    home = HomeSummary.from_report(stats, profile.clock.now())
    reports = ReportService(profile)
    screen = reports.statistics()
    report = reports.report()
    table = list(csv.DictReader(io.StringIO(reports.statistics_csv())))

    # Study days: answers given at 04:30 local in summer stay on their own days.
    days = {d.day: d.answers for d in screen.days if d.answers}
    first = date(2026, 10, 28)
    assert sorted(days) == [first + timedelta(days=i) for i in range(9)]
    assert days[date(2026, 10, 31)] > days[date(2026, 10, 30)]  # 1 Nov 03:30 EST counts here
    per_csv: Counter[date] = Counter()
    for row in table:
        per_csv[date.fromisoformat(row["date"])] += int(row["answers"])
    assert dict(per_csv) == days
    today = stats.today
    assert today == date(2026, 11, 5)
    assert stats.today_answers == home.today_answers == days.get(today, 0)
    assert stats.streak == home.streak == screen.streak == report.stats.streak == len(days)

    # One forecast: Statistics' 30 days start with the 14 of stats.
    assert list(screen.forecast[:14]) == list(stats.forecast)
    assert report.statistics.forecast == screen.forecast

    # Mastery now: the last point of every history is the estimate Home shows.
    for skill in stats.skills:
        point = screen.series(skill.id).mastery[-1]
        assert point is not None
        assert (point.mean, point.low, point.high) == (
            skill.mastery.mean,
            skill.mastery.low,
            skill.mastery.high,
        )
        line = next(s for s in home.skills if s.id == skill.id)
        assert (line.mean, line.answers) == (skill.mastery.mean, skill.answers)

    # Readiness and its reasons: the mock exam below the pass line is named.
    assert stats.view is not None and stats.mock_exams
    assert home.why == tuple(w.text for w in stats.view.why)
    assert any("below the pass line" in w for w in home.why)
    html = render_report_html(report)
    assert f"Streak</td><td>{stats.streak} day" in html

    # stats --json, from a separate process state, as of the same moment.
    profile.close()
    result = cli(
        "--now", profile.clock.now().isoformat(), "stats", "--json", data_dir_arg=paths.data_dir
    )
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    mine = stats.to_json()
    for key in (
        "framework",
        "reviews",
        "readiness",
        "readiness_why",
        "skills",
        "mock_exams",
        "streak",
        "forecast",
        "today",
        "days_to_exam",
    ):
        assert doc[key] == mine[key], key
    for s in doc["skills"]:
        assert set(s) >= {
            "id",
            "questions",
            "seen",
            "answers",
            "evidence",
            "mastery",
            "mastery_low",
            "mastery_high",
            "due",
            "leeches",
        }
        assert s["evidence"] in ("none", "few", "enough")
        assert (s["mastery"] is None) == (s["evidence"] != "enough")
    [mock] = doc["mock_exams"]
    assert set(mock) >= {"code", "raw", "length", "finished_at"} and mock["length"] == 8
