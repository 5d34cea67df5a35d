"""Home: where the user stands, per category and skill area.

At this stage it shows the profile's framework (categories, skill areas and their exam
weights) and what is installed; mastery and readiness join it with the study engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.framework import Framework
from studyapp.services.profile import Profile, ProfileInfo


class HomeScreen(QScrollArea):
    """The first screen; loads its data through ``run_query`` (off the GUI thread)."""

    title = "Home"

    def __init__(
        self, run_query: Callable[[Callable[[Profile], Any], Callable[[Any], None]], None]
    ) -> None:
        super().__init__()
        self.setObjectName("homeScreen")
        self.setAccessibleName("Home")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._run_query = run_query
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(28, 24, 28, 24)
        self._layout.setSpacing(14)
        self._heading = _plain("Opening your profile…")
        self._heading.setObjectName("screenHeading")
        self._heading.setAccessibleName("Home heading")
        self._layout.addWidget(self._heading)
        self._content = QWidget()
        self._layout.addWidget(self._content)
        self._layout.addStretch(1)
        self.setWidget(self._body)
        self.stale = True

    def refresh(self) -> None:
        """Reload what Home shows."""
        self._run_query(_load_home, self._show)

    def show_message(self, text: str) -> None:
        """Replace the content with one message (e.g. the profile could not open)."""
        self._heading.setText(text)
        self._heading.setWordWrap(True)

    def _show(self, data: tuple[ProfileInfo, list[Framework]]) -> None:
        info, frameworks = data
        self.stale = False
        counts = info.counts
        self._heading.setText(
            f"{counts['questions']} questions in {counts['packs']} pack(s) · "
            f"{counts['reviews']} answers so far"
        )
        new_content = QWidget()
        grid = QGridLayout(new_content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        row = 0
        for fw in frameworks:
            title = _plain(fw.title, bold=True)
            grid.addWidget(title, row, 0, 1, 2)
            row += 1
            for cat in fw.categories:
                cat_label = _plain(f"{cat.title} — {cat.weight:.0%} of the exam", bold=True)
                cat_label.setObjectName("categoryLabel")
                cat_label.setContentsMargins(0, 10, 0, 0)
                grid.addWidget(cat_label, row, 0, 1, 2)
                row += 1
                for skill in fw.skill_areas:
                    if skill.category_id != cat.id:
                        continue
                    name = _plain(skill.title)
                    name.setToolTip(skill.description)
                    weight = _plain(f"{skill.weight:.0%}")
                    weight.setAlignment(Qt.AlignmentFlag.AlignRight)
                    weight.setAccessibleName(f"{skill.title} weight")
                    grid.addWidget(name, row, 0)
                    grid.addWidget(weight, row, 1)
                    row += 1
        old = self._content
        self._layout.replaceWidget(old, new_content)
        old.deleteLater()
        self._content = new_content


def _load_home(profile: Profile) -> tuple[ProfileInfo, list[Framework]]:
    return profile.info(), profile.frameworks()


def _plain(text: str, *, bold: bool = False) -> QLabel:
    """A label that shows ``text`` literally (data is never interpreted as markup)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    return label
