"""Where things live: the profile folder, its database, backups, logs, shipped data.

One profile is one folder. Its location, in order of precedence: the ``--data-dir`` option,
the ``STUDYAPP_DATA_DIR`` environment variable, then platformdirs' user data directory for
"StudyApp" (for example ``~/.local/share/StudyApp`` on Linux, ``%LOCALAPPDATA%\\StudyApp``
on Windows, ``~/Library/Application Support/StudyApp`` on macOS). The same rules hold in a
frozen (PyInstaller) build, whose read-only shipped data sits under ``sys._MEIPASS``.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "StudyApp"
DATA_DIR_ENV = "STUDYAPP_DATA_DIR"
LOG_DIR_ENV = "STUDYAPP_LOG_DIR"
DATABASE_NAME = "studyapp.sqlite3"


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def bundle_root() -> Path:
    """The folder that holds read-only shipped files (package data, question banks)."""
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]  # set by PyInstaller
    return Path(__file__).resolve().parent.parent


def package_data_dir() -> Path:
    """``studyapp/data``: framework definitions and other shipped definitions."""
    return Path(__file__).resolve().parent / "data"


def shipped_banks_dir() -> Path:
    """The shipped question packs (``question_banks/`` in the source tree).

    Installed wheels carry them as the package ``studyapp.question_banks``; an editable
    install and a source checkout find the top-level folder; a frozen build has them in
    its bundle.
    """
    if is_frozen():
        return bundle_root() / "question_banks"
    try:
        banks = importlib.import_module("studyapp.question_banks")
        return Path(next(iter(banks.__path__)))
    except ImportError:
        return bundle_root() / "question_banks"


def default_data_dir() -> Path:
    """The platform's per-user data folder for StudyApp."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


@dataclass(frozen=True, slots=True)
class AppPaths:
    """Every path of one profile; create with :meth:`resolve`."""

    data_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        """The progress database."""
        return self.data_dir / DATABASE_NAME

    @property
    def backups(self) -> Path:
        """Automatic and manual backups of the database."""
        return self.data_dir / "backups"

    @property
    def lock_file(self) -> Path:
        """Held by the one process that may write this profile."""
        return self.data_dir / "studyapp.lock"

    @property
    def log_file(self) -> Path:
        """The rotating log file."""
        return self.log_dir / "studyapp.log"

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        """Apply the precedence rules (option, environment, platform default)."""
        chosen = data_dir or os.environ.get(DATA_DIR_ENV) or default_data_dir()
        root = Path(chosen).expanduser().resolve()
        log_env = os.environ.get(LOG_DIR_ENV)
        if log_env:
            log_dir = Path(log_env).expanduser().resolve()
        elif data_dir or os.environ.get(DATA_DIR_ENV):
            # An explicit profile keeps its log beside it, so tests and portable
            # profiles never write into the user's real log folder.
            log_dir = root / "logs"
        else:
            log_dir = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
        return cls(data_dir=root, log_dir=log_dir)
