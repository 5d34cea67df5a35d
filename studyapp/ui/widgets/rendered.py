"""Question content on screen: sanitised HTML, pack images only, links only on request.

Text goes through :func:`studyapp.packs.render.render_markdown` (the one sanitiser).
Images resolve only to bytes the caller supplies (the question's own pack media, loaded
off the GUI thread); any other resource, remote or local, resolves to nothing, so
rendering can never touch the network or the disk. Clicking a link asks first, then
hands it to the system browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPalette, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QFrame, QMessageBox, QSizePolicy, QTextBrowser, QWidget

from studyapp.packs.render import render_markdown


class RenderedText(QTextBrowser):
    """Read-only rich text for stems, options, rationales and explanations."""

    def __init__(self, parent: QWidget | None = None, *, confirm_links: bool = True) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setReadOnly(True)
        # Transparent, so text sits on its card or screen in either theme.
        self.viewport().setAutoFillBackground(False)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.transparent)
        self.setPalette(pal)
        self._media: dict[str, bytes] = {}
        self._confirm = confirm_links
        self.anchorClicked.connect(self._link)
        self.blocked_resources: list[str] = []

    def set_markdown(self, text: str, media: Mapping[str, bytes] | None = None) -> None:
        """Show ``text`` (Markdown) with ``media`` as the only loadable images."""
        self._media = dict(media or {})
        self.setHtml(render_markdown(text, self._media.keys()))

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802  # Qt override
        key = name.toString() if isinstance(name, QUrl) else str(name)
        if kind == QTextDocument.ResourceType.ImageResource.value and key in self._media:
            image = QImage()
            image.loadFromData(QByteArray(self._media[key]))
            return image
        self.blocked_resources.append(key)
        return None

    def _link(self, url: QUrl) -> None:
        if url.scheme() not in ("http", "https"):
            return
        if self._confirm:
            answer = QMessageBox.question(
                self,
                "Open link?",
                f"Open this address in your web browser?\n\n{url.toString()}",
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Open:
                return
        QDesktopServices.openUrl(url)


class FittedText(RenderedText):
    """RenderedText that grows to fit its content (no scroll bars): for options and notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(2)
        self.document().contentsChanged.connect(self._fit)

    def _fit(self) -> None:
        self.document().setTextWidth(max(self.viewport().width(), 50))
        self.setFixedHeight(int(self.document().size().height()) + 6)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  # Qt override
        super().resizeEvent(event)
        self._fit()
