"""A Qt tree model over a `JsonIndex`: key, type, value and child count per JSON value.

Children are materialised on expand through `canFetchMore`/`fetchMore` in batches, so a
value array of 200 000 records costs nothing until it is opened and then only the rows the
user scrolls to. While a big document is still being indexed in a worker thread the model
grows: `refresh()` (called by a timer in the view) inserts the rows indexed since.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from workbench.core.response.json_index import JsonIndex, JsonNode
from workbench.ui.palette import current

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Key", "Type", "Value", "Children")
FETCH_BATCH = 500

def type_color(kind: str) -> QColor | None:
    """The colour of a value of `kind` (s string, n number, b bool, z null, o object, a array)."""
    p = current()
    name = {"s": p.syntax_string, "n": p.syntax_key, "b": p.syntax_literal, "z": p.syntax_comment,
            "o": p.muted, "a": p.muted}.get(kind)
    return QColor(name) if name else None
NODE_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2


class JsonTreeModel(QAbstractItemModel):
    """Wraps one `JsonIndex`; holds only the children fetched so far (no logic of its own)."""

    def __init__(self, index: JsonIndex | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._json: JsonIndex | None = None
        self._kids: dict[int, list[JsonNode]] = {}
        self._owners: dict[int, JsonNode] = {}
        self._top: JsonNode | None = None
        if index is not None:
            self.set_index(index)

    # ------------------------------------------------------------------ setup
    def set_index(self, index: JsonIndex | None) -> None:
        self.beginResetModel()
        self._json = index
        self._kids = {}
        self._owners = {}
        self._top = None
        if index is not None:
            root = index.root
            if root.is_container:
                self._top = root
                self._owners[id(root)] = root
                # The first rows right away: a tree that opens empty looks broken.
                total = index.child_count(root)
                self._kids[id(root)] = index.children(root, 0, min(total, FETCH_BATCH))
            else:
                # A scalar document: one row for it.
                self._kids[0] = [root]
        self.endResetModel()

    @property
    def json_index(self) -> JsonIndex | None:
        return self._json

    def _node(self, index: Index) -> JsonNode | None:
        if not index.isValid():
            return self._top
        return index.internalPointer()  # type: ignore[no-any-return]

    def _list(self, node: JsonNode | None) -> list[JsonNode]:
        if node is None:
            return self._kids.get(0, [])
        return self._kids.get(id(node), [])

    def node(self, index: Index) -> JsonNode | None:
        """The JSON value behind a view index (None for the invisible root)."""
        return index.internalPointer() if index.isValid() else None

    # ------------------------------------------------------------------ structure
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        kids = self._list(self._node(parent))
        if row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: JsonNode = index.internalPointer()
        up = node.parent
        if up is None or up is self._top:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._list(self._node(parent)))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        if node is None:
            return bool(self._kids.get(0))
        if not node.is_container or self._json is None:
            return False
        if self._list(node):
            return True
        return self._json.has_children(node)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        if node is None or self._json is None or not node.is_container:
            return False
        return len(self._list(node)) < self._json.child_count(node)

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return
        node = self._node(parent)
        if node is None or self._json is None:
            return
        self._fetch(node, parent, FETCH_BATCH)

    def _fetch(self, node: JsonNode, parent: Index, batch: int) -> int:
        assert self._json is not None
        have = self._kids.setdefault(id(node), [])
        self._owners[id(node)] = node
        total = self._json.child_count(node)
        if len(have) >= total:
            return 0
        last = min(total, len(have) + batch)
        new = self._json.children(node, len(have), last)
        if not new:
            return 0
        self.beginInsertRows(parent, len(have), len(have) + len(new) - 1)
        have.extend(new)
        self.endInsertRows()
        return len(new)

    def ensure_row(self, parent: QModelIndex, row: int) -> QModelIndex:
        """Fetch rows of `parent` up to `row` (search results deep in a big array)."""
        node = self._node(parent)
        if node is None or self._json is None:
            return QModelIndex()
        have = self._list(node)
        if row >= len(have):
            self._fetch(node, parent, row + 1 - len(have) + FETCH_BATCH)
        return self.index(row, 0, parent)

    def index_for_rows(self, rows: list[int]) -> QModelIndex:
        """The index reached by following child rows from the top (fetching as needed)."""
        index = QModelIndex()
        for row in rows:
            index = self.ensure_row(index, row)
            if not index.isValid():
                break
        return index

    def refresh(self) -> None:
        """Insert rows indexed since the last call (while a worker is still indexing)."""
        if self._json is None:
            return
        for key, node in list(self._owners.items()):
            kids = self._kids.get(key)
            if kids is None:
                continue
            parent = QModelIndex() if node is self._top else self.createIndex(node.row, 0, node)
            if len(kids) < FETCH_BATCH:
                self._fetch(node, parent, FETCH_BATCH - len(kids))
            if node is not self._top:
                self.dataChanged.emit(self.createIndex(node.row, 2, node), self.createIndex(node.row, 3, node))

    # ------------------------------------------------------------------ data
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._json is None:
            return None
        node: JsonNode = index.internalPointer()
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return "$" if node.key is None else (f"[{node.key}]" if isinstance(node.key, int) else node.key)
            if col == 1:
                return node.kind_name
            if col == 2:
                try:
                    return self._json.preview(node)
                except Exception as exc:  # noqa: BLE001 - a broken slice shows its error, not a crash
                    return f"⚠ {exc}"
            if col == 3:
                if not node.is_container:
                    return ""
                count = self._json.child_count(node)
                return f"{count:,}" + ("" if self._json.is_filled(node) else "+")
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 2:
                return type_color(node.kind)
            if col in (1, 3):
                return QColor(current().faint)
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.path()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == NODE_ROLE:
            return node
        if role == PATH_ROLE:
            return node.path()
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
