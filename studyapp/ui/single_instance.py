"""One window per profile: a second StudyApp on the same profile brings the first to the front.

The profile lock (:mod:`studyapp.storage.lock`) is what keeps a second process from
writing; this is the courtesy on top. The StudyApp window that holds a profile listens on
a local socket (``QLocalServer``: a Unix domain socket, or a named pipe on Windows — never
a network address) whose name is derived from the profile folder and the user. A GUI
started on the same profile first connects to that name: when the first instance answers,
it has raised its window, and the newcomer exits with the usual "in use" message (exit 3)
instead of opening a second window that could only show an error.

Protocol, one line each way: the newcomer sends ``raise``; the holder raises its window
and replies ``raised <process id>``. Anything else is ignored and the connection closed.

Why it is safe:
- only the instance that opened the profile (and so holds its lock) listens, so removing
  a stale socket left by a crashed instance before listening never steals a live one;
- the socket is created for the current user only (``UserAccessOption``), and the name
  hashes the user as well as the folder, so other users can neither reach nor squat it;
- a holder that does not answer within a second (busy, hung) is treated as absent: the
  newcomer goes on and meets the profile lock's clear refusal.

Raising is done "where the platform allows": Wayland and recent Windows may only flash the
taskbar entry instead of moving focus; the window is still shown and un-minimised.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QMainWindow

from studyapp.config import AppPaths

log = logging.getLogger(__name__)
REQUEST = b"raise\n"
REPLY_PREFIX = b"raised "
MAX_LINE = 64
ANSWER_TIMEOUT_MS = 1000


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001  # no user name in this environment: the folder still differs
        return str(getattr(os, "getuid", lambda: "")())


def server_name(paths: AppPaths) -> str:
    """The per-profile, per-user name of the local socket (short enough for any platform)."""
    folder = os.path.normcase(str(paths.data_dir.resolve()))
    digest = hashlib.sha256(f"{_user()}\0{folder}".encode()).hexdigest()[:24]
    return f"studyapp-{digest}"


def ask_running_instance_to_raise(
    paths: AppPaths, timeout_ms: int = ANSWER_TIMEOUT_MS
) -> int | None:
    """Ask the StudyApp holding this profile to raise its window; its process id, or None.

    None means no StudyApp window answered: none is running on this profile, or it did not
    reply in time.
    """
    sock = QLocalSocket()
    try:
        sock.connectToServer(server_name(paths))
        if not sock.waitForConnected(timeout_ms):
            return None
        sock.write(REQUEST)
        if not sock.waitForBytesWritten(timeout_ms):
            return None
        reply = b""
        while not reply.endswith(b"\n") and len(reply) < MAX_LINE:
            if not sock.bytesAvailable() and not sock.waitForReadyRead(timeout_ms):
                return None
            reply += bytes(sock.read(MAX_LINE - len(reply)).data())
        text = reply.strip()
        if not text.startswith(REPLY_PREFIX.strip()):
            return None
        pid = text.removeprefix(REPLY_PREFIX.strip()).strip()
        return int(pid) if pid.isdigit() else 0
    finally:
        sock.abort()


class InstanceServer(QObject):
    """Listens for newcomers on this profile and asks for the window to be raised."""

    raise_requested = Signal()

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(paths)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._clients: set[_Client] = set()

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def start(self) -> bool:
        """Listen (idempotent); call only while this process holds the profile lock.

        A socket left behind by a crashed StudyApp is removed first. Failing to listen is
        logged and harmless: newcomers then meet the profile lock's refusal instead.
        """
        if self._server.isListening():
            return True
        QLocalServer.removeServer(self.name)
        if not self._server.listen(self.name):
            log.warning("single-instance channel unavailable: %s", self._server.errorString())
            return False
        return True

    def close(self) -> None:
        """Stop listening (the socket file is removed)."""
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if sock is None:
                return
            # The Python side keeps each client until it is done: a socket whose wrapper
            # was collected would silently lose its Python slots.
            client = _Client(sock, self._answer, self._clients.discard)
            self._clients.add(client)
            client.start()

    def _answer(self, line: bytes) -> bytes | None:
        if line != REQUEST:
            return None
        self.raise_requested.emit()
        return REPLY_PREFIX + f"{os.getpid()}\n".encode()


class _Client:
    """One newcomer's connection: read one line, maybe answer, close; dropped if silent."""

    def __init__(
        self,
        sock: QLocalSocket,
        answer: Callable[[bytes], bytes | None],
        done: Callable[[_Client], None],
    ) -> None:
        self.sock = sock
        self.buffer = b""
        self.answer = answer
        self.done = done
        self.finished = False
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.finish)

    def start(self) -> None:
        self.sock.readyRead.connect(self.read)
        self.sock.disconnected.connect(self.finish)
        self.timer.start(2 * ANSWER_TIMEOUT_MS)
        if self.sock.bytesAvailable():
            self.read()

    def read(self) -> None:
        self.buffer += bytes(self.sock.read(MAX_LINE - len(self.buffer)).data())
        if b"\n" not in self.buffer and len(self.buffer) < MAX_LINE:
            return
        reply = self.answer(self.buffer.split(b"\n", 1)[0] + b"\n")
        if reply is not None:
            self.sock.write(reply)
            self.sock.flush()
        self.sock.disconnectFromServer()

    def finish(self) -> None:
        if self.finished:
            return  # abort() below emits disconnected, which calls this again
        self.finished = True
        self.timer.stop()
        if self.sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            self.sock.abort()
        self.sock.deleteLater()
        self.done(self)


def raise_window(window: QMainWindow) -> None:
    """Bring ``window`` to the front as far as the platform allows, and say why."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    window.statusBar().showMessage(
        "StudyApp was started again on this profile; this window is the one to use.", 10_000
    )
