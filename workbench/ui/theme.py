"""The default light theme: Fusion style, a calm palette, one stylesheet from resources."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

METHOD_COLORS = {
    "GET": "#1a7f37", "POST": "#9a6700", "PUT": "#0550ae", "PATCH": "#8250df",
    "DELETE": "#cf222e", "HEAD": "#57606a", "OPTIONS": "#57606a", "TRACE": "#57606a",
}


def status_color(status: int) -> str:
    """Colour of a status code badge: green 2xx, blue 3xx, amber 4xx, red 5xx."""
    if status < 300:
        return "#1a7f37"
    if status < 400:
        return "#0550ae"
    if status < 500:
        return "#9a6700"
    return "#cf222e"


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#f6f8fa"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#1f2328"))
    pal.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f6f8fa"))
    pal.setColor(QPalette.ColorRole.Text, QColor("#1f2328"))
    pal.setColor(QPalette.ColorRole.Button, QColor("#f6f8fa"))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor("#1f2328"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#0969da"))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#6e7781"))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ToolTipText, QColor("#1f2328"))
    app.setPalette(pal)
    style = resources.files("workbench.resources") / "theme.qss"
    try:
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    except OSError:
        pass
