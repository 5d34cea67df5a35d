"""The SQLite engine and the pragmas every connection gets.

- WAL journal: readers never block the one writer, and a crash cannot tear a page.
- ``synchronous=FULL``: an answer the user saw accepted is on disk (the WAL is fsynced
  at every commit), at a cost of about a millisecond per answer.
- Foreign keys on: SQLite leaves them off by default.
- Transactions are begun explicitly (``BEGIN``) instead of by the sqlite3 module's
  legacy heuristics, so DDL in migrations is transactional and SAVEPOINTs work.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool


def make_engine(path: Path, *, echo: bool = False) -> Engine:
    """An engine on the SQLite file at ``path`` (created if absent)."""
    engine = create_engine(
        f"sqlite:///{path}",
        echo=echo,
        # One connection per checkout, closed at return: no idle connection pins a
        # thread, and no pooled connection keeps the WAL open after close().
        poolclass=NullPool,
        connect_args={"check_same_thread": False, "timeout": 5.0},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine
