"""Statistics over time, the progress report and the CSV export, on a real profile."""

from __future__ import annotations

import csv
import io
import random
import re
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studyapp.domain.clock import FixedClock
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.reports.service import HEATMAP_DAYS, ReportError, ReportService, day_shifts
from studyapp.services.study.service import StudyService
from tests.packs.factory import pack, question, write_dir

START = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # a Monday
SKILLS = ["leadership-vision", "strategic-planning", "ethics-policies", "data-management"]


@pytest.fixture
def profile(paths, tmp_path):
    clock = FixedClock(START)
    profile = Profile.open(paths, clock, "test")
    qs = [question(f"q{i}", skill) for i, skill in enumerate(SKILLS * 5)]
    PackService(profile).import_pack(write_dir(pack(qs), tmp_path / "p"))
    yield profile
    profile.close()


def _items(study: StudyService, n: int):
    _plan, items = study.plan(n, rng=random.Random(7))
    assert len(items) >= n
    return items


@pytest.fixture
def history(profile):
    """Answers on three study days: Mon 16 Nov (3), Tue 17 Nov at 03:30 the next morning
    (2, still the 17th's study day), and Mon 23 Nov (4, today)."""
    study = StudyService(profile, tz=UTC)
    clock = profile.clock
    items = _items(study, 9)
    for item, chosen in zip(items[:3], (["a"], ["a"], ["b"]), strict=True):
        study.answer(item.qid, chosen, 30.0)
        clock.advance(60)
    clock.current = datetime(2026, 11, 18, 3, 30, tzinfo=UTC)
    for item, chosen in zip(items[3:5], (["a"], ["b"]), strict=True):
        study.answer(item.qid, chosen, 20.0)
        clock.advance(60)
    clock.current = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for item in items[5:9]:
        study.answer(item.qid, ["a"], 15.0)
        clock.advance(60)
    return items[:9]


def _service(profile) -> ReportService:
    return ReportService(profile, tz=UTC)


def test_heatmap_counts_answers_per_study_day_with_the_4am_rollover(profile, history):
    """Each day of the year has its answers; 03:30 belongs to the previous study day."""
    st = _service(profile).statistics()
    assert len(st.days) == HEATMAP_DAYS
    assert st.days[-1].day == date(2026, 11, 23) == st.today
    counts = {d.day: (d.answers, d.correct) for d in st.days if d.answers}
    assert counts == {
        date(2026, 11, 16): (3, 2),
        date(2026, 11, 17): (2, 1),
        date(2026, 11, 23): (4, 4),
    }
    assert st.total_answers == 9


def test_accuracy_and_time_per_week(profile, history):
    """Weekly accuracy and minutes add up from the answers, overall and per skill area."""
    st = _service(profile).statistics()
    weeks = {w.week: w for w in st.overall.weeks}
    last, previous = weeks[date(2026, 11, 23)], weeks[date(2026, 11, 16)]
    assert (previous.answers, previous.correct) == (5, 3)
    assert previous.accuracy == pytest.approx(0.6)
    assert last.accuracy == 1.0
    assert previous.minutes == pytest.approx((3 * 30 + 2 * 20) / 60)
    assert last.minutes == pytest.approx(4 * 15 / 60)
    assert st.total_minutes == pytest.approx((3 * 30 + 2 * 20 + 4 * 15) / 60)
    for i, week in enumerate(st.overall.weeks):
        assert sum(s.weeks[i].answers for s in st.skills) == week.answers
        assert sum(s.weeks[i].correct for s in st.skills) == week.correct
    assert len(st.weeks) >= 8 and st.weeks[-1] == date(2026, 11, 23)
    days = {d.day: d.minutes for d in st.days}
    assert days[date(2026, 11, 17)] == pytest.approx(40 / 60)


