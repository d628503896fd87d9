"""Icons drawn for API Workbench: SVG files in `resources/icons/` and painted method badges.

Icons are created on first use and cached, so start-up pays only for those on screen.
The method badge (GET, POST, …) is painted rather than stored: one per method, in the
method's colour, the same width for all so request names line up in the tree.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from workbench.ui.theme import METHOD_COLORS

BADGE_WIDTH, BADGE_HEIGHT = 40, 16
_SHORT = {"DELETE": "DEL", "OPTIONS": "OPT", "PATCH": "PATCH", "TRACE": "TRC"}


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    """The icon `resources/icons/<name>.svg` (an empty icon when the file is missing)."""
    path = resources.files("workbench.resources") / "icons" / f"{name}.svg"
    try:
        with resources.as_file(path) as real:
            return QIcon(str(real)) if real.exists() else QIcon()
    except (OSError, FileNotFoundError):
        return QIcon()


def _canvas(ratio: float) -> QPixmap:
    pixmap = QPixmap(int(BADGE_WIDTH * ratio), int(BADGE_HEIGHT * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


def _badge_pixmap(method: str, color: str, ratio: float) -> QPixmap:
    pixmap = _canvas(ratio)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    font = QFont()
    font.setPixelSize(10)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(color))
    text = _SHORT.get(method.upper(), method.upper()[:5])
    painter.drawText(QRectF(0, 0, BADGE_WIDTH - 4, BADGE_HEIGHT),
                     int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
    painter.end()
    return pixmap


@lru_cache(maxsize=None)
def method_badge(method: str, ratio: float = 1.0) -> QIcon:
    """A right-aligned coloured method label, BADGE_WIDTH wide (white on a selected row)."""
    result = QIcon(_badge_pixmap(method, METHOD_COLORS.get(method.upper(), "#57606a"), ratio))
    result.addPixmap(_badge_pixmap(method, "#ffffff", ratio), QIcon.Mode.Selected)
    return result


def icon_path(name: str) -> str:
    """The file path of `resources/icons/<name>.svg` (for style sheets)."""
    path = resources.files("workbench.resources") / "icons" / f"{name}.svg"
    return str(path).replace("\\", "/")


@lru_cache(maxsize=None)
def tree_icon(name: str, ratio: float = 1.0) -> QIcon:
    """An SVG icon drawn at the right of a badge-wide canvas, so it lines up with method badges."""
    pixmap = _canvas(ratio)
    painter = QPainter(pixmap)
    icon(name).paint(painter, QRect(BADGE_WIDTH - 20, 0, 16, 16))
    painter.end()
    return QIcon(pixmap)
