"""``studyapp pack import/export`` with GIFT, Moodle XML, Aiken and CSV files."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "packs" / "fixtures"
KEYS = ("added", "updated", "retired", "unchanged", "skipped")


def copy(tmp_path: Path, name: str, target: str | None = None) -> Path:
    path = tmp_path / (target or name)
    path.write_bytes((FIXTURES / name).read_bytes())
    return path


def test_import_gift_json_report(cli, tmp_path):
    """--json gives the documented counts plus skipped items, warnings and categories."""
    result = cli("pack", "import", str(copy(tmp_path, "district-bank.gift")), "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert {k: doc[k] for k in KEYS} == {
        "added": 5,
        "updated": 0,
        "retired": 0,
        "unchanged": 0,
        "skipped": 3,
    }
    assert len(doc["skipped_items"]) == 3 and doc["skipped_items"][0].startswith("line 35")
    assert doc["categories"]["CETL/Strategic Planning"] == "strategic-planning"
    listed = {p["id"]: p for p in json.loads(cli("pack", "list", "--json").out)}
    assert listed["district-bank"]["source_format"] == "gift"


def test_import_text_output_lists_skips_and_mapping(cli, tmp_path):
    """Without --json, people see the summary, what was skipped, and the mapping."""
    result = cli("pack", "import", str(copy(tmp_path, "district-bank.xml")))
    assert result.code == 0, result.err
    assert result.out.startswith("Installed district-bank, imported edition: 3 added")
    assert "sha" not in result.out.splitlines()[0]
    assert "Skipped:\n  line 40 (Bandwidth sum)" in result.out
    assert "  CETL/Communication Systems Management -> communication-systems\n" in result.out


def test_format_and_skill_options(cli, tmp_path):
    """--format forces the reader; --skill assigns every question."""
    path = copy(tmp_path, "district-bank.csv", "bank.data")
    result = cli(
        "pack", "import", str(path), "--format", "csv", "--skill", "it-management", "--json"
    )
    assert result.code == 0, result.err
    assert set(json.loads(result.out)["categories"].values()) == {"it-management"}
    bad = cli("pack", "import", str(path), "--format", "qti")
    assert bad.code == 2 and "invalid choice" in bad.err


def test_nothing_importable_is_one_line_exit_1(cli, tmp_path):
    """A file with nothing importable: one stderr line naming the file, nothing installed."""
    path = tmp_path / "essays.gift"
    path.write_text("::e::Tell me.{}\n", "utf-8")
    result = cli("pack", "import", str(path))
    assert result.code == 1 and result.out == ""
    assert str(path) in result.err and "line 1 (e): essay" in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert [p["id"] for p in json.loads(cli("pack", "list", "--json").out)] == ["cetl-core"]


def test_export_gift_and_moodle_xml_then_import_elsewhere(cli, tmp_path):
    """pack export --format gift|moodle-xml writes files another profile imports whole."""
    for fmt, ext in (("gift", "gift"), ("moodle-xml", "xml")):
        out = tmp_path / f"planning.{ext}"
        result = cli(
            "pack",
            "export",
            "--format",
            fmt,
            "--skill",
            "strategic-planning",
            "--out",
            str(out),
            "--json",
        )
        assert result.code == 0, result.err
        exported = json.loads(result.out)["questions"]
        other = cli("pack", "import", str(out), "--json", data_dir_arg=tmp_path / f"other-{ext}")
        assert other.code == 0, other.err
        doc = json.loads(other.out)
        assert doc["added"] == exported and doc["skipped"] == 0
        assert doc["categories"] == {"cetl/Strategic Planning": "strategic-planning"}


def test_export_rejects_formats_it_cannot_write(cli, tmp_path):
    """Aiken and CSV are import-only: export refuses them as a usage error."""
    result = cli("pack", "export", "--format", "aiken", "--out", str(tmp_path / "x.txt"))
    assert result.code == 2 and "invalid choice" in result.err


def test_same_file_same_version_in_every_profile_and_list_shows_no_hash(cli, tmp_path):
    """The facilitator's re-import of an edited file and a newcomer's first import report
    the same version (issue 16); 'pack list' shows people a plain version, --json the full."""
    path = copy(tmp_path, "district-bank.gift")
    newcomer = tmp_path / "newcomer"
    assert cli("pack", "import", str(path)).code == 0
    path.write_text(path.read_text("utf-8").replace("::sp-survey-02::", "::sp-survey-2b::"))
    second = json.loads(cli("pack", "import", str(path), "--json").out)
    first = json.loads(cli("pack", "import", str(path), "--json", data_dir_arg=newcomer).out)
    assert second["status"] == "updated" and first["status"] == "installed"
    assert second["version"] == first["version"]
    text = cli("pack", "list").out
    assert "district-bank" in text and "sha" not in text and "edition of" in text
    listed = {p["id"]: p for p in json.loads(cli("pack", "list", "--json").out)}
    assert listed["district-bank"]["version"] == first["version"]
