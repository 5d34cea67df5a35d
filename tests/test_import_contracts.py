"""The layer rules are import-linter contracts, and they are live."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    """A domain module that imports PySide6, SQLAlchemy or the file writer makes lint fail."""
    for offender in ("PySide6.QtCore", "sqlalchemy", "studyapp.fsutil"):
        root = _copy_project(tmp_path / offender)
        bad = root / "studyapp" / "domain" / "leak.py"
        bad.write_text(f"import {offender}\n", encoding="utf-8")
        result = _run_lint(root)
        assert result.returncode != 0, f"contract missed an import of {offender}"
        assert "BROKEN" in result.stdout.upper()


def test_a_services_cycle_or_an_fsutil_import_breaks_the_contracts(tmp_path):
    """Two services modules importing each other, or fsutil importing the domain, fail."""
    root = _copy_project(tmp_path)
    services = root / "studyapp" / "services"
    (services / "circle_a.py").write_text("import studyapp.services.circle_b\n", "utf-8")
    (services / "circle_b.py").write_text("import studyapp.services.circle_a\n", "utf-8")
    fsutil = root / "studyapp" / "fsutil.py"
    fsutil.write_text(fsutil.read_text("utf-8") + "import studyapp.domain.errors\n", "utf-8")
    result = _run_lint(root)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(line.startswith("No import cycles") for line in broken), result.stdout
    assert any(line.startswith("fsutil is a leaf") for line in broken), result.stdout


BACK_EDGES = {
    # Issue 19's circles, each put back the way it used to be: an import for type hints only.
    "services/backups.py": "studyapp.services.profile",
    "services/reports/html.py": "studyapp.services.reports.service",
}


@pytest.mark.parametrize("module", sorted(BACK_EDGES))
def test_an_old_circle_put_back_breaks_the_contracts(tmp_path, module):
    """backups -> profile or report_html -> reports, even under TYPE_CHECKING, fails lint."""
    root = _copy_project(tmp_path)
    source = root / "studyapp" / module
    hint_only = f"\nimport typing\n\nif typing.TYPE_CHECKING:\n    import {BACK_EDGES[module]}\n"
    source.write_text(source.read_text("utf-8") + hint_only, "utf-8")
    result = _run_lint(root)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert [line.startswith("No import cycles") for line in broken] == [True], result.stdout


UI_BACK_EDGES = {
    # Issue 19's UI circle, each edge put back for type hints only: the controller knowing
    # the window, a screen knowing the controller.
    "ui/controller.py": (
        "studyapp.ui.main_window",
        "No import cycles in the UI: controller, window and screens",
    ),
    "ui/screens/settings.py": (
        "studyapp.ui.controller",
        "Screens and widgets do not import the controller or the window",
    ),
}


@pytest.mark.parametrize("module", sorted(UI_BACK_EDGES))
def test_the_old_ui_circle_put_back_breaks_the_contracts(tmp_path, module):
    """controller -> main_window or a screen -> controller, even under TYPE_CHECKING, fails."""
    imported, contract = UI_BACK_EDGES[module]
    root = _copy_project(tmp_path)
    source = root / "studyapp" / module
    hint_only = f"\nimport typing\n\nif typing.TYPE_CHECKING:\n    import {imported}\n"
    source.write_text(source.read_text("utf-8") + hint_only, "utf-8")
    result = _run_lint(root)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert broken == [f"{contract} BROKEN"], result.stdout
