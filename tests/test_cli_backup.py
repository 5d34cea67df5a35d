"""``studyapp backup`` / ``restore`` and the profile errors on the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from studyapp.config import AppPaths
from studyapp.domain.clock import FixedClock
from studyapp.services.profile import Profile
from tests.conftest import REPO, T0
from tests.dbtools import damage_middle_pages, fill, rows_of


def test_backup_writes_into_the_backups_folder(cli):
    """backup with no --out writes a manual backup in <profile>/backups and names it."""
    assert cli("info").code == 0
    result = cli("backup", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert set(doc) >= {"path", "kind", "size"}
    assert doc["kind"] == "manual"
    path = cli.data_dir / "backups" / os.path.basename(doc["path"])
    assert path.is_file() and rows_of(path) == rows_of(cli.data_dir / "studyapp.sqlite3")
    text = cli("backup")
    assert text.code == 0 and text.out.startswith("Backed up the profile database to ")


def test_backup_out_and_refusal_to_overwrite(cli, tmp_path):
    """--out FILE writes there; an existing FILE is refused with one line and exit 3."""
    target = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(target)).code == 0
    assert target.is_file()
    again = cli("backup", "--out", str(target))
    assert again.code == 3
    assert again.err.startswith("studyapp: error: ") and again.err.count("\n") == 1
    assert "already exists" in again.err


def test_restore_round_trip(cli, tmp_path):
    """restore FILE puts the backup back and reports the kept copy of the replaced database."""
    assert cli("info").code == 0
    target = tmp_path / "before.sqlite3"
    assert cli("backup", "--out", str(target)).code == 0
    assert cli("pack", "remove", "cetl-core", "--yes").code == 0
    result = cli("restore", str(target))
    assert result.code == 0, result.err
    assert "The previous database was kept as " in result.out
    listed = json.loads(cli("pack", "list", "--json").out)
    assert [p["id"] for p in listed] == ["cetl-core"]
    doc = json.loads(cli("restore", str(target), "--json").out)
    assert set(doc) >= {"restored_from", "database", "schema_revision", "previous_kept"}


def test_restore_of_a_non_backup_is_one_line(cli, tmp_path):
    """A file that is not a StudyApp backup: one stderr line, non-zero exit, nothing changed."""
    assert cli("info").code == 0
    db = cli.data_dir / "studyapp.sqlite3"
    before = rows_of(db)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"junk" * 2000)
    result = cli("restore", str(junk))
    assert result.code == 3
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert rows_of(db) == before


def test_damaged_database_exit_code_and_suggested_restore_command(cli):
    """info on a damaged database: exit 3, one line with the restore command, which works."""
    assert cli("info").code == 0
    assert cli("backup").code == 0
    damage_middle_pages(cli.data_dir / "studyapp.sqlite3")
    result = cli("info")
    assert result.code == 3
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "is damaged" in result.err and "moved aside" in result.err
    match = re.search(r"studyapp --data-dir (\S+) restore (\S+)\.$", result.err.strip())
    assert match, result.err
    assert match[1] == str(cli.data_dir)
    restored = cli("restore", match[2])
    assert restored.code == 0, restored.err
    info = json.loads(cli("info", "--json").out)
    assert info["counts"]["questions"] >= 300


def test_cli_in_a_second_process_says_the_profile_is_in_use(tmp_path, clock):
    """While one StudyApp holds the profile, `studyapp info` in another process exits 3."""
    paths = AppPaths(data_dir=tmp_path / "p", log_dir=tmp_path / "logs")
    first = Profile.open(paths, FixedClock(T0), "test")
    try:
        fill(first, 3)
        result = subprocess.run(
            [sys.executable, "-m", "studyapp", "--data-dir", str(paths.data_dir), "info"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
            check=False,
        )
    finally:
        first.close()
    assert result.returncode == 3
    assert "in use by another StudyApp" in result.stderr
    assert f"process {os.getpid()}" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
