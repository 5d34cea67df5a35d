"""Hostile and broken archives: one clear problem each, nothing written, no traceback."""

from __future__ import annotations

import os
import zipfile

import pytest

from studyapp.packs.limits import ArchiveLimits
from studyapp.services.packs.files import validate_pack_file
from tests.packs.factory import pack, question, write_dir


def _zip(path, entries, *, symlink: str | None = None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            z.writestr(info, "/etc/passwd")
    return path


def _only_error(result):
    errors = [p for p in result.problems if p.severity == "error"]
    assert not result.valid and len(errors) == 1, result.problems
    assert "Traceback" not in errors[0].message
    return errors[0].message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../evil.json", "'..'"),
        ("/abs/evil.json", "absolute"),
        ("a\\..\\b.json", "backslash"),
        ("C:/evil.json", "absolute"),
    ],
)
def test_unsafe_entry_names_are_refused(tmp_path, name, expected):
    """Zip-slip names are refused before anything is read, and nothing is written."""
    before = set(os.listdir(tmp_path))
    archive = _zip(tmp_path / "x.studypack", {"manifest.json": "{}", name: "x"})
    message = _only_error(validate_pack_file(archive))
    assert expected in message
    assert set(os.listdir(tmp_path)) == before | {"x.studypack"}
    assert not (tmp_path.parent / "evil.json").exists()


def test_symlink_entries_are_refused(tmp_path):
    """An archive entry that is a symbolic link is refused."""
    archive = _zip(tmp_path / "x.studypack", {"manifest.json": "{}"}, symlink="questions/link.json")
    assert "symbolic link" in _only_error(validate_pack_file(archive))


def test_symlink_in_folder_is_refused(tmp_path):
    """A pack folder may not contain links (they could point anywhere)."""
    folder = write_dir(pack([question("q1")]), tmp_path / "p")
    (folder / "media").mkdir()
    (folder / "media" / "x.png").symlink_to("/etc/hostname")
    assert "symbolic link" in _only_error(validate_pack_file(folder))


def test_zip_bomb_is_refused_by_ratio(tmp_path):
    """An entry that expands past the ratio limit is stopped while reading."""
    archive = _zip(
        tmp_path / "bomb.studypack", {"manifest.json": "{}", "questions/a.json": b"0" * 20_000_000}
    )
    assert "zip bomb" in _only_error(validate_pack_file(archive))


def test_too_many_files_is_refused(tmp_path):
    """More entries than the limit is refused without reading them."""
    from studyapp.packs import source

    archive = _zip(tmp_path / "many.studypack", {f"media/{i}.png": b"x" for i in range(30)})
    with pytest.raises(Exception, match="limit is 10"):
        source.read_pack_files(archive, ArchiveLimits(max_files=10))


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04garbage", os.urandom(2048)])
def test_random_and_truncated_files_give_one_line(tmp_path, content):
    """Random bytes and truncated archives are one clear problem."""
    path = tmp_path / "broken.studypack"
    path.write_bytes(content)
    assert "not a readable pack archive" in _only_error(validate_pack_file(path))


def test_truncated_real_archive(tmp_path):
    """A real pack cut in half is reported, not crashed on."""
    from studyapp.packs.studypack import write_pack_zip

    full = tmp_path / "full.studypack"
    write_pack_zip(pack([question(f"q{i}") for i in range(50)]), full)
    cut = tmp_path / "cut.studypack"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    result = validate_pack_file(cut)
    assert not result.valid and result.problems


def test_non_utf8_json_is_reported(tmp_path):
    """A question file that is not UTF-8 names the file and the fix."""
    from tests.packs.factory import reseal

    folder = write_dir(pack([question("q1")]), tmp_path / "p")
    (folder / "questions" / "leadership-vision.json").write_bytes(
        '{"questions": ["caf\xe9"]}'.encode("latin-1")
    )
    reseal(folder)
    result = validate_pack_file(folder)
    assert any(
        "not UTF-8" in p.message and "leadership-vision.json" in p.where for p in result.problems
    )
