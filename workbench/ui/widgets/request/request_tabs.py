"""The window's request tabs: method badge + name, and one preview tab as in Postman and VS Code.

Browsing the tree with single clicks used to open a tab per click until the titles read
"Ech…". A single click now opens a *preview* tab (title in italics) that the next single click
replaces; a double click, an edit or a save keeps it (the title turns upright). Which tab is the
preview is this widget's state; when to open, replace and keep is the window's decision.

Tab titles never shrink below a readable width (the bar scrolls instead), and the tooltip has
the full name and file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QTabBar, QTabWidget, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

# The least of a title a tab keeps before the bar scrolls: about "Echo query pa…".
MIN_TITLE_CHARS = 14


class RequestTabBar(QTabBar):
    """A tab bar that knows its preview tab and keeps titles readable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview: QWidget | None = None
        self.setUsesScrollButtons(True)

    def is_preview_index(self, index: int) -> bool:
        tabs = self.parentWidget()
        return (self._preview is not None and isinstance(tabs, QTabWidget) and index >= 0
                and tabs.widget(index) is self._preview)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Paint as usual, then paint the preview tab over itself with its title in italics.

        QTabBar has no per-tab font, and the style sheet engine draws tab labels itself (a proxy
        style is bypassed), so the preview tab is drawn a second time on its own background.
        """
        super().paintEvent(event)
        index = next((i for i in range(self.count()) if self.is_preview_index(i)), -1)
        if index < 0 or not self.tabRect(index).intersects(event.rect()):
            return
        # Imported here, not at the top: the first use of QStyle builds its Python type and its
        # ~20 enums (about 12 ms), and no preview tab exists before the window's first paint.
        from PySide6.QtWidgets import QStyle, QStyleOptionTab, QStylePainter

        option = QStyleOptionTab()
        self.initStyleOption(option, index)
        painter = QStylePainter(self)
        painter.setClipRect(self.tabRect(index))
        painter.fillRect(self.tabRect(index), self.palette().window())
        font = painter.font()
        font.setItalic(True)
        painter.setFont(font)
        painter.drawControl(QStyle.ControlElement.CE_TabBarTab, option)
        painter.end()

    def minimumTabSizeHint(self, index: int) -> QSize:  # noqa: N802 - Qt override
        """Shrink a title only to MIN_TITLE_CHARS characters; past that the bar scrolls."""
        hint = super().minimumTabSizeHint(index)
        full = self.tabSizeHint(index)
        text = self.tabText(index)
        if len(text) <= MIN_TITLE_CHARS:
            return full
        keep = self.fontMetrics().horizontalAdvance(text[:MIN_TITLE_CHARS] + "…")
        cut = self.fontMetrics().horizontalAdvance(text)
        return QSize(max(hint.width(), min(full.width(), full.width() - cut + keep)), hint.height())


class RequestTabs(QTabWidget):
    """QTabWidget with a `RequestTabBar`: `set_preview(widget)`, `preview()`, `is_preview(widget)`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bar = RequestTabBar(self)
        self.setTabBar(self._bar)
        self.setElideMode(Qt.TextElideMode.ElideRight)

    def preview(self) -> QWidget | None:
        widget = self._bar._preview
        return widget if widget is not None and self.indexOf(widget) >= 0 else None

    def is_preview(self, widget: QWidget | None) -> bool:
        return widget is not None and widget is self.preview()

    def tabRemoved(self, index: int) -> None:  # noqa: N802 - Qt override
        """A closed preview tab is forgotten now, before its widget is deleted."""
        super().tabRemoved(index)
        preview = self._bar._preview
        if preview is not None and self.indexOf(preview) < 0:
            self._bar._preview = None

    def set_preview(self, widget: QWidget | None) -> None:
        """Make `widget`'s tab the preview (None: no preview tab, the old one is kept)."""
        self._bar._preview = widget
        self._bar.update()
