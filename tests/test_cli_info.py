"""``studyapp info`` and the profile it creates: the foundation's contract."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

from studyapp.storage.migrate import head_revision


def _dump(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def test_info_json_on_empty_folder_creates_profile_at_head(cli, tmp_path):
    """A fresh folder becomes a profile at the migration head with CETL's 10 skill areas."""
    result = cli("info", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["schema_revision"] == head_revision()
    counts = doc["counts"]
    assert (counts["frameworks"], counts["skill_areas"], counts["reviews"]) == (1, 10, 0)
    assert counts["packs"] == 1 and counts["questions"] >= 300, "the CETL pack loads on first run"
    assert Path(doc["database"]).is_file()
    assert Path(doc["data_dir"]) == cli.data_dir.resolve()
    assert "cetl" in doc["frameworks"]


def test_info_twice_changes_nothing(cli):
    """Running info again leaves every row as it was."""
    assert cli("info").code == 0
    db = cli.data_dir / "studyapp.sqlite3"
    before = _dump(db)
    second = cli("info", "--json")
    assert second.code == 0
    assert _dump(db) == before
    assert not list(cli.data_dir.glob("*.bak")), "no upgrade backup when already at head"


def test_info_text_names_folder_and_counts(cli):
    """The human form names the folder, the revision and the counts."""
    result = cli("info")
    assert result.code == 0
    assert str(cli.data_dir.resolve()) in result.out
    assert "Skill areas: 10" in result.out
    assert f"Schema revision: {head_revision()}" in result.out


def test_newer_schema_is_refused_and_left_byte_identical(cli):
    """A database stamped with an unknown newer revision is refused and not touched."""
    assert cli("info").code == 0
    db = cli.data_dir / "studyapp.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # fold the WAL in so the file is complete
        conn.execute("UPDATE alembic_version SET version_num='9999'")
        conn.commit()
    for extra in db.parent.glob("studyapp.sqlite3-*"):
        extra.unlink()
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    mtime = db.stat().st_mtime_ns
    result = cli("info", "--json")
    assert result.code == 3
    assert result.out == ""
    assert "9999" in result.err and head_revision() in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert db.stat().st_mtime_ns == mtime
    assert not list(db.parent.glob("studyapp.sqlite3-*")), "no WAL or SHM file was created"


def test_not_a_database_gives_one_clear_line(cli):
    """A file that is not SQLite is reported in one line and moved aside, bytes unchanged."""
    cli.data_dir.mkdir(parents=True)
    db = cli.data_dir / "studyapp.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    result = cli("info")
    assert result.code == 3
    assert "is damaged (file is not a database)" in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    [moved] = cli.data_dir.glob("studyapp.sqlite3.damaged-*")
    assert moved.read_bytes() == b"this is not a database" * 100


def test_data_dir_from_environment(monkeypatch, tmp_path):
    """STUDYAPP_DATA_DIR chooses the profile when --data-dir is absent."""
    import io
    from contextlib import redirect_stdout

    from studyapp.app import main

    target = tmp_path / "from-env"
    monkeypatch.setenv("STUDYAPP_DATA_DIR", str(target))
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["info", "--json"]) == 0
    assert json.loads(out.getvalue())["data_dir"] == str(target.resolve())


def test_usage_errors_are_one_line_exit_2(cli):
    """Unknown commands and bad --now values are one line on stderr and exit 2."""
    for argv in (["frobnicate"], ["--now", "yesterday", "info"]):
        result = cli(*argv)
        assert result.code == 2, argv
        assert result.err.startswith("studyapp: error:")
        assert result.err.count("\n") == 1
        assert "Traceback" not in result.err


def test_version_flag(cli):
    """--version prints the version and exits 0."""
    from studyapp import __version__

    result = cli("--version")
    assert result.code == 0
    assert __version__ in result.out
