"""The response pane: status, time and size, then the body in the viewer that fits it.

One `Response` at a time, shown without ever blocking the window: the body is parsed and
pretty-printed in worker threads (`core/response/`), text reaches the views in small chunks,
one per event-loop turn, and big JSON documents are indexed rather than built (the Tree and
Table tabs read values from their byte ranges when shown). Pending, receiving (live byte
count and progress bar), cancelled and error states are explicit so a user always knows what
is happening.

Tabs: Error (problem+json / OData error card), Pretty, Tree, Table (OData collections), XML,
Preview (images), Binary, Parts ($batch), Raw, Headers, Cookies, Timing and Contract
(the response checked against its OpenAPI operation or OData entity type).
"""

from __future__ import annotations

import html
import mmap
import os
import re
import shutil
import sys
import time
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import JsonSyntaxError, WorkbenchError
from workbench.core.response import error_bodies, pretty, xml_body
from workbench.core.response.classify import classify, human_size
from workbench.core.response.json_index import JsonIndex
from workbench.core.sending.transport import Exchange, Response, Timings
from workbench.ui.background import (
    BackgroundJob,
    CoroutineJob,
    keep_ui_responsive_beside_workers,
)
from workbench.ui.theme import status_color
from workbench.ui.widgets.response.error_card import ErrorCard
from workbench.ui.widgets.response.json_text_view import JsonTextView
from workbench.ui.widgets.response.json_tree_view import JsonTreeView
from workbench.ui.widgets.response.odata_table import ODataTable, collection_node
from workbench.ui.widgets.response.xml_view import XmlView

__all__ = ["ResponsePane", "human_size"]

CHUNK_CHARS = 16 * 1024
LONG_LINE = 2048
_LONG_LINE = re.compile(r"([^\n]{%d})(?=[^\n])" % LONG_LINE)
#: Bodies up to this size are also checked against a JSON Schema / entity type.
CONTRACT_BODY_BYTES = 16 * 1024 * 1024
_metadata_cache: dict[str, Any] = {}


