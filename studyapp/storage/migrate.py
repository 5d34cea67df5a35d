"""Schema migrations, run at start-up without an ``alembic.ini``.

The chain is linear (``0001`` → ``0002`` → …). Before an existing database is upgraded a
consistent copy is written beside it. A database stamped with a revision this build does
not know was written by a newer StudyApp: it is refused and never opened for writing, so
it stays byte-identical (the check opens it read-only and sets no pragma).

Alembic is imported only when it is needed (a migration is due, a new database is created,
or the chain itself is asked about): importing it costs about a second and a half at
start-up, and a profile at the head revision needs none of it. :data:`HEAD_REVISION` is
the head as a constant, compared with a plain ``sqlite3`` read of ``alembic_version``; a
test (``tests/storage/test_migrations.py``) keeps it equal to the chain's head.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.domain.errors import ProfileError, SchemaTooNewError
from studyapp.storage.backup import copy_database, stamped_revision

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# The newest revision of the chain in ``migrations/versions``. Update it with every new
# migration; ``test_head_revision_constant_is_the_chains_head`` fails until you do.
HEAD_REVISION = "0004"


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_directory() -> ScriptDirectory:
    """The migration scripts shipped with this build (imports Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest revision this build knows (:data:`HEAD_REVISION`; no Alembic import)."""
    return HEAD_REVISION


def chain_head() -> str:
    """The head as Alembic reads it from the scripts (what :data:`HEAD_REVISION` must be)."""
    head = script_directory().get_current_head()
    assert head is not None, "the migration chain is empty"
    return head


def known_revisions() -> list[str]:
    """Every revision this build knows, oldest first."""
    return [rev.revision for rev in reversed(list(script_directory().walk_revisions()))]


def read_revision(path: Path) -> str | None:
    """The schema revision stamped in the database at ``path``, read-only.

    ``None`` for a missing or empty file, or a database with no ``alembic_version`` table.
    Raises :class:`ProfileError` when the file is not an SQLite database.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            return stamped_revision(conn)
    except sqlite3.DatabaseError as exc:
        raise ProfileError(
            f"{path} is not a readable StudyApp database ({exc}). It was left as it is; "
            "restore a backup.",
            other_folder=True,
        ) from exc


def check_revision(path: Path, app_version: str) -> str | None:
    """Return the stamped revision, refusing one newer than this build knows.

    A database at :data:`HEAD_REVISION` (every start but the first after an upgrade) is
    settled without reading the migration scripts.
    """
    current = read_revision(path)
    if current is None or current == HEAD_REVISION:
        return current
    known = known_revisions()
    if current is not None and current not in known:
        raise SchemaTooNewError(
            f"The database {path} has schema revision {current}, which is newer than this "
            f"StudyApp {app_version} understands (it knows up to revision {known[-1]}). "
            "It was left untouched: install a newer StudyApp.",
            other_folder=True,
        )
    return current


def backup_before_upgrade(path: Path, current: str) -> Path:
    """Write a consistent copy of the database beside it, named for its revision.

    The copy uses the online backup API (:func:`studyapp.storage.backup.copy_database`);
    if it cannot be written the upgrade does not start.
    """
    target = path.with_name(f"{path.name}.pre-upgrade-{current}.bak")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.pre-upgrade-{current}.{counter}.bak")
    copy_database(path, target)
    return target


def upgrade_needed(revision: str | None) -> bool:
    """True when a database stamped ``revision`` (None: new or empty) must be migrated."""
    return revision != HEAD_REVISION


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending revision, all in one transaction."""
    upgrade_to(engine, "head")


def upgrade_to(engine: Engine, revision: str) -> None:
    """Apply revisions up to ``revision`` in one transaction (tests build old databases)."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the open database is at (a plain read of ``alembic_version``)."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        has_table = raw.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
