"""The PDF reports (issue 16 point 4): numbers, ranges and exam codes stay on one line,
and no table row is split across pages. The PDFs are rendered with poppler's pdftoppm
(pages as PNG) and pdftotext (text with its layout), as a reader would see them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from studyapp.domain.group import MemberCard, SkillCard
from studyapp.domain.item_analysis import ItemResponse, Sitting, analyse_exam
from studyapp.services.groups.report import render_group_html
from studyapp.services.groups.status import ExamStatus, GroupStatus
from studyapp.ui.pdf import write_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) is not installed",
)

LONG = "Maximiliana Featherstonehaugh-Worthington"
CODE = re.compile(r"CETL-\d+-[0-9A-Z]{5,}")
# A code cut at a line end: the start of one at the end of a line, without its tail.
CUT_CODE = re.compile(r"CETL-[0-9A-Z-]*$")
PERCENT_RANGE_CUT = re.compile(r"\d+%[–-]$|^[–-]\d+%|\d+%\s*\(\d*%?[–-]?$")
SCORE_RANGE_CUT = re.compile(r"\b\d{3}[–-]$|^[–-]\d{3}\b")


def pages_text(pdf: Path) -> list[list[str]]:
    """The PDF's text, page by page, line by line (pdftotext -layout)."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return [page.splitlines() for page in done.stdout.split("\f") if page.strip()]


def render_pngs(pdf: Path, out: Path) -> list[Path]:
    """Every page as a PNG at 60 dpi (pdftoppm -r 60); the paths in page order."""
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out)], check=True)
    return sorted(out.parent.glob(f"{out.name}-*.png"))


def assert_nothing_cut(pages: list[list[str]]) -> None:
    """No line ends in a cut exam code or range, nor starts with a range's tail."""
    for n, lines in enumerate(pages, 1):
        for line in lines:
            for cell in re.split(r"\s{2,}", line.strip()):
                assert not CUT_CODE.search(cell) or CODE.search(cell), (n, line)
                assert not PERCENT_RANGE_CUT.search(cell), (n, line)
                assert not SCORE_RANGE_CUT.search(cell), (n, line)


def page_of(pages: list[list[str]], text: str) -> list[int]:
    """The pages (1-based) whose text holds ``text``."""
    return [n for n, lines in enumerate(pages, 1) if any(text in line for line in lines)]


def skill(i: int, answers: int) -> SkillCard:
    """A shared skill area with a long title."""
    return SkillCard(
        id=f"s{i}",
        title=f"Area {i}: strategic planning, budgeting and stakeholder communication zone{i:02d}",
        weight=0.02 + i / 400,
        mastery=0.62,
        low=0.42,
        high=0.82,
        answers=answers,
    )


def group_status() -> GroupStatus:
    """A group with long names, 22 skill areas and two exams of 40 questions."""
    members = tuple(
        MemberCard(
            member_id=f"{i:032x}",
            name=f"{LONG} {i}",
            written_at="2026-12-01T10:00:00+00:00",
            app_version="1.0.0",
            share="all",
            readiness=0.5 + i / 50,
            skills=tuple(skill(k, 4 if (k + i) % 5 == 0 else 30) for k in range(22)),
        )
        for i in range(4)
    )
    exams = []
    for e, code in enumerate(("CETL-100-3EJ84A", "CETL-200-EJ84A3")):
        items = [f"question-{e}-{q:02d}-on-budget-cycles-and-procurement" for q in range(40)]
        sittings = [
            Sitting(
                member=f"{LONG} {m}",
                responses={
                    q: ItemResponse(chosen=("ABCD"[(n + m) % 4],), correct=(n + m) % 3 != 0)
                    for n, q in enumerate(items)
                },
            )
            for m in range(4)
        ]
        exams.append(ExamStatus("2026-12-20", analyse_exam(code, sittings, items)))
    return GroupStatus(
        name=f"Regional CETL cohort of the {LONG} district consortium",
        facilitator=LONG,
        role="facilitator",
        as_of=datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
        members=members,
        agenda=(),
        exams=tuple(exams),
        skipped=(),
    )


