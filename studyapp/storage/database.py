"""Opening a profile database: version check, backup, migration, sessions.

:meth:`Database.open` is the one way in. It refuses a database from a newer StudyApp
before writing anything, copies an older one aside before upgrading it, then migrates
to the head revision. A database already at the head is opened without importing Alembic
(:func:`studyapp.storage.migrate.upgrade_needed`).

Writes can be held (:class:`WriteGate`): the GUI opens a profile before its damage check
has finished and holds every write until the check has passed, so nothing is written to a
damaged file (docs/reliability.md, "Start-up order").
"""

from __future__ import annotations

import sqlite3
import threading
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


class WriteGate:
    """Holds writes until a verdict: :meth:`allow` lets them through, :meth:`refuse` fails them.

    Thread-safe. A write (:meth:`Database.unit_of_work`) that arrives before the verdict
    blocks its thread until the verdict comes; reads never wait.
    """

    def __init__(self) -> None:
        self._decided = threading.Event()
        self._refusal: BaseException | None = None

    def allow(self) -> None:
        """Let held and later writes proceed."""
        self._decided.set()

    def refuse(self, reason: BaseException) -> None:
        """Fail held and later writes with ``reason`` (nothing is written)."""
        self._refusal = reason
        self._decided.set()

    @property
    def allowed(self) -> bool:
        """True once writes were allowed."""
        return self._decided.is_set() and self._refusal is None

    def wait(self) -> None:
        """Block until the verdict; raise the refusal if writes were refused."""
        self._decided.wait()
        if self._refusal is not None:
            raise self._refusal


