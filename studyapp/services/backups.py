"""Backups and restore: when they are made, what they are called, how many are kept.

The copying itself is :mod:`studyapp.storage.backup` (SQLite's online backup API, so every
copy is consistent even with the WAL active). This module is the policy:

- **Names** in the profile's ``backups/`` folder carry the moment from the injected clock
  (UTC), so tests and ``--now`` runs are reproducible:

  - ``studyapp-auto-<YYYYmmddTHHMMSSZ>-<reason>.sqlite3``: automatic (``daily``, ``close``,
    ``pack-update``, ``pack-remove``…); only these are ever rotated away;
  - ``studyapp-manual-<stamp>.sqlite3``: ``studyapp backup``; never deleted by the app;
  - ``studyapp-pre-restore-<stamp>.sqlite3``: the database a restore replaced; never deleted.

  Two backups in the same second get ``.2``, ``.3``… before ``.sqlite3``.
- **When**: before a pack update/downgrade and a pack removal (:class:`PackService` calls
  :meth:`BackupService.backup_before`); daily, when a profile opens and no automatic backup
  of the last 24 hours exists (``backup_daily`` setting); on close of a GUI session that
  changed something (:meth:`BackupService.backup_on_close`, called by the GUI's
  ``AppController.shutdown`` — not by :meth:`Profile.close`, so one-shot CLI commands do not
  each leave a copy). Migrations get their own copy beside the database
  (:func:`studyapp.storage.migrate.backup_before_upgrade`).
- **Rotation**: after each automatic backup the newest ``backup_keep`` automatic ones stay,
  ordered by the moment in their names; the one just made always stays.
- **Damage**: :func:`move_aside_if_damaged` runs ``quick_check`` when a profile opens; a
  damaged file is renamed, never overwritten, and the newest good backup is offered.
- **Restore**: :func:`restore_backup` checks the file (read-only, ``integrity_check``, a
  schema revision this build knows), keeps the current database as a pre-restore copy, then
  replaces it — all under the profile lock, with the profile closed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from studyapp.config import AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import BackupError, DatabaseDamagedError, ProfileError
from studyapp.domain.settings import Settings
from studyapp.services.changes import Change, Outcome
from studyapp.storage import migrate
from studyapp.storage.backup import (
    check_database,
    copy_database,
    move_aside,
    replace_database,
    side_files,
)
from studyapp.storage.database import Database
from studyapp.storage.lock import ProfileLock

log = logging.getLogger(__name__)

SUFFIX = ".sqlite3"
KINDS = {"auto": "automatic", "manual": "manual", "pre-restore": "pre-restore"}
STAMP = "%Y%m%dT%H%M%SZ"
DAY = timedelta(days=1)
_NAME = re.compile(
    r"^studyapp-(?P<kind>auto|manual|pre-restore)-(?P<stamp>\d{8}T\d{6}Z)"
    r"(?:-(?P<reason>[a-z0-9][a-z0-9-]*))?(?:\.(?P<seq>\d+))?\.sqlite3$"
)
_REASON = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file: where, which kind, when (from its name) and why."""

    path: Path
    kind: str  # automatic | manual | pre-restore | other
    taken_at: datetime | None
    reason: str | None
    sequence: int
    size: int

    def to_json(self) -> dict[str, Any]:
        """The ``backup --json`` document."""
        return {
            "path": str(self.path),
            "kind": self.kind,
            "taken_at": self.taken_at.isoformat() if self.taken_at else None,
            "reason": self.reason,
            "size": self.size,
        }


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What a restore did."""

    restored_from: Path
    database: Path
    schema_revision: str
    previous_kept: Path | None

    def to_json(self) -> dict[str, Any]:
        """The ``restore --json`` document."""
        return {
            "restored_from": str(self.restored_from),
            "database": str(self.database),
            "schema_revision": self.schema_revision,
            "previous_kept": str(self.previous_kept) if self.previous_kept else None,
        }


def _info(path: Path) -> BackupInfo:
    match = _NAME.match(path.name)
    size = path.stat().st_size if path.exists() else 0
    try:
        taken = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC) if match else None
    except ValueError:  # digits in the right places, but not a real moment
        taken = None
    if match is None or taken is None:
        return BackupInfo(path, "other", None, None, 1, size)
    return BackupInfo(
        path, KINDS[match["kind"]], taken, match["reason"], int(match["seq"] or 1), size
    )


def list_backups(paths: AppPaths) -> list[BackupInfo]:
    """Every ``*.sqlite3`` file in the backups folder, oldest first (by name moment)."""
    if not paths.backups.is_dir():
        return []
    found = [_info(p) for p in paths.backups.glob(f"*{SUFFIX}") if p.is_file()]
    epoch = datetime.min.replace(tzinfo=UTC)
    return sorted(found, key=lambda b: (b.taken_at or epoch, b.sequence, b.path.name))


def _fresh_name(folder: Path, stem: str) -> Path:
    """``stem.sqlite3``, or ``stem.N.sqlite3`` when that exists already."""
    target = folder / f"{stem}{SUFFIX}"
    n = 1
    while target.exists() or target.with_name(target.name + ".partial").exists():
        n += 1
        target = folder / f"{stem}.{n}{SUFFIX}"
    return target


def _stamp(clock: Clock) -> str:
    return clock.now().astimezone(UTC).strftime(STAMP)


def _quote(path: Path) -> str:
    text = str(path)
    return f'"{text}"' if any(c in text for c in " '&;()$`") else text


def _prepare_folder(paths: AppPaths) -> None:
    """Create the backups folder and remove copies a crash interrupted.

    The profile lock guarantees no other copy is in progress.
    """
    try:
        paths.backups.mkdir(parents=True, exist_ok=True)
        for stale in paths.backups.glob("*.partial*"):
            stale.unlink(missing_ok=True)
    except OSError as exc:
        raise BackupError(
            f"Could not prepare the backups folder {paths.backups}: {exc.strerror or exc}. "
            "The database was not changed; check that the profile folder is writable."
        ) from exc


class OpenProfile(Protocol):
    """What backups need of an open profile (:class:`studyapp.services.profile.Profile`).

    A narrow interface rather than the class itself: the profile makes the daily backup
    when it opens, so naming the class here would make the two modules import each other.
    """

    @property
    def paths(self) -> AppPaths:
        """The profile's folders and files."""
        ...

    @property
    def db(self) -> Database:
        """The open database (its file and how many writes this session made)."""
        ...

    @property
    def clock(self) -> Clock:
        """The clock that stamps backup names."""
        ...

    def settings(self) -> Settings:
        """The settings ``backup_keep`` and ``backup_daily`` come from."""
        ...


