"""Networking switched off for a test: every attempt to resolve or connect is recorded, refused.

:func:`install` patches Python's socket layer in this process (``connect``,
``connect_ex``, ``sendto``, ``create_connection`` and name resolution), so anything that
tries to reach an address, however it got there, is written down and fails as if the
machine were offline. :func:`install_from_env` does the same in a child process through a
generated ``sitecustomize.py`` and appends each attempt to the file named by
``STUDYAPP_NETGUARD_LOG``; with ``STUDYAPP_RENDER_LOG`` set it also records every HTML
text set on a :class:`~studyapp.ui.widgets.rendered.RenderedText` and every resource the
widget was asked to load, so the test can check what reached the screen.
"""

from __future__ import annotations

import errno
import json
import os
import socket
from collections.abc import Callable
from typing import Any

Record = Callable[[str, str], None]
_MODULE_FUNCTIONS = (
    "getaddrinfo",
    "gethostbyname",
    "gethostbyname_ex",
    "gethostbyaddr",
    "create_connection",
)
_SOCKET_METHODS = ("connect", "connect_ex", "sendto")


def install(record: Record) -> Callable[[], None]:
    """Refuse and record every connection attempt; returns a function that undoes it."""
    saved: list[tuple[Any, str, Any]] = []

    def refusing(owner: Any, name: str, is_method: bool) -> None:
        original = getattr(owner, name)
        saved.append((owner, name, original))

        def blocked(*args: Any, **kwargs: Any) -> Any:
            target = args[1:] if is_method else args
            record(name, repr(target)[:300])
            if name == "connect_ex":
                return errno.ENETUNREACH
            raise OSError(errno.ENETUNREACH, f"networking is disabled in this test ({name})")

        setattr(owner, name, blocked)

    for name in _SOCKET_METHODS:
        refusing(socket.socket, name, True)
    for name in _MODULE_FUNCTIONS:
        refusing(socket, name, False)

    def uninstall() -> None:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)

    return uninstall


def _appender(path: str) -> Callable[[dict[str, Any]], None]:
    def append(entry: dict[str, Any]) -> None:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"pid": os.getpid(), **entry}) + "\n")

    return append


def install_from_env() -> None:
    """For ``sitecustomize.py``: guard this process, logging to the files the env names."""
    net_log = os.environ.get("STUDYAPP_NETGUARD_LOG")
    if net_log:
        append = _appender(net_log)
        install(lambda what, target: append({"attempt": what, "target": target}))
        append({"installed": True})
    render_log = os.environ.get("STUDYAPP_RENDER_LOG")
    if render_log:
        _watch_rendering(_appender(render_log))


def _watch_rendering(append: Callable[[dict[str, Any]], None]) -> None:
    """Record what every RenderedText is given to show and asked to load."""
    from studyapp.ui.widgets import rendered

    cls = rendered.RenderedText
    set_html = cls.setHtml
    load_resource = cls.loadResource

    def set_html_logged(self: Any, html: str) -> None:
        append({"html": html})
        set_html(self, html)

    def load_resource_logged(self: Any, kind: int, name: Any) -> Any:
        result = load_resource(self, kind, name)
        key = name.toString() if hasattr(name, "toString") else str(name)
        append({"resource": key, "loaded": result is not None})
        return result

    cls.setHtml = set_html_logged  # type: ignore[method-assign]
    cls.loadResource = load_resource_logged  # type: ignore[method-assign]
    append({"watching": True})


SITECUSTOMIZE = (
    "# Written by tests/reliability: networking off for this process (see netguard.py).\n"
    "from tests.reliability.netguard import install_from_env\n"
    "install_from_env()\n"
)
