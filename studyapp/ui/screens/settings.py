"""Settings: the exam date and pace, memory, assumptions, appearance, data and backups.

Each change is validated by the domain's rules and saved at once (no Save button to
forget); a refused value is explained beside the control and the stored value stays.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
)

from studyapp.domain.framework import Framework
from studyapp.domain.settings import Settings
from studyapp.services.changes import Change
from studyapp.services.study import StudyService
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.screens.home import plain

if TYPE_CHECKING:
    from studyapp.ui.controller import AppController


class SettingsScreen(Screen):
    """Every user setting of the profile."""

    title = "Settings"
    depends_on: ClassVar[Change] = Change.SETTINGS | Change.FRAMEWORKS

    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self._loading = False
        self.settings = Settings()
        self.framework: Framework | None = None
        layout = scroll_page(self, 14)
        layout.addWidget(plain("Settings", bold=True, size_delta=5))
        self.status = plain("", wrap=True)
        self.status.setObjectName("settingsStatus")
        layout.addWidget(self.status)

        # --- exam and pace
        exam = QGroupBox("Exam and pace")
        form = QFormLayout(exam)
        row = QHBoxLayout()
        self.has_exam = QCheckBox("I have an exam date")
        self.has_exam.setAccessibleName("I have an exam date")
        self.exam_date = QDateEdit()
        self.exam_date.setCalendarPopup(True)
        self.exam_date.setDisplayFormat("yyyy-MM-dd")
        self.exam_date.setAccessibleName("Exam date")
        row.addWidget(self.has_exam)
        row.addWidget(self.exam_date)
        row.addStretch(1)
        form.addRow("Exam date:", row)
        self.new_limit = QSpinBox()
        self.new_limit.setRange(0, 500)
        self.new_limit.setAccessibleName("New questions per day")
        form.addRow("New questions per day:", self.new_limit)
        self.goal = QSpinBox()
        self.goal.setRange(5, 600)
        self.goal.setSuffix(" minutes")
        self.goal.setAccessibleName("Daily study goal")
        form.addRow("Daily study goal:", self.goal)
        form.addRow(
            plain(
                "With an exam date, practice paces new questions so all are seen well "
                "before the exam, and raises the daily limit if it must.",
                wrap=True,
            )
        )
        layout.addWidget(exam)

        # --- memory
        memory = QGroupBox("Memory")
        form = QFormLayout(memory)
        self.retention = QDoubleSpinBox()
        self.retention.setRange(0.70, 0.99)
        self.retention.setSingleStep(0.01)
        self.retention.setDecimals(2)
        self.retention.setAccessibleName("Desired retention")
        form.addRow("Desired retention:", self.retention)
        form.addRow(
            plain(
                "The chance of remembering a question when it comes back. Higher "
                "means more reviews. 0.90 suits most people.",
                wrap=True,
            )
        )
        layout.addWidget(memory)

        # --- assumptions
        assume = QGroupBox("Exam assumptions")
        form = QFormLayout(assume)
        self.raw_cut = QSpinBox()
        self.raw_cut.setRange(30, 95)
        self.raw_cut.setSuffix(" % of questions")
        self.raw_cut.setAccessibleName("Assumed raw pass mark")
        form.addRow("Assumed raw pass mark:", self.raw_cut)
        self.exam_minutes = QSpinBox()
        self.exam_minutes.setRange(5, 600)
        self.exam_minutes.setSuffix(" minutes")
        self.exam_minutes.setAccessibleName("Mock exam time limit")
        form.addRow("Mock exam time limit:", self.exam_minutes)
        self.caveat = plain("", wrap=True)
        form.addRow(self.caveat)
        layout.addWidget(assume)

        # --- appearance
        look = QGroupBox("Appearance")
        form = QFormLayout(look)
        self.theme = QComboBox()
        for label, value in (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme.addItem(label, value)
        self.theme.setAccessibleName("Theme")
        form.addRow("Theme:", self.theme)
        self.font_size = QSpinBox()
        self.font_size.setRange(8, 24)
        self.font_size.setSuffix(" pt")
        self.font_size.setAccessibleName("Font size")
        form.addRow("Font size:", self.font_size)
        layout.addWidget(look)

        # --- data and backups
        data = QGroupBox("Your data")
        form = QFormLayout(data)
        folder_row = QHBoxLayout()
        self.folder = QLabel(str(controller.paths.data_dir))
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setAccessibleName("Data folder")
        open_folder = QPushButton("Open folder")
        open_folder.setAccessibleName("Open the data folder")
        open_folder.clicked.connect(self._open_folder)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(open_folder)
        form.addRow("Data folder:", folder_row)
        self.daily_backup = QCheckBox("Back up automatically every day")
        self.daily_backup.setAccessibleName("Daily automatic backup")
        form.addRow("", self.daily_backup)
        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setAccessibleName("Automatic backups to keep")
        form.addRow("Automatic backups to keep:", self.keep)
        backup_now = QPushButton("Back up now")
        backup_now.setAccessibleName("Back up now")
        backup_now.clicked.connect(lambda: controller.backup_now())
        form.addRow("", backup_now)
        layout.addWidget(data)
        layout.addStretch(1)

        self.has_exam.toggled.connect(self._exam_toggled)
        self.exam_date.dateChanged.connect(lambda _d: self._save_exam())
        self.new_limit.valueChanged.connect(lambda v: self.save(daily_new_limit=v))
        self.goal.valueChanged.connect(lambda v: self.save(daily_goal_minutes=v))
        self.retention.valueChanged.connect(lambda v: self.save(desired_retention=round(v, 2)))
        self.raw_cut.valueChanged.connect(lambda v: self.save(assumed_raw_cut=round(v / 100, 2)))
        self.exam_minutes.valueChanged.connect(lambda v: self.save(exam_minutes=v))
        self.theme.currentIndexChanged.connect(self._theme_changed)
        self.font_size.valueChanged.connect(self._font_changed)
        self.daily_backup.toggled.connect(lambda v: self.save(backup_daily=v))
        self.keep.valueChanged.connect(lambda v: self.save(backup_keep=v))

    # ------------------------------------------------------------------ load
    def refresh(self) -> None:
        self.stale = False

        def load(profile: Any) -> tuple[Settings, Framework]:
            return profile.settings(), StudyService(profile).framework()

        self.controller.query(load, self._show)

    def _show(self, data: tuple[Settings, Framework]) -> None:
        self.settings, self.framework = data
        s, fw = data
        self._loading = True
        try:
            self.has_exam.setChecked(s.exam_date is not None)
            self.exam_date.setEnabled(s.exam_date is not None)
            today = self.controller.clock.now().date()
            shown = date.fromisoformat(s.exam_date) if s.exam_date else today.replace(day=1)
            self.exam_date.setMinimumDate(QDate(2000, 1, 1))
            self.exam_date.setDate(QDate(shown.year, shown.month, shown.day))
            self.new_limit.setValue(s.daily_new_limit)
            self.goal.setValue(s.daily_goal_minutes)
            self.retention.setValue(s.desired_retention)
            self.raw_cut.setValue(round((s.assumed_raw_cut or fw.exam.assumed_raw_cut) * 100))
            self.exam_minutes.setValue(s.exam_minutes or fw.exam.time_limit_minutes)
            self.theme.setCurrentIndex(max(self.theme.findData(s.theme), 0))
            self.font_size.setValue(s.font_size)
            self.daily_backup.setChecked(s.backup_daily)
            self.keep.setValue(s.backup_keep)
        finally:
            self._loading = False
        self.caveat.setText(
            f"CoSN publishes the pass mark as {fw.exam.pass_scaled} of {fw.exam.scale_max} scaled, "
            "not the raw number of questions, and does not publish the current time limit "
            f"(the former format allowed {fw.exam.time_limit_minutes} minutes). Both values "
            f"here are assumptions; defaults {fw.exam.assumed_raw_cut:.0%} and "
            f"{fw.exam.time_limit_minutes} minutes."
        )

    # ------------------------------------------------------------------ save
    def save(self, **values: Any) -> None:
        """Validate and store changed settings off the GUI thread."""
        if self._loading or self.controller.profile is None:
            return

        def done(settings: Settings) -> None:
            self.settings = settings
            name = ", ".join(k.replace("_", " ") for k in values)
            self.status.setText(f"Saved: {name}.")

        def failed(exc: BaseException) -> None:
            self.status.setText(f"Not saved: {exc}")
            self.stale = True

        self.controller.run_op(lambda p: p.update_settings(**values), done, failed)

    def _exam_toggled(self, on: bool) -> None:
        self.exam_date.setEnabled(on)
        self._save_exam()

    def _save_exam(self) -> None:
        if not self.has_exam.isChecked():
            self.save(exam_date=None)
            return
        d = self.exam_date.date()
        self.save(exam_date=date(d.year(), d.month(), d.day()).isoformat())

    def _theme_changed(self) -> None:
        value = self.theme.currentData()
        if self._loading:
            return
        self.controller.set_theme(value, self.font_size.value())
        self.save(theme=value)

    def _font_changed(self, size: int) -> None:
        if self._loading:
            return
        self.controller.set_theme(self.theme.currentData(), size)
        self.save(font_size=size)

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.controller.paths.data_dir)))
