"""A JSON collection as a sortable table, with "Next page" and "All pages".

Any array of objects is a table: OData's `value`, a Frends page's `data`, a top-level array
(`core/paging/items.py` says where the rows are). Columns come from the entity type when the
service's OData metadata is known (OData CSDL 4.01 §6: declared properties in declaration order,
base type first), else from the union of the member names of the first rows. The total the
server announces (`@odata.count`, `paging.totalCount`) and whether there is a next page
(`core/paging/`: next links in the body or the `Link` header, page numbers, `$top` windows) are
shown. "Next page" and "All pages" walk on through core (`follow.iter_pages`, which refuses next
links to other servers and repeating ones) in a worker thread with its own event loop; each page
is indexed there too, so the window never waits. "All pages" stops at the chosen number of pages
(and at `DEFAULT_MAX_ITEMS` rows) and can be cancelled.

Rows are parsed from their byte range only when shown or sorted, so a page of 200 000
entities opens instantly; sorting a big table runs in a worker thread.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.paging import items as page_rows
from workbench.core.paging.follow import (
    DEFAULT_MAX_ITEMS,
    DEFAULT_MAX_PAGES,
    Page,
    PageSender,
    iter_pages,
    locate_next,
    replay_sender,
)
from workbench.core.paging.links import NextLink
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
    """The array of rows of a JSON body (OData `value`, `data`, a top-level array…), or None."""
    return page_rows.collection_node(index)


class _PageRelay(QObject):
    """Carries pages from the walk's worker thread to the UI thread (a queued connection)."""

    arrived = Signal(object)


def _indexed(page: Page) -> tuple[JsonIndex, JsonNode]:
    """The page's rows as a lazy index (built in the worker thread, like the first page's)."""
    index = JsonIndex(page.exchange.response.read_body())
    index.build()
    node = collection_node(index)
    if node is None:
        raise WorkbenchError(f"Page {page.number} holds no array of objects to add to the table.")
    return index, node


