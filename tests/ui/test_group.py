"""The Group screen and the Join dialog, through real widgets.

The group folder is made by the services (a facilitator profile, or this window's
profile as facilitator); member cards are written as members' apps write them.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QScrollArea, QTableWidget

from studyapp.config import AppPaths
from studyapp.domain.group import ExamCard, ItemCard, MemberCard, SkillCard
from studyapp.services.groups import GroupService, read_membership
from studyapp.services.groups.folder import FolderGroup
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.ui.screens.group import GroupScreen
from studyapp.ui.screens.group_join import FIELD_LABEL, JoinDialog
from tests.ui.conftest import open_app, settle, stop_app
from tests.ui.test_library import type_text

SHOTS = Path(os.environ.get("STUDYAPP_SHOTS", "/tmp/group-folder-shots"))
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
GIFT = """$CATEGORY: $course$/Data Management

::Backups::Which backup rule keeps three copies on two media with one offsite? {
=3-2-1 rule
~Mirror only
~RAID 5
}
"""
SKILLS = (
    ("leadership-vision", "Leadership & Vision", 0.15),
    ("strategic-planning", "Strategic Planning", 0.15),
    ("data-management", "Data Management", 0.07),
)


def member_card(n: int, name: str, masteries: tuple[float, ...], answers: int) -> MemberCard:
    """A card as a member's app writes it: skills and one sitting of CETL-5-DTH0XJQ."""
    skills = tuple(
        SkillCard(i, t, w, m, max(0.0, m - 0.12), min(1.0, m + 0.12), answers)
        for (i, t, w), m in zip(SKILLS, masteries, strict=True)
    )
    # q2's key is A, but the two strongest chose C: a flawed question.
    right = {
        "Ann": ("A", "C", "A"),
        "Bob": ("A", "C", "B"),
        "Cy": ("A", "A", "B"),
    }[name]
    keys = ("A", "A", "A")
    items = tuple(
        ItemCard(f"cetl-core/dm-00{k + 1}", "data-management", (c,), c == keys[k])
        for k, c in enumerate(right)
    )
    exam = ExamCard("CETL-5-DTH0XJQ", sum(i.correct for i in items), 3, "2026-11-23", items)
    return MemberCard(
        f"{n:032x}", name, "2026-11-23T09:00:00+00:00", "1.0", "all", 0.3 + n / 10, skills, (exam,)
    )


def lead_a_group(controller, folder: Path, tmp_path: Path) -> None:
    """This window's profile creates a group, publishes a pack, schedules an exam;
    three members' cards arrive in the folder."""
    service = GroupService(controller.profile)
    service.create(str(folder), "North Region Cohort")
    gift = tmp_path / "district-quiz.gift"
    gift.write_text(GIFT, encoding="utf-8")
    service.publish(gift)
    group = FolderGroup(folder)
    from studyapp.domain.group import ScheduledExam

    group.write_group(group.read_group().with_exam(ScheduledExam("CETL-5-DTH0XJQ", "2026-12-20")))
    cards = [
        member_card(1, "Ann", (0.82, 0.74, 0.41), 24),
        member_card(2, "Bob", (0.63, 0.58, 0.35), 15),
        member_card(3, "Cy", (0.51, 0.44, 0.30), 4),
    ]
    for card in cards:
        group.write_card(card)


def show_group(controller, qtbot) -> GroupScreen:
    """Open the Group screen with its shortcut, as a user would, and wait for its figures."""
    window = controller.window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    screen = window.screen_of(GroupScreen)
    qtbot.waitUntil(lambda: screen.status is not None, timeout=20_000)
    settle(qtbot, controller)
    return screen


def test_the_facilitator_sees_members_agenda_and_flagged_questions(app_controller, qtbot, tmp_path):
    """Members × skills with ranges and 'too few answers', the agenda, and the flawed item."""
    lead_a_group(app_controller, tmp_path / "group", tmp_path)
    screen = show_group(app_controller, qtbot)
    assert screen.heading.text() == "North Region Cohort"
    assert screen.members.rowCount() == 3
    texts = [
        screen.members.item(r, c).text()
        for r in range(3)
        for c in range(screen.members.columnCount())
    ]
    assert "82% (70%–94%)" in texts
    assert "too few answers (4)" in texts
    assert "1. Data Management" in screen.agenda.text() or "1." in screen.agenda.text()
    assert "Cy" in screen.agenda.text()  # named as having too few answers
    items = screen.findChild(QTableWidget, "groupItems")
    assert items is not None and items.rowCount() == 3
    assert "strongest members preferred a wrong option" in items.item(1, 4).text()
    assert "everyone got it right" in items.item(0, 4).text()
    labels = [label.text() for label in screen.findChildren(QLabel)]
    assert any("3 members sat it" in t for t in labels)
    save_shots(app_controller, qtbot, screen)


