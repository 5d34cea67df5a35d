"""Long operations with a progress dialog, cancellable where that is safe.

The operation runs on the worker thread and reports ``progress(done, total, text)``. When
the user cancels, the next ``progress`` call raises :class:`CancelledError`; operations that
write do so in one transaction, so a cancelled import leaves the database as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from studyapp.domain.errors import StudyAppError


class CancelledError(StudyAppError):
    """The user cancelled the operation; nothing was changed."""


class ProgressReporter:
    """Thread-safe progress callback that raises once cancellation is requested."""

    def __init__(
        self, emit: Callable[[int, int, str], None], cancelled: threading.Event | None = None
    ) -> None:
        """``cancelled`` may be shared with the GUI thread, which sets it (Cancel)."""
        self._emit = emit
        self._cancel = cancelled if cancelled is not None else threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def __call__(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise CancelledError("CancelledError; nothing was changed.")
        self._emit(done, total, text)


def make_dialog(parent: QWidget, title: str, cancellable: bool) -> QProgressDialog:
    """A window-modal progress dialog that appears only if the work takes a moment."""
    dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setAccessibleName(title)
    return dialog


def update_dialog(dialog: QProgressDialog, done: int, total: int, text: str) -> None:
    """Show progress (indeterminate while the total is unknown)."""
    dialog.setMaximum(max(total, 0))
    if total:
        dialog.setValue(min(done, total))
    if text:
        dialog.setLabelText(text)
