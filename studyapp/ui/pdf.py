"""HTML to PDF with Qt's own engine (QTextDocument printed on a QPdfWriter, in QtGui).

Both ship in PySide6-Essentials, so PDF needs no extra dependency. The services layer
cannot import Qt; it receives :func:`write_pdf` as its ``PdfWriter`` port, from the
Statistics screen (on the worker thread: QTextDocument and QPdfWriter are usable off the
GUI thread) and, for ``studyapp report --format pdf``, from the composition root, which
starts a headless application first (:func:`ensure_gui_application`).

Two print rules Qt's rich text does not give by itself (issue 16):

* A number, range, date or exam code never breaks across lines. The HTML marks them
  ``white-space: nowrap``, which Qt honours on a cell or paragraph (its lines never
  break, and a table column is made wide enough for them) and, within a span, by
  turning spaces into no-break spaces. Qt's word wrap still breaks after a hyphen
  before a letter, so exam codes sit in ``nowrap`` cells or paragraphs. Wrapping is
  left at Qt's default (word boundaries, anywhere as a last resort) so that a long
  name in a narrow column breaks rather than pushing the table off the page.
* No table row is split across pages. Qt's table layout splits a row whose cells have
  several lines, and ignores ``page-break-inside``; a page break set on a cell's block
  moves rows by unpredictable amounts (tried). So the document is laid out at the page
  size first; when a row would straddle a page boundary, the row above it gets bottom
  padding that fills the rest of the page, which starts the row at the top of the next
  one. The layout is repeated until no row straddles (a row taller than a page is left
  as it is: it cannot fit anywhere).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
    QTextFrame,
    QTextTable,
)
from PySide6.QtWidgets import QApplication

_headless_app: list[QApplication] = []  # kept alive for the life of the process

# Room left above a moved row so its cells' text clears the page's top edge.
_MOVED_ROW_GAP = 2.0
# More moves than this means the layout does not settle; print what there is.
_MAX_MOVES = 500


def ensure_gui_application() -> None:
    """Create an offscreen application if none exists (fonts need one).

    A QApplication rather than a bare QGuiApplication, so that a GUI started later in
    the same process (tests) can reuse it.
    """
    if QGuiApplication.instance() is None:
        _headless_app.append(QApplication(["studyapp", "-platform", "offscreen"]))


def write_pdf(html: str, path: Path) -> None:
    """Lay out ``html`` on US Letter pages with 15 mm margins and write it to ``path``."""
    ensure_gui_application()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setTitle("StudyApp progress report")
    writer.setCreator("StudyApp")
    # A paginated document is printed at the screen's resolution scaled to the page, so
    # the page is measured in screen pixels: fonts keep their point sizes on paper.
    screen = QGuiApplication.primaryScreen()
    dpi = screen.logicalDotsPerInchY() if screen is not None else 96.0
    body = writer.pageLayout().paintRect(QPageLayout.Unit.Inch).size() * dpi
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setHtml(html)
    document.setPageSize(QSizeF(body.width(), body.height()))
    keep_rows_on_one_page(document)
    document.print_(writer)
    del writer  # the file is complete once the writer is gone


def keep_rows_on_one_page(document: QTextDocument) -> int:
    """Move every table row that straddles a page boundary onto the next page.

    ``document`` must have its page size set. Returns how many rows were moved.
    """
    page = document.pageSize().height()
    moves = 0
    while moves < _MAX_MOVES:
        straddling = _first_straddling_row(document, page)
        if straddling is None:
            break
        table, row, top = straddling
        shift = (int(top // page) + 1) * page - top + _MOVED_ROW_GAP
        above = max(row - 1, 0)  # the first row itself moves by its top padding
        for column in range(table.columns()):
            cell = table.cellAt(above, column)
            if (cell.row(), cell.column()) != (above, column):
                continue  # a cell spanning rows or columns: padded once, where it starts
            fmt = cell.format().toTableCellFormat()
            if row == 0:
                fmt.setTopPadding(fmt.topPadding() + shift)
            else:
                fmt.setBottomPadding(fmt.bottomPadding() + shift)
            cell.setFormat(fmt)
        moves += 1
    return moves


def _first_straddling_row(
    document: QTextDocument, page: float
) -> tuple[QTextTable, int, float] | None:
    """The first (table, row, top) whose text starts on one page and ends on another."""
    layout = document.documentLayout()
    document.size()  # lays the document out
    for table in _tables(document.rootFrame()):
        for row in range(table.rows()):
            top, bottom = row_extent(layout, table, row)
            if bottom <= top or bottom - top >= page:
                continue
            if int(top // page) != int((bottom - 0.5) // page):
                return table, row, top
    return None


def row_extent(
    layout: QAbstractTextDocumentLayout, table: QTextTable, row: int
) -> tuple[float, float]:
    """Top and bottom of the text of a table row's cells, in document coordinates."""
    top, bottom = float("inf"), float("-inf")
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        block = cell.firstCursorPosition().block()
        last = cell.lastCursorPosition().block()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            top, bottom = min(top, rect.top()), max(bottom, rect.bottom())
            if block == last:
                break
            block = block.next()
    return top, bottom


def _tables(frame: QTextFrame) -> list[QTextTable]:
    """Top-level tables of ``frame``, in document order (tables nested in a cell move
    with their row)."""
    return [child for child in frame.childFrames() if isinstance(child, QTextTable)]
