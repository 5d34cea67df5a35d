"""The GUI's state: the open profile, the task runner, the operations screens run.

The controller opens the profile on the worker thread (start-up never blocks the GUI
thread on migrations), hands screens a ``query`` helper that runs a function of the
profile off the GUI thread, and routes failures to the error dialog.

Start-up (issue 9): this module imports no service that loads SQLAlchemy; those are
imported on the worker thread, after the window has painted. :meth:`open_profile` first
reads Home's persisted summary (:mod:`studyapp.services.study.home_summary`, plain ``sqlite3``)
so Home shows figures at once, then opens the profile with its damage check running
beside it (:mod:`studyapp.services.damage_check`): writes wait for the check, and a
failed check closes the profile and takes the usual damage path (moved aside, dialog).

Opening, here as in the CLI, is :func:`studyapp.services.opening.open_profile`; its
:class:`~studyapp.services.opening.OpenResult` is presented by :meth:`_open_done` (the
refusal on Home and in a dialog that can restore the offered backup).

The controller knows the window only as a :class:`~studyapp.ui.context.Shell` and screens
know the controller only as a :class:`~studyapp.ui.context.ScreenContext` (issue 19: no
import circle controller <-> window <-> screens); :func:`studyapp.ui.main_window.build_app`
puts the two together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp import __version__
from studyapp.config import AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import DatabaseDamagedError, StudyAppError
from studyapp.services.changes import Outcome
from studyapp.ui.context import Shell
from studyapp.ui.errors import screen_text, show_error
from studyapp.ui.ops import LongOp, Op, Query
from studyapp.ui.progress import CancelledError, ProgressReporter, make_dialog, update_dialog
from studyapp.ui.tasks import TaskRunner
from studyapp.ui.theme import apply_theme
from studyapp.ui.welcome import WelcomeDialog

if TYPE_CHECKING:
    from studyapp.domain.settings import Settings
    from studyapp.services.backups import BackupInfo
    from studyapp.services.damage_check import BackgroundCheck
    from studyapp.services.opening import OpenResult
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
        # The window is not built here (the controller does not know MainWindow): the
        # composition, studyapp.ui.main_window.build_app, sets it.
        self.window: Shell
        self.welcome: WelcomeDialog | None = None
        self._closed = False
        self._check_finished.connect(self._checked)

    def open_profile(self) -> None:
        """Show Home's persisted figures if they still hold, then open (create, migrate)
        the profile, all off the GUI thread; the damage check runs beside the opening."""
        paths, clock = self.paths, self.clock

        def work(progress: Callable[..., None]) -> OpenResult:
            return _open(paths, clock, progress, background_check=True)

        self.runner.run(lambda: _load_summary(paths, clock), self._summary_loaded, _ignore)
        self.runner.run_with_progress(
            work, self._opening_progress, self._open_done, self._open_failed
        )

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

        def work(progress: Callable[..., None]) -> tuple[OpenResult, StudyAppError | None]:
            from studyapp.services.backups import restore_backup

            if old is not None:
                old.close()
            failure: StudyAppError | None = None
            try:
                restore_backup(paths, clock, path)
            except StudyAppError as exc:
                failure = exc
            return _open(paths, clock, progress), failure

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

        def work(progress: Callable[..., None]) -> tuple[AppPaths, OpenResult, OpenResult | None]:
            from studyapp.services.backups import BackupService

            if old is not None:
                try:
                    BackupService(old).backup_on_close()
                finally:
                    old.close()
            result = _open(target, clock, progress)
            if result.opened:
                return target, result, None
            return previous, _open(previous, clock, progress), result

        def done(outcome: tuple[AppPaths, OpenResult, OpenResult | None]) -> None:
            self.paths, result, refused = outcome
            self.window.setWindowTitle(f"StudyApp — {self.paths.data_dir.name}")
            self._open_done(result)
            if refused is not None:
                # The restore it may offer is for the other folder: say how, do not offer.
                self._show_refusal(refused, offer_restore=False)
            elif result.opened:
                self.window.statusBar().showMessage(f"Profile: {self.paths.data_dir}", 15_000)

        self.runner.run_with_progress(work, self._opening_progress, done, self._open_failed)

    def _restored(self, outcome: tuple[OpenResult, StudyAppError | None]) -> None:
        result, failure = outcome
        self._open_done(result)
        if failure is not None:
            self.report_error(failure)
        elif result.opened:
            self.window.statusBar().showMessage("Backup restored.", 15_000)

    def _opening_progress(self, done: int, total: int, text: str) -> None:
        """First-start work in words and a progress bar (the worker reports, we show)."""
        self.window.setup_panel.report(done, total, text)

    def _open_done(self, result: OpenResult) -> None:
        """Present what :func:`studyapp.services.opening.open_profile` found (GUI thread)."""
        if result.profile is not None and result.settings is not None:
            self._opened(result.profile, result.settings)
        else:
            self._refused(result)

    def _opened(self, profile: Profile, settings: Settings) -> None:
        self.window.setup_panel.finish()
        self.profile = profile
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
        # Damage, or the check could not tell. Held writes have been refused; the service
        # closes the profile and opens it the ordinary way, which checks first and, if the
        # file is damaged, moves it aside and reports it for the dialog.
        self.profile = None
        self.window.home.show_message("Checking your profile…")

        def work(progress: Callable[..., None]) -> OpenResult:
            from studyapp.services.opening import reopen_after_failed_check

            return reopen_after_failed_check(profile, __version__, progress=progress)

        self.runner.run_with_progress(
            work, self._opening_progress, self._open_done, self._open_failed
        )

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

    def _refused(self, result: OpenResult) -> None:
        """The profile could not be opened: say why on Home and in a dialog."""
        assert result.error is not None
        self.window.setup_panel.finish()
        self.window.home.show_message(
            f"This profile could not be opened.\n\n{screen_text(result.error)}"
        )
        self._show_refusal(result, offer_restore=True)
        self.profile_failed.emit(result.error)

    def _show_refusal(self, result: OpenResult, *, offer_restore: bool) -> QMessageBox:
        """The dialog for a refused open; a damaged profile with a good backup gets a
        button that restores that backup (the CLI prints the ``restore`` command instead)."""
        assert result.error is not None
        box = show_error(self.window, result.error, self.paths.log_file)
        backup = result.backup_to_restore
        if offer_restore and backup is not None and isinstance(result.error, DatabaseDamagedError):
            box.setText(result.error.situation)  # the button, not the menu, is the way out
            box.setInformativeText(
                f"“Restore this backup” puts {backup.name} in its place; the damaged file "
                f"stays where it was moved.\n\n{box.informativeText()}"
            )
            button = box.addButton("Restore this backup", QMessageBox.ButtonRole.AcceptRole)
            button.setObjectName("restoreBackup")
            button.clicked.connect(lambda: self.restore_from(backup))
        return box

    def _open_failed(self, exc: BaseException) -> None:
        """An unexpected failure while opening (a bug): the generic error dialog."""
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


def _open(
    paths: AppPaths, clock: Clock, progress: Callable[..., None], *, background_check: bool = False
) -> OpenResult:
    """:func:`studyapp.services.opening.open_profile` on the worker thread.

    The services are imported here, on the worker thread, so the window paints first.
    """
    from studyapp.services.opening import open_profile

    return open_profile(
        paths, clock, __version__, progress=progress, background_check=background_check
    )
