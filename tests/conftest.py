"""Shared fixtures: a real profile folder in tmp, a fixed clock, the CLI in-process.

Qt runs offscreen when there is no display. A fixture fails any test that leaves a
top-level window open (as napari's suite does), so screens clean up after themselves.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from studyapp.config import AppPaths
from studyapp.domain.clock import FixedClock

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    """A fresh profile folder (not yet created) with its log beside it."""
    return AppPaths(data_dir=tmp_path / "profile", log_dir=tmp_path / "logs")


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at 2026-11-23 09:00 UTC; tests move it explicitly."""
    return FixedClock(T0)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[object]:
    """Run ``studyapp`` in-process against a profile in tmp; returns CliResult."""
    from studyapp.app import main

    data_dir = tmp_path / "cli-profile"

    def run(*args: str, data_dir_arg: Path | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        argv = ["--data-dir", str(data_dir_arg or data_dir), *args]
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
        return CliResult(code, out.getvalue(), err.getvalue())

    run.data_dir = data_dir  # type: ignore[attr-defined]
    yield run


@pytest.fixture(autouse=True)
def _no_leaked_windows(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a visible top-level window behind."""
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    app.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in leaked:
        widget.close()
    if leaked:
        names = ", ".join(type(w).__name__ for w in leaked)
        pytest.fail(f"test left windows open: {names}")
