"""The project's own exceptions.

Every error a user can meet is a :class:`StudyAppError` whose ``str()`` is a complete,
plain-language sentence: what went wrong, where, and what to do. Front ends (CLI, GUI)
print that sentence and never a traceback. Anything else that escapes is a bug and is
logged with its traceback.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Every exit status of ``studyapp``: the one list (``docs/cli.md`` documents it).

    Scripts rely on these numbers, so members are only ever added.
    """

    OK = 0
    INPUT = 1  # bad input or a state that refuses the request (invalid pack, no such pack)
    USAGE = 2  # the command line itself is wrong (unknown option, options that conflict)
    PROFILE = 3  # the profile cannot be used: in use, damaged, too new, cannot be written
    NO_DISPLAY = 69  # sysexits EX_UNAVAILABLE: the GUI was asked for and there is no display
    UNEXPECTED = 70  # sysexits EX_SOFTWARE: a bug; the error line names the log file
    INTERRUPTED = 130  # Ctrl+C (128 + SIGINT, as shells report it)


class StudyAppError(Exception):
    """Base of every error that is the user's input or environment, not a bug.

    ``exit_code`` is what the CLI returns for it (:class:`ExitCode`).
    """

    exit_code: ExitCode = ExitCode.INPUT


class ProfileError(StudyAppError):
    """The profile folder or its database cannot be used as it is.

    ``other_folder`` is true when choosing another profile folder is a way out. The message
    does not say how, since each front end has its own way: the command line's
    ``--data-dir`` (:func:`command_line_text`), the window's File > Switch profile.
    """

    exit_code = ExitCode.PROFILE

    def __init__(self, message: str, *, other_folder: bool = False) -> None:
        super().__init__(message)
        self.other_folder = other_folder


class SchemaTooNewError(ProfileError):
    """The database was written by a newer StudyApp; it is refused and left untouched."""


class ProfileInUseError(ProfileError):
    """Another StudyApp process holds the profile."""


class FrameworkError(StudyAppError):
    """A framework definition (categories, skill areas, weights) is invalid."""


class QuestionGoneError(StudyAppError):
    """A question asked for by id no longer exists (its pack was removed since it was shown)."""

    def __init__(self, qid: int) -> None:
        super().__init__(f"Question {qid} no longer exists (its pack may have been removed).")


class PackError(StudyAppError):
    """A question pack (or an interchange file) cannot be read or applied."""


class DatabaseDamagedError(ProfileError):
    """The profile database failed its start-up check and was moved aside, not overwritten.

    ``moved_to`` is where the damaged file now is (its ``-wal``/``-shm`` beside it, renamed
    alike); ``newest_backup`` is the newest backup that passed its own check, if any. The
    message names both and the command that restores the backup; ``situation`` is the same
    without that command (what happened and where the file went), for a screen that offers a
    button instead of a command line.
    """

    def __init__(
        self,
        message: str,
        moved_to: Path,
        newest_backup: Path | None,
        situation: str | None = None,
    ) -> None:
        super().__init__(message)
        self.moved_to = moved_to
        self.newest_backup = newest_backup
        self.situation = message if situation is None else situation


class WriteFailedError(ProfileError):
    """A change could not be written (disk full, read-only file, I/O error); nothing changed."""


class BackupError(ProfileError):
    """A backup could not be written, or a file offered for restore is not a usable backup."""


def command_line_text(exc: StudyAppError) -> str:
    """The sentence the command line prints for ``exc``: its message, and for a profile
    another folder would avoid, how to choose one there."""
    text = str(exc)
    if isinstance(exc, ProfileError) and exc.other_folder:
        text += " Or choose another data folder with --data-dir."
    return text
