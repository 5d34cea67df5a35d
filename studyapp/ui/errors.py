"""Errors shown to people: plain words, details on request, and where the log is."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from studyapp.domain.errors import StudyAppError

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, plain-language text) for an exception."""
    if isinstance(exc, StudyAppError):
        return "StudyApp could not do that", str(exc)
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
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box.setAccessibleName(title)
    box.setObjectName("errorDialog")
    box.open()
    return box
