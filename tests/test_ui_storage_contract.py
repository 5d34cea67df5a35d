"""The UI reaches data only through services: an import of storage from studyapp.ui is refused."""

from __future__ import annotations

from tests.test_import_contracts import _copy_project, _run_lint


def test_ui_importing_storage_breaks_the_contracts(tmp_path):
    """A UI module that imports studyapp.storage makes lint-imports fail on that contract."""
    root = _copy_project(tmp_path)
    bad = root / "studyapp" / "ui" / "leak.py"
    bad.write_text("from studyapp.storage import sqlite_errors\n", encoding="utf-8")
    result = _run_lint(root)
    assert result.returncode != 0, "contract missed an import of storage from the UI"
    assert "The UI does not import storage BROKEN" in result.stdout
