"""Every validation rule reports where and what, all problems at once."""

from __future__ import annotations

import json

from studyapp.services.packs.files import validate_pack_file
from tests.packs.factory import edit_questions, pack, question, reseal, write_dir


def _problems(folder):
    result = validate_pack_file(folder)
    return result, [(p.severity, p.where, p.message) for p in result.problems]


def test_valid_pack_has_no_problems(tmp_path):
    """A pack written by the app's own writer validates clean."""
    result, problems = _problems(
        write_dir(pack([question("q1"), question("q2", multiple=True)]), tmp_path / "p")
    )
    assert result.valid and problems == []


def test_content_rules_are_all_reported_at_once(tmp_path):
    """Unknown skill, duplicate id, wrong correct counts, empty rationale: all reported."""
    folder = write_dir(
        pack([question("q1"), question("q2"), question("q3"), question("q4")]), tmp_path / "p"
    )

    def break_them(qs):
        qs[0]["skill"] = "underwater-basket-weaving"
        qs[1]["id"] = "q1"
        qs[2]["options"][1]["correct"] = True  # single with two keys
        qs[3]["options"][2]["rationale"] = "  "
        qs.append({**qs[3], "id": "q5", "type": "multiple"})  # multiple with one key

    edit_questions(folder, break_them)
    result, problems = _problems(folder)
    assert not result.valid
    text = "\n".join(f"{w}: {m}" for _s, w, m in problems)
    assert "q1: skill" in text and "not a skill area of cetl" in text
    assert "id is used twice" in text
    assert "q3: options" in text and "exactly one correct option; it has 2" in text
    assert "q4: options[2].rationale" in text
    assert "q5: options" in text and "at least two correct options" in text


def test_hash_mismatch_and_unlisted_files(tmp_path):
    """A changed file and a file missing from the manifest are both errors."""
    folder = write_dir(pack([question("q1")]), tmp_path / "p")
    path = folder / "questions" / "leadership-vision.json"
    path.write_text(path.read_text("utf-8").replace("FIRST", "LAST"), "utf-8")
    (folder / "questions" / "extra.json").write_text('{"questions": []}', "utf-8")
    result, problems = _problems(folder)
    assert not result.valid
    assert any(
        "SHA-256 does not match" in m and "leadership-vision.json" in w for _s, w, m in problems
    )
    assert any(
        "not listed in the manifest" in m and w == "questions/extra.json" for _s, w, m in problems
    )


def test_revisions_notes_are_accepted_but_a_stray_file_is_warned(tmp_path):
    """REVISIONS.md, like README.md, is a listed note for people; another stray file is warned."""
    folder = write_dir(pack([question("q1")]), tmp_path / "p")
    (folder / "REVISIONS.md").write_text("# Revisions\n\n- q1: cue removed\n", "utf-8")
    (folder / "NOTES.txt").write_text("scratch\n", "utf-8")
    reseal(folder)
    result, problems = _problems(folder)
    assert result.valid
    assert [(s, w) for s, w, _m in problems] == [("warning", "NOTES.txt")]


def test_missing_media_is_an_error(tmp_path):
    """An image reference to a file the pack lacks is reported, with the reason."""
    folder = write_dir(
        pack([question("q1", stem="See ![chart](media/chart.png). What now?")]), tmp_path / "p"
    )
    result, problems = _problems(folder)
    assert not result.valid
    assert any("media/chart.png" in m for _s, _w, m in problems)


def test_remote_image_is_an_error(tmp_path):
    """Remote images are never loaded and are reported."""
    folder = write_dir(
        pack([question("q1", stem="![x](https://evil.example/x.png) Which?")]), tmp_path / "p"
    )
    result, _ = _problems(folder)
    assert not result.valid


def test_svg_media_is_refused(tmp_path):
    """SVG (which can carry scripts) is not an allowed image type."""
    folder = write_dir(pack([question("q1")]), tmp_path / "p")
    (folder / "media").mkdir()
    (folder / "media" / "x.svg").write_text("<svg onload='alert(1)'/>", "utf-8")
    reseal(folder)
    result, problems = _problems(folder)
    assert not result.valid and any(w == "media/x.svg" for _s, w, _m in problems)


def test_newer_format_version_names_both(tmp_path):
    """A pack in a newer format is refused naming both versions."""
    folder = write_dir(pack([question("q1")]), tmp_path / "p")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["format_version"] = 7
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    result, problems = _problems(folder)
    assert not result.valid
    assert any("format 7" in m and "up to format 1" in m for _s, _w, m in problems)


def test_unknown_framework_without_definition(tmp_path):
    """A pack for a framework the app does not know needs its framework.json."""
    folder = write_dir(pack([question("q1")]), tmp_path / "p")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["framework"] = "cecto"
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    _, problems = _problems(folder)
    assert any("'cecto' is unknown" in m for _s, _w, m in problems)


def test_shipped_cetl_pack_validates_clean():
    """question_banks/cetl-core validates with no errors and no warnings."""
    from studyapp.config import shipped_banks_dir

    result, problems = _problems(shipped_banks_dir() / "cetl-core")
    assert result.valid and problems == []
    assert len(result.pack.questions) >= 300