class ODataTable(QWidget):
    """Row count, total, paging controls and the table of one JSON collection response."""

    page_loaded = Signal(int)
    page_failed = Signal(str)
    walk_finished = Signal(int)  # pages added by the last "Next page" / "All pages"

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
        self.all_btn = QPushButton("All pages", self)
        self.all_btn.setEnabled(False)
        self.all_btn.setToolTip("Load every next page into the table, up to the number of pages beside it")
        self.all_btn.clicked.connect(self.fetch_all)
        self.max_pages = QSpinBox(self)
        self.max_pages.setRange(1, 10_000)
        self.max_pages.setValue(DEFAULT_MAX_PAGES)
        self.max_pages.setPrefix("up to ")
        self.max_pages.setSuffix(" pages")
        self.max_pages.setToolTip("“All pages” stops after this many pages")
        self.cancel_btn = QPushButton("Cancel", self)
        self.cancel_btn.setToolTip("Stop loading pages (the rows loaded so far stay)")
        self.cancel_btn.clicked.connect(self.cancel)
        self.cancel_btn.hide()
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
        bar.addWidget(self.all_btn)
        bar.addWidget(self.max_pages)
        bar.addWidget(self.cancel_btn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.next: NextLink | None = None
        self.count: int | None = None
        self.count_label = ""
        self.entity_set = ""
        self.pages = 0
        self.page_sender: PageSender | None = None  # set by the pane when it knows the request's context
        self._exchange: Any = None  # the first page's exchange: replayed when there is no sender
        self._first_url = ""
        self._page_size: int | None = None
        self._job: CoroutineJob | None = None
        self._walk_pages = 0
        self._walk_max = 1
        self._walk_failed = False
        self._walk_open = False  # a walk runs: until its last page arrived, it failed or was cancelled
        self._replace_rows = False
        self._generation = 0
        self._relay = _PageRelay(self)
        self._relay.arrived.connect(self._page_arrived)

    @property
    def next_link(self) -> str:
        """The next page's URL ("" on the last page)."""
        return self.next.url if self.next is not None else ""

    @next_link.setter
    def next_link(self, url: str) -> None:
        self.next = NextLink(url, "link") if url else None

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
            self.load(index, node, None)

    def load(self, index: JsonIndex, node: JsonNode, exchange: Any = None, replace_rows: bool = True,
             first_page: bool = True) -> None:
        """Show the rows `node` of `index` as the first page; `exchange` is the response they came
        in (where the next page is read from, and the request a walk repeats).

        Without `exchange` the same page is shown again (e.g. with the columns of metadata that
        arrived later): what is known about the next page stays.
        """
        envelope = page_rows.envelope(index, node)
        rows = index.child_count(node)
        if exchange is not None:
            self._exchange = exchange
            self._first_url = exchange.request.url
            self._page_size = rows or None
            response = exchange.response
            self.next = None
            if response.status < 400:
                self.next = locate_next(exchange.request.url, response.headers, envelope, rows)
        if first_page:
            self.count = page_rows.total_count(envelope)
            self.count_label = "@odata.count" if isinstance(envelope, dict) and "@odata.count" in envelope else "total"
            context = envelope.get("@odata.context") if isinstance(envelope, dict) else None
            if isinstance(context, str) and not self.entity_set:
                self.entity_set = entity_set_from_context(context)
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

    def is_walking(self) -> bool:
        return self._walk_open

    def _update_info(self) -> None:
        total = self.model.total_rows
        parts = [self.entity_set or "Rows", f"{total:,} row{'s' if total != 1 else ''}"]
        if self.count is not None:
            parts.append(f"{self.count_label} {self.count:,}")
        if self.pages > 1:
            parts.append(f"{self.pages} pages loaded" if self.mode.currentText() == "Append" else f"page {self.pages}")
        if self.next_link:
            parts.append(f"more pages available ({self.next.source})" if self.next else "more pages available")
        else:
            parts.append("last page")
        self.info.setText(" · ".join(p for p in parts if p))
        walking = self.is_walking()
        can_page = bool(self.next_link) and (self._exchange is not None or self.page_sender is not None) and not walking
        self.next_btn.setEnabled(can_page)
        self.all_btn.setEnabled(can_page)
        self.next_btn.setToolTip(self.next_link)
        self.cancel_btn.setVisible(walking)

    # ------------------------------------------------------------------ paging
    def fetch_next(self) -> None:
        """Load the next page (appended, or replacing the rows, as the mode says)."""
        self._walk(1, replace_rows=self.mode.currentText() == "Replace")

    def fetch_all(self) -> None:
        """Load every next page, appended, up to the number of pages chosen beside the button."""
        self._walk(self.max_pages.value(), replace_rows=False)

    def _walk(self, max_pages: int, replace_rows: bool) -> None:
        start = self.next
        if start is None or not start.url or self.is_walking():
            return
        sender = self.page_sender
        if sender is None:
            if self._exchange is None:
                return
            sender = replay_sender(self._exchange)
        self._generation += 1
        generation, relay = self._generation, self._relay
        first_url, number, page_size = self._first_url, self.pages + 1, self._page_size
        room = max(0, DEFAULT_MAX_ITEMS - self.model.total_rows)
        self._walk_pages, self._walk_max, self._walk_failed = 0, max_pages, False
        self._replace_rows = replace_rows

        async def walk() -> int:
            pages = rows = 0
            async for page in iter_pages(sender, start=start, first_url=first_url, first_number=number,
                                         page_size_hint=page_size, max_pages=max_pages):
                indexed = _indexed(page) if page.status < 400 and page.items else None
                relay.arrived.emit((generation, page, indexed))
                pages += 1
                rows += len(page.items)
                if rows >= room:
                    break
            return pages

        self.status.setText("loading the next page…" if max_pages == 1 else "loading pages…")
        self._walk_open = True
        self._job = CoroutineJob(walk, lambda pages: self._walk_done(generation, pages),
                                 lambda exc: self._walk_error(generation, exc))
        self._update_info()

    def cancel(self) -> None:
        """Stop a walk at once; the rows loaded so far stay."""
        if self._job is not None:
            self._job.cancel()
        if self._walk_open:
            self._walk_open = False
            self._generation += 1
            self.status.setText(f"Cancelled after {self._walk_pages} page{'s' if self._walk_pages != 1 else ''}.")
            self._update_info()
            self.walk_finished.emit(self._walk_pages)
        self._job = None

    def _page_arrived(self, value: tuple[int, Page, tuple[JsonIndex, JsonNode] | None]) -> None:
        generation, page, indexed = value
        if generation != self._generation:
            return
        response = page.exchange.response
        if page.status >= 400:
            self._show_error(f"The next page answered {response.status} {response.reason}")
            self._finish_walk()
            return
        self._walk_pages += 1
        self.next = page.next
        if self.count is None:
            self.count = page.count
        if indexed is None:
            # Servers that page by a skip token (CAP) announce one more page after the last
            # full one; it comes back empty. Keep the rows, close the paging.
            self._update_info()
            self.status.setText("No more rows: the next page was empty.")
            self._page_done()
            return
        index, node = indexed
        self.pages += 1
        self.model.add_page(index, node, self._replace_rows)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.status.setText(f"page {page.number}: {len(page.items):,} rows")
        self._page_done()

    def _page_done(self) -> None:
        """A page is in: the walk ends here when it was its last (before the worker returns, so
        a "Next page" clicked now is not refused as "still loading")."""
        if self._walk_pages >= self._walk_max or not self.next_link:
            self._finish_walk()
        self._update_info()
        self.page_loaded.emit(self.model.total_rows)

    def _walk_done(self, generation: int, pages: int) -> None:
        if generation == self._generation:
            self._finish_walk()

    def _finish_walk(self) -> None:
        if not self._walk_open:
            return
        self._walk_open = False
        self._job = None
        if not self._walk_failed and self._walk_max > 1:
            more = "; more pages remain" if self.next_link else ""
            self.status.setText(f"Loaded {self._walk_pages} more page{'s' if self._walk_pages != 1 else ''}{more}.")
        elif not self._walk_failed and self.status.text().startswith("page "):
            self.status.setText("")
        self._update_info()
        self.walk_finished.emit(self._walk_pages)

    def _walk_error(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._show_error(exc.message if isinstance(exc, WorkbenchError) else str(exc))
        self._finish_walk()

    def _show_error(self, message: str) -> None:
        self._walk_failed = True
        self.status.setText(message)
        self._update_info()
        self.page_failed.emit(message)
