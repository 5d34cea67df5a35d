"""The first-run welcome: exam date (optional) and daily goal, then Home.

Shown once per profile, after the shipped CETL pack has been imported. Nothing here
needs the network. "Skip" keeps the defaults; both choices can be changed in Settings.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.settings import default_exam_date, earliest_exam_date
from studyapp.domain.words import plural


class WelcomeDialog(QDialog):
    """Asks for the exam date and the daily goal."""

    def __init__(self, parent: QWidget | None, today: date, questions: int) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle("Welcome to StudyApp")
        self.setAccessibleName("Welcome to StudyApp")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Your CETL question bank is ready: {plural(questions, 'question')} over the 10 "
            "skill areas. "
            "StudyApp measures your mastery in each area from your answers and steers practice "
            "toward the weak, heavily weighted ones. Two things help it plan:"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.has_date = QCheckBox("I know my exam date")
        self.has_date.setAccessibleName("I know my exam date")
        form.addRow(self.has_date)
        self.exam_date = QDateEdit()
        self.exam_date.setCalendarPopup(True)
        self.exam_date.setDisplayFormat("yyyy-MM-dd")
        # The same rule as Settings and ``settings set``: the exam lies after today.
        default, first = default_exam_date(today), earliest_exam_date(today)
        self.exam_date.setMinimumDate(QDate(first.year, first.month, first.day))
        self.exam_date.setDate(QDate(default.year, default.month, default.day))
        self.exam_date.setEnabled(False)
        self.exam_date.setAccessibleName("Exam date")
        self.has_date.toggled.connect(self.exam_date.setEnabled)
        form.addRow("Exam date:", self.exam_date)
        self.goal = QSpinBox()
        self.goal.setRange(5, 600)
        self.goal.setValue(30)
        self.goal.setSuffix(" minutes a day")
        self.goal.setAccessibleName("Daily study goal")
        form.addRow("Daily goal:", self.goal)
        layout.addLayout(form)
        note = QLabel("You can change both later in Settings.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        start = buttons.addButton("Start studying", QDialogButtonBox.ButtonRole.AcceptRole)
        start.setDefault(True)
        buttons.addButton("Skip", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def chosen(self) -> dict[str, object]:
        """The settings to store (the welcome is marked done either way)."""
        values: dict[str, object] = {"welcome_done": True}
        if self.result() == QDialog.DialogCode.Accepted:
            values["daily_goal_minutes"] = self.goal.value()
            if self.has_date.isChecked():
                d = self.exam_date.date()
                values["exam_date"] = date(d.year(), d.month(), d.day()).isoformat()
        return values