def save_shots(controller, qtbot, screen: GroupScreen) -> None:
    """Light and dark at 880×600, and light at 18 pt, for looking at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    window = controller.window
    window.resize(880, 600)
    for theme, size, name in (("light", 11, "light"), ("dark", 11, "dark"), ("light", 18, "18pt")):
        controller.set_theme(theme, size)
        qtbot.waitUntil(lambda: screen.status is not None and not screen.stale, timeout=20_000)
        settle(qtbot, controller)
        qtbot.wait(50)
        window.grab().save(str(SHOTS / f"group-{name}.png"))
        if size == 11 and DOCS_SHOTS.is_dir() and os.environ.get("STUDYAPP_DOCS_SHOTS"):
            window.grab().save(str(DOCS_SHOTS / f"group-{name}.png"))
        bar = screen.findChild(QScrollArea).verticalScrollBar()
        bar.setValue(bar.maximum())
        qtbot.wait(50)
        window.grab().save(str(SHOTS / f"group-{name}-exams.png"))
        bar.setValue(0)
    controller.set_theme("light", 11)


def test_export_writes_the_group_report_as_html_and_pdf(app_controller, qtbot, tmp_path):
    """The report names the group and the members who share, in HTML and in PDF."""
    lead_a_group(app_controller, tmp_path / "group", tmp_path)
    screen = show_group(app_controller, qtbot)
    assert screen.findChild(QPushButton, "groupExport").isVisible()
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    screen.export_to(html)
    screen.export_to(pdf)
    settle(qtbot, app_controller)
    text = html.read_text(encoding="utf-8")
    assert "North Region Cohort" in text and "Ann, Bob, Cy" in text
    assert pdf.read_bytes()[:5] == b"%PDF-"
    render_report(text, "group-report.png")


def render_report(html: str, name: str) -> None:
    """Lay the report out with the engine that prints the PDF, and save it as a PNG."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument

    document = QTextDocument()
    document.setHtml(html)
    document.setTextWidth(720)
    height = int(document.size().height()) + 10
    image = QImage(740, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.translate(10, 10)
    document.drawContents(painter, QRectF(0, 0, 720, height))
    painter.end()
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.save(str(SHOTS / name))
    if DOCS_SHOTS.is_dir() and os.environ.get("STUDYAPP_DOCS_SHOTS"):
        image.save(str(DOCS_SHOTS / name))


def make_facilitated_folder(tmp_path: Path, clock) -> Path:
    """A group folder with one GIFT pack, made by another profile."""
    paths = AppPaths(data_dir=tmp_path / "facilitator", log_dir=tmp_path / "flogs")
    profile = Profile.open(paths, clock, "1.0")
    try:
        service = GroupService(profile)
        service.create(str(tmp_path / "group"), "North Region Cohort")
        gift = tmp_path / "district-quiz.gift"
        gift.write_text(GIFT, encoding="utf-8")
        service.publish(gift)
    finally:
        profile.close()
    return tmp_path / "group"


def test_joining_through_the_dialog_imports_the_pack_and_shares_a_card(
    app_controller, qtbot, tmp_path, clock
):
    """Join a group… -> folder, name, Join: the pack arrives and the card is written."""
    folder = make_facilitated_folder(tmp_path, clock)
    window = app_controller.window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    screen = window.screen_of(GroupScreen)
    settle(qtbot, app_controller)
    assert screen.join_button.isVisible()
    qtbot.mouseClick(screen.join_button, Qt.MouseButton.LeftButton)
    dialog = screen.join_dialog
    assert isinstance(dialog, JoinDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "group's folder" in dialog.problem.text()
    type_text(qtbot, dialog.folder, str(folder))
    type_text(qtbot, dialog.name, "Zoë")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(lambda: screen.status is not None, timeout=20_000)
    membership = read_membership(app_controller.profile)
    assert membership is not None and membership.name == "Zoë"
    assert "district-quiz" in [p.id for p in PackService(app_controller.profile).list()]
    assert (folder / "cards" / f"{membership.member_id}.json").is_file()
    assert [c.name for c in screen.status.members] == ["Zoë"]
    assert "Synced with North Region Cohort" in window.statusBar().currentMessage()


def test_sync_now_runs_off_the_gui_thread_and_reports_in_the_status_bar(
    app_controller, qtbot, tmp_path, clock
):
    """Sync now (the screen's button) imports nothing new twice and says what it did."""
    folder = make_facilitated_folder(tmp_path, clock)
    GroupService(app_controller.profile).join(str(folder), "Ann")
    screen = show_group(app_controller, qtbot)
    assert screen.sync_button.isVisible()
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    assert "1 new pack" in app_controller.window.statusBar().currentMessage()
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    assert "new pack" not in app_controller.window.statusBar().currentMessage()


def test_the_group_screen_says_when_it_last_synced_and_why_a_sync_failed(
    app_controller, qtbot, tmp_path, clock, monkeypatch
):
    """One line under the summary: "Last synced today at 09:00." after Sync now; with the
    folder gone, Sync now shows the error and the line says when and why it failed."""
    monkeypatch.setenv("TZ", "UTC")
    folder = make_facilitated_folder(tmp_path, clock)
    GroupService(app_controller.profile).join(str(folder), "Ann")
    screen = show_group(app_controller, qtbot)
    assert screen.sync_state.text() == "Not synced yet."
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(lambda: screen.sync_state.text() == "Last synced today at 09:00.")
    folder.rename(tmp_path / "moved")
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(lambda: screen.sync_state.text().startswith("Last sync failed"))
    line = screen.sync_state.text()
    assert line.startswith("Last sync failed today at 09:00: ") and "\n" not in line
    assert str(folder) in line
    boxes = [w for w in app_controller.window.findChildren(QMessageBox) if w.isVisible()]
    assert len(boxes) == 1 and str(folder) in boxes[0].text()
    boxes[0].close()
    (tmp_path / "moved").rename(folder)
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(lambda: screen.sync_state.text() == "Last synced today at 09:00.")


def test_the_menu_has_join_sync_and_the_group_screen(app_controller, qtbot):
    """File → Study group lists Join…, Sync now and Group screen; the last one shows it."""
    window = app_controller.window
    menu = window.findChild(type(window.menuBar().actions()[0].menu()), "studyGroupMenu")
    assert [a.text() for a in menu.actions()] == ["&Join…", "&Sync now", "Group &screen"]
    menu.actions()[2].trigger()
    assert isinstance(window.stack.currentWidget(), GroupScreen)


def test_the_join_dialogs_folder_label_is_a_working_mnemonic(app_controller, qtbot):
    """'Group &folder or hub address:' shows an underlined F that focuses the field, not a
    literal ampersand (a form row holding a layout gets no buddy by itself)."""
    window = app_controller.window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    screen = window.screen_of(GroupScreen)
    settle(qtbot, app_controller)
    qtbot.mouseClick(screen.join_button, Qt.MouseButton.LeftButton)
    dialog = screen.join_dialog
    assert dialog is not None
    labels = [w for w in dialog.findChildren(QLabel) if w.text() == FIELD_LABEL]
    assert FIELD_LABEL == "Group &folder or hub address:"
    assert "postgresql://" in dialog.folder.placeholderText()
    assert len(labels) == 1 and labels[0].buddy() is dialog.folder
    dialog.reject()
    settle(qtbot, app_controller)


def test_opening_a_profile_in_a_group_syncs_it_off_the_gui_thread(qtbot, paths, clock, tmp_path):
    """At start the member's app imports the group's new pack and says so in the status bar."""
    folder = make_facilitated_folder(tmp_path, clock)
    profile = Profile.open(paths, clock, "1.0")
    try:
        GroupService(profile).join(str(folder), "Ann")
    finally:
        profile.close()
    c = open_app(qtbot, paths, clock)
    qtbot.waitUntil(
        lambda: "Synced with North Region Cohort" in c.window.statusBar().currentMessage(),
        timeout=30_000,
    )
    settle(qtbot, c)
    assert "district-quiz" in [p.id for p in PackService(c.profile).list()]
    stop_app(c)


def test_home_lists_the_groups_scheduled_exams_and_opens_the_next_one(
    app_controller, qtbot, tmp_path
):
    """After a sync, Home lists the group's scheduled mock exams; its button opens Mock exam
    with the next exam's code filled in."""
    from studyapp.ui.screens.exam import ExamScreen
    from studyapp.ui.screens.home import HomeScreen

    c = app_controller
    folder = tmp_path / "group"
    lead_a_group(c, folder, tmp_path)
    GroupService(c.profile).sync()
    c.window.show_screen(HomeScreen)
    home = c.window.screen_of(HomeScreen)
    home.refresh()
    qtbot.waitUntil(lambda: home.group_exams.isVisible(), timeout=30_000)
    assert "CETL-5-DTH0XJQ on 20 December 2026" in home._group_exam_list.text()
    qtbot.mouseClick(home.group_exam_button, Qt.MouseButton.LeftButton)
    exam = c.window.screen_of(ExamScreen)
    assert c.window.stack.currentWidget() is exam
    assert exam.code.text() == "CETL-5-DTH0XJQ"


def test_join_and_password_dialogs_and_the_sync_line_fit_at_880x600_and_18pt(
    app_controller, qtbot, tmp_path, clock, monkeypatch
):
    """The Join dialog (hub address typed), the hub password dialog and the Group screen
    with a failed-sync line, light and dark, 11 and 18 pt: each dialog fits the 880x600
    window and no label is cut; PNGs in SHOTS to look at."""
    from studyapp.domain.group import HubPasswordError
    from studyapp.ui.screens.group_password import HubPasswordDialog

    monkeypatch.setenv("TZ", "UTC")
    folder = make_facilitated_folder(tmp_path, clock)
    GroupService(app_controller.profile).join(str(folder), "Ann")
    window = app_controller.window
    window.resize(880, 600)
    screen = show_group(app_controller, qtbot)
    folder.rename(tmp_path / "moved")
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app_controller)
    qtbot.waitUntil(lambda: screen.sync_state.text().startswith("Last sync failed"))
    for box in window.findChildren(QMessageBox):
        box.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    need = HubPasswordError("x", ("ann", "db.example.org", "5432", "studyhub"), refused=False)
    for theme, size, name in (("light", 11, "light"), ("dark", 11, "dark"), ("light", 18, "18pt")):
        app_controller.set_theme(theme, size)
        screen.refresh()
        settle(qtbot, app_controller)
        qtbot.waitUntil(lambda: screen.sync_state.text().startswith("Last sync failed"))
        window.grab().save(str(SHOTS / f"group-sync-failed-{name}.png"))
        join = JoinDialog(window)
        join.folder.setText("postgresql://ann@db.example.org/studyhub?group=North%20Region")
        join.name.setText("Ann")
        join.show()
        password = HubPasswordDialog(need, window)
        password.show()
        qtbot.wait(50)
        for dialog, shot in ((join, "join"), (password, "password")):
            assert dialog.width() <= 880 and dialog.height() <= 600, (shot, name)
            for label in dialog.findChildren(QLabel):
                if label.isVisible() and label.text():
                    assert label.width() >= min(
                        label.sizeHint().width(), label.minimumSizeHint().width()
                    ), (shot, label.text())
            dialog.grab().save(str(SHOTS / f"group-{shot}-{name}.png"))
        join.close()
        password.close()
        join.deleteLater()
        password.deleteLater()
    app_controller.set_theme("light", 11)


def test_two_needs_for_one_hub_password_share_one_dialog(app_controller, qtbot):
    """The sync at start-up and the Group screen asking at once get one dialog; Connect
    answers both, and the password is kept for this run only (in memory)."""
    from studyapp.domain.group import HubPasswordError
    from studyapp.services.groups.hub import forget_passwords
    from studyapp.storage.hub import connect
    from studyapp.ui.screens.group_password import ask_password

    need = HubPasswordError("x", ("ann", "db.example.org", "5432", "studyhub"), refused=False)
    answered: list[str] = []
    window = app_controller.window
    first = ask_password(window, need, lambda: answered.append("sync"), lambda: None)
    second = ask_password(window, need, lambda: answered.append("screen"), lambda: None)
    assert first is second and first.isVisible()
    type_text(qtbot, first.password, "s3cret")
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: answered == ["sync", "screen"])
    try:
        assert connect._passwords[need.key] == "s3cret"
    finally:
        forget_passwords()
