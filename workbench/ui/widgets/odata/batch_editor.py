"""The `$batch` editor: pick requests of a collection, group writes into change sets, send them
as one JSON or multipart batch, and see each part's response on its own.

Thin: building and splitting are `core/odata/batch.py`, sending is `core/sending/send.py` (so the
collection's auth and headers apply to the batch request). The send runs as an asyncio task on
the qasync loop; Cancel (or a new Send) cancels it.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import Collection, Environment, Request
from workbench.core.errors import WorkbenchError
from workbench.core.odata.batch import (
    BatchFormat,
    BatchPart,
    BatchResult,
    batch_request,
    build_batch,
    parts_from_requests,
    split_batch_response,
)
from workbench.core.sending.send import SendContext, send
from workbench.ui.palette import current

if TYPE_CHECKING:
    from workbench.ui.window_api import WindowApi

COL_INCLUDE, COL_METHOD, COL_NAME, COL_GROUP, COL_DEPENDS = range(5)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class BatchEditor(QWidget):
    """Signals: `responses_ready(list[BatchResult])`, `failed(str)`."""

    responses_ready = Signal(list)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._requests: list[Request] = []
        self._collection: Collection | None = None
        self._environment: Environment | None = None
        self._context: SendContext | None = None
        self._task: asyncio.Task[Any] | None = None
        self.results: list[BatchResult] = []
        self.version = "4.0"

        self.service_root = QLineEdit(self)
        self.service_root.setPlaceholderText("Service root, e.g. https://host/odata/v4/service")
        self.format = QComboBox(self)
        self.format.addItem("JSON (OData 4.01)", "json")
        self.format.addItem("multipart/mixed (v4, v2)", "multipart")
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(["", "Method", "Request", "Change set / atomicity group", "Depends on"])
        header_item = self.table.horizontalHeaderItem(COL_DEPENDS)
        if header_item is not None:
            header_item.setToolTip("Ids of parts this one waits for, comma-separated (OData JSON batch `dependsOn`): "
                                   "part ids are the row numbers of the ticked parts, 1, 2, 3…")
        #: Asked before a batch with DELETE parts goes out; True sends. Tests replace it.
        self.confirm_deletes = self._ask_before_deleting
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.preview_button = QPushButton("Preview", self)
        self.send_button = QPushButton("Send batch", self)
        self.send_button.setObjectName("primary")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setEnabled(False)
        self.status = QLabel("", self)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText("The batch body appears here (Preview)")
        self.result_list = QListWidget(self)
        self.result_view = QPlainTextEdit(self)
        self.result_view.setReadOnly(True)

        head = QHBoxLayout()
        head.addWidget(QLabel("Service root", self))
        head.addWidget(self.service_root, 1)
        head.addWidget(QLabel("Format", self))
        head.addWidget(self.format)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.status, 1)
        results = QSplitter(Qt.Orientation.Horizontal, self)
        results.addWidget(self.result_list)
        results.addWidget(self.result_view)
        results.setStretchFactor(1, 3)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.addWidget(results)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

        self.preview_button.clicked.connect(self.show_preview)
        self.send_button.clicked.connect(lambda: self.send_batch())
        self.cancel_button.clicked.connect(self.cancel)
        self.result_list.currentRowChanged.connect(self._show_result)

    # ------------------------------------------------------------------ input
    def set_requests(self, requests: Sequence[Request], service_root: str = "", *,
                     collection: Collection | None = None, environment: Environment | None = None,
                     version: str = "4.0", context: SendContext | None = None) -> None:
        """Offer `requests` (e.g. a collection's) as batch parts.

        Only reads are ticked: a write, above all a DELETE, goes into a batch because the user
        chose it, never because it was in the collection. Writes are grouped in one change set.
        """
        self._requests = list(requests)
        self._collection = collection
        self._environment = environment
        self._context = context  # the window's (settings, OAuth2 tokens); built from the above if absent
        self.version = version
        if service_root:
            self.service_root.setText(service_root)
        self.table.setRowCount(len(self._requests))
        for row, request in enumerate(self._requests):
            include = QTableWidgetItem()
            include.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            safe = request.method.upper() in SAFE_METHODS
            include.setCheckState(Qt.CheckState.Checked if safe else Qt.CheckState.Unchecked)
            self.table.setItem(row, COL_INCLUDE, include)
            for col, text in ((COL_METHOD, request.method), (COL_NAME, request.name or request.url)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(request.url)
                self.table.setItem(row, col, item)
            group = "" if request.method.upper() == "GET" else "changeset1"
            self.table.setItem(row, COL_GROUP, QTableWidgetItem(group))
            self.table.setItem(row, COL_DEPENDS, QTableWidgetItem(""))
        self.table.resizeColumnsToContents()

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        """The item at (`row`, `column`): `set_requests` gives every cell one (the stubs say Optional)."""
        item = self.table.item(row, column)
        assert item is not None
        return item

    def set_included(self, row: int, included: bool) -> None:
        self._cell(row, COL_INCLUDE).setCheckState(Qt.CheckState.Checked if included else Qt.CheckState.Unchecked)

    def set_group(self, row: int, group: str) -> None:
        self._cell(row, COL_GROUP).setText(group)

    def set_depends_on(self, row: int, ids: str) -> None:
        self._cell(row, COL_DEPENDS).setText(ids)

    def batch_format(self) -> BatchFormat:
        return self.format.currentData()  # type: ignore[no-any-return]

    def parts(self) -> list[BatchPart]:
        """The ticked requests as batch parts, ids 1…n in table order."""
        root = self.service_root.text().strip()
        chosen: list[tuple[Request, str, tuple[str, ...]]] = []
        for row, request in enumerate(self._requests):
            if self._cell(row, COL_INCLUDE).checkState() == Qt.CheckState.Checked:
                depends = tuple(x.strip() for x in self._cell(row, COL_DEPENDS).text().split(",") if x.strip())
                chosen.append((request, self._cell(row, COL_GROUP).text().strip(), depends))
        parts = parts_from_requests([r for r, _, _ in chosen], root, collection=self._collection,
                                    environment=self._environment, context=self._context)
        ids = {p.id for p in parts}
        for _, _, depends in chosen:
            unknown = [d for d in depends if d not in ids]
            if unknown:
                raise WorkbenchError(f"“Depends on” names part {', '.join(unknown)}, which is not in the batch "
                                     f"(the ticked parts are {', '.join(sorted(ids, key=int))})")
        from dataclasses import replace

        return [replace(p, atomicity_group=group, depends_on=depends)
                for p, (_, group, depends) in zip(parts, chosen)]

    # ------------------------------------------------------------------ actions
    @Slot()
    def show_preview(self) -> None:
        try:
            built = build_batch(self.parts(), self.batch_format(), version=self.version)
        except WorkbenchError as exc:
            self._fail(exc.message)
            return
        text = built.body.decode("utf-8", "replace")
        if built.format == "json":
            text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        self.preview.setPlainText(f"Content-Type: {built.content_type}\n\n{text}")
        self.status.setText("")

    def send_batch(self) -> asyncio.Task[Any] | None:
        """Start sending (an asyncio task on the running loop); a running send is cancelled first."""
        self.cancel()
        try:
            parts = self.parts()
            if not parts:
                raise WorkbenchError("Tick at least one request for the batch.")
            deletes = [p for p in parts if p.method.upper() == "DELETE"]
            if deletes and not self.confirm_deletes([f"DELETE {p.url}" for p in deletes]):
                self.status.setText("Not sent: the DELETE parts were not confirmed.")
                return None
            request = batch_request(parts, self.service_root.text().strip(), self.batch_format(), version=self.version)
        except WorkbenchError as exc:
            self._fail(exc.message)
            return None
        self.status.setText(f"Sending {len(parts)} request{'s' if len(parts) != 1 else ''} in one batch…")
        self.send_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._task = asyncio.ensure_future(self._send(request, parts))
        return self._task

    async def _send(self, request: Request, parts: list[BatchPart]) -> None:
        try:
            ctx = self._context or SendContext(collection=self._collection, environment=self._environment)
            exchange = await send(request, ctx)
            results = split_batch_response(exchange.response, parts)
        except asyncio.CancelledError:
            self.status.setText("Cancelled")
            raise
        except WorkbenchError as exc:
            self._fail(exc.message)
            return
        finally:
            self.send_button.setEnabled(True)
            self.cancel_button.setEnabled(False)
        self.show_results(results)
        self.status.setText(f"{exchange.response.status} {exchange.response.reason}: {len(results)} part"
                            f"{'s' if len(results) != 1 else ''} in {exchange.response.elapsed_ms:.0f} ms")
        self.responses_ready.emit(results)

    def _ask_before_deleting(self, lines: list[str]) -> bool:
        from PySide6.QtWidgets import QMessageBox

        shown = "\n".join(lines[:10]) + (f"\n… and {len(lines) - 10} more" if len(lines) > 10 else "")
        answer = QMessageBox.question(
            self, "Send DELETE requests?",
            f"This batch deletes on the server:\n\n{shown}\n\nSend it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            self.status.setText("Cancelled")
        self._task = None
        self.send_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _fail(self, message: str) -> None:
        self.status.setText(f"⚠ {message}")
        self.failed.emit(message)

    # ------------------------------------------------------------------ results
    def show_results(self, results: list[BatchResult]) -> None:
        """The split responses, one list entry each (id, status, change set)."""
        self.results = list(results)
        self.result_list.clear()
        for result in results:
            r = result.response
            group = f"  [{result.atomicity_group}]" if result.atomicity_group else ""
            item = QListWidgetItem(f"{result.id or '–'}  {r.status} {r.reason}{group}")
            item.setForeground(QColor(current().success if r.status < 400 else current().danger))
            self.result_list.addItem(item)
        if results:
            self.result_list.setCurrentRow(0)

    @Slot(int)
    def _show_result(self, row: int) -> None:
        if not 0 <= row < len(self.results):
            self.result_view.clear()
            return
        r = self.results[row].response
        head = "\n".join(f"{k}: {v}" for k, v in r.headers)
        body = r.text()
        if r.content_type.endswith("json") and body:
            try:
                body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
            except ValueError:
                pass
        self.result_view.setPlainText(f"{r.http_version} {r.status} {r.reason}\n{head}\n\n{body}")


def open_batch_dialog(window: WindowApi) -> QDialog:
    """Tools → $batch editor…: the current collection's requests in a `BatchEditor` dialog.

    The service root is the collection's `odata_service` (or `serviceRoot` variable), else the
    one of the current request's URL; requests are sent with the collection's auth.
    """
    from workbench.core.odata.parser import parse_url

    editor = window.current_editor()
    collections = window.workspace.collections
    path = editor.collection_path if editor is not None else (collections[0].path if collections else "")
    collection = window.collection_of(path) if path else None
    context = window.send_context(path)
    environment = context.environment
    requests = collection.all_requests() if collection is not None else ([editor.to_model()] if editor else [])
    root = ""
    if collection is not None:
        root = collection.meta.get("odata_service", "") or next(
            (f"{{{{{v.name}}}}}" for v in collection.variables if v.name == "serviceRoot"), "")
    if not root and editor is not None:
        resolved = context.resolver(editor.saved_request)(editor.url.text())
        try:
            root = parse_url(resolved).service_root
        except Exception:  # noqa: BLE001 - a guess only; the user can type the root
            root = ""
    version = collection.meta.get("odata_version", "4.0") if collection is not None else "4.0"
    dialog = QDialog(window.window())
    dialog.setWindowTitle("$batch editor")
    dialog.resize(900, 700)
    batch = BatchEditor(dialog)
    batch.set_requests(requests, root, collection=collection, environment=environment, version=version,
                       context=context if collection is not None else None)
    if version.startswith(("1.", "2.", "3.")):
        batch.format.setCurrentIndex(batch.format.findData("multipart"))
    layout = QVBoxLayout(dialog)
    layout.addWidget(batch)
    dialog.finished.connect(lambda *_: batch.cancel())
    dialog.show()
    return dialog
