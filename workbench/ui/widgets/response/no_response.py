"""What the body area shows while there is no response: nothing sent yet, sending, cancelled, failed.

Each state replaces the whole area, so nothing of an earlier exchange (its failure, its tabs
and their counts) lingers while a new request is on its way: a user reads "Sending GET …"
with a Cancel button, as in Postman, and nothing else. A failure reads as one sentence from
core (`SendError.message`: "Could not connect to 127.0.0.1:9 — connection refused"); httpx's
own text is kept one click away under "Technical details", for a bug report or a search.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.ui.palette import current

__all__ = ["NoResponseState", "NoResponseView"]

NoResponseState = Literal["empty", "pending", "cancelled", "failed"]

_HINT = "Pick a request and press Send (Ctrl+Enter)."


class NoResponseView(QWidget):
    """A centred title, one sentence, and the one action that fits (Cancel, or the details)."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state: NoResponseState = "empty"
        self.title = QLabel("", self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setObjectName("no-response-title")
        self.message = QLabel("", self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop waiting for this response (Esc)")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.details_button = QPushButton("Technical details", self)
        self.details_button.setCheckable(True)
        self.details_button.setFlat(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.detail = QLabel("", self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        for button in (self.cancel_button, self.details_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.detail)
        layout.addStretch(2)
        self.show_empty()

    def _set(self, state: NoResponseState, title: str, message: str, title_colour: str) -> None:
        self.state = state
        self.title.setText(title)
        self.title.setStyleSheet(f"color: {title_colour}; font-size: 15px; font-weight: 600;")
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {current().muted};")
        self.message.setVisible(bool(message))
        self.cancel_button.setVisible(state == "pending")
        self.details_button.setVisible(False)
        self.details_button.setChecked(False)
        self.detail.setText("")
        self.detail.hide()

    def show_empty(self) -> None:
        self._set("empty", "No response yet", _HINT, current().muted)

    def show_pending(self, method: str) -> None:
        """Sending: the method, a line that it is waiting, and Cancel; nothing of the previous exchange."""
        self._set("pending", f"Sending {method} …".replace("  ", " "), "Waiting for the response (Esc cancels).",
                  current().text)

    def show_progress(self) -> None:
        """The body has started to arrive (the status line above counts the bytes)."""
        if self.state == "pending":
            self.message.setText("Receiving the response (Esc cancels).")

    def show_cancelled(self) -> None:
        self._set("cancelled", "Request cancelled", "Nothing more is received. " + _HINT, current().muted)

    def show_failed(self, message: str, detail: str | None = None) -> None:
        """The plain sentence from core; the technical detail behind a toggle when it says more."""
        self._set("failed", "Could not get a response", message, current().danger)
        self.message.setStyleSheet(f"color: {current().text};")
        if detail and detail.strip() != message.strip():
            self.detail.setText(detail)
            self.detail.setStyleSheet(f"color: {current().muted};")
            self.details_button.setVisible(True)

    def _toggle_details(self, shown: bool) -> None:
        self.detail.setVisible(shown)
        self.details_button.setText("Hide technical details" if shown else "Technical details")

