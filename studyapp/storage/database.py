"""Opening a profile database: version check, backup, migration, sessions.

:meth:`Database.open` is the one way in. It refuses a database from a newer StudyApp
before writing anything, copies an older one aside before upgrading it, then migrates
to the head revision.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from studyapp.domain.errors import ProfileError
from studyapp.storage import migrate
from studyapp.storage.engine import make_engine


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
            raise ProfileError(
                f"Could not prepare the database {path}: {exc.orig}. Check that the folder is "
                "writable and the disk is not full."
            ) from exc
        report = OpenReport(before, migrate.head_revision(), backup)
        return cls(path, engine, report)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any exception."""
        with self._sessions.begin() as session:
            yield session

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
