"""Pack identity that is the same on every machine (issue 16, decision 0011): the same file
gives the same pack id, version and question ids anywhere; updates arrive in any format;
selections never duplicate questions; question names and readable titles are kept."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from studyapp.config import AppPaths
from studyapp.domain.errors import PackError
from studyapp.domain.pack import display_version
from studyapp.services.exams.service import ExamService
from studyapp.services.exams.views import ExamRequest
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.study.service import StudyService
from studyapp.storage.library import LibraryQuery, library_page
from studyapp.storage.models import MemoryStateRow, PackRow, QuestionRow
from studyapp.storage.packs import load_questions
from tests.conftest import REPO
from tests.dbtools import remember
from tests.packs.factory import pack, question, write_dir

SHIPPED = REPO / "question_banks" / "cetl-core"
SKILL_TITLES = ["Leadership & Vision", "Strategic Planning", "Ethics & Policies", "Data Management"]


def open_profile(tmp_path: Path, clock, name: str) -> Profile:
    return Profile.open(AppPaths(tmp_path / name, tmp_path / f"{name}-logs"), clock, "test")


@pytest.fixture
def profiles(tmp_path, clock):
    """Open profiles on demand (as on several members' computers); all closed at the end."""
    opened: list[Profile] = []

    def make(name: str) -> Profile:
        prof = open_profile(tmp_path, clock, name)
        opened.append(prof)
        return prof

    yield make
    for prof in opened:
        prof.close()


def gift_bank(edited: bool = False, per_skill: int = 6) -> str:
    """A GIFT bank over four CETL skill areas; ``edited`` changes one stem and adds one."""
    lines = []
    for skill in SKILL_TITLES:
        lines += [f"$CATEGORY: $course$/top/District quiz/{skill}", ""]
        for i in range(per_skill):
            stem = f"In {skill}, which step comes first in case {i}?"
            if edited and i == 0:
                stem = stem.replace("first", "FIRST")
            lines += [f"{stem}{{=Ask the board {skill} {i} ~Buy devices ~Wait a year}}", ""]
    if edited:
        lines += ["A brand new question about budgets?{=Plan ~Guess}", ""]
    return "\n".join(lines)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def questions_of(profile: Profile, pack_id: str) -> list:
    with profile.db.reader() as s:
        return [q for _p, q in load_questions(s, pack_keys=[pack_id])]


def ids_of(profile: Profile, pack_id: str) -> set[str]:
    return {q.id for q in questions_of(profile, pack_id)}


def stability(profile: Profile, row_id: int) -> float | None:
    with profile.db.reader() as s:
        return s.scalar(
            select(MemoryStateRow.stability).where(MemoryStateRow.question_id == row_id)
        )


def active_hashes(profile: Profile) -> list[str]:
    with closing(sqlite3.connect(profile.paths.database)) as conn:
        return [h for (h,) in conn.execute("SELECT content_hash FROM question WHERE retired = 0")]


def test_same_file_gives_same_identity_whatever_was_imported_before(profiles, tmp_path):
    """Facilitator (second import) and newcomer (first import) of one file agree on pack id,
    version and question ids, and the facilitator's exam share line works for the newcomer."""
    facilitator, newcomer = profiles("facilitator"), profiles("newcomer")
    path = write(tmp_path, "district-quiz.gift", gift_bank())
    PackService(facilitator).import_pack(path)
    path.write_text(gift_bank(edited=True), "utf-8")
    second = PackService(facilitator).import_pack(path).value
    first_here = PackService(newcomer).import_pack(path).value
    assert second.status == "updated" and first_here.status == "installed"
    assert (second.pack_id, second.version) == (first_here.pack_id, first_here.version)
    assert ids_of(facilitator, "district-quiz") == ids_of(newcomer, "district-quiz")
    built = ExamService(facilitator).build(ExamRequest(length=12, seed=7))
    assert built.pack_versions == {"district-quiz": second.version}
    assert ExamService(newcomer).build(built.share_line).questions == built.questions


def test_content_versions_are_not_ordered_so_going_back_updates(profiles, tmp_path):
    """Unpinned versions come from content alone: the older file again replaces (no
    'downgrade' refusal), keeps progress, and the same file twice changes nothing."""
    prof = profiles("p")
    service = PackService(prof)
    path = write(tmp_path, "district-quiz.gift", gift_bank())
    first = service.import_pack(path).value
    row_id = remember(prof, "district-quiz", sorted(ids_of(prof, "district-quiz"))[1])
    path.write_text(gift_bank(edited=True), "utf-8")
    service.import_pack(path)
    path.write_text(gift_bank(), "utf-8")
    back = service.import_pack(path).value
    assert back.status == "updated" and back.version == first.version
    assert service.import_pack(path).value.status == "unchanged"
    assert stability(prof, row_id) == 7.5


def test_version_written_by_an_older_release_is_renamed_on_the_same_content(profiles, tmp_path):
    """A profile holding ``2.0.0-sha.<hash>`` (the old history-based rule) gets the file's
    own version when the same file is imported again; nothing else changes."""
    prof = profiles("p")
    path = write(tmp_path, "district-quiz.gift", gift_bank())
    report = PackService(prof).import_pack(path).value
    legacy = "2.0.0-" + report.version.split("-", 1)[1]
    with prof.db.unit_of_work() as s:
        s.scalar(select(PackRow).where(PackRow.key == "district-quiz")).version = legacy
    again = PackService(prof).import_pack(path).value
    assert (again.status, again.previous_version, again.version) == (
        "unchanged",
        legacy,
        report.version,
    )
    (installed,) = PackService(prof).list()
    assert installed.version == report.version


def test_gift_header_pins_id_version_and_title(profiles, tmp_path):
    """``// studyapp-pack: id version`` and ``// studyapp-title:`` name the pack whatever the
    file is called; a pinned older version is refused as a downgrade."""
    prof = profiles("p")
    header = "// studyapp-pack: district-quiz 1.2.0\n// studyapp-title: Our district quiz\n\n"
    path = write(tmp_path, "copy of quiz (2).gift", header + gift_bank())
    report = PackService(prof).import_pack(path).value
    assert (report.pack_id, report.version) == ("district-quiz", "1.2.0")
    (installed,) = PackService(prof).list()
    assert (installed.title, installed.display_version) == ("Our district quiz", "1.2.0")
    older = write(tmp_path, "old.gift", header.replace("1.2.0", "1.1.0") + gift_bank(True))
    with pytest.raises(PackError, match="older version"):
        PackService(prof).import_pack(older)
    back = PackService(prof).import_pack(older, allow_downgrade=True).value
    assert (back.status, back.version) == ("downgraded", "1.1.0")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "bank.csv",
            "# studyapp-pack: district-quiz 2.0.0\n# studyapp-title: District quiz\n"
            "stem,option_a,option_b,correct\nWhich first?,Plan,Guess,A\n",
        ),
        (
            "bank.aiken",
            "# studyapp-pack: district-quiz 2.0.0\n# studyapp-title: District quiz\n\n"
            "Which first?\nA) Plan\nB) Guess\nANSWER: A\n",
        ),
        (
            "bank.xml",
            '<?xml version="1.0"?>\n<quiz><question type="category"><category><text>'
            "$course$/top/District quiz</text></category><info><text>Kept by StudyApp: "
            "studyapp-pack: district-quiz 2.0.0</text></info></question>"
            '<question type="multichoice"><name><text>Q</text></name><questiontext>'
            '<text>Which first?</text></questiontext><answer fraction="100"><text>Plan</text>'
            '</answer><answer fraction="0"><text>Guess</text></answer></question></quiz>',
        ),
    ],
)
def test_csv_aiken_and_moodle_xml_can_pin_the_pack(profiles, tmp_path, name, text):
    """CSV and Aiken pin with a first comment line, Moodle XML in the top category's info."""
    prof = profiles("p")
    report = PackService(prof).import_pack(write(tmp_path, name, text)).value
    assert (report.pack_id, report.version, report.added) == ("district-quiz", "2.0.0", 1)
    (installed,) = PackService(prof).list()
    assert installed.title == "District quiz"


