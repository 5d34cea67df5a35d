"""Asking for a group hub's password in the app, and running a group operation with it.

libpq looks for a hub password in ``~/.pgpass``, ``PGPASSFILE`` and ``PGPASSWORD``. When
none has it, the operation (on the worker thread) fails with
:class:`~studyapp.domain.group.HubPasswordError`; :func:`run_group_op` then asks for it in
:class:`HubPasswordDialog` (a password field, non-blocking), keeps it in memory for this
run only (:func:`~studyapp.services.groups.hub.remember_password`: never in the profile,
never in the log) and runs the operation once more. A password the hub refuses is one
line in the error dialog; it is forgotten, and nothing was changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.group import HubPasswordError
from studyapp.ui.screens.group_join import fit_width

if TYPE_CHECKING:
    from studyapp.services.changes import Outcome
    from studyapp.services.profile import Profile
    from studyapp.ui.context import ScreenContext

T = TypeVar("T")


class HubPasswordDialog(QDialog):
    """The password of one login on one group hub."""

    def __init__(self, need: HubPasswordError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.waiting: list[tuple[Callable[[], None], Callable[[], None]]] = []
        self.setObjectName("hubPasswordDialog")
        self.setWindowTitle("Group hub password")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The group hub {need.where} asks for the password of {need.login}. StudyApp "
            "keeps it only until you close the app; it is never saved."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        label = QLabel("&Password:")
        self.password = QLineEdit()
        self.password.setObjectName("hubPassword")
        self.password.setAccessibleName("Group hub password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        label.setBuddy(self.password)
        layout.addWidget(label)
        layout.addWidget(self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Connect")
        self.ok_button.setObjectName("hubPasswordOk")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_width(self, 480)


_asking: dict[tuple[str, str, str, str], HubPasswordDialog] = {}


def ask_password(
    parent: QWidget, need: HubPasswordError, then: Callable[[], None], cancelled: Callable[[], None]
) -> HubPasswordDialog:
    """Ask for the password ``need`` names (non-blocking); on Connect keep it in memory
    for this run and call ``then``, on Cancel call ``cancelled``. One dialog per login: a
    second need while it is open (the sync at start-up and the Group screen) waits for the
    same answer."""
    waiting = _asking.get(need.key)
    if waiting is not None:
        waiting.waiting.append((then, cancelled))
        waiting.raise_()
        return waiting
    dialog = HubPasswordDialog(need, parent)
    dialog.waiting.append((then, cancelled))
    _asking[need.key] = dialog

    def finished(code: int) -> None:
        _asking.pop(need.key, None)
        password = dialog.password.text()
        dialog.password.clear()
        dialog.deleteLater()
        accepted = code == QDialog.DialogCode.Accepted and bool(password)
        if accepted:
            from studyapp.services.groups.hub import remember_password

            remember_password(need.key, password)
        for on_answer, on_cancel in dialog.waiting:
            (on_answer if accepted else on_cancel)()

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


def run_group_op(
    controller: ScreenContext,
    parent: QWidget,
    fn: Callable[[Profile], Outcome[T]],
    on_done: Callable[[T], None],
    on_failed: Callable[[BaseException], None],
) -> None:
    """``controller.run_op(fn, on_done)``; when it fails for a hub password that was not
    found, ask for it and run ``fn`` again. Any other failure, a refused password and a
    cancelled question go to ``on_failed``."""

    def failed(exc: BaseException) -> None:
        if isinstance(exc, HubPasswordError) and not exc.refused:
            ask_password(
                parent,
                exc,
                lambda: controller.run_op(fn, on_done, on_failed),
                lambda: on_failed(exc),
            )
            return
        on_failed(exc)

    controller.run_op(fn, on_done, failed)
