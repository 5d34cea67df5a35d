"""Corruption: a damaged database is moved aside (never overwritten) and a good backup offered."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing

import pytest

from studyapp.domain.errors import DatabaseDamagedError
from studyapp.services.backups import BackupService, newest_good_backup, restore_backup
from studyapp.services.profile import Profile
from tests.dbtools import damage_middle_pages, fill, rows_of, sha


def _profile_with_backup(paths, clock, n: int = 150):
    """A closed profile with questions, and one manual backup of it."""
    p = Profile.open(paths, clock, "test")
    try:
        fill(p, n)
        backup = BackupService(p).backup().value.path
    finally:
        p.close()
    return backup


def test_damaged_pages_are_detected_and_the_file_moved_aside(paths, clock):
    """Pages overwritten mid-file: open refuses, the bytes are kept aside, a backup is offered."""
    backup = _profile_with_backup(paths, clock)
    damage_middle_pages(paths.database)
    damaged = sha(paths.database)
    with pytest.raises(DatabaseDamagedError) as caught:
        Profile.open(paths, clock, "test")
    err = caught.value
    assert not paths.database.exists()
    assert err.moved_to.parent == paths.data_dir
    assert err.moved_to.name.startswith("studyapp.sqlite3.damaged-20261123T090000Z")
    assert sha(err.moved_to) == damaged  # moved, not rewritten
    assert err.newest_backup == backup
    message = str(err)
    assert "\n" not in message
    assert f"studyapp --data-dir {paths.data_dir} restore {backup}" in message
    assert not paths.lock_file.exists() or _lock_is_free(paths)


def _lock_is_free(paths) -> bool:
    from studyapp.storage.lock import ProfileLock

    with ProfileLock(paths.lock_file):
        return True


def test_restoring_the_offered_backup_brings_the_profile_back(paths, clock):
    """After the damage report, restoring the suggested backup gives back every row."""
    backup = _profile_with_backup(paths, clock)
    expected = rows_of(backup)
    damage_middle_pages(paths.database)
    with pytest.raises(DatabaseDamagedError) as caught:
        Profile.open(paths, clock, "test")
    report = restore_backup(paths, clock, caught.value.newest_backup)
    assert report.previous_kept is None  # the damaged file was already moved aside
    p = Profile.open(paths, clock, "test")
    p.close()
    assert rows_of(paths.database) == expected


def test_damaged_database_moves_with_its_wal_and_shm(paths, clock):
    """The -wal (bytes unchanged) and the -shm go with the damaged file, renamed alike."""
    _profile_with_backup(paths, clock)
    damage_middle_pages(paths.database)
    wal = paths.database.with_name("studyapp.sqlite3-wal")
    shm = paths.database.with_name("studyapp.sqlite3-shm")
    wal.write_bytes(b"w" * 100)
    shm.write_bytes(b"s" * 100)
    with pytest.raises(DatabaseDamagedError) as caught:
        Profile.open(paths, clock, "test")
    moved = caught.value.moved_to
    assert not wal.exists() and not shm.exists()
    assert moved.with_name(moved.name + "-wal").read_bytes() == b"w" * 100
    # The -shm is SQLite's scratch index of the WAL (rebuilt from it by any reader), so
    # the check may refresh it; what matters is that it stays paired with its WAL.
    assert moved.with_name(moved.name + "-shm").exists()


def test_file_that_is_not_a_database_is_moved_aside(paths, clock):
    """A destroyed header ('file is not a database') counts as damage too."""
    _profile_with_backup(paths, clock)
    with paths.database.open("r+b") as fh:
        fh.write(b"\x00" * 100)
    damaged = sha(paths.database)
    with pytest.raises(DatabaseDamagedError) as caught:
        Profile.open(paths, clock, "test")
    assert sha(caught.value.moved_to) == damaged


def test_no_backup_means_the_report_says_so(paths, clock):
    """Without any good backup the message says none was found, and still moves the file."""
    p = Profile.open(paths, clock, "test")
    fill(p, 150)
    p.close()
    damage_middle_pages(paths.database)
    with pytest.raises(DatabaseDamagedError, match="No good backup was found") as caught:
        Profile.open(paths, clock, "test")
    assert caught.value.newest_backup is None
    assert caught.value.moved_to.exists()


def test_newest_good_backup_skips_damaged_and_foreign_files(paths, clock):
    """A newer damaged backup or a non-StudyApp file is passed over for an older good one."""
    good = _profile_with_backup(paths, clock)
    bad = paths.backups / "studyapp-manual-20261124T090000Z.sqlite3"
    shutil.copyfile(good, bad)
    damage_middle_pages(bad)
    foreign = paths.backups / "notes.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE t (x)")
    past = good.stat().st_mtime_ns
    os.utime(bad, ns=(past + 10**9, past + 10**9))
    os.utime(foreign, ns=(past + 2 * 10**9, past + 2 * 10**9))
    assert newest_good_backup(paths) == good


def test_healthy_database_is_never_moved(paths, clock):
    """Many opens of a healthy database (with writes between) never move or rewrite it."""
    p = Profile.open(paths, clock, "test")
    fill(p, 30)
    p.close()
    for i in range(6):
        clock.advance(13 * 3600)  # crosses days, so daily backups run too
        before = rows_of(paths.database)
        p = Profile.open(paths, clock, "test")
        try:
            assert rows_of(paths.database) == before
            p.update_settings(daily_new_limit=10 + i)
        finally:
            p.close()
    assert sorted(x.name for x in paths.data_dir.iterdir() if "damaged" in x.name) == []
    assert paths.database.exists()
