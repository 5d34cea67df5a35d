"""Whole-file writes that a crash or a full disk can never leave half done.

The one implementation of "write a file atomically" in StudyApp: reports, exports, pack
files, group cards, Home's summary and the database backups all come through here.

How: the new content goes to a temporary file *in the same folder* as the target (a
rename is atomic only within one file system), the temporary file is fsynced, renamed
over the target with :func:`os.replace`, and then the folder is fsynced so the rename
itself survives a power cut. A reader sees the old file or the new one, never a mix.
On any failure the temporary file is removed and the old target is left as it was; the
:class:`OSError` is raised for the caller to turn into its own plain message (each
caller knows what the file is for and what the user can do about it).

The folder fsync is best effort, as in SQLite (``unixSync`` ignores it failing):
Windows has no directory handles, and network shares (SMB, some FUSE mounts) refuse to
fsync a folder. By then the new file is in place, so reporting the write as failed
would be wrong.

Standard library only, so that ``storage``, ``packs``, ``services`` and ``ui`` can all use
it; ``domain`` does no I/O and may not (import-linter contract in ``pyproject.toml``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


def temporary_beside(target: Path, tag: str = "tmp") -> Path:
    """A hidden name beside ``target`` for its next content (unique per process)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{tag}")


def fsync_file(path: Path) -> None:
    """Flush ``path``'s content to the disk."""
    with path.open("rb+") as stream:
        os.fsync(stream.fileno())


def fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable, where the platform and file system allow it."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        log.debug("folder %s not opened for fsync: %s", folder, exc)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        log.debug("folder %s not fsynced: %s", folder, exc)
    finally:
        os.close(fd)


def replace_file(prepared: Path, target: Path) -> None:
    """Put the finished file ``prepared`` in place of ``target``, durably.

    ``prepared`` must be in ``target``'s folder. It is fsynced, renamed over ``target``
    and the folder fsynced. Raises :class:`OSError`; ``prepared`` is not removed here.
    """
    fsync_file(prepared)
    prepared.replace(target)  # os.replace: atomic, and over an existing file on Windows too
    fsync_dir(target.parent)


def write_atomically_with(target: Path, produce: Callable[[Path], None]) -> None:
    """Let ``produce`` write the new content into a temporary file, then put it in place.

    For writers that want a path rather than bytes (a PDF engine). Whatever ``produce``
    raises propagates, the temporary file is removed and ``target`` is untouched.
    """
    tmp = temporary_beside(target)
    try:
        produce(tmp)
        replace_file(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    """Replace ``target``'s content with ``data`` atomically and durably.

    Raises :class:`OSError` (target untouched, no temporary file left behind).
    """
    write_atomically_with(target, lambda tmp: _write_bytes(tmp, data))


def _write_bytes(path: Path, data: bytes) -> None:
    with path.open("wb") as stream:
        stream.write(data)
