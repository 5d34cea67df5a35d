"""Database files as wholes: consistent copies, checks, moving aside, replacing.

These are mechanics; when and under which names they run is the policy of
:mod:`studyapp.services.backups`.

- :func:`copy_database` uses SQLite's online backup API from a *read-only* connection. One
  backup step copies every page under one read transaction, so the copy is a consistent
  snapshot that includes what is still in the WAL, even while another connection writes.
  The copy is switched to a rollback journal (one self-contained file, no ``-wal`` to lose)
  and only then put in place with :func:`studyapp.fsutil.replace_file` (fsync, rename,
  fsync of the folder): a crash leaves either no copy or a whole one. SQLite needs a file
  name of its own to write the copy (``<name>.partial``, which it may give side files),
  so the copy is made here and only the file-replace step is shared.
- :func:`check_database` runs ``PRAGMA quick_check`` (or the full ``integrity_check``)
  read-only, so checking can never write to, or checkpoint into, a damaged file.
- :func:`move_aside` renames a database together with its ``-wal``/``-shm``/``-journal``
  (side files first, so a crash never leaves an old WAL beside a new database).
- :func:`replace_database` puts a prepared copy in place of the live file.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from studyapp.domain.errors import BackupError, ProfileError
from studyapp.fsutil import fsync_dir, replace_file
from studyapp.storage.sqlite_errors import is_corruption, write_failure_reason

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def _ro_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def side_files(path: Path) -> list[Path]:
    """The ``-wal``, ``-shm`` and ``-journal`` files of ``path`` that exist."""
    return [p for p in (path.with_name(path.name + s) for s in SIDE_SUFFIXES) if p.exists()]


def _remove_with_sides(path: Path) -> None:
    for p in [path, *side_files(path)]:
        p.unlink(missing_ok=True)


def copy_database(source: Path, dest: Path) -> int:
    """Write a consistent, self-contained copy of ``source`` to ``dest``; returns its size.

    ``dest`` is replaced if it exists (callers choose fresh names). Raises
    :class:`BackupError` naming the reason when the copy cannot be written; no partial file
    is left behind.
    """
    partial = dest.with_name(dest.name + ".partial")
    _remove_with_sides(partial)
    try:
        with (
            closing(sqlite3.connect(_ro_uri(source), uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        replace_file(partial, dest)
    except sqlite3.Error as exc:
        _remove_with_sides(partial)
        reason = write_failure_reason(exc) or f"SQLite said: {exc}"
        raise BackupError(
            f"Could not copy the database {source} to {dest}: {reason}. The database itself "
            "was not changed."
        ) from exc
    except OSError as exc:
        _remove_with_sides(partial)
        raise BackupError(
            f"Could not write the copy {dest}: {exc.strerror or exc}. The database itself "
            "was not changed; check the folder and the free space."
        ) from exc
    return dest.stat().st_size


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of checking a database file: its problems (none: it passed) and revision."""

    problems: tuple[str, ...]
    revision: str | None

    @property
    def ok(self) -> bool:
        """True when SQLite found nothing wrong."""
        return not self.problems


def check_database(path: Path, *, full: bool = False) -> CheckResult:
    """Check ``path`` read-only with ``quick_check`` (``integrity_check`` when ``full``).

    Damage (failed check, malformed pages, not a database at all) is reported as problems.
    Anything else that stops the check — the file cannot be opened, an I/O error — says
    nothing about damage and raises :class:`ProfileError` instead, so a healthy database
    is never mistaken for a damaged one.
    """
    pragma = "integrity_check" if full else "quick_check"
    try:
        with closing(sqlite3.connect(_ro_uri(path), uri=True)) as conn:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
            problems = tuple(str(r[0]) for r in rows if str(r[0]) != "ok")
            revision = None if problems else stamped_revision(conn)
    except sqlite3.DatabaseError as exc:
        if is_corruption(exc):
            return CheckResult((str(exc),), None)
        raise ProfileError(
            f"Could not read {path} to check it ({exc}). Nothing was changed; check that the "
            "file and its folder are readable, then try again."
        ) from exc
    return CheckResult(problems, revision)


def stamped_revision(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision stamped in the open database, or None when it has none.

    One reading for the backup check and :func:`studyapp.storage.migrate.read_revision`.
    """
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def move_aside(path: Path, target: Path) -> Path:
    """Rename ``path`` and its side files to ``target`` (+ the same suffixes); returns target.

    Nothing is copied or rewritten: the bytes stay exactly as they were, for a repair tool.
    """
    try:
        for side in side_files(path):
            side.replace(target.with_name(target.name + side.name[len(path.name) :]))
        path.replace(target)  # a rename of existing bytes, not a write: nothing to fsync
        fsync_dir(target.parent)
    except OSError as exc:
        raise ProfileError(
            f"Could not move {path} aside to {target}: {exc.strerror or exc}. Nothing was "
            "deleted; check that the folder is writable."
        ) from exc
    return target


def replace_database(prepared: Path, target: Path) -> None:
    """Put ``prepared`` (a copy from :func:`copy_database`) in place of ``target``.

    The live file's ``-wal`` and ``-shm`` are removed first: a stale WAL beside the new file
    would be replayed into it. Callers keep a copy of the live database before this.
    """
    try:
        for side in side_files(target):
            side.unlink()
        replace_file(prepared, target)
    except OSError as exc:
        raise BackupError(
            f"Could not put the restored database in place at {target}: "
            f"{exc.strerror or exc}. Check that the folder is writable."
        ) from exc
