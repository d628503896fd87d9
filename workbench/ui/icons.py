"""Icons drawn for API Workbench: SVG files in `resources/icons/` and painted method badges.

Icons are created on first use and cached, so start-up pays only for those on screen.
The method badge (GET, POST, …) is painted rather than stored: one per method, in the
method's colour, the same width for all so request names line up in the tree.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from workbench.ui.palette import Palette, current
from workbench.ui.resource_files import resources_dir

BADGE_WIDTH, BADGE_HEIGHT = 40, 16
_SHORT = {"DELETE": "DEL", "OPTIONS": "OPT", "PATCH": "PATCH", "TRACE": "TRC"}


def _source_dir() -> str:
    return f"{resources_dir()}/icons"


@lru_cache(maxsize=None)
def icons_dir(palette: Palette) -> str:
    """The folder of the icons as drawn for `palette` (style sheets need files, not resources).

    The SVGs are drawn for the light theme; for another palette each light colour is swapped
    for the palette's (`Palette.icon_colors`) and the copies are written once to a folder in
    the temporary directory named by a digest of the colours, so a theme change never reuses
    stale files and two processes write the same bytes.
    """
    source = _source_dir()
    if not palette.icon_colors:
        return source
    import hashlib  # only a recoloured theme needs these: the light one starts without them
    import tempfile

    digest = hashlib.sha256(repr(palette.icon_colors).encode()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"api-workbench-icons-{palette.name}-{digest}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        for svg in Path(source).glob("*.svg"):
            text = svg.read_text(encoding="utf-8")
            for old, new in palette.icon_colors:
                text = text.replace(f'"{old}"', f'"{new}"')
            out = target / svg.name
            if not out.exists() or out.read_text(encoding="utf-8") != text:
                tmp = out.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, out)
    except OSError:
        return source
    return str(target).replace("\\", "/")


def icon(name: str) -> QIcon:
    """The icon `resources/icons/<name>.svg` in the current theme (empty when the file is missing)."""
    return _icon(name, current())


@lru_cache(maxsize=None)
def _icon(name: str, palette: Palette) -> QIcon:
    path = Path(icons_dir(palette)) / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


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


def method_badge(method: str, ratio: float = 1.0) -> QIcon:
    """A right-aligned coloured method label, BADGE_WIDTH wide (white on a selected row)."""
    return _method_badge(method, ratio, current())


@lru_cache(maxsize=None)
def _method_badge(method: str, ratio: float, palette: Palette) -> QIcon:
    result = QIcon(_badge_pixmap(method, palette.method(method), ratio))
    result.addPixmap(_badge_pixmap(method, palette.accent_text, ratio), QIcon.Mode.Selected)
    return result


def icon_path(name: str) -> str:
    """The file path of `resources/icons/<name>.svg` drawn for the current theme (for style sheets)."""
    return f"{icons_dir(current())}/{name}.svg"


def tree_icon(name: str, ratio: float = 1.0) -> QIcon:
    """An SVG icon drawn at the right of a badge-wide canvas, so it lines up with method badges."""
    return _tree_icon(name, ratio, current())


@lru_cache(maxsize=None)
def _tree_icon(name: str, ratio: float, palette: Palette) -> QIcon:
    pixmap = _canvas(ratio)
    painter = QPainter(pixmap)
    _icon(name, palette).paint(painter, QRect(BADGE_WIDTH - 20, 0, 16, 16))
    painter.end()
    return QIcon(pixmap)
