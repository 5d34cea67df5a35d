"""One writer per profile: an OS lock on the profile's lock file for the process lifetime.

The lock is taken with ``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows. Both
are released by the operating system when the process ends, however it ends (a crash or
SIGKILL included), so a stale lock file never blocks the next start: the file itself is
never deleted, only locked. The holder writes its process id into the file so the refusal
can say which process has the profile.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from studyapp.domain.errors import ProfileError, ProfileInUseError

# Windows locks a byte range; lock one byte past the process id so others can read the id.
_WIN_LOCK_OFFSET = 64


class ProfileLock:
    """An exclusive, non-blocking lock on ``path``; use :meth:`acquire` and :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> ProfileLock:
        """Take the lock or raise :class:`ProfileInUseError` at once (never waits)."""
        if self._fd is not None:
            return self
        try:
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise ProfileError(
                f"Could not create the lock file {self.path}: {exc.strerror or exc}. Check "
                "that the profile folder is writable."
            ) from exc
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            holder = _read_holder(self.path)
            who = f" (process {holder})" if holder else ""
            raise ProfileInUseError(
                f"The profile {self.path.parent} is in use by another StudyApp{who}. Close "
                "that one first.",
                other_folder=True,
            ) from exc
        self._fd = fd
        _write_holder(fd)
        return self

    def release(self) -> None:
        """Release the lock (idempotent); the file stays for the next holder."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> ProfileLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _write_holder(fd: int) -> None:
    """Record our process id; best effort (the lock, not the text, is what protects)."""
    try:
        text = f"{os.getpid()}\n".encode()
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text.ljust(_WIN_LOCK_OFFSET - 1, b" "))
    except OSError:
        return


def _read_holder(path: Path) -> str | None:
    try:
        text = path.read_bytes()[: _WIN_LOCK_OFFSET - 1].decode("ascii", "replace").strip()
    except OSError:
        return None
    return text if text.isdigit() else None
