"""The GUI's composition: the open profile, the task runner, the window.

The controller opens the profile on the worker thread (start-up never blocks the GUI
thread on migrations), hands screens a ``query`` helper that runs a function of the
profile off the GUI thread, and routes failures to the error dialog.

Start-up (issue 9): this module imports no service that loads SQLAlchemy; those are
imported on the worker thread, after the window has painted. :meth:`open_profile` first
reads Home's persisted summary (:mod:`studyapp.services.study.home_summary`, plain ``sqlite3``)
so Home shows figures at once, then opens the profile with its damage check running
beside it (:mod:`studyapp.services.damage_check`): writes wait for the check, and a
failed check closes the profile and takes the usual damage path (moved aside, dialog).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from studyapp import __version__
from studyapp.config import AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import StudyAppError
from studyapp.services.changes import Outcome
from studyapp.ui.errors import show_error
from studyapp.ui.ops import LongOp, Op, Query
from studyapp.ui.progress import CancelledError, ProgressReporter, make_dialog, update_dialog
from studyapp.ui.tasks import TaskRunner
from studyapp.ui.theme import apply_theme
from studyapp.ui.welcome import WelcomeDialog

if TYPE_CHECKING:
    from studyapp.services.backups import BackupInfo
    from studyapp.services.damage_check import BackgroundCheck
    from studyapp.services.profile import Profile
    from studyapp.services.study.home_summary import HomeSummary

log = logging.getLogger(__name__)

T = TypeVar("T")


class AppController(QObject):
    """Owns the profile and the worker; screens run typed operations (:mod:`.ops`)
    through :meth:`query`, :meth:`run_op` and :meth:`run_long`."""

    profile_opened = Signal()
    profile_failed = Signal(object)
    changes_happened = Signal(object)  # a services.changes.Change
    theme_changed = Signal(str)
    _check_finished = Signal(object)  # (Profile, BackgroundCheck), from the check's thread

    def __init__(self, app: QApplication, paths: AppPaths, clock: Clock) -> None:
        super().__init__()
        self.app = app
        self.paths = paths
        self.clock = clock
        self.profile: Profile | None = None
        self.theme = apply_theme(app, "system", 11)
        self.runner = TaskRunner(self.report_error, self)
        self.long_running = 0  # long operations (run_long) in progress
        from studyapp.ui.main_window import MainWindow  # window needs self

        self.window = MainWindow(self)
        self.welcome: WelcomeDialog | None = None
        self._closed = False
        self._check_finished.connect(self._checked)

    def open_profile(self) -> None:
        """Show Home's persisted figures if they still hold, then open (create, migrate)
        the profile, all off the GUI thread; the damage check runs beside the opening."""
        paths, clock = self.paths, self.clock

        def work(progress: Callable[..., None]) -> tuple[Profile, Any]:
            return _open_and_seed(paths, clock, progress, background_check=True)

        self.runner.run(lambda: _load_summary(paths, clock), self._summary_loaded, _ignore)
        self.runner.run_with_progress(work, self._opening_progress, self._opened, self._open_failed)

    def is_busy(self) -> bool:
        """True while an operation is queued or running, or the damage check is."""
        check = self.profile.check if self.profile is not None else None
        return self.runner.is_busy() or (check is not None and not check.done)

    def _summary_loaded(self, summary: HomeSummary | None) -> None:
        if summary is not None and self.profile is None:
            self.window.home.show_figures(summary)

    def backup_now(self, on_done: Callable[[BackupInfo], None] | None = None) -> None:
        """Write a manual backup into the backups folder, off the GUI thread."""

        def done(info: BackupInfo) -> None:
            self.window.statusBar().showMessage(f"Backed up to {info.path}", 15_000)
            if on_done is not None:
                on_done(info)

        self.run_op(_backup, done)

    def restore_from(self, path: Path) -> None:
        """Close the profile, restore the backup ``path`` over it, and open it again.

        All of it runs on the worker thread. A backup that is refused (damaged, foreign,
        too new) changes nothing: the profile is reopened as it was and the reason shown.
        This also works when the profile could not be opened (a damaged database was moved
        aside), which is when a restore is most needed.
        """
        if self.is_busy():
            return  # the profile may be opening; a restore now would race it
        old, self.profile = self.profile, None
        paths, clock = self.paths, self.clock

        def work(progress: Callable[..., None]) -> tuple[Profile, Any, StudyAppError | None]:
            from studyapp.services.backups import restore_backup

            if old is not None:
                old.close()
            failure: StudyAppError | None = None
            try:
                restore_backup(paths, clock, path)
            except StudyAppError as exc:
                failure = exc
            profile, settings = _open_and_seed(paths, clock, progress)
            return profile, settings, failure

        self.runner.run_with_progress(
            work, self._opening_progress, self._restored, self._open_failed
        )

    def switch_profile(self, folder: Path) -> None:
        """Close this profile cleanly (close-time backup, lock released), open ``folder``.

        If the new profile cannot be opened (in use, damaged, too new), the previous one is
        opened again and the reason shown.
        """
        if self.is_busy():
            return
        old, self.profile = self.profile, None
        previous = self.paths
        target = AppPaths(data_dir=folder.resolve(), log_dir=previous.log_dir)
        clock = self.clock

        def work(
            progress: Callable[..., None],
        ) -> tuple[AppPaths, Profile, Any, BaseException | None]:
            from studyapp.services.backups import BackupService

            if old is not None:
                try:
                    BackupService(old).backup_on_close()
                finally:
                    old.close()
            try:
                profile, settings = _open_and_seed(target, clock, progress)
                return target, profile, settings, None
            except StudyAppError as exc:
                profile, settings = _open_and_seed(previous, clock, progress)
                return previous, profile, settings, exc

        def done(result: tuple[AppPaths, Profile, Any, BaseException | None]) -> None:
            self.paths, profile, settings, failure = result
            self.window.setWindowTitle(f"StudyApp — {self.paths.data_dir.name}")
            self._opened((profile, settings))
            if failure is not None:
                self.report_error(failure)
            else:
                self.window.statusBar().showMessage(f"Profile: {self.paths.data_dir}", 15_000)

        self.runner.run_with_progress(work, self._opening_progress, done, self._open_failed)

    def _restored(self, result: tuple[Profile, Any, StudyAppError | None]) -> None:
        profile, settings, failure = result
        self._opened((profile, settings))
        if failure is not None:
            self.report_error(failure)
        else:
            self.window.statusBar().showMessage("Backup restored.", 15_000)

    def _opening_progress(self, done: int, total: int, text: str) -> None:
        """First-start work in words and a progress bar (the worker reports, we show)."""
        self.window.setup_panel.report(done, total, text)

    def _opened(self, result: tuple[Profile, Any]) -> None:
        self.window.setup_panel.finish()
        self.profile, settings = result
        self.set_theme(settings.theme, settings.font_size)
        self.window.restore_ui_state()
        if not settings.welcome_done:
            self.query(lambda p: p.info().counts["questions"], self._welcome)
        log.info("profile opened at %s", self.paths.data_dir)
        self.window.refresh_current()
        self.profile_opened.emit()
        check = self.profile.check
        if check is not None:
            profile = self.profile
            check.add_done_callback(lambda c: self._check_finished.emit((profile, c)))

    def _checked(self, result: tuple[Profile, BackgroundCheck]) -> None:
        """The damage check's verdict, on the GUI thread."""
        profile, check = result
        if profile is not self.profile:
            return  # closed or switched meanwhile; its close waited for the check
        if check.passed:
            self.runner.run(profile.backup_daily_if_due, None, self._log_only)
            return
        # Damage, or the check could not tell. Held writes have been refused; close the
        # profile and open it the ordinary way, which checks first and, if the file is
        # damaged, moves it aside and raises DatabaseDamagedError for the dialog.
        self.profile = None
        self.window.home.show_message("Checking your profile…")
        paths, clock = self.paths, self.clock

        def work(progress: Callable[..., None]) -> tuple[Profile, Any]:
            profile.close()
            return _open_and_seed(paths, clock, progress)

        self.runner.run_with_progress(work, self._opening_progress, self._opened, self._open_failed)

    def _log_only(self, exc: BaseException) -> None:
        log.warning("after the start-up check: %s", exc)

    def _welcome(self, questions: int) -> None:
        """First run: ask for the exam date and daily goal (non-blocking dialog)."""
        dialog = WelcomeDialog(self.window, self.clock.now().date(), questions)
        self.welcome = dialog

        def finished(_code: int) -> None:
            values = dialog.chosen()
            self.run_op(lambda p: p.update_settings(**values))
            dialog.deleteLater()
            self.welcome = None

        dialog.finished.connect(finished)
        dialog.open()

    def _open_failed(self, exc: BaseException) -> None:
        self.window.setup_panel.finish()
        self.window.home.show_message(f"This profile could not be opened.\n\n{exc}")
        show_error(self.window, exc, self.paths.log_file)
        self.profile_failed.emit(exc)

    def query(
        self,
        work: Callable[[Profile], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run the read ``work(profile)`` off the GUI thread; ``on_done(result)`` on it."""
        self.run_query(Query(work, on_done, on_error))

    def run_op(
        self,
        work: Callable[[Profile], Outcome[T]],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run the change ``work(profile)`` off the GUI thread.

        Its :class:`~studyapp.services.changes.Outcome`'s changes are broadcast (screens go
        stale) and its value goes to ``on_done``.
        """
        self.run_change(Op(work, on_done, on_error))

    def run_long(
        self,
        title: str,
        work: Callable[[Profile, ProgressReporter], Outcome[T]],
        on_done: Callable[[T], None] | None = None,
        *,
        cancellable: bool = True,
    ) -> None:
        """Like :meth:`run_op` for long work, with a progress dialog (and Cancel)."""
        self.run_long_op(LongOp(title, work, on_done, cancellable))

    def run_query(self, query: Query[T]) -> None:
        """Run ``query`` (nothing happens while no profile is open)."""
        if self.profile is not None:
            self.runner.run(query.bind(self.profile), query.success, query.failure)

    def run_change(self, op: Op[T]) -> None:
        """Run ``op`` and broadcast what it changed (nothing happens with no profile)."""
        if self.profile is None:
            return
        success = op.success

        def done(outcome: Outcome[T]) -> None:
            self._broadcast(outcome)
            if success is not None:
                success(outcome.value)

        self.runner.run(op.bind(self.profile), done, op.failure)

    def run_long_op(self, op: LongOp[T]) -> None:
        """Run ``op`` with its progress dialog; Cancel sets its ``cancelled`` event."""
        if self.profile is None:
            return
        dialog = make_dialog(self.window, op.title, op.cancellable)
        self.long_running += 1  # the window builds no screens meanwhile (no GUI stall)
        success = op.success

        def finish() -> None:
            self.long_running -= 1
            dialog.reset()
            dialog.close()
            dialog.deleteLater()

        def done(outcome: Outcome[T]) -> None:
            finish()
            self._broadcast(outcome)
            if success is not None:
                success(outcome.value)

        def failed(exc: BaseException) -> None:
            finish()
            if not isinstance(exc, CancelledError):
                self.report_error(exc)
            else:
                self.window.statusBar().showMessage(str(exc), 10_000)

        cancelled = op.cancelled
        # A lambda, not ``cancelled.set``: PySide watches a bound method's object through
        # a weak reference whose callback disconnects, and that must not run on the worker.
        dialog.canceled.connect(lambda: cancelled.set())
        self.runner.run_with_progress(
            op.bind(self.profile), lambda d, t, s: update_dialog(dialog, d, t, s), done, failed
        )

    def _broadcast(self, outcome: Outcome[Any]) -> None:
        if outcome.changes:
            self.changes_happened.emit(outcome.changes)

    def report_error(self, exc: BaseException) -> None:
        """Show an operation's failure in a dialog and log it.

        A write refused because the start-up damage check failed, and a malformed page met
        before the check's verdict, get no dialog of their own: the damage dialog that
        follows says what happened.
        """
        from studyapp.services.damage_check import WritesHeldError, is_damage_error

        check = self.profile.check if self.profile is not None else None
        awaiting_check = check is not None and not check.passed
        if isinstance(exc, WritesHeldError) or (awaiting_check and is_damage_error(exc)):
            # The damage check's verdict follows (or has come) with the damage dialog.
            log.warning("before the damage check's verdict: %s", exc)
            self.window.statusBar().showMessage("Checking the profile's database…", 15_000)
            return
        show_error(self.window, exc, self.paths.log_file)

    def set_theme(self, name: str, font_size: int | None = None) -> None:
        """Switch between light, dark and system themes (and font size) now."""
        font = font_size or self.app.font().pointSize()
        self.theme = apply_theme(self.app, name, font)
        self.theme_changed.emit(self.theme)

    def shutdown(self) -> None:
        """Finish queued work, make the close-time backup, close the database (idempotent).

        The close-time backup is this explicit call (not a :meth:`Profile.close` hook), so
        one-shot CLI commands do not each leave a copy; it is skipped when the session
        changed nothing.
        """
        if self._closed:
            return
        self._closed = True
        self.runner.wait_idle(10_000)
        if self.profile is not None:
            from studyapp.services.backups import BackupService

            profile, self.profile = self.profile, None
            try:
                BackupService(profile).backup_on_close()
            except StudyAppError as exc:
                log.warning("close-time backup failed: %s", exc)
            finally:
                profile.close()


SETTING_UP = "Setting up your profile…"
SEEDING = "Importing the CETL question bank"


def _seeding_words(progress: Callable[..., None]) -> Callable[..., None]:
    """The shipped pack's import progress in the user's words ("…: 120 of 317")."""

    def report(done: int, total: int, _text: str = "") -> None:
        if total:
            progress(done, total, f"{SEEDING}: {done} of {total}")
        else:
            progress(0, 0, f"{SEEDING}: checking the questions…")

    return report


def _backup(profile: Profile) -> Outcome[BackupInfo]:
    """A manual backup (worker thread); it changes nothing the screens show."""
    from studyapp.services.backups import BackupService

    return BackupService(profile).backup()


def _ignore(_exc: BaseException) -> None:
    """A failure that only means "no shortcut" (the summary is a speed-up)."""
    log.info("Home's summary was not read: %s", _exc)


def _load_summary(paths: AppPaths, clock: Clock) -> HomeSummary | None:
    """Home's persisted figures, if they still describe this profile (worker thread)."""
    from studyapp.services.study.home_summary import load_summary

    return load_summary(paths, clock)


def _open_and_seed(
    paths: AppPaths, clock: Clock, progress: Callable[..., None], *, background_check: bool = False
) -> tuple[Profile, Any]:
    """Open the profile and import the shipped packs on its first start (worker thread).

    The services are imported here, on the worker thread, so the window paints first.
    A first start (no database yet) says so at once, before those imports and the
    migrations; the shipped pack's import reports its steps in words.
    """
    if not paths.database.exists():
        progress(0, 0, SETTING_UP)
    from studyapp.services.packs.service import PackService
    from studyapp.services.profile import Profile

    profile = Profile.open(paths, clock, __version__, background_check=background_check)
    try:
        PackService(profile).seed_shipped(_seeding_words(progress))
        return profile, profile.settings()
    except BaseException:
        profile.close()  # waits for a damage check still running
        if profile.check is not None and not profile.check.passed:
            # What failed may be the damage the check found (a malformed page read, a
            # refused write): report it as damage, the way an ordinary open does.
            from studyapp.services.backups import move_aside_if_damaged

            move_aside_if_damaged(paths, clock)
        raise
