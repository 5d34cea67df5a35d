"""Exit statuses: one ``ExitCode`` enum, documented in docs/cli.md, and the status each
kind of failure gives (one line on stderr, never a traceback)."""

from __future__ import annotations

import re

import pytest

from studyapp.domain.errors import ExitCode, ProfileError, StudyAppError
from tests.conftest import REPO


def failed(result, code: ExitCode, words: str) -> None:
    """``result`` is the failure ``code`` with one stderr line containing ``words``."""
    assert result.code == code, (result.code, result.err)
    assert result.out == ""
    assert result.err.startswith("studyapp: error: ") and result.err.count("\n") == 1
    assert words in result.err and "Traceback" not in result.err


def test_every_exit_code_is_in_the_table_of_docs_cli_md() -> None:
    """docs/cli.md's exit-status table lists exactly the ExitCode members, with their numbers."""
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\d+)` \| `(\w+)` \|", text, flags=re.MULTILINE))
    assert {int(n): name for n, name in rows.items()} == {c.value: c.name for c in ExitCode}


def test_error_classes_carry_their_exit_code() -> None:
    """Input and state errors are 1, profile problems 3 (what the CLI returns for them)."""
    assert StudyAppError.exit_code is ExitCode.INPUT == 1
    assert ProfileError.exit_code is ExitCode.PROFILE == 3


def test_removing_a_pack_that_is_not_installed_is_a_state_error(cli) -> None:
    """'no pack with id' is exit 1 (the request meets the profile's state), not 2 (usage)."""
    failed(cli("pack", "remove", "no-such-pack", "--yes"), ExitCode.INPUT, "no pack with id")


def test_asking_for_a_result_before_any_exam_is_a_state_error(cli) -> None:
    """exam result with no submitted exam is exit 1: the command line itself is fine."""
    failed(cli("exam", "result"), ExitCode.INPUT, "no exam has been submitted yet")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["pack", "frobnicate"], "invalid choice"),
        (["stats", "--no-such-option"], "unrecognized arguments"),
        (["exam", "build", "--code", "CETL-100-XXJBTY5", "--length", "9"], "either --code"),
        (["pack", "remove", "cetl-core"], "--yes"),  # no terminal to confirm on
    ],
)
def test_a_wrong_command_line_is_a_usage_error(cli, argv, words) -> None:
    """Unknown actions and options, options that exclude each other: exit 2."""
    failed(cli(*argv), ExitCode.USAGE, words)


def test_a_profile_that_cannot_be_used_is_a_profile_problem(cli, tmp_path) -> None:
    """A profile folder that is a file: exit 3, one line."""
    not_a_folder = tmp_path / "profile-file"
    not_a_folder.write_text("x", encoding="utf-8")
    failed(cli("info", data_dir_arg=not_a_folder), ExitCode.PROFILE, str(not_a_folder))


def test_ctrl_c_exits_130(cli, monkeypatch) -> None:
    """An interrupted command says so in one line and exits 128 + SIGINT."""
    from studyapp.services.profile import Profile

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Profile, "info", interrupted)
    failed(cli("info"), ExitCode.INTERRUPTED, "interrupted")
    assert ExitCode.INTERRUPTED == 130


def test_the_gui_without_a_display_exits_69(cli, monkeypatch) -> None:
    """Asking for the GUI with no display is one line and EX_UNAVAILABLE, before Qt loads."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    failed(cli("gui"), ExitCode.NO_DISPLAY, "no display found")
    assert ExitCode.NO_DISPLAY == 69
