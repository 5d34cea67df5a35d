"""The Group screen names the group folder's unreadable files in the shared words."""

from __future__ import annotations

import os
from pathlib import Path

from tests.ui.test_group import lead_a_group, settle, show_group

SHOTS = Path(os.environ.get("STUDYAPP_SHOTS", "/tmp/dups-shots"))


def test_one_unreadable_card_is_said_in_the_singular(app_controller, qtbot, tmp_path):
    """One unreadable card: '1 file ... could not be read and was skipped.' (not 'were')."""
    folder = tmp_path / "group"
    lead_a_group(app_controller, folder, tmp_path)
    (folder / "cards" / ("0" * 32 + ".json")).write_bytes(b"this is not json {")
    screen = show_group(app_controller, qtbot)
    assert "1 file in the group folder could not be read and was skipped." in (
        screen.summary.text()
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    window = app_controller.window
    window.resize(880, 600)
    for theme, size in (("light", 11), ("dark", 11), ("light", 18)):
        app_controller.set_theme(theme, size)
        qtbot.waitUntil(lambda: screen.status is not None and not screen.stale, timeout=20_000)
        settle(qtbot, app_controller)
        window.grab().save(str(SHOTS / f"group-skipped-{theme}-{size}.png"))
    app_controller.set_theme("light", 11)
