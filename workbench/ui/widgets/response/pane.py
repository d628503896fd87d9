"""The response pane: status, time and size, then the body in the viewer that fits it.

One `Response` at a time, shown without ever blocking the window: `BodyLoader` parses and
pretty-prints the body in worker threads and feeds the views in small chunks, and this pane
coordinates what the user sees. Pending, receiving (live byte count and progress bar),
cancelled and error states are explicit so a user always knows what is happening.

Tabs: Error (problem+json / OData error card), Pretty, Tree, Table (any JSON array of objects:
OData `value`, a Frends page's `data`, a top-level array; with "Next page" and "All pages"), XML,
Preview (images), Binary, Parts ($batch), Raw, Headers, Cookies, Timing and Contract
(the response checked against its OpenAPI operation or OData entity type; shown only when there
is such a contract). An OData collection opens on its Table, the way its rows are read. While
no response is there (nothing sent, sending, cancelled, failed) `NoResponseView` fills the
area instead of the tabs. Each tab with a job of its own lives in its own module; the pane
wires them together.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QScrollArea,
    QTabWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.response import error_bodies
from workbench.core.response.classify import classify, human_size
from workbench.core.response.json_index import JsonIndex, JsonNode
from workbench.core.sending.transport import Exchange, Response
from workbench.ui.background import BackgroundJob, keep_ui_responsive_beside_workers
from workbench.ui.widgets.response import odata_metadata
from workbench.ui.widgets.response.batch_parts import BatchParts, is_batch_response
from workbench.ui.widgets.response.binary_view import BinaryView
from workbench.ui.widgets.response.body_loader import BodyLoader, BodyViews, head
from workbench.ui.widgets.response.contract_view import ContractView
from workbench.ui.widgets.response.error_card import ErrorCard
from workbench.ui.widgets.response.header_tables import CookieTable, HeaderTable
from workbench.ui.widgets.response.json_text_view import JsonTextView
from workbench.ui.widgets.response.json_tree_view import JsonTreeView
from workbench.ui.widgets.response.no_response import NoResponseView
from workbench.ui.widgets.response.odata_table import ODataTable, collection_node
from workbench.ui.widgets.response.status_line import Banner, StatusLine
from workbench.ui.widgets.response.timing_chart import TimingView
from workbench.ui.widgets.response.xml_view import XmlView

if TYPE_CHECKING:
    from workbench.core.csdl.model import Model
    from workbench.core.paging.follow import PageSender
    from workbench.core.response.contract import ContractReport
    from workbench.core.sending.send import SendContext

__all__ = ["ResponsePane", "human_size"]


def is_odata_collection(index: JsonIndex, node: JsonNode) -> bool:
    """An OData collection response: `value` rows beside `@odata.context` (OData JSON Format 4.01
    §12), or the v2 `{"d": {"results": [...]}}` envelope. Other JSON arrays open as text."""
    def same(other: JsonNode | None) -> bool:
        return other is not None and other.start == node.start

    root = index.root
    if root.kind != "o":
        return False
    if same(index.child(root, "value")):
        return index.child(root, "@odata.context") is not None
    d = index.child(root, "d")
    return d is not None and d.kind == "o" and same(index.child(d, "results"))


class ResponsePane(QWidget):
    """Shows one response; the main window calls show_pending/progress/cancelled/error/exchange."""

    first_view_ready = Signal()
    loading_finished = Signal()
    violation_selected = Signal(str)
    #: The user pressed Cancel while a request was pending (the window cancels the send).
    cancel_requested = Signal()

    #: Pretty text shown at most (chars); above, the first part and a message.
    pretty_limit_chars = 2 * 1024 * 1024
    #: Raw text shown at most (bytes).
    raw_limit_bytes = 512 * 1024
    #: Bodies above this size are not viewed at all (offered for saving).
    max_view_bytes = 2 * 1024 * 1024 * 1024

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        keep_ui_responsive_beside_workers()  # parser threads run while the window paints
        self.status_line = StatusLine(self)
        self.status, self.meta, self.progress = self.status_line.status, self.status_line.meta, self.status_line.progress
        self.copy_btn, self.save_btn = self.status_line.copy_btn, self.status_line.save_btn
        self.copy_btn.clicked.connect(self.copy_body)
        self.save_btn.clicked.connect(self.save_body_as)
        self.banner = Banner(self)

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
        self.binary_view = BinaryView(self)
        self.binary_view.save_requested.connect(self.save_body_as)
        self.binary_label = self.binary_view.label
        self.hex_view = self.binary_view.hex_view
        self.parts_view = BatchParts(self)
        self._part_pane: ResponsePane | None = None  # made when a part is first chosen
        self.parts_view.part_chosen.connect(self._show_part)
        self.parts_list = self.parts_view.part_list
        self.parts_view.listed.connect(self._parts_listed)
        self.parts_view.failed.connect(
            lambda message: self.banner.show_message(f"The $batch response could not be split: {message}", "warning"))
        self.raw_view = JsonTextView(self, highlight=False)
        self.raw_view.edit.setLineWrapMode(self.raw_view.edit.LineWrapMode.WidgetWidth)
        self.error_card.raw_requested.connect(lambda: self.tabs.setCurrentWidget(self.raw_view))
        self.headers_table = HeaderTable(self)
        self.cookies_table = CookieTable(self)
        self.timing_view = TimingView(self)
        self.timing_chart = self.timing_view.chart
        self.contract_view = ContractView(self)
        self.contract_summary = self.contract_view.summary
        self.contract_list = self.contract_view.violations
        self.contract_list.itemActivated.connect(self._violation_activated)
        self.contract_list.itemDoubleClicked.connect(self._violation_activated)
        self.contract_view.title_changed.connect(lambda title: self.set_tab_title("contract", title))
        self.contract_view.availability_changed.connect(
            lambda available: self._tab_visible(self.contract_view, available))
        self._tab_names: dict[str, tuple[QWidget, str]] = {
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

        self.empty = NoResponseView(self)
        self.empty.cancel_requested.connect(self.cancel_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.status_line)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.empty, 1)
        self.tabs.hide()

        self.loader = BodyLoader(BodyViews(self.pretty_view, self.tree_view, self.xml_view, self.raw_view), self)
        self.loader.first_view_ready.connect(self.first_view_ready)
        self.loader.loading_finished.connect(self.loading_finished)
        self.loader.banner.connect(self.banner.show_message)
        self.loader.json_ready.connect(self._show_collection)
        self.loader.json_invalid.connect(self._json_invalid)
        self.loader.image_ready.connect(self._show_image)
        self.exchange: Exchange | None = None
        self.response: Response | None = None
        self.request: Any = None
        self.collection_dir: str | None = None
        self.metadata_model: Model | None = None
        self.send_context: SendContext | None = None
        self.body_kind = ""
        self._set_tabs(())
        self.tabs.currentChanged.connect(lambda _index: self._keep_current_visible())

    # ------------------------------------------------------------------ what the loader found
    @property
    def document(self) -> Any:
        """The parsed JSON body (None until parsed, and for bodies too big to parse whole)."""
        return self.loader.document

    @property
    def json_index(self) -> JsonIndex | None:
        return self.loader.json_index

    @property
    def parse_error(self) -> WorkbenchError | None:
        """Why a JSON body is not valid JSON (None when it is, or is not JSON)."""
        return self.loader.parse_error

    @property
    def contract_report(self) -> list[ContractReport] | None:
        return self.contract_view.reports

    # ------------------------------------------------------------------ building
    def _show_part(self, response: Response) -> None:
        """A `$batch` part is shown by a pane of its own (its copy button would copy the part only)."""
        if self._part_pane is None:
            self._part_pane = ResponsePane(self)
            self._part_pane.copy_btn.hide()
            self.parts_view.set_detail(self._part_pane)
        self._part_pane.show_response(response)

    def _tab_visible(self, widget: QWidget, visible: bool) -> None:
        """Show or hide one tab; hiding the current one moves to the first visible tab.

        QTabWidget keeps a hidden tab current, which leaves an empty pane with no tab underlined
        (seen when a reopened request had no contract to check while Contract was the tab shown).
        """
        self.tabs.setTabVisible(self.tabs.indexOf(widget), visible)
        self._keep_current_visible()

    def _keep_current_visible(self) -> None:
        current = self.tabs.currentIndex()
        if current >= 0 and self.tabs.isTabVisible(current):
            return
        shown = [i for i in range(self.tabs.count()) if self.tabs.isTabVisible(i)]
        if shown:
            self.tabs.setCurrentIndex(shown[0])

    def _set_tabs(self, names: tuple[str, ...] | list[str], current: str | None = None) -> None:
        for key, (widget, _) in self._tab_names.items():
            self._tab_visible(widget, key in names)
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

    def set_metadata(self, model: Model | None) -> None:
        """A known `csdl.Model` for the service (table columns, entity checks)."""
        self.metadata_model = model

    def set_send_context(self, ctx: SendContext | None) -> None:
        """The context the shown request was sent with: the Table's next pages then go through
        `send()` with it (settings, token refresh). Without it they repeat the request as it
        went out (its auth headers included)."""
        self.send_context = ctx

    # ------------------------------------------------------------------ states
    def _reset(self) -> None:
        self.loader.reset()
        self.table_view.cancel()
        self.contract_view.clear()
        self.body_kind = ""
        self.table_view.model.clear()
        self.table_view.entity_set = ""
        self.image_label.clear()
        self.binary_view.clear()
        self.parts_view.clear()
        self.banner.show_message("")
        self.progress.hide()

    def _no_response(self) -> None:
        """Forget the shown exchange entirely: its tabs (and their counts) go, the empty area shows."""
        self._reset()
        self.exchange = None
        self.response = None
        self.tabs.hide()
        self.empty.show()

    def show_pending(self, request: Any) -> None:
        """A clean "Sending … / Cancel" state: nothing of an earlier response or failure stays on screen."""
        self._no_response()
        method = getattr(request, "method", "")
        self.status_line.show_pending(method)
        self.empty.show_pending(method)

    def show_progress(self, received: int, total: int | None) -> None:
        """Live byte count while the body streams in (called from the send's progress callback)."""
        self.status_line.show_progress(received, total)
        self.empty.show_progress()

    def show_cancelled(self) -> None:
        self._no_response()
        self.status_line.show_cancelled()
        self.empty.show_cancelled()

    def show_error(self, message: str, detail: str | None = None) -> None:
        """No response arrived: core's plain sentence, with the technical detail one click away."""
        self._no_response()
        self.status_line.show_failed(detail)
        self.empty.show_failed(message, detail)

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
        self.loader.begin(response)
        self.empty.hide()
        self.tabs.show()
        size = response.size or (os.path.getsize(response.body_file) if response.body_file else len(response.body))
        self.status_line.show_response(response, size)
        self._fill_headers(response)
        self.timing_view.show_response(response)
        first_bytes = head(response)
        kind = classify(response.content_type, first_bytes)
        self.body_kind = kind
        self.status_line.set_actions(copy=kind in ("json", "xml", "html", "text", "multipart"), save=kind != "empty")
        common = ["raw", "headers", "cookies", "timing"]
        if size > self.max_view_bytes:
            self.banner.show_message(f"The body is {human_size(size)}, above the viewer limit of "
                                     f"{human_size(self.max_view_bytes)}. Save it to open it in another tool.", "warning")
            self.binary_label.setText(f"Not shown: {human_size(size)} of {response.content_type or 'unknown type'}.")
            self._set_tabs(["binary", "headers", "cookies", "timing"])
            self.loader.finish_soon()
            return
        if kind == "empty":
            self.loader.show_no_body()
            self._set_tabs(common)
            self._start_contract(None, has_body=False)
            self.loader.first_view()
            self.loader.finish_soon()
            return
        if kind == "json":
            self._set_tabs(["pretty", "tree"] + common)
            self.loader.load_json(response, size, self.pretty_limit_chars, self.raw_limit_bytes)
        elif kind == "xml":
            self._set_tabs(["xml"] + common)
            self.loader.load_xml(response, self.pretty_limit_chars, self.raw_limit_bytes)
            self._start_contract(None, has_body=True)
        elif kind == "image":
            self._set_tabs(["image"] + common)
            self.loader.load_image(response)
            self._start_contract(None, has_body=True)
        elif kind == "binary":
            self._set_tabs(["binary"] + common)
            self.binary_label.setText(f"Binary body: {response.content_type or 'unknown type'}, {human_size(size)}. "
                                      "Save it to open it in another tool.")
            self.binary_view.show_head(first_bytes[:1024])
            self._start_contract(None, has_body=True)
            self.loader.first_view()
            self.loader.finish_soon()
        else:
            self._set_tabs(common, "raw")
            self._fill_raw()
            self._start_contract(None, has_body=True)
        if is_batch_response(response, self.exchange.request.url if self.exchange else ""):
            self.parts_view.load(self.loader, response)

    def _fill_headers(self, response: Response) -> None:
        self.headers_table.show_headers(response.headers)
        self.set_tab_title("headers", f"Headers ({len(response.headers)})")
        cookies = self.cookies_table.show_cookies(response.headers)
        self.set_tab_title("cookies", f"Cookies ({cookies})" if cookies else "Cookies")

    def _fill_raw(self) -> None:
        if self.response is not None:
            self.loader.fill_raw(self.response, self.body_kind, self.raw_limit_bytes)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.raw_view:
            self._fill_raw()

    def is_loading(self) -> bool:
        return self.loader.is_loading()

    # ------------------------------------------------------------------ results of the loader
    def _show_image(self, image: QImage) -> None:
        if image.isNull():
            self.banner.show_message("The image could not be decoded; it is offered for saving.", "warning")
            self._set_tabs(["binary", "raw", "headers", "cookies", "timing"])
            self._tab_visible(self.contract_view, self.contract_view.available)
            return
        pixmap = QPixmap.fromImage(image)
        self.image_label.setPixmap(pixmap)
        self.image_label.setToolTip(f"{image.width()} × {image.height()} px")
        self.status_line.add_detail(f"{image.width()} × {image.height()} px")
        self.loader.first_view()

    def _json_invalid(self, error: WorkbenchError, shown_raw: bool, first: bool) -> None:
        if shown_raw:
            self._tab_visible(self.tree_view, False)
        if first:
            self.tabs.setCurrentWidget(self.pretty_view)
            self._start_contract(None, has_body=True, body_error=error.message)

    def _show_collection(self, index: JsonIndex, document: Any) -> None:
        """Error card, OData table and contract check for a parsed JSON body."""
        response = self.response
        assert response is not None
        details = error_bodies.error_details(response.content_type, document) if document is not None else None
        if details is not None:
            self.error_card.show_details(details, response.status)
            self._tab_visible(self.error_card, True)
            self.tabs.setCurrentWidget(self.error_card)
            self.loader.first_view()
        node = collection_node(index)
        if node is not None and details is None:
            self.table_view.page_sender = self._page_sender()
            self.table_view.show_collection(index, node, self.exchange, self.metadata_model)
            self._tab_visible(self.table_view, True)
            if is_odata_collection(index, node) and self.tabs.currentWidget() is self.pretty_view:
                self.tabs.setCurrentWidget(self.table_view)  # rows are read as a table, as a user expects
            self.loader.defer(lambda: self._fetch_metadata_for_table(index, node))
        self.loader.defer(lambda: self._start_contract(document, has_body=True))

    def _page_sender(self) -> PageSender | None:
        """How the Table sends next pages: through `send()` when the request and its context are known."""
        from workbench.core.collections import Request

        if self.send_context is None or not isinstance(self.request, Request) or self.exchange is None:
            return None
        from workbench.core.paging.follow import sender_for

        return sender_for(self.request, self.send_context)

    def _fetch_metadata_for_table(self, index: JsonIndex, node: JsonNode) -> None:
        """Columns from the entity type: fetch the service's `$metadata` once (same auth headers)."""
        if self.metadata_model is not None or self.exchange is None or not self.table_view.entity_set:
            return
        url = odata_metadata.metadata_url(index, self.exchange)
        if not url:
            return
        generation = self.loader.generation
        entity_set = self.table_view.entity_set

        def use(model: Model | None) -> None:
            if generation != self.loader.generation or model is None:
                return
            odata_metadata.remember(url, model)
            self.metadata_model = model
            self.table_view.set_metadata(model, entity_set)
            self.table_view.load(index, node, None)
            if self.document is not None:
                self._start_contract(self.document, has_body=True)

        known = odata_metadata.cached(url)
        if known is not None:
            use(known)
            return

        def done(model: Model | None) -> None:
            use(model)
            self.loader.maybe_finished()

        self.loader.track(odata_metadata.fetch(self.exchange, url, done, lambda exc: self.loader.maybe_finished()))

    # ------------------------------------------------------------------ contract
    def _start_contract(self, document: Any, has_body: bool, body_error: str = "") -> None:
        if self.response is None:
            return
        self.contract_view.check(self.loader, self.response, self.request, document, has_body, body_error,
                                 self.collection_dir, self.metadata_model, self.table_view.entity_set)

    def _violation_activated(self, item: QTreeWidgetItem, _: int = 0) -> None:
        """A violation was picked: say where, and open the Tree at its JSONPath when there is one."""
        path = item.text(1)
        if not path:
            return
        self.violation_selected.emit(path)
        if self.tab_visible("tree"):
            from workbench.core.response.contract import parse_json_path

            self.tabs.setCurrentWidget(self.tree_view)
            self.tree_view.reveal(parse_json_path(path))

    # ------------------------------------------------------------------ $batch
    def _parts_listed(self, count: int) -> None:
        self.set_tab_title("parts", f"Parts ({count})")
        self._tab_visible(self.parts_view, True)
        if count:
            self.parts_list.setCurrentRow(0)
            self.tabs.setCurrentWidget(self.parts_view)

    # ------------------------------------------------------------------ copy and save
    def copy_body(self) -> None:
        response = self.response
        if response is None:
            return
        if response.size > 32 * 1024 * 1024:
            self.banner.show_message("The body is too large for the clipboard; use “Save body as…”.", "warning")
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

        self.loader.start(write, lambda p: self.status_line.show_saved(Path(p).name),
                          lambda exc: self.banner.show_message(f"Could not save the body: {exc}", "error"))

    @staticmethod
    def _suggested_name(response: Response) -> str:
        import mimetypes

        disposition = response.header("content-disposition") or ""
        if "filename=" in disposition:
            return disposition.split("filename=", 1)[1].strip('"; ')
        ext = mimetypes.guess_extension(response.content_type or "") or ".bin"
        name = Path((response.url or "response").split("?")[0]).name or "response"
        return name if "." in name else f"{name}{ext}"

    def stop(self) -> None:
        """Cancel every job of the shown response: the pane is going away (its window closes).

        A job finishing later (a `$metadata` fetch for the table, a contract check) would
        otherwise deliver into widgets Qt has already deleted.
        """
        self.loader.reset()

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Process events until loading finished (tests and the CLI)."""
        deadline = time.monotonic() + timeout_s
        while self.loader.is_loading() and time.monotonic() < deadline:
            QGuiApplication.processEvents()
            time.sleep(0.002)
        return not self.loader.is_loading()
