"""Layout checks for a shown widget tree: clipped text, sideways scrolling, overlaps, contrast.

Each check walks the visible widgets under a root and returns :class:`Finding` values that
say precisely which widget is wrong and how; the audit test runs them on every screen and
dialog (``tests/ui/test_layout_audit.py``). The checks measure what Qt will draw:

- text fit: a label's text (its width, or with word wrap its height for its width) against
  its contents rectangle; a button's text against the style's contents rectangle of that
  button (push buttons, check boxes, radio buttons); a tab's text against its tab;
- clipping by the parent: a widget that sticks out of its parent (outside a scroll area's
  viewport, where that is the point) is cut off;
- a horizontal scroll bar shown on a page (scroll area, text view, list or table);
- two visible sibling widgets whose rectangles overlap;
- a dialog larger than a 1366x768 screen;
- contrast, on the pixels actually drawn (one grab of the window): a label's text against
  its background (4.5:1), a check box's or radio button's indicator against the
  background around it (3:1), per WCAG 2.1 AA.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QDialog,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QToolButton,
    QWidget,
)

SCREEN_LIMIT = (1366, 768)
TEXT_CONTRAST = 4.5
CONTROL_CONTRAST = 3.0
TOLERANCE = 1  # px: rounding between metrics and layout


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: where (screen state), which widget, what is wrong."""

    where: str
    widget: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.widget}: {self.problem}"


def plain(text: str) -> str:
    """Text as drawn: mnemonic ampersands removed (``&&`` stays one ``&``)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def describe(widget: QWidget) -> str:
    """Class, objectName, accessibleName and text: enough to find the widget in code."""
    parts = [type(widget).__name__]
    if widget.objectName():
        parts.append(f"#{widget.objectName()}")
    if widget.accessibleName():
        parts.append(f"[{widget.accessibleName()}]")
    text = widget_text(widget)
    if text:
        short = " ".join(text.split())
        parts.append(repr(short[:70] + ("…" if len(short) > 70 else "")))
    return " ".join(parts)


def widget_text(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return plain(widget.text())
    return ""


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    """``root`` and every descendant that is visible on screen, parents first."""
    if not root.isVisible():
        return
    yield root
    for child in root.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if child.isWindow():
            continue
        yield from visible_widgets(child)


def label_problem(label: QLabel) -> str | None:
    """Why ``label``'s text does not fit its rectangle, or None.

    QLabel's own size hints measure the text as it draws it (mnemonics, rich text,
    margins, indent, frame): without word wrap the text needs ``sizeHint``; with word
    wrap it needs ``heightForWidth`` of its width, and ``minimumSizeHint``'s width (the
    longest word or unbreakable run, such as a path or a table).
    """
    if not label.text().strip() or not label.pixmap().isNull():
        return None
    if label.wordWrap():
        need_h = label.heightForWidth(label.width())
        if need_h > label.height() + TOLERANCE:
            return f"wrapped text needs {need_h} px of height, has {label.height()} px (clipped)"
        need_w = label.minimumSizeHint().width()
        if need_w > label.width() + TOLERANCE:
            return f"its longest word needs {need_w} px, has {label.width()} px (clipped)"
        return None
    hint = label.sizeHint()
    if hint.width() > label.width() + TOLERANCE:
        return f"text needs {hint.width()} px, has {label.width()} px (clipped)"
    if hint.height() > label.height() + TOLERANCE:
        return f"text needs {hint.height()} px of height, has {label.height()} px (clipped)"
    return None


def _button_option(button: QAbstractButton) -> QStyleOptionButton:
    """The style option of ``button`` (built by hand: with PySide6 6.12 on Python 3.11,
    every call of a void C++ method, ``initFrom`` included, drops a reference to None)."""
    option = QStyleOptionButton()
    option.rect = button.rect()
    option.fontMetrics = button.fontMetrics()
    option.direction = button.layoutDirection()
    option.palette = button.palette()
    option.state = QStyle.StateFlag.State_Enabled
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    return option


def button_problem(button: QAbstractButton) -> str | None:
    """Why ``button``'s text does not fit the room the style gives it, or None."""
    text = plain(button.text())
    if not text.strip():
        return None
    fm = QFontMetrics(button.font())
    need_w = fm.horizontalAdvance(text)
    style = button.style()
    if isinstance(button, QToolButton):
        hint = button.sizeHint()
        if hint.width() > button.width() + TOLERANCE:
            return f"needs {hint.width()} px, has {button.width()} px (clipped)"
        return None
    option = _button_option(button)
    if isinstance(button, QCheckBox):
        room = style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, button)
    elif isinstance(button, QRadioButton):
        room = style.subElementRect(QStyle.SubElement.SE_RadioButtonContents, option, button)
    elif isinstance(button, QPushButton):
        room = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
        if not button.icon().isNull():
            need_w += button.iconSize().width() + 4
    else:
        return None
    if need_w > room.width() + TOLERANCE:
        return f"text needs {need_w} px, has {room.width()} px (clipped)"
    if fm.height() > room.height() + 2 * TOLERANCE + 2:
        return f"text needs {fm.height()} px of height, has {room.height()} px (clipped)"
    return None


