"""The main window: navigation on the left, one screen at a time on the right, menus.

The window owns no data. It asks :class:`~studyapp.ui.controller.AppController` to run
operations and shows what comes back. It is the GUI's composition point
(:func:`build_app`): it imports the controller and the screens, while the controller sees
it only as a :class:`~studyapp.ui.context.Shell` and the screens see the controller only as
a :class:`~studyapp.ui.context.ScreenContext`, so nothing imports back (issue 19).

Only Home is built with the window. The other screens' modules import the services (and
through them SQLAlchemy): about a second and a half that would come before the first
paint. Each of them is built when it is first shown or asked for (:meth:`screen_of`,
:attr:`screens`), or in idle moments once Home has its figures (:meth:`build_rest_later`);
until then a blank page holds its place in the stack, and its navigation entry and
shortcut work as before.
"""

from __future__ import annotations

import importlib
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp import __version__
from studyapp.services.changes import Change
from studyapp.ui import shortcuts
from studyapp.ui.context import Shell
from studyapp.ui.controller import AppController
from studyapp.ui.group_menu import add_group_menu
from studyapp.ui.screens.base import Screen
from studyapp.ui.screens.home import HomeScreen
from studyapp.ui.shortcuts import ShortcutsDialog
from studyapp.ui.widgets.labels import refresh_fonts
from studyapp.ui.widgets.setup_panel import SetupPanel

S = TypeVar("S", bound=QWidget)

# The navigation, in order (Ctrl+1 … Ctrl+N): title, module, class. One module per screen;
# the titles are the classes' ``title`` (a test keeps them equal).
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("Home", "studyapp.ui.screens.home", "HomeScreen"),
    ("Practice", "studyapp.ui.screens.practice", "PracticeScreen"),
    ("Mock exam", "studyapp.ui.screens.exam", "ExamScreen"),
    ("Library", "studyapp.ui.screens.library.screen", "LibraryScreen"),
    ("Statistics", "studyapp.ui.screens.statistics", "StatisticsScreen"),
    ("Settings", "studyapp.ui.screens.settings", "SettingsScreen"),
    ("Group", "studyapp.ui.screens.group", "GroupScreen"),
)


def screen_class(index: int) -> type[Screen]:
    """The class of the ``index``-th screen (imports its module)."""
    _title, module, name = SCREENS[index]
    cls = getattr(importlib.import_module(module), name)
    assert isinstance(cls, type) and issubclass(cls, Screen)
    return cls


def screen_classes() -> list[type[Screen]]:
    """The navigation's screen classes, in order (imports every screen module)."""
    return [screen_class(i) for i in range(len(SCREENS))]


if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from studyapp.config import AppPaths
    from studyapp.domain.clock import Clock


def build_app(app: QApplication, paths: AppPaths, clock: Clock) -> AppController:
    """The controller and its window, put together (not yet shown, no profile open)."""
    controller = AppController(app, paths, clock)
    controller.window = MainWindow(controller)
    return controller


def _versions() -> str:
    """Versions of the main libraries, read from package metadata (no imports)."""
    parts = []
    for dist in ("PySide6-Essentials", "SQLAlchemy", "fsrs"):
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return " · ".join(parts)


