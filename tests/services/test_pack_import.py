"""Importing packs: all or nothing, updates keep progress, downgrades refused, round trips."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from studyapp.domain.errors import PackError
from studyapp.domain.question import Option
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.storage.models import MemoryStateRow, OptionRow, PackRow, QuestionRow, ReviewLogRow
from tests.packs.factory import SKILLS, pack, question, write_dir


@pytest.fixture
def profile(paths, clock):
    p = Profile.open(paths, clock, "test")
    yield p
    p.close()


def rows(profile) -> list[str]:
    """Every row of every table, as SQL text (the database's observable state)."""
    with closing(sqlite3.connect(profile.paths.database)) as conn:
        return [line for line in conn.iterdump() if line.startswith("INSERT")]


def answer(profile, pack_id: str, key: str, correct: bool = True) -> None:
    """Record an answer and a memory state for a question, as the study engine will."""
    now = profile.clock.now()
    with profile.db.unit_of_work() as s:
        qid = s.scalar(
            select(QuestionRow.id)
            .join(PackRow)
            .where(PackRow.key == pack_id, QuestionRow.key == key)
        )
        s.add(
            ReviewLogRow(
                question_id=qid,
                question_ref=f"{pack_id}/{key}",
                skill_key="leadership-vision",
                answered_at=now,
                chosen=["a"],
                correct=correct,
                response_ms=4000,
                mode="practice",
                rating=3,
                guessed=False,
            )
        )
        s.merge(
            MemoryStateRow(
                question_id=qid,
                fsrs_state=2,
                step=None,
                stability=5.0,
                difficulty=4.0,
                due=now,
                last_review=now,
                reps=1,
                lapses=0,
                first_seen=now,
            )
        )


def memory(profile, pack_id: str, key: str):
    with profile.db.reader() as s:
        return s.execute(
            select(MemoryStateRow.stability, QuestionRow.retired, QuestionRow.id)
            .join(QuestionRow, QuestionRow.id == MemoryStateRow.question_id)
            .join(PackRow)
            .where(PackRow.key == pack_id, QuestionRow.key == key)
        ).one_or_none()


def test_newer_pack_keeps_progress(profile, tmp_path):
    """v1 answered, then v1.1 with one changed, one removed, one new: progress intact."""
    service = PackService(profile)
    v1 = pack([question("q1"), question("q2"), question("q3")], version="1.0.0")
    report = service.import_pack(write_dir(v1, tmp_path / "v1")).value
    assert (report.status, report.added) == ("installed", 3)
    for key in ("q1", "q2", "q3"):
        answer(profile, "test-pack", key)
    before_q1, before_q2 = memory(profile, "test-pack", "q1"), memory(profile, "test-pack", "q2")

    changed = replace(question("q2"), stem="A reworded stem for q2. What is BEST?", revision=2)
    v11 = pack([question("q1"), changed, question("q4")], version="1.1")
    report = service.import_pack(write_dir(v11, tmp_path / "v11")).value
    assert (report.status, report.added, report.updated, report.retired, report.unchanged) == (
        "updated",
        1,
        1,
        1,
        1,
    )
    assert report.previous_version == "1.0.0"
    assert memory(profile, "test-pack", "q1") == before_q1, "unchanged question keeps its state"
    assert memory(profile, "test-pack", "q2") == before_q2, (
        "changed question keeps its state and row"
    )
    q3 = memory(profile, "test-pack", "q3")
    assert q3 is not None and q3.retired, "removed question is retired, not deleted"
    with profile.db.reader() as s:
        assert len(s.scalars(select(ReviewLogRow)).all()) == 3, "the whole history is kept"
        stem = s.scalar(select(QuestionRow.stem).where(QuestionRow.key == "q2"))
    assert stem.startswith("A reworded stem")
    assert profile.info().counts["questions"] == 3


def test_same_version_again_changes_nothing(profile, tmp_path):
    """Importing the installed version again reports unchanged and changes no row."""
    service = PackService(profile)
    folder = write_dir(pack([question("q1"), question("q2")]), tmp_path / "p")
    service.import_pack(folder)
    before = rows(profile)
    report = service.import_pack(folder).value
    assert report.status == "unchanged" and report.unchanged == 2
    assert "already installed" in report.summary()
    assert rows(profile) == before


def test_same_version_with_other_content_is_refused(profile, tmp_path):
    """A changed pack that kept its version number is refused, nothing changed."""
    service = PackService(profile)
    service.import_pack(write_dir(pack([question("q1")]), tmp_path / "a"))
    before = rows(profile)
    with pytest.raises(PackError, match="needs a new version number"):
        service.import_pack(write_dir(pack([question("q1"), question("q2")]), tmp_path / "b"))
    assert rows(profile) == before


def test_older_version_is_refused_unless_allowed(profile, tmp_path):
    """A downgrade is refused by default and allowed with allow_downgrade."""
    service = PackService(profile)
    service.import_pack(
        write_dir(pack([question("q1"), question("q2")], version="2.0.0"), tmp_path / "new")
    )
    before = rows(profile)
    old = write_dir(pack([question("q1")], version="1.9.9"), tmp_path / "old")
    with pytest.raises(PackError, match="--allow-downgrade"):
        service.import_pack(old)
    assert rows(profile) == before
    report = service.import_pack(old, allow_downgrade=True).value
    assert report.status == "downgraded" and report.retired == 1


def test_failure_midway_leaves_every_row_as_it_was(profile, tmp_path, monkeypatch):
    """An error in the middle of applying rolls the whole import back."""
    service = PackService(profile)
    service.import_pack(write_dir(pack([question("q1")]), tmp_path / "a"))
    answer(profile, "test-pack", "q1")
    before = rows(profile)
    import studyapp.storage.pack_install as storage_packs

    def explode(*_a, **_k):
        raise PackError("simulated failure while storing options")

    monkeypatch.setattr(storage_packs, "_insert_children", explode)
    with pytest.raises(PackError, match="simulated"):
        service.import_pack(
            write_dir(pack([question("q1"), question("q2")], version="1.1.0"), tmp_path / "b")
        )
    assert rows(profile) == before


def test_progress_is_reported(profile, tmp_path):
    """Long imports call the progress callback, ending at total."""
    calls = []
    folder = write_dir(pack([question(f"q{i}") for i in range(1200)]), tmp_path / "big")
    PackService(profile).import_pack(folder, progress=lambda d, t, s="": calls.append((d, t)))
    assert calls[-1] == (1200, 1200)
    assert any(0 < d < 1200 for d, _t in calls)


def test_export_then_import_in_fresh_profile_gives_same_questions(profile, tmp_path, clock):
    """Exporting an installed pack and importing it elsewhere reproduces its questions."""
    from studyapp.config import AppPaths
    from studyapp.storage.packs import load_questions

    service = PackService(profile)
    service.import_pack(
        write_dir(
            pack([question("q1"), question("q2", "data-management", multiple=True)]),
            tmp_path / "src",
        )
    )
    out = tmp_path / "out.studypack"
    exported = service.export(out, pack_id="test-pack")
    assert (exported.pack_id, exported.version, exported.questions) == ("test-pack", "1.0.0", 2)
    assert service.import_pack(out).value.status == "unchanged", "same pack, same version"

    other = Profile.open(AppPaths(tmp_path / "other", tmp_path / "ologs"), clock, "test")
    try:
        PackService(other).import_pack(out)
        with profile.db.reader() as a, other.db.reader() as b:
            assert load_questions(a) == load_questions(b)
    finally:
        other.close()


def test_selection_export_gets_a_new_id(profile, tmp_path):
    """A selection (skill or tag filter) becomes a new pack id."""
    service = PackService(profile)
    service.import_pack(
        write_dir(pack([question("q1"), question("q2", "data-management")]), tmp_path / "src")
    )
    report = service.export(tmp_path / "sel.studypack", skills=["data-management"])
    assert report.pack_id != "test-pack" and report.questions == 1


def test_remove_keeps_history(profile, tmp_path):
    """Removing a pack deletes its questions but keeps every logged answer."""
    service = PackService(profile)
    service.import_pack(write_dir(pack([question("q1")]), tmp_path / "p"))
    answer(profile, "test-pack", "q1")
    assert service.remove("test-pack").value == 1
    with profile.db.reader() as s:
        log = s.scalars(select(ReviewLogRow)).all()
    assert len(log) == 1 and log[0].question_id is None and log[0].question_ref == "test-pack/q1"
    assert profile.info().counts["reviews"] == 1


def test_seed_imports_shipped_pack_once(profile):
    """The first start imports the CETL pack; removing it does not bring it back."""
    service = PackService(profile)
    reports = service.seed_shipped()
    assert [r.pack_id for r in reports] == ["cetl-core"] and reports[0].added >= 300
    service.remove("cetl-core")
    assert service.seed_shipped() == []
    assert profile.info().counts["packs"] == 0


_mutations = st.sampled_from(
    [
        ("stem", ""),
        ("stem", 5),
        ("type", "essay"),
        ("difficulty", 7),
        ("options", []),
        ("options", "abc"),
        ("skill", "nope"),
        ("tags", [1, 2]),
        ("references", [{"url": "x"}]),
        ("id", "../../etc"),
        ("revision", 0),
        ("explanation", ["x"]),
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_packs_fail_cleanly_and_change_nothing(tmp_path_factory, paths, clock, data):
    """Any mutation of a valid pack: only PackError comes out and no row changes."""
    import json

    from tests.packs.factory import reseal

    base = tmp_path_factory.mktemp("hyp")
    profile = Profile.open(paths, clock, "test")
    try:
        service = PackService(profile)
        if service.list() == []:
            service.import_pack(write_dir(pack([question("q1"), question("q2")]), base / "v1"))
        before = rows(profile)
        n = data.draw(st.integers(1, 4))
        folder = write_dir(
            pack([question(f"q{i}") for i in range(1, n + 3)], version="1.1.0"), base / "v2"
        )
        path = folder / "questions" / "leadership-vision.json"
        doc = json.loads(path.read_text("utf-8"))
        target = data.draw(st.integers(0, len(doc["questions"]) - 1))
        field, value = data.draw(_mutations)
        doc["questions"][target][field] = value
        path.write_text(json.dumps(doc), "utf-8")
        if data.draw(st.booleans()):
            reseal(folder)
        with pytest.raises(PackError):
            service.import_pack(folder)
        assert rows(profile) == before
    finally:
        profile.close()


def test_option_order_is_stored_as_authored(profile, tmp_path):
    """Options keep the author's order (exports and statistics depend on it)."""
    from studyapp.storage.packs import load_questions

    q = question("q1")
    q = replace(q, options=(q.options[2], q.options[0], q.options[3], q.options[1]))
    PackService(profile).import_pack(write_dir(pack([q]), tmp_path / "p"))
    with profile.db.reader() as s:
        ((_, stored),) = load_questions(s)
    assert [o.id for o in stored.options] == ["c", "a", "d", "b"]
    assert isinstance(stored.options[0], Option)


def _two_versions(tmp_path):
    """v1 of 13 questions, then v2: some unchanged, some changed, some removed, some new."""
    v1 = [question(f"q{i:02}", SKILLS[i % len(SKILLS)]) for i in range(13)]
    v2 = [
        *(
            q if i % 3 else replace(q, stem=f"Reworded {q.id}. What is BEST?", revision=2)
            for i, q in enumerate(v1[:10])
        ),
        *(question(f"n{i:02}", multiple=i % 2 == 1) for i in range(6)),
    ]
    return (
        write_dir(pack(v1, version="1.0.0"), tmp_path / "v1"),
        write_dir(pack(v2, version="2.0.0"), tmp_path / "v2"),
    )


@pytest.mark.parametrize("batch", [1, 4, 5])
def test_batch_size_does_not_change_what_is_stored(tmp_path, clock, monkeypatch, batch):
    """Stored in batches of 1, 4 or 5 questions, install and update give the rows of one batch."""
    import studyapp.storage.pack_install as storage_packs
    from studyapp.config import AppPaths

    v1, v2 = _two_versions(tmp_path)
    dumps, reports = [], []
    for size in (10_000, batch):
        monkeypatch.setattr(storage_packs, "_BATCH", size)
        p = Profile.open(AppPaths(tmp_path / f"p{size}", tmp_path / f"l{size}"), clock, "t")
        try:
            service = PackService(p)
            reports.append((service.import_pack(v1).value, service.import_pack(v2).value))
            # Option row ids are internal (nothing refers to them) and follow SQLite's reuse
            # of freed ids, which depends on when the old options were deleted.
            dumps.append(
                sorted(re.sub(r'^(INSERT INTO "option" VALUES\()\d+,', r"\1", r) for r in rows(p))
            )
        finally:
            p.close()
    assert reports[0] == reports[1]
    report = reports[1][1]
    assert (report.added, report.updated, report.retired, report.unchanged) == (6, 4, 3, 6)
    assert dumps[0] == dumps[1]


def test_failure_in_a_late_batch_leaves_every_row_as_it_was(profile, tmp_path, monkeypatch):
    """Earlier batches already written in the transaction are rolled back with it."""
    import studyapp.storage.pack_install as storage_packs

    v1, v2 = _two_versions(tmp_path)
    service = PackService(profile)
    service.import_pack(v1)
    answer(profile, "test-pack", "q01")
    before = rows(profile)
    monkeypatch.setattr(storage_packs, "_BATCH", 2)
    batches = []
    real = storage_packs._insert_children

    def fail_last(conn, children):
        batches.append(children)
        if len(batches) == 8:  # 16 questions in batches of 2: the last one
            raise PackError("simulated failure in the last batch")
        real(conn, children)

    monkeypatch.setattr(storage_packs, "_insert_children", fail_last)
    with pytest.raises(PackError, match="last batch"):
        service.import_pack(v2)
    assert len(batches) == 8
    assert [r for r in rows(profile) if "INSERT INTO backup" not in r] == [
        r for r in before if "INSERT INTO backup" not in r
    ]


def test_new_questions_ids_follow_the_existing_ones_and_own_their_options(profile, tmp_path):
    """Ids are assigned before inserting (so options need no read-back): the next free ones."""
    service = PackService(profile)
    for name in ("a", "b"):
        qs = [question(f"{name}{i}") for i in range(3)]
        service.import_pack(write_dir(pack(qs, pack_id=name), tmp_path / name))
    with profile.db.reader() as s:
        ids = s.execute(select(QuestionRow.key, QuestionRow.id).order_by(QuestionRow.id)).all()
        options = s.execute(
            select(QuestionRow.key, OptionRow.text).join(
                OptionRow, OptionRow.question_id == QuestionRow.id
            )
        ).all()
    assert [k for k, _ in ids][-6:] == ["a0", "a1", "a2", "b0", "b1", "b2"]
    assert [i for _, i in ids][-6:] == list(range(ids[-6].id, ids[-6].id + 6))
    assert len(options) == len(ids) * 4
    assert all(text.endswith(f" of {key}") for key, text in options)


def test_a_newer_shipped_bank_updates_the_installed_one_and_keeps_progress(profile, tmp_path):
    """A profile holding the shipped CETL bank at 1.0.0 (317 questions, lv-001 as first
    written) gets the app's newer shipped bank at the next start: lv-001 is rewritten (same
    id, new revision) and the answers and memory states of it and of an unchanged
    question are kept."""
    import json
    import shutil

    from studyapp.config import shipped_banks_dir
    from studyapp.packs.studypack import reseal_folder
    from studyapp.services.packs.service import SEEDED_KEY
    from studyapp.storage.settings import write_settings

    original = {  # the 1.0.0 bank: the first questions of each skill file
        "leadership-vision": 47, "strategic-planning": 47, "ethics-policies": 32,
        "instructional-focus": 38, "team-building": 29, "stakeholder-focus": 29,
        "it-management": 29, "communication-systems": 22, "business-management": 22,
        "data-management": 22,
    }  # fmt: skip
    old = tmp_path / "cetl-core"
    shutil.copytree(shipped_banks_dir() / "cetl-core", old)
    for skill, count in original.items():
        path = old / "questions" / f"{skill}.json"
        doc = json.loads(path.read_text("utf-8"))
        doc["questions"] = doc["questions"][:count]
        if skill == "leadership-vision":  # lv-001 as it read before its rewrites
            first = doc["questions"][0]
            assert first["id"] == "lv-001" and first["revision"] > 1
            first["stem"] = "An earlier wording of this question. Which step comes FIRST?"
            first["revision"] = 1
        path.write_text(json.dumps(doc, indent=2), "utf-8")
    manifest = json.loads((old / "manifest.json").read_text("utf-8"))
    shipped_version = manifest["version"]
    manifest["version"] = "1.0.0"
    (old / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    reseal_folder(old)
    service = PackService(profile)
    assert service.import_pack(old, origin="shipped").value.added == 317
    with profile.db.unit_of_work() as s:
        write_settings(s, {SEEDED_KEY: True})
    answer(profile, "cetl-core", "lv-001", correct=False)
    answer(profile, "cetl-core", "lv-003", correct=True)
    before = [line for line in rows(profile) if "review_log" in line or "memory_state" in line]
    rewritten = memory(profile, "cetl-core", "lv-001")

    [report] = service.seed_shipped()
    assert (report.status, report.version) == ("updated", shipped_version)
    assert report.added == 1000 - 317 and report.retired == 0 and report.updated >= 1
    assert memory(profile, "cetl-core", "lv-001") == rewritten
    with profile.db.reader() as s:
        stem = s.scalar(select(QuestionRow.stem).where(QuestionRow.key == "lv-001"))
    assert not stem.startswith("An earlier wording")
    assert profile.info().counts["questions"] == 1000
    after = [line for line in rows(profile) if "review_log" in line or "memory_state" in line]
    assert after == before  # the answer and its memory state, untouched
    assert service.seed_shipped() == []  # once updated, nothing more at the next start
