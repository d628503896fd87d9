"""An OData collection (`{"value": [...]}`) as a sortable table with paging.

Columns come from the entity type when the service's metadata is known (OData CSDL 4.01 §6:
declared properties in declaration order, base type first), else from the union of the
member names of the first rows. `@odata.count` and `@odata.nextLink` (OData JSON Format
4.01 §4.5.5, §4.5.4) are shown; "Next page" sends the next-link request through core with the
same headers as the first request (so auth and `Prefer: odata.maxpagesize` carry over) and
appends the page to the table or replaces it.

Rows are parsed from their byte range only when shown or sorted, so a page of 200 000
entities opens instantly; sorting a big table runs in a worker thread.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable
from urllib.parse import urljoin

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.response.json_index import JsonIndex, JsonNode
from workbench.ui.background import CoroutineJob
from workbench.ui.models.odata_table import ODataTableModel

_CONTEXT_SET = re.compile(r"\$metadata#([^(/]+)")


def entity_set_from_context(context: str) -> str:
    """`…/$metadata#Users(ID,name)` → `Users`; "" when the context names no entity set."""
    m = _CONTEXT_SET.search(context or "")
    if not m or m.group(1).startswith("Collection"):
        return ""
    return m.group(1)


def collection_node(index: JsonIndex) -> JsonNode | None:
    """The `value` array of an OData collection response (None for other bodies)."""
    root = index.root
    if root.kind != "o":
        return None
    node = index.child(root, "value")
    return node if node is not None and node.kind == "a" else None


PageFetcher = Callable[[str], Any]


class ODataTable(QWidget):
    """Count, next-page controls and the table of one OData collection response."""

    page_loaded = Signal(int)
    page_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ODataTableModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().setDefaultSectionSize(24)
        # Column widths from the first rows only: measuring 1000 rows would stall the window.
        self.view.horizontalHeader().setResizeContentsPrecision(40)
        self.info = QLabel("", self)
        self.next_btn = QPushButton("Next page", self)
        self.next_btn.setEnabled(False)
        self.next_btn.clicked.connect(self.fetch_next)
        self.mode = QComboBox(self)
        self.mode.addItems(["Append", "Replace"])
        self.mode.setToolTip("Append the next page to these rows, or replace them")
        self.status = QLabel("", self)
        self.status.setObjectName("muted")
        self.model.sort_started.connect(lambda: self.status.setText("sorting…"))
        self.model.sort_finished.connect(lambda: self.status.setText(""))
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        bar.addWidget(self.info, 1)
        bar.addWidget(self.status)
        bar.addWidget(self.mode)
        bar.addWidget(self.next_btn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.next_link = ""
        self.count: int | None = None
        self.entity_set = ""
        self.pages = 0
        self._base_url = ""
        self._exchange: Any = None
        self._job: CoroutineJob | None = None
        self.fetcher: PageFetcher | None = None

    # ------------------------------------------------------------------ content
    def set_metadata(self, model: Any, entity_set: str) -> None:
        """Declared columns from a `workbench.core.csdl.Model` for `entity_set` (if it has it)."""
        if model is None or not entity_set:
            self.model.set_declared([], {})
            return
        try:
            entity_type = model.entity_type_of_set(entity_set)
            properties = model.all_properties(entity_type) if entity_type is not None else ()
        except Exception:  # noqa: BLE001 - metadata of another shape: fall back to the rows' keys
            properties = ()
        self.model.set_declared([p.name for p in properties], {p.name: p.type_name for p in properties})

    def show_collection(self, index: JsonIndex, node: JsonNode, exchange: Any, model: Any) -> None:
        """A first page: its entity set is read from `@odata.context`, then `model` gives its columns.

        The rows are loaded twice when `model` is known, because the entity set (and so the
        declared columns) is only known once the page's context has been read.
        """
        self.entity_set = ""
        self.set_metadata(None, "")
        self.load(index, node, exchange)
        self.set_metadata(model, self.entity_set)
        if model is not None:
            self.load(index, node, exchange)

    def load(self, index: JsonIndex, node: JsonNode, exchange: Any = None, replace_rows: bool = True,
             first_page: bool = True) -> None:
        """Show the collection `node` of `index`; `exchange` is where next pages are asked from.

        A next page (`first_page` False) is appended, or replaces the rows (`replace_rows`).
        """
        if exchange is not None:
            self._exchange = exchange
            self._base_url = getattr(exchange.response, "url", "") or getattr(exchange.request, "url", "")
        root = index.root
        count = index.child(root, "@odata.count")
        next_link = index.child(root, "@odata.nextLink")
        context = index.child(root, "@odata.context")
        if count is not None:
            try:
                self.count = int(index.value(count))
            except (WorkbenchError, TypeError, ValueError):
                self.count = None
        elif first_page:
            self.count = None
        self.next_link = ""
        if next_link is not None:
            link = index.value(next_link)
            self.next_link = urljoin(self._base_url, link) if isinstance(link, str) else ""
        if context is not None and first_page and not self.entity_set:
            value = index.value(context)
            self.entity_set = entity_set_from_context(value if isinstance(value, str) else "")
        self.pages = 1 if first_page else self.pages + 1
        self.model.add_page(index, node, replace_rows)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        if replace_rows:
            self._fit_columns()
        self._update_info()

    def _fit_columns(self, sample_rows: int = 30) -> None:
        """Column widths from the header and the first rows (Qt's resize-to-contents asks
        every column of hundreds of rows, each parsed from its bytes: a visible stall)."""
        metrics = self.view.fontMetrics()
        model = self.model
        rows = min(sample_rows, model.rowCount())
        for col, name in enumerate(model.columns):
            width = metrics.horizontalAdvance(name) + 28
            for row in range(rows):
                text = model.data(model.index(row, col)) or ""
                width = max(width, metrics.horizontalAdvance(text[:60]) + 16)
            self.view.setColumnWidth(col, min(width, 320))

    def _update_info(self) -> None:
        parts = [self.entity_set or "Entities", f"{self.model.total_rows:,} row{'s' if self.model.total_rows != 1 else ''}"]
        if self.count is not None:
            parts.append(f"@odata.count {self.count:,}")
        if self.pages > 1:
            parts.append(f"{self.pages} pages loaded" if self.mode.currentText() == "Append" else f"page {self.pages}")
        parts.append("more pages available" if self.next_link else "last page")
        self.info.setText(" · ".join(p for p in parts if p))
        self.next_btn.setEnabled(bool(self.next_link) and (self._exchange is not None or self.fetcher is not None))
        self.next_btn.setToolTip(self.next_link)

    # ------------------------------------------------------------------ paging
    def fetch_next(self) -> None:
        if not self.next_link or (self._job is not None and not self._job.finished):
            return
        url = self.next_link
        self.status.setText("loading next page…")
        self.next_btn.setEnabled(False)
        if self.fetcher is not None:
            factory = lambda: self.fetcher(url)  # noqa: E731
        else:
            from workbench.core.sending.transport import send_prepared

            prepared = replace(self._exchange.request, method="GET", url=url, body=b"", form_fields=(), files=())
            factory = lambda: send_prepared(prepared)  # noqa: E731
        self._job = CoroutineJob(factory, self._page_arrived, self._page_error)

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _page_arrived(self, exchange: Any) -> None:
        self.status.setText("")
        response = exchange.response
        if response.status >= 400:
            self._page_error(WorkbenchError(f"The next page answered {response.status} {response.reason}"))
            return
        try:
            index = JsonIndex(response.read_body())
            index.build()
        except WorkbenchError as exc:
            self._page_error(exc)
            return
        node = collection_node(index)
        if node is None:
            self._page_error(WorkbenchError("The next page is not an OData collection (no value array)."))
            return
        self._base_url = response.url or self.next_link
        if index.child_count(node) == 0:
            # Servers that page by a skip token (CAP) announce one more page after the last
            # full one; it comes back empty. Keep the rows, close the paging.
            link = index.child(index.root, "@odata.nextLink")
            self.next_link = urljoin(self._base_url, index.value(link)) if link is not None else ""
            self._update_info()
            self.status.setText("No more rows: the next page was empty.")
            self.page_loaded.emit(self.model.total_rows)
            return
        self.load(index, node, None, replace_rows=self.mode.currentText() == "Replace", first_page=False)
        self.page_loaded.emit(self.model.total_rows)

    def _page_error(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, WorkbenchError) else str(exc)
        self.status.setText(message)
        self.next_btn.setEnabled(bool(self.next_link))
        self.page_failed.emit(message)
