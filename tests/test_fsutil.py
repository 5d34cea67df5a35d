"""The one atomic whole-file write (studyapp.fsutil); the app writes whole files only through it."""

from __future__ import annotations

import ast
import os
import stat
import sys
from pathlib import Path

import pytest

from studyapp import fsutil

ROOT = Path(__file__).resolve().parent.parent / "studyapp"


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def _fsync_log(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Record every os.fsync as (path of the descriptor, is it a folder), then do it."""
    calls: list[tuple[str, bool]] = []
    real = os.fsync

    def spy(fd: int) -> None:
        link = f"/proc/self/fd/{fd}"
        name = os.readlink(link) if os.path.exists(link) else str(fd)
        calls.append((name, stat.S_ISDIR(os.fstat(fd).st_mode)))
        real(fd)

    monkeypatch.setattr(fsutil.os, "fsync", spy)
    return calls


def test_write_replaces_the_content_and_leaves_nothing_beside(tmp_path):
    """The target holds exactly the new bytes and no temporary file remains."""
    target = tmp_path / "report.html"
    target.write_bytes(b"old")
    fsutil.write_atomically(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert _leftovers(tmp_path, {"report.html"}) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no directory handles")
def test_write_fsyncs_the_file_and_then_its_folder(tmp_path, monkeypatch):
    """The new content is fsynced before the rename, and the folder after it."""
    calls = _fsync_log(monkeypatch)
    target = tmp_path / "card.json"
    fsutil.write_atomically(target, b"{}")
    files = [name for name, is_dir in calls if not is_dir]
    folders = [name for name, is_dir in calls if is_dir]
    assert files and all(Path(f).parent == tmp_path for f in files), calls
    assert folders == [str(tmp_path)], calls
    assert [is_dir for _, is_dir in calls][-1] is True  # the folder last: after the rename


def test_a_failed_fsync_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    """A disk that fails while flushing: the old content stays, the error is raised."""
    target = tmp_path / "summary.json"
    target.write_bytes(b"old")

    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fsutil.os, "fsync", broken)
    with pytest.raises(OSError, match="Input/output"):
        fsutil.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path, {"summary.json"}) == []


def test_a_failed_rename_leaves_the_old_file_and_no_temporary_file(tmp_path):
    """When the target cannot be replaced (here: it is a folder), nothing is left behind."""
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_bytes(b"kept")
    with pytest.raises(OSError):
        fsutil.write_atomically(target, b"new")
    assert (target / "inside").read_bytes() == b"kept"
    assert _leftovers(tmp_path, {"taken"}) == []


def test_a_producer_that_fails_leaves_the_old_file(tmp_path):
    """write_atomically_with: whatever the producer raises propagates; nothing changes."""
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-old")

    def produce(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise ValueError("engine failed")

    with pytest.raises(ValueError, match="engine failed"):
        fsutil.write_atomically_with(target, produce)
    assert target.read_bytes() == b"%PDF-old"
    assert _leftovers(tmp_path, {"report.pdf"}) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no directory handles")
def test_a_folder_that_refuses_fsync_does_not_fail_the_write(tmp_path, monkeypatch):
    """Network shares refuse to fsync a folder: the file is in place, so the write succeeds."""
    real = os.fsync

    def no_dirs(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(22, "Invalid argument")
        real(fd)

    monkeypatch.setattr(fsutil.os, "fsync", no_dirs)
    target = tmp_path / "card.json"
    fsutil.write_atomically(target, b"{}")
    assert target.read_bytes() == b"{}"


# Calls that put a whole file in place or write one in place. Anywhere but fsutil they
# would be a second way of writing a file; the listed places do something else.
ALLOWED = {
    # Renames existing database files aside for a repair tool (nothing is written).
    ("storage/backup.py", "replace"),
    # A pack fetched into a fresh temporary folder, checked, then imported and deleted.
    ("services/groups/folder.py", "write_bytes"),
    ("services/groups/hub.py", "write_bytes"),
}
WRITERS = {"replace", "rename", "write_bytes", "write_text"}


def _whole_file_writes(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        owner = node.func.value
        if isinstance(owner, ast.Name) and owner.id in ("os", "shutil"):
            if name in ("replace", "rename", "move", "copyfile", "copy", "copy2"):
                found.append((name, node.lineno))
            continue
        # Path.replace/rename take one positional argument and no keywords; str.replace
        # takes two, datetime.replace and dataclasses.replace take keywords.
        one_arg = len(node.args) == 1 and not node.keywords
        if (name in ("replace", "rename") and one_arg) or name in ("write_bytes", "write_text"):
            found.append((name, node.lineno))
    return found


def test_no_module_but_fsutil_writes_or_replaces_whole_files():
    """Every whole-file write goes through studyapp.fsutil (listed exceptions aside)."""
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "fsutil.py":
            continue
        for name, line in _whole_file_writes(ast.parse(path.read_text("utf-8"))):
            if (rel, name) not in ALLOWED:
                offenders.append(f"{rel}:{line} {name}")
    assert offenders == [], "write through studyapp.fsutil instead: " + ", ".join(offenders)


def test_the_check_sees_a_hand_written_replace():
    """The scan above is live: it finds Path.replace, os.replace and write_text."""
    code = "tmp.replace(target)\nos.replace(a, b)\np.write_text('x')\ns.replace('a', 'b')\n"
    found = sorted(_whole_file_writes(ast.parse(code)), key=lambda hit: hit[1])
    assert [n for n, _ in found] == [
        "replace",
        "replace",
        "write_text",
    ]
