"""Held writes: reads go ahead, writes wait for the verdict, a refusal writes nothing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from studyapp.storage.database import Database, WriteGate
from studyapp.storage.models import SettingRow
from tests.dbtools import rows_of


class RefusedError(Exception):
    pass


def _write(db: Database, key: str) -> None:
    with db.unit_of_work() as session:
        session.add(SettingRow(key=key, value=1))


@pytest.fixture
def db(tmp_path):
    database = Database.open(tmp_path / "db.sqlite3", "test")
    yield database
    database.close()


def test_reads_go_ahead_and_a_write_waits_for_the_verdict(db):
    """Until allow(), a write is not in the file; after it, the write completes."""
    gate = WriteGate()
    db.gate = gate
    with db.reader() as session:  # a read does not wait
        assert session.scalars(select(SettingRow)).all() == []
    with db.unit_of_work() as session:  # nor a unit of work that only reads
        session.scalars(select(SettingRow)).all()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            _write(db, "held")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join(0.3)
    assert thread.is_alive(), "the write went ahead before the verdict"
    assert not any("held" in row for row in rows_of(db.path))
    gate.allow()
    thread.join(10)
    assert not thread.is_alive() and errors == []
    assert any("held" in row for row in rows_of(db.path))
    _write(db, "later")  # once allowed, writes no longer wait
    assert db.gate is None


def test_refused_writes_raise_and_change_nothing(db):
    """A refusal fails the waiting write and every later one; the file keeps its rows."""
    before = rows_of(db.path)
    writes_before = db.writes
    gate = WriteGate()
    db.gate = gate
    gate.refuse(RefusedError("no"))
    with pytest.raises(RefusedError):
        _write(db, "x")
    with pytest.raises(RefusedError):
        _write(db, "y")
    assert rows_of(db.path) == before
    assert db.writes == writes_before
    with db.reader() as session:  # reads still work
        assert session.scalars(select(SettingRow)).all() == []
