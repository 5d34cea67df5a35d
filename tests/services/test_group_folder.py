"""The shared group folder: joining, syncing, and hostile or messy folders.

Each hostile case is refused or skipped with one clear message, and nothing is written
to the profile (no pack, no question, no setting) when the whole folder is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.config import AppPaths
from studyapp.domain.group import GroupError
from studyapp.services.groups import GroupService, read_membership, scheduled_exams
from studyapp.services.groups.folder import FolderGroup
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.storage.settings import read_settings

GIFT = """$CATEGORY: $course$/Data Management

::Backups::Which backup rule keeps three copies on two media with one offsite? {
=3-2-1 rule
~Mirror only
~RAID 5
}

::Privacy::Which US law protects student education records? {
=FERPA
~HIPAA
~SOX
}
"""


def open_profile(tmp_path: Path, name: str, clock) -> Profile:
    paths = AppPaths(data_dir=tmp_path / name, log_dir=tmp_path / f"{name}-logs")
    return Profile.open(paths, clock, "1.0")


@pytest.fixture
def folder(tmp_path: Path, clock) -> Iterator[Path]:
    """A group folder with one published GIFT pack, made by a facilitator profile."""
    facilitator = open_profile(tmp_path, "facilitator", clock)
    try:
        service = GroupService(facilitator)
        service.create(str(tmp_path / "group"), "North Region")
        source = tmp_path / "district-quiz.gift"
        source.write_text(GIFT, encoding="utf-8")
        service.publish(source)
    finally:
        facilitator.close()
    yield tmp_path / "group"


@pytest.fixture
def member(tmp_path: Path, clock, folder: Path) -> Iterator[Profile]:
    """A member profile that joined ``folder`` (not yet synced)."""
    profile = open_profile(tmp_path, "member", clock)
    GroupService(profile).join(str(folder), "Ann", "all")
    yield profile
    profile.close()


def state(profile: Profile) -> tuple[object, ...]:
    """Everything a refused sync must leave as it was: counts and settings."""
    with profile.db.reader() as session:
        settings = read_settings(session)
    return (profile.info().counts, settings)


def test_sync_imports_the_published_pack_once_and_writes_the_card(member, folder):
    """The first sync adds the pack and writes the card; the second imports nothing again."""
    first = GroupService(member).sync().value
    assert [p.pack_id for p in first.packs_added] == ["district-quiz"]
    assert first.card_written
    cards = list((folder / "cards").iterdir())
    assert len(cards) == 1 and json.loads(cards[0].read_text())["name"] == "Ann"
    again = GroupService(member).sync().value
    assert again.packs_added == () and again.packs_updated == ()


def test_join_refuses_a_folder_that_is_no_group_and_a_hub_url(tmp_path, clock):
    """A folder without group.json, or a PostgreSQL URL, is refused and nothing is stored."""
    profile = open_profile(tmp_path, "p", clock)
    try:
        (tmp_path / "empty").mkdir()
        with pytest.raises(GroupError, match="not a study-group folder"):
            GroupService(profile).join(str(tmp_path / "empty"), "Ann")
        with pytest.raises(GroupError, match="PostgreSQL"):
            GroupService(profile).join("postgresql://u@h/db", "Ann")
        assert read_membership(profile) is None
    finally:
        profile.close()


def write_group(folder: Path, change) -> None:
    path = folder / "group.json"
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def test_a_group_file_naming_files_outside_the_folder_is_refused(member, folder, tmp_path):
    """group.json naming ../ is refused with one message and nothing written to the profile."""
    (tmp_path / "outside.gift").write_text(GIFT)

    def point_outside(doc):
        doc["packs"][0]["file"] = "../outside.gift"

    write_group(folder, point_outside)
    before = state(member)
    with pytest.raises(GroupError, match="outside the group's packs folder"):
        GroupService(member).sync()
    assert state(member) == before


def test_a_group_file_that_is_a_link_out_of_the_folder_is_refused(member, folder, tmp_path):
    """A group.json symlinked to a file elsewhere is refused; nothing written."""
    real = tmp_path / "elsewhere.json"
    real.write_text((folder / "group.json").read_text())
    (folder / "group.json").unlink()
    (folder / "group.json").symlink_to(real)
    before = state(member)
    with pytest.raises(GroupError, match="outside the group folder"):
        GroupService(member).sync()
    assert state(member) == before


def test_a_packs_folder_linked_out_of_the_group_is_not_imported(member, folder, tmp_path):
    """packs/ as a symlink to another folder: the pack is skipped, no pack installed."""
    elsewhere = tmp_path / "elsewhere"
    (folder / "packs").rename(elsewhere)
    (folder / "packs").symlink_to(elsewhere, target_is_directory=True)
    packs_before = [p.id for p in PackService(member).list()]
    report = GroupService(member).sync().value
    assert report.packs_added == ()
    assert any("outside the group folder" in p for p in report.problems)
    assert [p.id for p in PackService(member).list()] == packs_before


def test_a_pack_with_a_bad_manifest_is_skipped_and_nothing_is_imported(member, folder):
    """A published .studypack whose manifest is not JSON: skipped with one message."""
    bad = folder / "packs" / "broken.studypack"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("manifest.json", "{this is not json")
    digest = hashlib.sha256(bad.read_bytes()).hexdigest()

    def publish_broken(doc):
        doc["packs"] = [{**doc["packs"][0], "file": "broken.studypack", "sha256": digest}]

    write_group(folder, publish_broken)
    before = member.info().counts
    report = GroupService(member).sync().value
    assert report.packs_added == ()
    assert len(report.problems) == 1 and "broken.studypack" in report.problems[0]
    assert member.info().counts == before
    assert GroupService(member).sync().value.problems == ()  # told once, tried again


def card_path(folder: Path, name: str) -> Path:
    return folder / "cards" / name


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("0" * 32 + ".json", b"this is not json {", "not a readable JSON file"),
        ("1" * 32 + ".json", b"[" * 200_000 + b"]" * 200_000, "readable JSON|nested too deeply"),
        ("2" * 32 + ".json", b"[" * 40 + b"]" * 40, "nested too deeply"),
        ("card (1).json", b"{}", "not a progress card"),
        (".3333.json.999.tmp", b'{"form', "half-written"),
        ("4" * 32 + ".json", json.dumps({"format": 7}).encode(), "newer StudyApp"),
    ],
)
def test_bad_cards_and_leftovers_are_skipped_and_reported_once(
    member, folder, tmp_path, clock, name, content, words
):
    """Each bad card is skipped with one message, the other cards still count, and a
    second sync does not report it again."""
    service = GroupService(member)
    service.sync()
    card_path(folder, name).write_bytes(content)
    first = service.sync().value
    assert len(first.problems) == 1 and re.search(words, first.problems[0])
    assert service.sync().value.problems == ()
    facilitator = open_profile(tmp_path, "facilitator", clock)
    try:
        status = GroupService(facilitator).status()
    finally:
        facilitator.close()
    assert [m.name for m in status.members] == ["Ann"]
    assert len(status.skipped) == 1


def test_a_50_mb_card_is_skipped_without_being_read(member, folder, tmp_path, clock):
    """A 50 MB card is refused by its size, before any of it is parsed."""
    GroupService(member).sync()
    with card_path(folder, "5" * 32 + ".json").open("wb") as stream:
        stream.truncate(50_000_000)
    report = GroupService(member).sync().value
    assert len(report.problems) == 1 and "too large" in report.problems[0]


def test_a_card_linked_out_of_the_folder_is_skipped(member, folder, tmp_path):
    """A card that is a symlink to a file elsewhere is never followed."""
    GroupService(member).sync()
    real = next((folder / "cards").iterdir())
    outside = tmp_path / "outside-card.json"
    outside.write_text(real.read_text().replace(real.stem, "6" * 32))
    card_path(folder, "6" * 32 + ".json").symlink_to(outside)
    report = GroupService(member).sync().value
    assert len(report.problems) == 1 and "link" in report.problems[0]


def test_only_the_members_own_card_is_written_and_atomically(member, folder):
    """The card lands under the member's id; no temporary file is left behind."""
    GroupService(member).sync()
    membership = read_membership(member)
    assert membership is not None
    names = sorted(p.name for p in (folder / "cards").iterdir())
    assert names == [f"{membership.member_id}.json"]


