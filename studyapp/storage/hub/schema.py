"""The hub's own Alembic chain (``migrations/``, revisions ``h0001``…), apart from the
profile's: the version table is ``studyhub.alembic_version``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HUB_HEAD = "h0002"


def upgrade(conn: Connection, target: str = "head") -> None:
    """Bring the hub schema in the connected database to :data:`HUB_HEAD` (or to the
    revision ``target``: tests build a hub as an older StudyApp left it)."""
    from alembic import command
    from alembic.config import Config

    conn.execute(text("CREATE SCHEMA IF NOT EXISTS studyhub"))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)


def chain_head() -> str:
    """The head of the hub chain as Alembic reads it (what :data:`HUB_HEAD` must be)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision stamped in the hub, or None before ``group hub init``."""
    exists = conn.execute(text("SELECT to_regclass('studyhub.alembic_version')")).scalar()
    if exists is None:
        return None
    value = conn.execute(text("SELECT version_num FROM studyhub.alembic_version")).scalar()
    return None if value is None else str(value)
