"""Importing GIFT / Moodle XML / Aiken / CSV through PackService: all or nothing, updates
that keep progress, the category mapping, and round trips of the shipped CETL pack."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from studyapp.config import AppPaths
from studyapp.domain.errors import PackError
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.storage.models import MemoryStateRow
from studyapp.storage.packs import load_questions
from tests.conftest import REPO
from tests.dbtools import remember
from tests.packs.factory import pack, question, write_dir

FIXTURES = REPO / "tests" / "packs" / "fixtures"
SHIPPED = REPO / "question_banks" / "cetl-core"


@pytest.fixture
def profile(paths, clock):
    p = Profile.open(paths, clock, "test")
    yield p
    p.close()


@pytest.fixture
def fresh(tmp_path, clock):
    """A second, empty profile (as on another member's computer)."""
    p = Profile.open(AppPaths(tmp_path / "fresh", tmp_path / "fresh-logs"), clock, "test")
    yield p
    p.close()


def rows(profile) -> list[str]:
    """Every row of every table, as SQL text (the database's observable state)."""
    with closing(sqlite3.connect(profile.paths.database)) as conn:
        return [line for line in conn.iterdump() if line.startswith("INSERT")]


def copy_fixture(tmp_path: Path, name: str, target: str | None = None) -> Path:
    path = tmp_path / (target or name)
    path.write_bytes((FIXTURES / name).read_bytes())
    return path


def stability(profile, question_row_id: int) -> float | None:
    with profile.db.reader() as s:
        return s.scalar(
            select(MemoryStateRow.stability).where(MemoryStateRow.question_id == question_row_id)
        )


def test_gift_import_goes_through_the_same_apply(profile, tmp_path):
    """A GIFT file becomes an installed pack with source format, origin and a report."""
    path = copy_fixture(tmp_path, "district-bank.gift")
    outcome = PackService(profile).import_pack(path)
    report = outcome.value
    assert (report.status, report.added, report.skipped) == ("installed", 5, 3)
    assert report.pack_id == "district-bank" and report.version.startswith("1.0.0-sha.")
    assert report.categories["Old Course Bank/Misc"] is None
    assert any("misc-broken" in item for item in report.skipped_items)
    (installed,) = PackService(profile).list()
    assert (installed.origin, installed.source_format) == ("interchange", "gift")


def test_same_file_again_changes_nothing(profile, tmp_path):
    """Importing the identical file again is 'unchanged' and writes nothing."""
    path = copy_fixture(tmp_path, "district-bank.xml")
    first = PackService(profile).import_pack(path).value
    before = rows(profile)
    again = PackService(profile).import_pack(path).value
    assert again.status == "unchanged" and again.version == first.version
    assert rows(profile) == before


def test_corrected_file_updates_and_keeps_progress(profile, tmp_path):
    """A corrected file updates matched questions (progress kept), adds and retires others."""
    path = copy_fixture(tmp_path, "district-bank.gift")
    service = PackService(profile)
    first = service.import_pack(path).value
    row_id = remember(profile, "district-bank", "sp-plan-01")
    text = path.read_text("utf-8")
    text = text.replace("Broad ownership comes first.", "Shared ownership comes first.")
    text = text.replace("::sp-survey-02::", "::sp-survey-02b::")
    path.write_text(text, "utf-8")
    second = service.import_pack(path).value
    assert second.status == "updated" and second.previous_version == first.version
    assert second.version != first.version and second.version.startswith("1.0.0-sha.")
    assert (second.added, second.updated, second.retired) == (1, 1, 1)
    assert stability(profile, row_id) == 7.5
    with profile.db.reader() as s:
        (q,) = [
            q for _p, q in load_questions(s, pack_keys=["district-bank"]) if q.id == "sp-plan-01"
        ]
    assert q.options[0].rationale == "Shared ownership comes first."


def test_nothing_importable_changes_nothing(profile, tmp_path):
    """A file with no importable question is a PackError and the database is untouched."""
    path = tmp_path / "essays.gift"
    path.write_text("::e1::Tell me.{}\n\n::e2::Why?{}\n", "utf-8")
    before = rows(profile)
    with pytest.raises(PackError, match="nothing could be imported"):
        PackService(profile).import_pack(path)
    assert rows(profile) == before


def test_skill_option_assigns_every_question(profile, tmp_path):
    """--skill puts every question in that skill area; an unknown one is refused."""
    path = copy_fixture(tmp_path, "district-bank.gift")
    with pytest.raises(PackError, match="not a skill area of cetl"):
        PackService(profile).import_pack(path, skill="no-such-skill")
    report = PackService(profile).import_pack(path, skill="Ethics & Policies").value
    assert set(report.categories.values()) == {"ethics-policies"}
    with profile.db.reader() as s:
        skills = {q.skill for _p, q in load_questions(s, pack_keys=["district-bank"])}
    assert skills == {"ethics-policies"}


def test_mapping_can_be_changed_before_anything_is_written(profile, tmp_path):
    """A preview writes nothing; the import then takes the user's mapping."""
    path = copy_fixture(tmp_path, "district-bank.gift")
    service = PackService(profile)
    before = rows(profile)
    preview = service.read_interchange(path, "gift")
    assert preview.categories["Old Course Bank/Misc"] is None
    assert rows(profile) == before
    mapping = {"Old Course Bank/Misc": "it-management", "CETL/data-management": None}
    report = service.import_pack(path, category_skills=mapping).value
    assert report.categories == {
        "CETL/Strategic Planning": "strategic-planning",
        "CETL/data-management": None,
        "Old Course Bank/Misc": "it-management",
    }


def test_interchange_file_named_like_a_shipped_pack_is_refused(profile, tmp_path):
    """A GIFT file merely named like a pack shipped with the app never replaces it."""
    PackService(profile).import_pack(
        write_dir(pack([question("q1")]), tmp_path / "native"), origin="shipped"
    )
    path = copy_fixture(tmp_path, "district-bank.gift", "test-pack.gift")
    before = rows(profile)
    with pytest.raises(PackError, match="Rename the file"):
        PackService(profile).import_pack(path)
    assert rows(profile) == before


def test_forced_format_and_unrecognised_files(profile, tmp_path):
    """format= overrides sniffing; an unrecognisable file asks for --format."""
    path = tmp_path / "bank.txt"
    path.write_text("What does {x} mean in set notation?\nA) a set\nB) a tuple\nANSWER: A\n")
    with pytest.raises(PackError, match="name the format with --format"):
        PackService(profile).import_pack(path)
    report = PackService(profile).import_pack(path, format="aiken").value
    assert report.added == 1
    native = write_dir(pack([question("q1")]), tmp_path / "n")
    with pytest.raises(PackError, match="--skill applies to GIFT"):
        PackService(profile).import_pack(native, skill="data-management")


@pytest.mark.parametrize(("fmt", "ext"), [("gift", "gift"), ("moodle-xml", "xml")])
def test_shipped_cetl_pack_round_trips_into_a_fresh_profile(profile, fresh, tmp_path, fmt, ext):
    """CETL -> GIFT / Moodle XML -> fresh profile: stems, options, keys, rationales, skills."""
    PackService(profile).import_pack(SHIPPED)
    out = tmp_path / f"cetl-core.{ext}"
    exported = PackService(profile).export(out, pack_id="cetl-core", format=fmt)
    report = PackService(fresh).import_pack(out).value
    assert report.added == exported.questions and report.skipped == 0
    with profile.db.reader() as s:
        original = {q.id: q for _p, q in load_questions(s, pack_keys=["cetl-core"])}
    with fresh.db.reader() as s:
        back = {q.id: q for _p, q in load_questions(s, pack_keys=["cetl-core"])}
    assert original.keys() == back.keys() and len(original) >= 300
    for qid, q in original.items():
        b = back[qid]
        assert (b.stem, b.explanation, b.skill, b.type) == (q.stem, q.explanation, q.skill, q.type)
        assert b.title == q.title == ""  # no id and no first words become a title
        assert [(o.id, o.text, o.correct, o.rationale) for o in b.options] == [
            (o.id, o.text, o.correct, o.rationale) for o in q.options
        ]
        if fmt == "moodle-xml":
            assert (b.difficulty, b.tags) == (q.difficulty, q.tags)
