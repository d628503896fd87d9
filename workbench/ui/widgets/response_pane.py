"""The response pane: status, time and size, then the body and the headers.

Shows one `Exchange` at a time; pending, cancelled and error states are explicit so a user
always knows what is happening.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Request
from workbench.core.http import Exchange
from workbench.ui.theme import status_color


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


class ResponsePane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel("No response yet. Press Send (Ctrl+Enter).", self)
        self.status.setObjectName("empty")
        self.meta = QLabel("", self)
        self.meta.setObjectName("muted")
        top = QHBoxLayout()
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.meta)
        self.body = QPlainTextEdit(self)
        self.body.setReadOnly(True)
        self.headers = QTableWidget(0, 2, self)
        self.headers.setHorizontalHeaderLabels(["Header", "Value"])
        self.headers.horizontalHeader().setStretchLastSection(True)
        self.headers.verticalHeader().setVisible(False)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.body, "Body")
        self.tabs.addTab(self.headers, "Headers")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.exchange: Exchange | None = None

    def show_pending(self, request: Request) -> None:
        self.status.setText(f"Sending {request.method} … (Esc cancels)")
        self.status.setStyleSheet("")
        self.meta.setText("")

    def show_progress(self, received: int, total: int | None) -> None:
        self.meta.setText(f"{human_size(received)}" + (f" of {human_size(total)}" if total else ""))

    def show_cancelled(self) -> None:
        self.status.setText("Cancelled.")
        self.status.setStyleSheet("color: #57606a;")

    def show_error(self, message: str, detail: str | None = None) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #cf222e; font-weight: 600;")
        self.status.setToolTip(detail or "")
        self.meta.setText("")
        self.body.setPlainText("")

    def show_exchange(self, exchange: Exchange, request: Request | None = None) -> None:
        self.exchange = exchange
        r = exchange.response
        self.status.setText(f"{r.status} {r.reason}")
        self.status.setStyleSheet(f"color: {status_color(r.status)}; font-weight: 600;")
        self.meta.setText(f"{r.elapsed_ms:.0f} ms · {human_size(r.size)}")
        self.body.setPlainText(r.text())
        self.headers.setRowCount(0)
        for name, value in r.headers:
            row = self.headers.rowCount()
            self.headers.insertRow(row)
            self.headers.setItem(row, 0, QTableWidgetItem(name))
            self.headers.setItem(row, 1, QTableWidgetItem(value))
