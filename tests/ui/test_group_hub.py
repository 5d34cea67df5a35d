"""The Join dialog and Sync now with a PostgreSQL group hub (issue 17), through the real
widgets: typing a hub address joins the hub; a hub that went away is one line in the
error dialog, and the next Sync now after it is back completes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from benchmarks.pgcluster import shared_cluster, skip_reason
from studyapp.config import AppPaths
from studyapp.services.groups import GroupService, read_membership
from studyapp.services.groups import hub as hub_admin
from studyapp.services.packs import PackService
from studyapp.services.profile import Profile
from studyapp.ui.screens.group import GroupScreen
from tests.hub.conftest import make_hub
from tests.ui.conftest import settle
from tests.ui.test_group import GIFT
from tests.ui.test_library import type_text


def _error_box() -> QMessageBox | None:
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog"]
    visible = [b for b in boxes if isinstance(b, QMessageBox) and b.isVisible()]
    return visible[0] if visible else None


@pytest.fixture
def hub_url(tmp_path: Path, clock, monkeypatch) -> str:
    """A hub with a group "North" (one GIFT pack) led by fac; ann's address to join it."""
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
    return hub.url("ann", group="North")


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
    finally:
        cluster.start()
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(
        lambda: "Synced with North" in window.statusBar().currentMessage(), timeout=30_000
    )