class Database:
    """A migrated profile database and its session factory."""

    def __init__(self, path: Path, engine: Engine, report: OpenReport) -> None:
        self.path = path
        self.engine = engine
        self.report = report
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.writes = 0
        # Commits that may have changed what practice and statistics read (all but those
        # of units of work opened with ``study=False``): the study cache's version.
        self.study_writes = 0
        self._scope = threading.local()
        event.listen(engine, "commit", self._count_write)
        self._keeper = _keeper_connection(path)
        self._direct = threading.Lock()  # one direct transaction at a time on the keeper
        self._uncheckpointed = 0  # direct commits since the last checkpoint
        self.gate: WriteGate | None = None
        event.listen(engine, "before_cursor_execute", self._hold_writes)

    def _count_write(self, conn: Connection) -> None:
        """Count commits that changed rows (so a close-time backup can skip an idle session).

        With one connection per checkout (NullPool), ``total_changes`` is what this
        connection's transactions changed.
        """
        dbapi = conn.connection.dbapi_connection
        if isinstance(dbapi, sqlite3.Connection) and dbapi.total_changes:
            self.writes += 1
            if getattr(self._scope, "study", True):
                self.study_writes += 1

    def _hold_writes(self, _conn: Connection, _cursor: object, statement: str, *_: object) -> None:
        """While :attr:`gate` is undecided, a writing statement waits for its verdict.

        Reads never wait, so a unit of work that only reads (framework sync on an
        unchanged profile) goes ahead. Once writes are allowed the gate is dropped and this
        costs one attribute read per statement.
        """
        gate = self.gate
        if gate is None:
            return
        if gate.allowed:
            self.gate = None
            return
        if _is_write(statement):
            gate.wait()

    @classmethod
    def open(cls, path: Path, app_version: str) -> Database:
        """Open (creating if needed) and migrate the database at ``path``.

        Raises :class:`~studyapp.domain.errors.SchemaTooNewError` for a database from a
        newer StudyApp, untouched; :class:`ProfileError` when the file is unusable.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        before = migrate.check_revision(path, app_version)
        backup: Path | None = None
        if before is not None and migrate.upgrade_needed(before):
            backup = migrate.backup_before_upgrade(path, before)
        engine = make_engine(path)
        try:
            if migrate.upgrade_needed(before):
                migrate.upgrade_to_head(engine)
            else:
                _touch(engine)  # the same early failure (unwritable folder) as a migration
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
    def unit_of_work(self, *, study: bool = True) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any exception.

        ``study=False`` promises that the work writes nothing practice and statistics read
        (questions, memory states, the review log, settings), such as a mock exam's sitting
        being created, answered or paused, so caches of those (``services.study.cache``)
        stay valid; :meth:`touches_study` withdraws the promise from inside (an exam
        submitted writes its answers to the review log).

        A write the environment refuses (disk full, read-only file or folder, I/O error)
        rolls back and becomes :class:`WriteFailedError` saying why: the database is as it
        was before the unit of work began.

        While writes are held (:attr:`gate`), its first writing statement waits for the
        verdict; a refusal is raised before that statement runs and everything rolls back.
        """
        outer = getattr(self._scope, "study", True)
        self._scope.study = study
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
        finally:
            self._scope.study = outer

    @property
    def direct_writes(self) -> bool:
        """True when :meth:`direct_write` can be used (the kept connection is open)."""
        return self._keeper is not None

    @contextmanager
    def direct_write(self, *, study: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction on the kept driver connection, for the few hot writes.

        The same promises as :meth:`unit_of_work`, without SQLAlchemy's per-statement and
        per-session work (about 2 ms of Python per answer, and a new connection per unit of
        work under NullPool): it waits for the :class:`WriteGate`'s verdict before it
        begins (and raises the refusal, nothing written), ``BEGIN IMMEDIATE`` ... ``COMMIT``
        with ``synchronous=FULL`` (one fsync of the WAL), rolls back on any exception, turns
        a write the environment refuses into :class:`WriteFailedError`, and counts the
        commit in :attr:`writes` and (unless ``study=False``) :attr:`study_writes`, as the
        commit listener does for sessions. The statements run through the driver's own
        statement cache (each SQL text is compiled once per connection).
        """
        gate = self.gate
        if gate is not None:
            if gate.allowed:
                self.gate = None
            else:
                gate.wait()
        with self._direct:
            conn = self._keeper
            if conn is None:
                raise ProfileError(f"The database {self.path} is closed.")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                reason = write_failure_reason(exc)
                if reason is None:
                    raise
                raise WriteFailedError(
                    f"Could not save the change to {self.path}: {reason}. Nothing was changed."
                ) from exc
            self.writes += 1
            if study:
                self.study_writes += 1
            self._uncheckpointed += 1
            if self._uncheckpointed >= INLINE_CHECKPOINT_AFTER:
                self._checkpoint(conn)

    def checkpoint(self) -> None:
        """Copy the WAL back into the database now (passive: never waits for readers).

        The kept connection does not checkpoint on commit (``wal_autocheckpoint=0``): a
        checkpoint writes ~1,000 pages and fsyncs the database, tens of milliseconds that
        would land on one answer in about 150. It runs here instead, when the caller is off
        the learner's path (the practice screen calls it after planning the next session
        ahead), or after :data:`INLINE_CHECKPOINT_AFTER` direct commits without one.
        Sessions' connections keep SQLite's automatic checkpoint.
        """
        with self._direct:
            conn = self._keeper
            if conn is not None:
                self._checkpoint(conn)

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:
            return  # only housekeeping: SQLite checkpoints on close anyway
        self._uncheckpointed = 0

    def newest_review_id(self) -> int:
        """The review log's newest id (0 when empty), read on the kept connection: one
        index lookup without opening a session (a plan made ahead checks it is current)."""
        conn = self._keeper
        if conn is None:
            raise ProfileError(f"The database {self.path} is closed.")
        with self._direct:
            row = conn.execute("SELECT max(id) FROM review_log").fetchone()
        return int(row[0] or 0)

    def touches_study(self) -> None:
        """Inside a ``study=False`` unit of work: it writes study data after all."""
        self._scope.study = True

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
        with self._direct:
            if self._keeper is not None:
                keeper, self._keeper = self._keeper, None
                keeper.close()


# Direct commits after which one checkpoints inline, if nothing called Database.checkpoint
# (about 1,400 WAL pages of answers: SQLite's own default threshold is 1,000 pages).
INLINE_CHECKPOINT_AFTER = 200

_READS = ("SELECT", "BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "EXPLAIN")


def _is_write(statement: str) -> bool:
    """True unless ``statement`` is plainly a read or transaction control.

    Conservative: anything else (``INSERT``, ``UPDATE``, a ``WITH`` whatever follows it)
    counts as a write. ``COMMIT`` of a transaction that wrote comes after its writes, which
    waited already.
    """
    return not statement.lstrip()[:9].upper().startswith(_READS)


def _touch(engine: Engine) -> None:
    """Open one connection (setting the WAL pragmas) and read the schema, writing nothing."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()


def _keeper_connection(path: Path) -> sqlite3.Connection | None:
    """A connection held while the database is open, closed by :meth:`Database.close`.

    Sessions use one connection per checkout (NullPool). When the last connection to a WAL
    database closes, SQLite checkpoints the WAL and deletes it; without this keeper every
    session did so, which cost two extra fsyncs per answer (about 10-25 ms here; see
    docs/performance.md). Outside :meth:`Database.direct_write` it runs no transaction, so it
    never blocks a checkpoint.
    """
    try:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    except sqlite3.Error:
        return None  # only a speed-up: sessions open their own connections anyway
    try:
        # The pragmas every connection gets (storage.engine): it also carries the hot writes
        # (Database.direct_write), which must be as durable as any other.
        # No automatic checkpoint on its commits: see Database.checkpoint.
        for pragma in (
            "synchronous=FULL",
            "foreign_keys=ON",
            "busy_timeout=5000",
            "wal_autocheckpoint=0",
        ):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # attach to the WAL now
    except sqlite3.Error:
        conn.close()
        return None
    return conn
