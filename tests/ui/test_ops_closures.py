"""No function sent to the worker thread holds a Qt object (issue 19).

A Qt object referenced from the worker can be destroyed there when the worker drops the
last reference, and Qt objects must die on their own thread. Every function submitted to
the task runner during a GUI session driven by clicks is walked: closure cells, defaults,
partials, bound methods and the containers and StudyApp objects they hold.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QListWidget

from studyapp.ui.screens.exam import ExamScreen
from studyapp.ui.screens.library.screen import LibraryScreen
from studyapp.ui.screens.practice import PracticeScreen
from studyapp.ui.screens.statistics import StatisticsScreen
from studyapp.ui.tasks import TaskRunner
from tests.ui.conftest import settle


def qt_objects_in(root: object) -> list[str]:
    """Paths (like ``fn.<cell view>.__self__``) to every QObject reachable from ``root``."""
    found: list[str] = []
    seen: set[int] = set()

    def walk(obj: object, path: str) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, QObject):
            found.append(f"{path}: {type(obj).__name__}")
            return
        for name, child in _children(obj):
            walk(child, f"{path}.{name}")

    walk(root, "fn")
    return found


def _children(obj: object) -> Iterator[tuple[str, object]]:
    if isinstance(obj, types.FunctionType):
        names = obj.__code__.co_freevars
        for name, cell in zip(names, obj.__closure__ or (), strict=True):
            try:
                yield f"<cell {name}>", cell.cell_contents
            except ValueError:  # an empty cell (not assigned yet)
                continue
        for i, default in enumerate(obj.__defaults__ or ()):
            yield f"<default {i}>", default
        for key, default in (obj.__kwdefaults__ or {}).items():
            yield f"<default {key}>", default
    elif isinstance(obj, types.MethodType):
        yield "__self__", obj.__self__
        yield "__func__", obj.__func__
    elif isinstance(obj, types.BuiltinMethodType):  # a C method bound to its object
        yield "__self__", obj.__self__
    elif isinstance(obj, functools.partial):
        yield "func", obj.func
        for i, arg in enumerate(obj.args):
            yield f"args[{i}]", arg
        for key, arg in obj.keywords.items():
            yield f"keywords[{key}]", arg
    elif isinstance(obj, list | tuple | set | frozenset):
        for i, item in enumerate(obj):
            yield f"[{i}]", item
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield f"[{key!r}]", value
    elif type(obj).__module__.startswith("studyapp.") or dataclasses.is_dataclass(obj):
        # StudyApp's own objects (a planned-ahead slot, a frozen view): their attributes.
        for key, value in _attributes(obj):
            yield key, value


def _attributes(obj: object) -> Iterator[tuple[str, object]]:
    for key, value in getattr(obj, "__dict__", {}).items():
        yield key, value
    for cls in type(obj).__mro__:
        for key in getattr(cls, "__slots__", ()):
            if hasattr(obj, key):
                yield key, getattr(obj, key)


@pytest.fixture
def submitted(monkeypatch: pytest.MonkeyPatch) -> list[Callable[..., Any]]:
    """Every function handed to the worker thread from now on (recorded, then run)."""
    functions: list[Callable[..., Any]] = []
    original = TaskRunner._start

    def record(self: TaskRunner, fn: Callable[..., Any], callbacks: Any) -> None:
        functions.append(fn)
        original(self, fn, callbacks)

    monkeypatch.setattr(TaskRunner, "_start", record)
    return functions


def _click_nav(c, qtbot, title: str) -> None:
    """Click the screen's entry in the navigation list, as the user does."""
    nav: QListWidget = c.window.nav
    item = next(nav.item(i) for i in range(nav.count()) if nav.item(i).text() == title)
    nav.scrollToItem(item)
    qtbot.mouseClick(
        nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(item).center()
    )
    settle(qtbot, c)


def _practice_a_short_session(c, qtbot) -> None:
    _click_nav(c, qtbot, "Practice")
    practice = c.window.screen_of(PracticeScreen)
    assert practice.isVisible()
    practice.size_box.setValue(practice.size_box.minimum())
    qtbot.mouseClick(practice.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: practice.pages.currentWidget() is practice.question_page, timeout=30_000
    )
    answered = 0
    while practice.pages.currentWidget() is practice.question_page and answered < 10:
        needed = max(len(practice.current.question.correct_ids), 1)
        for card in practice.cards[:needed]:
            qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(practice.submit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: practice.result is not None, timeout=30_000)
        answered += 1
        qtbot.mouseClick(practice.next_button, Qt.MouseButton.LeftButton)
        settle(qtbot, c)
    assert answered == practice.size_box.minimum()
    assert practice.pages.currentWidget() is practice.summary_page


def _statistics(c, qtbot) -> None:
    _click_nav(c, qtbot, "Statistics")
    screen = c.window.screen_of(StatisticsScreen)
    qtbot.waitUntil(lambda: screen.data is not None, timeout=30_000)


def _library(c, qtbot) -> None:
    _click_nav(c, qtbot, "Library")
    screen = c.window.screen_of(LibraryScreen)
    panel = screen.questions
    qtbot.waitUntil(lambda: panel.model.loaded() > 0, timeout=30_000)
    panel.select_row(2)
    qtbot.mouseClick(panel.suspend_button, Qt.MouseButton.LeftButton)
    settle(qtbot, c)


def _mock_exam_start(c, qtbot) -> None:
    _click_nav(c, qtbot, "Mock exam")
    screen = c.window.screen_of(ExamScreen)
    qtbot.waitUntil(lambda: screen.info is not None, timeout=30_000)
    screen.length.setValue(5)
    qtbot.mouseClick(screen.start_button, Qt.MouseButton.LeftButton)
    sitting = screen.sitting
    qtbot.waitUntil(lambda: sitting.question is not None, timeout=30_000)
    qtbot.mouseClick(sitting.cards[0], Qt.MouseButton.LeftButton)
    settle(qtbot, c)
    qtbot.mouseClick(sitting.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sitting.question is not None and sitting.question.position == 1)
    settle(qtbot, c)


def test_no_function_sent_to_the_worker_holds_a_qt_object(submitted, app_controller, qtbot):
    """Practice, Statistics, Library and a mock exam by clicks: the worker gets plain data."""
    c = app_controller
    opening = len(submitted)
    _practice_a_short_session(c, qtbot)
    _statistics(c, qtbot)
    _library(c, qtbot)
    _mock_exam_start(c, qtbot)
    settle(qtbot, c)
    assert opening >= 1 and len(submitted) - opening >= 15  # the session really ran work
    offences = {repr(fn): found for fn in submitted if (found := qt_objects_in(fn))}
    assert not offences, offences


def test_the_walk_finds_a_widget_behind_a_partial_a_method_and_a_nested_lambda(qtbot):
    """The check can fail: a label reached through nested closures is reported."""
    label = QLabel("x")
    qtbot.addWidget(label)

    class Holder:
        def __init__(self) -> None:
            self.label = label

        def read(self, profile: object) -> object:
            return profile

    def outer() -> Callable[[object], object]:
        inner = lambda p: (p, label.text())  # noqa: E731
        return lambda p: inner(p)

    assert qt_objects_in(functools.partial(outer(), 1))
    assert qt_objects_in(label.text)  # a bound method of a widget
    assert qt_objects_in(lambda p: [{"w": label}])
    assert not qt_objects_in(functools.partial(Holder.read, None, 1))
    assert not qt_objects_in(lambda p, n=3: p + n)
