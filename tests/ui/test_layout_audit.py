"""The layout audit: every screen and dialog, at two window sizes, four fonts, two themes.

The app runs on a real SQLite profile in tmp with realistic content: the shipped CETL
bank, a month of demo practice (as ``selftest --screenshots`` uses), an exam date, and a
pack with a 50-character title holding a long question and a five-option
multiple-answer question. At 880x600 and 1366x768, at 9, 11, 14 and 18 pt, in the light
and the dark theme, each state of :func:`studyapp.ui.tour.walk` (and practice showing the
long and the five-option question) and each dialog is checked by
:mod:`tests.ui.layout_audit`: no clipped or elided text, no sideways scrolling, no
overlapping siblings, dialogs inside 1366x768, WCAG AA contrast for text and check boxes.
Every finding fails the test: there is no list of tolerated ones.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
)

from studyapp import __version__
from studyapp.config import AppPaths
from studyapp.domain.clock import FixedClock
from studyapp.domain.errors import StudyAppError
from studyapp.domain.question import Option, Question, Reference
from studyapp.services.demo import seed_demo_history
from studyapp.services.packs.library import LibraryService
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.study.practice import PracticeItem
from studyapp.services.study.service import StudyService
from studyapp.storage.library import LibraryQuery
from studyapp.ui.controller import AppController
from studyapp.ui.errors import show_error
from studyapp.ui.progress import make_dialog
from studyapp.ui.tour import answer_practice, walk
from tests.conftest import REPO, T0
from tests.packs.factory import pack, write_dir
from tests.ui.conftest import open_app, stop_app
from tests.ui.layout_audit import (
    Finding,
    audit,
    unique,
)

FONTS = (9, 11, 14, 18)
SIZES = (QSize(880, 600), QSize(1366, 768))
AUDIT_PACK = "district-leadership-audit-pack"
PACK_TITLE = "District Technology Leadership Review: Spring Cohort"  # 50 characters


def _audit_questions() -> list[Question]:
    long_stem = (
        "Your district's board has approved a three-year plan to replace every classroom "
        "device, and the superintendent asks you to present, at the next public meeting, "
        "how the replacement will be funded, how teachers will be trained before the first "
        "devices arrive, how student data held on the old devices will be wiped and "
        "documented, and how families without home internet access will be supported. "
        "Principals have already asked for different models, the teachers' union wants a "
        "say in the training calendar, and the finance office warns that the E-rate "
        "application window closes in six weeks. Which of the following should you do "
        "FIRST to give the plan the best chance of success?"
    )
    long_options = (
        Option(
            "a",
            "Convene a stakeholder steering group with principals, teachers, the union, "
            "finance and family representatives to agree goals, success measures and a "
            "calendar before any purchasing decision is made",
            True,
            "Shared goals and measures come before purchases and schedules.",
        ),
        Option(
            "b",
            "Sign the purchase order for the model most principals prefer, so that the "
            "E-rate window is not missed",
            False,
            "Buys before the need and the funding are settled.",
        ),
        Option(
            "c",
            "Publish a training calendar for teachers immediately",
            False,
            "Training follows the plan.",
        ),
        Option(
            "d",
            "Ask each school to draft its own device plan and merge them later",
            False,
            "Fragments the district's plan.",
        ),
    )
    five = tuple(
        Option(
            key,
            text,
            correct,
            "Part of a sound data governance programme." if correct else "Not governance.",
        )
        for key, text, correct in (
            ("a", "Appoint a data steward for each student information system", True),
            ("b", "Publish a data inventory with owners and retention periods", True),
            ("c", "Let every teacher choose their own cloud storage for grades", False),
            ("d", "Review third-party data sharing agreements every year", True),
            ("e", "Delete the audit logs after every semester to save space", False),
        )
    )
    common = {
        "explanation": "Plan with the people affected first; see the CoSN framework.",
        "difficulty": 3,
        "tags": ("audit",),
        "references": (Reference("CoSN Framework of Essential Skills", "Leadership"),),
    }
    return [
        Question(
            id="audit-long",
            skill="leadership-vision",
            type="single",
            stem=long_stem,
            options=long_options,
            **common,  # type: ignore[arg-type]
        ),
        Question(
            id="audit-five",
            skill="data-management",
            type="multiple",
            stem="Which THREE of these belong in a district's data governance programme?",
            options=five,
            **common,  # type: ignore[arg-type]
        ),
    ]


@pytest.fixture(scope="module")
def audit_profile(tmp_path_factory: pytest.TempPathFactory) -> AppPaths:
    """A profile with the CETL bank, demo practice, an exam date and the audit pack."""
    folder = tmp_path_factory.mktemp("audit")
    paths = AppPaths(data_dir=folder / "profile", log_dir=folder / "logs")
    audit_pack = pack(_audit_questions(), pack_id=AUDIT_PACK)
    audit_pack = type(audit_pack)(
        type(audit_pack.manifest)(
            **{**_fields(audit_pack.manifest), "title": PACK_TITLE},
        ),
        audit_pack.questions,
        audit_pack.media,
    )
    source = write_dir(audit_pack, folder / "pack")
    profile = Profile.open(paths, FixedClock(T0), __version__)
    try:
        PackService(profile).seed_shipped()
        PackService(profile).import_pack(source)
        seed_demo_history(profile)
        profile.update_settings(
            welcome_done=True, exam_date=(T0.date() + timedelta(days=45)).isoformat()
        )
    finally:
        profile.close()
    return paths


def _fields(obj: object) -> dict[str, object]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}  # type: ignore[attr-defined]


@pytest.fixture
def audit_app(qtbot, audit_profile: AppPaths, tmp_path: Path) -> Iterator[AppController]:
    """The app on a copy of the audit profile, opened, window shown."""
    paths = AppPaths(data_dir=tmp_path / "profile", log_dir=tmp_path / "logs")
    shutil.copytree(audit_profile.data_dir, paths.data_dir)
    c = open_app(qtbot, paths, FixedClock(T0))
    c.runner.wait_idle(30_000)
    yield c
    stop_app(c)


def _settler(c: AppController) -> Callable[[], None]:
    def settle() -> None:
        app = c.app
        for _ in range(100):
            app.processEvents()
            if not c.runner.is_busy():
                break
            c.runner.wait_idle(100)
        app.processEvents()
        app.processEvents()

    return settle


def _item(c: AppController, key: str) -> PracticeItem:
    assert c.profile is not None
    rows = LibraryService(c.profile).page(LibraryQuery(pack=AUDIT_PACK))
    row = next(r for r in rows if r.key.endswith(key))
    stored = StudyService(c.profile).question(row.qid)
    q = stored.question
    return PracticeItem(
        qid=row.qid,
        ref=stored.ref,
        skill=stored.skill,
        skill_title=stored.skill_title,
        question=q,
        media=stored.media,
        option_order=tuple(o.id for o in q.options),
        reason="audit",
    )


def _states(c: AppController, settle: Callable[[], None]) -> Iterator[str]:
    """The tour, then practice showing the long and the five-option question."""
    from studyapp.ui.screens.practice import PracticeScreen

    yield from walk(c, settle, demo=True)
    assert c.profile is not None
    stats = StudyService(c.profile).stats()
    practice = c.window.screen_of(PracticeScreen)
    for key, name in (("audit-long", "practice-long"), ("audit-five", "practice-five-options")):
        c.window.show_screen(PracticeScreen)
        practice.begin([_item(c, key)], stats)
        settle()
        yield f"{name}-question"
        for state in answer_practice(c, settle):
            yield f"{name}-{state.removeprefix('practice-')}"


def _dialogs(
    c: AppController, settle: Callable[[], None]
) -> Iterator[tuple[str, Callable[[], None]]]:
    """(name, opener) of each dialog; the opener may block in exec() (the audit closes it)."""
    from studyapp.ui.screens.library.mapping import MappingDialog
    from studyapp.ui.screens.library.screen import LibraryScreen
    from studyapp.ui.welcome import WelcomeDialog

    window = c.window
    yield "shortcuts-help", window.show_shortcuts
    yield "about", window.show_about
    yield "welcome", lambda: WelcomeDialog(window, T0.date(), 436).show()

    def editor() -> None:
        library = window.screen_of(LibraryScreen)
        window.show_screen(LibraryScreen)
        library.open_editor(_item(c, "audit-five").qid)
        settle()

    yield "question-editor", editor

    def new_question() -> None:
        library = window.screen_of(LibraryScreen)
        window.show_screen(LibraryScreen)
        library.open_editor(None)
        settle()

    yield "new-question-editor", new_question

    def mapping() -> None:
        assert c.profile is not None
        source = REPO / "tests" / "packs" / "fixtures" / "district-bank.gift"
        preview = LibraryService(c.profile).preview_import(source)
        MappingDialog(preview, window).show()

    yield "import-mapping", mapping

    def error() -> None:
        exc = StudyAppError(
            "The backup studyapp-2026-11-23-0900.sqlite3 was written by a newer StudyApp "
            "(database version 9); this StudyApp reads versions up to 3. Nothing was changed."
        )
        show_error(window, exc, c.paths.log_file)

    yield "error", error
    yield "progress", lambda: make_dialog(window, f"Importing {PACK_TITLE}", True).show()


def _audit_dialog(
    name: str, opener: Callable[[], None], where: str, settle: Callable[[], None]
) -> list[Finding]:
    """Open a dialog, audit every new visible dialog, close them all."""
    before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    found: list[Finding] = []
    done: list[bool] = []

    def inspect() -> None:
        for w in QApplication.topLevelWidgets():
            if id(w) in before or not w.isVisible() or not isinstance(w, QDialog):
                continue
            QApplication.processEvents()
            found.extend(audit(w, f"{name} @ {where}"))
            done.append(True)
            w.reject()
            w.deleteLater()

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(inspect)  # runs inside exec() of a modal dialog
    timer.start(300)
    opener()
    settle()
    timer.stop()
    if not done:
        inspect()
    if not done:
        found.append(Finding(f"{name} @ {where}", "(no dialog)", "no dialog opened"))
    settle()
    return found


def run_audit(c: AppController, theme: str) -> list[Finding]:
    """Every state at every size and font, every dialog at every font, in ``theme``.

    Each state is reached once per font and checked at both window sizes (a resize only
    lays the window out again), which halves the time of the audit.
    """
    settle = _settler(c)
    window = c.window
    found: list[Finding] = []
    for points in FONTS:
        c.set_theme(theme, points)
        window.resize(SIZES[0])
        settle()
        for state in _states(c, settle):
            for size in SIZES:
                window.resize(size)
                settle()
                where = f"{size.width()}x{size.height()}, {points} pt, {theme}"
                found.extend(audit(window, f"{state} @ {where}"))
        where = f"{points} pt, {theme}"
        for name, opener in _dialogs(c, settle):
            found.extend(_audit_dialog(name, opener, where, settle))
    return unique(found)


def _report(findings: list[Finding]) -> str:
    return "\n".join(str(f) for f in findings)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_screen_and_dialog_passes_the_layout_audit(audit_app, theme):
    """No clipped text, sideways scrolling, overlap, oversized dialog or low contrast."""
    findings = run_audit(audit_app, theme)
    assert not findings, f"{len(findings)} layout problems:\n{_report(findings)}"
