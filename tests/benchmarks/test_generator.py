"""The benchmark generator: deterministic, and what it writes is what the app would write."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from benchmarks import generator
from benchmarks.generator import (
    build_profile,
    history,
    history_start,
    make_pack,
    open_profile,
    question_meta,
    replay_history,
    write_history,
    write_pack,
)
from benchmarks.textgen import SKILLS, question_words, synthetic_questions
from studyapp.packs.studypack import load_pack
from studyapp.services.packs.files import shipped_frameworks
from studyapp.services.packs.service import SEEDED_KEY, PackService
from studyapp.storage.settings import write_settings


def _table(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def _installed(data_dir: Path, pack_path: Path):
    profile = open_profile(data_dir, history_start())
    with profile.db.unit_of_work() as session:
        write_settings(session, {SEEDED_KEY: True})
    PackService(profile).import_pack(pack_path)
    return profile


def test_same_seed_gives_same_questions_and_history(tmp_path):
    """Two runs with one seed produce identical packs and answer streams; another seed differs."""
    assert synthetic_questions(50, 7) == synthetic_questions(50, 7)
    assert synthetic_questions(50, 7) != synthetic_questions(50, 8)
    pack = make_pack(40, 3)
    profile = _installed(tmp_path / "p", write_pack(pack, tmp_path / "p.studypack"))
    try:
        meta = question_meta(profile, pack)
        kw = {"start": history_start(), "end": history_start().replace(year=2026)}
        assert history(meta, 200, 5, **kw) == history(meta, 200, 5, **kw)
        assert history(meta, 200, 5, **kw) != history(meta, 200, 6, **kw)
    finally:
        profile.close()


def test_synthetic_pack_is_valid_with_realistic_sizes(tmp_path):
    """The generated pack passes the app's validation and has exam-like text sizes."""
    pack = make_pack(200, 11)
    result = load_pack(write_pack(pack, tmp_path / "s.studypack"), shipped_frameworks().get)
    assert result.pack is not None, result.problems
    qs = result.pack.questions
    assert {q.skill for q in qs} == set(SKILLS)
    stems = [len(q.stem.split()) for q in qs]
    assert 50 <= sum(stems) / len(stems) <= 70
    assert all(len(q.options) == 4 and all(o.rationale for o in q.options) for q in qs)
    assert 120 <= sum(question_words(q) for q in qs) / len(qs) <= 145


def test_bulk_history_equals_answers_through_the_service(tmp_path):
    """Rows written in bulk are exactly those StudyService.answer writes for the same answers."""
    pack = make_pack(30, 21)
    pack_path = write_pack(pack, tmp_path / "eq.studypack")
    bulk = _installed(tmp_path / "bulk", pack_path)
    real = _installed(tmp_path / "real", pack_path)
    try:
        meta = question_meta(bulk, pack)
        assert [m.qid for m in meta] == [m.qid for m in question_meta(real, pack)]
        answers = history(
            meta,
            400,
            9,
            start=history_start(),
            end=history_start().replace(year=2026),
            seen_share=0.5,
        )
        assert {a.mode for a in answers} == {"practice", "cram"}
        assert write_history(bulk, meta, answers) == 400
        assert replay_history(real, answers) == 400
    finally:
        bulk.close()
        real.close()
    for sql in (
        "SELECT * FROM review_log ORDER BY id",
        "SELECT * FROM memory_state ORDER BY question_id",
    ):
        a, b = _table(bulk.paths.database, sql), _table(real.paths.database, sql)
        assert len(a) > 0 and a == b
    firsts = _table(bulk.paths.database, "SELECT COUNT(*) FROM review_log WHERE first_attempt")
    assert firsts[0][0] == len({a.qid for a in answers})
    leeches = _table(
        bulk.paths.database,
        "SELECT COUNT(*) FROM review_log WHERE memory_before LIKE '%\"leech\":true%'",
    )
    assert leeches[0][0] > 0  # the leech rule was exercised


def test_built_profile_opens_and_reports_consistent_counts(tmp_path, cli):
    """A built profile opens in the app; info and stats agree with what was generated."""
    built = build_profile(tmp_path / "prof", 300, 2_000, seed=4)
    assert built.answers == 2_000 and built.seen == 60
    res = cli("--now", "2026-11-23T09:00:00Z", "info", "--json", data_dir_arg=built.data_dir)
    assert res.code == 0, res.err
    counts = json.loads(res.out)["counts"]
    assert counts["questions"] == 300 and counts["reviews"] == 2_000 and counts["packs"] == 1
    res = cli("--now", "2026-11-23T09:00:00Z", "stats", "--json", data_dir_arg=built.data_dir)
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert doc["reviews"] == 2_000
    assert sum(s["questions"] for s in doc["skills"]) == 300
    seen = sum(s["seen"] for s in doc["skills"])
    assert 0 < seen <= built.seen  # cram-only questions have no memory yet
    assert 0.0 < doc["readiness"] <= 1.0


def test_a_bank_over_the_pack_size_is_installed_as_numbered_packs(tmp_path, monkeypatch):
    """A bank larger than one pack file holds (the xlarge size) goes in as several packs,
    each with its share of the questions in generation order, and the history spans them."""
    monkeypatch.setattr(generator, "PACK_QUESTIONS", 40)
    built = build_profile(tmp_path / "prof", 100, 500, seed=5)
    db = built.data_dir / "studyapp.sqlite3"
    assert _table(db, "SELECT key FROM pack ORDER BY id") == [
        ("bench-synthetic-1",),
        ("bench-synthetic-2",),
        ("bench-synthetic-3",),
    ]
    # Keys sort in generation order (the Anki side pairs questions and notes by it).
    keys = [k for (k,) in _table(db, "SELECT key FROM question ORDER BY key")]
    assert keys == [q.id for q in make_pack(100, 5).questions]
    per_pack = _table(
        db,
        "SELECT p.key, MIN(q.key), MAX(q.key), COUNT(*) FROM question q "
        "JOIN pack p ON p.id = q.pack_id GROUP BY p.key ORDER BY p.key",
    )
    assert per_pack == [
        ("bench-synthetic-1", keys[0], keys[39], 40),
        ("bench-synthetic-2", keys[40], keys[79], 40),
        ("bench-synthetic-3", keys[80], keys[99], 20),
    ]
    assert _table(db, "SELECT COUNT(*) FROM review_log") == [(500,)]
    assert len(list(tmp_path.glob("prof-pack*.studypack"))) == 3
