"""The review before handing in a mock exam, and the question that confirms it.

Split out of :mod:`studyapp.ui.screens.exam_sitting` (which shows it in its body): the
page lists the unanswered and flagged questions, and Enter or a double-click on a line
goes back to that question; nothing here changes the sitting, the page asks it to.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.words import plural
from studyapp.services.exams.views import ExamView, ReviewList
from studyapp.ui.widgets.flow import FlowLayout
from studyapp.ui.widgets.labels import plain


class ReviewPage(QWidget):
    """The questions still open, a way back to each, and the hand-in button.

    Emits ``jump`` with a question's position (0-based), ``back`` for "Back to the exam"
    and ``hand_in`` for "Hand in the exam" (the sitting asks for confirmation).
    """

    jump = Signal(int)
    back = Signal()
    hand_in = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The text and list scroll (at large fonts they need more than the body's height,
        # and squeezed they would overlap); the buttons below them stay in view.
        page_layout = QVBoxLayout(self)
        page_layout.setContentsMargins(0, 0, 0, 0)
        review_scroll = QScrollArea()
        review_scroll.setWidgetResizable(True)
        review_scroll.setFrameShape(QFrame.Shape.NoFrame)
        review_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        review_body = QWidget()
        review_scroll.setWidget(review_body)
        page_layout.addWidget(review_scroll, 1)
        rv = QVBoxLayout(review_body)
        rv.setContentsMargins(0, 6, 6, 6)
        rv.addWidget(plain("Before you hand in", bold=True, size_delta=3, wrap=True))
        self.text = plain("", wrap=True)
        rv.addWidget(self.text)
        self.list = QListWidget()
        self.list.setAccessibleName("Unanswered and flagged questions")
        self.list.itemActivated.connect(self._activated)
        rv.addWidget(self.list, 1)
        rbar = FlowLayout()
        back = QPushButton("Back to the exam")
        back.clicked.connect(lambda: self.back.emit())
        self.submit_button = QPushButton("Hand in the exam")
        self.submit_button.setAccessibleName("Hand in the exam")
        self.submit_button.clicked.connect(lambda: self.hand_in.emit())
        rbar.addWidget(back)
        rbar.addWidget(self.submit_button)
        rbar.right_from = 1
        page_layout.addLayout(rbar)

    def fill(self, view: ExamView, review: ReviewList) -> None:
        """Show what is open in ``view``: its unanswered, then its flagged questions."""
        self.list.clear()
        for pos in review.unanswered:
            self.list.addItem(_item(f"Question {pos + 1}: not answered", pos))
        for pos in review.flagged:
            self.list.addItem(_item(f"Question {pos + 1}: flagged for review", pos))
        self.text.setText(
            f"{view.answered} of {view.length} answered, {len(review.unanswered)} unanswered, "
            f"{len(review.flagged)} flagged. Unanswered questions count as wrong. Double-click "
            "(or Enter) a line to go back to it."
            if review.unanswered or review.flagged
            else f"All {view.length} questions are answered and none is flagged."
        )

    def _activated(self, item: QListWidgetItem) -> None:
        self.jump.emit(int(item.data(Qt.ItemDataRole.UserRole)))


def confirm_hand_in(parent: QWidget, view: ExamView) -> bool:
    """Ask before handing in, saying what is still open; Cancel is the default."""
    unanswered = view.length - view.answered
    open_items = []
    if unanswered:
        open_items.append(
            f"{plural(unanswered, 'question')} {'is' if unanswered == 1 else 'are'} "
            "not answered and will count as wrong"
        )
    if view.flagged:
        open_items.append(
            f"{plural(view.flagged, 'question')} {'is' if view.flagged == 1 else 'are'} "
            "flagged for review"
        )
    state = (
        "; ".join(open_items) + "."
        if open_items
        else f"All {view.length} questions are answered and none is flagged."
    )
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Hand in the exam?",
        f"{state} You cannot change your answers afterwards.",
        parent=parent,
    )
    hand_in = box.addButton("Hand in", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is hand_in


def _item(text: str, position: int) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, position)
    return item
