"""Errors shown to people: plain words and where the log is; the traceback of an unexpected
error goes to the log file only, never into the dialog."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from studyapp.domain.errors import DatabaseDamagedError, ProfileError, StudyAppError

log = logging.getLogger(__name__)


def screen_text(exc: StudyAppError) -> str:
    """``exc``'s sentence in a window's words: the way out through the menus, never a
    command line (the CLI prints :func:`~studyapp.domain.errors.command_line_text`)."""
    if isinstance(exc, DatabaseDamagedError) and exc.newest_backup is not None:
        text = (
            f"{exc.situation} Its newest good backup is {exc.newest_backup.name}: "
            "File > Restore from a backup… brings it back."
        )
    else:
        text = str(exc)
    if isinstance(exc, ProfileError) and exc.other_folder:
        text += " Or open another profile with File > Switch profile…"
    return text


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, plain-language text) for an exception."""
    if isinstance(exc, StudyAppError):
        return "StudyApp could not do that", screen_text(exc)
    return (
        "Something went wrong",
        "StudyApp met an unexpected problem and stopped that action. Your saved progress is "
        "safe. If it happens again, please send the log file to the people who gave you the app.",
    )


def show_error(parent: QWidget | None, exc: BaseException, log_file: Path | None) -> QMessageBox:
    """Log ``exc`` and show a non-blocking dialog about it; returns the dialog."""
    if isinstance(exc, StudyAppError):
        log.warning("%s", exc)
    else:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    title, text = describe(exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    if log_file is not None:
        box.setInformativeText(f"Details are in the log file:\n{log_file}")
    box.setAccessibleName(title)
    box.setObjectName("errorDialog")
    box.open()
    return box
