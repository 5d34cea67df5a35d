"""``studyapp pack …`` on the command line: JSON shapes and exit codes."""

from __future__ import annotations

import json

from tests.cli_terminal import scripted_terminal, use_terminal
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


def test_list_json_is_the_contracts_array_of_packs(cli, tmp_path):
    """pack list --json is a list of {id, …} (cli-contract.md's shape), one entry per pack."""
    write_dir(pack([question("q1"), question("q2")]), tmp_path / "p")
    assert cli("pack", "import", str(tmp_path / "p")).code == 0
    result = cli("pack", "list", "--json")
    assert result.code == 0, result.err
    listed = json.loads(result.out)
    assert isinstance(listed, list) and len(listed) == 2
    for entry in listed:
        assert {"id", "version", "display_version", "title", "questions"} <= set(entry)
    test_pack = next(p for p in listed if p["id"] == "test-pack")
    assert test_pack["questions"] == 2 and test_pack["retired"] == 0


def test_remove_asks_through_the_prompt_and_no_keeps_the_pack(cli, tmp_path, monkeypatch):
    """Without --yes the confirmation goes through the prompt module: 'n' removes nothing
    (exit 1), 'y' removes the pack."""
    write_dir(pack([question("q1"), question("q2")]), tmp_path / "p")
    assert cli("pack", "import", str(tmp_path / "p")).code == 0
    asked = use_terminal(monkeypatch, scripted_terminal("n\n"))
    declined = cli("pack", "remove", "test-pack")
    assert declined.code == 1 and declined.out == "Nothing removed.\n"
    assert asked.out.getvalue() == (
        "Remove pack test-pack (2 questions)? Your answer history is kept. [y/N] "
    )
    assert "test-pack" in {p["id"] for p in json.loads(cli("pack", "list", "--json").out)}
    use_terminal(monkeypatch, scripted_terminal("y\n"))
    removed = cli("pack", "remove", "test-pack")
    assert removed.code == 0, removed.err
    assert "Removed pack test-pack and its 2 questions" in removed.out
    assert [p["id"] for p in json.loads(cli("pack", "list", "--json").out)] == ["cetl-core"]


def test_remove_json_says_what_was_removed(cli, tmp_path, monkeypatch):
    """pack remove --json is one object: pack, removed, questions (also when declined)."""
    write_dir(pack([question("q1"), question("q2")]), tmp_path / "p")
    assert cli("pack", "import", str(tmp_path / "p")).code == 0
    use_terminal(monkeypatch, scripted_terminal("no\n"))
    declined = cli("pack", "remove", "test-pack", "--json")
    assert declined.code == 1
    assert json.loads(declined.out) == {"pack": "test-pack", "removed": False, "questions": 0}
    done = cli("pack", "remove", "test-pack", "--yes", "--json")
    assert done.code == 0, done.err
    assert json.loads(done.out) == {"pack": "test-pack", "removed": True, "questions": 2}


def test_seal_json_counts_the_files_and_the_folder_validates(cli, tmp_path):
    """pack seal --json after a hand edit: {path, files}; the resealed folder is valid."""
    folder = write_dir(pack([question("q1"), question("q2")]), tmp_path / "p")
    edited = next(p for p in sorted(folder.rglob("*.json")) if p.name != "manifest.json")
    edited.write_text(edited.read_text("utf-8") + "\n", encoding="utf-8")
    assert cli("pack", "validate", str(folder)).code == 1  # the hash no longer matches
    result = cli("pack", "seal", str(folder), "--json")
    assert result.code == 0, result.err
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"]
    assert json.loads(result.out) == {"path": str(folder), "files": len(files)}
    assert cli("pack", "validate", str(folder)).code == 0
