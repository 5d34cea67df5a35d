"""Opening a profile and describing it.

:class:`Profile` is what every other service works on: the migrated database, the clock,
the paths. Opening it also loads the shipped framework definitions, so a fresh profile
knows CETL's 3 categories and 10 skill areas before any pack is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studyapp.config import AppPaths, package_data_dir
from studyapp.domain.clock import Clock
from studyapp.domain.errors import ProfileError
from studyapp.domain.framework import Framework
from studyapp.domain.settings import Settings
from studyapp.packs.framework_files import read_framework_dir
from studyapp.services.backups import BackupService, move_aside_if_damaged
from studyapp.services.changes import Change, Outcome
from studyapp.services.damage_check import BackgroundCheck, check_can_wait
from studyapp.storage.counts import profile_counts
from studyapp.storage.database import Database, WriteGate
from studyapp.storage.frameworks import load_frameworks, upsert_framework
from studyapp.storage.lock import ProfileLock
from studyapp.storage.settings import read_settings, write_settings


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """What ``studyapp info`` reports."""

    data_dir: Path
    database: Path
    schema_revision: str | None
    app_version: str
    counts: dict[str, int]
    frameworks: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The documented ``info --json`` document (keys only ever grow)."""
        return {
            "data_dir": str(self.data_dir),
            "database": str(self.database),
            "schema_revision": self.schema_revision,
            "app_version": self.app_version,
            "counts": dict(self.counts),
            "frameworks": list(self.frameworks),
        }


class Profile:
    """An open profile: database, clock and paths, and the lock that makes it ours."""

    def __init__(
        self,
        paths: AppPaths,
        db: Database,
        clock: Clock,
        app_version: str,
        lock: ProfileLock | None = None,
    ) -> None:
        self.paths = paths
        self.db = db
        self.clock = clock
        self.app_version = app_version
        self.lock = lock
        self.check: BackgroundCheck | None = None

    @classmethod
    def open(
        cls, paths: AppPaths, clock: Clock, app_version: str, *, background_check: bool = False
    ) -> Profile:
        """Create or open the profile folder, migrate, and load shipped frameworks.

        In order: take the profile lock (:class:`ProfileInUseError` if another StudyApp
        has it), ``quick_check`` an existing database (a damaged one is moved aside and
        :class:`DatabaseDamagedError` raised), migrate (copying an older database aside
        first), load the shipped frameworks, then make the daily backup if one is due.
        The lock is held until :meth:`close`.

        With ``background_check`` (the GUI), a database that opens without writing
        (:func:`~studyapp.services.damage_check.check_can_wait`) is opened while its
        ``quick_check`` runs on a thread of its own (:attr:`check`); every write waits
        for the verdict and is refused if the check does not pass, and the daily backup
        is left to the caller (:meth:`backup_daily_if_due`, once the check passed), so
        neither the file nor a backup of it is made from a damaged database.
        """
        try:
            paths.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProfileError(
                f"Could not create the profile folder {paths.data_dir}: {exc.strerror or exc}.",
                other_folder=True,
            ) from exc
        lock = ProfileLock(paths.lock_file).acquire()
        db: Database | None = None
        check: BackgroundCheck | None = None
        try:
            if background_check and check_can_wait(paths.database):
                check = BackgroundCheck(paths.database, WriteGate()).start()
            else:
                move_aside_if_damaged(paths, clock)
            db = Database.open(paths.database, app_version)
            if check is not None:
                db.gate = check.gate
            profile = cls(paths, db, clock, app_version, lock)
            profile.check = check
            profile.sync_frameworks(read_framework_dir(package_data_dir() / "frameworks"))
            if check is None:
                profile.backup_daily_if_due()
        except BaseException:
            if db is not None:
                db.close()
            try:
                if check is not None:
                    check.wait()
                    if not check.passed:  # the failure may come from the damage: say so
                        move_aside_if_damaged(paths, clock)
            finally:
                lock.release()
            raise
        return profile

    def backup_daily_if_due(self) -> None:
        """The daily backup when due (:meth:`BackupService.backup_daily_if_due`); not for a
        profile that was just created, which has nothing to keep."""
        if self.db.report.revision_before is not None:
            BackupService(self).backup_daily_if_due()

    def sync_frameworks(self, frameworks: list[Framework]) -> Outcome[int]:
        """Store these framework definitions; the value is how many changed."""
        with self.db.unit_of_work() as session:
            changed = sum(upsert_framework(session, fw) for fw in frameworks)
        return Outcome(changed, Change.FRAMEWORKS if changed else Change.NONE)

    def frameworks(self) -> list[Framework]:
        """Every framework the profile knows."""
        with self.db.reader() as session:
            return load_frameworks(session)

    def info(self) -> ProfileInfo:
        """Folder, database, schema revision and counts."""
        with self.db.reader() as session:
            counts = profile_counts(session)
            keys = tuple(fw.id for fw in load_frameworks(session))
        return ProfileInfo(
            data_dir=self.paths.data_dir,
            database=self.paths.database,
            schema_revision=self.db.schema_revision(),
            app_version=self.app_version,
            counts=counts,
            frameworks=keys,
        )

    def settings(self) -> Settings:
        """The profile's settings (defaults where unset)."""
        with self.db.reader() as session:
            return Settings.from_stored(read_settings(session))

    def update_settings(self, **values: Any) -> Outcome[Settings]:
        """Validate and store changed settings; ``ValueError`` names a bad one."""
        current = self.settings()
        for key, value in values.items():
            current = current.with_value(key, value)
        with self.db.unit_of_work() as session:
            write_settings(session, {k: getattr(current, k) for k in values})
        return Outcome(current, Change.SETTINGS)

    def close(self) -> None:
        """Release the database, then the profile lock (idempotent).

        No backup is made here: the GUI asks for the close-time backup explicitly
        (:meth:`BackupService.backup_on_close`) before it closes the profile. A damage
        check still running is waited for (it reads the file on its own connection).
        """
        if self.check is not None:
            self.check.wait()
        self.db.close()
        if self.lock is not None:
            self.lock.release()
