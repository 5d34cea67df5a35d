"""One writer: a second StudyApp process on the same profile is refused with a clear message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from studyapp.domain.errors import DatabaseDamagedError, ProfileInUseError
from studyapp.services.profile import Profile
from studyapp.storage.lock import ProfileLock
from tests.conftest import REPO
from tests.dbtools import damage_middle_pages, fill, rows_of

HOLDER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from studyapp.config import AppPaths
from studyapp.domain.clock import FixedClock
from studyapp.services.profile import Profile

paths = AppPaths(data_dir=Path(sys.argv[1]), log_dir=Path(sys.argv[2]))
profile = Profile.open(paths, FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC)), "test")
print("opened", flush=True)
sys.stdin.readline()
profile.close()
print("closed", flush=True)
"""


class Holder:
    """Another Python process that opens the profile and keeps it open until told."""

    def __init__(self, paths) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(paths.data_dir), str(paths.log_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        line = self.proc.stdout.readline()
        assert line.strip() == "opened", self.proc.stderr.read()

    def close(self) -> None:
        out, err = self.proc.communicate("\n", timeout=60)
        assert self.proc.returncode == 0, err
        assert "closed" in out

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.communicate(timeout=60)


@pytest.fixture
def existing(paths, clock):
    """A profile that exists on disk with some questions."""
    p = Profile.open(paths, clock, "test")
    fill(p, 10)
    p.close()
    return paths


def test_second_process_is_refused_with_a_clear_message(existing, clock):
    """While another process has the profile open, opening it here fails and changes nothing."""
    holder = Holder(existing)
    try:
        before = rows_of(existing.database)
        with pytest.raises(ProfileInUseError) as caught:
            Profile.open(existing, clock, "test")
        message = str(caught.value)
        assert "in use by another StudyApp" in message
        assert f"process {holder.proc.pid}" in message
        assert "\n" not in message
        assert rows_of(existing.database) == before
    finally:
        holder.close()
    Profile.open(existing, clock, "test").close()  # free again once the other one closed


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_lock_of_a_killed_process_does_not_block_the_next_start(existing, clock):
    """The OS drops the lock when its holder dies, even by SIGKILL: no stale lock file."""
    holder = Holder(existing)
    holder.kill()
    assert existing.lock_file.exists()
    Profile.open(existing, clock, "test").close()


def test_second_open_in_the_same_process_is_refused(existing, clock):
    """Two opens of one profile in one process conflict too (the lock is per open file)."""
    first = Profile.open(existing, clock, "test")
    try:
        with pytest.raises(ProfileInUseError, match=f"process {os.getpid()}"):
            Profile.open(existing, clock, "test")
    finally:
        first.close()
    Profile.open(existing, clock, "test").close()


def test_failed_open_releases_the_lock(existing, clock):
    """An open that fails (here: a damaged database) leaves the profile free."""
    p = Profile.open(existing, clock, "test")
    fill(p, 150, pack_id="big")
    p.close()
    damage_middle_pages(existing.database)
    with pytest.raises(DatabaseDamagedError):
        Profile.open(existing, clock, "test")
    with ProfileLock(existing.lock_file) as lock:
        assert lock.held


def test_close_is_idempotent_and_releases(existing, clock):
    """Closing twice is harmless, and the profile can be opened again afterwards."""
    p = Profile.open(existing, clock, "test")
    p.close()
    p.close()
    Profile.open(existing, clock, "test").close()
