"""Backups: consistent with the WAL active, automatic before risky steps, daily, rotated."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import closing

import pytest

from studyapp.domain.errors import BackupError, PackError
from studyapp.services.backups import BackupService, list_backups
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from tests.dbtools import count, fill, journal_mode, rows_of
from tests.packs.factory import pack, question

REVIEWS = "SELECT count(*) FROM review_log"


@pytest.fixture
def profile(paths, clock):
    p = Profile.open(paths, clock, "test")
    yield p
    p.close()


def _insert_reviews(conn: sqlite3.Connection, start: int, n: int) -> None:
    for i in range(start, start + n):
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO review_log (question_ref, skill_key, answered_at, chosen, correct, "
            "response_ms, mode, rating, guessed) VALUES (?, 'leadership-vision', ?, '[\"a\"]', "
            "1, 1000, 'practice', 3, 0)",
            (f"p/q{i}", 1_700_000_000_000 + i),
        )
        conn.execute("COMMIT")


def test_backup_includes_commits_still_in_the_wal(profile, tmp_path):
    """Commits still only in the WAL are in the backup; a plain file copy misses them."""
    fill(profile, 20)
    keeper = sqlite3.connect(profile.paths.database, isolation_level=None)
    try:
        keeper.execute("PRAGMA wal_autocheckpoint=0")
        keeper.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _insert_reviews(keeper, 0, 50)
        wal = profile.paths.database.with_name(profile.paths.database.name + "-wal")
        assert wal.stat().st_size > 0
        naive = tmp_path / "naive-copy.sqlite3"
        shutil.copyfile(profile.paths.database, naive)
        assert count(naive, REVIEWS) == 0  # the rows live only in the WAL
        made = BackupService(profile).backup().value
        assert count(made.path, REVIEWS) == 50
    finally:
        keeper.close()


def test_backup_taken_during_writes_is_a_consistent_snapshot(profile):
    """Backups taken while another connection commits are intact and hold whole commits."""
    fill(profile, 20)
    stop, started = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        conn = sqlite3.connect(profile.paths.database, isolation_level=None, timeout=10)
        try:
            i = 0
            while not stop.is_set() and i < 5_000:
                _insert_reviews(conn, i, 1)
                i += 1
                if i == 10:
                    started.set()
        except sqlite3.Error as exc:  # reported by the test below
            errors.append(exc)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(60)
    try:
        made = [BackupService(profile).backup().value.path for _ in range(8)]
    finally:
        stop.set()
        thread.join()
    assert errors == []
    seen = []
    for path in made:
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            refs = [r[0] for r in conn.execute("SELECT question_ref FROM review_log ORDER BY id")]
        # Every commit is whole and in order: the refs are exactly p/q0 .. p/q(n-1).
        assert refs == [f"p/q{i}" for i in range(len(refs))]
        seen.append(len(refs))
    assert seen == sorted(seen) and seen[0] >= 10


def test_backup_is_one_self_contained_file(profile):
    """A backup uses a rollback journal, so it is complete without any -wal file."""
    fill(profile, 5)
    made = BackupService(profile).backup().value
    assert made.kind == "manual" and made.path.parent == profile.paths.backups
    assert made.path.name == "studyapp-manual-20261123T090000Z.sqlite3"
    assert journal_mode(made.path) == "delete"
    assert not made.path.with_name(made.path.name + "-wal").exists()
    assert rows_of(made.path) == rows_of(profile.paths.database)
    assert list(profile.paths.backups.glob("*.partial*")) == []


def test_backup_out_never_overwrites_a_file(profile, tmp_path):
    """--out to an existing file is refused and the file is untouched."""
    target = tmp_path / "mine.sqlite3"
    target.write_bytes(b"precious")
    with pytest.raises(BackupError, match="already exists"):
        BackupService(profile).backup(target)
    assert target.read_bytes() == b"precious"
    fresh = tmp_path / "fresh.sqlite3"
    assert BackupService(profile).backup(fresh).value.path == fresh
    assert rows_of(fresh) == rows_of(profile.paths.database)


def test_same_second_backups_get_distinct_names(profile):
    """Two backups at the same clock moment do not overwrite each other."""
    a = BackupService(profile).backup().value.path
    b = BackupService(profile).backup().value.path
    assert a != b and a.exists() and b.exists()
    assert b.name == "studyapp-manual-20261123T090000Z.2.sqlite3"


def test_rotation_keeps_newest_automatic_and_every_manual(profile, clock):
    """Only automatic backups beyond backup_keep are removed, oldest first."""
    profile.update_settings(backup_keep=3)
    service = BackupService(profile)
    manual = service.backup().value.path
    pre_restore = profile.paths.backups / "studyapp-pre-restore-20200101T000000Z.sqlite3"
    shutil.copyfile(manual, pre_restore)
    autos = []
    for _ in range(5):
        clock.advance(3600)
        autos.append(service.backup_before("pack-update").path)
    left = {b.path for b in list_backups(profile.paths)}
    assert left == {manual, pre_restore, *autos[-3:]}


def test_daily_backup_once_a_day_on_open(paths, clock):
    """Opening an existing profile makes a daily backup only when none is a day old."""
    Profile.open(paths, clock, "test").close()  # a new profile: nothing to back up yet
    assert list_backups(paths) == []
    Profile.open(paths, clock, "test").close()
    first = list_backups(paths)
    assert [(b.kind, b.reason) for b in first] == [("automatic", "daily")]
    clock.advance(23 * 3600)
    Profile.open(paths, clock, "test").close()
    assert list_backups(paths) == first
    clock.advance(2 * 3600)
    Profile.open(paths, clock, "test").close()
    assert [b.reason for b in list_backups(paths)] == ["daily", "daily"]


def test_daily_backup_can_be_turned_off(paths, clock):
    """backup_daily = false: opening makes no backup."""
    p = Profile.open(paths, clock, "test")
    p.update_settings(backup_daily=False)
    p.close()
    clock.advance(3 * 86400)
    Profile.open(paths, clock, "test").close()
    assert list_backups(paths) == []


def test_pack_update_and_removal_are_backed_up_first(profile, clock):
    """Updating, downgrading (when allowed) and removing a pack each leave a backup of before."""
    service = PackService(profile)
    service.apply(pack([question("q1")], version="1.0.0"))
    assert list_backups(profile.paths) == []  # a first install replaces nothing
    before_update = rows_of(profile.paths.database)
    service.apply(pack([question("q1"), question("q2")], version="1.1.0"))
    [update] = list_backups(profile.paths)
    assert update.reason == "pack-update"
    assert rows_of(update.path) == before_update
    with pytest.raises(PackError):
        service.apply(pack([question("q1")], version="1.0.0"))
    assert len(list_backups(profile.paths)) == 1  # a refused downgrade replaces nothing
    clock.advance(1)
    service.apply(pack([question("q1")], version="1.0.0"), allow_downgrade=True)
    clock.advance(1)
    before_remove = rows_of(profile.paths.database)
    service.remove("test-pack")
    reasons = [b.reason for b in list_backups(profile.paths)]
    assert reasons == ["pack-update", "pack-downgrade", "pack-remove"]
    assert rows_of(list_backups(profile.paths)[-1].path) == before_remove


def test_update_does_not_happen_when_its_backup_cannot_be_written(profile):
    """No backup, no update: the pack stays at its old version."""
    service = PackService(profile)
    service.apply(pack([question("q1")], version="1.0.0"))
    profile.paths.backups.write_text("a file where the folder should be")
    before = rows_of(profile.paths.database)
    with pytest.raises(BackupError, match="backups folder"):
        service.apply(pack([question("q1"), question("q2")], version="2.0.0"))
    assert rows_of(profile.paths.database) == before
    assert [p.version for p in service.list()] == ["1.0.0"]


def test_close_backup_only_after_a_session_that_wrote(paths, clock):
    """backup_on_close makes a copy when the session changed data, and nothing otherwise."""
    p = Profile.open(paths, clock, "test")
    fill(p, 3)
    p.close()
    idle = Profile.open(paths, clock, "test")
    try:
        assert BackupService(idle).backup_on_close() is None
    finally:
        idle.close()
    busy = Profile.open(paths, clock, "test")
    try:
        busy.update_settings(daily_new_limit=5)
        made = BackupService(busy).backup_on_close()
    finally:
        busy.close()
    assert made is not None and made.reason == "close"
    assert count(made.path, "SELECT count(*) FROM setting WHERE key = 'daily_new_limit'") == 1


def test_files_the_app_did_not_name_are_listed_as_other_and_kept(profile):
    """Odd names in the backups folder (even date-like ones) are never rotated away."""
    profile.update_settings(backup_keep=1)
    profile.paths.backups.mkdir(parents=True)
    odd = [
        profile.paths.backups / "studyapp-auto-20261399T999999Z-daily.sqlite3",
        profile.paths.backups / "my-copy.sqlite3",
    ]
    for path in odd:
        path.write_bytes(b"")
    service = BackupService(profile)
    service.backup_before("pack-update")
    service.backup_before("pack-update")
    kinds = {b.path: b.kind for b in list_backups(profile.paths)}
    assert all(kinds[p] == "other" for p in odd)
    assert sum(k == "automatic" for k in kinds.values()) == 1