def test_bad_pin_is_one_clear_message_and_changes_nothing(profiles, tmp_path):
    """A pin that is not an id is refused, naming the line; nothing is installed."""
    prof = profiles("p")
    path = write(tmp_path, "q.gift", "// studyapp-pack: District Quiz!\n\n" + gift_bank())
    with pytest.raises(PackError, match=r"line 1: 'District' is not a pack id"):
        PackService(prof).import_pack(path)
    assert PackService(prof).list() == []


def test_pack_received_as_studypack_updates_from_gift_and_xml(profiles, tmp_path):
    """A pack first installed from a .studypack is updated by the group's GIFT file of the
    same id (progress kept), and by its own GIFT/XML export once edited, under any name."""
    prof = profiles("p")
    service = PackService(prof)
    native = pack(
        [question("q1", stem="Which plan comes first?"), question("q2")], pack_id="district-quiz"
    )
    service.import_pack(write_dir(native, tmp_path / "native"))
    row_id = remember(prof, "district-quiz", "q1")
    exported = tmp_path / "out.gift"
    service.export(exported, pack_id="district-quiz", format="gift")
    text = exported.read_text("utf-8").replace("Which plan comes first?", "Which plan is first?")
    edited = write(tmp_path, "whatever it is called.gift", text)
    report = service.import_pack(edited).value
    assert (report.pack_id, report.status, report.added) == ("district-quiz", "updated", 0)
    assert "Which plan is first?" in {q.stem for q in questions_of(prof, "district-quiz")}
    assert stability(prof, row_id) == 7.5
    xml = tmp_path / "round.xml"
    service.export(xml, pack_id="district-quiz", format="moodle-xml")
    xml.write_text(xml.read_text("utf-8").replace("is first?", "is FIRST?"), "utf-8")
    assert service.import_pack(xml).value.status == "updated"
    group_file = write(tmp_path, "district-quiz.gift", gift_bank())
    assert service.import_pack(group_file).value.pack_id == "district-quiz"
    assert len(service.list()) == 1


