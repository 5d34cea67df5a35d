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


# ------------------------------------------------------------ the check beside the GUI's open
def _open_in_background(paths, clock):
    """Profile.open as the GUI calls it; the damaged file may also fail during the open."""
    return Profile.open(paths, clock, "test", background_check=True)


def test_background_check_holds_writes_of_a_damaged_database_and_changes_no_byte(paths, clock):
    """Opened before its check, a damaged profile refuses every write once the check fails;
    closing it writes nothing; the ordinary open then moves it aside, bytes unchanged."""
    from studyapp.services.damage_check import WritesHeldError

    backup = _profile_with_backup(paths, clock)
    damage_middle_pages(paths.database)
    damaged = sha(paths.database)
    p = _open_in_background(paths, clock)  # the damage is in pages opening does not read
    assert p.check is not None, "a checked, settled database opens before its check"
    assert p.check.wait(60) and not p.check.passed
    with pytest.raises(WritesHeldError):
        p.update_settings(daily_new_limit=7)
    p.close()
    assert sha(paths.database) == damaged
    with pytest.raises(DatabaseDamagedError) as caught:
        Profile.open(paths, clock, "test")
    assert sha(caught.value.moved_to) == damaged
    assert caught.value.newest_backup == backup


def test_background_check_of_a_healthy_database_lets_writes_through(paths, clock):
    """The check passes; writes go ahead; the daily backup waits for the caller."""
    _profile_with_backup(paths, clock)
    clock.advance(2 * 86400)  # a daily backup is due
    before = {b.name for b in paths.backups.iterdir()}
    p = _open_in_background(paths, clock)
    try:
        assert p.check is not None
        assert {b.name for b in paths.backups.iterdir()} == before  # not before the check
        p.update_settings(daily_new_limit=7)  # waits for the verdict, then writes
        assert p.check.done and p.check.passed
        assert p.settings().daily_new_limit == 7
        p.backup_daily_if_due()
        assert len({b.name for b in paths.backups.iterdir()} - before) == 1
    finally:
        p.close()
    assert sorted(x.name for x in paths.data_dir.iterdir() if "damaged" in x.name) == []


def test_a_write_waits_for_the_checks_verdict(paths, clock, monkeypatch):
    """While the check runs, a write is not in the file; it lands once the check passes."""
    import threading

    from studyapp.services import damage_check

    _profile_with_backup(paths, clock)
    release = threading.Event()
    real = damage_check.check_database

    def slow_check(path):
        release.wait(30)
        return real(path)

    monkeypatch.setattr(damage_check, "check_database", slow_check)
    p = _open_in_background(paths, clock)
    try:
        done = threading.Event()
        thread = threading.Thread(target=lambda: (p.update_settings(daily_new_limit=9), done.set()))
        thread.start()
        assert not done.wait(0.3)
        assert '"daily_new_limit"' not in "".join(rows_of(paths.database))
        release.set()
        assert done.wait(30)
        thread.join(10)
        assert p.settings().daily_new_limit == 9
    finally:
        release.set()
        p.close()


@pytest.mark.parametrize("reason", ["new", "wal", "older-schema"])
def test_databases_that_need_writing_to_open_are_checked_first(paths, clock, reason, monkeypatch):
    """A new profile, a leftover WAL (closing would checkpoint it) or a due migration:
    the check runs before the open, as it always did."""
    from studyapp.services import profile as profile_module
    from studyapp.services.damage_check import check_can_wait

    if reason != "new":
        _profile_with_backup(paths, clock)
        assert check_can_wait(paths.database)
    if reason == "wal":
        paths.database.with_name("studyapp.sqlite3-wal").write_bytes(b"w" * 100)
    elif reason == "older-schema":
        with closing(sqlite3.connect(paths.database)) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0002'")
            conn.commit()
    assert not check_can_wait(paths.database)
    checked: list[object] = []

    class StopError(Exception):
        pass

    def check_first(p, c):
        checked.append(p)
        raise StopError

    monkeypatch.setattr(profile_module, "move_aside_if_damaged", check_first)
    with pytest.raises(StopError):
        _open_in_background(paths, clock)
    assert checked == [paths]
