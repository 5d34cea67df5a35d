"""Settings: the exam date and pace, memory, assumptions, appearance, data and backups.

Each change is validated by the domain's rules and saved at once (no Save button to
forget); a refused value is explained beside the control and the stored value stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from studyapp.domain.framework import Framework
from studyapp.domain.settings import (
    DISPLAY_NAME_MAX,
    LABELS,
    SettingError,
    Settings,
    default_exam_date,
)
from studyapp.services.changes import Change
from studyapp.services.settings import FrameworkChoice, SettingsService
from studyapp.services.study.practice import GoalAdvice
from studyapp.services.study.service import StudyService
from studyapp.ui.screens.base import Screen, scroll_page
from studyapp.ui.theme import colours
from studyapp.ui.widgets.flow import FlowLayout
from studyapp.ui.widgets.labels import plain

if TYPE_CHECKING:
    from studyapp.services.profile import Profile
    from studyapp.ui.context import ScreenContext


def _form(group: QGroupBox) -> QFormLayout:
    """A form that puts a field under its label when the two do not fit side by side
    (narrow windows, large fonts), so the page never scrolls sideways."""
    form = QFormLayout(group)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What the screen shows, read off the GUI thread."""

    settings: Settings
    framework: Framework
    choices: tuple[FrameworkChoice, ...]
    today: date
    advice: GoalAdvice


