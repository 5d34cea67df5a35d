"""Schema migrations, run at start-up without an ``alembic.ini``.

The chain is linear (``0001`` → ``0002`` → …). Before an existing database is upgraded a
consistent copy is written beside it. A database stamped with a revision this build does
not know was written by a newer StudyApp: it is refused and never opened for writing, so
it stays byte-identical (the check opens it read-only and sets no pragma).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from studyapp.domain.errors import ProfileError, SchemaTooNewError
from studyapp.storage.backup import copy_database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_directory() -> ScriptDirectory:
    """The migration scripts shipped with this build."""
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest revision this build knows."""
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
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not has_table:
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return None if row is None else str(row[0])
    except sqlite3.DatabaseError as exc:
        raise ProfileError(
            f"{path} is not a readable StudyApp database ({exc}). It was left as it is; "
            "restore a backup or choose another data folder with --data-dir."
        ) from exc


def check_revision(path: Path, app_version: str) -> str | None:
    """Return the stamped revision, refusing one newer than this build knows."""
    current = read_revision(path)
    known = known_revisions()
    if current is not None and current not in known:
        raise SchemaTooNewError(
            f"The database {path} has schema revision {current}, which is newer than this "
            f"StudyApp {app_version} understands (it knows up to revision {known[-1]}). "
            "It was left untouched: install a newer StudyApp, or choose another data folder "
            "with --data-dir."
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


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending revision, all in one transaction."""
    upgrade_to(engine, "head")


def upgrade_to(engine: Engine, revision: str) -> None:
    """Apply revisions up to ``revision`` in one transaction (tests build old databases)."""
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the open database is at."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
