"""The Statistics screen through real widgets: refreshes after answers, charts, exports."""

from __future__ import annotations

import csv
import io
import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from studyapp.services.study.service import StudyService
from studyapp.ui.screens.statistics import REPORT_FILTERS, StatisticsScreen
from studyapp.ui.widgets.charts import Chart
from tests.ui.conftest import settle


def _open(c, qtbot) -> StatisticsScreen:
    c.window.show_screen(StatisticsScreen)
    screen = c.window.screen_of(StatisticsScreen)
    qtbot.waitUntil(lambda: screen.data is not None, timeout=30_000)
    settle(qtbot, c)
    return screen


def _answer(c, qtbot, n: int) -> None:
    """Answer ``n`` planned questions through operations, as Practice does."""
    items: list = []
    c.query(lambda p: StudyService(p).plan(n, rng=random.Random(3))[1], items.extend)
    settle(qtbot, c)
    for item in items[:n]:
        correct = sorted(item.question.correct_ids)
        c.run_op(lambda p, qid=item.qid, chosen=correct: StudyService(p).answer(qid, chosen, 20.0))
    settle(qtbot, c)


def test_screen_refreshes_after_answers(app_controller, qtbot):
    """Shown before any answer it says 0; answers given elsewhere appear without a click."""
    c = app_controller
    screen = _open(c, qtbot)
    assert screen.summary.text().startswith("0 answers")
    assert screen.heatmap.days[-1][1] == 0
    _answer(c, qtbot, 3)
    qtbot.waitUntil(lambda: screen.summary.text().startswith("3 answers"), timeout=30_000)
    assert screen.heatmap.days[-1][1] == 3
    assert "3 answers on 1 day in" in screen.heatmap.accessibleDescription()
    assert screen.accuracy.series[0].values[-1] == 1.0
    assert screen.time.values[-1] == 1.0  # three answers of 20 seconds, today


def test_every_chart_has_a_name_and_a_summary_in_both_themes(app_controller, qtbot):
    """Charts carry an accessible name and a text summary, and follow the theme."""
    c = app_controller
    _answer(c, qtbot, 2)
    screen = _open(c, qtbot)
    charts = screen.findChildren(Chart)
    assert len(charts) == 5
    for chart in charts:
        assert chart.accessibleName()
        assert chart.accessibleDescription() and chart.toolTip() == chart.summary
    c.set_theme("dark")
    assert all(chart.theme == "dark" for chart in charts)
    c.set_theme("light")
    assert all(chart.theme == "light" for chart in charts)


def test_choosing_a_skill_area_redraws_accuracy_and_mastery(app_controller, qtbot):
    """The skill-area box switches both weekly charts, with the 80% band for one skill."""
    c = app_controller
    _answer(c, qtbot, 4)
    screen = _open(c, qtbot)
    assert screen.skill.count() == 11  # all, and the 10 CETL skill areas
    assert screen.mastery.band is None
    screen.skill.setFocus()
    qtbot.keyClick(screen.skill, Qt.Key.Key_Down)
    assert screen.skill.currentIndex() == 1
    title = screen.skill.currentText()
    assert title in screen.accuracy.summary and title in screen.mastery.summary
    assert screen.mastery.band is not None
    assert screen.mastery.target == screen.data.target


def test_time_per_week_toggle(app_controller, qtbot):
    """Time spent switches between days and weeks."""
    c = app_controller
    _answer(c, qtbot, 2)
    screen = _open(c, qtbot)
    assert len(screen.time.values) == 30
    screen.time_scale.setCurrentIndex(screen.time_scale.findData("week"))
    assert len(screen.time.values) == len(screen.data.overall.weeks)
    assert screen.time.values[-1] > 0


def test_export_report_html_and_pdf(app_controller, qtbot, tmp_path, monkeypatch):
    """Export report… writes the HTML or PDF the file dialog names, off the GUI thread."""
    c = app_controller
    _answer(c, qtbot, 2)
    screen = _open(c, qtbot)
    target = tmp_path / "progress.html"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), REPORT_FILTERS["html"])
    )
    qtbot.mouseClick(screen.report_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.last_export is not None, timeout=60_000)
    assert "2 in all" in target.read_text("utf-8")
    assert f"Report saved to {target}" in c.window.statusBar().currentMessage()

    pdf = tmp_path / "progress"  # no extension: the chosen filter decides
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), REPORT_FILTERS["pdf"])
    )
    screen.last_export = None
    c.window.activateWindow()
    qtbot.keyClick(c.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.last_export is not None, timeout=60_000)
    assert screen.last_export.path == tmp_path / "progress.pdf"
    assert (tmp_path / "progress.pdf").read_bytes().startswith(b"%PDF")


def test_export_statistics_csv(app_controller, qtbot, tmp_path, monkeypatch):
    """Export statistics… (Alt+S) writes answers per day and skill area as CSV."""
    c = app_controller
    _answer(c, qtbot, 3)
    screen = _open(c, qtbot)
    target = tmp_path / "stats.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    c.window.activateWindow()
    # A mnemonic fires only in the active window; activation is asynchronous.
    qtbot.waitUntil(lambda: c.app.activeWindow() is c.window, timeout=10_000)
    qtbot.keyClick(c.window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: screen.last_export is not None, timeout=30_000)
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert sum(int(r["answers"]) for r in rows) == 3
    assert all(r["date"] == screen.data.today.isoformat() for r in rows)


def test_cancelled_file_dialog_writes_nothing(app_controller, qtbot, tmp_path, monkeypatch):
    """Cancelling the dialog starts no export."""
    c = app_controller
    screen = _open(c, qtbot)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    qtbot.mouseClick(screen.report_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.csv_button, Qt.MouseButton.LeftButton)
    settle(qtbot, c)
    assert screen.last_export is None


def test_tab_walks_the_screen_in_reading_order(app_controller, qtbot):
    """Tab goes from the export buttons through the controls and charts as they are read."""
    c = app_controller
    screen = _open(c, qtbot)
    c.window.activateWindow()
    screen.report_button.setFocus()
    qtbot.waitUntil(lambda: screen.report_button.hasFocus())
    visited = [screen.report_button]
    for _ in screen.tab_order[1:]:
        qtbot.keyClick(c.app.focusWidget(), Qt.Key.Key_Tab)
        visited.append(c.app.focusWidget())
    assert visited == list(screen.tab_order)
    assert all(w.accessibleName() for w in visited)


def test_mastery_history_waits_for_enough_answers(app_controller, qtbot):
    """With a few answers, the mastery chart draws no line and says what is missing."""
    c = app_controller
    _answer(c, qtbot, 3)
    screen = _open(c, qtbot)
    assert all(v is None for v in screen.mastery.series[0].values)
    assert "shown with readiness" in screen.mastery.summary
    answered = next(f for f in screen.data.figures if f.answers)
    screen.skill.setCurrentIndex(screen.skill.findData(answered.id))
    assert all(v is None for v in screen.mastery.series[0].values)
    assert f"too few answers ({answered.answers} of 10)" in screen.mastery.summary
    untouched = next(f for f in screen.data.figures if not f.answers)
    screen.skill.setCurrentIndex(screen.skill.findData(untouched.id))
    assert "not practised yet" in screen.mastery.summary
