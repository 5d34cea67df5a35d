"""Question content on screen: sanitised HTML, pack images only, links only on request.

Text goes through :func:`studyapp.packs.render.render_markdown` (the one sanitiser).
Images resolve only to bytes the caller supplies (the question's own pack media, loaded
off the GUI thread); any other resource, remote or local, resolves to nothing, so
rendering can never touch the network or the disk. Clicking a link in question text
asks first (its words may not match its address), then hands it to the system browser;
a reference (:class:`ReferenceList`) names its site beside its title, so a click opens it
at once. Only http and https addresses ever open; nothing is fetched by the app itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from PySide6.QtCore import QByteArray, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPalette, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QFrame, QMessageBox, QSizePolicy, QTextBrowser, QWidget

from studyapp.domain.question import Reference
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
    """RenderedText as tall as its content at the width it gets (no scroll bars).

    It reports height-for-width, so layouts give it the height its wrapped text needs at
    whatever width they settle on (fixing a height after the fact left cards too short).
    """

    def __init__(self, parent: QWidget | None = None, *, confirm_links: bool = True) -> None:
        super().__init__(parent, confirm_links=confirm_links)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.document().setDocumentMargin(2)
        self.document().contentsChanged.connect(self.updateGeometry)

    def hasHeightForWidth(self) -> bool:  # noqa: N802  # Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802  # Qt override
        doc = self.document().clone()
        frame = 2 * self.frameWidth()
        doc.setTextWidth(max(width - frame, 50))
        return int(doc.size().height()) + frame + 4

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        width = max(self.width(), 200)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802  # Qt override
        return QSize(50, self.heightForWidth(max(self.width(), 200)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  # Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()


def _web_url(address: str) -> QUrl | None:
    """``address`` as a QUrl if it is a valid http(s) address with a host, else None."""
    url = QUrl(address.strip(), QUrl.ParsingMode.TolerantMode)
    if url.isValid() and url.scheme() in ("http", "https") and url.host():
        return url
    return None


def references_html(references: Iterable[Reference]) -> str:
    """References as a list: each title a link to its address (web addresses only), with
    the site's name beside it instead of the long address, which wrapped mid-word."""
    items = []
    for ref in references:
        title = escape(ref.title or ref.url)
        section = f" — {escape(ref.section)}" if ref.section else ""
        url = _web_url(ref.url) if ref.url else None
        if url is not None:
            href = escape(url.toString(QUrl.ComponentFormattingOption.FullyEncoded), quote=True)
            site = escape(url.host().removeprefix("www."))
            items.append(f'<li><a href="{href}">{title}</a>{section} ({site})</li>')
        else:
            plain_address = f" ({escape(ref.url)})" if ref.url else ""
            items.append(f"<li>{title}{section}{plain_address}</li>")
    if not items:
        return ""
    return "<p><b>References</b></p><ul style='margin-left: -20px'>" + "".join(items) + "</ul>"


class ReferenceList(FittedText):
    """A question's references; a click on one opens it in the system browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, confirm_links=False)
        self.setAccessibleName("References")

    def set_references(self, references: Iterable[Reference]) -> bool:
        """Show ``references``; returns whether there is anything to show."""
        html = references_html(references)
        self._media = {}
        self.setHtml(html)
        return bool(html)
