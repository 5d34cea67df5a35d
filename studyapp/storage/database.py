"""Opening a profile database: version check, backup, migration, sessions.

:meth:`Database.open` is the one way in. It refuses a database from a newer StudyApp
before writing anything, copies an older one aside before upgrading it, then migrates
to the head revision.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from studyapp.domain.errors import ProfileError, WriteFailedError
from studyapp.storage import migrate
from studyapp.storage.engine import make_engine
from studyapp.storage.sqlite_errors import write_failure_reason


@dataclass(frozen=True, slots=True)
class OpenReport:
    """What opening did: the revision before and after, and any pre-upgrade copy."""

    revision_before: str | None
    revision: str
    upgrade_backup: Path | None


class Database:
    """A migrated profile database and its session factory."""

    def __init__(self, path: Path, engine: Engine, report: OpenReport) -> None:
        self.path = path
        self.engine = engine
        self.report = report
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.writes = 0
        event.listen(engine, "commit", self._count_write)
        self._keeper = _keeper_connection(path)

    def _count_write(self, conn: Connection) -> None:
        """Count commits that changed rows (so a close-time backup can skip an idle session).

        With one connection per checkout (NullPool), ``total_changes`` is what this
        connection's transactions changed.
        """
        dbapi = conn.connection.dbapi_connection
        if isinstance(dbapi, sqlite3.Connection) and dbapi.total_changes:
            self.writes += 1

    @classmethod
    def open(cls, path: Path, app_version: str) -> Database:
        """Open (creating if needed) and migrate the database at ``path``.

        Raises :class:`~studyapp.domain.errors.SchemaTooNewError` for a database from a
        newer StudyApp, untouched; :class:`ProfileError` when the file is unusable.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        before = migrate.check_revision(path, app_version)
        backup: Path | None = None
        if before is not None and before != migrate.head_revision():
            backup = migrate.backup_before_upgrade(path, before)
        engine = make_engine(path)
        try:
            migrate.upgrade_to_head(engine)
        except OperationalError as exc:
            engine.dispose()
            reason = write_failure_reason(exc.orig) or (
                f"SQLite said: {exc.orig}; check that the folder is writable and the disk is "
                "not full"
            )
            raise ProfileError(
                f"Could not prepare the database {path}: {reason}. It was left as it was."
            ) from exc
        report = OpenReport(before, migrate.head_revision(), backup)
        return cls(path, engine, report)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any exception.

        A write the environment refuses (disk full, read-only file or folder, I/O error)
        rolls back and becomes :class:`WriteFailedError` saying why: the database is as it
        was before the unit of work began.
        """
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            reason = write_failure_reason(exc.orig)
            if reason is None:
                raise
            raise WriteFailedError(
                f"Could not save the change to {self.path}: {reason}. Nothing was changed."
            ) from exc

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reads; nothing it does is committed."""
        with self._sessions() as session:
            yield session

    def schema_revision(self) -> str | None:
        """The revision the database is at now."""
        return migrate.current_revision(self.engine)

    def close(self) -> None:
        """Release every connection (checkpointing the WAL on the last one)."""
        self.engine.dispose()
        if self._keeper is not None:
            keeper, self._keeper = self._keeper, None
            keeper.close()


def _keeper_connection(path: Path) -> sqlite3.Connection | None:
    """An idle connection held while the database is open, closed by :meth:`Database.close`.

    Sessions use one connection per checkout (NullPool). When the last connection to a WAL
    database closes, SQLite checkpoints the WAL and deletes it; without this keeper every
    session did so, which cost two extra fsyncs per answer (about 10-25 ms here; see
    docs/performance.md). The keeper runs no transaction, so it never blocks a checkpoint.
    """
    try:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    except sqlite3.Error:
        return None  # only a speed-up: sessions open their own connections anyway
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # attach to the WAL now
    except sqlite3.Error:
        conn.close()
        return None
    return conn
