"""An error body as a card: what went wrong in words, the details below, the raw body one click away.

Two formats, one card (see `core.response.error_bodies.ErrorDetails`): RFC 9457 problem details (type,
title, status, detail, instance, an `errors` list, extension members) and the OData JSON
error (code, message, target, details, innererror).
"""

from __future__ import annotations

import html
from typing import Any

import orjson
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.response.error_bodies import ErrorDetails
from workbench.ui.palette import current
from workbench.ui.theme import status_color


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError:
        return str(value)


class ErrorCard(QScrollArea):
    """Shows one `ErrorDetails`; `raw_requested` asks the pane to show the raw body."""

    raw_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._body = QWidget(self)
        self._body.setObjectName("errorCardBody")
        self._body.setStyleSheet(f"QWidget#errorCardBody {{ background: {current().base}; }}")
        self.setWidget(self._body)
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(16, 14, 16, 14)
        self._layout.setSpacing(10)
        self.details: ErrorDetails | None = None
        self.fields: dict[str, str] = {}

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item is None:
                break
            widget = item.widget()
            inner = item.layout()
            if widget is not None:
                widget.deleteLater()
            elif inner is not None:
                while inner.count():
                    sub = inner.takeAt(0)
                    child = sub.widget() if sub is not None else None
                    if child is not None:
                        child.deleteLater()

    def _label(self, text: str, style: str = "", selectable: bool = True, rich: bool = False) -> QLabel:
        label = QLabel(self._body)
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        label.setText(text)
        label.setWordWrap(True)
        if style:
            label.setStyleSheet(style)
        if selectable:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        if rich:
            label.setOpenExternalLinks(True)
        return label

    def _field(self, name: str, value: str) -> None:
        if not value:
            return
        self.fields[name] = value
        row = QHBoxLayout()
        key = self._label(name, f"color: {current().muted}; font-weight: 600;", selectable=False)
        key.setFixedWidth(110)
        key.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row.addWidget(key)
        row.addWidget(self._label(value, f"color: {current().text};"), 1)
        self._layout.addLayout(row)

    def _section(self, title: str) -> None:
        self._layout.addWidget(self._label(title, f"color: {current().text}; font-weight: 600; margin-top: 6px;",
                                           selectable=False))

    def _block(self, text: str) -> None:
        self._layout.addWidget(self._label(
            text, f"background: {current().alt_base}; color: {current().text}; border: 1px solid {current().border};"
                  " border-radius: 4px;"
                  " padding: 6px; font-family: monospace;"))

    def show_details(self, details: ErrorDetails, http_status: int | None = None) -> None:
        self._clear()
        self.details = details
        self.fields = {}
        status = details.status if details.status is not None else http_status
        kind = "Problem details (RFC 9457)" if details.flavour == "problem" else "OData error"
        head = QHBoxLayout()
        if status is not None:
            badge = self._label(str(status), f"color: {current().badge_text}; background: {status_color(status)}; border-radius: 4px;"
                                             " padding: 2px 8px; font-weight: 700;", selectable=False)
            badge.setSizePolicy(badge.sizePolicy().horizontalPolicy().Fixed, badge.sizePolicy().verticalPolicy())
            head.addWidget(badge)
        title = details.title or ("(no title)" if details.flavour == "problem" else "(no message)")
        head.addWidget(self._label(title, f"color: {current().text}; font-size: 15px; font-weight: 600;"), 1)
        raw = QPushButton("Show raw body", self._body)
        raw.clicked.connect(self.raw_requested.emit)
        head.addWidget(raw, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addLayout(head)
        self._layout.addWidget(self._label(kind, f"color: {current().faint};", selectable=False))
        if details.flavour == "problem":
            self._field("Detail", details.detail)
            if details.type and details.type != "about:blank" and details.type.startswith(("http://", "https://")):
                link = f'<a href="{html.escape(details.type)}">{html.escape(details.type)}</a>'
                self.fields["Type"] = details.type
                row = QHBoxLayout()
                type_label = self._label("Type", f"color: {current().muted}; font-weight: 600;", selectable=False)
                type_label.setFixedWidth(110)
                row.addWidget(type_label)
                row.addWidget(self._label(link, rich=True), 1)
                self._layout.addLayout(row)
            else:
                self._field("Type", details.type)
            self._field("Instance", details.instance)
        else:
            self._field("Code", details.code)
            self._field("Target", details.target)
        if details.errors:
            self._section(f"{'Errors' if details.flavour == 'problem' else 'Details'} ({len(details.errors)})")
            for item in details.errors:
                if isinstance(item, dict):
                    where = item.get("pointer") or item.get("target") or item.get("field") or item.get("name") or ""
                    what = (item.get("detail") or item.get("message") or item.get("reason") or item.get("title")
                            or "")
                    code = item.get("code") or ""
                    line = " — ".join(str(p) for p in (where, _text(what) if what else "", code) if p)
                    self._layout.addWidget(self._label("• " + (line or _text(item)), f"color: {current().text};"))
                else:
                    self._layout.addWidget(self._label("• " + _text(item), f"color: {current().text};"))
        if details.extensions:
            self._section("More members" if details.flavour == "problem" else "Other fields")
            for key, value in details.extensions.items():
                self._field(str(key), _text(value))
        if details.innererror is not None:
            self._section("Inner error")
            self._block(_text(details.innererror))
        self._layout.addStretch(1)
