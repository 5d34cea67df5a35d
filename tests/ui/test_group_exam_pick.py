"""The Group screen analyses one mock exam at a time; the list picks which."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QTableWidget

from studyapp.domain.group import ScheduledExam
from studyapp.services.groups.folder import FolderGroup
from tests.ui.conftest import settle
from tests.ui.test_group import SHOTS, lead_a_group, member_card, show_group


def test_the_screen_analyses_the_most_recent_exam_and_the_list_switches_it(
    app_controller, qtbot, tmp_path
):
    """Two scheduled exams: the one already held is analysed, the list shows both with how many
    sat them, and choosing the other one in the list shows its analysis instead."""
    folder = tmp_path / "group"
    lead_a_group(app_controller, folder, tmp_path)
    group = FolderGroup(folder)
    group.write_group(group.read_group().with_exam(ScheduledExam("CETL-5-LATER", "2026-01-05")))
    ann = member_card(1, "Ann", (0.82, 0.74, 0.41), 24)
    later = replace(ann.exams[0], code="CETL-5-LATER", items=ann.exams[0].items[:2])
    group.write_card(replace(ann, exams=(*ann.exams, later)))

    screen = show_group(app_controller, qtbot)
    pick = screen.findChild(QComboBox, "groupExamPick")
    assert pick is not None and pick.isVisible()
    assert [pick.itemText(i) for i in range(pick.count())] == [
        "CETL-5-DTH0XJQ, 2026-12-20: sat by 3 members",
        "CETL-5-LATER, 2026-01-05: sat by 1 member",
    ]
    assert pick.currentIndex() == 1
    items = screen.findChildren(QTableWidget, "groupItems")
    assert [t.rowCount() for t in items] == [2]  # the later exam's 2 questions only

    app_controller.window.resize(880, 600)
    pick.setFocus()
    qtbot.keyClick(pick, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: screen.exam_code == "CETL-5-DTH0XJQ" and not screen.stale)
    qtbot.waitUntil(
        lambda: [t.rowCount() for t in screen.findChildren(QTableWidget, "groupItems")] == [3],
        timeout=20_000,
    )
    settle(qtbot, app_controller)
    labels = [label.text() for label in screen.findChildren(QLabel)]
    assert any("3 members sat it" in t for t in labels)
    assert pick.currentIndex() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    for theme, size, name in (("light", 11, "light"), ("dark", 11, "dark"), ("light", 18, "18pt")):
        app_controller.set_theme(theme, size)
        qtbot.waitUntil(lambda: screen.status is not None and not screen.stale, timeout=20_000)
        settle(qtbot, app_controller)
        bar = screen.findChild(QScrollArea).verticalScrollBar()
        bar.setValue(bar.maximum())
        qtbot.wait(50)
        app_controller.window.grab().save(str(SHOTS / f"group-pick-{name}.png"))
        bar.setValue(0)
    assert pick.currentIndex() == 0  # a refresh keeps the exam chosen
    app_controller.set_theme("light", 11)


def test_no_list_when_no_exam_is_scheduled(app_controller, qtbot, tmp_path):
    """A group with no scheduled exam shows no exam list and says so."""
    folder = tmp_path / "group"
    lead_a_group(app_controller, folder, tmp_path)
    group = FolderGroup(folder)
    group.write_group(replace(group.read_group(), exams=()))
    screen = show_group(app_controller, qtbot)
    assert not screen.findChild(QComboBox, "groupExamPick").isVisible()
    labels = [label.text() for label in screen.findChildren(QLabel)]
    assert "No mock exam is scheduled." in labels
