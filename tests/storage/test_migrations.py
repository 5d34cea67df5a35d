"""Migrations: models and the migration head agree; the chain is linear from 0001."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from studyapp.storage import migrate
from studyapp.storage.database import Database
from studyapp.storage.models import Base


def test_models_and_migration_head_agree(tmp_path):
    """Autogenerate finds no difference between the ORM models and the migrated schema."""
    db = Database.open(tmp_path / "db.sqlite3", "test")
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        db.close()


def test_chain_is_linear_and_starts_at_0001():
    """One head, one base, and the first revision is 0001."""
    script = migrate.script_directory()
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    assert migrate.known_revisions()[0] == "0001"


def test_pragmas_are_set(tmp_path):
    """WAL, foreign keys and synchronous=FULL on every connection."""
    db = Database.open(tmp_path / "db.sqlite3", "test")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        db.close()


def test_backup_before_upgrade_is_a_consistent_copy(tmp_path):
    """The pre-upgrade copy holds the same rows and never overwrites an earlier copy."""
    path = tmp_path / "db.sqlite3"
    db = Database.open(path, "test")
    db.close()
    first = migrate.backup_before_upgrade(path, "0001")
    second = migrate.backup_before_upgrade(path, "0001")
    assert first != second and first.parent == path.parent
    with closing(sqlite3.connect(path)) as a, closing(sqlite3.connect(first)) as b:
        assert list(a.iterdump()) == list(b.iterdump())


def test_older_database_is_copied_beside_it_then_upgraded(tmp_path):
    """A 0001 database with history gets a copy beside it, then 0002 back-fills its counters."""
    from studyapp.storage.engine import make_engine

    path = tmp_path / "db.sqlite3"
    engine = make_engine(path)
    migrate.upgrade_to(engine, "0001")
    statements = [
        "INSERT INTO framework (id, key, version, title, definition)"
        " VALUES (1, 'f', '1', 'F', '{}')",
        "INSERT INTO pack (id, key, version, title, description, authors, license,"
        " framework_id, format_version, content_hash, origin, source_format, created,"
        " installed_at, updated_at, manifest) VALUES (1, 'p', '1.0.0', 'P', '', '[]', '',"
        " 1, 1, 'h', 'imported', 'studypack', '', 0, 0, '{}')",
        "INSERT INTO question (id, pack_id, key, qtype, stem, explanation, difficulty,"
        ' "references", revision, retired, content_hash, created_at, updated_at)'
        " VALUES (1, 1, 'q1', 'single', 'S', '', 2, '[]', 1, 0, 'h', 0, 0)",
        "INSERT INTO memory_state (question_id, fsrs_state, due, reps, lapses, suspended,"
        " leech, first_seen) VALUES (1, 2, 0, 3, 0, 0, 0, 0)",
    ]
    for i, correct in enumerate([0, 0, 1], 1):
        statements.append(
            "INSERT INTO review_log (id, question_id, question_ref, skill_key, answered_at,"
            " chosen, correct, response_ms, mode, rating, guessed)"
            f" VALUES ({i}, 1, 'p/q1', 's', {i}, '[]', {correct}, 1000, 'practice', 1, 0)"
        )
    with engine.begin() as conn:
        for sql in statements:
            conn.exec_driver_sql(sql)
    engine.dispose()
    db = Database.open(path, "test")
    try:
        assert db.report.revision_before == "0001" and db.report.revision == migrate.head_revision()
        copy = db.report.upgrade_backup
        assert copy is not None and copy.parent == path.parent
        with closing(sqlite3.connect(copy)) as old:
            assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
            assert old.execute("SELECT COUNT(*) FROM review_log").fetchone() == (3,)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql(
                "SELECT wrong_count, last_correct FROM memory_state"
            ).one() == (2, 1)
            firsts = conn.exec_driver_sql("SELECT id FROM review_log WHERE first_attempt").all()
            assert [r[0] for r in firsts] == [1]
    finally:
        db.close()


def test_statistics_read_uses_the_covering_index_after_upgrade(tmp_path):
    """From 0002, revision 0003 replaces the skill-key index with the covering one, and the
    statistics query (``review_log_groups``) is answered from that index alone."""
    from studyapp.storage.engine import make_engine
    from studyapp.storage.review_log import REVIEW_LOG_GROUPS_SQL, review_log_groups

    path = tmp_path / "db.sqlite3"
    engine = make_engine(path)
    migrate.upgrade_to(engine, "0002")
    engine.dispose()
    db = Database.open(path, "test")
    try:
        with db.engine.connect() as conn:
            names = {
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='review_log'"
                )
            }
            assert "ix_review_log_facts" in names and "ix_review_log_skill_key" not in names
        with db.reader() as session:
            plan = session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + REVIEW_LOG_GROUPS_SQL
            )
            assert "COVERING INDEX ix_review_log_facts" in " ".join(str(r) for r in plan)
            assert list(review_log_groups(session)) == []
    finally:
        db.close()


def test_head_revision_constant_is_the_chains_head():
    """HEAD_REVISION (compared without Alembic at every start) is the scripts' head."""
    assert migrate.chain_head() == migrate.HEAD_REVISION
    assert migrate.known_revisions()[-1] == migrate.HEAD_REVISION


def test_opening_a_database_at_head_imports_no_alembic(tmp_path):
    """A profile at the head opens without Alembic (about 1.5 s of imports); a new one
    needs it to create the schema."""
    import subprocess
    import sys

    from tests.conftest import REPO

    path = tmp_path / "db.sqlite3"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studyapp.storage.database import Database\n"
        f"db = Database.open(Path({str(path)!r}), 'test')\n"
        "print(db.report.revision_before, db.schema_revision(), 'alembic' in sys.modules)\n"
        "db.close()\n"
    )

    def run() -> str:
        return subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert run() == f"None {migrate.HEAD_REVISION} True"  # created: migrated
    assert run() == f"{migrate.HEAD_REVISION} {migrate.HEAD_REVISION} False"
