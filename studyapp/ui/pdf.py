"""HTML to PDF with Qt's own engine (QTextDocument printed on a QPdfWriter, in QtGui).

Both ship in PySide6-Essentials, so PDF needs no extra dependency. The services layer
cannot import Qt; it receives :func:`write_pdf` as its ``PdfWriter`` port, from the
Statistics screen (on the worker thread: QTextDocument and QPdfWriter are usable off the
GUI thread) and, for ``studyapp report --format pdf``, from the composition root, which
starts a headless application first (:func:`ensure_gui_application`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

_headless_app: list[QApplication] = []  # kept alive for the life of the process


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
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setHtml(html)
    document.print_(writer)
    del writer  # the file is complete once the writer is gone