def test_shipped_pack_is_replaced_only_by_a_file_that_pins_its_id(profiles, tmp_path):
    """A file merely named like a shipped pack is refused; a pin replaces it on purpose."""
    prof = profiles("p")
    service = PackService(prof)
    service.import_pack(write_dir(pack([question("q1")]), tmp_path / "n"), origin="shipped")
    named = write(tmp_path, "test-pack.gift", gift_bank())
    with pytest.raises(PackError, match="studyapp-pack: test-pack"):
        service.import_pack(named)
    pinned = write(tmp_path, "x.gift", "// studyapp-pack: test-pack\n" + gift_bank())
    assert service.import_pack(pinned).value.status == "updated"


def test_selection_export_never_makes_a_question_practised_twice(profiles, tmp_path):
    """A skill-area selection of CETL imported beside CETL adds no question twice: no two
    active questions share content, and a planned session holds each question once."""
    facilitator, member = profiles("facilitator"), profiles("member")
    PackService(facilitator).import_pack(SHIPPED)
    out = tmp_path / "selection.studypack"
    exported = PackService(facilitator).export(
        out, skills=["ethics-policies", "business-management"]
    )
    assert exported.questions > 0
    PackService(member).import_pack(SHIPPED)
    total = PackService(member).list()[0].questions
    report = PackService(member).import_pack(out).value
    assert (report.added, report.skipped) == (0, exported.questions)
    assert "already installed as question" in report.skipped_items[0]
    hashes = active_hashes(member)
    assert len(hashes) == len(set(hashes)) == total
    _plan, items = StudyService(member).plan(total, mode="unseen", new_limit=total)
    seen = [item.question.content_hash() for item in items]
    assert len(items) > exported.questions and len(seen) == len(set(seen))


def test_original_imported_after_its_selection_takes_the_questions_over(profiles, tmp_path):
    """Whichever arrives first, no question is active twice: the full pack arriving after a
    selection of it adds its questions, keeps the progress made on the selection's copies,
    and retires those copies (so the full pack's later updates reach the learner)."""
    facilitator, member = profiles("facilitator"), profiles("member")
    PackService(facilitator).import_pack(SHIPPED)
    out = tmp_path / "selection.studypack"
    selection = PackService(facilitator).export(out, skills=["ethics-policies"])
    PackService(member).import_pack(out)
    key = sorted(ids_of(member, selection.pack_id))[0]
    remember(member, selection.pack_id, key)
    report = PackService(member).import_pack(SHIPPED).value
    assert report.skipped == 0 and any("selection" in w for w in report.warnings)
    assert ids_of(member, selection.pack_id) == set()  # all retired
    with member.db.reader() as s:
        row = s.scalar(
            select(QuestionRow.id)
            .join(PackRow)
            .where(PackRow.key == "cetl-core", QuestionRow.key == key)
        )
    assert stability(member, row) == 7.5
    hashes = active_hashes(member)
    assert len(hashes) == len(set(hashes)) == report.added
    again = PackService(member).import_pack(out).value
    assert again.status == "unchanged" and ids_of(member, selection.pack_id) == set()