def tab_problems(bar: QTabBar) -> Iterator[str]:
    fm = QFontMetrics(bar.font())
    for i in range(bar.count()):
        text = plain(bar.tabText(i))
        need = fm.horizontalAdvance(text)
        room = bar.tabRect(i).width() - 8
        if need > room + TOLERANCE:
            yield f"tab {text!r} needs {need} px, has {room} px (elided)"


def _inside_scroll_viewport(widget: QWidget, root: QWidget) -> bool:
    """True for the content of a scroll area (``widget`` is not ``root``; parents of the
    root are never asked for: PySide6 6.12 on Python 3.11 drops a reference to None when
    a C++ call returns a null pointer)."""
    parent = widget.parentWidget()
    if parent is root:
        return False
    grand = parent.parentWidget()
    return isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent


def _internal(widget: QWidget) -> bool:
    """Qt's own parts of a composite widget (scroll bar containers, line edits of spin boxes)."""
    return widget.objectName().startswith("qt_")


def check_text(root: QWidget, where: str) -> list[Finding]:
    """Labels, buttons and tabs whose text is clipped or elided, widgets cut off by their parent."""
    found: list[Finding] = []
    for w in visible_widgets(root):
        problem: str | None = None
        if isinstance(w, QLabel):
            problem = label_problem(w)
        elif isinstance(w, QAbstractButton):
            problem = button_problem(w)
        elif isinstance(w, QTabBar):
            for p in tab_problems(w):
                found.append(Finding(where, describe(w), p))
        if problem:
            found.append(Finding(where, describe(w), problem))
        if w is root:
            continue
        parent = w.parentWidget()
        if (
            not _internal(w)
            and not _inside_scroll_viewport(w, root)
            and (isinstance(w, (QLabel, QAbstractButton)) or bool(w.findChildren(QLabel)))
        ):
            g = w.geometry()
            inside = parent.rect()
            if not inside.contains(g):
                cut = QRect(g).intersected(inside)
                found.append(
                    Finding(
                        where,
                        describe(w),
                        f"cut off by its parent {type(parent).__name__}: "
                        f"{g.width()}x{g.height()} at ({g.x()},{g.y()}) in "
                        f"{inside.width()}x{inside.height()}, {cut.width()}x{cut.height()} shown",
                    )
                )
    return found


