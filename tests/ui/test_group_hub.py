"""The Join dialog and Sync now with a PostgreSQL group hub (issue 17), through the real
widgets: typing a hub address joins the hub; a hub that went away is one line in the
error dialog, and the next Sync now after it is back completes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox

from benchmarks.pgcluster import shared_cluster, skip_reason
from studyapp.config import AppPaths
from studyapp.services.groups import GroupService, read_membership
from studyapp.services.groups import hub as hub_admin
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.ui.screens.group import GroupScreen
from studyapp.ui.screens.group_password import HubPasswordDialog
from tests.hub.conftest import Hub, make_hub
from tests.ui.conftest import settle
from tests.ui.test_group import GIFT
from tests.ui.test_library import type_text


def _error_box() -> QMessageBox | None:
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog"]
    visible = [b for b in boxes if isinstance(b, QMessageBox) and b.isVisible()]
    return visible[0] if visible else None


@pytest.fixture
def hub_url(north_hub) -> str:
    """ann's address to join the hub's group North (her password in PGPASSFILE)."""
    return north_hub.url("ann", group="North")


@pytest.fixture
def north_hub(tmp_path: Path, clock, monkeypatch) -> Hub:
    """A hub with a group "North" (one GIFT pack) led by fac; ann a member login."""
    reason = skip_reason()
    if reason is not None:
        pytest.skip(reason)
    hub = make_hub(shared_cluster(), tmp_path, monkeypatch)
    hub_admin.init_hub(hub.url())
    hub_admin.add_login(hub.url(), "fac", "facilitator", hub.remember("fac"))
    hub_admin.add_login(hub.url(), "ann", "member", hub.remember("ann"))
    paths = AppPaths(data_dir=tmp_path / "facilitator", log_dir=tmp_path / "flogs")
    profile = Profile.open(paths, clock, "1.0")
    try:
        service = GroupService(profile)
        service.create(hub.url("fac"), "North")
        gift = tmp_path / "district-quiz.gift"
        gift.write_text(GIFT, encoding="utf-8")
        service.publish(gift)
    finally:
        profile.close()
    return hub


def test_the_join_dialog_takes_a_hub_address_and_a_lost_hub_is_one_line(
    app_controller, qtbot, hub_url
):
    """Join with a postgresql:// address; then the server stops: Sync now says why in one
    line (the error dialog); it starts again: Sync now completes."""
    window = app_controller.window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    screen = window.screen_of(GroupScreen)
    settle(qtbot, app_controller)
    qtbot.mouseClick(screen.join_button, Qt.MouseButton.LeftButton)
    dialog = screen.join_dialog
    type_text(qtbot, dialog.folder, hub_url)
    type_text(qtbot, dialog.name, "Ann")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(lambda: screen.status is not None, timeout=30_000)
    membership = read_membership(app_controller.profile)
    assert membership is not None and membership.location.startswith("postgresql://ann@")
    assert "district-quiz" in [p.id for p in PackService(app_controller.profile).list()]
    assert [c.name for c in screen.status.members] == ["Ann"]

    cluster = shared_cluster()
    cluster.stop("immediate")
    try:
        qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
        settle(qtbot, app_controller)
        qtbot.waitUntil(lambda: _error_box() is not None, timeout=30_000)
        box = _error_box()
        message = box.text()
        box.close()
        assert "\n" not in message and "Could not reach the PostgreSQL group hub" in message
        qtbot.waitUntil(lambda: screen.sync_state.text().startswith("Last sync failed today at "))
        assert "could not reach the PostgreSQL group hub" in screen.sync_state.text()
    finally:
        cluster.start()
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(
        lambda: "Synced with North" in window.statusBar().currentMessage(), timeout=30_000
    )
    qtbot.waitUntil(lambda: screen.sync_state.text().startswith("Last synced today at "))


def _join_through_the_dialog(app_controller, qtbot, url: str) -> GroupScreen:
    window = app_controller.window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    screen = window.screen_of(GroupScreen)
    settle(qtbot, app_controller)
    qtbot.mouseClick(screen.join_button, Qt.MouseButton.LeftButton)
    dialog = screen.join_dialog
    type_text(qtbot, dialog.folder, url)
    type_text(qtbot, dialog.name, "Ann")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return screen


def _password_dialog(qtbot) -> HubPasswordDialog:
    found: list[HubPasswordDialog] = []

    def shown() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, HubPasswordDialog) and w.isVisible()
        ]
        return bool(found)

    qtbot.waitUntil(shown, timeout=30_000)
    return found[0]


@pytest.fixture
def no_pgpass(north_hub, tmp_path, monkeypatch) -> Hub:
    """libpq finds no password for ann: an empty PGPASSFILE, no PGPASSWORD."""
    empty = tmp_path / "empty-pgpass"
    empty.write_text("", encoding="utf-8")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return north_hub


def test_joining_a_hub_asks_for_a_password_libpq_cannot_find(
    app_controller, qtbot, no_pgpass, tmp_path
):
    """No pgpass entry: Join asks in a password field, the join succeeds, and the
    password is in no file of the profile or its log."""
    hub = no_pgpass
    secret = hub.password("ann")
    screen = _join_through_the_dialog(app_controller, qtbot, hub.url("ann", group="North"))
    asked = _password_dialog(qtbot)
    assert asked.password.echoMode() == QLineEdit.EchoMode.Password
    assert "ann" in asked.findChild(QLabel).text()
    type_text(qtbot, asked.password, secret)
    qtbot.mouseClick(asked.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(lambda: screen.status is not None, timeout=30_000)
    membership = read_membership(app_controller.profile)
    assert membership is not None and membership.location.startswith("postgresql://ann@")
    assert [c.name for c in screen.status.members] == ["Ann"]
    assert screen.sync_state.text().startswith("Last synced today at ")
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "pgpass":
            assert secret.encode() not in path.read_bytes(), path


def test_a_wrong_hub_password_is_one_line_and_changes_nothing(app_controller, qtbot, no_pgpass):
    """A wrong password: the error dialog says the hub refused it, in one line; the
    profile joins nothing and is asked no second time."""
    hub = no_pgpass
    screen = _join_through_the_dialog(app_controller, qtbot, hub.url("ann", group="North"))
    asked = _password_dialog(qtbot)
    type_text(qtbot, asked.password, "not-her-password")
    qtbot.mouseClick(asked.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(lambda: _error_box() is not None, timeout=30_000)
    box = _error_box()
    message = box.text()
    box.close()
    assert "\n" not in message and "refused the password for the login ann" in message
    assert "Traceback" not in message
    assert read_membership(app_controller.profile) is None
    assert not any(
        isinstance(w, HubPasswordDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
    assert screen.join_button.isVisible()
