"""LibraryService on a real profile: the paged question table and its filters, previews
with history, the editor's validation and saves to My questions, revisions of imported
questions across pack updates, and imports with a category mapping."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import timedelta

import pytest

from studyapp.config import AppPaths
from studyapp.domain.errors import PackError
from studyapp.services.packs.library import (
    USER_PACK_ID,
    LibraryQuery,
    LibraryService,
    check_question,
    describe_problem,
)
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.study.service import StudyService
from tests.conftest import REPO
from tests.packs.factory import pack, question, write_dir
from tests.study_oracles import load_planning_rows

GIFT = REPO / "tests" / "packs" / "fixtures" / "district-bank.gift"


@pytest.fixture
def profile(paths, clock):
    p = Profile.open(paths, clock, "test")
    yield p
    p.close()


@pytest.fixture
def lib(profile):
    return LibraryService(profile)


def rows(profile) -> list[str]:
    """Every row of every table as SQL text."""
    with closing(sqlite3.connect(profile.paths.database)) as conn:
        return [line for line in conn.iterdump() if line.startswith("INSERT")]


def install(profile, questions, **kw):
    return PackService(profile).apply(pack(questions, **kw)).value


def qid_of(lib, key: str) -> int:
    [row] = [r for r in lib.page(LibraryQuery(search=key, status=None)) if r.key == key]
    return row.qid


def item(**overrides):
    """A valid question in pack-file form, as the editor builds it."""
    base = {
        "skill": "data-management",
        "type": "single",
        "stem": "Who should own the district's data inventory?",
        "options": [
            {"id": "a", "text": "A named data steward", "correct": True, "rationale": "Owned."},
            {"id": "b", "text": "Every teacher", "correct": False, "rationale": "Nobody owns."},
        ],
        "explanation": "Ownership makes data governance work.",
        "difficulty": 2,
        "tags": ["governance"],
        "references": [{"title": "CoSN Framework", "section": "Data", "url": ""}],
    }
    return base | overrides


def test_filters_by_skill_pack_and_tag(profile, lib):
    """Skill-area, pack and tag filters narrow the table in SQL."""
    install(profile, [question("a1"), question("a2", "data-management")])
    install(profile, [question("b1", "data-management")], pack_id="other")
    dm = lib.page(LibraryQuery(skill="data-management"))
    assert sorted(r.key for r in dm) == ["a2", "b1"]
    assert [r.key for r in lib.page(LibraryQuery(pack="other"))] == ["b1"]
    assert len(lib.page(LibraryQuery(tag="planning"))) == 3
    assert lib.page(LibraryQuery(tag="nothing-like-it")) == []
    assert lib.count(LibraryQuery(skill="data-management", pack="test-pack")) == 1


def test_search_matches_stem_option_text_and_id(profile, lib):
    """Search finds words in the stem, in option text, or in the question id."""
    install(
        profile,
        [question("s1", stem="The board asks about broadband."), question("s2"), question("s3")],
    )
    assert [r.key for r in lib.page(LibraryQuery(search="BROADBAND"))] == ["s1"]
    assert [r.key for r in lib.page(LibraryQuery(search="Option C of s2"))] == ["s2"]
    assert [r.key for r in lib.page(LibraryQuery(search="s3"))] == ["s3"]
    assert lib.page(LibraryQuery(search="100%_literal")) == []


def test_pages_continue_after_the_last_row_id(profile, lib):
    """The table reads pages by keyset: each page starts after the previous one's last id."""
    install(profile, [question(f"p{i:03d}") for i in range(450)])
    first = lib.page(LibraryQuery(), limit=200)
    second = lib.page(LibraryQuery(), after=first[-1].qid, limit=200)
    third = lib.page(LibraryQuery(), after=second[-1].qid, limit=200)
    assert (len(first), len(second), len(third)) == (200, 200, 50)
    keys = [r.key for r in first + second + third]
    assert len(set(keys)) == 450
    assert lib.count(LibraryQuery()) == 450