class BackupService:
    """Backups of one open profile."""

    def __init__(self, profile: OpenProfile) -> None:
        self.profile = profile

    @property
    def paths(self) -> AppPaths:
        """The profile's paths."""
        return self.profile.paths

    def _copy(self, target: Path) -> BackupInfo:
        copy_database(self.profile.db.path, target)
        log.info("backup written to %s", target)
        return _info(target)

    def backup(self, out: Path | None = None) -> Outcome[BackupInfo]:
        """A manual backup: to ``out`` (which must not exist) or into the backups folder."""
        if out is None:
            _prepare_folder(self.paths)
            stem = f"studyapp-manual-{_stamp(self.profile.clock)}"
            return Outcome(self._copy(_fresh_name(self.paths.backups, stem)), Change.NONE)
        out = out.expanduser().resolve()
        if out.exists():
            raise BackupError(
                f"{out} already exists; choose another file name (a backup never overwrites "
                "a file)."
            )
        if not out.parent.is_dir():
            raise BackupError(f"The folder {out.parent} does not exist; create it first.")
        copy_database(self.profile.db.path, out)
        log.info("backup written to %s", out)
        return Outcome(_info(out), Change.NONE)

    def backup_before(self, reason: str) -> BackupInfo:
        """An automatic backup before something risky (``pack-update``, ``pack-remove``…).

        Raises :class:`BackupError` when the copy cannot be written: the risky operation
        should then not go ahead. Older automatic backups beyond ``backup_keep`` are removed.
        """
        if not _REASON.match(reason):
            raise ValueError(f"backup reason must be a lower-case slug, got {reason!r}")
        _prepare_folder(self.paths)
        stem = f"studyapp-auto-{_stamp(self.profile.clock)}-{reason}"
        made = self._copy(_fresh_name(self.paths.backups, stem))
        self.rotate(keep_also=made.path)
        return made

    def rotate(self, keep_also: Path | None = None) -> list[Path]:
        """Delete automatic backups beyond the newest ``backup_keep``; returns what went.

        Manual backups, pre-restore copies and files the app did not name are never touched.
        """
        keep = self.profile.settings().backup_keep
        autos = [b for b in list_backups(self.paths) if b.kind == "automatic"]
        doomed = [b.path for b in autos[: max(0, len(autos) - keep)] if b.path != keep_also]
        for path in doomed:
            path.unlink(missing_ok=True)
            log.info("old automatic backup removed: %s", path)
        return doomed

    def backup_daily_if_due(self) -> BackupInfo | None:
        """The daily backup, when ``backup_daily`` is on and none of the last day exists.

        Backups stamped in the future (a clock set back, or ``--now``) do not count.
        Failure is logged, not raised: a full disk must not stop the user from studying.
        """
        if not self.profile.settings().backup_daily:
            return None
        now = self.profile.clock.now()
        for b in list_backups(self.paths):
            if b.kind == "automatic" and b.taken_at and now - DAY < b.taken_at <= now:
                return None
        try:
            return self.backup_before("daily")
        except BackupError as exc:
            log.warning("daily backup skipped: %s", exc)
            return None

    def backup_on_close(self) -> BackupInfo | None:
        """The close-time backup of a session that wrote something; None if nothing changed.

        Called by the GUI before it closes the profile. Failure is logged, not raised.
        """
        if self.profile.db.writes == 0:
            return None
        try:
            return self.backup_before("close")
        except BackupError as exc:
            log.warning("close-time backup skipped: %s", exc)
            return None


