"""A layout that wraps its widgets onto more lines when they do not fit side by side,
and sizing a dialog to fit its screen.

Button and filter bars use :class:`FlowLayout` so that no control is ever squeezed below
its text at the minimum window size or at a large font: the bar grows a line instead
(Qt's "flow layout" example). One implementation for every screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget

#: Room left around a dialog on its screen (title bar, taskbar rounding).
SCREEN_MARGIN = 48


def fit_to_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resize ``dialog`` to ``width`` x ``height``, or smaller to fit its screen.

    Preferred dialog sizes are at most 1100x660, so they fit a 1366x768 laptop screen
    with its taskbar; a smaller screen shrinks them further and their contents scroll.
    """
    screen = dialog.screen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - SCREEN_MARGIN)
        height = min(height, area.height() - SCREEN_MARGIN)
    dialog.resize(width, height)


class FlowLayout(QLayout):
    """Widgets at their size hint, left to right, wrapping to more lines when needed.

    A widget whose horizontal policy expands (e.g. a search box) takes the rest of its
    line, so a bar still looks like a bar when everything fits on one line. Items from
    index ``right_from`` on sit at the right end of their line (a bar's main action).
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.right_from: int | None = None  # index of the first item aligned right
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    # ------------------------------------------------------------------ QLayout API
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802  # Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802  # Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802  # Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802  # Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802  # Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802  # Qt override
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802  # Qt override
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802  # Qt override
        """One line of everything (what the layout would like)."""
        visible = self._visible()
        width = sum(i.sizeHint().width() for i in visible) + self.spacing() * max(
            0, len(visible) - 1
        )
        height = max((i.sizeHint().height() for i in visible), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802  # Qt override
        """The widest single widget: below that nothing can wrap any further."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize()).expandedTo(QSize(item.sizeHint().width(), 0))
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # ------------------------------------------------------------------ placing
    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            w = item.sizeHint().width()
            if lines[-1] and used + self.spacing() + w > width:
                lines.append([])
                used = 0
            used += (self.spacing() if lines[-1] else 0) + w
            lines[-1].append(item)
        return [line for line in lines if line]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        right_items = (
            {id(i) for i in self._items[self.right_from :]}
            if self.right_from is not None
            else set()
        )
        y = area.y()
        for line in self._lines(area.width()):
            height = max(i.sizeHint().height() for i in line)
            widths = [i.sizeHint().width() for i in line]
            spare = area.width() - sum(widths) - self.spacing() * (len(line) - 1)
            growing = [
                n
                for n, i in enumerate(line)
                if (widget := i.widget()) is not None
                and widget.sizePolicy().horizontalPolicy()
                in (QSizePolicy.Policy.Expanding, QSizePolicy.Policy.MinimumExpanding)
            ]
            if spare > 0 and growing:
                for n in growing:
                    widths[n] += spare // len(growing)
            if apply:
                x = area.x()
                placed = list(zip(line, widths, strict=True))
                for item, width in (p for p in placed if id(p[0]) not in right_items):
                    size = QSize(min(width, area.width()), height)
                    item.setGeometry(QRect(QPoint(x, y), size))
                    x += width + self.spacing()
                x = area.right() + 1
                for item, width in reversed([p for p in placed if id(p[0]) in right_items]):
                    size = QSize(min(width, area.width()), height)
                    x -= size.width()
                    item.setGeometry(QRect(QPoint(x, y), size))
                    x -= self.spacing()
            y += height + self.spacing()
        return max(y - self.spacing() - area.y(), 0) + m.top() + m.bottom()