def test_status_filters_follow_answers_suspension_and_retirement(profile, lib, clock):
    """new / due / learning / suspended / retired filters match the status column."""
    install(profile, [question("n1"), question("n2"), question("n3"), question("gone")])
    study = StudyService(profile)
    study.answer(qid_of(lib, "n1"), ["a"], 10)
    study.set_suspended(qid_of(lib, "n2"), True)
    install(profile, [question("n1"), question("n2"), question("n3")], version="1.1.0")
    assert [r.key for r in lib.page(LibraryQuery(status="learning"))] == ["n1"]
    assert [r.key for r in lib.page(LibraryQuery(status="suspended"))] == ["n2"]
    assert [r.key for r in lib.page(LibraryQuery(status="new"))] == ["n3"]
    assert [r.key for r in lib.page(LibraryQuery(status="retired"))] == ["gone"]
    assert "gone" not in [r.key for r in lib.page(LibraryQuery())]
    clock.advance(timedelta(days=400).total_seconds())
    [due] = lib.page(LibraryQuery(status="due"))
    assert (due.key, due.status) == ("n1", "due")


def test_detail_has_rationales_and_every_past_answer(profile, lib, clock):
    """The preview's data: options with rationales, and each answer with time and mode."""
    install(profile, [question("h1")])
    qid = qid_of(lib, "h1")
    study = StudyService(profile)
    study.answer(qid, ["b"], 12.5)
    clock.advance(3600)
    study.answer(qid, ["a"], 8, mode="cram")
    detail = lib.detail(qid)
    assert detail.question.options[1].rationale == "Plausible, but skips the stakeholders."
    assert [(h.chosen, h.correct, h.mode) for h in detail.history] == [
        (("a",), True, "cram"),
        (("b",), False, "practice"),
    ]
    assert detail.history[1].response_ms == 12_500
    assert detail.pack_title == "Test pack"


def test_check_question_uses_the_pack_rules(profile):
    """The editor's checks are the pack validator's: key count, empty rationale, skill."""
    fw = profile.frameworks()[0]
    q, problems = check_question(item(), fw)
    assert q is not None and not [p for p in problems if p.severity == "error"]
    bad = item(options=[{"id": "a", "text": "x", "correct": True, "rationale": ""}])
    q, problems = check_question(bad, fw)
    texts = [describe_problem(p) for p in problems]
    assert q is None
    assert "Options: must be a list of 2 to 8 options." in texts
    two = item(
        options=[
            {"id": "a", "text": "x", "correct": True, "rationale": "r"},
            {"id": "b", "text": "y", "correct": True, "rationale": ""},
        ]
    )
    texts = [describe_problem(p) for p in check_question(two, fw)[1]]
    assert any(t.startswith("Option B rationale: is empty") for t in texts)
    assert any("exactly one correct option; it has 2" in t for t in texts)
    assert not any("'single'" in t or "'multiple'" in t for t in texts)
    assert any(
        t.startswith("Skill area:")
        for t in map(describe_problem, check_question(item(skill="nope"), fw)[1])
    )


def test_saving_a_new_question_creates_my_questions(profile, lib):
    """The first save creates the user-owned pack 'my-questions' titled My questions."""
    saved = lib.save(item()).value
    assert saved.created and saved.ref == f"{USER_PACK_ID}/mine-1"
    [mine] = [p for p in PackService(profile).list() if p.id == USER_PACK_ID]
    assert (mine.title, mine.origin, mine.questions) == ("My questions", "user", 1)
    second = lib.save(item(stem="Another question?")).value
    assert second.ref == f"{USER_PACK_ID}/mine-2"
    stored = lib.detail(saved.qid)
    assert stored.question.stem == item()["stem"]
    assert stored.question.tags == ("governance",)


def test_an_invalid_question_is_not_saved(profile, lib):
    """A save that fails validation raises a plain error and writes nothing."""
    before = rows(profile)
    with pytest.raises(PackError, match="not saved: Question: must be non-empty text"):
        lib.save(item(stem="  "))
    assert rows(profile) == before


