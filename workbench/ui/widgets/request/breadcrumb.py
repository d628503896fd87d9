"""The line above a request's URL saying where it lives: collection › folder › … › request.

A request tab alone does not say which of two "Get user" requests it is; Postman shows the
path above the URL, and so do we. Each part but the last is a link that selects that
collection or folder in the tree (`part_clicked(key)`, the tree's workspace-relative key).
When the line is too wide the folder names in the middle are shortened first, then the
collection, and the request name last, because that is what the user is looking at.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from workbench.ui.palette import current

SEPARATOR = " › "


class Breadcrumb(QLabel):
    """`set_parts([(text, key), …])`: the last part is the request itself (no link)."""

    part_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breadcrumb")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        # Ignored: the line never asks for more room than the editor has; it elides instead.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._parts: list[tuple[str, str]] = []
        self.linkActivated.connect(self._link)

    def set_parts(self, parts: list[tuple[str, str]]) -> None:
        self._parts = [(text or "…", key) for text, key in parts]
        self.setToolTip(SEPARATOR.join(text for text, _ in self._parts))
        self._render()

    def parts(self) -> list[str]:
        """The full texts shown (before eliding): for tests and the tooltip."""
        return [text for text, _ in self._parts]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        texts = self.elided(self.width() - 4)
        muted, link = current().muted, current().muted
        out = []
        for i, (text, (_, key)) in enumerate(zip(texts, self._parts)):
            shown = html.escape(text)
            if i == len(texts) - 1:
                out.append(f"<span style='color:{current().text}'>{shown}</span>")
            elif key:
                out.append(f"<a href='{html.escape(key, quote=True)}' style='color:{link}; text-decoration:none'>"
                           f"{shown}</a>")
            else:
                out.append(shown)
        self.setText(f"<span style='color:{muted}'>" + html.escape(SEPARATOR).join(out) + "</span>")

    def elided(self, width: int) -> list[str]:
        """The parts' texts shortened so the line fits `width` pixels (middle folders first)."""
        metrics = self.fontMetrics()
        texts = [text for text, _ in self._parts]
        if not texts or width <= 0:
            return texts

        def total() -> int:
            return metrics.horizontalAdvance(SEPARATOR.join(texts))

        # Shorten the middle folders, then the collection, then the request name.
        order = list(range(1, len(texts) - 1)) + ([0] if len(texts) > 1 else []) + [len(texts) - 1]
        for i in order:
            excess = total() - width
            if excess <= 0:
                break
            own = metrics.horizontalAdvance(texts[i])
            floor = metrics.horizontalAdvance("…") if i != len(texts) - 1 else metrics.horizontalAdvance("Wwwww…")
            texts[i] = metrics.elidedText(texts[i], Qt.TextElideMode.ElideRight, max(floor, own - excess))
        return texts

    @Slot(str)
    def _link(self, key: str) -> None:
        self.part_clicked.emit(key)