class MainWindow(Shell):
    """StudyApp's one main window (:func:`build_app` makes it ``controller``'s window)."""

    def __init__(self, controller: AppController) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName("mainWindow")
        self.setWindowTitle("StudyApp")
        self.setMinimumSize(QSize(880, 600))
        self.resize(1100, 720)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Navigation")
        self.nav.setFixedWidth(190)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.stack.setObjectName("screens")

        self._built: list[Screen | None] = []
        for number, (title, _module, _name) in enumerate(SCREENS, 1):
            if number == 1:
                self.home: HomeScreen = HomeScreen(controller)
                self.add_screen(self.home, title, shortcuts.SCREEN_KEY.format(number=number))
            else:
                self._add_slot(None, QWidget(), title, shortcuts.SCREEN_KEY.format(number=number))
        self.nav.currentRowChanged.connect(self._show_screen)
        self.nav.setCurrentRow(0)
        controller.changes_happened.connect(self._changes)
        controller.theme_changed.connect(self._theme_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.setup_panel = SetupPanel()
        right.addWidget(self.setup_panel)
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel("")
        self.status_label.setAccessibleName("Status")
        self.statusBar().addWidget(self.status_label, 1)
        controller.runner.busy_changed.connect(self._busy)
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._build_menus()

    @staticmethod
    def of(controller: AppController) -> MainWindow:
        """``controller``'s window as a MainWindow (the controller types it as a Shell)."""
        window = controller.window
        if not isinstance(window, MainWindow):
            raise TypeError("the controller's window is not a MainWindow")
        return window

    @property
    def screens(self) -> list[Screen]:
        """Every screen, in navigation order (building those not built yet)."""
        return [self.screen_at(i) for i in range(len(self._built))]

    def built_screens(self) -> list[Screen]:
        """The screens built so far (the others are stale by construction)."""
        return [s for s in self._built if s is not None]

    def screen_at(self, index: int) -> Screen:
        """The ``index``-th screen, built now if it was not yet."""
        screen = self._built[index]
        if screen is None:
            screen = screen_class(index)(self.controller)
            placeholder = self.stack.widget(index)
            assert placeholder is not None
            current = self.stack.currentIndex()
            self.stack.blockSignals(True)
            self.stack.insertWidget(index, screen)
            self.stack.removeWidget(placeholder)
            self.stack.setCurrentIndex(current)
            self.stack.blockSignals(False)
            placeholder.deleteLater()
            self._built[index] = screen
        return screen

    def _index_of(self, cls: type[QWidget]) -> int:
        for i, (_title, module, name) in enumerate(SCREENS):
            if cls.__module__ == module and cls.__name__ == name:
                return i
        for i, screen in enumerate(self._built):  # a screen added with add_screen
            if isinstance(screen, cls):
                return i
        raise LookupError(f"no screen of class {cls.__name__}")

    def screen_of(self, cls: type[S]) -> S:
        """The screen of class ``cls`` (built now if it was not yet)."""
        screen = self.screen_at(self._index_of(cls))
        assert isinstance(screen, cls)
        return screen

    def show_screen(self, cls: type[QWidget]) -> None:
        """Switch to the screen of class ``cls``."""
        self.nav.setCurrentRow(self._index_of(cls))

    def show_home(self) -> None:
        """Switch to Home (Practice's "Back to Home" after a session)."""
        self.show_screen(HomeScreen)

    def start_practice(self) -> None:
        """Go to Practice and start a session (Home's "Start practice")."""
        from studyapp.ui.screens.practice import PracticeScreen

        self.show_screen(PracticeScreen)
        self.screen_of(PracticeScreen).start()

    def prepare_exam(self, code: str) -> None:
        """Go to Mock exam with the group exam ``code`` filled in (started from there)."""
        from studyapp.ui.screens.exam import ExamScreen

        self.show_screen(ExamScreen)
        exam = self.screen_of(ExamScreen)
        exam.code.setText(code)
        exam.code.setFocus()

    def build_rest_later(self) -> None:
        """Build the screens not built yet, one per idle event-loop turn.

        A screen takes 50-100 ms to build on the GUI thread; while a long operation runs
        (an import with its progress dialog) the building waits, so the dialog and the
        window stay fluid. A screen asked for meanwhile is still built at once.
        """
        missing = [i for i, s in enumerate(self._built) if s is None]
        if missing:
            # With the window as context: a turn still queued when it closes never runs.
            QTimer.singleShot(0, self, lambda: self._build_next(missing[0]))

    def _build_next(self, index: int) -> None:
        if self.controller.long_running:
            QTimer.singleShot(500, self, lambda: self._build_next(index))
            return
        if self._built[index] is None:
            self.screen_at(index)
        self.build_rest_later()

    def _theme_changed(self, _theme: str) -> None:
        refresh_fonts(self, self.controller.app.font().pointSize())
        for s in self.built_screens():
            s.on_theme_changed()

    def _changes(self, changes: Change) -> None:
        for s in self.built_screens():
            s.on_changes(changes)
        current = self.screen_at(self.stack.currentIndex())
        if current.stale and self.controller.profile is not None:
            current.refresh()

    def add_screen(self, screen: Screen, title: str, shortcut: str) -> None:
        """Add a screen to the navigation, reachable with ``shortcut``."""
        self._add_slot(screen, screen, title, shortcut)

    def _add_slot(self, screen: Screen | None, page: QWidget, title: str, shortcut: str) -> None:
        item = QListWidgetItem(title)
        item.setToolTip(f"{title} ({shortcut})")
        item.setSizeHint(QSize(0, 36))
        self.nav.addItem(item)
        self.stack.addWidget(page)
        self._built.append(screen)
        index = len(self._built) - 1
        action = QAction(title, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.nav.setCurrentRow(index))
        self.addAction(action)

    def _show_screen(self, index: int) -> None:
        if index < 0:
            return
        previous = self.stack.currentIndex()
        if previous != index and not self.screen_at(previous).leave_allowed():
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(previous)
            self.nav.blockSignals(False)
            return
        screen = self.screen_at(index)
        self.stack.setCurrentIndex(index)
        if screen.stale and self.controller.profile is not None:
            screen.refresh()

    def refresh_current(self) -> None:
        """Mark every screen stale and refresh the visible one."""
        for screen in self.built_screens():
            screen.stale = True
        self._show_screen(self.stack.currentIndex())

    def ui_state(self) -> QSettings:
        """Window geometry and last screen, kept in the profile folder (per profile)."""
        path = self.controller.paths.data_dir / "ui-state.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)

    def restore_ui_state(self) -> None:
        """Put the window where it was, on the screen it showed."""
        state = self.ui_state()
        geometry = state.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        title = state.value("screen")
        for i, (screen_title, _module, _name) in enumerate(SCREENS):
            if screen_title == title:
                self.nav.setCurrentRow(i)

    def save_ui_state(self) -> None:
        """Remember geometry and the current screen."""
        if not self.controller.paths.data_dir.is_dir():
            return
        state = self.ui_state()
        state.setValue("geometry", self.saveGeometry())
        state.setValue("screen", SCREENS[self.stack.currentIndex()][0])
        state.sync()

    def _action(self, text: str, binding: shortcuts.Binding | None = None) -> QAction:
        """A menu action; its keys, if any, come from the shortcut registry."""
        action = QAction(text, self)
        if binding is not None:
            action.setObjectName(binding.name)
            action.setShortcuts(binding.sequences())
            # Bound on the window too, so the keys work with the menu bar hidden (and on
            # platforms whose native menu bar lives outside the window).
            self.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        import_pack = self._action("&Import pack…", shortcuts.IMPORT_PACK)
        import_pack.setObjectName("importPack")
        import_pack.triggered.connect(lambda: self._library_action("choose_import"))
        file_menu.addAction(import_pack)
        export_pack = self._action("&Export pack…", shortcuts.EXPORT_PACK)
        export_pack.setObjectName("exportPack")
        export_pack.triggered.connect(lambda: self._library_action("choose_export"))
        file_menu.addAction(export_pack)
        file_menu.addSeparator()
        backup = self._action("&Back up now")
        backup.setObjectName("backupNowAction")
        backup.triggered.connect(lambda: self.controller.backup_now())
        file_menu.addAction(backup)
        restore = self._action("&Restore from a backup…")
        restore.setObjectName("restoreAction")
        restore.triggered.connect(self.restore_from_backup)
        file_menu.addAction(restore)
        file_menu.addSeparator()
        switch = self._action("S&witch profile…")
        switch.setObjectName("switchProfile")
        switch.triggered.connect(self.switch_profile)
        file_menu.addAction(switch)
        add_group_menu(self, self.controller, file_menu)
        file_menu.addSeparator()
        # QKeySequence.Quit is empty on Windows: the registry adds an explicit Ctrl+Q.
        self.quit_action = self._action("&Quit", shortcuts.QUIT)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu("&Help")
        keys = self._action("&Keyboard shortcuts", shortcuts.HELP)
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
        about = self._action("&About StudyApp")
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _library_action(self, name: str) -> None:
        """Import and export live on the Library's Packs tab; the menu takes you there."""
        from studyapp.ui.screens.library.screen import LibraryScreen

        library = self.screen_of(LibraryScreen)
        self.show_screen(LibraryScreen)
        library.tabs.setCurrentWidget(library.packs)
        if name == "choose_import":
            library.packs.choose_import()
        else:
            library.packs.choose_export()

    def switch_profile(self) -> None:
        """Choose (or create) another profile folder, e.g. on a shared computer."""
        if self.controller.is_busy():
            self.statusBar().showMessage("StudyApp is busy; try again in a moment.", 5_000)
            return
        current = self.controller.paths.data_dir
        chosen = QFileDialog.getExistingDirectory(
            self,
            "Choose or create a profile folder",
            str(current.parent),
            QFileDialog.Option.ShowDirsOnly,
        )
        if not chosen or Path(chosen).resolve() == current.resolve():
            return
        self.save_ui_state()
        self.controller.switch_profile(Path(chosen))

    def restore_from_backup(self) -> None:
        """Choose a backup file, confirm, and let the controller restore it."""
        if self.controller.is_busy():
            self.statusBar().showMessage("StudyApp is busy; try again in a moment.", 5_000)
            return
        start = self.controller.paths.backups
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "Restore from a backup",
            str(start if start.is_dir() else self.controller.paths.data_dir),
            "StudyApp backups (*.sqlite3 *.bak);;All files (*)",
        )
        if not chosen:
            return
        answer = QMessageBox.question(
            self,
            "Restore from a backup",
            f"Replace your current progress with the backup\n{chosen}?\n\n"
            "Your current database is kept in the backups folder first, so this can be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.restore_from(Path(chosen))

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts (from the one registry that binds them)."""
        dialog = ShortcutsDialog(self, shortcuts.sections(title for title, _m, _n in SCREENS))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.open()

    def show_about(self) -> None:
        """Versions and the data folder."""
        paths = self.controller.paths
        QMessageBox.about(
            self,
            "About StudyApp",
            f"<p><b>StudyApp {__version__}</b> — offline preparation for the CoSN CETL exam."
            "<br>Unofficial; not affiliated with CoSN.</p>"
            f"<p>{_versions()}</p>"
            f"<p>Data folder:<br><code>{paths.data_dir}</code><br>Log file:<br>"
            f"<code>{paths.log_file}</code></p>",
        )

    def _busy(self, busy: bool) -> None:
        self.status_label.setText("Working…" if busy else "")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignLeft)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  # Qt override
        current = self.screen_at(self.stack.currentIndex())
        if not current.leave_allowed():
            event.ignore()
            return
        self.save_ui_state()
        self.controller.shutdown()
        super().closeEvent(event)
