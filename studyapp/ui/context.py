"""The narrow interfaces between the GUI's parts (issue 19: no import circles in the UI).

Three parts used to import one another: the controller built the window, the window
imported the controller, and the screens imported the controller and each other. Now:

- :class:`ScreenContext` is what a screen may use of the controller: the profile's
  state, typed operations (:mod:`studyapp.ui.ops`), the theme and the controller's
  signals. Screens are typed against it and never import :mod:`studyapp.ui.controller`.
- :class:`Shell` is what the controller and the screens may use of the main window: a
  ``QMainWindow`` (its status bar, a parent for dialogs) with a few hooks that
  :class:`~studyapp.ui.main_window.MainWindow` implements. The controller does not import
  the window; the composition (:func:`studyapp.ui.main_window.build_app`) hands it one.
- :class:`HomeView` is what the controller shows on Home while a profile opens.

This module imports no controller, window or screen module, so every one of them can
depend on it without a cycle (import-linter's UI contract in ``pyproject.toml`` keeps it so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtWidgets import QMainWindow, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from studyapp.config import AppPaths
    from studyapp.domain.clock import Clock
    from studyapp.services.backups import BackupInfo
    from studyapp.services.changes import Outcome
    from studyapp.services.profile import Profile
    from studyapp.services.study.home_summary import HomeSummary
    from studyapp.services.study.stats import StatsReport
    from studyapp.ui.progress import ProgressReporter
    from studyapp.ui.widgets.setup_panel import SetupPanel

T = TypeVar("T")
W = TypeVar("W", bound=QWidget)


class HomeView(Protocol):
    """Home as the controller sees it: figures, or a message instead of them."""

    def show_figures(self, report: StatsReport | HomeSummary) -> None:
        """Show fresh or persisted figures."""

    def show_message(self, text: str) -> None:
        """Replace the figures by ``text`` (opening, a failure)."""


class Shell(QMainWindow):
    """The main window as the controller and the screens address it.

    A base class rather than a ``Protocol`` because the window is also the parent of
    dialogs and has a status bar, which only a real ``QMainWindow`` provides. Screens
    move between one another through these hooks instead of importing each other.
    """

    setup_panel: SetupPanel
    home: HomeView

    def restore_ui_state(self) -> None:
        """Put the window where it was, on the screen it showed."""
        raise NotImplementedError

    def refresh_current(self) -> None:
        """Mark every screen stale and refresh the visible one."""
        raise NotImplementedError

    def show_screen(self, cls: type[QWidget]) -> None:
        """Switch to the screen of class ``cls``."""
        raise NotImplementedError

    def screen_of(self, cls: type[W]) -> W:
        """The screen of class ``cls`` (built now if it was not yet)."""
        raise NotImplementedError

    def build_rest_later(self) -> None:
        """Build the screens not built yet, in idle moments."""
        raise NotImplementedError

    def show_home(self) -> None:
        """Switch to Home."""
        raise NotImplementedError

    def start_practice(self) -> None:
        """Go to Practice and start a session."""
        raise NotImplementedError

    def prepare_exam(self, code: str) -> None:
        """Go to Mock exam with a group exam's ``code`` filled in."""
        raise NotImplementedError


class ScreenContext(Protocol):
    """Exactly what screens use of :class:`~studyapp.ui.controller.AppController`."""

    @property
    def profile(self) -> Profile | None:
        """The open profile, or None while none is open (no operation runs then)."""

    @property
    def paths(self) -> AppPaths:
        """The profile's folders (for defaults in file dialogs)."""

    @property
    def clock(self) -> Clock:
        """The app's clock."""

    @property
    def theme(self) -> str:
        """The current theme's name, "light" or "dark"."""

    @property
    def window(self) -> Shell:
        """The main window (status bar messages, moving to another screen)."""

    @property
    def profile_opened(self) -> SignalInstance:
        """Emitted when a profile has opened."""

    @property
    def profile_failed(self) -> SignalInstance:
        """Emitted with the exception when a profile could not be opened."""

    @property
    def changes_happened(self) -> SignalInstance:
        """Emitted with a :class:`~studyapp.services.changes.Change` after an operation."""

    def query(
        self,
        work: Callable[[Profile], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run the read ``work(profile)`` off the GUI thread; ``on_done`` on it."""

    def run_op(
        self,
        work: Callable[[Profile], Outcome[T]],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run the change ``work(profile)`` off the GUI thread and broadcast its changes."""

    def run_long(
        self,
        title: str,
        work: Callable[[Profile, ProgressReporter], Outcome[T]],
        on_done: Callable[[T], None] | None = None,
        *,
        cancellable: bool = True,
    ) -> None:
        """Like :meth:`run_op`, with a progress dialog."""

    def report_error(self, exc: BaseException) -> None:
        """Show a failure in a dialog and log it."""

    def backup_now(self, on_done: Callable[[BackupInfo], None] | None = None) -> None:
        """Write a manual backup off the GUI thread."""

    def set_theme(self, name: str, font_size: int | None = None) -> None:
        """Switch the theme (and font size) now."""
