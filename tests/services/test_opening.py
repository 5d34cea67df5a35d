"""The one open-and-recover path (services.opening): every state an open can meet comes
back classified, with its sentence and exit status, and nothing left open."""

from __future__ import annotations

import pytest

from studyapp.domain.errors import (
    DatabaseDamagedError,
    ExitCode,
    ProfileError,
    ProfileInUseError,
    SchemaTooNewError,
    command_line_text,
)
from studyapp.services.opening import OpenStatus, open_profile, reopen_after_failed_check
from studyapp.services.packs.service import PackService
from studyapp.storage.lock import ProfileLock
from tests.dbtools import sha
from tests.profile_states import make_state


def test_a_new_profile_opens_created_seeded_and_with_its_settings(paths, clock):
    """A first open creates the profile, imports the shipped pack and reads the settings."""
    first = open_profile(paths, clock, "test")
    try:
        assert first.status is OpenStatus.OPENED and first.opened and first.created
        assert first.error is None and first.message == "" and first.exit_code is ExitCode.OK
        assert first.settings == first.profile_or_raise().settings()
        assert "cetl-core" in {p.id for p in PackService(first.profile_or_raise()).list()}
    finally:
        first.profile_or_raise().close()
    again = open_profile(paths, clock, "test")
    assert again.opened and not again.created
    again.profile_or_raise().close()


@pytest.mark.parametrize(
    ("kind", "status", "error"),
    [
        ("damaged_with_backup", OpenStatus.DAMAGED_WITH_BACKUP, DatabaseDamagedError),
        ("damaged_no_backup", OpenStatus.DAMAGED_NO_BACKUP, DatabaseDamagedError),
        ("too_new", OpenStatus.TOO_NEW, SchemaTooNewError),
        ("in_use", OpenStatus.IN_USE, ProfileInUseError),
        ("unusable", OpenStatus.UNUSABLE, ProfileError),
    ],
)
def test_each_refusal_is_classified_with_its_sentence_and_exit_status(
    paths, clock, kind, status, error
):
    """A refused open returns (never raises) its status, its error's one-line sentence and
    exit status 3, and holds nothing open."""
    holder = make_state(kind, paths, clock)
    before = sha(paths.database) if kind == "too_new" else None
    try:
        result = open_profile(paths, clock, "test")
        assert result.status is status
        assert isinstance(result.error, error) and result.profile is None
        assert result.message == command_line_text(result.error) and "\n" not in result.message
        # Each refusal but damage names the command line's way to another profile folder.
        assert ("--data-dir" in result.message) == (kind != "damaged_no_backup")
        assert result.exit_code is ExitCode.PROFILE and not result.created
        with pytest.raises(error):
            result.profile_or_raise()
    finally:
        if holder is not None:
            holder.close()
    if kind != "unusable":  # this open took no lock or released it
        with ProfileLock(paths.lock_file):
            pass
    if before is not None:  # a newer database is left untouched
        assert sha(paths.database) == before


def test_damage_offers_the_newest_good_backup_only_when_there_is_one(paths, clock, tmp_path):
    """DAMAGED_WITH_BACKUP names the backup to restore; DAMAGED_NO_BACKUP names none and
    says so; both name where the damaged file went."""
    make_state("damaged_with_backup", paths, clock)
    with_backup = open_profile(paths, clock, "test")
    assert with_backup.backup_to_restore is not None
    assert with_backup.backup_to_restore.parent == paths.backups
    assert f"restore {with_backup.backup_to_restore}" in with_backup.message
    other = paths.__class__(data_dir=tmp_path / "other", log_dir=tmp_path / "logs")
    make_state("damaged_no_backup", other, clock)
    without = open_profile(other, clock, "test")
    assert without.backup_to_restore is None and "No good backup was found" in without.message
    for result in (with_backup, without):
        assert result.moved_to is not None and result.moved_to.exists()


def test_a_failed_background_check_reopens_the_ordinary_way_and_reports_damage(paths, clock):
    """The GUI's open (check beside it) of a damaged file opens; once the check fails,
    reopening moves the file aside with its bytes unchanged and classifies it as damage."""
    make_state("damaged_with_backup", paths, clock)
    damaged = sha(paths.database)
    first = open_profile(paths, clock, "test", background_check=True)
    profile = first.profile_or_raise()
    assert profile.check is not None
    profile.check.wait()
    assert not profile.check.passed
    result = reopen_after_failed_check(profile, "test")
    assert result.status is OpenStatus.DAMAGED_WITH_BACKUP
    assert result.moved_to is not None and sha(result.moved_to) == damaged
    assert not paths.database.exists()


def test_progress_tells_a_first_start_and_the_shipped_import_in_words(paths, clock):
    """The progress callback hears "Setting up your profile…" first, then the import."""
    heard: list[str] = []
    result = open_profile(paths, clock, "test", progress=lambda d, t, text: heard.append(text))
    result.profile_or_raise().close()
    assert heard[0] == "Setting up your profile…"
    assert heard[-1].startswith("Importing the CETL question bank: ")