def test_scheduled_exams_for_home_come_from_the_last_sync(member, folder, tmp_path, clock):
    """Home's list of group exams is what the last sync saw, soonest first."""

    def schedule(doc):
        doc["exams"] = [
            {"code": "CETL-5-DTH0XJQ", "date": "2026-12-20"},
            {"code": "CETL-10-AAAAAAA", "date": "2026-12-10"},
        ]

    write_group(folder, schedule)
    assert scheduled_exams(member) == ()
    GroupService(member).sync()
    assert [e.date for e in scheduled_exams(member)] == ["2026-12-10", "2026-12-20"]


def test_leaving_removes_the_card_and_keeps_the_packs(member, folder):
    """After leaving, the card is gone, the profile is in no group, the pack stays."""
    GroupService(member).sync()
    GroupService(member).leave()
    assert list((folder / "cards").iterdir()) == []
    assert read_membership(member) is None
    assert "district-quiz" in [p.id for p in PackService(member).list()]


def test_the_folder_adapter_refuses_to_create_over_an_existing_group(folder):
    """Creating a group where one exists is refused (the facilitator's data stays)."""
    from studyapp.domain.group import GroupFile

    with pytest.raises(GroupError, match="already holds a study group"):
        FolderGroup(folder).create(GroupFile("Other", "X", "t"))


def test_a_cards_folder_linked_out_of_the_group_is_reported_and_not_written(
    member, folder, tmp_path
):
    """cards/ as a symlink elsewhere: the card is not written there and the sync says why."""
    elsewhere = tmp_path / "elsewhere-cards"
    elsewhere.mkdir()
    (folder / "cards").rmdir()
    (folder / "cards").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(GroupError, match="outside the group folder"):
        GroupService(member).sync()
    assert list(elsewhere.iterdir()) == []


def test_a_member_sharing_only_skills_writes_no_exam_results(member, folder):
    """--share skills: the card has mastery and readiness, and no exam results."""
    membership = read_membership(member)
    assert membership is not None
    GroupService(member).leave()
    GroupService(member).join(str(folder), "Ann", "skills")
    GroupService(member).sync()
    (card,) = [json.loads(p.read_text()) for p in (folder / "cards").iterdir()]
    assert card["share"] == "skills" and card["exams"] == [] and card["skills"]
    assert set(card) == {
        "format", "member_id", "name", "written_at", "app_version", "share", "readiness",
        "skills", "exams",
    }  # fmt: skip


def test_a_member_sharing_only_exams_writes_no_skill_figures(member, folder):
    """--share exams: the card has no mastery, no readiness."""
    GroupService(member).leave()
    GroupService(member).join(str(folder), "Ann", "exams")
    GroupService(member).sync()
    (card,) = [json.loads(p.read_text()) for p in (folder / "cards").iterdir()]
    assert card["skills"] == [] and card["readiness"] is None
