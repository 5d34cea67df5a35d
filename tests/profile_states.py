"""Profiles in each state an open can meet, made for real on disk (SQLite files in tmp).

Shared by the service tests of :mod:`studyapp.services.opening` and the tests that prove
the CLI and the GUI present the same classification.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from studyapp.config import AppPaths
from studyapp.domain.clock import Clock
from studyapp.services.backups import BackupService
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from tests.dbtools import damage_table_pages, fill

KINDS = ("damaged_with_backup", "damaged_no_backup", "too_new", "in_use", "unusable")


def make_state(kind: str, paths: AppPaths, clock: Clock) -> Profile | None:
    """Leave the profile at ``paths`` in state ``kind``; returns a profile the caller must
    close (the one holding the lock, for ``in_use``), else None.

    Damage lands in the ``option`` table, which opening never reads: the ordinary open
    (checked first) and the GUI's open (checked beside) both meet it.
    """
    if kind == "unusable":  # the profile folder is a file
        paths.data_dir.parent.mkdir(parents=True, exist_ok=True)
        paths.data_dir.write_text("not a folder", encoding="utf-8")
        return None
    p = Profile.open(paths, clock, "test")
    try:
        PackService(p).seed_shipped()  # as any first start leaves it
        fill(p, 150)
        if kind == "damaged_with_backup":
            BackupService(p).backup()
    except BaseException:
        p.close()
        raise
    if kind == "in_use":
        return p
    p.close()
    if kind.startswith("damaged"):
        damage_table_pages(paths.database, "option")
    elif kind == "too_new":
        with closing(sqlite3.connect(paths.database)) as conn, conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    else:
        raise ValueError(kind)
    return None