MOODLE_NAMED = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Default for District quiz</text>
  </category></question>
  <question type="multichoice">
    <name><text>Budget cycle 3</text></name>
    <questiontext format="html"><text>When does the district budget year start?</text>
    </questiontext>
    <answer fraction="100"><text>July</text></answer>
    <answer fraction="0"><text>March</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Which plan comes</text></name>
    <questiontext format="html"><text>Which plan comes first in a district?</text>
    </questiontext>
    <answer fraction="100"><text>Strategic</text></answer>
    <answer fraction="0"><text>Tactical</text></answer>
  </question>
</quiz>
"""


def test_moodle_names_become_titles_kept_in_library_search_and_exports(profiles, tmp_path):
    """Moodle <name> is the question's title: stored, searchable, written back as <name> and
    GIFT ::title::; ids of unnamed questions stay content-derived and the same anywhere."""
    a, b = profiles("a"), profiles("b")
    path = write(tmp_path, "district-quiz.xml", MOODLE_NAMED)
    report = PackService(a).import_pack(path).value
    PackService(b).import_pack(path)
    with a.db.reader() as s:
        questions = {q.title: q for _p, q in load_questions(s, pack_keys=["district-quiz"])}
        found = library_page(s, LibraryQuery(search="cycle"), a.clock.now())
    assert set(questions) == {"Budget cycle 3", ""}  # a name repeating the text is no title
    assert all(q.id.startswith("h-") for q in questions.values())
    assert ids_of(a, "district-quiz") == ids_of(b, "district-quiz")
    assert [row.title for row in found] == ["Budget cycle 3"]
    (installed,) = PackService(a).list()
    assert installed.title == "District quiz"
    assert "sha" not in installed.display_version and installed.display_version.startswith(
        "edition of "
    )
    gift, xml = tmp_path / "back.gift", tmp_path / "back.xml"
    PackService(a).export(gift, pack_id="district-quiz", format="gift")
    PackService(a).export(xml, pack_id="district-quiz", format="moodle-xml")
    assert "::Budget cycle 3::" in gift.read_text("utf-8")
    assert "<text>Budget cycle 3</text>" in xml.read_text("utf-8")
    assert "h-" not in xml.read_text("utf-8").split("<idnumber>")[0]
    again = PackService(b).import_pack(gift).value  # the GIFT round trip keeps the ids
    assert (again.pack_id, again.added, again.retired) == ("district-quiz", 0, 0)
    assert report.added == 2


def test_pack_titles_are_readable_and_versions_never_show_a_hash(profiles, tmp_path):
    """No metadata: the title is the file name made readable; versions shown have no hash."""
    prof = profiles("p")
    text = "Which plan comes first?{=Strategic ~Tactical}\n"
    PackService(prof).import_pack(write(tmp_path, "district-quiz.gift", text))
    (installed,) = PackService(prof).list()
    assert installed.title == "District quiz"
    assert installed.to_json()["display_version"] == installed.display_version
    assert display_version("1.0.0-sha.f67bb94d2f2f", "2026-12-07") == "edition of 2026-12-07"
    assert display_version("1.2.0") == "1.2.0"


def test_identify_tells_the_id_and_version_every_member_will_install(profiles, tmp_path):
    """PackService.identify (for publishing to a group) writes nothing and names exactly
    the id and version a member's import_pack of the same file installs."""
    facilitator, member = profiles("facilitator"), profiles("member")
    path = write(tmp_path, "district-quiz.gift", gift_bank())
    PackService(facilitator).import_pack(path)
    path.write_text(gift_bank(edited=True), "utf-8")
    identity = PackService(facilitator).identify(path)
    assert (identity.id, identity.title, identity.format) == (
        "district-quiz",
        "District quiz",
        "gift",
    )
    assert "sha" not in identity.display_version
    report = PackService(member).import_pack(path).value
    assert (report.pack_id, report.version) == (identity.id, identity.version)
    assert PackService(facilitator).import_pack(path).value.version == identity.version


