"""The library's preview pane: the selected question rendered, and its history.

Content goes through :class:`RenderedText` (stem, options with the key marked, each
option's rationale, explanation, references as text). The history lists every past
answer (date, chosen options, right or wrong, mode, time) as plain text.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.words import plural
from studyapp.services.packs.library import HistoryEntry, QuestionDetail
from studyapp.ui.screens.library.markdown import markdown_of
from studyapp.ui.screens.library.model import DIFFICULTY_TEXT, STATUS_TEXT
from studyapp.ui.widgets.labels import plain
from studyapp.ui.widgets.rendered import RenderedText

#: Below this width (in average characters) the history goes under the question text.
SIDE_BY_SIDE_CHARS = 95

HISTORY_COLUMNS = ("Date", "Chosen", "Result", "Mode", "Time")


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _letters(chosen: tuple[str, ...], option_ids: list[str]) -> str:
    letters = []
    for oid in chosen:
        letters.append(chr(ord("A") + option_ids.index(oid)) if oid in option_ids else oid)
    return ", ".join(letters) or "—"


class PreviewPane(QWidget):
    """Shows one :class:`QuestionDetail`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPreview")
        self.setAccessibleName("Question preview")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # Everything scrolls together when the pane is short (minimum window size, large
        # font), so the wrapped labels always get the height they need.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self.scroll_area.setWidget(inner)
        outer.addWidget(self.scroll_area)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = plain("Select a question to preview it.", bold=True, wrap=True)
        self.header.setObjectName("previewHeader")
        self.header.setAccessibleName("Question")
        layout.addWidget(self.header)
        self.meta = plain("", wrap=True)
        self.meta.setObjectName("previewMeta")
        self.meta.setAccessibleName("Question details")
        layout.addWidget(self.meta)
        self.links = plain("", wrap=True)
        self.links.setObjectName("previewLinks")
        self.links.setAccessibleName("Revision notes")
        self.links.hide()
        layout.addWidget(self.links)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.split = split
        self.text = RenderedText()
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.text.setObjectName("previewText")
        self.text.setAccessibleName("Question, options, rationales and explanation")
        split.addWidget(self.text)
        history_box = QWidget()
        box = QVBoxLayout(history_box)
        box.setContentsMargins(6, 0, 0, 0)
        self.history_label = plain("History", bold=True, wrap=True)
        box.addWidget(self.history_label)
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setObjectName("previewHistory")
        self.history.setAccessibleName("Every past answer to this question")
        self.history.setHorizontalHeaderLabels(list(HISTORY_COLUMNS))
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        box.addWidget(self.history)
        split.addWidget(history_box)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        layout.addWidget(split, 1)
        self.detail: QuestionDetail | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  # Qt override
        """Text and history side by side when there is room, else one above the other."""
        super().resizeEvent(event)
        wide = self.width() >= self.fontMetrics().averageCharWidth() * SIDE_BY_SIDE_CHARS
        self.split.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)

    def clear(self, message: str = "Select a question to preview it.") -> None:
        self.detail = None
        self.header.setText(message)
        self.meta.setText("")
        self.links.hide()
        self.text.set_markdown("")
        self.history.setRowCount(0)
        self.history_label.setText("History")

    def show_detail(self, detail: QuestionDetail) -> None:
        """Render ``detail``."""
        self.detail = detail
        q = detail.question
        kind = "several answers" if q.type == "multiple" else "one answer"
        self.header.setText(f"{detail.ref} · {detail.skill_title or 'Unassigned'}")
        self.meta.setText(
            f"Status: {STATUS_TEXT.get(detail.status, detail.status)} · "
            f"difficulty {DIFFICULTY_TEXT.get(q.difficulty, q.difficulty)} · {kind} · "
            f"revision {q.revision} · pack: {detail.pack_title}"
            + (f" · tags: {', '.join(q.tags)}" if q.tags else "")
        )
        notes = self._notes(detail)
        self.links.setText("\n".join(notes))
        self.links.setVisible(bool(notes))
        self.text.set_markdown(markdown_of(q), detail.media)
        self._fill_history(detail.history, [o.id for o in q.options])

    @staticmethod
    def _notes(detail: QuestionDetail) -> list[str]:
        links, notes = detail.links, []
        if links.revised_by is not None:
            notes.append(
                f"Your revision {links.revised_by[1]} is practised in place of this question. "
                "Updates of this pack still change this question; your revision stays as it is."
            )
        if links.revises is not None:
            notes.append(f"Your own revision of {links.revises[1]}.")
            if links.upstream_retired:
                notes.append(
                    "⚠ Its pack no longer contains the original question; your revision stays."
                )
            elif links.upstream_changed:
                notes.append(
                    "⚠ A newer revision of the original question arrived with a pack update "
                    "after you last saved yours. Compare them and edit yours if needed."
                )
        return notes

    def _fill_history(self, history: tuple[HistoryEntry, ...], option_ids: list[str]) -> None:
        self.history.setRowCount(len(history))
        for row, h in enumerate(history):
            chosen = _letters(h.chosen, option_ids)
            if h.of_original:
                chosen += " (original)"
            result = ("Right" if h.correct else "Wrong") + (" · guessed" if h.guessed else "")
            values = (
                _local(h.answered_at),
                chosen,
                result,
                h.mode,
                f"{h.response_ms / 1000:.1f} s",
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(" · ".join(values))
                self.history.setItem(row, column, item)
        n = len(history)
        self.history_label.setText(
            f"History: {plural(n, 'answer')}" if n else "History: not answered yet"
        )