class SettingsScreen(Screen):
    """Every user setting of the profile."""

    title = "Settings"
    depends_on: ClassVar[Change] = Change.SETTINGS | Change.FRAMEWORKS

    def __init__(self, controller: ScreenContext) -> None:
        super().__init__(controller)
        self._loading = False
        self.settings = Settings()
        self.framework: Framework | None = None
        self.today: date | None = None
        layout = scroll_page(self, 14)
        layout.addWidget(plain("Settings", bold=True, size_delta=5))
        self.status = plain("", wrap=True)
        self.status.setObjectName("settingsStatus")
        layout.addWidget(self.status)

        # --- exam and pace
        exam = QGroupBox("Exam and pace")
        form = _form(exam)
        self.target = QComboBox()
        self.target.setAccessibleName("Studying for")
        # Long framework titles must not widen the page; the list shows them in full.
        self.target.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.target.setMinimumContentsLength(16)
        # On its own row, full width: framework titles are long. With one framework
        # installed there is nothing to choose, so its title is shown as text.
        self.target_only = plain("", wrap=True)
        self.target_only.setAccessibleName("Studying for")
        form.addRow(plain("Studying for:"))
        form.addRow(self.target)
        form.addRow(self.target_only)
        form.addRow(
            plain(
                "Home, readiness, practice, statistics and mock exams follow this exam "
                "framework. Switching keeps all your answers.",
                wrap=True,
            )
        )
        row = FlowLayout()  # the date goes under the check box when they do not fit side by side
        self.has_exam = QCheckBox("I have an exam date")
        self.has_exam.setAccessibleName("I have an exam date")
        self.exam_date = QDateEdit()
        self.exam_date.setCalendarPopup(True)
        self.exam_date.setDisplayFormat("yyyy-MM-dd")
        self.exam_date.setAccessibleName("Exam date")
        row.addWidget(self.has_exam)
        row.addWidget(self.exam_date)
        form.addRow("Exam date:", row)
        self.exam_error = plain("", wrap=True)
        self.exam_error.setObjectName("examDateError")
        self.exam_error.setAccessibleName("Exam date problem")
        self.exam_error.hide()
        form.addRow(self.exam_error)
        self.new_limit = QSpinBox()
        self.new_limit.setRange(0, 500)
        self.new_limit.setAccessibleName("New questions per day")
        form.addRow("New questions per day:", self.new_limit)
        self.goal = QSpinBox()
        self.goal.setRange(5, 600)
        self.goal.setSuffix(" minutes")
        self.goal.setAccessibleName("Daily study goal")
        form.addRow("Daily study goal:", self.goal)
        self.goal_note = plain("", wrap=True)
        self.goal_note.setObjectName("goalNote")
        form.addRow(self.goal_note)
        form.addRow(
            plain(
                "With an exam date, practice paces new questions so all are seen well "
                "before the exam, and raises the daily limit if it must.",
                wrap=True,
            )
        )
        layout.addWidget(exam)

        # --- you
        you = QGroupBox("You")
        form = _form(you)
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(DISPLAY_NAME_MAX)
        self.display_name.setPlaceholderText("Shown in reports")
        self.display_name.setAccessibleName("Your name")
        form.addRow("Your name:", self.display_name)
        layout.addWidget(you)

        # --- memory
        memory = QGroupBox("Memory")
        form = _form(memory)
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
        form = _form(assume)
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
        form = _form(look)
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
        form = _form(data)
        folder_row = QHBoxLayout()
        # A read-only field: a long path scrolls inside it (and can be selected and copied)
        # instead of widening the page or being cut off.
        self.folder = QLineEdit(str(controller.paths.data_dir))
        self.folder.setReadOnly(True)
        self.folder.setCursorPosition(0)
        self.folder.setToolTip(str(controller.paths.data_dir))
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

        self.target.currentIndexChanged.connect(self._target_changed)
        self.display_name.editingFinished.connect(self._name_changed)
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

        def load(profile: Profile) -> _Loaded:
            study, settings = StudyService(profile), SettingsService(profile)
            return _Loaded(
                profile.settings(),
                study.framework(),
                settings.frameworks(),
                settings.today(),
                study.goal_advice(),
            )

        self.controller.query(load, self._show)

    def _show(self, data: _Loaded) -> None:
        s, fw, self.today = data.settings, data.framework, data.today
        self.settings, self.framework = s, fw
        self._loading = True
        try:
            self.target.clear()
            for choice in data.choices:
                self.target.addItem(choice.title, choice.id)
            self.target.setCurrentIndex(max(self.target.findData(fw.id), 0))
            several = len(data.choices) > 1
            self.target.setVisible(several)
            self.target.setToolTip(fw.title)
            self.target_only.setText(fw.title)
            self.target_only.setVisible(not several)
            if not self.display_name.hasFocus():
                self.display_name.setText(s.display_name)
            self.has_exam.setChecked(s.exam_date is not None)
            self.exam_date.setEnabled(s.exam_date is not None)
            # Never a date in the past as the offer: ticking the box saves what is shown.
            shown = (
                date.fromisoformat(s.exam_date) if s.exam_date else default_exam_date(data.today)
            )
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
        passed = s.exam_date is not None and date.fromisoformat(s.exam_date) <= data.today
        self._exam_problem(
            "This exam date has passed: choose your next exam date, or untick the box."
            if passed
            else ""
        )
        advice = data.advice
        self.goal_note.setText(" ".join(filter(None, [advice.size.explanation(), advice.note])))
        if fw.id == "cetl":
            self.caveat.setText(
                f"CoSN publishes the pass mark as {fw.exam.pass_scaled} of "
                f"{fw.exam.scale_max} scaled, not the raw number of questions, and does not "
                "publish the current time limit (the former format allowed "
                f"{fw.exam.time_limit_minutes} minutes). Both values here are assumptions; "
                f"defaults {fw.exam.assumed_raw_cut:.0%} and "
                f"{fw.exam.time_limit_minutes} minutes."
            )
        else:
            self.caveat.setText(
                f"{fw.title}: pass mark {fw.exam.pass_scaled} of {fw.exam.scale_max}. The raw "
                "pass mark and the time limit here are assumptions; defaults "
                f"{fw.exam.assumed_raw_cut:.0%} and {fw.exam.time_limit_minutes} minutes."
            )

    def _exam_problem(self, text: str) -> None:
        """Show (or clear) a problem with the exam date beside the field."""
        self.exam_error.setText(text)
        self.exam_error.setStyleSheet(f"color: {colours(self.controller.theme)['bad']};")
        self.exam_error.setVisible(bool(text))

    # ------------------------------------------------------------------ save
    def save(self, **values: Any) -> None:
        """Check by the user rules (:class:`SettingsService`) and store, off the GUI
        thread; a refused value is explained (beside the exam date, or in the status
        line) and nothing is stored."""
        if self._loading or self.controller.profile is None:
            return

        def done(settings: Settings) -> None:
            self.settings = settings
            name = ", ".join(LABELS.get(k, k).lower() for k in values)
            self.status.setText(f"Saved: {name}.")
            if "exam_date" in values:
                self._exam_problem("")

        def failed(exc: BaseException) -> None:
            text = exc.plain if isinstance(exc, SettingError) else str(exc)
            if "exam_date" in values:
                self._exam_problem(f"Not saved. {text}")
            else:
                self.status.setText(f"Not saved: {text}")
                self.stale = True

        self.controller.run_op(lambda p: SettingsService(p).update(**values), done, failed)

    def _name_changed(self) -> None:
        name = self.display_name.text().strip()
        if name != self.settings.display_name:
            self.save(display_name=name)

    def _target_changed(self) -> None:
        value = self.target.currentData()
        if not self._loading and value is not None and value != self.settings.target_framework:
            self.save(target_framework=value)

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
