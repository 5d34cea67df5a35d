"""A walk through the app's screens and states, shared by ``selftest`` and the layout audit.

:func:`walk` drives the started app (a :class:`~studyapp.ui.controller.AppController`
with an open profile) from state to state and yields a short name at each one, e.g.
``"home"``, ``"practice-feedback"``, ``"exam-results"``; the caller looks at the window
then (the selftest writes a PNG, the layout audit checks the layout). Keeping the route in
one place means the screenshots and the audit always see the same screens.

``settle`` is the caller's way to let queued operations finish and their results paint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyapp.ui.controller import AppController

Settle = Callable[[], None]


def slug(text: str) -> str:
    """A file-name form of a navigation title: "Mock exam" -> "mock-exam"."""
    return text.replace("&", "").lower().replace(" ", "-")


def walk(c: AppController, settle: Settle, *, demo: bool = True) -> Iterator[str]:
    """Every screen in navigation order (and the Library's other tabs); with ``demo``
    (a profile with questions to practise) also a practice question and its feedback, and
    a short mock exam: sitting, review, results."""
    yield from walk_screens(c, settle)
    if demo:
        yield from walk_practice(c, settle)
        yield from walk_exam(c, settle)


def walk_screens(c: AppController, settle: Settle) -> Iterator[str]:
    """Each screen of the navigation; the Library once per tab."""
    from studyapp.ui.main_window import MainWindow
    from studyapp.ui.screens.library.screen import LibraryScreen

    window = MainWindow.of(c)
    for index, screen in enumerate(window.screens):
        window.nav.setCurrentRow(index)
        settle()
        if not screen.isVisible():
            raise RuntimeError(f"screen {index} did not show")
        name = slug(window.nav.item(index).text())
        if isinstance(screen, LibraryScreen):
            for tab in range(screen.tabs.count()):
                screen.tabs.setCurrentIndex(tab)
                settle()
                yield name if tab == 0 else f"{name}-{slug(screen.tabs.tabText(tab))}"
            screen.tabs.setCurrentIndex(0)
        elif name == "group" and getattr(screen, "status", None) is None:
            # The demo profile is in no group: the facilitator's view (group-*.png) is made
            # by tests/ui/test_group.py with STUDYAPP_DOCS_SHOTS=1.
            yield "group-not-joined"
        else:
            yield name


def walk_practice(c: AppController, settle: Settle) -> Iterator[str]:
    """Start a practice session, show a question, answer it, show the feedback, end."""
    from studyapp.ui.screens.practice import PracticeScreen

    window = c.window
    window.show_screen(PracticeScreen)
    practice = window.screen_of(PracticeScreen)
    practice.start()
    settle()
    if practice.current is None:
        raise RuntimeError("practice planned no question")
    yield "practice-question"
    yield from answer_practice(c, settle)


def answer_practice(c: AppController, settle: Settle) -> Iterator[str]:
    """Answer the practice question on screen with its first option, show the feedback,
    then end the session and go back to the practice start page."""
    from studyapp.ui.screens.practice import PracticeScreen

    practice = c.window.screen_of(PracticeScreen)
    practice.choose(0)
    practice.submit()
    settle()
    if practice.result is None:
        raise RuntimeError("the practice answer was not recorded")
    yield "practice-feedback"
    practice.finish()
    settle()
    practice.pages.setCurrentWidget(practice.start_page)


def walk_exam(c: AppController, settle: Settle) -> Iterator[str]:
    """Sit a 10-question exam (answers, a flag), review it, hand it in, see the results."""
    from studyapp.ui.screens.exam import ExamScreen

    window = c.window
    window.show_screen(ExamScreen)
    exam = window.screen_of(ExamScreen)
    settle()
    exam.length.setValue(10)
    exam._start_new()
    settle()
    sitting = exam.sitting
    for position in range(4):
        sitting.choose(position % 2)
        settle()
        if position == 1:
            sitting.toggle_flag()
            settle()
        sitting.go(1)
        settle()
    if sitting.view is None or sitting.view.answered < 4:
        raise RuntimeError("the exam did not record its answers")
    yield "exam-sitting"
    sitting.show_review()
    settle()
    yield "exam-review"
    sitting.submit(confirm=False)
    settle()
    if exam.pages.currentWidget() is not exam.results_page:
        raise RuntimeError("the exam result did not show")
    yield "exam-results"
    exam._back()
    settle()
