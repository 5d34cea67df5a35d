"""The lean durable answer: the same rows as the ORM path, the write gate, undo, failures."""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import event

from studyapp.domain.errors import WriteFailedError
from studyapp.services.profile import Profile
from studyapp.services.study import cache as study_cache
from studyapp.services.study.service import StudyService
from studyapp.storage.database import WriteGate
from tests.dbtools import fill, rows_of


class RefusedError(Exception):
    pass


def _open(paths, clock) -> Profile:
    p = Profile.open(paths, clock, "test")
    fill(p, 12)
    return p


def _answers(profile, *, direct: bool, seed: int = 5) -> list[tuple[int, bool]]:
    """Plan and answer 30 questions (right, wrong, guessed, cram, repeats) as the practice
    screen does; with ``direct=False`` the study cache is dropped before each answer, so
    the answer goes through a unit of work and SQLAlchemy."""
    service = StudyService(profile)
    rng = random.Random(seed)
    clock = profile.clock
    given = []
    connects = []
    event.listen(profile.db.engine, "connect", lambda *_a: connects.append(1))
    while len(given) < 30:
        _plan, items = service.plan(5, rng=rng, new_limit=100)
        for item in items:
            q = item.question
            wrong = [o.id for o in q.options if not o.correct]
            chosen = sorted(q.correct_ids) if rng.random() < 0.5 else [rng.choice(wrong)]
            mode = "cram" if rng.random() < 0.15 else "practice"
            if not direct:
                study_cache.forget(profile.db)
            before, opened = profile.db.writes, len(connects)
            service.answer(
                item.qid, chosen, rng.uniform(3, 40), guessed=rng.random() < 0.2, mode=mode
            )
            assert profile.db.writes == before + 1
            # The direct path opens no SQLAlchemy connection; the other opens one.
            assert (len(connects) == opened) is direct
            given.append((item.qid, direct))
            clock.advance(rng.choice([30, 600, 86_400, 5 * 86_400]))
    return given


def test_direct_answers_write_exactly_the_rows_of_the_orm_path(tmp_path, clock):
    """Thirty answers through the direct path leave the same log and memory rows, byte for
    byte, as the same answers through SQLAlchemy."""
    from studyapp.config import AppPaths
    from studyapp.domain.clock import FixedClock

    t0 = clock.now()
    a = _open(AppPaths(tmp_path / "a", tmp_path / "la"), FixedClock(t0))
    b = _open(AppPaths(tmp_path / "b", tmp_path / "lb"), FixedClock(t0))
    try:
        _answers(a, direct=True)
        _answers(b, direct=False)
        rows_a = [r for r in rows_of(a.paths.database) if "review_log" in r or "memory_state" in r]
        rows_b = [r for r in rows_of(b.paths.database) if "review_log" in r or "memory_state" in r]
        assert len(rows_a) > 30
        assert rows_a == rows_b
    finally:
        a.close()
        b.close()


def test_a_direct_answer_waits_for_the_write_gate(paths, clock):
    """Until the damage check's verdict, a direct answer is not in the file; then it is."""
    profile = _open(paths, clock)
    try:
        service = StudyService(profile)
        _plan, items = service.plan(3, rng=random.Random(1))
        item = items[0]
        gate = WriteGate()
        profile.db.gate = gate
        errors: list[BaseException] = []

        def answer() -> None:
            try:
                service.answer(item.qid, sorted(item.question.correct_ids), 9.0)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        before = rows_of(paths.database)
        thread = threading.Thread(target=answer)
        thread.start()
        thread.join(0.3)
        assert thread.is_alive(), "the answer was written before the verdict"
        assert rows_of(paths.database) == before
        gate.allow()
        thread.join(10)
        assert not thread.is_alive() and errors == []
        assert any("review_log" in r for r in rows_of(paths.database))
    finally:
        profile.close()


def test_a_refused_gate_fails_a_direct_answer_and_writes_nothing(paths, clock):
    """A refusal reaches the answer as its error; the file and the cache are unchanged."""
    profile = _open(paths, clock)
    try:
        service = StudyService(profile)
        _plan, items = service.plan(3, rng=random.Random(1))
        before = rows_of(paths.database)
        version = profile.db.study_writes
        gate = WriteGate()
        gate.refuse(RefusedError("damaged"))
        profile.db.gate = gate
        with pytest.raises(RefusedError):
            service.answer(items[0].qid, sorted(items[0].question.correct_ids), 9.0)
        assert rows_of(paths.database) == before
        assert profile.db.study_writes == version
    finally:
        profile.close()


def test_a_read_only_database_fails_a_direct_answer_plainly(paths, clock):
    """SQLite refusing the write becomes WriteFailedError with the reason; nothing changed."""
    profile = _open(paths, clock)
    try:
        service = StudyService(profile)
        _plan, items = service.plan(3, rng=random.Random(1))
        before = rows_of(paths.database)
        profile.db._keeper.execute("PRAGMA query_only = 1")  # as a read-only file refuses
        with pytest.raises(WriteFailedError) as caught:
            service.answer(items[0].qid, sorted(items[0].question.correct_ids), 9.0)
        assert "read-only" in str(caught.value) and "Nothing was changed" in str(caught.value)
        assert rows_of(paths.database) == before
        profile.db._keeper.execute("PRAGMA query_only = 0")
        service.answer(items[0].qid, sorted(items[0].question.correct_ids), 9.0)  # fine again
        assert rows_of(paths.database) != before
    finally:
        profile.close()


def test_undo_after_direct_answers_restores_the_file_exactly(paths, clock):
    """Each undo of a direct answer gives back the file as it was before that answer."""
    profile = _open(paths, clock)
    try:
        service = StudyService(profile)
        rng = random.Random(3)
        snapshots = []
        for _round in range(2):
            _plan, items = service.plan(4, rng=rng, new_limit=100)
            for item in items:
                snapshots.append(rows_of(paths.database))
                wrong = [o.id for o in item.question.options if not o.correct]
                service.answer(item.qid, [rng.choice(wrong)], 12.0)
                clock.advance(86_400)
        while snapshots:
            assert service.undo_last().value is not None
            assert rows_of(paths.database) == snapshots.pop()
    finally:
        profile.close()