def test_forecast_covers_30_days_and_agrees_with_stats(profile, history):
    """The 30-day forecast starts today and matches the 14 days of ``studyapp stats``."""
    st = _service(profile).statistics()
    stats = StudyService(profile, tz=UTC).stats()
    assert len(st.forecast) == 30
    assert st.forecast[0][0] == date(2026, 11, 23)
    assert [d for d, _n in st.forecast] == [
        date(2026, 11, 23) + timedelta(days=i) for i in range(30)
    ]
    assert list(st.forecast[:14]) == list(stats.forecast)
    with closing(sqlite3.connect(profile.paths.database)) as conn:
        until = int(datetime(2026, 12, 23, 4, tzinfo=UTC).timestamp() * 1000)
        (due,) = conn.execute(
            "SELECT COUNT(*) FROM memory_state WHERE due < ?", (until,)
        ).fetchone()
    assert sum(n for _d, n in st.forecast) == due > 0


def test_streak_and_mastery_history_agree_with_home(profile, history):
    """Streak matches stats; the newest mastery point is today's estimate, earlier ones
    exist only from the first answer on."""
    st = _service(profile).statistics()
    stats = StudyService(profile, tz=UTC).stats()
    assert st.streak == stats.streak == 1
    for skill in stats.skills:
        series = st.series(skill.id)
        now = series.mastery[-1]
        assert now is not None
        assert now.mean == pytest.approx(skill.mastery.mean, abs=0.01)
        assert now.low <= now.mean <= now.high
        assert series.mastery[-2] is not None  # the week of 16 Nov had answers
        assert all(m is None for m in series.mastery[:-2])
    overall = st.overall.mastery[-1]
    assert overall is not None
    weights = sum(s.weight for s in stats.skills)
    expected = sum(s.weight * st.series(s.id).mastery[-1].mean for s in stats.skills) / weights
    assert overall.mean == pytest.approx(expected)


def test_empty_profile_has_empty_statistics(profile):
    """Before any answer: zero everywhere, no mastery points, nothing due."""
    st = _service(profile).statistics()
    assert st.total_answers == 0 and st.streak == 0
    assert all(d.answers == 0 for d in st.days)
    assert all(m is None for m in st.overall.mastery)
    assert sum(n for _d, n in st.forecast) == 0


