"""A ``studyapp`` command run as a real process, its output lines collected as they
arrive, killed with SIGKILL when a crash test says so (POSIX only)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.conftest import REPO


class CliProcess:
    """``python -m studyapp --data-dir DATA_DIR ARGS``; stdout lines in :attr:`lines`.

    A torn last line (no newline: the process died while writing it) is not collected:
    it would not report a commit.
    """

    def __init__(self, data_dir: Path, args: Sequence[str], stderr_file: Path) -> None:
        self.started = time.monotonic()
        self.lines: list[str] = []
        self.first_line_at: float | None = None  # seconds from start to the first line
        self._cond = threading.Condition()
        self._stderr_file = stderr_file
        with stderr_file.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir), *args],
                stdout=subprocess.PIPE,
                stderr=err,
                stdin=subprocess.DEVNULL,
                cwd=REPO,
            )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8")
            if not line.endswith("\n"):
                continue
            with self._cond:
                if self.first_line_at is None:
                    self.first_line_at = time.monotonic() - self.started
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def wait_until(
        self, done: Callable[[list[str]], bool], limit_s: float, *, must_run: bool
    ) -> None:
        """Block until ``done(lines)``; with ``must_run`` the process may not end first
        (else its end stops the wait too). Fails after ``limit_s`` without a new line."""
        deadline = time.monotonic() + limit_s
        with self._cond:
            while not done(self.lines):
                running = self.proc.poll() is None
                if not running:
                    assert not must_run, self.stderr
                    return
                left = deadline - time.monotonic()
                assert left > 0, f"studyapp printed nothing new for {limit_s} s"
                self._cond.wait(min(left, 0.05))

    def kill(self) -> int:
        """SIGKILL the process, wait for it to be gone (its profile lock with it)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait(timeout=60)
        self._reader.join(timeout=60)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return code

    @property
    def stderr(self) -> str:
        return self._stderr_file.read_text("utf-8", "replace")