def test_group_report_pdf_keeps_rows_and_codes_whole(qapp, tmp_path):
    """The group report PDF: several pages, every question row whole on one page, codes
    and ranges never cut at a line end."""
    pdf = tmp_path / "group.pdf"
    write_pdf(render_group_html(group_status(), UTC), pdf)
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert len(render_pngs(pdf, tmp_path / "group")) == len(pages)
    assert_nothing_cut(pages)
    for code in ("CETL-100-3EJ84A", "CETL-200-EJ84A3"):
        assert page_of(pages, code), code
    assert page_of(pages, "62% (42%–82%)")
    for k in range(22):  # a skill row's first and last line are on one page
        assert page_of(pages, f"Area {k}:") == page_of(pages, f"zone{k:02d}"), k
        assert len(page_of(pages, f"zone{k:02d}")) == 1, k
    for e in range(2):
        for q in range(40):
            first = page_of(pages, f"{q + 1}. question-{e}-{q:02d}-on-budget")
            assert len(first) == 1, (e, q, first)


def test_progress_report_pdf_names_the_learner_and_keeps_rows_whole(cli, qapp, tmp_path):
    """The progress report PDF of a drilled profile with 14 mock exams: the learner's
    long name, every exam code whole on its row's line, no range cut at a line end."""
    assert cli("settings", "set", "display_name", LONG).code == 0
    assert cli("--now", "2026-12-01T18:00:00Z", "drill", "--answers", "60").code == 0
    for seed in range(14):
        sat = cli(
            "exam", "sit", "--answers", "10", "--length", "10", "--seed", str(seed), "--submit"
        )
        assert sat.code == 0, sat.err
    codes = [e["code"] for e in json.loads(cli("exam", "history", "--json").out)["exams"]]
    assert len(codes) == 14
    pdf = tmp_path / "progress.pdf"
    done = cli("--now", "2026-12-01T19:00:00Z", "report", "--out", str(pdf))
    assert done.code == 0, done.err
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert len(render_pngs(pdf, tmp_path / "progress")) == len(pages)
    assert page_of(pages, LONG) == [1]
    assert_nothing_cut(pages)
    for code in codes:  # the code and its row's last cell on one line of one page
        lines = [line for page in pages for line in page if code in line]
        assert len(lines) == 1 and "pass mark" in lines[0], (code, lines)
    text = "\n".join("\n".join(p) for p in pages)
    assert re.search(r"likely \d{3}–\d{3}", text) or "not estimated yet" in text


def test_a_moved_row_starts_at_the_next_page_top_even_below_a_spanning_row(qapp):
    """Moving a row off a page boundary leaves no wide blank band inside a page when the
    row above it is one cell spanning every column (padded once, not per column)."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QFont, QTextDocument, QTextTable

    from studyapp.ui.pdf import keep_rows_on_one_page, row_extent

    words = " ".join(["word"] * 30)
    rows = "".join(
        f'<tr><td colspan="3">Group {i}</td></tr>'
        f"<tr><td>row {i}</td><td>{words}</td><td>end {i}</td></tr>"
        for i in range(12)
    )
    document = QTextDocument()
    document.setDocumentMargin(0)
    font = QFont("DejaVu Sans")
    font.setPixelSize(12)  # whatever font earlier GUI tests gave the application
    document.setDefaultFont(font)
    document.setHtml(f"<table>{rows}</table>")
    page = 400.0
    document.setPageSize(QSizeF(300, page))
    assert keep_rows_on_one_page(document) > 0
    layout = document.documentLayout()
    table = next(f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable))
    spans = [row_extent(layout, table, row) for row in range(table.rows())]
    moved = 0
    for (_, above_bottom), (top, bottom) in pairwise(spans):
        assert int(top // page) == int((bottom - 0.5) // page)  # whole on one page
        if int(top // page) > int((above_bottom - 0.5) // page):
            moved += 1
        else:  # on the same page as the row above: no blank band between them
            assert top - above_bottom < 48, (top, above_bottom)
    assert moved > 0