def _open_body(response: Response) -> bytes | mmap.mmap:
    """The body bytes; a spilled body is mapped, not read, so its pages load on demand."""
    if response.body_file:
        with open(response.body_file, "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return b""
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return response.body


def _head(response: Response, size: int = 4096) -> bytes:
    if response.body_file:
        try:
            with open(response.body_file, "rb") as fh:
                return fh.read(size)
        except OSError:
            return b""
    return response.body[:size]


def _split_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Cut text into pieces of about `size` chars at line ends (one piece per event-loop turn)."""
    out: list[str] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
        out.append(text[start:end])
        start = end
    return out


def _cut(text: str, limit: int) -> str:
    """The first `limit` chars, ending at a line end when one is near (a line may be huge)."""
    cut = text.rfind("\n", max(0, limit - 64 * 1024), limit)
    return text[:cut + 1] if cut > 0 else text[:limit]


def _charset(response: Response) -> str:
    for piece in (response.header("content-type") or "").split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return "utf-8"


def _decode(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def parse_set_cookie(value: str) -> dict[str, str]:
    """One Set-Cookie header (RFC 6265 §4.1) as name, value and attributes."""
    first, *attrs = value.split(";")
    name, _, cookie_value = first.partition("=")
    out = {"name": name.strip(), "value": cookie_value.strip(), "domain": "", "path": "", "expires": "",
           "secure": "", "httponly": "", "samesite": ""}
    for attr in attrs:
        key, _, val = attr.strip().partition("=")
        low = key.lower()
        if low in ("domain", "path", "expires", "samesite"):
            out[low] = val.strip()
        elif low == "max-age":
            out["expires"] = f"max-age {val.strip()} s"
        elif low in ("secure", "httponly"):
            out[low] = "yes"
    return out


class TimingChart(QWidget):
    """A waterfall of connect, TLS, waiting (time to first byte) and download."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timings: Timings | None = None
        self.setMinimumHeight(176)

    def set_timings(self, timings: Timings | None) -> None:
        self.timings = timings
        self.update()

    def phases(self) -> list[tuple[str, float, float, str]]:
        """(label, start ms, length ms, colour) for each phase."""
        t = self.timings
        if t is None:
            return []
        connect, tls = t.connect_ms, t.tls_ms
        waiting = max(0.0, t.ttfb_ms - connect - tls)
        return [
            ("Connect", 0.0, connect, "#8250df"),
            ("TLS handshake", connect, tls, "#bf8700"),
            ("Waiting (TTFB)", connect + tls, waiting, "#0969da"),
            ("Download", t.ttfb_ms, t.download_ms, "#1a7f37"),
        ]

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        t = self.timings
        if t is None:
            painter.setPen(QColor("#6e7781"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No timing: this response was not received over HTTP.")
            return
        total = max(t.total_ms, t.ttfb_ms + t.download_ms, 0.001)
        label_w, value_w, margin = 130, 90, 14
        bar_w = max(40, self.width() - label_w - value_w - 2 * margin)
        row_h = 28
        y = margin
        for label, start, length, colour in self.phases():
            painter.setPen(QColor("#1f2328"))
            painter.drawText(margin, y, label_w, row_h, Qt.AlignmentFlag.AlignVCenter, label)
            x = margin + label_w + bar_w * start / total
            w = max(2.0, bar_w * length / total) if length > 0 else 0.0
            painter.fillRect(QRectF(margin + label_w, y + 9, bar_w, row_h - 18), QColor("#f6f8fa"))
            if w:
                painter.fillRect(QRectF(x, y + 7, w, row_h - 14), QColor(colour))
            painter.setPen(QColor("#57606a"))
            text = f"{length:.1f} ms" if length > 0 else "—"
            painter.drawText(margin + label_w + bar_w + 8, y, value_w, row_h, Qt.AlignmentFlag.AlignVCenter, text)
            y += row_h
        painter.setPen(QColor("#1f2328"))
        painter.drawText(margin, y + 4, label_w + bar_w, row_h, Qt.AlignmentFlag.AlignVCenter,
                         f"Total {t.total_ms:.1f} ms" + ("  ·  connection reused (no connect/TLS)"
                                                       if t.connect_ms == 0 and t.tls_ms == 0 else ""))


class ResponsePane(QWidget):
    """Shows one response; the main window calls show_pending/progress/cancelled/error/exchange."""

    first_view_ready = Signal()
    loading_finished = Signal()
    violation_selected = Signal(str)

    #: Pretty text shown at most (chars); above, the first part and a message.
    pretty_limit_chars = 2 * 1024 * 1024
    #: Raw text shown at most (bytes).
    raw_limit_bytes = 512 * 1024
    #: Bodies above this size are not viewed at all (offered for saving).
    max_view_bytes = 2 * 1024 * 1024 * 1024

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        keep_ui_responsive_beside_workers()  # parser threads run while the window paints
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
        self.copy_btn.clicked.connect(self.copy_body)
        self.save_btn = QPushButton("Save body as…", self)
        self.save_btn.clicked.connect(self.save_body_as)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.status)
        top.addSpacing(12)
        top.addWidget(self.meta)
        top.addWidget(self.progress)
        top.addStretch(1)
        top.addWidget(self.copy_btn)
        top.addWidget(self.save_btn)
        self.banner = QLabel("", self)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.error_card = ErrorCard(self)
        self.pretty_view = JsonTextView(self)
        self.tree_view = JsonTreeView(self)
        self.table_view = ODataTable(self)
        self.xml_view = XmlView(self)
        self.image_view = QScrollArea(self)
        self.image_view.setWidgetResizable(True)
        self.image_label = QLabel(self)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_view.setWidget(self.image_label)
        self.binary_view = self._build_binary()
        self.parts_view = self._build_parts()
        self.raw_view = JsonTextView(self, highlight=False)
        self.raw_view.edit.setLineWrapMode(self.raw_view.edit.LineWrapMode.WidgetWidth)
        self.error_card.raw_requested.connect(lambda: self.tabs.setCurrentWidget(self.raw_view))
        self.headers_table = self._table(["Header", "Value"])
        self.cookies_table = self._table(["Name", "Value", "Domain", "Path", "Expires", "Secure", "HttpOnly", "SameSite"])
        self.timing_view = self._build_timing()
        self.contract_view = self._build_contract()
        self._tab_names = {
            "error": (self.error_card, "Error"), "pretty": (self.pretty_view, "Pretty"),
            "tree": (self.tree_view, "Tree"), "table": (self.table_view, "Table"),
            "xml": (self.xml_view, "XML"), "image": (self.image_view, "Preview"),
            "binary": (self.binary_view, "Binary"), "parts": (self.parts_view, "Parts"),
            "raw": (self.raw_view, "Raw"), "headers": (self.headers_table, "Headers"),
            "cookies": (self.cookies_table, "Cookies"), "timing": (self.timing_view, "Timing"),
            "contract": (self.contract_view, "Contract"),
        }
        for widget, title in self._tab_names.values():
            self.tabs.addTab(widget, title)
        self.tabs.currentChanged.connect(self._tab_changed)

        self.empty = QLabel("No response yet.\nPick a request and press Send (Ctrl+Enter).", self)
        self.empty.setObjectName("empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.empty, 1)
        self.tabs.hide()
        self.copy_btn.hide()  # nothing to copy or save until a response arrives
        self.save_btn.hide()

        self.exchange: Exchange | None = None
        self.response: Response | None = None
        self.request: Any = None
        self.collection_dir: str | None = None
        self.metadata_model: Any = None
        self.document: Any = None
        self.json_index: JsonIndex | None = None
        self.body_kind = ""
        self.parse_error: WorkbenchError | None = None
        self.contract_report: Any = None
        self._jobs: list[BackgroundJob] = []
        self._feed: deque[tuple[JsonTextView, str]] = deque()
        self._feeder = QTimer(self)
        self._feeder.setInterval(0)
        self._feeder.timeout.connect(self._feed_tick)
        self._raw_filled = False
        self._first_view_sent = False
        self._pretty_chars = 0
        self._loading = False
        self._generation = 0
        self._pending_steps = 0
        self._parts: list[Any] = []
        self._part_pane: ResponsePane | None = None
        self._set_tabs(())

    # ------------------------------------------------------------------ building
    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        return table

    def _build_binary(self) -> QWidget:
        box = QWidget(self)
        self.binary_label = QLabel("", box)
        self.binary_label.setWordWrap(True)
        save = QPushButton("Save body as…", box)
        save.setObjectName("primary")
        save.clicked.connect(self.save_body_as)
        self.hex_view = JsonTextView(box, highlight=False)
        self.hex_view.find_edit.hide()
        self.hex_view.prev_btn.hide()
        self.hex_view.next_btn.hide()
        row = QHBoxLayout()
        row.addWidget(self.binary_label, 1)
        row.addWidget(save)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(row)
        layout.addWidget(QLabel("First bytes:", box))
        layout.addWidget(self.hex_view, 1)
        return box

    def _build_parts(self) -> QWidget:
        box = QSplitter(Qt.Orientation.Horizontal, self)
        self.parts_list = QListWidget(box)
        self.parts_list.setMinimumWidth(200)
        self.parts_list.currentRowChanged.connect(self._show_part)
        holder = QWidget(box)
        self._part_layout = QVBoxLayout(holder)
        self._part_layout.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.parts_list)
        box.addWidget(holder)
        box.setStretchFactor(1, 1)
        box.setSizes([220, 800])
        return box

    def _build_timing(self) -> QWidget:
        box = QWidget(self)
        self.timing_chart = TimingChart(box)
        self.timing_info = QLabel("", box)
        self.timing_info.setObjectName("muted")
        self.timing_info.setWordWrap(True)
        self.timing_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.timing_chart)
        layout.addWidget(self.timing_info)
        layout.addStretch(1)
        return box

    def _build_contract(self) -> QWidget:
        box = QWidget(self)
        self.contract_summary = QLabel("", box)
        self.contract_summary.setWordWrap(True)
        self.contract_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contract_list = QTreeWidget(box)
        self.contract_list.setHeaderLabels(["Kind", "Path", "Problem"])
        self.contract_list.setRootIsDecorated(False)
        self.contract_list.setAlternatingRowColors(True)
        self.contract_list.header().resizeSection(0, 100)
        self.contract_list.header().resizeSection(1, 260)
        self.contract_list.itemActivated.connect(self._violation_activated)
        self.contract_list.itemDoubleClicked.connect(self._violation_activated)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.contract_summary)
        layout.addWidget(self.contract_list, 1)
        return box

    def _set_tabs(self, names: tuple[str, ...] | list[str], current: str | None = None) -> None:
        for key, (widget, _) in self._tab_names.items():
            self.tabs.setTabVisible(self.tabs.indexOf(widget), key in names)
        if current is not None:
            self.tabs.setCurrentWidget(self._tab_names[current][0])
        elif names:
            self.tabs.setCurrentWidget(self._tab_names[names[0]][0])

    def tab_visible(self, key: str) -> bool:
        return self.tabs.isTabVisible(self.tabs.indexOf(self._tab_names[key][0]))

    def set_tab_title(self, key: str, title: str) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self._tab_names[key][0]), title)

    # ------------------------------------------------------------------ external settings
    def set_collection_dir(self, path: str | os.PathLike[str] | None) -> None:
        """Where the request's collection lives (its imported `openapi.json` is the contract)."""
        self.collection_dir = str(path) if path else None

    def set_metadata(self, model: Any) -> None:
        """A known `csdl.Model` for the service (table columns, entity checks)."""
        self.metadata_model = model

    # ------------------------------------------------------------------ states
    def _show_banner(self, text: str, kind: str = "warning") -> None:
        if not text:
            self.banner.hide()
            return
        styles = {
            "warning": "background: #fff8c5; color: #4d2d00; border: 1px solid #d4a72c;",
            "error": "background: #ffebe9; color: #82071e; border: 1px solid #ff8182;",
            "info": "background: #ddf4ff; color: #0a3069; border: 1px solid #54aeff;",
        }
        self.banner.setStyleSheet(f"QLabel {{ {styles[kind]} border-radius: 4px; padding: 5px 8px; }}")
        self.banner.setText(text)
        self.banner.show()

    def _reset(self) -> None:
        self._generation += 1
        self._pending_steps = 0
        for job in self._jobs:
            job.cancel()
        self._jobs = []
        self.table_view.cancel()
        self._feed.clear()
        self._feeder.stop()
        self._raw_filled = False
        self._first_view_sent = False
        self._pretty_chars = 0
        self.document = None
        self.json_index = None
        self.parse_error = None
        self.contract_report = None
        self.body_kind = ""
        self.pretty_view.clear()
        self.raw_view.clear()
        self.xml_view.clear()
        self.tree_view.set_index(None)
        self.table_view.model.clear()
        self.table_view.entity_set = ""
        self.image_label.clear()
        self.hex_view.clear()
        self.parts_list.clear()
        self._parts = []
        self.contract_list.clear()
        self.contract_summary.setText("")
        self._show_banner("")
        self.progress.hide()

    def show_pending(self, request: Any) -> None:
        self._reset()
        self.copy_btn.hide()
        self.save_btn.hide()
        self.status.setText(f"Sending {getattr(request, 'method', '')} … (Esc cancels)")
        self.status.setStyleSheet("color: #57606a;")
        self.meta.setText("waiting for the response")
        self.progress.setRange(0, 0)
        self.progress.show()

    def show_progress(self, received: int, total: int | None) -> None:
        """Live byte count while the body streams in (called from the send's progress callback)."""
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
        self.status.setStyleSheet("color: #57606a;")
        self.meta.setText("the transfer was stopped")
        self.progress.hide()

    def show_error(self, message: str, detail: str | None = None) -> None:
        self._reset()
        self.exchange = None
        self.response = None
        self.copy_btn.hide()
        self.save_btn.hide()
        self.status.setText("No response")
        self.status.setStyleSheet("color: #cf222e; font-weight: 600;")
        self.status.setToolTip(detail or "")
        self.meta.setText("")
        self._show_banner(message + (f"\n{detail}" if detail and detail != message else ""), "error")
        self.tabs.hide()
        self.empty.setText("The request failed before a response arrived.")
        self.empty.show()

    def show_exchange(self, exchange: Exchange, request: Any = None) -> None:
        self.exchange = exchange
        self.show_response(exchange.response, request, exchange)

    # ------------------------------------------------------------------ showing a response
    def show_response(self, response: Response, request: Any = None, exchange: Exchange | None = None) -> None:
        """Show `response` (from a send, a `$batch` part or a file opened with `workbench view`)."""
        self._reset()
        if exchange is None:
            self.exchange = None
        self.response = response
        self.request = request
        self._loading = True
        self.empty.hide()
        self.tabs.show()
        from_file = response.url.startswith("file:")  # `workbench view FILE`: no HTTP status to show
        self.status.setText("File" if from_file else f"{response.status} {response.reason}".strip())
        badge = "#57606a" if from_file else status_color(response.status)
        self.status.setStyleSheet(f"color: #ffffff; background: {badge}; font-weight: 600;"
                                  " border-radius: 4px; padding: 2px 8px;")
        self.status.setToolTip(response.url)
        size = response.size or (os.path.getsize(response.body_file) if response.body_file else len(response.body))
        bits = []
        if response.elapsed_ms:
            bits.append(f"{response.elapsed_ms:.0f} ms")
        bits.append(human_size(size))
        if response.http_version:
            bits.append(response.http_version)
        self.meta.setText(" · ".join(bits))
        self._fill_headers(response)
        self._fill_timing(response)
        head = _head(response)
        kind = classify(response.content_type, head)
        self.body_kind = kind
        self.copy_btn.setVisible(kind in ("json", "xml", "html", "text", "multipart"))
        self.save_btn.setVisible(kind != "empty")
        common = ["raw", "headers", "cookies", "timing", "contract"]
        if size > self.max_view_bytes:
            self._show_banner(f"The body is {human_size(size)}, above the viewer limit of {human_size(self.max_view_bytes)}."
                              " Save it to open it in another tool.", "warning")
            self.binary_label.setText(f"Not shown: {human_size(size)} of {response.content_type or 'unknown type'}.")
            self._set_tabs(["binary", "headers", "cookies", "timing"])
            self._finish_soon()
            return
        if kind == "empty":
            self.raw_view.set_text("")
            self.raw_view.set_banner("The response has no body.")
            self._raw_filled = True
            self._set_tabs(common)
            self._start_contract(None, has_body=False)
            self._first_view()
            self._finish_soon()
            return
        if kind == "json":
            self._set_tabs(["pretty", "tree"] + common)
            self._load_json(response, size)
        elif kind == "xml":
            self._set_tabs(["xml"] + common)
            self._load_xml(response)
        elif kind == "image":
            self._set_tabs(["image"] + common)
            self._load_image(response)
        elif kind == "binary":
            self._set_tabs(["binary"] + common)
            self.binary_label.setText(f"Binary body: {response.content_type or 'unknown type'}, {human_size(size)}. "
                                      "Save it to open it in another tool.")
            self.hex_view.set_text(self._hex(head[:1024]))
            self._start_contract(None, has_body=True)
            self._first_view()
            self._finish_soon()
        else:
            self._set_tabs(common, "raw")
            if kind == "html":
                self.raw_view.set_banner("HTML is shown as source (it is not rendered: scripts and remote content stay off).")
            self._fill_raw()
            self._start_contract(None, has_body=True)
        if self._is_batch(response):
            self._load_batch(response)

    @staticmethod
    def _hex(data: bytes) -> str:
        lines = []
        for offset in range(0, len(data), 16):
            row = data[offset:offset + 16]
            hexes = " ".join(f"{b:02x}" for b in row)
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
            lines.append(f"{offset:08x}  {hexes:<47}  {text}")
        return "\n".join(lines)

    # ------------------------------------------------------------------ headers, cookies, timing
    def _fill_headers(self, response: Response) -> None:
        self.headers_table.setRowCount(len(response.headers))
        for row, (name, value) in enumerate(response.headers):
            self.headers_table.setItem(row, 0, QTableWidgetItem(name))
            item = QTableWidgetItem(value)
            item.setToolTip(value[:2000])
            self.headers_table.setItem(row, 1, item)
        self.headers_table.resizeColumnToContents(0)
        self.set_tab_title("headers", f"Headers ({len(response.headers)})")
        cookies = [parse_set_cookie(v) for k, v in response.headers if k.lower() == "set-cookie"]
        self.cookies_table.setRowCount(len(cookies))
        keys = ["name", "value", "domain", "path", "expires", "secure", "httponly", "samesite"]
        for row, cookie in enumerate(cookies):
            for col, key in enumerate(keys):
                self.cookies_table.setItem(row, col, QTableWidgetItem(cookie[key]))
        self.set_tab_title("cookies", f"Cookies ({len(cookies)})" if cookies else "Cookies")

    def _fill_timing(self, response: Response) -> None:
        t = response.timings
        has = bool(t.total_ms or response.elapsed_ms)
        self.timing_chart.set_timings(t if has else None)
        if has:
            self.timing_info.setText(
                f"Connect {t.connect_ms:.1f} ms · TLS {t.tls_ms:.1f} ms · time to first byte {t.ttfb_ms:.1f} ms · "
                f"download {t.download_ms:.1f} ms · total {t.total_ms:.1f} ms. Waiting is the server's time after "
                "the request was sent; a reused connection has no connect or TLS phase.")
        else:
            self.timing_info.setText("")

    # ------------------------------------------------------------------ text feeding
    def _queue_text(self, view: JsonTextView, text: str) -> None:
        if len(text) > LONG_LINE:
            text, pieces = _LONG_LINE.subn("\\1\n", text)  # no giant blocks (see _fill_raw)
            note = f"Lines longer than {LONG_LINE:,} characters are shown in pieces."
            if pieces and view is not self.raw_view and note not in view.banner.text():
                current = view.banner.text() if view.banner.isVisibleTo(view) else ""
                view.set_banner(f"{current} {note}".strip())
        for piece in _split_chunks(text):
            self._feed.append((view, piece))
        if not self._feeder.isActive():
            self._feeder.start()

    def _feed_tick(self) -> None:
        """Append one chunk per event-loop turn so no turn runs long."""
        if not self._feed:
            self._feeder.stop()
            self._maybe_finished()
            return
        view, text = self._feed.popleft()
        view.append_chunk(text)
        if view is self.pretty_view or view is self.xml_view.text_view or view is self.raw_view:
            self._first_view()

    def _first_view(self) -> None:
        if not self._first_view_sent:
            self._first_view_sent = True
            QTimer.singleShot(0, self.first_view_ready.emit)

    def _start(self, fn: Callable[[BackgroundJob], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               on_progress: Callable[[Any], None] | None = None) -> BackgroundJob:
        generation = self._generation

        def guard(callback: Callable[[Any], None] | None) -> Callable[[Any], None]:
            def run(value: Any) -> None:
                if generation != self._generation:
                    return
                if callback is not None:
                    callback(value)
                self._maybe_finished()
            return run

        def guard_progress(callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
            if callback is None:
                return None
            return lambda v: callback(v) if generation == self._generation else None

        job = BackgroundJob(fn, guard(on_done), guard(on_error), guard_progress(on_progress), start=False)
        self._jobs.append(job)
        job.start()
        return job

    def _defer(self, step: Callable[[], None]) -> None:
        """Run `step` in a later event-loop turn (big results are shown in several short turns)."""
        generation = self._generation
        self._pending_steps += 1

        def run() -> None:
            self._pending_steps -= 1
            if generation == self._generation:
                step()
            self._maybe_finished()

        QTimer.singleShot(0, run)

    def _maybe_finished(self) -> None:
        if not self._loading or self._pending_steps:
            return
        if any(not job.finished and not job.cancelled for job in self._jobs):
            return
        if self._feed or self.tree_view.busy():
            return
        self._loading = False
        self.loading_finished.emit()

    def _finish_soon(self) -> None:
        QTimer.singleShot(0, self._maybe_finished)

    def is_loading(self) -> bool:
        return self._loading

    # ------------------------------------------------------------------ JSON
    def _load_json(self, response: Response, size: int) -> None:
        limit = self.pretty_limit_chars
        ct = response.content_type

        if size <= pretty.FULL_PARSE_BYTES:
            def parse_small(job: BackgroundJob) -> Any:
                data = _open_body(response)
                try:
                    document = pretty.parse_full(data)
                except JsonSyntaxError as exc:
                    return {"error": exc, "text": _decode(bytes(data[:self.raw_limit_bytes]), _charset(response))}
                text = pretty.pretty_text(document)
                truncated = len(text) > limit
                if truncated:
                    text = _cut(text, limit)
                job.report({"text": text, "truncated": truncated})
                index = JsonIndex(data)
                index.build(job.cancel_event)
                return {"document": document, "index": index}

            self._start(parse_small, self._json_parsed, self._json_failed, self._pretty_arrived)
            return

        # Big: first view from the incremental parser, the tree from the structure index.
        def pretty_big(job: BackgroundJob) -> Any:
            data = _open_body(response)
            progress = pretty.PrettyProgress()
            for chunk in pretty.iter_pretty(data, limit, CHUNK_CHARS, progress, job.cancel_event):
                job.report({"text": chunk, "truncated": False, "chunked": True})
            return {"pretty_done": progress}

        def index_big(job: BackgroundJob) -> Any:
            data = _open_body(response)
            index = JsonIndex(data)
            job.report({"index": index})
            index.build(job.cancel_event)
            return {"index": index, "invalid": index.validate(job.cancel_event)}

        if size >= limit:  # pretty text is never shorter than the body: say so from the first chunk
            self._show_pretty_truncated()
        self._start(pretty_big, self._big_pretty_done, self._json_failed, self._pretty_arrived)
        self._start(index_big, self._json_parsed, self._json_failed, self._index_arrived)

    def _pretty_arrived(self, value: dict[str, Any]) -> None:
        text = value["text"]
        self._pretty_chars += len(text)
        self._queue_text(self.pretty_view, text)
        if value.get("truncated"):
            self._show_pretty_truncated()

    def _show_pretty_truncated(self) -> None:
        size = self.response.size if self.response else 0
        self.pretty_view.set_banner(
            f"Showing the first {human_size(self.pretty_limit_chars)} of the pretty text"
            f" ({human_size(size)} body): the full document is in the Tree view.")

    def _big_pretty_done(self, value: dict[str, Any]) -> None:
        progress: pretty.PrettyProgress = value["pretty_done"]
        if progress.truncated:
            self._show_pretty_truncated()
        if progress.error is not None:
            self._mark_invalid(progress.error)

    def _index_arrived(self, value: dict[str, Any]) -> None:
        index: JsonIndex = value["index"]
        self.json_index = index
        self.tree_view.set_index(index)

    def _json_parsed(self, value: dict[str, Any]) -> None:
        if "error" in value:
            self._mark_invalid(value["error"], value.get("text"))
            return
        index: JsonIndex = value["index"]
        document = value.get("document")
        self.document = document
        if self.json_index is not index:
            self.json_index = index
            self.tree_view.set_index(index, document)
        else:
            self.tree_view.indexing_finished()
        if index.error is not None:
            self._mark_invalid(index.error)
            return
        if value.get("invalid") is not None:  # structure fine, a value inside is not
            self._mark_invalid(value["invalid"])
            return
        self._defer(lambda: self.tree_view.expand_to_depth(0))
        self._defer(lambda: self._show_collection(index, document))

    def _show_collection(self, index: JsonIndex, document: Any) -> None:
        """Error card, OData table and contract check for a parsed JSON body."""
        response = self.response
        assert response is not None
        details = error_bodies.error_details(response.content_type, document) if document is not None else None
        if details is not None:
            self.error_card.show_details(details, response.status)
            self.tabs.setTabVisible(self.tabs.indexOf(self.error_card), True)
            self.tabs.setCurrentWidget(self.error_card)
            self._first_view()
        node = collection_node(index)
        if node is not None and details is None:
            self.table_view.entity_set = ""
            self.table_view.set_metadata(None, "")
            self.table_view.load(index, node, self.exchange)
            self.table_view.set_metadata(self.metadata_model, self.table_view.entity_set)
            if self.metadata_model is not None:
                self.table_view.load(index, node, self.exchange)
            self.tabs.setTabVisible(self.tabs.indexOf(self.table_view), True)
            self._defer(lambda: self._fetch_metadata_for_table(index, node))
        self._defer(lambda: self._start_contract(document, has_body=True))

    def _json_failed(self, exc: BaseException) -> None:
        if isinstance(exc, JsonSyntaxError):
            self._mark_invalid(exc)
        else:
            message = exc.message if isinstance(exc, WorkbenchError) else f"{exc.__class__.__name__}: {exc}"
            self._show_banner(f"The body could not be read: {message}", "error")

    def _mark_invalid(self, error: WorkbenchError, text: str | None = None) -> None:
        """Invalid JSON with a JSON content type: say so and show the raw text, never crash."""
        precise = error.message.startswith("Invalid JSON in $")  # from validate(): names the value
        if self.parse_error is not None and not (precise and not self.parse_error.message.startswith("Invalid JSON in $")):
            return
        first = self.parse_error is None
        self.parse_error = error
        ct = self.response.content_type if self.response else ""
        message = f"The body is not valid JSON ({ct or 'no content type'}): {error.message}"
        self._show_banner(message, "error")
        if text is not None:
            self.pretty_view.clear()
            self.pretty_view.set_banner("Shown as received (raw text), because it does not parse as JSON.", error=True)
            self._queue_text(self.pretty_view, text)
            self.tabs.setTabVisible(self.tabs.indexOf(self.tree_view), False)
        else:
            self.pretty_view.set_banner(message, error=True)
        if first:
            self.tabs.setCurrentWidget(self.pretty_view)
            self._start_contract(None, has_body=True, body_error=error.message)
        self._first_view()

    # ------------------------------------------------------------------ OData metadata
    def _fetch_metadata_for_table(self, index: JsonIndex, node: Any) -> None:
        """Columns from the entity type: fetch the service's `$metadata` once (same auth headers)."""
        if self.metadata_model is not None or self.exchange is None or not self.table_view.entity_set:
            return
        context = index.child(index.root, "@odata.context")
        try:
            context_url = index.value(context) if context is not None else ""
        except WorkbenchError:
            return
        if not isinstance(context_url, str) or "$metadata" not in context_url:
            return
        base = self.exchange.response.url or self.exchange.request.url
        url = urljoin(base, context_url.split("#", 1)[0])
        generation = self._generation
        entity_set = self.table_view.entity_set

        def use(model: Any) -> None:
            if generation != self._generation or model is None:
                return
            _metadata_cache[url] = model
            self.metadata_model = model
            self.table_view.set_metadata(model, entity_set)
            self.table_view.load(index, node, None)
            if self.document is not None:
                self._start_contract(self.document, has_body=True)

        if url in _metadata_cache:
            use(_metadata_cache[url])
            return
        from workbench.core.sending.transport import send_prepared

        prepared = replace(self.exchange.request, method="GET", url=url, body=b"", form_fields=(), files=())
        prepared = prepared.with_header("Accept", "application/xml")

        async def fetch() -> Any:
            exchange = await send_prepared(prepared)
            if exchange.response.status >= 400:
                return None
            from workbench.core.csdl.source import parse_bytes

            return parse_bytes(exchange.response.read_body(), url, exchange.response.content_type)

        def done(model: Any) -> None:
            use(model)
            self._maybe_finished()

        job = CoroutineJob(fetch, done, lambda exc: self._maybe_finished())
        self._jobs.append(job)

    # ------------------------------------------------------------------ contract
    def _start_contract(self, document: Any, has_body: bool, body_error: str = "") -> None:
        response = self.response
        if response is None:
            return
        operation = ""
        meta = getattr(self.request, "meta", None) or {}
        if isinstance(meta, dict) or hasattr(meta, "get"):
            operation = str(meta.get("openapi_operation") or "")
        model = self.metadata_model
        entity_set = self.table_view.entity_set
        if not entity_set and isinstance(document, dict):
            from workbench.ui.widgets.response.odata_table import (
                entity_set_from_context,
            )

            entity_set = entity_set_from_context(str(document.get("@odata.context") or ""))
        collection_dir = self.collection_dir
        if not (operation and collection_dir) and not (model is not None and entity_set):
            reason = ("This request was not imported from an OpenAPI operation and no OData metadata is known "
                      "for it, so there is no contract to check the response against.")
            self.contract_summary.setText(reason)
            self.set_tab_title("contract", "Contract")
            return
        size = response.size
        too_big = size > CONTRACT_BODY_BYTES
        self.contract_summary.setText("Checking…")

        def check(job: BackgroundJob) -> Any:
            from workbench.core.response import contract

            reports = []
            body = None if too_big else document
            if operation and collection_dir:
                report = contract.check_request_contract(collection_dir, operation, response.status, response.content_type,
                                                         body, has_body and not too_big, body_error)
                if report is not None:
                    reports.append(report)
            if model is not None and entity_set and isinstance(body, dict) and response.status < 300:
                reports.append(contract.check_odata(model, entity_set, body))
            return reports

        def done(reports: list[Any]) -> None:
            self._show_contract(reports, too_big, operation)

        self._start(check, done, lambda exc: self.contract_summary.setText(f"The contract check failed: {exc}"))

    def _show_contract(self, reports: list[Any], too_big: bool, operation: str) -> None:
        self.contract_list.clear()
        self.contract_report = reports
        if not reports:
            self.contract_summary.setText(f"The operation {operation!r} is not in the collection's imported descriptor.")
            return
        total = sum(len(r.violations) for r in reports)
        lines = []
        for report in reports:
            verdict = ("<span style='color:#1a7f37'>✔ matches</span>" if report.ok
                       else f"<span style='color:#cf222e'>✘ {len(report.violations)} violation(s)</span>")
            lines.append(f"<b>{html.escape(report.source)}</b>: {verdict}")
            if report.checked:
                lines.append("Checked: " + html.escape("; ".join(report.checked)))
            for note in report.notes:
                lines.append(f"<i>{html.escape(note)}</i>")
            for v in report.violations:
                item = QTreeWidgetItem([v.kind, v.path, v.message])
                item.setToolTip(2, v.message)
                item.setForeground(0, QColor("#cf222e"))
                self.contract_list.addTopLevelItem(item)
        if too_big:
            lines.append(f"<i>The body is larger than {human_size(CONTRACT_BODY_BYTES)}: its content was not checked "
                         "against the schema (status and content type were).</i>")
        self.contract_summary.setText("<span style='color:#1f2328'>" + "<br>".join(lines) + "</span>")
        self.set_tab_title("contract", f"Contract ({total})" if total else "Contract ✔")

    def _violation_activated(self, item: QTreeWidgetItem, _: int = 0) -> None:
        path = item.text(1)
        if not path:
            return
        self.violation_selected.emit(path)
        if self.tab_visible("tree"):
            from workbench.core.response.contract import parse_json_path

            self.tabs.setCurrentWidget(self.tree_view)
            self.tree_view.reveal(parse_json_path(path))

    # ------------------------------------------------------------------ XML, images, raw
    def _load_xml(self, response: Response) -> None:
        def parse(job: BackgroundJob) -> Any:
            data = bytes(_open_body(response))
            try:
                root = xml_body.parse_xml(data)
            except WorkbenchError as exc:
                return {"error": exc, "text": _decode(data[:self.raw_limit_bytes], _charset(response))}
            text = xml_body.pretty_xml(root)
            return {"root": root, "text": text, "raw": data, "csdl": xml_body.is_csdl(root)}

        def done(value: dict[str, Any]) -> None:
            if "error" in value:
                self._show_banner(f"The body is not well-formed XML: {value['error'].message}", "error")
                self.xml_view.text_view.set_banner("Shown as received (raw text).", error=True)
                self._queue_text(self.xml_view.text_view, value["text"])
                return
            text = value["text"]
            if len(text) > self.pretty_limit_chars:
                text = _cut(text, self.pretty_limit_chars)
                self.xml_view.text_view.set_banner(
                    f"Showing the first {human_size(self.pretty_limit_chars)} of the pretty text: the whole document is in the Tree.")
            self.xml_view.set_document(value["root"], value["raw"], value["csdl"], response.url)
            self._queue_text(self.xml_view.text_view, text)

        self._start(parse, done, self._json_failed)
        self._start_contract(None, has_body=True)

    def _load_image(self, response: Response) -> None:
        def decode(job: BackgroundJob) -> Any:
            image = QImage.fromData(bytes(_open_body(response)))
            return image

        def done(image: QImage) -> None:
            if image.isNull():
                self._show_banner("The image could not be decoded; it is offered for saving.", "warning")
                self._set_tabs(["binary", "raw", "headers", "cookies", "timing", "contract"])
                return
            pixmap = QPixmap.fromImage(image)
            self.image_label.setPixmap(pixmap)
            self.image_label.setToolTip(f"{image.width()} × {image.height()} px")
            self.meta.setText(self.meta.text() + f" · {image.width()} × {image.height()} px")
            self._first_view()

        self._start(decode, done, self._json_failed)
        self._start_contract(None, has_body=True)

    def _fill_raw(self) -> None:
        """Fill the Raw tab (on first view: a big minified body is one long line to lay out)."""
        if self._raw_filled or self.response is None:
            return
        self._raw_filled = True
        response = self.response
        limit = self.raw_limit_bytes
        if self.body_kind in ("image", "binary"):
            self.raw_view.set_banner("Binary content: see the Preview/Binary tab, or save the body.")
            return

        def read(job: BackgroundJob) -> Any:
            data = _open_body(response)
            size = len(data)
            text = _decode(bytes(data[:limit]), _charset(response))
            # A minified body is one giant line; Qt lays a block out whole, on every append.
            # Show long lines in pieces (Copy and Save still give the body as received).
            cut, pieces = _LONG_LINE.subn("\\1\n", text)
            return cut, size, pieces

        def done(value: tuple[str, int, int]) -> None:
            text, size, pieces = value
            notes = []
            if size > limit:
                notes.append(f"Showing the first {human_size(limit)} of {human_size(size)} as received; "
                             "save the body for all of it.")
            if pieces:
                notes.append(f"Lines longer than {LONG_LINE:,} characters are shown in pieces.")
            if self.body_kind == "html":
                notes.insert(0, "HTML is shown as source (it is not rendered: scripts and remote content stay off).")
            self.raw_view.set_banner(" ".join(notes))
            self._queue_text(self.raw_view, text)

        self._start(read, done, self._json_failed)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.raw_view:
            self._fill_raw()

    # ------------------------------------------------------------------ $batch
    def _is_batch(self, response: Response) -> bool:
        url = response.url or (self.exchange.request.url if self.exchange else "")
        return "$batch" in url.split("?")[0] and response.status < 400

    def _load_batch(self, response: Response) -> None:
        def split(job: BackgroundJob) -> Any:
            from workbench.core.odata.batch import split_batch_response

            return split_batch_response(response)

        def done(results: list[Any]) -> None:
            self._parts = results
            for i, result in enumerate(results):
                r = result.response
                label = f"{result.id or i + 1} · {r.status} {r.reason} · {r.content_type or 'no body'}"
                item = QListWidgetItem(label)
                item.setForeground(QColor(status_color(r.status)))
                self.parts_list.addItem(item)
            self.set_tab_title("parts", f"Parts ({len(results)})")
            self.tabs.setTabVisible(self.tabs.indexOf(self.parts_view), True)
            if results:
                self.parts_list.setCurrentRow(0)
                self.tabs.setCurrentWidget(self.parts_view)

        self._start(split, done, lambda exc: self._show_banner(
            f"The $batch response could not be split: {exc}", "warning"))

    def _show_part(self, row: int) -> None:
        if row < 0 or row >= len(self._parts):
            return
        if self._part_pane is None:
            self._part_pane = ResponsePane(self)
            self._part_pane.copy_btn.hide()
            self._part_layout.addWidget(self._part_pane)
        self._part_pane.show_response(self._parts[row].response)

    # ------------------------------------------------------------------ copy and save
    def copy_body(self) -> None:
        response = self.response
        if response is None:
            return
        if response.size > 32 * 1024 * 1024:
            self._show_banner("The body is too large for the clipboard; use “Save body as…”.", "warning")
            return
        QGuiApplication.clipboard().setText(response.text())

    def save_body_as(self, path: str | None = None) -> None:
        """Write the body as received to a file (asks where when `path` is None)."""
        response = self.response
        if response is None:
            return
        if not path:
            suggestion = self._suggested_name(response)
            path, _ = QFileDialog.getSaveFileName(self, "Save body as", suggestion)
            if not path:
                return
        target = path

        def write(job: BackgroundJob) -> str:
            if response.body_file:
                shutil.copyfile(response.body_file, target)
            else:
                Path(target).write_bytes(response.body)
            return target

        self._start(write, lambda p: self.meta.setText(self.meta.text().split(" · saved")[0] + f" · saved to {Path(p).name}"),
                    lambda exc: self._show_banner(f"Could not save the body: {exc}", "error"))

    @staticmethod
    def _suggested_name(response: Response) -> str:
        import mimetypes

        disposition = response.header("content-disposition") or ""
        if "filename=" in disposition:
            return disposition.split("filename=", 1)[1].strip('"; ')
        ext = mimetypes.guess_extension(response.content_type or "") or ".bin"
        name = Path((response.url or "response").split("?")[0]).name or "response"
        return name if "." in name else f"{name}{ext}"

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Process events until loading finished (tests and the CLI)."""
        deadline = time.monotonic() + timeout_s
        while self._loading and time.monotonic() < deadline:
            QGuiApplication.processEvents()
            time.sleep(0.002)
        return not self._loading