def test_daylight_saving_change_does_not_move_early_answers(profile):
    """With a real time zone, a 04:30 summer answer stays on its day when it is winter now."""
    tz = ZoneInfo("America/New_York")
    study = StudyService(profile, tz=tz)
    item = _items(study, 1)[0]
    profile.clock.current = datetime(2026, 10, 20, 8, 30, tzinfo=UTC)  # 04:30 EDT
    study.answer(item.qid, ["a"], 10.0)
    profile.clock.current = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # EST now
    st = ReportService(profile, tz=tz).statistics()
    assert {d.day for d in st.days if d.answers} == {date(2026, 10, 20)}
    shifts = day_shifts(tz, datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert len(shifts) == 2
    assert abs(shifts[1].start_ms - datetime(2026, 11, 1, 6, tzinfo=UTC).timestamp() * 1000) < 1000


def _insert_exam(profile, code: str, raw: int, scaled: int) -> None:
    with closing(sqlite3.connect(profile.paths.database)) as conn:
        conn.execute(
            "INSERT INTO exam (code, blueprint, length, seed, selection, time_limit_s, status, "
            "elapsed_ms, current_position, pack_versions, options, created_at, submitted_at, "
            "raw_correct, scaled_score) VALUES (?, 'cetl', 100, 7, 'mixed', 7200, 'submitted', "
            "0, 0, '{}', '{}', ?, ?, ?, ?)",
            (code, 1_795_000_000_000, 1_795_003_600_000, raw, scaled),
        )
        conn.commit()


def test_report_html_holds_the_numbers_and_nothing_external(profile, history, tmp_path):
    """The HTML report shows mastery with ranges, readiness, time and streak, and fetches
    nothing: no scripts, images, links or URLs."""
    out = tmp_path / "report.html"
    made = ReportService(profile, tz=UTC).write_report(out).value
    assert made.format == "html" and made.size == out.stat().st_size
    html = out.read_text("utf-8")
    stats = StudyService(profile, tz=UTC).stats()
    assert "9 in all" in html
    assert "3 min 10 s in all" in html  # 190 seconds answering
    assert "Streak</td><td>1 day" in html
    # 9 answers: too few for readiness or any skill's mastery, and the report says so.
    assert "not estimated yet: too few answers" in html
    assert "estimated chance of passing" not in html
    for s in stats.skills:
        assert f"{s.title.replace('&', '&amp;')}</td>" in html
        words = "not practised yet" if s.answers == 0 else f"too few answers ({s.answers} of 10)"
        assert (
            f"{s.title.replace('&', '&amp;')}</td><td class='num nowrap'>{s.weight:.0%}</td>"
            in html
        )
        assert words in html
    assert f"raw pass mark of {stats.readiness.cut} of {stats.readiness.length}" in html
    assert "No mock exams yet." in html
    lowered = html.lower()
    for external in ("http:", "https:", "<script", "<img", "<link", "@import", "url(", "src="):
        assert external not in lowered
    assert not re.search(r"href\s*=", lowered)


def test_report_lists_submitted_mock_exams(profile, history, tmp_path):
    """Submitted exams appear with code, raw and estimated scaled score."""
    _insert_exam(profile, "CETL-100-7KQ3MX", 74, 626)
    _insert_exam(profile, "CETL-100-<b>X", 61, 523)  # codes are escaped
    out = tmp_path / "report.html"
    ReportService(profile, tz=UTC).write_report(out, "html")
    html = out.read_text("utf-8")
    assert "No mock exams yet." not in html
    assert "CETL-100-7KQ3MX" in html and "74 (74%)" in html
    assert '626 <span class="pass">(above the pass mark)</span>' in html
    assert "CETL-100-&lt;b&gt;X" in html and "below the pass mark" in html


def test_pdf_report_is_a_pdf(profile, history, tmp_path, qapp):
    """With Qt's writer the report is a PDF file; no temporary file is left beside it."""
    from studyapp.ui.pdf import write_pdf

    out = tmp_path / "report.pdf"
    made = ReportService(profile, tz=UTC).write_report(out, pdf_writer=write_pdf).value
    assert made.format == "pdf"
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_pdf_without_an_engine_and_unwritable_paths_fail_cleanly(profile, history, tmp_path):
    """No PDF engine, or a folder that does not exist: one clear error, no file left."""
    with pytest.raises(ReportError, match="cannot write PDF"):
        ReportService(profile).write_report(tmp_path / "r.pdf")
    with pytest.raises(ReportError, match=r"Could not write .*missing"):
        ReportService(profile).write_report(tmp_path / "missing" / "r.html")
    with pytest.raises(ReportError, match="not a report format"):
        ReportService(profile).write_report(tmp_path / "r.html", "docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "profile"]


def test_csv_export_has_answers_per_day_per_skill(profile, history, tmp_path):
    """The CSV rows add up to the log, one row per study day and skill area."""
    out = tmp_path / "stats.csv"
    made = ReportService(profile, tz=UTC).write_csv(out).value
    assert made.format == "csv"
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert set(rows[0]) == {"date", "skill", "skill_title", "answers", "correct", "minutes"}
    assert sum(int(r["answers"]) for r in rows) == 9
    assert sum(int(r["correct"]) for r in rows) == 7
    assert {r["date"] for r in rows} == {"2026-11-16", "2026-11-17", "2026-11-23"}
    assert len({(r["date"], r["skill"]) for r in rows}) == len(rows)
    assert sum(float(r["minutes"]) for r in rows) == pytest.approx(190 / 60, abs=0.1)
    titles = {r["skill"]: r["skill_title"] for r in rows}
    assert titles.get("leadership-vision", "Leadership & Vision") == "Leadership & Vision"