def check_scrolling(root: QWidget, where: str) -> list[Finding]:
    """Scroll areas (pages, text views, lists, tables) that scroll sideways."""
    found = []
    for w in visible_widgets(root):
        if isinstance(w, QAbstractScrollArea) and w.horizontalScrollBar().isVisible():
            bar = w.horizontalScrollBar()
            found.append(
                Finding(
                    where,
                    describe(w),
                    f"horizontal scroll bar shown (scrolls 0–{bar.maximum()} in a "
                    f"{w.viewport().width()} px wide view)",
                )
            )
    return found


def check_overlap(root: QWidget, where: str) -> list[Finding]:
    """Visible sibling widgets whose rectangles intersect (a layout squeezed too far)."""
    found = []
    for parent in visible_widgets(root):
        if isinstance(parent, QAbstractScrollArea):
            continue  # viewport and scroll bars are Qt's own arrangement
        kids = [
            k
            for k in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if k.isVisible() and not k.isWindow() and not _internal(k)
        ]
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                common = a.geometry().intersected(b.geometry())
                if common.width() > TOLERANCE and common.height() > TOLERANCE:
                    found.append(
                        Finding(
                            where,
                            f"{describe(a)} and {describe(b)}",
                            f"overlap by {common.width()}x{common.height()} px "
                            f"in {describe(parent)}",
                        )
                    )
    return found


def check_dialog_size(dialog: QWidget, where: str) -> list[Finding]:
    """A dialog (with its frame) must fit a 1366x768 screen."""
    size = dialog.frameGeometry().size().expandedTo(dialog.size())
    if size.width() > SCREEN_LIMIT[0] or size.height() > SCREEN_LIMIT[1]:
        return [
            Finding(
                where,
                describe(dialog),
                f"{size.width()}x{size.height()} does not fit a "
                f"{SCREEN_LIMIT[0]}x{SCREEN_LIMIT[1]} screen",
            )
        ]
    return []


# ------------------------------------------------------------------ contrast
def luminance(colour: QColor) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


class Pixels:
    """The pixels of a grabbed image as 32-bit ARGB values, read a row slice at a time
    (``QImage.pixel`` per pixel is far too slow for every label of every screen)."""

    def __init__(self, image: QImage) -> None:
        self.image = image.convertToFormat(QImage.Format.Format_ARGB32)
        self.rect = self.image.rect()
        self.stride = self.image.bytesPerLine() // 4
        self.words = memoryview(bytes(self.image.constBits())).cast("I")

    def width(self) -> int:
        return self.rect.width()

    def __call__(self, rect: QRect) -> list[int]:
        """Every pixel inside ``rect`` (clipped to the image), row by row."""
        r = rect.intersected(self.rect)
        out: list[int] = []
        if r.isEmpty():
            return out
        for y in range(r.top(), r.bottom() + 1):
            start = y * self.stride + r.left()
            out.extend(self.words[start : start + r.width()])
        return out

    def at(self, x: int, y: int) -> int | None:
        if not self.rect.contains(QPoint(x, y)):
            return None
        return int(self.words[y * self.stride + x])


@lru_cache(maxsize=65536)
def _luminance_of(rgb: int) -> float:
    return luminance(QColor.fromRgb(rgb & 0xFFFFFF))


def _ratio_to(background: int, colours: Iterable[int]) -> float:
    """The highest contrast of any of ``colours`` against ``background`` (ARGB values)."""
    lb = _luminance_of(background)
    ratios = [(max(lp, lb) + 0.05) / (min(lp, lb) + 0.05) for lp in map(_luminance_of, colours)]
    return max(ratios, default=21.0)


def text_contrast(pixels: Pixels, rect: QRect) -> float | None:
    """Contrast of the strongest text pixel against the commonest (background) pixel."""
    inside = pixels(rect)
    if not inside:
        return None
    counts = Counter(inside)
    background = counts.most_common(1)[0][0]
    return _ratio_to(background, counts)