def newest_good_backup(paths: AppPaths) -> Path | None:
    """The most recently written backup that passes ``quick_check`` with a known revision.

    Looks at the backups folder and at the pre-upgrade copies beside the database; "most
    recent" is the file's modification time, since these come from different clocks.
    """
    candidates = list(paths.backups.glob(f"*{SUFFIX}")) if paths.backups.is_dir() else []
    candidates += paths.data_dir.glob(f"{paths.database.name}.pre-upgrade-*.bak")
    known = set(migrate.known_revisions())
    for path in sorted(candidates, key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True):
        try:
            result = check_database(path)
        except ProfileError:
            continue
        if result.ok and result.revision in known:
            return path
    return None


def move_aside_if_damaged(paths: AppPaths, clock: Clock) -> None:
    """Run ``quick_check``; a damaged database is renamed aside and reported, never rewritten.

    Raises :class:`DatabaseDamagedError` naming where the file went, the newest good backup
    and the command that restores it. A missing or empty file is not damaged (a new
    profile starts from it).
    """
    db = paths.database
    if not db.exists() or db.stat().st_size == 0:
        return
    result = check_database(db)
    if result.ok:
        return
    problem = result.problems[0].splitlines()[0][:160]
    target = db.with_name(f"{db.name}.damaged-{_stamp(clock)}")
    n = 1
    while target.exists() or side_files(target):
        n += 1
        target = db.with_name(f"{db.name}.damaged-{_stamp(clock)}.{n}")
    moved = move_aside(db, target)
    newest = newest_good_backup(paths)
    log.error("damaged database moved aside to %s (%s)", moved, problem)
    if newest is not None:
        advice = (
            f"Restore the newest good backup with: studyapp --data-dir {_quote(paths.data_dir)}"
            f" restore {_quote(newest)}"
        )
    else:
        advice = (
            f"No good backup was found in {paths.backups}; the next start begins an empty "
            "profile, and the damaged file stays where it is for a repair tool"
        )
    situation = (
        f"The database {db} is damaged ({problem}). It was moved aside to {moved} and "
        "nothing was overwritten."
    )
    raise DatabaseDamagedError(f"{situation} {advice}.", moved, newest, situation)


def restore_backup(paths: AppPaths, clock: Clock, source: Path) -> RestoreReport:
    """Replace the profile's database with the backup ``source``, keeping the current one.

    The profile must not be open (the lock is taken here; another StudyApp holding it makes
    this raise :class:`~studyapp.domain.errors.ProfileInUseError`). An older schema
    revision is fine: it is migrated the next time the profile opens.
    """
    source = source.expanduser().resolve()
    db = paths.database
    if not source.is_file():
        raise BackupError(f"{source} does not exist or is not a file; nothing was restored.")
    if db.exists() and source == db.resolve():
        raise BackupError(f"{source} is the profile's own database; choose a backup file.")
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    with ProfileLock(paths.lock_file):
        revision = _check_restorable(source)
        _prepare_folder(paths)
        # Prepare the new file first: if the disk is full, nothing has changed yet.
        prepared = db.with_name(f"{db.name}.restoring")
        copy_database(source, prepared)
        try:
            kept = _keep_current(paths, clock) if db.exists() else None
        except BaseException:
            prepared.unlink(missing_ok=True)
            raise
        replace_database(prepared, db)
    log.info("restored %s into %s (previous kept as %s)", source, db, kept)
    return RestoreReport(source, db, revision, kept)


def _check_restorable(source: Path) -> str:
    try:
        result = check_database(source, full=True)
    except ProfileError as exc:
        raise BackupError(f"{exc} Nothing was restored.") from exc
    if not result.ok:
        problem = result.problems[0].splitlines()[0][:160]
        raise BackupError(
            f"{source} failed its integrity check ({problem}); nothing was restored. Choose "
            "another backup."
        )
    known = migrate.known_revisions()
    if result.revision is None:
        raise BackupError(
            f"{source} is not a StudyApp backup (it has no schema revision); nothing was restored."
        )
    if result.revision not in known:
        raise BackupError(
            f"{source} was made by a newer StudyApp (schema revision {result.revision}; this "
            f"one knows up to {known[-1]}); nothing was restored. Install a newer StudyApp "
            "to use it."
        )
    return result.revision


def _keep_current(paths: AppPaths, clock: Clock) -> Path:
    """Keep the live database as a pre-restore copy.

    A file too damaged to copy is moved into the backups folder instead (renamed, bytes
    unchanged); a healthy one that cannot be copied (disk full) stops the restore.
    """
    target = _fresh_name(paths.backups, f"studyapp-pre-restore-{_stamp(clock)}")
    try:
        copy_database(paths.database, target)
    except BackupError as exc:
        try:
            healthy = check_database(paths.database).ok
        except ProfileError:
            healthy = True  # unreadable for another reason: do not move what we cannot judge
        if healthy:
            raise BackupError(f"{exc} Nothing was restored.") from exc
        log.warning("pre-restore copy failed (%s); moving the damaged database aside", exc)
        move_aside(paths.database, target)
    return target
