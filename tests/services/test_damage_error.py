"""Telling a damaged-file failure apart from other failures, for the GUI's error reporting."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy
from sqlalchemy import exc as sa_exc

from studyapp.services.damage_check import is_damage_error


def _not_a_database_error(tmp_path) -> sqlite3.DatabaseError:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not a database file at all" * 200)
    connection = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError) as caught:
            connection.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        connection.close()
    return caught.value


def test_sqlite_damage_is_recognised_bare_and_wrapped(tmp_path):
    """A real 'not a database' error counts as damage, and so does SQLAlchemy's wrapper of it."""
    raw = _not_a_database_error(tmp_path)
    assert is_damage_error(raw)
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'junk.sqlite'}")
    try:
        with pytest.raises(sa_exc.DatabaseError) as caught, engine.connect() as connection:
            connection.exec_driver_sql("SELECT * FROM sqlite_master").fetchall()
    finally:
        engine.dispose()
    assert is_damage_error(caught.value)


def test_other_failures_are_not_damage(tmp_path):
    """A constraint violation or a plain Python error is not mistaken for a damaged file."""
    connection = sqlite3.connect(tmp_path / "ok.sqlite")
    try:
        connection.execute("CREATE TABLE t (x INTEGER UNIQUE)")
        connection.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError) as caught:
            connection.execute("INSERT INTO t VALUES (1)")
    finally:
        connection.close()
    assert not is_damage_error(caught.value)
    assert not is_damage_error(ValueError("nope"))
