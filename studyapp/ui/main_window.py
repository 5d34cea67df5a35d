"""The main window: navigation on the left, one screen at a time on the right, menus.

The window owns no data. It asks :class:`~studyapp.ui.controller.AppController` to run
operations and shows what comes back.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from studyapp import __version__
from studyapp.ui.screens.home import HomeScreen

if TYPE_CHECKING:
    from studyapp.ui.controller import AppController


def _versions() -> str:
    """Versions of the main libraries, read from package metadata (no imports)."""
    parts = []
    for dist in ("PySide6-Essentials", "SQLAlchemy", "fsrs"):
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return " · ".join(parts)


class MainWindow(QMainWindow):
    """StudyApp's one main window."""

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

        self.home = HomeScreen(controller.query)
        self.screens: list[QWidget] = []
        self.add_screen(self.home, "Home", "Ctrl+1")
        self.nav.currentRowChanged.connect(self._show_screen)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel("")
        self.status_label.setAccessibleName("Status")
        self.statusBar().addWidget(self.status_label, 1)
        controller.runner.busy_changed.connect(self._busy)
        self._build_menus()

    def add_screen(self, screen: QWidget, title: str, shortcut: str) -> None:
        """Add a screen to the navigation, reachable with ``shortcut``."""
        item = QListWidgetItem(title)
        item.setToolTip(f"{title} ({shortcut})")
        item.setSizeHint(QSize(0, 36))
        self.nav.addItem(item)
        self.stack.addWidget(screen)
        self.screens.append(screen)
        index = len(self.screens) - 1
        action = QAction(title, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.nav.setCurrentRow(index))
        self.addAction(action)

    def _show_screen(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        screen = self.screens[index]
        if getattr(screen, "stale", False) and self.controller.profile is not None:
            screen.refresh()  # type: ignore[attr-defined]

    def refresh_current(self) -> None:
        """Mark every screen stale and refresh the visible one."""
        for screen in self.screens:
            screen.stale = True  # type: ignore[attr-defined]
        self._show_screen(self.stack.currentIndex())

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        backup = QAction("&Back up now", self)
        backup.setObjectName("backupNowAction")
        backup.triggered.connect(lambda: self.controller.backup_now())
        file_menu.addAction(backup)
        restore = QAction("&Restore from a backup…", self)
        restore.setObjectName("restoreAction")
        restore.triggered.connect(self.restore_from_backup)
        file_menu.addAction(restore)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        help_menu = self.menuBar().addMenu("&Help")
        keys = QAction("&Keyboard shortcuts", self)
        keys.setShortcut(QKeySequence("F1"))
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
        about = QAction("&About StudyApp", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def restore_from_backup(self) -> None:
        """Choose a backup file, confirm, and let the controller restore it."""
        if self.controller.runner.is_busy():
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
        """List the keyboard shortcuts."""
        rows = "".join(
            f"<tr><td><b>{k}</b></td><td>{v}</td></tr>"
            for k, v in (("Ctrl+1", "Home"), ("F1", "This list"), ("Ctrl+Q", "Quit"))
        )
        QMessageBox.information(self, "Keyboard shortcuts", f"<table cellpadding=4>{rows}</table>")

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
        self.controller.shutdown()
        super().closeEvent(event)
