"""File > Switch profile: the old profile closes cleanly, the new one opens with its data."""

from __future__ import annotations

from studyapp.services.packs.service import PackService
from tests.packs.factory import pack, question, write_dir
from tests.ui.conftest import settle


def test_switching_profiles_opens_the_other_folder(app_controller, qtbot, tmp_path):
    """Each profile keeps its own data; switching back finds it again."""
    c = app_controller
    first = c.paths.data_dir
    c.run_op(
        lambda p: PackService(p).import_pack(write_dir(pack([question("q1")]), tmp_path / "p"))
    )
    settle(qtbot, c)
    assert {p.id for p in c.profile and PackService(c.profile).list()} == {"cetl-core", "test-pack"}
    other = tmp_path / "second-profile"
    with qtbot.waitSignal(c.profile_opened, timeout=60_000):
        c.switch_profile(other)
    settle(qtbot, c)
    assert c.paths.data_dir == other.resolve()
    assert {p.id for p in PackService(c.profile).list()} == {"cetl-core"}
    assert (first / "studyapp.lock").exists() is False or not _locked(first)
    with qtbot.waitSignal(c.profile_opened, timeout=60_000):
        c.switch_profile(first)
    settle(qtbot, c)
    assert {p.id for p in PackService(c.profile).list()} == {"cetl-core", "test-pack"}


def _locked(folder) -> bool:
    """True when another open of the profile would be refused."""
    from studyapp.config import AppPaths
    from studyapp.domain.clock import FixedClock
    from studyapp.domain.errors import ProfileInUseError
    from studyapp.services.profile import Profile
    from tests.conftest import T0

    try:
        Profile.open(AppPaths(folder, folder / "logs"), FixedClock(T0), "test").close()
    except ProfileInUseError:
        return True
    return False


def test_switch_menu_entry_exists(app_controller):
    """The File menu offers Switch profile."""
    names = [
        a.objectName()
        for a in app_controller.window.findChildren(type(app_controller.window.actions()[0]))
    ]
    assert "switchProfile" in names
