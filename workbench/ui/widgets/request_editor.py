"""One request tab: method, URL, and the Params / Headers / Body / Auth / Docs tabs.

The editor turns its form into a `Request` (`to_model`) and shows a `Request` (`set_request`);
it never sends or saves by itself — it asks the window through signals.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import HTTP_METHODS, Body, Request
from workbench.core.urls import join_url, merge_params, split_url
from workbench.ui.widgets.key_value_table import KeyValueTable


class RequestEditor(QWidget):
    send_requested = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, collection_path: str, request: Request, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.collection_path = collection_path
        self._saved = request
        self._loading = False
        self._dirty = False

        self.method = QComboBox(self)
        self.method.setEditable(True)
        self.method.addItems(list(HTTP_METHODS))
        self.method.setFixedWidth(110)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://example.com/api/resource?param=value  —  {{variables}} allowed")
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("primary")
        self.send_button.setToolTip("Send (Ctrl+Enter); Esc cancels")
        self.send_button.clicked.connect(self.send_requested)

        top = QHBoxLayout()
        top.addWidget(self.method)
        top.addWidget(self.url, 1)
        top.addWidget(self.send_button)

        self.params = KeyValueTable(self, placeholder="parameter")
        self.headers = KeyValueTable(self, placeholder="header")
        self.body_kind = QComboBox(self)
        self.body_kind.addItems(["none", "raw"])
        self.body_text = QPlainTextEdit(self)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.body_kind)
        body_layout.addWidget(self.body_text)
        self.docs = QPlainTextEdit(self)
        self.docs.setReadOnly(True)

        self.sections = QTabWidget(self)
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.params, "Params")
        self.sections.addTab(self.headers, "Headers")
        self.sections.addTab(body, "Body")
        self.sections.addTab(self.docs, "Docs")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.sections, 1)

        self.set_request(request)
        self.method.currentTextChanged.connect(self._changed)
        self.url.textEdited.connect(self._url_edited)
        self.params.changed.connect(self._params_edited)
        self.headers.changed.connect(self._changed)
        self.body_kind.currentTextChanged.connect(self._changed)
        self.body_text.textChanged.connect(self._changed)

    @property
    def key(self) -> tuple[str, str]:
        return (self.collection_path, self._saved.path)

    def title(self) -> str:
        return self._saved.name

    def set_request(self, request: Request) -> None:
        self._loading = True
        try:
            self.method.setCurrentText(request.method)
            self.url.setText(join_url(request.url, request.params))
            self.params.set_rows(request.params)
            self.headers.set_rows(request.headers)
            self.body_kind.setCurrentText("raw" if request.body.kind != "none" else "none")
            self.body_text.setPlainText(request.body.text)
            self.docs.setPlainText(request.docs)
        finally:
            self._loading = False

    def to_model(self) -> Request:
        base, _ = split_url(self.url.text())
        kind = self.body_kind.currentText()
        body = replace(self._saved.body, kind="raw", text=self.body_text.toPlainText()) if kind == "raw" else Body()
        return replace(self._saved, method=self.method.currentText().strip().upper() or "GET", url=base,
                       params=tuple(self.params.rows()), headers=tuple(self.headers.rows()), body=body)

    def is_dirty(self) -> bool:
        return self._dirty

    def mark_saved(self, request: Request) -> None:
        self._saved = request
        self._set_dirty(False)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    @Slot()
    def _changed(self, *_: object) -> None:
        if not self._loading:
            self._set_dirty(self.to_model() != self._saved)

    @Slot(str)
    def _url_edited(self, text: str) -> None:
        """URL → Params: the typed query becomes the enabled rows; disabled rows stay."""
        _, typed = split_url(text)
        self._loading = True
        try:
            self.params.set_rows(merge_params(tuple(self.params.rows()), typed))
        finally:
            self._loading = False
        self._changed()

    @Slot()
    def _params_edited(self) -> None:
        """Params → URL."""
        if self._loading:
            return
        base, _ = split_url(self.url.text())
        position = self.url.cursorPosition()
        self.url.setText(join_url(base, self.params.rows()))
        self.url.setCursorPosition(min(position, len(self.url.text())))
        self._changed()
