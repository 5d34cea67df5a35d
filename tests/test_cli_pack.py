"""``studyapp pack …`` on the command line: JSON shapes and exit codes."""

from __future__ import annotations

import json

from tests.packs.factory import pack, question, write_dir


def test_validate_json_shape_and_exit_codes(cli, tmp_path):
    """valid + problems; exit 0 when valid, 1 when not."""
    good = write_dir(pack([question("q1")]), tmp_path / "good")
    result = cli("pack", "validate", str(good), "--json")
    assert result.code == 0
    doc = json.loads(result.out)
    assert doc["valid"] is True and doc["problems"] == []
    bad = tmp_path / "bad.studypack"
    bad.write_bytes(b"not a zip")
    result = cli("pack", "validate", str(bad), "--json")
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["valid"] is False
    assert set(doc["problems"][0]) == {"severity", "where", "message"}


def test_stats_of_shipped_pack(cli):
    """pack stats --json on the shipped bank shows the CETL spread."""
    result = cli("pack", "stats", "question_banks/cetl-core", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["questions"] >= 300
    assert (
        doc["by_skill"]["leadership-vision"] >= 45 and doc["by_skill"]["strategic-planning"] >= 45
    )
    for skill in ("communication-systems", "business-management", "data-management"):
        assert doc["by_skill"][skill] >= 20


def test_import_json_report_and_list(cli, tmp_path):
    """pack import --json gives the counts; pack list --json lists ids."""
    folder = write_dir(pack([question("q1"), question("q2")]), tmp_path / "p")
    result = cli("pack", "import", str(folder), "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert {k: doc[k] for k in ("added", "updated", "retired", "unchanged", "skipped")} == {
        "added": 2,
        "updated": 0,
        "retired": 0,
        "unchanged": 0,
        "skipped": 0,
    }
    listed = json.loads(cli("pack", "list", "--json").out)
    assert {p["id"] for p in listed} == {"cetl-core", "test-pack"}


def test_broken_import_is_one_line_and_exit_1(cli, tmp_path):
    """A broken pack import is one stderr line naming the file; nothing is installed."""
    bad = tmp_path / "broken.studypack"
    bad.write_bytes(b"PK\x03\x04 truncated")
    result = cli("pack", "import", str(bad))
    assert result.code == 1 and result.out == ""
    assert str(bad) in result.err and result.err.count("\n") == 1
    listed = json.loads(cli("pack", "list", "--json").out)
    assert [p["id"] for p in listed] == ["cetl-core"]


def test_remove_needs_yes_without_a_terminal(cli):
    """pack remove refuses to act silently; --yes removes."""
    result = cli("pack", "remove", "cetl-core")
    assert result.code == 2 and "--yes" in result.err
    assert cli("pack", "remove", "cetl-core", "--yes").code == 0
    assert json.loads(cli("pack", "list", "--json").out) == []
