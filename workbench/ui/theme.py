"""The theme: Fusion style, a QPalette and the style sheet, all filled from one `palette.Palette`.

`apply_theme(app, "system")` follows the desktop's colour scheme (Qt's
`QStyleHints.colorScheme()`); "light" and "dark" force one. The style sheet in
`resources/theme.qss` is a template: `@name@` is a palette colour, `@ICONS@` the folder of the
icons drawn for that theme (see `icons.icons_dir`). Widgets read `palette.current()` when they
are built or painted, so switching theme fully takes effect at the next start.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from workbench.ui import icons
from workbench.ui.palette import (
    DARK,
    LIGHT,
    METHOD_COLORS,
    Palette,
    set_current,
    status_color,
)
from workbench.ui.resource_files import resources_dir

ThemeMode = Literal["light", "dark", "system"]
THEME_MODES: tuple[ThemeMode, ...] = ("light", "dark", "system")

__all__ = ["METHOD_COLORS", "THEME_MODES", "ThemeMode", "apply_theme", "palette_for", "status_color", "style_sheet"]


def palette_for(mode: str) -> Palette:
    """The palette for a mode; "system" (or anything unknown) asks the desktop."""
    if mode == "dark":
        return DARK
    if mode == "light":
        return LIGHT
    hints = QGuiApplication.styleHints() if QGuiApplication.instance() is not None else None
    if hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark:
        return DARK
    return LIGHT


def style_sheet(palette: Palette) -> str:
    """The style sheet template filled from `palette` (unknown `@names@` are left as they are)."""
    template = (Path(resources_dir()) / "theme.qss").read_text(encoding="utf-8")
    template = template.replace("@ICONS@", icons.icons_dir(palette))

    def fill(match: re.Match[str]) -> str:
        value = getattr(palette, match.group(1), None)
        return value if isinstance(value, str) else match.group(0)

    return re.sub(r"@([a-z_0-9]+)@", fill, template)


def _qpalette(p: Palette) -> QPalette:
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, p.window), (roles.WindowText, p.text), (roles.Base, p.base),
        (roles.AlternateBase, p.alt_base), (roles.Text, p.text), (roles.Button, p.raised),
        (roles.ButtonText, p.text), (roles.Highlight, p.accent), (roles.HighlightedText, p.accent_text),
        (roles.PlaceholderText, p.faint), (roles.ToolTipBase, p.base), (roles.ToolTipText, p.text),
        (roles.Link, p.accent), (roles.BrightText, p.text), (roles.Mid, p.border),
        (roles.Midlight, p.border_muted), (roles.Dark, p.border), (roles.Light, p.hover),
    ):
        pal.setColor(role, QColor(colour))
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(p.faint))
    return pal


def apply_theme(app: QApplication, mode: str = "system", *, set_style: bool = True) -> Palette:
    """Make `mode`'s palette current and dress `app` in it; returns the palette chosen.

    `set_style=False` when the application was created with `-style Fusion` (start-up does):
    `setStyle` returns the style object, and wrapping it builds the QStyle type (~30 ms).
    """
    palette = palette_for(mode)
    set_current(palette)
    if set_style:
        app.setStyle("Fusion")
    app.setPalette(_qpalette(palette))
    try:
        app.setStyleSheet(style_sheet(palette))
    except OSError:
        pass
    return palette
