"""The one way a front end opens a profile and learns what to do when it cannot.

Both the command line (:meth:`studyapp.cli.base.CommandContext.profile`) and the GUI
(:class:`studyapp.ui.controller.AppController`, on its worker thread) call
:func:`open_profile`. It opens (creating and migrating as needed), imports the shipped
packs on a first start, reads the settings, and turns every way the profile can refuse
into an :class:`OpenResult` whose :class:`OpenStatus` says which refusal it is and what
recovery is possible. Each front end only presents that result: the CLI prints the
message and exits with the error's :class:`~studyapp.domain.errors.ExitCode`; the GUI
shows a dialog (offering the backup to restore when there is one).

Why one function: the damage rules (check before writing, move a damaged file aside
with its bytes unchanged, name the newest good backup) must not differ between the two;
they used to be written twice, and the GUI's background-check variant had a recovery
step (a failure after a failed check is reported as damage) the CLI lacked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.config import AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import (
    DatabaseDamagedError,
    ExitCode,
    ProfileInUseError,
    SchemaTooNewError,
    StudyAppError,
    command_line_text,
)

if TYPE_CHECKING:
    from studyapp.domain.settings import Settings
    from studyapp.services.profile import Profile

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]

SETTING_UP = "Setting up your profile…"
SEEDING = "Importing the CETL question bank"


class OpenStatus(Enum):
    """How an attempt to open a profile ended."""

    OPENED = "opened"
    IN_USE = "in_use"  # another StudyApp holds the profile's lock
    DAMAGED_WITH_BACKUP = "damaged_with_backup"  # moved aside; a good backup can replace it
    DAMAGED_NO_BACKUP = "damaged_no_backup"  # moved aside; the next start begins empty
    TOO_NEW = "too_new"  # written by a newer StudyApp; left untouched
    UNUSABLE = "unusable"  # anything else the user must fix (folder, disk, permissions)


@dataclass(frozen=True, slots=True)
class OpenResult:
    """What :func:`open_profile` found.

    ``profile`` and ``settings`` are set exactly when ``status`` is ``OPENED`` (the
    caller then owns the profile and must close it); ``error`` is set exactly when it is
    not, and its ``str()`` is the complete sentence to show the user. ``created`` says
    this call created the profile's database (a first start; always False on a refusal).
    """

    status: OpenStatus
    profile: Profile | None = None
    settings: Settings | None = None
    error: StudyAppError | None = None
    created: bool = False

    @property
    def opened(self) -> bool:
        """True when the profile is open."""
        return self.status is OpenStatus.OPENED

    @property
    def message(self) -> str:
        """The sentence the command line prints ("" when the profile opened); a window
        words its own (:func:`studyapp.ui.errors.screen_text`)."""
        return "" if self.error is None else command_line_text(self.error)

    @property
    def exit_code(self) -> ExitCode:
        """The CLI's exit status for this result."""
        return ExitCode.OK if self.error is None else self.error.exit_code

    @property
    def moved_to(self) -> Path | None:
        """Where a damaged database was moved (None unless damaged)."""
        return self.error.moved_to if isinstance(self.error, DatabaseDamagedError) else None

    @property
    def backup_to_restore(self) -> Path | None:
        """The newest good backup to offer in place of a damaged database, if any."""
        if isinstance(self.error, DatabaseDamagedError):
            return self.error.newest_backup
        return None

    def profile_or_raise(self) -> Profile:
        """The open profile, or the refusal raised (for callers that stop on it)."""
        if self.profile is not None:
            return self.profile
        assert self.error is not None
        raise self.error


def classify(error: StudyAppError) -> OpenStatus:
    """The :class:`OpenStatus` of a refusal to open (never ``OPENED``)."""
    if isinstance(error, DatabaseDamagedError):
        if error.newest_backup is not None:
            return OpenStatus.DAMAGED_WITH_BACKUP
        return OpenStatus.DAMAGED_NO_BACKUP
    if isinstance(error, ProfileInUseError):
        return OpenStatus.IN_USE
    if isinstance(error, SchemaTooNewError):
        return OpenStatus.TOO_NEW
    return OpenStatus.UNUSABLE


def _quiet(_done: int, _total: int, _text: str) -> None:
    """No progress reporting (the CLI's one-shot commands)."""


def seeding_words(progress: Progress) -> Progress:
    """The shipped pack's import progress in the user's words ("…: 120 of 317")."""

    def report(done: int, total: int, _text: str = "") -> None:
        if total:
            progress(done, total, f"{SEEDING}: {done} of {total}")
        else:
            progress(0, 0, f"{SEEDING}: checking the questions…")

    return report


def open_profile(
    paths: AppPaths,
    clock: Clock,
    app_version: str,
    *,
    progress: Progress = _quiet,
    background_check: bool = False,
) -> OpenResult:
    """Open the profile at ``paths``, seed it on its first start, and read its settings.

    Never raises a :class:`StudyAppError`: every refusal comes back as a result with its
    status and error (nothing left open, the lock released). A bug (any other exception)
    still raises, with the profile closed.

    ``progress(done, total, text)`` hears of a first start ("Setting up your profile…")
    and of the shipped pack's import. ``background_check`` (the GUI) opens a database at
    the head revision while its damage check runs beside it
    (:meth:`Profile.open`); if something then fails while that check has not passed, the
    failure is taken for the damage it likely is: the file is checked the ordinary way
    and, if damaged, moved aside and reported as such.
    """
    created = not paths.database.exists()
    if created:
        progress(0, 0, SETTING_UP)
    # Imported here, after the first-start words went out: these load SQLAlchemy and the
    # migrations, which the GUI must not wait for before it paints (issue 9), and a
    # first start should say what it does before that wait.
    from studyapp.services.backups import move_aside_if_damaged
    from studyapp.services.packs.service import PackService
    from studyapp.services.profile import Profile

    try:
        profile = Profile.open(paths, clock, app_version, background_check=background_check)
        try:
            PackService(profile).seed_shipped(seeding_words(progress))
            settings = profile.settings()
        except BaseException:
            profile.close()  # waits for a damage check still running
            if profile.check is not None and not profile.check.passed:
                move_aside_if_damaged(paths, clock)  # raises DatabaseDamagedError if damaged
            raise
    except StudyAppError as exc:
        status = classify(exc)
        log.info("profile %s not opened (%s): %s", paths.data_dir, status.value, exc)
        return OpenResult(status, error=exc)
    return OpenResult(OpenStatus.OPENED, profile, settings, created=created)


def reopen_after_failed_check(
    profile: Profile, app_version: str, *, progress: Progress = _quiet
) -> OpenResult:
    """Close ``profile``, whose background damage check did not pass, and open it again
    the ordinary way: checked before anything is written, so a damaged file is moved
    aside and reported (``DAMAGED_*``) and a file the check only doubted opens normally.
    """
    profile.close()
    return open_profile(profile.paths, profile.clock, app_version, progress=progress)
