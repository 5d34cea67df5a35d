"""The Join dialog: the group's shared folder or hub address, the name the group sees,
what to share.

The dialog only collects the values (checked here: a folder or address and a name are
needed); the joining and the first sync run as one operation off the GUI thread
(:meth:`GroupService.join_and_sync`), whose refusal (not a group folder, a hostile one, a
hub that cannot be reached) comes back as one message in the error dialog. A hub that
asks for a password libpq cannot find is asked for it then
(:mod:`studyapp.ui.screens.group_password`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.group import NAME_MAX

SHARE_CHOICES = (
    ("all", "My skill figures and my mock exam results"),
    ("skills", "Only my skill figures (mastery and readiness)"),
    ("exams", "Only my results of the group's mock exams"),
)


FIELD_LABEL = "Group &folder or hub address:"


def fit_width(dialog: QDialog, width: int) -> None:
    """Open ``dialog`` ``width`` wide and as tall as its wrapped labels need at that width
    (a dialog's size hint alone leaves wrapped text cut at large fonts)."""
    layout = dialog.layout()
    width = max(width, dialog.minimumSizeHint().width())
    height = dialog.sizeHint().height()
    if layout is not None and layout.hasHeightForWidth():
        height = max(height, layout.totalHeightForWidth(width))
    dialog.resize(width, height)


class JoinDialog(QDialog):
    """Join a study group: its shared folder, or its PostgreSQL group hub."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupJoinDialog")
        self.setWindowTitle("Join a study group")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Choose the folder your group shares (a network share, a cloud-synced folder "
            "or a USB stick), or enter the group hub address your facilitator gave you "
            "(postgresql://…). StudyApp reads the group's packs and mock exams there and "
            "writes your progress card there."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        # Large fonts: a field goes under its label rather than pushing the dialog wider
        # than the window (the share choices are long).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setObjectName("groupFolder")
        self.folder.setAccessibleName("Group folder or hub address")
        self.folder.setPlaceholderText("A folder, or postgresql://login@host/database?group=…")
        browse = QPushButton("&Browse…")
        browse.setToolTip("Choose a shared folder (for a hub, type its address)")
        browse.setObjectName("groupBrowse")
        browse.clicked.connect(self.browse)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        folder_label = QLabel(FIELD_LABEL)
        folder_label.setWordWrap(True)
        folder_label.setBuddy(self.folder)  # a row holding a layout gets no buddy by itself
        form.addRow(folder_label, row)
        self.name = QLineEdit()
        self.name.setObjectName("groupDisplayName")
        self.name.setAccessibleName("Your name in the group")
        self.name.setMaxLength(NAME_MAX)
        form.addRow("Your &name in the group:", self.name)
        self.share = QComboBox()
        self.share.setObjectName("groupShare")
        self.share.setAccessibleName("What you share")
        for value, text in SHARE_CHOICES:
            self.share.addItem(text, value)
        form.addRow("&Share:", self.share)
        layout.addLayout(form)
        note = QLabel("Nothing else leaves your profile: no questions, notes or settings.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.problem = QLabel("")
        self.problem.setObjectName("groupJoinProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Join")
        self.ok_button.setObjectName("groupJoinOk")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_width(self, 560)

    def browse(self) -> None:
        """Pick the folder with the platform's folder chooser."""
        chosen = QFileDialog.getExistingDirectory(self, "Choose the group's shared folder")
        if chosen:
            self.folder.setText(chosen)

    def values(self) -> tuple[str, str, str]:
        """(folder or hub address, display name, share) as entered."""
        return self.folder.text().strip(), self.name.text().strip(), str(self.share.currentData())

    def accept(self) -> None:
        """Close only when a folder (or address) and a name are given; otherwise say which
        is missing."""
        folder, name, _share = self.values()
        missing = (
            "the group's folder or hub address" if not folder else "your name" if not name else ""
        )
        if missing:
            self.problem.setText(f"Enter {missing} to join.")
            self.problem.show()
            (self.folder if not folder else self.name).setFocus()
            return
        super().accept()
