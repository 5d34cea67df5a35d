"""Full or read-only disk: a refused write leaves the database as it was and says why.

Tests run as root in CI, where ``chmod`` does not stop writes. So the refusals are made
by SQLite itself on each new connection: ``max_page_count`` pinned to the current size
gives "database or disk is full" exactly as a full disk does, and ``query_only`` gives
"attempt to write a readonly database" as a read-only file does. A real ``chmod`` test
runs too when not root.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from contextlib import closing

import pytest
from sqlalchemy import event

from studyapp.domain.errors import WriteFailedError
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from tests.dbtools import fill, rows_of
from tests.packs.factory import pack, question


@pytest.fixture
def profile(paths, clock):
    p = Profile.open(paths, clock, "test")
    fill(p, 10)
    yield p
    p.close()


def _page_count(path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])


def _big_pack():
    return pack([question(f"big{i}", stem="x " * 400) for i in range(200)], pack_id="big")


def test_full_disk_leaves_database_as_it_was_and_says_why(profile):
    """'database or disk is full' mid-import: WriteFailedError, every row unchanged, then fine."""
    before = rows_of(profile.paths.database)
    limit = _page_count(profile.paths.database)

    def pin_size(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {limit}")

    event.listen(profile.db.engine, "connect", pin_size)
    try:
        with pytest.raises(WriteFailedError) as caught:
            PackService(profile).apply(_big_pack())
    finally:
        event.remove(profile.db.engine, "connect", pin_size)
    message = str(caught.value)
    assert "disk is full" in message and "Nothing was changed" in message
    assert "\n" not in message
    assert rows_of(profile.paths.database) == before
    assert PackService(profile).apply(_big_pack()).value.added == 200  # space is back


def test_read_only_database_leaves_it_as_it_was_and_says_why(profile):
    """'attempt to write a readonly database': WriteFailedError naming read-only, no change."""
    before = rows_of(profile.paths.database)

    def read_only(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA query_only = ON")

    event.listen(profile.db.engine, "connect", read_only)
    try:
        with pytest.raises(WriteFailedError, match="read-only"):
            profile.update_settings(daily_new_limit=7)
        with pytest.raises(WriteFailedError, match="read-only"):
            PackService(profile).apply(_big_pack())
    finally:
        event.remove(profile.db.engine, "connect", read_only)
    assert rows_of(profile.paths.database) == before
    assert profile.settings().daily_new_limit != 7


def test_other_database_errors_are_not_blamed_on_the_disk(profile):
    """A constraint violation is not dressed up as a disk problem."""
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), profile.db.unit_of_work() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO pack (id, key) VALUES (1, 'duplicate-id')"
        )


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root (and Windows) ignore chmod"
)
def test_chmod_read_only_file_is_reported(profile):
    """A database file made read-only by permissions: the write fails clearly, nothing changes."""
    db = profile.paths.database
    before = rows_of(db)
    mode = db.stat().st_mode
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        with pytest.raises(WriteFailedError):
            profile.update_settings(daily_new_limit=7)
    finally:
        db.chmod(mode)
    assert rows_of(db) == before
