"""The Binary tab: what a body is when it cannot be shown, its first bytes, and a way to save it.

A binary body (or one above the viewer limit) is not decoded as text: a hex dump of the head
is enough to recognise a format, and saving hands the whole body to a tool made for it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.ui.widgets.response.json_text_view import JsonTextView

__all__ = ["BinaryView", "hex_dump"]


def hex_dump(data: bytes) -> str:
    """`offset  16 hex bytes  printable text` lines, as `xxd`-style tools show them."""
    lines = []
    for offset in range(0, len(data), 16):
        row = data[offset:offset + 16]
        hexes = " ".join(f"{b:02x}" for b in row)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        lines.append(f"{offset:08x}  {hexes:<47}  {text}")
    return "\n".join(lines)


class BinaryView(QWidget):
    """A sentence about the body, a Save button and the hex dump of its first bytes."""

    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("", self)
        self.label.setWordWrap(True)
        save = QPushButton("Save body as…", self)
        save.setObjectName("primary")
        save.clicked.connect(self.save_requested)
        self.hex_view = JsonTextView(self, highlight=False)
        self.hex_view.find_edit.hide()
        self.hex_view.prev_btn.hide()
        self.hex_view.next_btn.hide()
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        row.addWidget(save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(row)
        layout.addWidget(QLabel("First bytes:", self))
        layout.addWidget(self.hex_view, 1)

    def clear(self) -> None:
        self.hex_view.clear()

    def show_head(self, data: bytes) -> None:
        self.hex_view.set_text(hex_dump(data))
