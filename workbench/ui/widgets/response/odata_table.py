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

import bisect
import re
from dataclasses import replace
from typing import Any, Callable
from urllib.parse import urljoin

import orjson
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
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

from workbench.core.response.json_index import JsonIndex, JsonNode
from workbench.core.errors import WorkbenchError
from workbench.ui.background import BackgroundJob, CoroutineJob

Index = QModelIndex | QPersistentModelIndex
FETCH_BATCH = 1000
SYNC_SORT_ROWS = 20000
_CONTEXT_SET = re.compile(r"\$metadata#([^(/]+)")
_NUMERIC = {"Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte", "Edm.Decimal", "Edm.Double", "Edm.Single"}


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


def _display(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (dict, list)):
        text = orjson.dumps(value).decode()
        return text if len(text) <= 120 else text[:120] + "…"
    return str(value)


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (2, value)
    if isinstance(value, str):
        return (3, value.casefold())
    return (4, orjson.dumps(value))


class ODataTableModel(QAbstractTableModel):
    """Rows are entities in one or more pages (segments); each row parsed on demand."""

    sort_started = Signal()
    sort_finished = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._segments: list[tuple[JsonIndex, JsonNode]] = []
        self._offsets: list[int] = []  # first global row of each segment
        self._total = 0
        self._shown = 0
        self._order: list[int] | None = None
        self._cache: dict[int, Any] = {}
        self.columns: list[str] = []
        self.types: dict[str, str] = {}
        self._declared: list[str] = []
        self._sort_job: BackgroundJob | None = None
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    # ------------------------------------------------------------------ content
    def set_declared(self, names: list[str], types: dict[str, str]) -> None:
        """Columns from the entity type (metadata), before any extra member found in rows."""
        self._declared = list(names)
        self.types = dict(types)

    def clear(self) -> None:
        self.beginResetModel()
        self._segments, self._offsets = [], []
        self._total = self._shown = 0
        self._order = None
        self._cache.clear()
        self.columns = []
        self.endResetModel()

    def add_page(self, index: JsonIndex, node: JsonNode, replace_rows: bool = False) -> None:
        """Append a page (or replace every row with it)."""
        self.beginResetModel()
        if replace_rows:
            self._segments, self._offsets, self._total = [], [], 0
            self.columns = []
        self._offsets.append(self._total)
        self._segments.append((index, node))
        self._total += index.child_count(node)
        self._shown = min(self._total, max(self._shown if not replace_rows else 0, FETCH_BATCH))
        self._order = None
        self.sort_column = -1
        self._cache.clear()
        self._update_columns(index, node)
        self.endResetModel()

    def _update_columns(self, index: JsonIndex, node: JsonNode) -> None:
        """Columns in the entity type's order, limited to members the rows carry.

        A `$select` answer carries a few properties: declared-but-absent columns would be empty
        noise. With no rows at all, the declared columns still show what the set holds.
        """
        present: list[str] = []
        seen_present: set[str] = set()
        for child in index.children(node, 0, 200):
            if child.kind != "o":
                continue
            for key_node in index.children(child):
                key = str(key_node.key)
                if key not in seen_present:
                    seen_present.add(key)
                    present.append(key)
        if self.columns:
            names = list(self.columns)
        elif present:
            names = [d for d in self._declared if d in seen_present]
        else:
            names = list(self._declared)
        seen = set(names)
        extra_annotations = [k for k in present if k not in seen and "@" in k]
        names += [k for k in present if k not in seen and "@" not in k]
        self.columns = names + [k for k in extra_annotations if k not in names]

    @property
    def total_rows(self) -> int:
        return self._total

    def row_value(self, row: int) -> Any:
        """The entity at table row `row` (after sorting), parsed from its bytes."""
        source = self._order[row] if self._order is not None else row
        cached = self._cache.get(source)
        if cached is not None:
            return cached
        seg = bisect.bisect_right(self._offsets, source) - 1
        index, node = self._segments[seg]
        local = source - self._offsets[seg]
        child = index.children(node, local, local + 1)[0]
        try:
            value = index.value(child)
        except WorkbenchError as exc:
            value = {"⚠": exc.message}
        if len(self._cache) > 4000:
            self._cache.clear()
        self._cache[source] = value
        return value

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        if parent.isValid() or self._shown >= self._total:
            return
        last = min(self._total, self._shown + FETCH_BATCH)
        self.beginInsertRows(QModelIndex(), self._shown, last - 1)
        self._shown = last
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entity = self.row_value(index.row())
        name = self.columns[index.column()]
        value = entity.get(name) if isinstance(entity, dict) else None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if isinstance(entity, dict) and name not in entity else _display(value)
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, (dict, list, str)):
            text = value if isinstance(value, str) else orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
            return text[:4000]
        if role == Qt.ItemDataRole.ForegroundRole:
            if value is None:
                return QColor("#8c959f")
            if isinstance(value, bool):
                return QColor("#8250df")
        if role == Qt.ItemDataRole.TextAlignmentRole and (
                self.types.get(name) in _NUMERIC or (isinstance(value, (int, float)) and not isinstance(value, bool))):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.columns[section] if section < len(self.columns) else None
            return str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            name = self.columns[section]
            return f"{name}: {self.types[name]}" if name in self.types else name
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0 or column >= len(self.columns) or not self._total:
            return
        name = self.columns[column]
        segments, offsets, total = list(self._segments), list(self._offsets), self._total
        descending = order == Qt.SortOrder.DescendingOrder

        def keys(job: BackgroundJob | None) -> list[int]:
            values: list[tuple[int, Any]] = []
            for seg, (index, node) in enumerate(segments):
                for child in index.children(node):
                    if job is not None and job.cancelled:
                        return []
                    try:
                        entity = index.value(child)
                    except WorkbenchError:
                        entity = None
                    values.append(_sort_key(entity.get(name) if isinstance(entity, dict) else None))
            rows = list(range(total))
            rows.sort(key=values.__getitem__, reverse=descending)
            return rows

        self.sort_column, self.sort_order = column, order
        if total <= SYNC_SORT_ROWS:
            self._apply_order(keys(None))
            return
        if self._sort_job is not None:
            self._sort_job.cancel()
        self.sort_started.emit()
        self._sort_job = BackgroundJob(keys, self._apply_order, lambda exc: self.sort_finished.emit())

    def _apply_order(self, rows: list[int]) -> None:
        if len(rows) != self._total:
            return
        self.layoutAboutToBeChanged.emit()
        self._order = rows
        self.layoutChanged.emit()
        self.sort_finished.emit()


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
