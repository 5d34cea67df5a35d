"""``studyapp selftest`` starts the real GUI headless and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys


def test_selftest_exits_zero_and_writes_screenshots(tmp_path):
    """A fresh profile opens, every screen is visited in both themes, PNGs are written."""
    shots = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "studyapp",
            "--data-dir",
            str(tmp_path / "p"),
            "selftest",
            "--screenshots",
            str(shots),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "selftest passed" in result.stdout
    pngs = sorted(p.name for p in shots.glob("*.png"))
    assert "home-light.png" in pngs and "home-dark.png" in pngs
    assert all((shots / p).stat().st_size > 5_000 for p in pngs)


def test_selftest_fails_clearly_on_unusable_profile(tmp_path):
    """A broken profile makes selftest exit non-zero with one line, not a traceback."""
    profile = tmp_path / "p"
    profile.mkdir()
    (profile / "studyapp.sqlite3").write_bytes(b"x" * 4096)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(profile), "selftest"],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert result.returncode == 3
    assert "selftest failed" in result.stderr and "Traceback" not in result.stderr


FAILING_SCREEN = """
import sys
import studyapp.ui.tour as tour
from studyapp.app import main


def broken_walk(*args, **kwargs):
    raise RuntimeError("a screen failed to draw")
    yield  # a generator, as the real walk is


tour.walk = broken_walk
sys.exit(main(sys.argv[1:]))
"""


def test_selftest_with_a_failing_screen_exits_unexpected(tmp_path):
    """A screen that raises makes selftest exit 70 (UNEXPECTED: the app is broken), one line."""
    from studyapp.domain.errors import ExitCode

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", FAILING_SCREEN, "--data-dir", str(tmp_path / "p"), "selftest"],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert result.returncode == ExitCode.UNEXPECTED == 70, result.stderr
    lines = [line for line in result.stderr.splitlines() if "selftest failed" in line]
    assert lines == ["studyapp: selftest failed: RuntimeError: a screen failed to draw"]
    assert "Traceback" not in result.stderr
