"""One writer, one window: a second StudyApp on the same profile raises the first and exits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket

from studyapp.config import AppPaths
from studyapp.ui.application import start_gui
from studyapp.ui.single_instance import (
    InstanceServer,
    ask_running_instance_to_raise,
    server_name,
)
from tests.conftest import REPO
from tests.dbtools import rows_of
from tests.ui.conftest import settle


@pytest.fixture
def first(qtbot, paths, clock):
    """A started StudyApp GUI holding the profile (as `studyapp` would run it)."""
    session = start_gui(paths, clock)
    qtbot.addWidget(session.controller.window)
    qtbot.waitUntil(lambda: session.server.listening, timeout=60_000)
    settle(qtbot, session.controller)
    yield session
    session.close()


def test_second_instance_raises_the_first_window_and_exits_with_the_clear_message(
    first, qtbot, paths
):
    """`studyapp` started again on the profile (a real second process): the first window
    is asked to come to the front, the second exits 3 with one clear line, no data touched."""
    before = rows_of(paths.database)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    second = subprocess.Popen(
        [sys.executable, "-m", "studyapp", "--data-dir", str(paths.data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        with qtbot.waitSignal(first.server.raise_requested, timeout=60_000):
            pass
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
    finally:
        if second.poll() is None:
            second.kill()
        out, err = second.communicate(timeout=60)
    assert second.returncode == 3, err
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("studyapp: error: The profile ")
    assert f"in use by another StudyApp (process {os.getpid()})" in err
    assert "its window was brought to the front" in err
    assert "this window is the one to use" in first.controller.window.statusBar().currentMessage()
    assert first.controller.window.isVisible()
    assert rows_of(paths.database) == before


def test_without_a_running_window_nobody_answers(paths):
    """No StudyApp on this profile: the newcomer hears nothing and starts normally."""
    assert ask_running_instance_to_raise(paths, timeout_ms=200) is None


def test_names_differ_per_profile_and_stay_short(tmp_path, paths):
    """Each profile folder has its own channel; names fit every platform's limits."""
    other = AppPaths(tmp_path / "other", tmp_path / "other-logs")
    assert server_name(paths) != server_name(other)
    assert server_name(paths) == server_name(AppPaths(paths.data_dir, tmp_path / "x"))
    assert len(server_name(paths)) < 40


@pytest.mark.skipif(sys.platform == "win32", reason="a stale socket file is a POSIX matter")
def test_stale_socket_of_a_crashed_instance_is_replaced_and_strangers_are_ignored(qtbot, paths):
    """A socket file left by a killed StudyApp does not stop the next one from listening;
    a client that does not say 'raise' raises nothing; one that does gets the process id.

    (The newcomer side, which blocks, runs in a real second process in the test above.)"""
    name = server_name(paths)
    stale = os.path.join(QDir.tempPath(), name)
    leftover = socket.socket(socket.AF_UNIX)
    leftover.bind(stale)
    leftover.close()  # the file stays, with nobody listening: what SIGKILL leaves behind
    assert os.path.exists(stale)
    server = InstanceServer(paths)
    try:
        assert server.start()
        raised = []
        server.raise_requested.connect(lambda: raised.append(True))

        stranger = QLocalSocket()
        stranger.connectToServer(name)
        assert stranger.waitForConnected(2000)
        stranger.write(b"GET / HTTP/1.0\n")
        stranger.flush()
        qtbot.waitUntil(lambda: stranger.state() == QLocalSocket.LocalSocketState.UnconnectedState)
        assert raised == []

        friend = QLocalSocket()  # a newcomer, driven without blocking this thread
        friend.connectToServer(name)
        friend.write(b"raise\n")
        reply = bytearray()

        def replied() -> bool:
            reply.extend(bytes(friend.readAll().data()))
            return reply.endswith(b"\n")

        qtbot.waitUntil(replied, timeout=10_000)
        assert bytes(reply) == f"raised {os.getpid()}\n".encode() and raised == [True]
    finally:
        server.close()
    assert not os.path.exists(stale), "closing removes the socket file"
