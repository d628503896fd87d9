"""The lines above the response tabs: what state the exchange is in, and what went wrong.

The status line always says where things stand (sending, receiving with a live byte count,
cancelled, failed, or the status with time, size and HTTP version), so a user never wonders
whether anything is happening. The banner under it carries the one message that needs reading:
an error, a limit that was hit, a body that could not be parsed.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from workbench.core.response.classify import human_size
from workbench.core.sending.transport import Response
from workbench.ui.palette import current
from workbench.ui.theme import status_color

__all__ = ["Banner", "BannerKind", "StatusLine"]

BannerKind = Literal["warning", "error", "info"]
def _banner_style(kind: str) -> str:
    p = current()
    bg, fg, border = {
        "warning": (p.warning_bg, p.warning_text, p.warning_border),
        "error": (p.danger_bg, p.danger_text, p.danger_border),
        "info": (p.info_bg, p.info_text, p.info_border),
    }[kind]
    return f"background: {bg}; color: {fg}; border: 1px solid {border};"


class Banner(QLabel):
    """One message in the colours of its kind; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str, kind: BannerKind = "warning") -> None:
        """Show `text` ("" hides the banner)."""
        if not text:
            self.hide()
            return
        self.setStyleSheet(f"QLabel {{ {_banner_style(kind)} border-radius: 4px; padding: 5px 8px; }}")
        self.setText(text)
        self.show()


class StatusLine(QWidget):
    """Status badge, details (time, size, version or progress), a progress bar, Copy and Save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel("Response", self)
        self.status.setObjectName("muted")
        self.meta = QLabel("", self)
        self.meta.setObjectName("muted")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(180)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.copy_btn = QPushButton("Copy", self)
        self.copy_btn.setToolTip("Copy the body as text")
        self.save_btn = QPushButton("Save body as…", self)
        top = QHBoxLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.status)
        top.addSpacing(12)
        top.addWidget(self.meta)
        top.addWidget(self.progress)
        top.addStretch(1)
        top.addWidget(self.copy_btn)
        top.addWidget(self.save_btn)
        self.set_actions(copy=False, save=False)  # nothing to copy or save until a response arrives

    def set_actions(self, copy: bool, save: bool) -> None:
        self.copy_btn.setVisible(copy)
        self.save_btn.setVisible(save)

    def show_pending(self, method: str) -> None:
        """Only the busy bar: the body area says "Sending {method} …" with its Cancel button."""
        self.set_actions(copy=False, save=False)
        self.status.setText("")
        self.status.setStyleSheet(f"color: {current().muted};")
        self.status.setToolTip(f"Sending {method}" if method else "Sending")
        self.meta.setText("")
        self.progress.setRange(0, 0)
        self.progress.show()

    def show_progress(self, received: int, total: int | None) -> None:
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(received, total) / total))
            self.meta.setText(f"received {human_size(received)} of {human_size(total)}")
        else:
            self.progress.setRange(0, 0)
            self.meta.setText(f"received {human_size(received)}")
        self.progress.show()

    def show_cancelled(self) -> None:
        self.status.setText("Cancelled.")
        self.status.setStyleSheet(f"color: {current().muted};")
        self.meta.setText("the transfer was stopped")
        self.progress.hide()

    def show_failed(self, detail: str | None) -> None:
        self.set_actions(copy=False, save=False)
        self.status.setText("No response")
        self.status.setStyleSheet(f"color: {current().danger}; font-weight: 600;")
        self.status.setToolTip(detail or "")
        self.meta.setText("")

    def show_response(self, response: Response, size: int) -> None:
        """The status as a coloured badge ("File" for `workbench view FILE`: no HTTP status), then time, size, version."""
        from_file = response.url.startswith("file:")
        self.status.setText("File" if from_file else f"{response.status} {response.reason}".strip())
        badge = current().status_none if from_file else status_color(response.status)
        self.status.setStyleSheet(f"color: {current().badge_text}; background: {badge}; font-weight: 600;"
                                  " border-radius: 4px; padding: 2px 8px;")
        self.status.setToolTip(response.url)
        bits = []
        if response.elapsed_ms:
            bits.append(f"{response.elapsed_ms:.0f} ms")
        bits.append(human_size(size))
        if response.http_version:
            bits.append(response.http_version)
        self.meta.setText(" · ".join(bits))

    def add_detail(self, text: str) -> None:
        """Append a detail found later (an image's size)."""
        self.meta.setText(self.meta.text() + f" · {text}")

    def show_saved(self, name: str) -> None:
        """Say where the body was saved (replacing an earlier "saved to")."""
        self.meta.setText(self.meta.text().split(" · saved")[0] + f" · saved to {name}")