def indicator_contrast(pixels: Pixels, indicator: QRect) -> float:
    """Contrast of the indicator's most visible pixel against the background just outside it."""
    ring = indicator.adjusted(-3, -3, 3, 3)
    inner = set(pixels(indicator))
    around = [p for p in (pixels.at(x, y) for x, y in _ring_points(ring)) if p is not None]
    if not around or not inner:
        return 21.0
    return _ratio_to(Counter(around).most_common(1)[0][0], inner)


def _ring_points(r: QRect) -> Iterator[tuple[int, int]]:
    for x in range(r.left(), r.right() + 1):
        yield x, r.top()
        yield x, r.bottom()
    for y in range(r.top(), r.bottom() + 1):
        yield r.left(), y
        yield r.right(), y


def check_contrast(root: QWidget, where: str, image: QImage | None = None) -> list[Finding]:
    """Enabled labels' text (4.5:1) and check box / radio indicators (3:1), as drawn."""
    pixels = Pixels(image if image is not None else root.grab().toImage())
    ratio_x = pixels.width() / max(root.width(), 1)
    found = []
    for w in visible_widgets(root):
        if not w.isEnabled():
            continue
        shown = w.visibleRegion().boundingRect()
        if shown != w.rect():
            continue  # partly scrolled out of view or covered: judged where wholly shown
        origin = w.mapTo(root, QPoint(0, 0))
        if isinstance(w, QLabel) and w.text().strip() and w.pixmap().isNull():
            rect = QRect(origin, w.size())
            ratio = text_contrast(pixels, _scaled(rect, ratio_x))
            if ratio is not None and ratio < TEXT_CONTRAST:
                found.append(
                    Finding(where, describe(w), f"text contrast {ratio:.2f}:1 < {TEXT_CONTRAST}:1")
                )
        elif isinstance(w, (QCheckBox, QRadioButton)):
            option = _button_option(w)
            element = (
                QStyle.SubElement.SE_CheckBoxIndicator
                if isinstance(w, QCheckBox)
                else QStyle.SubElement.SE_RadioButtonIndicator
            )
            local = w.style().subElementRect(element, option, w)
            rect = local.translated(origin)
            ratio = indicator_contrast(pixels, _scaled(rect, ratio_x))
            if ratio < CONTROL_CONTRAST:
                state = "ticked" if w.isChecked() else "unticked"
                found.append(
                    Finding(
                        where,
                        describe(w),
                        f"{state} indicator contrast {ratio:.2f}:1 < {CONTROL_CONTRAST}:1",
                    )
                )
            if plain(w.text()).strip():
                text_rect = w.style().subElementRect(
                    QStyle.SubElement.SE_CheckBoxContents
                    if isinstance(w, QCheckBox)
                    else QStyle.SubElement.SE_RadioButtonContents,
                    option,
                    w,
                )
                ratio_t = text_contrast(pixels, _scaled(text_rect.translated(origin), ratio_x))
                if ratio_t is not None and ratio_t < TEXT_CONTRAST:
                    found.append(
                        Finding(
                            where,
                            describe(w),
                            f"text contrast {ratio_t:.2f}:1 < {TEXT_CONTRAST}:1",
                        )
                    )
    return found


def _scaled(rect: QRect, factor: float) -> QRect:
    if abs(factor - 1.0) < 1e-6:
        return rect
    return QRect(
        int(rect.x() * factor),
        int(rect.y() * factor),
        int(rect.width() * factor),
        int(rect.height() * factor),
    )


def audit(root: QWidget, where: str, *, contrast_check: bool = True) -> list[Finding]:
    """Every check on ``root`` (a window or dialog, shown and laid out)."""
    found = [
        *check_text(root, where),
        *check_scrolling(root, where),
        *check_overlap(root, where),
    ]
    if isinstance(root, QDialog):
        found += check_dialog_size(root, where)
    if contrast_check:
        found += check_contrast(root, where)
    return found


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in order, each once."""
    seen: dict[Finding, None] = {}
    for f in findings:
        seen.setdefault(f, None)
    return list(seen)