def test_editing_my_question_updates_it_and_raises_its_revision(profile, lib):
    """Saving one of the user's own questions again changes it in place."""
    saved = lib.save(item()).value
    again = lib.save(item(stem="Who owns the data inventory?"), saved.qid).value
    assert (again.qid, again.created, again.changed) == (saved.qid, False, True)
    detail = lib.detail(saved.qid)
    assert detail.question.revision == 2
    assert lib.save(item(stem="Who owns the data inventory?"), saved.qid).value.changed is False


def test_editing_an_imported_question_creates_a_revision_practised_instead(profile, lib):
    """A revision goes to My questions, revises the original, hides it and keeps progress."""
    install(profile, [question("orig"), question("other")])
    original = qid_of(lib, "orig")
    StudyService(profile).answer(original, ["a"], 5)
    saved = lib.save(item(stem="My clearer wording?"), original).value
    assert saved.created and saved.revises == "test-pack/orig"
    assert saved.ref == f"{USER_PACK_ID}/test-pack.orig"
    assert lib.detail(original).status == "revised"
    assert lib.detail(original).links.revised_by == (saved.qid, saved.ref)
    mine = lib.detail(saved.qid)
    assert mine.links.revises == (original, "test-pack/orig")
    assert [h.of_original for h in mine.history] == [True]
    with profile.db.reader() as s:
        planned = {r.qid: r for r in load_planning_rows(s)}
    assert original not in planned and saved.qid in planned
    assert planned[saved.qid].memory is not None and planned[saved.qid].memory.reps == 1
    again = lib.save(item(stem="Even clearer?"), original).value
    assert (again.qid, again.created) == (saved.qid, False)
    assert lib.editor_context(original).qid == saved.qid


def test_pack_update_changes_the_original_and_keeps_the_revision(profile, lib, clock):
    """After a revision, a newer pack still updates the original; the library flags it."""
    install(profile, [question("orig"), question("other")])
    original = qid_of(lib, "orig")
    saved = lib.save(item(stem="Mine"), original).value
    assert lib.detail(saved.qid).links.upstream_changed is False
    clock.advance(60)
    changed = question("orig", stem="The author's corrected stem?", revision=2)
    report = install(profile, [changed, question("other")], version="1.1.0")
    assert (report.updated, report.retired) == (1, 0)
    assert lib.detail(original).question.stem == "The author's corrected stem?"
    mine = lib.detail(saved.qid)
    assert mine.question.stem == "Mine"
    assert mine.links.upstream_changed and not mine.links.upstream_retired
    install(profile, [question("other")], version="1.2.0")
    assert lib.detail(saved.qid).links.upstream_retired


def test_deleting_a_revision_brings_the_original_back(profile, lib):
    """Deleting the user's revision retires it and the original is practised again."""
    install(profile, [question("orig")])
    original = qid_of(lib, "orig")
    saved = lib.save(item(), original).value
    assert lib.delete_mine(saved.qid).value == "test-pack/orig"
    assert lib.detail(original).status == "new"
    with profile.db.reader() as s:
        assert original in {r.qid for r in load_planning_rows(s)}
    with pytest.raises(Exception, match="Only questions of My questions"):
        lib.delete_mine(original)


def test_my_questions_exports_and_imports_into_a_fresh_profile(profile, lib, tmp_path, clock):
    """My questions exports like any pack; a newer export updates the copy elsewhere."""
    install(profile, [question("orig")])
    lib.save(item())
    lib.save(item(stem="Second?"), qid_of(lib, "orig"))
    out = tmp_path / "mine.studypack"
    report = PackService(profile).export(out, pack_id=USER_PACK_ID)
    assert report.questions == 2
    fresh = Profile.open(AppPaths(tmp_path / "fresh", tmp_path / "fl"), clock, "test")
    try:
        imported = PackService(fresh).import_pack(out).value
        assert (imported.pack_id, imported.added) == (USER_PACK_ID, 2)
        lib.save(item(stem="Third?"))
        PackService(profile).export(out, pack_id=USER_PACK_ID)
        assert PackService(fresh).import_pack(out).value.added == 1
    finally:
        fresh.close()


