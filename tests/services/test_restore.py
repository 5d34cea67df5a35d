"""Restore: the backup is checked first, the current database is kept, then replaced."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from studyapp.domain.errors import BackupError, ProfileInUseError
from studyapp.services.backups import BackupService, list_backups, restore_backup
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from tests.dbtools import damage_middle_pages, fill, rows_of, sha


@pytest.fixture
def backed_up(paths, clock):
    """A profile with pack A backed up, then pack B added; returns the backup's path."""
    p = Profile.open(paths, clock, "test")
    try:
        fill(p, 40, pack_id="pack-a")
        backup = BackupService(p).backup().value.path
        fill(p, 10, pack_id="pack-b")
    finally:
        p.close()
    return backup


def _packs(paths, clock) -> list[str]:
    p = Profile.open(paths, clock, "test")
    try:
        return [x.id for x in PackService(p).list()]
    finally:
        p.close()


def test_restore_replaces_the_database_and_keeps_the_current_one(paths, clock, backed_up):
    """The restored profile is the backup; the replaced one is kept as a pre-restore copy."""
    before = rows_of(paths.database)
    clock.advance(60)
    report = restore_backup(paths, clock, backed_up)
    assert report.schema_revision and report.previous_kept is not None
    assert report.previous_kept.name == "studyapp-pre-restore-20261123T090100Z.sqlite3"
    assert rows_of(report.previous_kept) == before
    assert rows_of(paths.database) == rows_of(backed_up)
    assert not paths.database.with_name("studyapp.sqlite3-wal").exists()
    assert _packs(paths, clock) == ["pack-a"]
    kinds = {b.path: b.kind for b in list_backups(paths)}
    assert kinds[report.previous_kept] == "pre-restore"


def test_restore_of_the_pre_restore_copy_undoes_a_restore(paths, clock, backed_up):
    """Restoring the kept copy brings back exactly what the restore replaced."""
    before = rows_of(paths.database)
    kept = restore_backup(paths, clock, backed_up).previous_kept
    restore_backup(paths, clock, kept)
    assert rows_of(paths.database) == before


@pytest.mark.parametrize("kind", ["damaged", "foreign", "newer", "missing", "garbage", "self"])
def test_unusable_backup_is_refused_and_nothing_changes(paths, clock, backed_up, tmp_path, kind):
    """A damaged, foreign, too-new, missing or non-database file is refused before any change."""
    candidate = tmp_path / "candidate.sqlite3"
    if kind == "damaged":
        shutil.copyfile(backed_up, candidate)
        damage_middle_pages(candidate)
        expected = "failed its integrity check"
    elif kind == "foreign":
        with closing(sqlite3.connect(candidate)) as conn:
            conn.execute("CREATE TABLE notes (x)")
        expected = "not a StudyApp backup"
    elif kind == "newer":
        shutil.copyfile(backed_up, candidate)
        with closing(sqlite3.connect(candidate)) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
            conn.commit()
        expected = "made by a newer StudyApp"
    elif kind == "missing":
        expected = "does not exist"
    elif kind == "garbage":
        candidate.write_bytes(b"not a database at all" * 300)
        expected = "failed its integrity check"
    else:
        candidate = paths.database
        expected = "the profile's own database"
    before = sha(paths.database)
    backups_before = list_backups(paths)
    with pytest.raises(BackupError, match=expected) as caught:
        restore_backup(paths, clock, candidate)
    assert "\n" not in str(caught.value)
    assert sha(paths.database) == before
    assert list_backups(paths) == backups_before


def test_restore_is_refused_while_the_profile_is_open(paths, clock, backed_up):
    """An open profile holds the lock: restore says it is in use and changes nothing."""
    p = Profile.open(paths, clock, "test")
    try:
        before = rows_of(paths.database)
        with pytest.raises(ProfileInUseError, match="in use by another StudyApp"):
            restore_backup(paths, clock, backed_up)
        assert rows_of(paths.database) == before
    finally:
        p.close()


def test_restore_into_an_empty_profile_folder(tmp_path, clock, backed_up):
    """A backup can be restored where no database exists yet (nothing to keep)."""
    from studyapp.config import AppPaths

    other = AppPaths(data_dir=tmp_path / "elsewhere", log_dir=tmp_path / "logs2")
    report = restore_backup(other, clock, backed_up)
    assert report.previous_kept is None
    assert _packs(other, clock) == ["pack-a"]
