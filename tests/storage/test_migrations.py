"""Migrations: models and the migration head agree; the chain is linear from 0001."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from studyapp.storage import migrate
from studyapp.storage.database import Database
from studyapp.storage.models import Base


def test_models_and_migration_head_agree(tmp_path):
    """Autogenerate finds no difference between the ORM models and the migrated schema."""
    db = Database.open(tmp_path / "db.sqlite3", "test")
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        db.close()


def test_chain_is_linear_and_starts_at_0001():
    """One head, one base, and the first revision is 0001."""
    script = migrate.script_directory()
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    assert migrate.known_revisions()[0] == "0001"


def test_pragmas_are_set(tmp_path):
    """WAL, foreign keys and synchronous=FULL on every connection."""
    db = Database.open(tmp_path / "db.sqlite3", "test")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        db.close()


def test_backup_before_upgrade_is_a_consistent_copy(tmp_path):
    """The pre-upgrade copy holds the same rows and never overwrites an earlier copy."""
    path = tmp_path / "db.sqlite3"
    db = Database.open(path, "test")
    db.close()
    first = migrate.backup_before_upgrade(path, "0001")
    second = migrate.backup_before_upgrade(path, "0001")
    assert first != second and first.parent == path.parent
    with closing(sqlite3.connect(path)) as a, closing(sqlite3.connect(first)) as b:
        assert list(a.iterdump()) == list(b.iterdump())


def test_older_database_is_copied_beside_it_then_upgraded(tmp_path, monkeypatch):
    """An existing database below head gets a copy beside it before the upgrade runs."""
    path = tmp_path / "db.sqlite3"
    Database.open(path, "test").close()
    # Pretend this build knows one more revision than the file is at.
    monkeypatch.setattr(migrate, "head_revision", lambda: "0002")
    monkeypatch.setattr(migrate, "known_revisions", lambda: ["0001", "0002"])
    monkeypatch.setattr(migrate, "upgrade_to_head", lambda engine: None)
    db = Database.open(path, "test")
    db.close()
    assert db.report.upgrade_backup is not None
    assert db.report.upgrade_backup.parent == path.parent
    assert db.report.upgrade_backup.name.startswith("db.sqlite3.pre-upgrade-0001")
