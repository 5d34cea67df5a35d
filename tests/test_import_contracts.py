"""The layer rules are import-linter contracts, and they are live."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def _run_lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(
        REPO / "studyapp", root / "studyapp", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_contracts_pass_on_the_real_tree(tmp_path):
    """The project as it is keeps every contract."""
    result = _run_lint(_copy_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or "0 broken" in result.stdout.lower()


def test_domain_importing_qt_or_sqlalchemy_breaks_the_contracts(tmp_path):
    """A domain module that imports PySide6 or SQLAlchemy makes lint-imports fail."""
    for offender in ("PySide6.QtCore", "sqlalchemy"):
        root = _copy_project(tmp_path / offender)
        bad = root / "studyapp" / "domain" / "leak.py"
        bad.write_text(f"import {offender}\n", encoding="utf-8")
        result = _run_lint(root)
        assert result.returncode != 0, f"contract missed an import of {offender}"
        assert "BROKEN" in result.stdout.upper()
