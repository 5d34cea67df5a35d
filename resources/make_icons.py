"""Draw StudyApp's icon with QPainter and write every format the installers need.

Run from the repository root: ``.venv/bin/python resources/make_icons.py``. The outputs
are committed beside this script, so a build never needs to run it:

- ``studyapp.png`` (256 px) and ``studyapp-512.png``: Linux (.desktop) and documentation;
- ``studyapp.ico``: Windows executable icon, sizes 16 to 256 in one file;
- ``studyapp.icns``: macOS app bundle icon, sizes 16 to 1024.

The mark is original: a blue rounded tile with two question cards, the front one
ticked, for "study until you get it right". Sizes of 32 px and below are drawn as a
simpler mark (the tick alone on the tile), because the cards turn to noise at that size.
Every size is painted from vectors at its own resolution, never scaled from a bitmap.
The ICO and ICNS containers are written by hand (both hold PNG-compressed images),
so nothing beyond PySide6 is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

HERE = Path(__file__).resolve().parent
TILE_TOP = QColor("#2f74d8")
TILE_BOTTOM = QColor("#1a4b9c")
CARD = QColor("#ffffff")
CARD_BACK = QColor(255, 255, 255, 120)
INK = QColor("#c9d3e1")  # the "text lines" on the front card
TICK = QColor("#1b7a3d")  # the app's "good" colour

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, and their pixel size.
ICNS_TYPES = (
    (b"ic11", 32),  # 16 px @2x
    (b"ic12", 64),  # 32 px @2x
    (b"ic07", 128),
    (b"ic13", 256),  # 128 px @2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256 px @2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512 px @2x
)


def _tile(p: QPainter, s: float) -> None:
    """The rounded blue square that carries the mark."""
    m = s * 0.0625
    rect = QRectF(m, m, s - 2 * m, s - 2 * m)
    grad = QLinearGradient(QPointF(0, m), QPointF(0, s - m))
    grad.setColorAt(0.0, TILE_TOP)
    grad.setColorAt(1.0, TILE_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(grad))
    p.drawRoundedRect(rect, s * 0.2, s * 0.2)


def _tick(p: QPainter, s: float, cx: float, cy: float, w: float, colour: QColor) -> None:
    """A check mark centred on (cx, cy), ``w`` wide, stroke scaled to its width."""
    path = QPainterPath(QPointF(cx - 0.5 * w, cy + 0.02 * w))
    path.lineTo(QPointF(cx - 0.14 * w, cy + 0.36 * w))
    path.lineTo(QPointF(cx + 0.5 * w, cy - 0.34 * w))
    pen = QPen(colour, max(1.6, 0.2 * w))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def _cards(p: QPainter, s: float) -> None:
    """Two question cards, the back one tilted, the front one ticked."""
    card_w, card_h = s * 0.46, s * 0.56
    centre = QPointF(s * 0.5, s * 0.52)
    body = QRectF(-card_w / 2, -card_h / 2, card_w, card_h)
    radius = s * 0.05

    p.save()
    p.translate(centre + QPointF(s * 0.05, -s * 0.03))
    p.rotate(12)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(CARD_BACK)
    p.drawRoundedRect(body, radius, radius)
    p.restore()

    p.save()
    p.translate(centre + QPointF(-s * 0.03, s * 0.01))
    p.rotate(-4)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(0, 0, 0, 40))  # a soft shadow lifts the card off the tile
    p.drawRoundedRect(body.translated(s * 0.008, s * 0.014), radius, radius)
    p.setBrush(CARD)
    p.drawRoundedRect(body, radius, radius)
    line = QPen(INK, s * 0.032)
    line.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(line)
    left = body.left() + card_w * 0.18
    for y, frac in ((-0.34, 0.64), (-0.21, 0.46)):
        p.drawLine(QPointF(left, card_h * y), QPointF(left + card_w * frac, card_h * y))
    _tick(p, s, 0.0, card_h * 0.13, card_w * 0.58, TICK)
    p.restore()


def render(size: int) -> QImage:
    """The icon at ``size`` pixels square, transparent outside the tile."""
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    _tile(p, s)
    if size <= 32:
        _tick(p, s, s * 0.5, s * 0.5, s * 0.56, CARD)
    else:
        _cards(p, s)
    p.end()
    return img


def png_bytes(size: int) -> bytes:
    """PNG-encoded bytes of the icon at ``size``."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not render(size).save(buf, "PNG"):
        raise OSError(f"could not encode the {size} px icon as PNG")
    buf.close()
    return bytes(data.data())


def ico_bytes(sizes: tuple[int, ...] = ICO_SIZES) -> bytes:
    """A Windows .ico holding one PNG image per size (supported since Windows Vista)."""
    images = [png_bytes(n) for n in sizes]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for n, blob in zip(sizes, images, strict=True):
        dim = 0 if n >= 256 else n  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def icns_bytes(types: tuple[tuple[bytes, int], ...] = ICNS_TYPES) -> bytes:
    """A macOS .icns: big-endian (type, length) elements, each holding a PNG."""
    body = b""
    for kind, n in types:
        blob = png_bytes(n)
        body += kind + struct.pack(">I", 8 + len(blob)) + blob
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    """Write every icon file into this folder."""
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    outputs = {
        "studyapp.png": png_bytes(256),
        "studyapp-512.png": png_bytes(512),
        "studyapp.ico": ico_bytes(),
        "studyapp.icns": icns_bytes(),
    }
    for name, blob in outputs.items():
        (HERE / name).write_bytes(blob)
        sys.stdout.write(f"wrote resources/{name} ({len(blob):,} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