def test_a_file_cannot_replace_my_questions(profile, lib, tmp_path):
    """Importing someone's pack with the id my-questions is refused; nothing changes."""
    lib.save(item())
    folder = write_dir(pack([question("x")], pack_id=USER_PACK_ID, version="9.0.0"), tmp_path / "p")
    before = rows(profile)
    with pytest.raises(PackError, match="where your own questions are kept"):
        PackService(profile).import_pack(folder)
    assert rows(profile) == before


def test_interchange_preview_lists_categories_and_mapping_changes_skills(profile, lib, tmp_path):
    """The preview writes nothing; a changed category mapping sets the imported skills."""
    path = tmp_path / "district-bank.gift"
    path.write_bytes(GIFT.read_bytes())
    before = rows(profile)
    preview = lib.preview_import(path)
    assert rows(profile) == before
    mapping = {c.category: c.skill for c in preview.categories}
    assert mapping["CETL/Strategic Planning"] == "strategic-planning"
    assert mapping["Old Course Bank/Misc"] is None
    assert any("essay" in s.lower() or "missing" in s.lower() for s in preview.skipped)
    mapping["Old Course Bank/Misc"] = "ethics-policies"
    mapping["CETL/Strategic Planning"] = None
    report = lib.import_file(path, category_skills=mapping).value
    assert report.added == preview.questions
    misc = next(c for c in preview.categories if c.category.endswith("Misc")).questions
    assert lib.count(LibraryQuery(skill="ethics-policies")) == misc
    assert lib.count(LibraryQuery(skill="strategic-planning")) == 0


def test_update_refuses_a_file_of_another_pack(profile, lib, tmp_path):
    """Update checks the file holds the selected pack before writing anything."""
    install(profile, [question("a")])
    folder = write_dir(pack([question("a")], pack_id="someone-else"), tmp_path / "p")
    before = rows(profile)
    with pytest.raises(PackError, match="holds the pack 'someone-else', not 'test-pack'"):
        lib.import_file(folder, expected_pack="test-pack")
    assert rows(profile) == before
    newer = write_dir(pack([replace(question("a"), stem="New?")], version="2.0.0"), tmp_path / "n")
    assert lib.import_file(newer, expected_pack="test-pack").value.updated == 1


def test_correct_count_messages_name_the_field_and_the_fix_in_plain_words(profile, lib):
    """Too few correct options: 'Options: a question with one correct answer …' and what to do."""
    fw = lib.editor_context(None).framework
    none_right = item(
        options=[
            {"id": "a", "text": "x", "correct": False, "rationale": "r"},
            {"id": "b", "text": "y", "correct": False, "rationale": "s"},
        ]
    )
    texts = [describe_problem(p) for p in check_question(none_right, fw)[1]]
    assert (
        "Options: a question with one correct answer needs exactly one correct option; it has 0."
        " Mark one option correct, or allow several correct answers." in texts
    )
    one_of_many = item(type="multiple", options=none_right["options"])
    one_of_many["options"][0] = {"id": "a", "text": "x", "correct": True, "rationale": "r"}
    texts = [describe_problem(p) for p in check_question(one_of_many, fw)[1]]
    assert any(
        t.startswith("Options: a question with several correct answers needs at least two")
        and "it has 1." in t
        for t in texts
    )


def test_my_questions_stored_hash_equals_its_exported_files_hash(profile, lib, tmp_path, clock):
    """The editor's saved hash and an import of its export agree: one formula, two callers."""
    lib.save(item())
    lib.save(item(stem="Second?"))
    out = tmp_path / "mine.studypack"
    PackService(profile).export(out, pack_id=USER_PACK_ID)
    fresh = Profile.open(AppPaths(tmp_path / "fresh", tmp_path / "fl"), clock, "test")
    try:
        PackService(fresh).import_pack(out)
        hashes = []
        for p in (profile, fresh):
            with closing(sqlite3.connect(p.paths.database)) as conn:
                [(stored,)] = conn.execute(
                    "SELECT content_hash FROM pack WHERE key = ?", (USER_PACK_ID,)
                ).fetchall()
            hashes.append(stored)
    finally:
        fresh.close()
    assert hashes[0] == hashes[1]
