"""``File → Study group → Join…/Sync now/Group screen``, and the group sync at start-up.

Kept apart from the Group screen's module so that the main window can add the menu
without importing the services (and SQLAlchemy) before its first paint: the screen
and :class:`GroupService` are imported when first used, on the worker thread for the
sync itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from studyapp.services.changes import Outcome
    from studyapp.services.groups import SyncReport
    from studyapp.services.profile import Profile
    from studyapp.ui.context import ScreenContext, Shell
    from studyapp.ui.screens.group import GroupScreen


def _sync_if_joined(profile: Profile) -> Outcome[SyncReport | None]:
    from studyapp.services.groups import GroupService

    return GroupService(profile).sync_if_joined()


def add_group_menu(window: Shell, controller: ScreenContext, file_menu: QMenu) -> QMenu:
    """Add the Study group submenu to ``file_menu`` and sync the group when a profile opens.

    A sync at start-up that fails (the shared folder is not connected) says so in the
    status bar, not in a dialog: the app works offline and syncs next time. A hub whose
    password libpq cannot find asks for it first.
    """
    menu = file_menu.addMenu("Study &group")
    menu.setObjectName("studyGroupMenu")

    def screen() -> GroupScreen:
        from studyapp.ui.screens.group import GroupScreen

        return window.screen_of(GroupScreen)

    def show() -> None:
        from studyapp.ui.screens.group import GroupScreen

        window.show_screen(GroupScreen)

    for text, name, slot in (
        ("&Join…", "groupJoinAction", lambda: screen().open_join()),
        ("&Sync now", "groupSyncAction", lambda: screen().sync_now()),
        ("Group &screen", "groupScreenAction", show),
    ):
        action = QAction(text, window)
        action.setObjectName(name)
        action.triggered.connect(slot)
        menu.addAction(action)

    def done(report: SyncReport | None) -> None:
        if report is None:
            return
        screen().stale = True
        problems = f" {report.problems[0]}" if report.problems else ""
        window.statusBar().showMessage(report.summary() + problems, 20_000)

    def failed(exc: BaseException) -> None:
        screen().stale = True  # its last-sync line says why
        window.statusBar().showMessage(f"Study group not synced: {exc}", 20_000)

    def sync_at_start() -> None:
        # A hub whose password libpq cannot find asks for it (then syncs); see
        # studyapp.ui.screens.group_password.
        from studyapp.ui.screens.group_password import run_group_op

        run_group_op(controller, window, _sync_if_joined, done, failed)

    controller.profile_opened.connect(sync_at_start)
    return menu
