"""Home's persisted summary: shown only for the database state and the study day it describes."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from datetime import timedelta

import pytest

from studyapp.config import AppPaths
from studyapp.domain.clock import FixedClock
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.study.home_summary import (
    FORMAT,
    HomeSummary,
    compute_and_save,
    load_summary,
    summary_path,
)
from studyapp.services.study.service import StudyService
from tests.conftest import REPO, T0
from tests.packs.factory import pack, question, write_dir

SKILLS = ["leadership-vision", "strategic-planning", "ethics-policies", "data-management"]


@pytest.fixture
def profile(paths, clock, tmp_path):
    p = Profile.open(paths, clock, "test")
    qs = [question(f"q{i}", skill) for i, skill in enumerate(SKILLS * 5)]
    PackService(p).import_pack(write_dir(pack(qs), tmp_path / "p"))
    yield p
    p.close()


def _answer(profile, n: int = 3) -> None:
    study = StudyService(profile)
    _plan, items = study.plan(n, rng=random.Random(1))
    for item in items[:n]:
        study.answer(item.qid, ["a"], 20.0)


def test_saved_summary_comes_back_with_the_same_figures(profile, paths, clock):
    """What Home would show from the fresh report is what the next start shows, marked."""
    _answer(profile)
    report = compute_and_save(profile)
    loaded = load_summary(paths, clock)
    assert loaded is not None and loaded.persisted
    fresh = HomeSummary.from_report(report, clock.now())
    assert not fresh.persisted
    assert loaded.to_json() == fresh.to_json()
    assert loaded.reviews == 3 and sum(s.questions for s in loaded.skills) == 20
    assert [c.id for c in loaded.categories] == [c.id for c in report.framework.categories]


@pytest.mark.parametrize("change", ["answer", "undo", "setting", "suspend", "new-pack"])
def test_any_change_to_what_home_shows_makes_it_unusable(profile, paths, clock, tmp_path, change):
    """Answers, an undo, settings, memory flags and packs change the key."""
    _answer(profile)
    study = StudyService(profile)
    compute_and_save(profile)
    assert load_summary(paths, clock) is not None
    if change == "answer":
        _answer(profile, 1)
    elif change == "undo":
        study.undo_last()
    elif change == "setting":
        profile.update_settings(exam_date="2027-03-01")
    elif change == "suspend":
        with profile.db.unit_of_work() as session:
            session.connection().exec_driver_sql(
                "UPDATE memory_state SET suspended = 1 WHERE question_id = "
                "(SELECT min(question_id) FROM memory_state)"
            )
    elif change == "new-pack":
        qs = [question("extra-q1", SKILLS[0])]
        PackService(profile).import_pack(write_dir(pack(qs, pack_id="extra"), tmp_path / "x"))
    assert load_summary(paths, clock) is None


def test_an_undone_answer_given_again_differently_is_told_apart(profile, paths, clock):
    """Undo, then answer the same question otherwise: the same row count and (without
    AUTOINCREMENT) the same newest id, at the same fixed moment; the answer itself differs."""
    study = StudyService(profile)
    _plan, items = study.plan(1, rng=random.Random(1))
    first = study.answer(items[0].qid, ["a"], 20.0).value
    compute_and_save(profile)
    assert load_summary(paths, clock) is not None
    study.undo_last()
    again = study.answer(items[0].qid, ["b"], 20.0).value
    assert again.review_id == first.review_id and again.correct != first.correct
    assert load_summary(paths, clock) is None


def test_another_study_day_is_refused(profile, paths):
    """Streak and today are per study day (04:00 local rollover), the exam countdown per
    calendar day: a summary holds until the next rollover or local midnight."""
    compute_and_save(profile)
    study = StudyService(profile)
    today = study.study_day(T0)
    start = study.day_start(today)
    end = min(study.day_start(today + timedelta(days=1)), study.calendar.next_change(T0))
    assert load_summary(paths, FixedClock(T0 + timedelta(seconds=5))) is not None
    assert load_summary(paths, FixedClock(T0 - timedelta(seconds=5))) is not None  # --now
    assert load_summary(paths, FixedClock(start)) is not None
    assert load_summary(paths, FixedClock(end - timedelta(milliseconds=1))) is not None
    assert load_summary(paths, FixedClock(end)) is None
    assert load_summary(paths, FixedClock(start - timedelta(milliseconds=1))) is None


def test_another_profiles_summary_is_never_shown(profile, paths, clock, tmp_path):
    """A summary copied from another profile folder does not match this database."""
    _answer(profile)
    compute_and_save(profile)
    other = AppPaths(data_dir=tmp_path / "other", log_dir=tmp_path / "logs")
    p2 = Profile.open(other, clock, "test")
    try:
        PackService(p2).import_pack(
            write_dir(pack([question("o1", SKILLS[1])], pack_id="o"), tmp_path / "o")
        )
    finally:
        p2.close()
    shutil.copy(summary_path(paths), summary_path(other))
    assert load_summary(other, clock) is None


@pytest.mark.parametrize(
    "content", [b"", b"{", b"[]", b'{"format": 1}', b'{"format": 99, "summary": {}}']
)
def test_damaged_or_foreign_file_is_ignored(profile, paths, clock, content):
    """Whatever is in the file, loading never raises; the caller computes instead."""
    compute_and_save(profile)
    summary_path(paths).write_bytes(content)
    assert load_summary(paths, clock) is None


def test_missing_database_or_summary_gives_none(paths, clock):
    """A profile that does not exist yet has nothing to show."""
    assert load_summary(paths, clock) is None


def test_summary_is_replaced_whole(profile, paths):
    """The file is written beside and renamed: no partial file remains."""
    compute_and_save(profile)
    doc = json.loads(summary_path(paths).read_text("utf-8"))
    assert doc["format"] == FORMAT and len(doc["fingerprint"]) == 64
    assert not [p.name for p in paths.data_dir.iterdir() if p.name.endswith((".partial", ".tmp"))]


def test_loading_imports_neither_sqlalchemy_nor_alembic(profile, paths, clock):
    """The summary is read before the heavy modules: in a fresh process, none is loaded."""
    compute_and_save(profile)
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from studyapp.config import AppPaths\n"
        "from studyapp.domain.clock import FixedClock\n"
        "from studyapp.services.study.home_summary import load_summary\n"
        f"paths = AppPaths(data_dir=__import__('pathlib').Path({str(paths.data_dir)!r}),"
        f" log_dir=__import__('pathlib').Path({str(paths.log_dir)!r}))\n"
        f"now = datetime.fromisoformat({clock.now().isoformat()!r})\n"
        "s = load_summary(paths, FixedClock(now))\n"
        "print(s is not None, sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'alembic')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True []"
