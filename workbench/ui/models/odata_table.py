"""An OData collection's entities as table rows, each parsed from its byte range only when shown.

Rows are entities in one or more pages (segments) of `JsonIndex` values: a page of 200 000
entities opens instantly because nothing is parsed until a row is drawn or sorted. Columns are
the entity type's declared properties (set by the table from the service's metadata, OData CSDL
4.01 §6) limited to members the rows carry, then any other member found in the first rows.
Sorting a big table runs in a worker thread, so the window keeps painting.
"""

from __future__ import annotations

import bisect
from typing import Any

import orjson
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from workbench.core.errors import WorkbenchError
from workbench.core.response.json_index import JsonIndex, JsonNode
from workbench.ui.background import BackgroundJob
from workbench.ui.palette import current

__all__ = ["FETCH_BATCH", "ODataTableModel"]

Index = QModelIndex | QPersistentModelIndex
#: Rows added to the view per fetchMore (Qt asks for more as the user scrolls).
FETCH_BATCH = 1000
#: Tables up to this many rows are sorted at once; bigger ones in a worker.
SYNC_SORT_ROWS = 20000
_NUMERIC = {"Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte", "Edm.Decimal", "Edm.Double", "Edm.Single"}


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

    def __init__(self, parent: QObject | None = None) -> None:
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
                return QColor(current().faint)
            if isinstance(value, bool):
                return QColor(current().syntax_literal)
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
        segments, total = list(self._segments), self._total
        descending = order == Qt.SortOrder.DescendingOrder

        def keys(job: BackgroundJob | None) -> list[int]:
            values: list[tuple[int, Any]] = []
            for index, node in segments:
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