def test_revising_a_titled_question_keeps_its_title(profiles, tmp_path):
    """A user's revision of an imported, titled question stores the title it was saved with."""
    from studyapp.services.packs.library import LibraryService

    prof = profiles("p")
    PackService(prof).import_pack(write(tmp_path, "district-quiz.xml", MOODLE_NAMED))
    with prof.db.reader() as s:
        (row,) = library_page(s, LibraryQuery(search="cycle"), prof.clock.now())
    context = LibraryService(prof).editor_context(row.qid)
    assert context.question is not None
    item = context.question.to_dict()
    item["stem"] = "When does our budget year start?"
    item["options"] = [o | {"rationale": "Because."} for o in item["options"]]
    LibraryService(prof).save(item, row.qid)
    (revision,) = questions_of(prof, "my-questions")
    assert revision.title == "Budget cycle 3"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("District Quiz 2026.gift", None),
        ("Budget Bank.csv", "\ufeffstem,option_a,option_b,correct\nWhich first?,Plan,Guess,A\n"),
        ("Old Bank.aiken", "Which first?\nA) Plan\nB) Guess\nANSWER: A\n"),
        ("Pinned In Info.xml", None),
    ],
)
def test_publish_copy_installs_as_the_same_pack_under_any_name(profiles, tmp_path, name, text):
    """A copy for a group folder (``<id>.<ext>``) has the original's id, version and title;
    a member importing the copy and the facilitator importing the original agree."""
    facilitator, member = profiles("facilitator"), profiles("member")
    if text is None and name.endswith(".xml"):
        text = MOODLE_NAMED.replace(
            "</category></question>",
            "</category><info><text>studyapp-pack: budget 2.1.0</text></info></question>",
            1,
        )
    original = write(tmp_path, name, gift_bank() if text is None else text)
    folder = tmp_path / "group"
    folder.mkdir()
    service = PackService(facilitator)
    copy = service.publish_copy(original, folder)
    want, got = service.identify(original), service.identify(copy)
    assert copy.parent == folder and copy.name.startswith(want.id + ".")
    assert (got.id, got.version, got.title) == (want.id, want.version, want.title)
    mine = service.import_pack(original).value
    theirs = PackService(member).import_pack(copy).value
    assert (mine.pack_id, mine.version) == (theirs.pack_id, theirs.version)


def test_publish_copy_of_a_studypack_and_of_a_bad_file(profiles, tmp_path):
    """A .studypack is copied as ``<id>.studypack``; a file that is not valid is refused
    and nothing is written."""
    prof = profiles("p")
    folder = tmp_path / "group"
    folder.mkdir()
    source = tmp_path / "mine.studypack"
    PackService(prof).import_pack(write_dir(pack([question("q1")]), tmp_path / "n"))
    PackService(prof).export(source, pack_id="test-pack")
    copy = PackService(prof).publish_copy(source, folder)
    assert copy.name == "test-pack.studypack" and copy.read_bytes() == source.read_bytes()
    bad = write(tmp_path, "essays.gift", "Write an essay.{}\n")
    with pytest.raises(PackError, match="nothing could be imported"):
        PackService(prof).publish_copy(bad, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["test-pack.studypack"]


def test_facilitator_republishes_an_edited_file_and_every_member_updates(profiles, tmp_path):
    """The group scenario: publish a GIFT copy, members import it; the facilitator edits the
    file and republishes; members update with progress kept and the next code works for all."""
    facilitator = profiles("facilitator")
    members = [profiles("m1"), profiles("m2")]
    original = write(tmp_path, "District Quiz.gift", gift_bank())
    folder = tmp_path / "group"
    folder.mkdir()
    service = PackService(facilitator)
    copy = service.publish_copy(original, folder)
    service.import_pack(copy)
    for member in members:
        PackService(member).import_pack(copy)
    key = sorted(ids_of(members[0], "district-quiz"))[2]
    row_id = remember(members[0], "district-quiz", key)
    original.write_text(gift_bank(edited=True), "utf-8")
    assert service.publish_copy(original, folder) == copy
    mine = service.import_pack(copy).value
    for member in members:
        theirs = PackService(member).import_pack(copy).value
        assert (theirs.status, theirs.version) == ("updated", mine.version)
    assert key in ids_of(members[0], "district-quiz") and stability(members[0], row_id) == 7.5
    built = ExamService(facilitator).build(ExamRequest(length=12, seed=11))
    for member in members:
        assert ExamService(member).build(built.share_line).questions == built.questions
