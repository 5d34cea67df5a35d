"""The start-up damage check, run beside an open profile instead of before it.

``PRAGMA quick_check`` reads the whole database: more than a second on a profile of a
million answers. The GUI opens its profile without waiting for it
(``Profile.open(..., background_check=True)``); this module runs the check on its own
thread, read-only, while the profile's writes are held by a
:class:`~studyapp.storage.database.WriteGate`:

- the check passes: the gate opens and held writes go ahead, in their order;
- it finds damage, or cannot tell: the gate refuses, so held and later writes fail with
  :class:`WritesHeldError` and nothing is written; the GUI then closes the profile and
  runs the ordinary start-up path (:func:`studyapp.services.backups.move_aside_if_damaged`:
  the file is moved aside, bytes unchanged, and the newest good backup offered).

Only a database that needs no writing to open may be checked this way
(:func:`check_can_wait`): it is at the head revision (no migration) and has no
un-checkpointed WAL of an earlier session (closing the profile would copy those pages
into the file). Everything else is checked before opening, as before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from studyapp.domain.errors import ProfileError
from studyapp.storage import migrate
from studyapp.storage.backup import CheckResult, check_database
from studyapp.storage.database import WriteGate
from studyapp.storage.sqlite_errors import is_corruption

log = logging.getLogger(__name__)


class WritesHeldError(ProfileError):
    """A write was refused because the database did not pass its start-up damage check."""


def is_damage_error(exc: BaseException) -> bool:
    """True when ``exc`` (or the SQLite error a SQLAlchemy error wraps) says the file is damaged.

    The GUI asks this of an operation's failure while the background check has not passed
    yet; it lives here, not in the UI, because reading SQLite's result codes is storage's
    business and the UI never imports storage.
    """
    return is_corruption(getattr(exc, "orig", exc))


def check_can_wait(database: Path) -> bool:
    """True when ``database`` can be opened before its damage check has passed.

    It must exist, be at the head revision (opening it migrates nothing) and have no WAL
    with pages in it. Any doubt (not a database, unreadable) says False: the caller then
    checks first, which also reports the doubt properly.
    """
    try:
        if not database.is_file() or database.stat().st_size == 0:
            return False
        wal = database.with_name(database.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return False
        return migrate.read_revision(database) == migrate.HEAD_REVISION
    except (OSError, ProfileError):
        return False


class BackgroundCheck:
    """``quick_check`` of one database on a thread of its own; its verdict goes to ``gate``."""

    def __init__(self, database: Path, gate: WriteGate) -> None:
        self.database = database
        self.gate = gate
        self.result: CheckResult | None = None
        self.error: BaseException | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[BackgroundCheck], None]] = []
        self._thread = threading.Thread(target=self._run, name="studyapp-damage-check", daemon=True)

    def start(self) -> BackgroundCheck:
        """Start checking; returns self."""
        self._thread.start()
        return self

    @property
    def done(self) -> bool:
        """True once the verdict is in."""
        return self._done.is_set()

    @property
    def passed(self) -> bool:
        """True when the check finished and found nothing wrong."""
        return self.result is not None and self.result.ok

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the verdict (at most ``timeout`` seconds); True when it is in."""
        return self._done.wait(timeout)

    def add_done_callback(self, fn: Callable[[BackgroundCheck], None]) -> None:
        """Call ``fn(self)`` when the verdict is in: on the check's thread, or now if it is."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(fn)
                return
        fn(self)

    def _run(self) -> None:
        try:
            self.result = check_database(self.database)
        except BaseException as exc:  # noqa: BLE001  # "cannot tell" is a verdict too
            self.error = exc
        if self.passed:
            self.gate.allow()
        else:
            problem = self.error if self.result is None else self.result.problems[0]
            log.error("start-up damage check of %s failed: %s", self.database, problem)
            self.gate.refuse(
                WritesHeldError(
                    f"The database {self.database} did not pass its start-up check, so "
                    "nothing was saved to it."
                )
            )
        with self._lock:
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for fn in callbacks:
            try:
                fn(self)
            except Exception:  # a callback's failure must not hide the verdict
                log.exception("damage check callback failed")
